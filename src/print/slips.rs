//! The slips of the lifecycle: supplement request (Mẫu 02), refusal
//! (Mẫu 03), apology and new date (Mẫu 04), stop notice, process control
//! slip and result-return slip. Each refuses, with a clear message, to be
//! printed for a dossier that has not reached the step it records.

use super::forms::{FormTexts, Sheets};
use super::layout::{Align, Column, Page, Sheet, Style};
use super::parts::{self, parse_time, spoken_time, PrintOptions};
use super::Form;
use crate::dossier::lifecycle::ReturnChannel;
use crate::dossier::{Dossier, Status};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::office::Office;
use crate::vntime;

fn not_yet(form: Form, d: &Dossier) -> Error {
    Error::refused(
        "form_not_applicable",
        msg::form_not_applicable(msg::form_label(form), d.status),
    )
}

pub fn layout(form: Form, sheets: &Sheets, office: &Office, d: &Dossier, opts: PrintOptions) -> Result<Vec<Page>> {
    if !form.applies_to(d) {
        return Err(not_yet(form, d));
    }
    let t = FormTexts::of(sheets, form.key()).addressing(&d.applicant);
    let number = t.fill("number", &[("code", &d.code)]);
    let size_of = |s: &Sheet| s.size;
    match form {
        Form::Receipt => super::receipt::layout(&t, office, d, opts),
        Form::Supplement => {
            let sup = d.supplement.as_ref().ok_or_else(|| not_yet(form, d))?;
            parts::copies(opts, &t, |s, _| {
                let size = size_of(s);
                parts::header(s, &t, office, &number, parse_time(&sup.requested_at));
                parts::title_with_qr(s, &t, &t.get("title"), &d.code, opts.paper)?;
                s.paragraph(
                    &t.fill("intro", &[("office", &office.name)]),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                parts::applicant_block(s, &t, d, false);
                s.paragraph(&t.get("list"), size, Style::Regular, Align::Left);
                parts::documents_table(s, &t, &sup.documents);
                s.labelled(&t.get("reason"), &sup.reason, size, Style::Regular, Style::Regular);
                let clerk = d.received_by.as_str();
                let phone = office.phone.clone().unwrap_or_else(|| t.get("phone_missing"));
                s.paragraph(
                    &t.fill(
                        "contact",
                        &[("clerk", clerk), ("office", &office.name), ("phone", &phone)],
                    ),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                let days = crate::dossier::lifecycle::SUPPLEMENT_WAIT_DAYS.to_string();
                s.paragraph(
                    &t.fill("deadline", &[("days", &days)]),
                    size,
                    Style::Italic,
                    Align::Left,
                );
                parts::signatures(
                    s,
                    &t,
                    Some((&t.get("applicant_sign"), d.presenter())),
                    (&t.get("right_sign"), clerk),
                    false,
                    opts.paper,
                );
                Ok(())
            })
        }
        Form::Refusal => {
            if d.status != Status::NotAccepted {
                return Err(not_yet(form, d));
            }
            let reason = d.closing_reason.clone().unwrap_or_default();
            parts::copies(opts, &t, |s, _| {
                let size = size_of(s);
                parts::header(s, &t, office, &number, d.ended_at.as_deref().and_then(parse_time));
                parts::title_with_qr(s, &t, &t.get("title"), &d.code, opts.paper)?;
                s.paragraph(
                    &t.fill("intro", &[("office", &office.name)]),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                parts::applicant_block(s, &t, d, false);
                s.paragraph(&t.get("body"), size, Style::Regular, Align::Left);
                s.paragraph(&reason, size, Style::Bold, Align::Left);
                s.paragraph(&t.get("closing"), size, Style::Regular, Align::Left);
                parts::signatures(
                    s,
                    &t,
                    Some((&t.get("applicant_sign"), d.presenter())),
                    (&t.get("right_sign"), &d.received_by),
                    false,
                    opts.paper,
                );
                Ok(())
            })
        }
        Form::Extension => {
            let ext = d.extension.as_ref().ok_or_else(|| not_yet(form, d))?;
            // The slip has its own number in the unit's year; the dossier
            // code stands under the title.
            let number = match ext.number {
                Some(n) => t.fill("number", &[("number", &format!("{n:02}"))]),
                None => t.get("number_missing"),
            };
            parts::copies(opts, &t, |s, _| {
                let size = size_of(s);
                parts::header(s, &t, office, &number, parse_time(&ext.at));
                parts::title_with_qr(s, &t, &t.get("title"), &d.code, opts.paper)?;
                s.paragraph(
                    &t.fill("to", &[("name", &d.applicant.full_name)]),
                    size,
                    Style::Bold,
                    Align::Center,
                );
                let received = parse_time(&d.received_at)
                    .map(|r| vntime::date_vn(r.date_naive()))
                    .unwrap_or_default();
                let vars = [
                    ("received", received.as_str()),
                    ("office", office.name.as_str()),
                    ("code", d.code.as_str()),
                    ("procedure", d.procedure.name.as_str()),
                ];
                s.paragraph(
                    &t.fill(
                        "p1",
                        &[
                            &vars[..],
                            &[("previous_due", spoken_time(&ext.previous_due_at).as_str())],
                        ]
                        .concat(),
                    ),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                s.paragraph(
                    &t.fill("p2", &[&vars[..], &[("reason", ext.reason.as_str())]].concat()),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                s.paragraph(
                    &t.fill(
                        "p3",
                        &[&vars[..], &[("new_due", spoken_time(&ext.new_due_at).as_str())]].concat(),
                    ),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                s.paragraph(&t.get("p4"), size, Style::Regular, Align::Left);
                parts::signatures(s, &t, None, (&t.get("right_sign"), ""), true, opts.paper);
                Ok(())
            })
        }
        Form::Stop => {
            let key = match d.status {
                Status::Withdrawn => "withdrawn",
                Status::Stopped if d.refused_after_acceptance => "refused",
                Status::Stopped => "closed",
                _ => return Err(not_yet(form, d)),
            };
            let at = d.ended_at.clone().unwrap_or_default();
            let reason = d.closing_reason.clone().unwrap_or_default();
            parts::copies(opts, &t, |s, _| {
                let size = size_of(s);
                parts::header(s, &t, office, &number, parse_time(&at));
                parts::title_with_qr(s, &t, &t.get("title"), &d.code, opts.paper)?;
                s.paragraph(
                    &t.fill("to", &[("name", &d.applicant.full_name)]),
                    size,
                    Style::Bold,
                    Align::Center,
                );
                s.paragraph(
                    &t.fill(
                        "p1",
                        &[
                            ("code", &d.code),
                            ("procedure", &d.procedure.name),
                            ("received", &spoken_time(&d.received_at)),
                        ],
                    ),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                s.paragraph(
                    &t.fill(
                        key,
                        &[("office", &office.name), ("at", &spoken_time(&at)), ("reason", &reason)],
                    ),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                s.paragraph(
                    &t.fill("p3", &[("office", &office.name)]),
                    size,
                    Style::Regular,
                    Align::Left,
                );
                parts::signatures(
                    s,
                    &t,
                    Some((&t.get("applicant_sign"), d.presenter())),
                    (&t.get("right_sign"), &d.received_by),
                    false,
                    opts.paper,
                );
                Ok(())
            })
        }
        Form::Control => parts::copies(PrintOptions { copies: 1, ..opts }, &t, |s, _| {
            control(s, &t, office, d, &number, opts)
        }),
        Form::Return => {
            let (res, ret) = match (&d.result, &d.returned) {
                (Some(res), Some(ret)) => (res, ret),
                _ => return Err(not_yet(form, d)),
            };
            parts::copies(opts, &t, |s, _| {
                let size = size_of(s);
                parts::header(s, &t, office, &number, parse_time(&ret.at));
                parts::title_with_qr(s, &t, &t.get("title"), &d.code, opts.paper)?;
                parts::applicant_block(s, &t, d, false);
                let issued = chrono::NaiveDate::parse_from_str(&res.issued_on, "%Y-%m-%d")
                    .map(vntime::date_vn)
                    .unwrap_or_else(|_| res.issued_on.clone());
                s.labelled(
                    &t.get("result"),
                    &t.fill(
                        "result_value",
                        &[("number", &res.number), ("issuer", &res.issuer), ("issued_on", &issued)],
                    ),
                    size,
                    Style::Regular,
                    Style::Bold,
                );
                s.labelled(
                    &t.get("to"),
                    &t.fill("to_value", &[("name", &ret.to_name), ("id", &ret.id_number)]),
                    size,
                    Style::Regular,
                    Style::Regular,
                );
                s.labelled(
                    &t.get("when"),
                    &spoken_time(&ret.at),
                    size,
                    Style::Regular,
                    Style::Regular,
                );
                let how = match ret.how {
                    ReturnChannel::Counter => t.fill("how_counter", &[("office", &office.name)]),
                    ReturnChannel::Post => t.get("how_post"),
                };
                s.labelled(&t.get("how"), &how, size, Style::Regular, Style::Regular);
                if let Some(now) = parse_time(&ret.at) {
                    s.labelled(
                        &t.get("timeliness"),
                        d.timeliness(&now).label(),
                        size,
                        Style::Regular,
                        Style::Regular,
                    );
                }
                parts::signatures(
                    s,
                    &t,
                    Some((&t.get("left_sign"), &ret.to_name)),
                    (&t.get("right_sign"), &ret.returned_by),
                    false,
                    opts.paper,
                );
                Ok(())
            })
        }
    }
}

/// How hand-over `i` stands against its deadline: with a step deadline,
/// the day the step ended (the next hand-over; for the last, the result or
/// the return that came after it) against that day; without one, the hand-over itself against the
/// dossier's due time. `None` while the step runs.
fn step_timeliness(d: &Dossier, i: usize) -> Option<std::cmp::Ordering> {
    let h = d.handovers.get(i)?;
    match h.step_due.as_deref() {
        Some(step_due) => {
            let due = chrono::NaiveDate::parse_from_str(step_due, "%Y-%m-%d").ok()?;
            let result = d.result.as_ref().map(|r| r.at.as_str());
            let returned = d.returned.as_ref().map(|r| r.at.as_str());
            let ended = match d.handovers.get(i + 1) {
                Some(next) => next.at.as_str(),
                None => [result, returned]
                    .into_iter()
                    .flatten()
                    .find(|at| *at >= h.at.as_str())?,
            };
            Some(parse_time(ended)?.date_naive().cmp(&due))
        }
        None => {
            let (at, due) = (parse_time(&h.at)?, parse_time(&d.due_at)?);
            Some(if at > due {
                std::cmp::Ordering::Greater
            } else if at.date_naive() < due.date_naive() {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            })
        }
    }
}

/// Phiếu kiểm soát: the hand-overs recorded so far, then empty rows to
/// fill and sign by hand as the dossier travels.
fn control(s: &mut Sheet, t: &FormTexts, office: &Office, d: &Dossier, number: &str, opts: PrintOptions) -> Result<()> {
    let size = s.size;
    parts::header(s, t, office, number, parse_time(&d.received_at));
    parts::title_with_qr(s, t, &t.get("title"), &d.code, opts.paper)?;
    s.paragraph(
        &t.fill("attached", &[("name", &d.applicant.full_name)]),
        size,
        Style::Italic,
        Align::Center,
    );
    parts::request_line(s, t, d);
    s.labelled(
        &t.get("received"),
        &spoken_time(&d.received_at),
        size,
        Style::Regular,
        Style::Regular,
    );
    s.labelled(
        &t.get("due"),
        &spoken_time(&d.due_at),
        size,
        Style::Regular,
        Style::Bold,
    );
    s.labelled(
        &t.get("body"),
        &d.procedure.deciding_body,
        size,
        Style::Regular,
        Style::Regular,
    );
    let coordinating = if d.procedure.coordinating_bodies.is_empty() {
        t.get("coordinating_none")
    } else {
        d.procedure.coordinating_bodies.join("; ")
    };
    s.labelled(
        &t.get("coordinating"),
        &coordinating,
        size,
        Style::Regular,
        Style::Regular,
    );
    let columns = [
        Column {
            title: &t.get("col_body"),
            share: 0.3,
            align: Align::Left,
        },
        Column {
            title: &t.get("col_time"),
            share: 0.34,
            align: Align::Left,
        },
        Column {
            title: &t.get("col_result"),
            share: 0.2,
            align: Align::Center,
        },
        Column {
            title: &t.get("col_note"),
            share: 0.16,
            align: Align::Left,
        },
    ];
    let mut rows: Vec<Vec<String>> = d
        .handovers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let result = match step_timeliness(d, i) {
                Some(std::cmp::Ordering::Less) => t.get("early"),
                Some(std::cmp::Ordering::Equal) => t.get("on_time"),
                Some(std::cmp::Ordering::Greater) => t.get("late"),
                None => String::new(),
            };
            let mut body = t.fill(
                "row_body",
                &[("n", &(i + 1).to_string()), ("from", &h.from), ("to", &h.to)],
            );
            if let Some(step_due) = h.step_due.as_deref() {
                let due = chrono::NaiveDate::parse_from_str(step_due, "%Y-%m-%d")
                    .map(vntime::date_vn)
                    .unwrap_or_else(|_| step_due.to_string());
                body.push_str(&t.fill("row_due", &[("due", &due)]));
            }
            vec![
                body,
                t.fill("row_time", &[("time", &spoken_time(&h.at))]),
                result,
                h.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    for i in rows.len()..rows.len() + 3 {
        rows.push(vec![
            t.fill("row_blank", &[("n", &(i + 1).to_string())]),
            t.get("time_blank"),
            String::new(),
            String::new(),
        ]);
    }
    s.table(&columns, &rows, size - 2.0);
    Ok(())
}
