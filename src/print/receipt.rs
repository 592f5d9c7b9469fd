//! Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.

use super::forms::FormTexts;
use super::layout::{Align, Page, Sheet, Style};
use super::parts::{self, spoken_time, PrintOptions};
use crate::dossier::{Dossier, ResultDelivery};
use crate::error::Result;
use crate::office::Office;

/// "1.234.000 đồng"
pub fn money(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{out} đồng", if amount < 0 { "-" } else { "" })
}

pub fn layout(t: &FormTexts, office: &Office, d: &Dossier, opts: PrintOptions) -> Result<Vec<Page>> {
    parts::copies(opts, t, |s, _| one_copy(s, t, office, d, opts))
}

fn one_copy(s: &mut Sheet, t: &FormTexts, office: &Office, d: &Dossier, opts: PrintOptions) -> Result<()> {
    let size = s.size;
    parts::header(
        s,
        t,
        office,
        &t.fill("number", &[("code", &d.code)]),
        parts::parse_time(&d.received_at),
    );
    parts::title_with_qr(s, t, &t.get("title"), &d.code, opts.paper)?;

    // The applicant and the request.
    s.paragraph(
        &t.fill("intro", &[("office", &office.name)]),
        size,
        Style::Regular,
        Align::Left,
    );
    parts::applicant_block(s, t, d, true);

    // 1. The documents handed in.
    s.paragraph(&t.get("item1"), size, Style::Regular, Align::Left);
    parts::documents_table(s, t, &d.documents);

    // 2.–6.
    s.labelled(
        &t.get("item2"),
        &t.fill("item2_value", &[("sets", &format!("{:02}", d.sets))]),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(
        &t.get("item3"),
        &d.procedure.time.describe(office.hours.same_day_cutoff),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(
        &t.get("item4"),
        &spoken_time(&d.received_at),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(
        &t.get("item5"),
        &spoken_time(&d.due_at),
        size,
        Style::Regular,
        Style::Bold,
    );
    let place = match d.result_delivery {
        ResultDelivery::Post => t.fill(
            "where_post",
            &[("address", d.delivery_address.as_deref().unwrap_or(&d.applicant.address))],
        ),
        ResultDelivery::Online => t.get("where_online"),
        ResultDelivery::Counter => {
            let address = office
                .address
                .as_deref()
                .map(|a| t.fill("address_suffix", &[("address", a)]))
                .unwrap_or_default();
            t.fill("where_counter", &[("office", &office.name), ("address", &address)])
        }
    };
    s.labelled(&t.get("item6"), &place, size, Style::Regular, Style::Regular);
    // "Miễn" and "Không thu" are promises: only a confirmed fee makes them.
    let fees = if !d.fees_confirmed {
        t.get("fees_unconfirmed")
    } else if d.fees.is_empty() {
        t.get("fees_none")
    } else if d.fee_total == 0 && d.fees.iter().all(|f| f.is_counted()) {
        t.get("fees_exempt")
    } else {
        let each: Vec<String> = d
            .fees
            .iter()
            .map(|f| match (&f.detail, f.is_counted()) {
                (Some(detail), _) => format!("{} {} ({detail})", f.name, money(f.amount)),
                (None, true) => format!("{} {}", f.name, money(f.amount)),
                // No counts were entered: the rate, to be reckoned at the return.
                (None, false) => format!("{}: {}", f.name, f.note.clone().unwrap_or_else(|| money(f.amount))),
            })
            .collect();
        match each.as_slice() {
            [one] => one.clone(),
            _ => t.fill(
                "fees_list",
                &[("list", &each.join("; ")), ("total", &money(d.fee_total))],
            ),
        }
    };
    s.labelled(&t.get("fees"), &fees, size, Style::Regular, Style::Regular);
    s.paragraph(
        &t.fill(
            "book",
            &[("book", &d.book.book), ("number", &format!("{:04}", d.book.number))],
        ),
        size,
        Style::Italic,
        Align::Left,
    );

    parts::signatures(
        s,
        t,
        Some((&t.get("applicant_sign"), d.presenter())),
        (&t.get("clerk_sign"), &d.received_by),
        false,
        opts.paper,
    );
    s.paragraph(
        &t.fill("note", &[("office", &office.name)]),
        size - 2.0,
        Style::Italic,
        Align::Left,
    );
    Ok(())
}
