//! The parts every form shares: the copy and reprint mark, the header of
//! Decree 30/2020 (the body on the left, the nation on the right, the
//! number and the dated place line), the title with the look-up QR code,
//! the applicant block and the signature columns.

use chrono::DateTime;

use super::forms::FormTexts;
use super::layout::{Align, Column, Paper, Sheet, Style};
use crate::dossier::{ApplicantKind, Dossier, SubmittedDocument};
use crate::error::Result;
use crate::office::Office;
use crate::vntime::{self, VnTime};

/// How a form is printed.
#[derive(Debug, Clone, Copy)]
pub struct PrintOptions {
    pub paper: Paper,
    /// 1: one copy labelled "Liên 1: Lưu"; 2: that and "Liên 2: Giao người nộp".
    pub copies: u32,
    /// 1 for the first print; N > 1 prints "Bản in lại lần N-1".
    pub print_no: u32,
}

pub fn parse_time(iso: &str) -> Option<VnTime> {
    DateTime::parse_from_rfc3339(iso)
        .ok()
        .map(|t| t.with_timezone(&vntime::zone()))
}

/// "09 giờ 30 phút, ngày 26 tháng 11 năm 2026", or the text as stored.
pub fn spoken_time(iso: &str) -> String {
    parse_time(iso)
        .map(|t| vntime::spoken(&t))
        .unwrap_or_else(|| iso.to_string())
}

/// Lays out `copies` copies of a form, each starting on a new sheet.
pub fn copies(
    opts: PrintOptions,
    t: &FormTexts,
    mut one: impl FnMut(&mut Sheet, &str) -> Result<()>,
) -> Result<Vec<super::layout::Page>> {
    let labels: Vec<String> = match opts.copies {
        2 => vec![t.get("copy_1"), t.get("copy_2")],
        _ => vec![t.get("copy_1")],
    };
    let mut pages = Vec::new();
    for label in labels {
        let mut sheet = Sheet::new(opts.paper)?;
        let mut mark = label;
        if opts.print_no > 1 {
            mark = format!(
                "{mark} — {}",
                t.fill("reprint", &[("n", &(opts.print_no - 1).to_string())])
            );
        }
        let (right, top, small) = (sheet.right, sheet.y, sheet.size - 2.0);
        sheet.text_at(right, top - 4.0, small, Style::Italic, &mark, Align::Right);
        one(&mut sheet, &mark)?;
        pages.append(&mut sheet.pages);
    }
    Ok(pages)
}

/// The two-column header with the form's number and the dated place line.
pub fn header(s: &mut Sheet, t: &FormTexts, office: &Office, number: &str, date: Option<VnTime>) {
    let size = s.size;
    let lh = s.line_height(size);
    let left_w = s.content_width() * 0.42;
    let lx = s.left + left_w / 2.0;
    let rx = s.left + left_w + (s.content_width() - left_w) / 2.0;
    let header_size = size - 1.0;
    let y0 = s.y + lh;
    // The parent body in regular capitals, then the issuing unit in bold
    // capitals with a short rule under it (Decree 30/2020, Appendix I).
    let mut ly = y0;
    if let Some(parent) = office.parent_name.as_deref() {
        for l in s
            .fonts
            .wrap(Style::Regular, header_size, &parent.to_uppercase(), left_w, left_w)
        {
            s.text_at(lx, ly, header_size, Style::Regular, &l, Align::Center);
            ly += lh;
        }
    }
    let unit_lines = s
        .fonts
        .wrap(Style::Bold, header_size, &office.name.to_uppercase(), left_w, left_w);
    let mut widest: f32 = 0.0;
    for l in &unit_lines {
        s.text_at(lx, ly, header_size, Style::Bold, l, Align::Center);
        widest = widest.max(s.fonts.width(Style::Bold, header_size, l));
        ly += lh;
    }
    ly -= lh;
    // A rule a third to a half as long as the name line (Decree 30/2020).
    let rule = (widest / 5.0).clamp(8.0, 25.0);
    s.line(lx - rule, ly + 1.5, lx + rule, ly + 1.5, 0.6);
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
    s.text_at(lx, y_num, size, Style::Regular, number, Align::Center);
    if let Some(r) = date {
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
}

/// The title, the dossier code under it, and the QR code of the code at
/// the right (≥ 20 mm, so a counter scanner reads it from paper).
pub fn title_with_qr(s: &mut Sheet, t: &FormTexts, title: &str, code: &str, paper: Paper) -> Result<()> {
    let size = s.size;
    let lh = s.line_height(size);
    let qr_side = match paper {
        Paper::A4 => 24.0,
        Paper::A5 => 20.0,
    };
    let qr_top = s.y + 1.0;
    let (qr_x, centre) = (s.right - qr_side, (s.left + s.right - qr_side - 2.0) / 2.0);
    s.qr(qr_x, qr_top, qr_side, code)?;
    let (cx, cap_y) = (qr_x + qr_side / 2.0, qr_top + qr_side + 3.0);
    s.text_at(
        cx,
        cap_y,
        size - 3.0,
        Style::Italic,
        &t.get("qr_caption"),
        Align::Center,
    );
    s.y += lh + 3.0;
    let y = s.y;
    let title_lines = s
        .fonts
        .wrap(Style::Bold, size + 1.0, title, qr_x - s.left - 4.0, qr_x - s.left - 4.0);
    let mut y_line = y;
    for l in &title_lines {
        s.text_at(centre, y_line, size + 1.0, Style::Bold, l, Align::Center);
        y_line += lh;
    }
    s.y = y_line;
    let y = s.y;
    s.text_at(
        centre,
        y,
        size,
        Style::Bold,
        &t.fill("code_line", &[("code", code)]),
        Align::Center,
    );
    s.y = s.y.max(cap_y) + 2.0;
    Ok(())
}

/// The applicant as its kind shows it ("Ông/Bà" or "Tổ chức"), address,
/// phone and the requested procedure; `detailed` (the receipt) adds the
/// identifying numbers, the representative, e-mail and who handed it in.
pub fn applicant_block(s: &mut Sheet, t: &FormTexts, d: &Dossier, detailed: bool) {
    let size = s.size;
    let a = &d.applicant;
    let blank = "…………………";
    let dob = a
        .date_of_birth
        .map(vntime::date_vn)
        .unwrap_or_else(|| blank.to_string());
    let name_label = match a.kind {
        ApplicantKind::Organisation => t.get("organisation"),
        _ => t.get("applicant"),
    };
    s.labelled(&name_label, &a.full_name, size, Style::Regular, Style::Bold);
    if detailed {
        match a.kind {
            ApplicantKind::Citizen => s.labelled(
                &t.get("id_number"),
                &format!("{}     {} {dob}", a.id_number, t.get("birth")),
                size,
                Style::Regular,
                Style::Regular,
            ),
            ApplicantKind::Organisation => {
                s.labelled(&t.get("tax_code"), &a.id_number, size, Style::Regular, Style::Regular);
                if let Some(r) = &a.representative {
                    let mut who = r.full_name.clone();
                    if let Some(p) = &r.position {
                        who.push_str(&t.fill("position_suffix", &[("position", p)]));
                    }
                    if let Some(id) = &r.id_number {
                        who.push_str(&t.fill("id_suffix", &[("id", id)]));
                    }
                    s.labelled(&t.get("representative"), &who, size, Style::Regular, Style::Regular);
                }
            }
            ApplicantKind::Foreigner => {
                s.labelled(
                    &t.get("passport"),
                    &format!(
                        "{}     {} {}",
                        a.id_number,
                        t.get("nationality"),
                        a.nationality.as_deref().unwrap_or(blank)
                    ),
                    size,
                    Style::Regular,
                    Style::Regular,
                );
                s.labelled(&t.get("birth"), &dob, size, Style::Regular, Style::Regular);
            }
        }
    }
    s.labelled(&t.get("address"), &a.address, size, Style::Regular, Style::Regular);
    let phone = a.phone.as_deref().unwrap_or(blank);
    let contact = if detailed {
        format!("{phone}     {} {}", t.get("email"), a.email.as_deref().unwrap_or(blank))
    } else {
        phone.to_string()
    };
    s.labelled(&t.get("phone"), &contact, size, Style::Regular, Style::Regular);
    if let (true, Some(sub)) = (detailed, &d.submitter) {
        let mut who = t.fill("submitter_value", &[("name", &sub.full_name), ("id", &sub.id_number)]);
        if let Some(p) = &sub.phone {
            who.push_str(&t.fill("phone_suffix", &[("phone", p)]));
        }
        who.push_str(&t.fill("relation_suffix", &[("relation", &sub.relation)]));
        s.labelled(&t.get("submitter"), &who, size, Style::Regular, Style::Regular);
    }
    request_line(s, t, d);
}

/// "Nội dung yêu cầu giải quyết: <procedure> (mã <code>)".
pub fn request_line(s: &mut Sheet, t: &FormTexts, d: &Dossier) {
    let size = s.size;
    s.labelled(
        &t.get("request"),
        &format!("{} (mã {})", d.procedure.name, d.procedure.code),
        size,
        Style::Regular,
        Style::Bold,
    );
}

/// A numbered table of documents: name, form, count.
pub fn documents_table(s: &mut Sheet, t: &FormTexts, documents: &[SubmittedDocument]) {
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
    let rows: Vec<Vec<String>> = documents
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
    let size = s.size - 1.5;
    s.table(&columns, &rows, size);
    s.gap(1.0);
}

/// Signature columns: (title, printed name). The left one is optional.
pub fn signatures(
    s: &mut Sheet,
    t: &FormTexts,
    left: Option<(&str, &str)>,
    right: (&str, &str),
    head: bool,
    paper: Paper,
) {
    let size = s.size;
    let lh = s.line_height(size);
    let gap = match paper {
        Paper::A4 => 22.0,
        Paper::A5 => 13.0,
    };
    s.ensure(lh * 3.0 + gap + 4.0);
    s.gap(4.0);
    let y = s.y + lh;
    let (l_c, r_c) = (s.left + s.content_width() * 0.25, s.left + s.content_width() * 0.75);
    let hint = if head {
        t.get("sign_hint_head")
    } else {
        t.get("sign_hint")
    };
    if let Some((title, name)) = left {
        s.text_at(l_c, y, size, Style::Bold, title, Align::Center);
        s.text_at(
            l_c,
            y + lh,
            size - 2.0,
            Style::Italic,
            &t.get("sign_hint"),
            Align::Center,
        );
        s.text_at(l_c, y + lh + gap, size, Style::Bold, name, Align::Center);
    }
    s.text_at(r_c, y, size, Style::Bold, right.0, Align::Center);
    s.text_at(r_c, y + lh, size - 2.0, Style::Italic, &hint, Align::Center);
    s.text_at(r_c, y + lh + gap, size, Style::Bold, right.1, Align::Center);
    s.y = y + lh + gap + 3.0;
}
