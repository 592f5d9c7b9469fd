//! The forms the counter prints for a dossier, and which of them a
//! dossier's state allows (the window's print panel asks this, so no list
//! of its own can drift from the rules).

use serde::{Deserialize, Serialize};

use crate::dossier::{Dossier, Status};
use crate::error::{Error, Result};

/// Every form the counter prints for a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Form {
    Receipt,
    Supplement,
    Refusal,
    Extension,
    Stop,
    Control,
    Return,
}

impl Form {
    pub const ALL: [Form; 7] = [
        Form::Receipt,
        Form::Supplement,
        Form::Refusal,
        Form::Extension,
        Form::Stop,
        Form::Control,
        Form::Return,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Form::Receipt => "receipt",
            Form::Supplement => "supplement",
            Form::Refusal => "refusal",
            Form::Extension => "extension",
            Form::Stop => "stop",
            Form::Control => "control",
            Form::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Result<Form> {
        Form::ALL
            .into_iter()
            .find(|f| f.key() == s.trim())
            .ok_or_else(|| Error::invalid("bad_form", "form", crate::messages::form_unknown(s)))
    }
}

impl Form {
    /// Whether the dossier has reached the step this form records: the
    /// receipt and the control slip always; the others once their step
    /// was recorded.
    pub fn applies_to(self, d: &Dossier) -> bool {
        match self {
            Form::Receipt | Form::Control => true,
            Form::Supplement => d.supplement.is_some(),
            Form::Extension => d.extension.is_some(),
            Form::Refusal => d.status == Status::NotAccepted,
            Form::Stop => matches!(d.status, Status::Withdrawn | Status::Stopped),
            Form::Return => d.result.is_some() && d.returned.is_some(),
        }
    }

    /// Every form that may be printed for the dossier as it stands.
    pub fn available_for(d: &Dossier) -> Vec<Form> {
        Form::ALL.into_iter().filter(|f| f.applies_to(d)).collect()
    }

    pub fn label(self) -> &'static str {
        crate::messages::form_label(self)
    }
}
