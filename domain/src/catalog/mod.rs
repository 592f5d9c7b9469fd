//! The procedure catalog (danh mục TTHC): data, versioned, validated on
//! import with errors that name the line of the file.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::calendar::TimeRule;
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DocumentForm {
    Original,
    Copy,
    CertifiedCopy,
    Present,
}

impl DocumentForm {
    pub fn label(self) -> &'static str {
        match self {
            DocumentForm::Original => "Bản chính",
            DocumentForm::Copy => "Bản sao",
            DocumentForm::CertifiedCopy => "Bản sao chứng thực",
            DocumentForm::Present => "Xuất trình",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<DocumentForm> {
        match s.trim() {
            "original" => Ok(DocumentForm::Original),
            "copy" => Ok(DocumentForm::Copy),
            "certified_copy" => Ok(DocumentForm::CertifiedCopy),
            "present" => Ok(DocumentForm::Present),
            other => Err(Error::invalid("bad_document_form", field, msg::document_form(other))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RequiredDocument {
    pub name: String,
    pub form: DocumentForm,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Fee {
    pub name: String,
    /// Đồng. 0 for an exemption; the note says how it is computed when it varies.
    pub amount: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub field: String,
    #[serde(default = "default_level")]
    pub level: String,
    #[serde(default)]
    pub deciding_body: String,
    /// Bodies whose opinion or part the deciding body needs (cơ quan phối
    /// hợp), printed on the control slip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinating_bodies: Vec<String>,
    pub time: TimeRule,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub documents: Vec<RequiredDocument>,
    #[serde(default)]
    pub result: String,
    /// False where the time or fee has not been checked against the
    /// province's published decision.
    #[serde(default)]
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn default_level() -> String {
    "commune".to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogMeta {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub source: String,
}

/// A catalog as stored: one version of the whole list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CatalogVersion {
    pub id: i64,
    pub label: String,
    pub source: String,
    pub imported_at: String,
    pub procedure_count: i64,
}

#[derive(Debug, Clone)]
pub struct CatalogFile {
    pub meta: CatalogMeta,
    pub procedures: Vec<Procedure>,
}

#[derive(Deserialize)]
struct RawCatalog<'a> {
    catalog: CatalogMeta,
    #[serde(borrow)]
    procedures: Vec<&'a RawValue>,
}

/// The catalog shipped in `assets/catalog/default.json`.
pub fn bundled() -> Result<CatalogFile> {
    parse(include_str!("../../../assets/catalog/default.json"))
}

/// Parses and validates a catalog file. Every problem is reported with the
/// line where its procedure starts; nothing is accepted if any entry is bad.
pub fn parse(source: &str) -> Result<CatalogFile> {
    let raw: RawCatalog = serde_json::from_str(source).map_err(|e| {
        Error::invalid(
            "catalog_syntax",
            "catalog",
            msg::catalog_json(e.line(), e.column(), &e.to_string()),
        )
    })?;
    if raw.procedures.is_empty() {
        return Err(Error::invalid("catalog_empty", "catalog", msg::CATALOG_EMPTY));
    }
    let mut errors = Vec::new();
    let mut procedures: Vec<Procedure> = Vec::new();
    for entry in raw.procedures {
        let line = line_of(source, entry.get());
        let code_hint = serde_json::from_str::<serde_json::Value>(entry.get())
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_string))
            .unwrap_or_default();
        let fail = |detail: &str| {
            Error::invalid(
                "catalog_entry",
                format!("line {line}"),
                msg::catalog_entry(line, &code_hint, detail),
            )
        };
        match serde_json::from_str::<Procedure>(entry.get()) {
            Err(e) => errors.push(fail(&e.to_string())),
            Ok(p) => match normalise_procedure(p) {
                Err(detail) => errors.push(fail(&detail)),
                Ok(p) if procedures.iter().any(|q| q.code == p.code) => {
                    errors.push(fail(&msg::catalog_duplicate(&p.code)))
                }
                Ok(p) => procedures.push(p),
            },
        }
    }
    Error::collect(errors)?;
    Ok(CatalogFile {
        meta: CatalogMeta {
            id: text::nfc(raw.catalog.id.trim()),
            label: text::nfc(raw.catalog.label.trim()),
            source: text::nfc(raw.catalog.source.trim()),
        },
        procedures,
    })
}

/// Line number (1-based) of a slice borrowed from `source`.
fn line_of(source: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(source.as_ptr() as usize);
    source.get(..offset).map(|s| s.matches('\n').count() + 1).unwrap_or(0)
}

/// Valid national codes look like `1.001193`; provincial variants append an
/// agency identifier: `2.000815.000.00.00.H55`.
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.splitn(3, '.');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return false;
    };
    let national =
        a.len() == 1 && a.chars().all(|c| c.is_ascii_digit()) && b.len() == 6 && b.chars().all(|c| c.is_ascii_digit());
    national && parts.next().is_none_or(crate::office::is_valid_agency_code)
}

fn normalise_procedure(p: Procedure) -> std::result::Result<Procedure, String> {
    let code = p.code.trim().to_string();
    if !is_valid_code(&code) {
        return Err(msg::catalog_code_format(&code));
    }
    let name = text::nfc(p.name.trim());
    if name.is_empty() {
        return Err(msg::CATALOG_NAME.to_string());
    }
    let field = text::nfc(p.field.trim());
    if field.is_empty() {
        return Err(msg::CATALOG_FIELD.to_string());
    }
    let time_ok = match p.time {
        TimeRule::WorkingDays(n) | TimeRule::CalendarDays(n) => n <= 365,
        TimeRule::Hours(n) => n <= 365 * 8,
        TimeRule::SameDay => true,
    };
    if !time_ok {
        return Err(msg::CATALOG_TIME.to_string());
    }
    let documents: Vec<RequiredDocument> = p
        .documents
        .into_iter()
        .map(|d| RequiredDocument {
            name: text::nfc(d.name.trim()),
            ..d
        })
        .collect();
    if documents
        .iter()
        .any(|d| d.name.is_empty() || d.count == 0 || d.count > 99)
    {
        return Err(msg::CATALOG_DOCS.to_string());
    }
    let fees: Vec<Fee> = p
        .fees
        .into_iter()
        .map(|f| Fee {
            name: text::nfc(f.name.trim()),
            note: f.note.map(|n| text::nfc(n.trim())),
            ..f
        })
        .collect();
    if fees.iter().any(|f| f.name.is_empty() || f.amount < 0) {
        return Err(msg::CATALOG_FEES.to_string());
    }
    Ok(Procedure {
        code,
        name,
        field,
        level: text::nfc(p.level.trim()),
        deciding_body: text::nfc(p.deciding_body.trim()),
        coordinating_bodies: p
            .coordinating_bodies
            .iter()
            .map(|b| text::nfc(b.trim()))
            .filter(|b| !b.is_empty())
            .collect(),
        time: p.time,
        fees,
        documents,
        result: text::nfc(p.result.trim()),
        verified: p.verified,
        note: p.note.map(|n| text::nfc(n.trim())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_has_at_least_25_valid_procedures() {
        let c = bundled().unwrap();
        assert!(c.procedures.len() >= 25, "{}", c.procedures.len());
        let birth = c.procedures.iter().find(|p| p.code == "1.001193").unwrap();
        assert_eq!(birth.time, TimeRule::SameDay);
        assert!(birth.verified);
    }

    #[test]
    fn codes() {
        assert!(is_valid_code("1.001193"));
        assert!(is_valid_code("2.000815.000.00.00.H55"));
        assert!(!is_valid_code("1.00119"));
        assert!(!is_valid_code("x.001193"));
        assert!(!is_valid_code("2.000815.H55"));
    }

    #[test]
    fn errors_name_the_line_of_each_bad_entry() {
        let src = r#"{"catalog": {"id": "t", "label": "t"},
"procedures": [
  {"code": "1.001193", "name": "Khai sinh", "field": "Hộ tịch", "time": {"unit": "same_day"}},
  {"code": "1.00", "name": "X", "field": "Y", "time": {"unit": "same_day"}},
  {"code": "1.000894", "name": "", "field": "Hộ tịch", "time": {"unit": "working_days", "value": 3}}
]}"#;
        let err = parse(src).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Dòng 4"), "{text}");
        assert!(text.contains("Dòng 5"), "{text}");
        assert_eq!(err.fields().len(), 2);
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse("{\"catalog\": {\"id\": \"t\",\n \"label\": }").unwrap_err();
        assert_eq!(err.code(), "catalog_syntax");
        assert!(err.to_string().contains("dòng 2"));
    }
}
