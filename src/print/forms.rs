//! Form texts are data (`assets/forms/*.json`), so a new circular's wording
//! changes a file, not the code. `{name}` placeholders are filled at print time.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

pub struct FormTexts {
    texts: BTreeMap<String, String>,
}

impl FormTexts {
    pub fn parse(name: &str, raw: &str) -> Result<FormTexts> {
        let texts: BTreeMap<String, serde_json::Value> = serde_json::from_str(raw).map_err(|e| Error::Print {
            code: "form_texts",
            message: crate::messages::form_texts_broken(name, &e.to_string()),
        })?;
        Ok(FormTexts {
            texts: texts
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
        })
    }

    /// The texts of one form, with the common ones (quốc hiệu, labels)
    /// beneath them.
    pub fn load(form: super::Form) -> Result<FormTexts> {
        use super::Form::*;
        let own = match form {
            Receipt => include_str!("../../assets/forms/receipt.json"),
            Supplement => include_str!("../../assets/forms/supplement.json"),
            Refusal => include_str!("../../assets/forms/refusal.json"),
            Extension => include_str!("../../assets/forms/extension.json"),
            Stop => include_str!("../../assets/forms/stop.json"),
            Control => include_str!("../../assets/forms/control.json"),
            Return => include_str!("../../assets/forms/return.json"),
        };
        let mut texts = FormTexts::parse("common", include_str!("../../assets/forms/common.json"))?.texts;
        texts.extend(FormTexts::parse(form.key(), own)?.texts);
        Ok(FormTexts { texts })
    }

    /// The text under `key` (the key itself when missing, so a gap shows on paper).
    pub fn get(&self, key: &str) -> String {
        self.texts.get(key).cloned().unwrap_or_else(|| format!("[{key}]"))
    }

    pub fn fill(&self, key: &str, vars: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in vars {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}
