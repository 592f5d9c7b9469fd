//! Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.

use chrono::DateTime;

use super::forms::FormTexts;
use super::layout::{Align, Column, Page, Paper, Sheet, Style};
use crate::dossier::{Channel, Dossier};
use crate::error::Result;
use crate::office::Office;
use crate::vntime;

/// How a receipt is printed.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptOptions {
    pub paper: Paper,
    /// 1: the applicant's copy only is not enough for the archive, so the
    /// single copy is labelled "Liên 1: Lưu"; 2: both copies.
    pub copies: u32,
    /// 1 for the first print; N > 1 prints "Bản in lại lần N-1".
    pub print_no: u32,
}

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

fn spoken_time(iso: &str) -> String {
    DateTime::parse_from_rfc3339(iso)
        .map(|t| vntime::spoken(&t.with_timezone(&vntime::zone())))
        .unwrap_or_else(|_| iso.to_string())
}

pub fn layout(office: &Office, dossier: &Dossier, opts: ReceiptOptions) -> Result<Vec<Page>> {
    let t = FormTexts::receipt()?;
    let mut pages = Vec::new();
    let labels: Vec<String> = match opts.copies {
        2 => vec![t.get("copy_1"), t.get("copy_2")],
        _ => vec![t.get("copy_1")],
    };
    for label in labels {
        let mut sheet = Sheet::new(opts.paper)?;
        one_copy(&mut sheet, &t, office, dossier, &label, opts)?;
        pages.append(&mut sheet.pages);
    }
    Ok(pages)
}

fn one_copy(
    s: &mut Sheet,
    t: &FormTexts,
    office: &Office,
    d: &Dossier,
    copy_label: &str,
    opts: ReceiptOptions,
) -> Result<()> {
    let size = s.size;
    let small = size - 2.0;
    let lh = s.line_height(size);
    let received = DateTime::parse_from_rfc3339(&d.received_at)
        .map(|x| x.with_timezone(&vntime::zone()))
        .ok();

    // Copy and reprint marks, top right, above the header.
    let mut mark = copy_label.to_string();
    if opts.print_no > 1 {
        mark = format!(
            "{mark} — {}",
            t.fill("reprint", &[("n", &(opts.print_no - 1).to_string())])
        );
    }
    let (right, top) = (s.right, s.y);
    s.text_at(right, top - 4.0, small, Style::Italic, &mark, Align::Right);

    // Header: the body on the left, the nation on the right (Decree 30/2020).
    let left_w = s.content_width() * 0.42;
    let lx = s.left + left_w / 2.0;
    let rx = s.left + left_w + (s.content_width() - left_w) / 2.0;
    let header_size = size - 1.0;
    let y0 = s.y + lh;
    let office_lines = s
        .fonts
        .wrap(Style::Regular, header_size, &office.name.to_uppercase(), left_w, left_w);
    let mut ly = y0;
    for l in &office_lines {
        s.text_at(lx, ly, header_size, Style::Regular, l, Align::Center);
        ly += lh;
    }
    s.text_at(lx, ly, header_size, Style::Bold, &t.get("unit"), Align::Center);
    s.line(lx - 12.0, ly + 1.5, lx + 12.0, ly + 1.5, 0.6);
    s.text_at(rx, y0, header_size, Style::Bold, &t.get("nation"), Align::Center);
    let motto = t.get("motto");
    s.text_at(rx, y0 + lh, size, Style::Bold, &motto, Align::Center);
    let motto_w = s.fonts.width(Style::Bold, size, &motto);
    s.line(
        rx - motto_w / 2.0,
        y0 + lh + 1.5,
        rx + motto_w / 2.0,
        y0 + lh + 1.5,
        0.6,
    );
    let y_num = ly.max(y0 + lh) + lh + 1.5;
    s.text_at(
        lx,
        y_num,
        size,
        Style::Regular,
        &t.fill("number", &[("code", &d.code)]),
        Align::Center,
    );
    if let Some(r) = received {
        let date_line = t.fill(
            "date_line",
            &[
                ("place", &office.place),
                ("dd", &r.format("%d").to_string()),
                ("mm", &r.format("%m").to_string()),
                ("yyyy", &r.format("%Y").to_string()),
            ],
        );
        s.text_at(rx, y_num, size, Style::Italic, &date_line, Align::Center);
    }
    s.y = y_num + 4.0;

    // Title, code and the look-up QR code at the right.
    let qr_side = match opts.paper {
        Paper::A4 => 24.0,
        Paper::A5 => 20.0,
    };
    let qr_top = s.y + 1.0;
    let (qr_x, centre) = (s.right - qr_side, (s.left + s.right - qr_side - 2.0) / 2.0);
    s.qr(qr_x, qr_top, qr_side, &d.code)?;
    let (cx, cap_y) = (qr_x + qr_side / 2.0, qr_top + qr_side + 3.0);
    s.text_at(
        cx,
        cap_y,
        small - 1.0,
        Style::Italic,
        &t.get("qr_caption"),
        Align::Center,
    );
    s.y += lh + 3.0;
    let y = s.y;
    s.text_at(centre, y, size + 1.0, Style::Bold, &t.get("title"), Align::Center);
    s.y += lh + 1.0;
    let y = s.y;
    s.text_at(
        centre,
        y,
        size,
        Style::Bold,
        &t.fill("code_line", &[("code", &d.code)]),
        Align::Center,
    );
    s.y = s.y.max(cap_y) + 2.0;

    // The applicant and the request.
    s.paragraph(
        &t.fill("intro", &[("office", &office.name)]),
        size,
        Style::Regular,
        Align::Left,
    );
    let a = &d.applicant;
    s.labelled(&t.get("applicant"), &a.full_name, size, Style::Regular, Style::Bold);
    s.labelled(
        &t.get("id_number"),
        &format!(
            "{}     {} {}",
            a.id_number,
            t.get("birth"),
            vntime::date_vn(a.date_of_birth)
        ),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(&t.get("address"), &a.address, size, Style::Regular, Style::Regular);
    s.labelled(
        &t.get("phone"),
        &format!(
            "{}     {} {}",
            a.phone.as_deref().unwrap_or("…………………"),
            t.get("email"),
            a.email.as_deref().unwrap_or("…………………")
        ),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(
        &t.get("request"),
        &format!("{} (mã {})", d.procedure.name, d.procedure.code),
        size,
        Style::Regular,
        Style::Bold,
    );

    // 1. The documents handed in.
    s.paragraph(&t.get("item1"), size, Style::Regular, Align::Left);
    let columns = [
        Column {
            title: &t.get("col_no"),
            share: 0.08,
            align: Align::Center,
        },
        Column {
            title: &t.get("col_name"),
            share: 0.6,
            align: Align::Left,
        },
        Column {
            title: &t.get("col_form"),
            share: 0.2,
            align: Align::Center,
        },
        Column {
            title: &t.get("col_count"),
            share: 0.12,
            align: Align::Center,
        },
    ];
    let rows: Vec<Vec<String>> = d
        .documents
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            vec![
                (i + 1).to_string(),
                doc.name.clone(),
                doc.form.label().to_string(),
                format!("{:02}", doc.count),
            ]
        })
        .collect();
    s.table(&columns, &rows, small + 0.5);
    s.gap(1.0);

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
    let place = match d.channel {
        Channel::Post => t.get("where_post"),
        _ => t.fill("where_counter", &[("office", &office.name)]),
    };
    s.labelled(&t.get("item6"), &place, size, Style::Regular, Style::Regular);
    let fees = if d.fees.is_empty() {
        t.get("fees_none")
    } else if d.fee_total == 0 {
        t.get("fees_exempt")
    } else {
        let parts: Vec<String> = d
            .fees
            .iter()
            .map(|f| format!("{} {}", f.name, money(f.amount)))
            .collect();
        format!("{} (tổng {})", parts.join("; "), money(d.fee_total))
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

    // Signatures.
    // Room to sign by hand; A5 keeps the whole receipt on one sheet.
    let sign_gap = match opts.paper {
        Paper::A4 => 22.0,
        Paper::A5 => 13.0,
    };
    let sign_block = lh * 2.0 + sign_gap + lh;
    s.ensure(sign_block + 4.0);
    s.gap(4.0);
    let y = s.y + lh;
    let (l_c, r_c) = (s.left + s.content_width() * 0.25, s.left + s.content_width() * 0.75);
    s.text_at(l_c, y, size, Style::Bold, &t.get("sign_left"), Align::Center);
    s.text_at(r_c, y, size, Style::Bold, &t.get("sign_right"), Align::Center);
    s.text_at(l_c, y + lh, small, Style::Italic, &t.get("sign_hint"), Align::Center);
    s.text_at(r_c, y + lh, small, Style::Italic, &t.get("sign_hint"), Align::Center);
    let names_y = y + lh + sign_gap;
    s.text_at(l_c, names_y, size, Style::Bold, &d.applicant.full_name, Align::Center);
    s.text_at(r_c, names_y, size, Style::Bold, &d.received_by, Align::Center);
    s.y = names_y + 3.0;

    s.paragraph(&t.get("note"), small, Style::Italic, Align::Left);
    Ok(())
}
