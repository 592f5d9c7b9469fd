//! The reception form: raw input as the clerk (or a JSON file) gives it, and
//! its validation into clean, NFC-normalised values. Every problem is
//! reported at once, each naming its field.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Applicant, Channel, SubmittedDocument};
use crate::catalog::{DocumentForm, Fee, FeeCount, MAX_FEE};
use crate::citizen_id::{self, Sex};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text::{self, Charset};
use crate::vntime;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ApplicantInput {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub id_number: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: String,
    /// "Nam" or "Nữ"
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DocumentInput {
    #[serde(default)]
    pub name: String,
    /// original | copy | certified_copy | present
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FeeInput {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReceptionInput {
    #[serde(default)]
    pub procedure_code: String,
    #[serde(default)]
    pub applicant: ApplicantInput,
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
    #[serde(default = "one")]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sets: i64,
    /// counter | post
    #[serde(default = "counter_channel")]
    pub channel: String,
    #[serde(default)]
    pub note: Option<String>,
    /// Fees collected; when absent, the procedure's catalog fees.
    #[serde(default)]
    pub fees: Option<Vec<FeeInput>>,
    /// What per-copy and per-page fees are counted on: each item so many
    /// copies of a document of so many pages.
    #[serde(default)]
    pub fee_counts: Vec<FeeCountInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FeeCountInput {
    #[serde(default = "one")]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub copies: i64,
    #[serde(default = "one")]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pages: i64,
}

fn one() -> i64 {
    1
}

fn counter_channel() -> String {
    "counter".to_string()
}

/// A reception that passed validation; only the procedure lookup and the
/// code are left to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidReception {
    pub procedure_code: String,
    pub applicant: Applicant,
    pub documents: Vec<SubmittedDocument>,
    pub sets: u32,
    pub channel: Channel,
    pub note: Option<String>,
    pub fees: Option<Vec<Fee>>,
    pub fee_counts: Vec<FeeCount>,
}

impl ReceptionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidReception> {
        let mut errors: Vec<Error> = Vec::new();
        let mut check = |r: Result<String>| -> String {
            r.unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let procedure_code = self.procedure_code.trim().to_string();
        let a = &self.applicant;
        let full_name = check(text::clean_required(
            "applicant.full_name",
            msg::LABEL_FULL_NAME,
            &a.full_name,
            Charset::Name,
            100,
        ));
        let address = check(text::clean_required(
            "applicant.address",
            msg::LABEL_ADDRESS,
            &a.address,
            Charset::Line,
            300,
        ));
        let note_raw = check(text::clean(
            "note",
            msg::LABEL_NOTE,
            self.note.as_deref().unwrap_or(""),
            Charset::Multiline,
            1000,
        ));
        if procedure_code.is_empty() {
            errors.push(Error::invalid("required", "procedure_code", msg::PROCEDURE_MISSING));
        }
        let id = citizen_id::parse_id_number("applicant.id_number", &a.id_number)
            .map_err(|e| errors.push(e))
            .ok();
        let dob = if a.date_of_birth.trim().is_empty() {
            errors.push(Error::invalid(
                "required",
                "applicant.date_of_birth",
                msg::required(msg::LABEL_DATE_OF_BIRTH),
            ));
            None
        } else {
            match vntime::parse_date("applicant.date_of_birth", msg::LABEL_DATE_OF_BIRTH, &a.date_of_birth) {
                Ok(d) if d > today || today.year() - d.year() > 130 => {
                    errors.push(Error::invalid(
                        "bad_date_of_birth",
                        "applicant.date_of_birth",
                        msg::dob_range(&a.date_of_birth),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
        let sex = if a.sex.trim().is_empty() {
            errors.push(Error::invalid(
                "required",
                "applicant.sex",
                msg::required(msg::LABEL_SEX),
            ));
            None
        } else {
            Sex::parse("applicant.sex", &a.sex).map_err(|e| errors.push(e)).ok()
        };
        if let (Some((_, facts)), Some(dob), Some(sex)) = (&id, dob, sex) {
            if let Err(e) = citizen_id::check_consistency("applicant.id_number", facts, dob, sex) {
                errors.extend(match e {
                    Error::InvalidMany(v) => v,
                    other => vec![other],
                });
            }
        }
        let phone = optional_phone("applicant.phone", a.phone.as_deref(), &mut errors);
        let email = optional_email("applicant.email", a.email.as_deref(), &mut errors);
        let documents = validate_documents(&self.documents, &mut errors);
        if !(1..=20).contains(&self.sets) {
            errors.push(Error::invalid("bad_sets", "sets", msg::sets_range(self.sets)));
        }
        let channel = match self.channel.trim() {
            "counter" | "" => Some(Channel::Counter),
            "post" => Some(Channel::Post),
            other => {
                errors.push(Error::invalid("bad_channel", "channel", msg::channel_value(other)));
                None
            }
        };
        let fees = match &self.fees {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for (i, f) in list.iter().enumerate() {
                    let name = text::clean_required(
                        &format!("fees.{i}.name"),
                        msg::LABEL_FEE_NAME,
                        &f.name,
                        Charset::Line,
                        200,
                    );
                    if !(0..=MAX_FEE).contains(&f.amount) {
                        errors.push(Error::invalid(
                            "bad_fee",
                            format!("fees.{i}.amount"),
                            msg::fee_amount(i + 1),
                        ));
                    }
                    match name {
                        Ok(name) => out.push(Fee::entered(name, f.amount)),
                        Err(e) => errors.push(e),
                    }
                }
                Some(out)
            }
        };
        let mut fee_counts = Vec::new();
        for (i, c) in self.fee_counts.iter().enumerate() {
            match (u32::try_from(c.copies), u32::try_from(c.pages)) {
                (Ok(copies @ 1..=999), Ok(pages @ 1..=9999)) => fee_counts.push(FeeCount { copies, pages }),
                _ => errors.push(Error::invalid(
                    "bad_fee_count",
                    format!("fee_counts.{i}"),
                    msg::fee_count_range(i + 1),
                )),
            }
        }
        Error::collect(errors)?;
        match (id, dob, sex, channel) {
            (Some((id_number, _)), Some(date_of_birth), Some(sex), Some(channel)) => Ok(ValidReception {
                procedure_code,
                applicant: Applicant {
                    full_name,
                    id_number,
                    date_of_birth,
                    sex,
                    phone,
                    email,
                    address,
                },
                documents,
                sets: u32::try_from(self.sets).unwrap_or(1),
                channel,
                note: (!note_raw.is_empty()).then_some(note_raw),
                fees,
                fee_counts,
            }),
            _ => Err(Error::invalid(
                "invalid_input",
                "applicant",
                msg::required(msg::LABEL_FULL_NAME),
            )),
        }
    }
}

/// Validates a list of documents (at least one), pushing one error per bad
/// field, and returns the good ones cleaned.
pub fn validate_documents(input: &[DocumentInput], errors: &mut Vec<Error>) -> Vec<SubmittedDocument> {
    let mut documents = Vec::new();
    if input.is_empty() {
        errors.push(Error::invalid("no_documents", "documents", msg::NO_DOCUMENTS));
    }
    for (i, d) in input.iter().enumerate() {
        let field = format!("documents.{i}");
        let name = text::clean_required(
            &format!("{field}.name"),
            msg::LABEL_DOCUMENT_NAME,
            &d.name,
            Charset::Line,
            300,
        );
        let form = DocumentForm::parse(&format!("{field}.form"), &d.form);
        if !(1..=99).contains(&d.count) {
            errors.push(Error::invalid(
                "bad_count",
                format!("{field}.count"),
                msg::document_count(i + 1, d.count),
            ));
        }
        match (name, form) {
            (Ok(name), Ok(form)) => documents.push(SubmittedDocument {
                name,
                form,
                count: u32::try_from(d.count.clamp(1, 99)).unwrap_or(1),
            }),
            (n, f) => errors.extend(n.err().into_iter().chain(f.err())),
        }
    }
    documents
}

/// An optional text field, cleaned; `None` when blank.
pub fn optional_line(
    field: &str,
    label: &str,
    raw: Option<&str>,
    max: usize,
    errors: &mut Vec<Error>,
) -> Option<String> {
    match text::clean(field, label, raw.unwrap_or(""), Charset::Line, max) {
        Ok(s) if s.is_empty() => None,
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// An optional phone number in national form; an error naming `field`
/// when it is not a Vietnamese number.
pub fn optional_phone(field: &str, raw: Option<&str>, errors: &mut Vec<Error>) -> Option<String> {
    let raw = optional_line(field, msg::LABEL_PHONE, raw, 20, errors)?;
    let phone = normalise_phone(&raw);
    if phone.is_none() {
        errors.push(Error::invalid("bad_phone", field, msg::phone_format(&raw)));
    }
    phone
}

/// An optional e-mail address, lower-cased; an error naming `field` when
/// it cannot be one.
pub fn optional_email(field: &str, raw: Option<&str>, errors: &mut Vec<Error>) -> Option<String> {
    let raw = optional_line(field, msg::LABEL_EMAIL, raw, 254, errors)?;
    if is_plausible_email(&raw) {
        Some(raw.to_lowercase())
    } else {
        errors.push(Error::invalid("bad_email", field, msg::email_format(&raw)));
        None
    }
}

/// Vietnamese phone numbers: mobiles `0[35789]` + 8 digits, landlines
/// `02` + 9 digits; `+84`/`84` prefixes, spaces, dots and dashes accepted.
/// Returns the national form (`0912345678`).
pub fn normalise_phone(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{}", rest.trim_start_matches('0'))
    } else if compact.starts_with("84") && compact.len() == 11 {
        format!("0{}", &compact[2..])
    } else {
        compact
    };
    if !national.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mobile = national.len() == 10 && matches!(&national[..2], "03" | "05" | "07" | "08" | "09");
    let landline = national.len() == 11 && national.starts_with("02");
    (mobile || landline).then_some(national)
}

fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && s.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(normalise_phone("0912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalise_phone("+84 912.345.678").as_deref(), Some("0912345678"));
        assert_eq!(normalise_phone("84912345678").as_deref(), Some("0912345678"));
        assert_eq!(normalise_phone("0206 3852 123").as_deref(), Some("02063852123"));
        assert_eq!(normalise_phone("0112345678"), None);
        assert_eq!(normalise_phone("091234567"), None);
        assert_eq!(normalise_phone("09123456789"), None);
    }
}
