//! The recovery-key sheet: the one paper that opens the office's data when
//! every admin's password is lost. Printed (or written where an admin
//! asks) once, at set-up; never archived, never kept by the program.

use super::layout::{Align, Paper, Sheet, Style};
use crate::error::Result;
use crate::keys::DataKey;
use crate::messages as msg;
use crate::office::Office;
use crate::vntime::VnTime;

/// The key in groups of four, as it is printed and typed back.
pub fn groups(key: &DataKey) -> Vec<String> {
    key.recovery()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

/// The sheet as a one-page A4 PDF.
pub fn pdf(office: &Office, key: &DataKey, made: VnTime) -> Result<Vec<u8>> {
    let mut s = Sheet::new(Paper::A4)?;
    let size = s.size;
    let centre = s.left + s.content_width() / 2.0;
    s.paragraph(&office.name, size, Style::Bold, Align::Center);
    s.paragraph(
        &msg::recovery_sheet_office(&office.agency_code, office.counter),
        size,
        Style::Regular,
        Align::Center,
    );
    s.gap(8.0);
    s.paragraph(msg::RECOVERY_SHEET_TITLE, 16.0, Style::Bold, Align::Center);
    s.paragraph(
        &msg::recovery_sheet_made(&made.format("%H:%M ngày %d/%m/%Y").to_string()),
        size,
        Style::Italic,
        Align::Center,
    );
    s.gap(8.0);
    let groups = groups(key);
    for line in groups.chunks(4) {
        s.y += s.line_height(18.0);
        s.text_at(centre, s.y, 18.0, Style::Bold, &line.join("  "), Align::Center);
    }
    s.gap(6.0);
    let side = 40.0;
    let y = s.y;
    s.qr(centre - side / 2.0, y, side, &key.recovery())?;
    s.y = y + side;
    s.gap(6.0);
    for (i, line) in msg::RECOVERY_SHEET_RULES.iter().enumerate() {
        s.paragraph(&format!("{}. {line}", i + 1), size, Style::Regular, Align::Left);
    }
    s.gap(10.0);
    let (left, right) = (s.left + s.content_width() / 4.0, s.left + s.content_width() * 3.0 / 4.0);
    s.y += s.line_height(size);
    s.text_at(left, s.y, size, Style::Bold, msg::RECOVERY_SHEET_KEPT_BY, Align::Center);
    s.text_at(
        right,
        s.y,
        size,
        Style::Bold,
        msg::RECOVERY_SHEET_WITNESS,
        Align::Center,
    );
    s.y += s.line_height(size);
    s.text_at(left, s.y, size, Style::Italic, msg::SIGN_AND_NAME, Align::Center);
    s.text_at(right, s.y, size, Style::Italic, msg::SIGN_AND_NAME, Align::Center);
    super::pdf::render(msg::RECOVERY_SHEET_TITLE, &s.pages)
}
