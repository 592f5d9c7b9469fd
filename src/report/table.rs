//! The period's figures laid out as the provinces lay them out (Biểu
//! 06/VPCP/KSTT): an xlsx workbook and a landscape PDF with the same rows.

use rust_xlsxwriter::Workbook;

use super::figures::{Counts, Indicator, Report};
use crate::error::Result;
use crate::messages as msg;
use crate::office::Office;
use crate::print::forms::{FormTexts, Sheets};
use crate::print::layout::{Align, Column, Style};
use crate::vntime;

fn texts(sheets: &Sheets) -> FormTexts {
    FormTexts::of(sheets, "report")
}

/// Column keys after STT and the name, in Biểu 06 order.
const NUMBER_COLUMNS: [&str; 12] = [
    "col_received_total",
    "col_online",
    "col_counter_post",
    "col_carried",
    "col_resolved_total",
    "col_early",
    "col_on_time",
    "col_late",
    "col_pending_total",
    "col_within",
    "col_overdue",
    "col_rate",
];

/// One table row: STT, name, then the twelve figures.
pub struct TableRow {
    pub number: String,
    pub name: String,
    pub bold: bool,
    pub figures: [Option<f64>; 12],
}

fn figures(c: &Counts) -> [Option<f64>; 12] {
    let n = |v: i64| Some(v as f64);
    [
        n(c.received.total),
        n(c.received.online),
        n(c.received.counter + c.received.post),
        n(c.received.carried_over),
        n(c.resolved.total),
        n(c.resolved.early),
        n(c.resolved.on_time),
        n(c.resolved.late),
        n(c.pending.total),
        n(c.pending.within_due),
        n(c.pending.overdue),
        c.on_time_rate,
    ]
}

fn roman(n: usize) -> String {
    const NUMERALS: [(usize, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// The rows: the total, then each field (I, II, …) with its procedures (1, 2, …).
pub fn rows(report: &Report, total_label: &str) -> Vec<TableRow> {
    let total = report.totals();
    let mut out = vec![TableRow {
        number: String::new(),
        name: total_label.to_string(),
        bold: true,
        figures: figures(&total),
    }];
    for (i, field) in report.by_field.iter().enumerate() {
        out.push(TableRow {
            number: roman(i + 1),
            name: field.field.clone(),
            bold: true,
            figures: figures(&field.counts),
        });
        for (j, p) in report
            .by_procedure
            .iter()
            .filter(|p| p.field == field.field)
            .enumerate()
        {
            out.push(TableRow {
                number: (j + 1).to_string(),
                name: format!("{} ({})", p.name, p.code),
                bold: false,
                figures: figures(&p.counts),
            });
        }
    }
    out
}

fn subtitle(t: &FormTexts, office: &Office, report: &Report) -> String {
    let as_of = chrono::DateTime::parse_from_rfc3339(&report.as_of)
        .map(|a| a.format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_default();
    t.fill(
        "subtitle",
        &[
            ("office", &office.name),
            ("agency", &office.agency_code),
            ("from", &vntime::date_vn(report.from)),
            ("to", &vntime::date_vn(report.to)),
            ("as_of", &as_of),
        ],
    )
}

fn value_text(i: &Indicator, no_data: &str) -> String {
    i.value_text().unwrap_or_else(|| no_data.to_string())
}

fn indicator_note(i: &Indicator) -> String {
    match (&i.no_data, i.numerator, i.denominator) {
        (Some(why), _, _) => why.clone(),
        (None, Some(n), Some(d)) => format!("{n}/{d}. {}", i.definition),
        _ => i.definition.clone(),
    }
}

pub fn xlsx(sheets: &Sheets, office: &Office, report: &Report) -> Result<Vec<u8>> {
    let t = texts(sheets);
    let fail = super::xlsx_error;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(t.get("sheet_name")).map_err(fail)?;
    let super::SheetFormats { title, head, cell } = super::SheetFormats::new();
    let bold = cell.clone().set_bold();
    let mut r = 0u32;
    sheet
        .write_string_with_format(r, 0, t.get("title"), &title)
        .map_err(fail)?;
    r += 1;
    sheet.write_string(r, 0, subtitle(&t, office, report)).map_err(fail)?;
    r += 1;
    sheet.write_string(r, 0, t.get("basis_line")).map_err(fail)?;
    if office.training {
        r += 1;
        sheet
            .write_string_with_format(r, 0, msg::TRAINING_MARK, &title)
            .map_err(fail)?;
    }
    r += 2;
    // Two header rows: the three groups over their columns, then the columns.
    let (h1, h2) = (r, r + 1);
    for (first_row, first_col, last_row, last_col, key) in [
        (h1, 0, h2, 0, "col_no"),
        (h1, 1, h2, 1, "col_name"),
        (h1, 2, h1, 5, "group_received"),
        (h1, 6, h1, 9, "group_resolved"),
        (h1, 10, h1, 12, "group_pending"),
        (h1, 13, h2, 13, "col_rate"),
    ] {
        sheet
            .merge_range(first_row, first_col, last_row, last_col, &t.get(key), &head)
            .map_err(fail)?;
    }
    for (i, key) in NUMBER_COLUMNS.iter().take(11).enumerate() {
        sheet
            .write_string_with_format(h2, 2 + i as u16, t.get(key), &head)
            .map_err(fail)?;
    }
    sheet.set_column_width(0, 6).map_err(fail)?;
    sheet.set_column_width(1, 48).map_err(fail)?;
    for c in 2..14u16 {
        sheet.set_column_width(c, 11).map_err(fail)?;
    }
    r = h2 + 1;
    // Column numbers, as official tables carry them.
    for c in 0..14u16 {
        sheet
            .write_string_with_format(r, c, format!("({})", c + 1), &head)
            .map_err(fail)?;
    }
    r += 1;
    for row in rows(report, &t.get("total")) {
        let f = if row.bold { &bold } else { &cell };
        sheet.write_string_with_format(r, 0, &row.number, f).map_err(fail)?;
        sheet.write_string_with_format(r, 1, &row.name, f).map_err(fail)?;
        for (i, v) in row.figures.iter().enumerate() {
            let c = 2 + i as u16;
            match v {
                Some(v) => sheet.write_number_with_format(r, c, *v, f).map_err(fail)?,
                None => sheet.write_string_with_format(r, c, "", f).map_err(fail)?,
            };
        }
        r += 1;
    }
    r += 1;
    sheet
        .write_string_with_format(r, 0, t.get("indicators_title"), &title)
        .map_err(fail)?;
    r += 1;
    for (c, key) in ["ind_code", "ind_name", "ind_value", "ind_basis"].iter().enumerate() {
        sheet
            .write_string_with_format(r, c as u16, t.get(key), &head)
            .map_err(fail)?;
    }
    r += 1;
    for i in report.indicators.values() {
        sheet.write_string_with_format(r, 0, &i.code, &cell).map_err(fail)?;
        sheet.write_string_with_format(r, 1, &i.name, &cell).map_err(fail)?;
        match i.value {
            Some(v) => sheet.write_number_with_format(r, 2, v, &cell).map_err(fail)?,
            None => sheet
                .write_string_with_format(r, 2, t.get("no_data"), &cell)
                .map_err(fail)?,
        };
        sheet
            .write_string_with_format(r, 3, indicator_note(i), &cell)
            .map_err(fail)?;
        r += 1;
    }
    sheet.set_freeze_panes(h2 + 2, 2).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

pub fn pdf(sheets: &Sheets, office: &Office, report: &Report) -> Result<Vec<u8>> {
    let t = texts(sheets);
    let mut s = super::landscape_register(&t.get("title"))?;
    let size = s.size;
    s.paragraph(&subtitle(&t, office, report), size, Style::Italic, Align::Center);
    s.paragraph(&t.get("basis_line"), size - 1.0, Style::Italic, Align::Center);
    let group = |key: &str, col: &str| format!("{}: {}", t.get(key), t.get(col).to_lowercase());
    let titles: Vec<String> = [
        t.get("col_no"),
        t.get("col_name"),
        group("group_received", "col_received_total"),
        t.get("col_online"),
        t.get("col_counter_post"),
        t.get("col_carried"),
        group("group_resolved", "col_resolved_total"),
        t.get("col_early"),
        t.get("col_on_time"),
        t.get("col_late"),
        group("group_pending", "col_pending_total"),
        t.get("col_within"),
        t.get("col_overdue"),
        t.get("col_rate"),
    ]
    .to_vec();
    let shares = [
        0.04, 0.24, 0.07, 0.06, 0.07, 0.06, 0.07, 0.06, 0.06, 0.06, 0.07, 0.06, 0.06, 0.06,
    ];
    let columns: Vec<Column> = titles
        .iter()
        .zip(shares)
        .enumerate()
        .map(|(i, (title, share))| Column {
            title,
            share,
            align: if i < 2 { Align::Left } else { Align::Right },
        })
        .collect();
    let table: Vec<Vec<String>> = rows(report, &t.get("total"))
        .iter()
        .map(|row| {
            let mut cells = vec![row.number.clone(), row.name.clone()];
            cells.extend(row.figures.iter().enumerate().map(|(i, v)| match v {
                Some(v) if i == 11 => crate::text::vn_number(*v, 2),
                Some(v) => format!("{v}"),
                None => String::new(),
            }));
            cells
        })
        .collect();
    s.table(&columns, &table, size - 2.0);
    s.gap(4.0);
    s.paragraph(&t.get("indicators_title"), size, Style::Bold, Align::Left);
    let ind_titles = [
        t.get("ind_code"),
        t.get("ind_name"),
        t.get("ind_value"),
        t.get("ind_basis"),
    ];
    let ind_columns: Vec<Column> = ind_titles
        .iter()
        .zip([0.06, 0.28, 0.12, 0.54])
        .map(|(title, share)| Column {
            title,
            share,
            align: Align::Left,
        })
        .collect();
    let ind_rows: Vec<Vec<String>> = report
        .indicators
        .values()
        .map(|i| {
            vec![
                i.code.clone(),
                i.name.clone(),
                value_text(i, &t.get("no_data")),
                indicator_note(i),
            ]
        })
        .collect();
    s.table(&ind_columns, &ind_rows, size - 2.0);
    super::register_pdf(office, &t.get("title"), s)
}
