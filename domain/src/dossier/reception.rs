//! The reception form: raw input as the clerk (or a JSON file) gives it, and
//! its validation into clean, NFC-normalised values. Every problem is
//! reported at once, each naming its field.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Applicant, ApplicantKind, Channel, Representative, ResultDelivery, SubmittedDocument, Submitter};
use crate::catalog::{DocumentForm, Fee, FeeCount, MAX_FEE};
use crate::citizen_id::{self, Sex};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text::{self, Charset};
use crate::vntime;

/// The applicant as typed. `kind` picks the fields that count:
/// `citizen` (the default): full_name, id_number, date_of_birth, sex;
/// `organisation`: name, tax_code, representative; `foreigner`: full_name,
/// passport_number, nationality, date_of_birth, sex. Address, phone and
/// e-mail for all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ApplicantInput {
    /// citizen | organisation | foreigner
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub kind: Option<String>,
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
    /// An organisation's name.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    /// An organisation's tax code: 10 digits, or 10 + "-" + 3 for a branch.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tax_code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub representative: Option<RepresentativeInput>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub passport_number: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RepresentativeInput {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub position: Option<String>,
}

/// Someone filing for the applicant.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SubmitterInput {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// "Người được ủy quyền", …
    #[serde(default)]
    pub relation: String,
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
    /// When someone else hands the dossier in for the applicant.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub submitter: Option<SubmitterInput>,
    /// counter (default) | post | online: where the result goes, whatever
    /// the channel the dossier came by.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub result_delivery: Option<String>,
    /// For a result by post; the applicant's address when blank.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub delivery_address: Option<String>,
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
    pub submitter: Option<Submitter>,
    pub result_delivery: ResultDelivery,
    pub delivery_address: Option<String>,
}

impl ReceptionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidReception> {
        let mut errors: Vec<Error> = Vec::new();
        let procedure_code = self.procedure_code.trim().to_string();
        let note = text::clean(
            "note",
            msg::LABEL_NOTE,
            self.note.as_deref().unwrap_or(""),
            Charset::Multiline,
            1000,
        )
        .map_err(|e| errors.push(e))
        .ok()
        .filter(|n| !n.is_empty());
        if procedure_code.is_empty() {
            errors.push(Error::invalid("required", "procedure_code", msg::PROCEDURE_MISSING));
        }
        let applicant = validate_applicant(&self.applicant, today, &mut errors);
        let submitter = self
            .submitter
            .as_ref()
            .filter(|s| !(s.full_name.trim().is_empty() && s.id_number.trim().is_empty()))
            .and_then(|s| validate_submitter(s, today, &mut errors));
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
        let result_delivery = match self.result_delivery.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("counter") => Some(ResultDelivery::Counter),
            Some("post") => Some(ResultDelivery::Post),
            Some("online") => Some(ResultDelivery::Online),
            Some(other) => {
                errors.push(Error::invalid(
                    "bad_result_delivery",
                    "result_delivery",
                    msg::result_delivery_value(other),
                ));
                None
            }
        };
        let delivery_address = optional_line(
            "delivery_address",
            msg::LABEL_DELIVERY_ADDRESS,
            self.delivery_address.as_deref(),
            300,
            &mut errors,
        );
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
        match (applicant, channel) {
            (Some(applicant), Some(channel)) => {
                // Not asked: by post when the dossier came by post.
                let result_delivery = result_delivery.unwrap_or(match channel {
                    Channel::Post => ResultDelivery::Post,
                    _ => ResultDelivery::Counter,
                });
                let delivery_address = match result_delivery {
                    ResultDelivery::Post => delivery_address.or_else(|| Some(applicant.address.clone())),
                    _ => None,
                };
                Ok(ValidReception {
                    procedure_code,
                    applicant,
                    documents,
                    sets: u32::try_from(self.sets).unwrap_or(1),
                    channel,
                    note,
                    fees,
                    fee_counts,
                    submitter,
                    result_delivery,
                    delivery_address,
                })
            }
            _ => Err(Error::invalid(
                "invalid_input",
                "applicant",
                msg::required(msg::LABEL_FULL_NAME),
            )),
        }
    }
}

/// A date of birth: required, not in the future, not more than 130 years back.
fn date_of_birth(field: &str, raw: &str, today: NaiveDate, errors: &mut Vec<Error>) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        errors.push(Error::invalid(
            "required",
            field,
            msg::required(msg::LABEL_DATE_OF_BIRTH),
        ));
        return None;
    }
    match vntime::parse_date(field, msg::LABEL_DATE_OF_BIRTH, raw) {
        Ok(d) if d > today || today.year() - d.year() > 130 => {
            errors.push(Error::invalid("bad_date_of_birth", field, msg::dob_range(raw)));
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn sex(field: &str, raw: &str, errors: &mut Vec<Error>) -> Option<Sex> {
    if raw.trim().is_empty() {
        errors.push(Error::invalid("required", field, msg::required(msg::LABEL_SEX)));
        return None;
    }
    Sex::parse(field, raw).map_err(|e| errors.push(e)).ok()
}

fn required(field: &str, label: &str, raw: &str, charset: Charset, max: usize, errors: &mut Vec<Error>) -> String {
    text::clean_required(field, label, raw, charset, max).unwrap_or_else(|e| {
        errors.push(e);
        String::new()
    })
}

/// Tax codes (mã số thuế): 10 digits, or 10 digits, a dash and 3 for a
/// dependent unit (Thông tư 105/2020/TT-BTC, Điều 5). Spaces are dropped.
pub fn normalise_tax_code(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let ok = match compact.split_once('-') {
        None => digits(&compact, 10),
        Some((head, branch)) => digits(head, 10) && digits(branch, 3),
    };
    ok.then_some(compact)
}

/// Passport numbers: 6–20 letters and digits (ICAO 9303 allows up to 9 in
/// the machine-readable zone; national books differ), upper-cased.
pub fn normalise_passport(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    ((6..=20).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric())).then_some(compact)
}

/// How an identifying number is read: its normaliser, and the error code
/// and message when it cannot be one.
type IdentifierRule = (fn(&str) -> Option<String>, &'static str, fn(&str) -> String);

/// A required identifying number (tax code, passport number) in its
/// normal form; blank or malformed pushes an error naming the field.
fn identifier(field: &str, label: &str, raw: Option<&str>, rule: IdentifierRule, errors: &mut Vec<Error>) -> String {
    let (normalise, code, message) = rule;
    let raw = raw.unwrap_or("");
    match normalise(raw) {
        Some(v) => v,
        None => {
            errors.push(if raw.trim().is_empty() {
                Error::invalid("required", field, msg::required(label))
            } else {
                Error::invalid(code, field, message(raw))
            });
            String::new()
        }
    }
}

/// The applicant of any kind, every problem pushed with its field.
fn validate_applicant(a: &ApplicantInput, today: NaiveDate, errors: &mut Vec<Error>) -> Option<Applicant> {
    let kind = match a.kind.as_deref().map(str::trim) {
        None | Some("") | Some("citizen") => ApplicantKind::Citizen,
        Some("organisation") => ApplicantKind::Organisation,
        Some("foreigner") => ApplicantKind::Foreigner,
        Some(other) => {
            errors.push(Error::invalid(
                "bad_applicant_kind",
                "applicant.kind",
                msg::applicant_kind_value(other),
            ));
            return None;
        }
    };
    let before = errors.len();
    let address = required(
        "applicant.address",
        msg::LABEL_ADDRESS,
        &a.address,
        Charset::Line,
        300,
        errors,
    );
    let phone = optional_phone("applicant.phone", a.phone.as_deref(), errors);
    let email = optional_email("applicant.email", a.email.as_deref(), errors);
    let mut applicant = Applicant {
        kind,
        full_name: String::new(),
        id_number: String::new(),
        date_of_birth: None,
        sex: None,
        phone,
        email,
        address,
        nationality: None,
        representative: None,
    };
    match kind {
        ApplicantKind::Citizen => {
            applicant.full_name = required(
                "applicant.full_name",
                msg::LABEL_FULL_NAME,
                &a.full_name,
                Charset::Name,
                100,
                errors,
            );
            let id = citizen_id::parse_id_number("applicant.id_number", &a.id_number)
                .map_err(|e| errors.push(e))
                .ok();
            let dob = date_of_birth("applicant.date_of_birth", &a.date_of_birth, today, errors);
            let sex = sex("applicant.sex", &a.sex, errors);
            if let (Some((_, facts)), Some(dob), Some(sex)) = (&id, dob, sex) {
                if let Err(e) = citizen_id::check_consistency("applicant.id_number", facts, dob, sex) {
                    errors.extend(match e {
                        Error::InvalidMany(v) => v,
                        other => vec![other],
                    });
                }
            }
            applicant.id_number = id.map(|(id, _)| id).unwrap_or_default();
            (applicant.date_of_birth, applicant.sex) = (dob, sex);
        }
        ApplicantKind::Organisation => {
            applicant.full_name = required(
                "applicant.name",
                msg::LABEL_ORGANISATION_NAME,
                a.name.as_deref().unwrap_or(""),
                Charset::Line,
                300,
                errors,
            );
            applicant.id_number = identifier(
                "applicant.tax_code",
                msg::LABEL_TAX_CODE,
                a.tax_code.as_deref(),
                (normalise_tax_code, "bad_tax_code", msg::tax_code_format),
                errors,
            );
            let r = a.representative.clone().unwrap_or_default();
            let full_name = required(
                "applicant.representative.full_name",
                msg::LABEL_REPRESENTATIVE,
                &r.full_name,
                Charset::Name,
                100,
                errors,
            );
            let id_number = match r.id_number.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(raw) => citizen_id::parse_id_number_on("applicant.representative.id_number", raw, today)
                    .map(|(id, _)| id)
                    .map_err(|e| errors.push(e))
                    .ok(),
            };
            let position = optional_line(
                "applicant.representative.position",
                msg::LABEL_POSITION,
                r.position.as_deref(),
                100,
                errors,
            );
            applicant.representative = Some(Representative {
                full_name,
                id_number,
                position,
            });
        }
        ApplicantKind::Foreigner => {
            applicant.full_name = required(
                "applicant.full_name",
                msg::LABEL_FULL_NAME,
                &a.full_name,
                Charset::Name,
                100,
                errors,
            );
            applicant.id_number = identifier(
                "applicant.passport_number",
                msg::LABEL_PASSPORT,
                a.passport_number.as_deref(),
                (normalise_passport, "bad_passport", msg::passport_format),
                errors,
            );
            applicant.nationality = Some(required(
                "applicant.nationality",
                msg::LABEL_NATIONALITY,
                a.nationality.as_deref().unwrap_or(""),
                Charset::Line,
                100,
                errors,
            ));
            applicant.date_of_birth = date_of_birth("applicant.date_of_birth", &a.date_of_birth, today, errors);
            applicant.sex = sex("applicant.sex", &a.sex, errors);
        }
    }
    (errors.len() == before).then_some(applicant)
}

/// The person handing the dossier in for the applicant: name, a 12-digit
/// ID number (checked alone), phone, and how they stand to the applicant.
fn validate_submitter(s: &SubmitterInput, today: NaiveDate, errors: &mut Vec<Error>) -> Option<Submitter> {
    let before = errors.len();
    let full_name = required(
        "submitter.full_name",
        msg::LABEL_SUBMITTER_NAME,
        &s.full_name,
        Charset::Name,
        100,
        errors,
    );
    let id_number = citizen_id::parse_id_number_on("submitter.id_number", &s.id_number, today)
        .map(|(id, _)| id)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let phone = optional_phone("submitter.phone", s.phone.as_deref(), errors);
    let relation = required(
        "submitter.relation",
        msg::LABEL_RELATION,
        &s.relation,
        Charset::Line,
        100,
        errors,
    );
    (errors.len() == before).then_some(Submitter {
        full_name,
        id_number,
        phone,
        relation,
    })
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
