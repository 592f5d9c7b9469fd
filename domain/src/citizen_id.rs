//! Personal identification numbers (số định danh cá nhân) and the QR code of
//! the chip ID card.
//!
//! The 12 digits (Luật Căn cước 2023, Điều 12; structure kept from Nghị
//! định 137/2015/NĐ-CP, Điều 7, by Nghị định 70/2024/NĐ-CP): 3 for the
//! province where the birth was registered (the code table of Thông tư
//! 07/2016/TT-BCA, `assets/identity/province-codes.json` — numbers already
//! issued keep these codes after the 2025 merger of provinces), 1 for
//! century and sex, 2 for the birth year, 6 random. Century and sex: 0/1
//! the 20th century (1900–1999) male/female, 2/3 the 21st, 4/5 the 22nd,
//! 6/7 the 23rd, 8/9 the 24th (2300–2399). There is no published check
//! digit, so no checksum is ever applied. A number read without a date of
//! birth is still refused when its birth year has not yet come
//! ([`parse_id_number_on`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text::{self, Charset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Sex {
    #[serde(rename = "Nam")]
    Male,
    #[serde(rename = "Nữ")]
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }

    /// Reads "Nam"/"Nữ" in any case, NFC or NFD, with or without the mark.
    pub fn parse(field: &str, s: &str) -> Result<Sex> {
        match text::fold(s).as_str() {
            "nam" => Ok(Sex::Male),
            "nu" => Ok(Sex::Female),
            _ => Err(Error::invalid("bad_sex", field, msg::SEX_VALUES)),
        }
    }
}

/// What the digits of an ID number say about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdFacts {
    pub province_code: String,
    pub province_name: String,
    pub sex: Sex,
    pub birth_year: i32,
}

#[derive(Deserialize)]
struct ProvinceTable {
    provinces: Vec<Province>,
}

#[derive(Deserialize)]
struct Province {
    code: String,
    name: String,
}

fn provinces() -> &'static BTreeMap<String, String> {
    static TABLE: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let raw = include_str!("../../assets/identity/province-codes.json");
        serde_json::from_str::<ProvinceTable>(raw)
            .map(|t| t.provinces.into_iter().map(|p| (p.code, p.name)).collect())
            .unwrap_or_default()
    })
}

/// Checks a personal ID number and returns it (digits only) with its facts.
/// Spaces, dots and dashes a clerk may type between groups are ignored.
pub fn parse_id_number(field: &str, raw: &str) -> Result<(String, IdFacts)> {
    let compact: String = text::nfc(raw)
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect();
    if compact.is_empty() {
        return Err(Error::invalid("required", field, msg::required(msg::LABEL_ID_NUMBER)));
    }
    if !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("id_not_digits", field, msg::ID_NOT_DIGITS));
    }
    if compact.len() != 12 {
        return Err(Error::invalid("id_length", field, msg::id_length(compact.len())));
    }
    let province_code = &compact[0..3];
    let Some(province_name) = provinces().get(province_code) else {
        return Err(Error::invalid("id_province", field, msg::id_province(province_code)));
    };
    let gender_century = compact.as_bytes()[3] - b'0';
    let yy = i32::from(compact.as_bytes()[4] - b'0') * 10 + i32::from(compact.as_bytes()[5] - b'0');
    // 0–1 → 1900, 2–3 → 2000, 4–5 → 2100, 6–7 → 2200, 8–9 → 2300.
    let century = 1900 + 100 * i32::from(gender_century / 2);
    let sex = if gender_century.is_multiple_of(2) {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok((
        compact.clone(),
        IdFacts {
            province_code: province_code.to_string(),
            province_name: province_name.clone(),
            sex,
            birth_year: century + yy,
        },
    ))
}

/// An ID number checked alone (no date of birth beside it, as when a
/// result is handed to someone): also refused when the birth year it
/// encodes is after `today`.
pub fn parse_id_number_on(field: &str, raw: &str, today: NaiveDate) -> Result<(String, IdFacts)> {
    let (id, facts) = parse_id_number(field, raw)?;
    if facts.birth_year > today.year() {
        return Err(Error::invalid(
            "id_birth_year_future",
            field,
            msg::id_birth_year_future(facts.birth_year),
        ));
    }
    Ok((id, facts))
}

/// Cross-checks an ID number with the date of birth and sex the clerk entered.
pub fn check_consistency(field: &str, facts: &IdFacts, date_of_birth: NaiveDate, sex: Sex) -> Result<()> {
    let mut errors = Vec::new();
    if facts.birth_year != date_of_birth.year() {
        errors.push(Error::invalid(
            "id_birth_year_mismatch",
            field,
            msg::id_birth_year(facts.birth_year, date_of_birth.year()),
        ));
    }
    if facts.sex != sex {
        errors.push(Error::invalid(
            "id_sex_mismatch",
            field,
            msg::id_sex(facts.sex.label(), sex.label()),
        ));
    }
    Error::collect(errors)
}

/// The fields of the chip ID card's QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IdCardQr {
    pub id_number: String,
    pub old_id_number: Option<String>,
    pub full_name: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub address: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub issued_on: NaiveDate,
}

/// Parses the QR string: `ID|old ID|name|ddmmyyyy|sex|address|ddmmyyyy`, or
/// the 6-field variant without the old ID. Stray spaces around fields and a
/// trailing line break (keyboard-wedge scanners send Enter) are ignored;
/// fields some card batches add after the seventh are ignored too.
pub fn parse_qr(raw: &str) -> Result<IdCardQr> {
    let normal = text::nfc(raw);
    let mut fields: Vec<&str> = normal.trim().split('|').map(str::trim).collect();
    while fields.len() > 6 && fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    let (id, old, rest) = match fields.len() {
        n if n >= 7 => (fields[0], fields[1], &fields[2..7]),
        6 => (fields[0], "", &fields[1..]),
        n => return Err(Error::invalid("id_qr_fields", "qr", msg::id_qr_fields(n))),
    };
    let (id_number, facts) = parse_id_number("id_number", id)?;
    let old_id_number = match old.chars().filter(|c| !c.is_whitespace()).collect::<String>() {
        s if s.is_empty() => None,
        s if s.chars().all(|c| c.is_ascii_digit()) && (s.len() == 9 || s.len() == 12) => Some(s),
        _ => return Err(Error::invalid("id_qr_old_id", "old_id_number", msg::ID_QR_OLD_ID)),
    };
    let full_name = text::clean_required("full_name", msg::LABEL_FULL_NAME, rest[0], Charset::Name, 100)?;
    let date_of_birth = qr_date("date_of_birth", msg::LABEL_DATE_OF_BIRTH, rest[1])?;
    let sex = Sex::parse("sex", rest[2])?;
    let address = text::clean_required("address", msg::LABEL_ADDRESS, rest[3], Charset::Line, 300)?;
    let issued_on = qr_date("issued_on", msg::LABEL_ISSUED_ON, rest[4])?;
    check_consistency("id_number", &facts, date_of_birth, sex)?;
    Ok(IdCardQr {
        id_number,
        old_id_number,
        full_name,
        date_of_birth,
        sex,
        address,
        issued_on,
    })
}

fn qr_date(field: &str, label: &str, s: &str) -> Result<NaiveDate> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("id_qr_date", field, msg::id_qr_date(label, s)));
    }
    NaiveDate::parse_from_str(&digits, "%d%m%Y")
        .map_err(|_| Error::invalid("id_qr_date", field, msg::id_qr_date(label, s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn reads_province_century_and_sex() {
        let (id, f) = parse_id_number("id", "004 090 012 345").unwrap();
        assert_eq!(id, "004090012345");
        assert_eq!(f.province_name, "Cao Bằng");
        assert_eq!(f.sex, Sex::Male);
        assert_eq!(f.birth_year, 1990);
        let (_, f) = parse_id_number("id", "001305123456").unwrap();
        assert_eq!((f.sex, f.birth_year), (Sex::Female, 2005));
    }

    #[test]
    fn every_century_digit_of_decree_137_and_a_birth_year_yet_to_come() {
        // 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s.
        for (digit, year, sex) in [
            ('0', 1925, Sex::Male),
            ('1', 1925, Sex::Female),
            ('2', 2025, Sex::Male),
            ('3', 2025, Sex::Female),
            ('4', 2125, Sex::Male),
            ('5', 2125, Sex::Female),
            ('6', 2225, Sex::Male),
            ('7', 2225, Sex::Female),
            ('8', 2325, Sex::Male),
            ('9', 2325, Sex::Female),
        ] {
            let (_, f) = parse_id_number("id", &format!("004{digit}25123456")).unwrap();
            assert_eq!((f.birth_year, f.sex), (year, sex), "digit {digit}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(parse_id_number_on("id", "004226123456", today).is_ok(), "born 2026");
        let err = parse_id_number_on("id", "004227123456", today).unwrap_err();
        assert_eq!(err.code(), "id_birth_year_future");
        assert_eq!(
            parse_id_number_on("id", "004825123456", today).unwrap_err().code(),
            "id_birth_year_future"
        );
    }

    #[test]
    fn rejects_wrong_lengths_letters_and_unknown_provinces() {
        for bad in [
            "",
            "00419001234",
            "0041900123456",
            "00419001234a",
            "003190012345",
            "999190012345",
        ] {
            assert!(parse_id_number("id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_seven_field_qr_with_spaces_and_enter() {
        let raw = " 004090012345 | 085123456 |Nông Văn Dũng|15031990|Nam|Tổ 5, phường Thục Phán, Cao Bằng|01072021\r\n";
        let q = parse_qr(raw).unwrap();
        assert_eq!(q.id_number, "004090012345");
        assert_eq!(q.old_id_number.as_deref(), Some("085123456"));
        assert_eq!(q.full_name, "Nông Văn Dũng");
        assert_eq!(q.date_of_birth, NaiveDate::from_ymd_opt(1990, 3, 15).unwrap());
        assert_eq!(q.issued_on, NaiveDate::from_ymd_opt(2021, 7, 1).unwrap());
    }

    #[test]
    fn parses_empty_old_id_and_six_fields_and_nfd() {
        let seven = "004301001234||Hoàng Thị Hường|02022001|Nữ|Xã Hòa An, Cao Bằng|10102024";
        let six = "004301001234|Hoàng Thị Hường|02022001|Nữ|Xã Hòa An, Cao Bằng|10102024";
        let nfd: String = seven.nfd().collect();
        let a = parse_qr(seven).unwrap();
        assert_eq!(a, parse_qr(six).unwrap());
        assert_eq!(a, parse_qr(&nfd).unwrap());
        assert_eq!(a.old_id_number, None);
        assert_eq!(a.sex, Sex::Female);
    }

    #[test]
    fn extra_trailing_fields_are_ignored() {
        let longer =
            "004301001234||Hoàng Thị Hường|02022001|Nữ|Xã Hòa An, Cao Bằng|10102024|Hoàng Văn Bảo|Nông Thị Mai|";
        let q = parse_qr(longer).unwrap();
        assert_eq!(q.issued_on, NaiveDate::from_ymd_opt(2024, 10, 10).unwrap());
        assert_eq!(q.address, "Xã Hòa An, Cao Bằng");
    }

    #[test]
    fn refuses_inconsistent_or_truncated_qr() {
        assert!(parse_qr("004090012345|Nông Văn Dũng|15031991|Nam|Cao Bằng|01072021").is_err());
        assert!(parse_qr("004090012345|Nông Văn Dũng|15031990|Nữ|Cao Bằng|01072021").is_err());
        assert!(parse_qr("004090012345|Nông Văn Dũng|15031990").is_err());
        assert!(parse_qr("004090012345||Nông Văn Dũng|1503199|Nam|Cao Bằng|01072021").is_err());
    }
}
