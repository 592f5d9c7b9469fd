//! Registers and figures built from the dossiers: the tracking book, and the
//! period's figures (Biểu 06, Decision 766 indicators) with their exports.

pub mod book;
pub mod figures;
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
