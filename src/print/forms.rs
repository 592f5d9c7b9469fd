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

    pub fn receipt() -> Result<FormTexts> {
        FormTexts::parse("receipt", include_str!("../../assets/forms/receipt.json"))
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
