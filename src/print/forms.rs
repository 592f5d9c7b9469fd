//! Form texts are data in layers (shipped, the province's, the office's —
//! see `motcua_domain::form_texts`), so a new circular's wording changes a
//! file, not the code. `{name}` placeholders are filled at print time.

use std::collections::BTreeMap;

pub use motcua_domain::form_texts::Sheets;

pub struct FormTexts {
    texts: BTreeMap<String, String>,
    /// `{you}` and `{addressee}`: how a letter speaks to the applicant
    /// ("Ông/Bà", or "Quý tổ chức" to an organisation), filled in every text.
    reader: Vec<(&'static str, String)>,
}

impl FormTexts {
    /// The texts of one sheet (a form, a register), with the common ones
    /// (quốc hiệu, labels) beneath them.
    pub fn of(sheets: &Sheets, sheet: &str) -> FormTexts {
        let mut texts = sheets.get("common").cloned().unwrap_or_default();
        texts.extend(sheets.get(sheet).cloned().unwrap_or_default());
        FormTexts {
            texts,
            reader: Vec::new(),
        }
    }

    /// Speaks to this applicant: a person as "Ông/Bà", an organisation by
    /// its name and as "Quý tổ chức" (the texts say so, as data).
    pub fn addressing(mut self, applicant: &crate::dossier::Applicant) -> FormTexts {
        let kind = match applicant.kind {
            crate::dossier::ApplicantKind::Organisation => "organisation",
            _ => "person",
        };
        let you = self.get(&format!("you_{kind}"));
        let addressee = self.fill(&format!("addressee_{kind}"), &[("name", &applicant.full_name)]);
        self.reader = vec![("you", you), ("addressee", addressee)];
        self
    }

    /// The text under `key` (the key itself when missing, so a gap shows on
    /// paper), spoken to the applicant.
    pub fn get(&self, key: &str) -> String {
        let mut s = self.texts.get(key).cloned().unwrap_or_else(|| format!("[{key}]"));
        for (name, value) in &self.reader {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    pub fn fill(&self, key: &str, vars: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in vars {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}
