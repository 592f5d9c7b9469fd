//! Registers and figures built from the dossiers: the tracking book, and the
//! period's figures (Biểu 06, Decision 766 indicators) with their exports.

pub mod book;
pub use motcua_domain::figures;
pub mod table;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};

use crate::error::Error;

/// An xlsx writing error as the clerk sees it.
pub(crate) fn xlsx_error(e: XlsxError) -> Error {
    Error::Print {
        code: "xlsx_failed",
        message: crate::messages::xlsx_failed(&e.to_string()),
    }
}

/// The cell styles every register and table shares: title, column head, cell.
pub(crate) struct SheetFormats {
    pub title: Format,
    pub head: Format,
    pub cell: Format,
}

impl SheetFormats {
    pub fn new() -> SheetFormats {
        SheetFormats {
            title: Format::new().set_bold().set_font_size(14),
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            cell: Format::new()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Top),
        }
    }
}

/// A landscape register with its centred bold title; the caller adds the rest.
pub(crate) fn landscape_register(title: &str) -> crate::error::Result<crate::print::layout::Sheet> {
    use crate::print::layout::{Align, Sheet, Style};
    let mut s = Sheet::a4_landscape()?;
    let size = s.size;
    let centre = (s.left + s.right) / 2.0;
    s.y += s.line_height(size + 3.0);
    let y = s.y;
    s.text_at(centre, y, size + 3.0, Style::Bold, title, Align::Center);
    Ok(s)
}

/// The register as PDF bytes; a training office's pages carry the training mark.
pub(crate) fn register_pdf(
    office: &crate::office::Office,
    title: &str,
    mut sheet: crate::print::layout::Sheet,
) -> crate::error::Result<Vec<u8>> {
    let mut pages = std::mem::take(&mut sheet.pages);
    if office.training {
        crate::print::layout::stamp(&mut pages, crate::messages::TRAINING_MARK)?;
    }
    crate::print::pdf::render(title, &pages)
}
