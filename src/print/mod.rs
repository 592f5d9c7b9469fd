//! Printed forms: laid out once ([`layout`]), drawn as PDF for the printer
//! and the archive, and as SVG for the on-screen preview.

pub mod forms;
pub mod layout;
pub mod parts;
pub mod pdf;
pub mod receipt;
pub mod recovery;
pub mod slips;
pub mod spool;
pub mod svg;

pub use layout::Paper;
pub use parts::PrintOptions;

use crate::dossier::Dossier;
use crate::error::Result;
use crate::office::Office;

pub use motcua_domain::forms::Form;

pub fn pages(
    form: Form,
    sheets: &forms::Sheets,
    office: &Office,
    dossier: &Dossier,
    opts: PrintOptions,
) -> Result<Vec<layout::Page>> {
    let mut pages = slips::layout(form, sheets, office, dossier, opts)?;
    if office.training {
        layout::stamp(&mut pages, crate::messages::TRAINING_MARK)?;
    }
    Ok(pages)
}

pub fn svg_of(
    form: Form,
    sheets: &forms::Sheets,
    office: &Office,
    dossier: &Dossier,
    opts: PrintOptions,
) -> Result<Vec<String>> {
    Ok(pages(form, sheets, office, dossier, opts)?
        .iter()
        .map(svg::render)
        .collect())
}
