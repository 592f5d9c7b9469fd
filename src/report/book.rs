//! Sổ theo dõi hồ sơ: one row per dossier received in a period, as a
//! landscape PDF and as an xlsx workbook with the same columns.

use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use serde::Serialize;

use crate::dossier::Dossier;
use crate::error::Result;
use crate::office::Office;
use crate::print::forms::{FormTexts, Sheets};
use crate::print::layout::{Align, Column, Style};
use crate::print::parts::parse_time;
use crate::vntime::{self, VnTime};

/// One line of the book. Times are `dd/mm/yyyy HH:MM` (Vietnam time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookRow {
    pub number: String,
    pub code: String,
    pub procedure: String,
    /// Số lượng hồ sơ (bộ): the sets handed in.
    pub sets: u32,
    pub applicant: String,
    pub contact: String,
    pub body: String,
    pub received: String,
    pub due: String,
    pub handed_over: String,
    pub result_received: String,
    pub returned: String,
    pub note: String,
}

/// The column keys of the form texts, in order.
const COLUMNS: [(&str, f32); 14] = [
    // Wide enough for "01/2026/0001" (book/year/number) on one line.
    ("col_no", 0.07),
    ("col_code", 0.15),
    ("col_procedure", 0.10),
    ("col_sets", 0.04),
    ("col_applicant", 0.09),
    ("col_contact", 0.085),
    ("col_body", 0.07),
    ("col_received", 0.06),
    ("col_due", 0.06),
    ("col_handed", 0.06),
    ("col_result", 0.06),
    ("col_returned", 0.06),
    ("col_sign", 0.035),
    ("col_note", 0.06),
];

fn texts(sheets: &Sheets) -> FormTexts {
    FormTexts::of(sheets, "book")
}

fn short(iso: &str) -> String {
    parse_time(iso)
        .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

pub fn rows(dossiers: &[Dossier], now: &VnTime) -> Vec<BookRow> {
    dossiers
        .iter()
        .map(|d| {
            let mut note = format!("{}; {}", d.status.label(), d.timeliness(now).label());
            if let Some(r) = &d.closing_reason {
                note.push_str(&format!(" — {r}"));
            }
            // The result comes back to the counter with the last hand-over after it is ready.
            let result_received = d
                .result
                .as_ref()
                .map(|r| {
                    d.handovers
                        .iter()
                        .find(|h| h.at >= r.at)
                        .map(|h| short(&h.at))
                        .unwrap_or_else(|| short(&r.at))
                })
                .unwrap_or_default();
            BookRow {
                number: format!("{}/{:04}", d.book.book, d.book.number),
                code: d.code.clone(),
                procedure: d.procedure.name.clone(),
                sets: d.sets,
                applicant: d.applicant.full_name.clone(),
                contact: match &d.applicant.phone {
                    Some(p) => format!("{}; {p}", d.applicant.address),
                    None => d.applicant.address.clone(),
                },
                body: d.procedure.deciding_body.clone(),
                received: short(&d.received_at),
                due: short(&d.due_at),
                handed_over: d.handovers.first().map(|h| short(&h.at)).unwrap_or_default(),
                result_received,
                returned: d.returned.as_ref().map(|r| short(&r.at)).unwrap_or_default(),
                note,
            }
        })
        .collect()
}

fn cells(r: &BookRow) -> Vec<String> {
    vec![
        r.number.clone(),
        r.code.clone(),
        r.procedure.clone(),
        r.sets.to_string(),
        r.applicant.clone(),
        r.contact.clone(),
        r.body.clone(),
        r.received.clone(),
        r.due.clone(),
        r.handed_over.clone(),
        r.result_received.clone(),
        r.returned.clone(),
        String::new(),
        r.note.clone(),
    ]
}

fn subtitle(t: &FormTexts, office: &Office, rows: &[BookRow], from: NaiveDate, to: NaiveDate) -> String {
    let mut books: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.number.rsplit_once('/').map(|(b, _)| b))
        .collect();
    books.dedup();
    let books = if books.is_empty() {
        format!("{:02}/{}", office.counter, from.format("%Y"))
    } else {
        books.join(", ")
    };
    t.fill(
        "subtitle",
        &[
            ("office", &office.name),
            ("books", &books),
            ("from", &vntime::date_vn(from)),
            ("to", &vntime::date_vn(to)),
        ],
    )
}

pub fn pdf(sheets: &Sheets, office: &Office, rows: &[BookRow], from: NaiveDate, to: NaiveDate) -> Result<Vec<u8>> {
    let t = texts(sheets);
    let mut s = super::landscape_register(&t.get("title"))?;
    let size = s.size;
    s.paragraph(
        &subtitle(&t, office, rows, from, to),
        size,
        Style::Italic,
        Align::Center,
    );
    let titles: Vec<String> = COLUMNS.iter().map(|(k, _)| t.get(k)).collect();
    let columns: Vec<Column> = COLUMNS
        .iter()
        .zip(&titles)
        .map(|((_, share), title)| Column {
            title,
            share: *share,
            align: Align::Left,
        })
        .collect();
    if rows.is_empty() {
        s.paragraph(&t.get("empty"), size, Style::Regular, Align::Left);
    }
    let table: Vec<Vec<String>> = rows.iter().map(cells).collect();
    s.table(&columns, &table, size - 2.0);
    super::register_pdf(office, &t.get("title"), s)
}

pub fn xlsx(sheets: &Sheets, office: &Office, rows: &[BookRow], from: NaiveDate, to: NaiveDate) -> Result<Vec<u8>> {
    let t = texts(sheets);
    let fail = super::xlsx_error;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(t.get("sheet_name")).map_err(fail)?;
    let super::SheetFormats { title, head, cell } = super::SheetFormats::new();
    sheet
        .write_string_with_format(0, 0, t.get("title"), &title)
        .map_err(fail)?;
    sheet
        .write_string(1, 0, subtitle(&t, office, rows, from, to))
        .map_err(fail)?;
    for (c, (key, share)) in COLUMNS.iter().enumerate() {
        let col = c as u16;
        sheet
            .write_string_with_format(3, col, t.get(key), &head)
            .map_err(fail)?;
        sheet.set_column_width(col, f64::from(*share) * 220.0).map_err(fail)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        for (c, v) in cells(r).iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, v, &cell).map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(4, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
