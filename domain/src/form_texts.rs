//! The words printed on the forms, as data in three layers: the set shipped
//! with the program (`assets/forms/*.json`), then the province's set
//! (published on the hub with `motcua-hub forms publish FILE`, versioned and
//! pulled by every counter), then the office's own overrides (`motcua forms
//! set FILE`). A text missing from a layer comes from the one beneath, so a
//! new circular changes a file, not the code.
//!
//! A set is `{"label": "…", "forms": {"receipt": {"title": "…"}, …}}`. It
//! is refused whole, with the reason, when it is not JSON, names a form or a
//! text the program does not print, gives anything but non-empty text, or
//! uses a `{placeholder}` the shipped text does not fill (it would print
//! literally). A refused set never replaces the one in use.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text;

/// Texts by form, then by key.
pub type Sheets = BTreeMap<String, BTreeMap<String, String>>;

/// The shipped files: the parts every form shares, each form, the
/// registers.
const SHIPPED: [(&str, &str); 10] = [
    ("common", include_str!("../../assets/forms/common.json")),
    ("receipt", include_str!("../../assets/forms/receipt.json")),
    ("supplement", include_str!("../../assets/forms/supplement.json")),
    ("refusal", include_str!("../../assets/forms/refusal.json")),
    ("extension", include_str!("../../assets/forms/extension.json")),
    ("stop", include_str!("../../assets/forms/stop.json")),
    ("control", include_str!("../../assets/forms/control.json")),
    ("return", include_str!("../../assets/forms/return.json")),
    ("book", include_str!("../../assets/forms/book.json")),
    ("report", include_str!("../../assets/forms/report.json")),
];

/// The longest text a set may give (a paragraph of a form).
const MAX_TEXT: usize = 2000;

/// One layer of texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSet {
    pub label: String,
    pub forms: Sheets,
}

/// The shipped texts (only string entries count: `form` and `basis` say
/// what each file is). Read once: every print and preview lays layers over them.
pub fn shipped() -> Result<&'static Sheets> {
    static SHIPPED_SHEETS: std::sync::OnceLock<Result<Sheets>> = std::sync::OnceLock::new();
    SHIPPED_SHEETS.get_or_init(read_shipped).as_ref().map_err(Clone::clone)
}

fn read_shipped() -> Result<Sheets> {
    let mut sheets = Sheets::new();
    for (name, raw) in SHIPPED {
        let entries: BTreeMap<String, serde_json::Value> = serde_json::from_str(raw)
            .map_err(|e| Error::invalid("form_texts", name, msg::form_texts_broken(name, &e.to_string())))?;
        sheets.insert(
            name.to_string(),
            entries
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
        );
    }
    Ok(sheets)
}

/// The `{name}` placeholders a text uses.
fn placeholders(s: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.insert(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// Reads and checks a province's or an office's set against the shipped one.
pub fn parse_set(source: &str) -> Result<TextSet> {
    let set: TextSet = serde_json::from_str(source)
        .map_err(|e| Error::invalid("form_texts_invalid", "forms", msg::form_set_syntax(&e.to_string())))?;
    let base = shipped()?;
    let mut problems = Vec::new();
    let mut forms = Sheets::new();
    for (form, entries) in &set.forms {
        let Some(shipped_form) = base.get(form) else {
            problems.push(msg::form_set_unknown_form(form));
            continue;
        };
        let mut clean = BTreeMap::new();
        for (key, value) in entries {
            let Some(shipped_text) = shipped_form.get(key) else {
                problems.push(msg::form_set_unknown_key(form, key));
                continue;
            };
            let value = text::nfc(value.trim());
            if value.is_empty()
                || value.chars().count() > MAX_TEXT
                || value.chars().any(|c| c.is_control() && c != '\n')
            {
                problems.push(msg::form_set_bad_text(form, key, MAX_TEXT));
                continue;
            }
            let allowed = placeholders(shipped_text);
            if let Some(unknown) = placeholders(&value).into_iter().find(|p| !allowed.contains(p)) {
                problems.push(msg::form_set_unknown_placeholder(form, key, unknown));
                continue;
            }
            clean.insert(key.clone(), value);
        }
        forms.insert(form.clone(), clean);
    }
    let label = text::nfc(set.label.trim());
    if label.is_empty() {
        problems.push(msg::FORM_SET_NO_LABEL.to_string());
    }
    if !problems.is_empty() {
        return Err(Error::invalid(
            "form_texts_invalid",
            "forms",
            msg::form_set_refused(&problems),
        ));
    }
    Ok(TextSet { label, forms })
}

/// The shipped texts with each layer laid over them, lowest first.
pub fn layered(layers: &[&TextSet]) -> Result<Sheets> {
    let mut sheets = shipped()?.clone();
    for layer in layers {
        for (form, entries) in &layer.forms {
            sheets.entry(form.clone()).or_default().extend(entries.clone());
        }
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_form_has_texts_and_a_set_overrides_only_what_it_names() {
        let base = shipped().unwrap();
        assert_eq!(base.len(), SHIPPED.len());
        assert_eq!(base["receipt"]["title"], "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
        let province = parse_set(
            r#"{"label": "Cao Bằng 2026", "forms": {"receipt": {"title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ (MẪU TỈNH)"}}}"#,
        )
        .unwrap();
        let office =
            parse_set(r#"{"label": "Xã Hòa An", "forms": {"receipt": {"intro": "{office} đã nhận hồ sơ của:"}}}"#)
                .unwrap();
        let all = layered(&[&province, &office]).unwrap();
        assert!(all["receipt"]["title"].ends_with("(MẪU TỈNH)"));
        assert_eq!(all["receipt"]["intro"], "{office} đã nhận hồ sơ của:");
        assert_eq!(
            all["receipt"]["item1"], base["receipt"]["item1"],
            "untouched texts stay"
        );
    }

    #[test]
    fn a_broken_set_is_refused_with_every_reason() {
        assert_eq!(parse_set("{").unwrap_err().code(), "form_texts_invalid");
        let err = parse_set(
            r#"{"label": "x", "forms": {
                "receipt": {"titel": "A", "intro": "{ofice} nhận:", "note": ""},
                "fax": {"title": "B"}}}"#,
        )
        .unwrap_err();
        let text = err.to_string();
        for needle in ["titel", "{ofice}", "note", "fax"] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }
}
