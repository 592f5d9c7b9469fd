//! Printed forms: laid out once ([`layout`]), drawn as PDF for the printer
//! and the archive, and as SVG for the on-screen preview.

pub mod forms;
pub mod layout;
pub mod parts;
pub mod pdf;
pub mod receipt;
pub mod slips;
pub mod spool;
pub mod svg;

pub use layout::Paper;
pub use parts::PrintOptions;

use serde::{Deserialize, Serialize};

use crate::dossier::Dossier;
use crate::error::{Error, Result};
use crate::office::Office;

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

pub fn pages(form: Form, office: &Office, dossier: &Dossier, opts: PrintOptions) -> Result<Vec<layout::Page>> {
    let mut pages = slips::layout(form, office, dossier, opts)?;
    if office.training {
        layout::stamp(&mut pages, crate::messages::TRAINING_MARK)?;
    }
    Ok(pages)
}

pub fn svg_of(form: Form, office: &Office, dossier: &Dossier, opts: PrintOptions) -> Result<Vec<String>> {
    Ok(pages(form, office, dossier, opts)?.iter().map(svg::render).collect())
}
