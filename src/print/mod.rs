//! Printed forms: laid out once ([`layout`]), drawn as PDF for the printer
//! and the archive, and as SVG for the on-screen preview.

pub mod forms;
pub mod layout;
pub mod pdf;
pub mod receipt;
pub mod spool;
pub mod svg;

pub use layout::Paper;
pub use receipt::ReceiptOptions;

use crate::dossier::Dossier;
use crate::error::Result;
use crate::office::Office;

pub fn receipt_pdf(office: &Office, dossier: &Dossier, opts: ReceiptOptions) -> Result<Vec<u8>> {
    let pages = receipt::layout(office, dossier, opts)?;
    pdf::render(&crate::messages::receipt_document_title(&dossier.code), &pages)
}

pub fn receipt_svg(office: &Office, dossier: &Dossier, opts: ReceiptOptions) -> Result<Vec<String>> {
    Ok(receipt::layout(office, dossier, opts)?
        .iter()
        .map(svg::render)
        .collect())
}
