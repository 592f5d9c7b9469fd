//! Form texts are data in layers (shipped, the province's, the office's —
//! see `motcua_domain::form_texts`), so a new circular's wording changes a
//! file, not the code. `{name}` placeholders are filled at print time.

use std::collections::BTreeMap;

pub use motcua_domain::form_texts::Sheets;

pub struct FormTexts {
    texts: BTreeMap<String, String>,
}

impl FormTexts {
    /// The texts of one sheet (a form, a register), with the common ones
    /// (quốc hiệu, labels) beneath them.
    pub fn of(sheets: &Sheets, sheet: &str) -> FormTexts {
        let mut texts = sheets.get("common").cloned().unwrap_or_default();
        texts.extend(sheets.get(sheet).cloned().unwrap_or_default());
        FormTexts { texts }
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
