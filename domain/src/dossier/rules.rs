//! The rulebook: every rule of every action on a dossier, in one place,
//! used by the counter (`Desk`) and by the provincial hub (its own actions,
//! and its re-check of every event a counter pushes).
//!
//! Three functions, one set of rules:
//! - [`receive`] builds the `received` event of a new dossier (code, book
//!   number, due date from the procedure's time rule and the calendar);
//! - [`decide`] turns a request (a clerk's or the province's action) into
//!   the event that records it: input checks, the state table, the derived
//!   dates (restart, extension, correction), the time rules below;
//! - [`Dossier::apply`] folds an event into the dossier and re-checks
//!   everything the event itself can show (state table, once-rules,
//!   well-formed fields, the 15-day wait, the calendar-free half of the time
//!   rules); [`verify`] adds the calendar half, for events made elsewhere.
//!
//! # Time rules that keep the on-time figure honest
//! The evaluation judges a dossier against its **judged due date**
//! ([`Dossier::judged_due`]), which only a rule-abiding step can move:
//! - **Extension** (Decree 118 Art. 19(6): the apology and new appointment
//!   go to the citizen *at the latest one working day before* the due
//!   date). It counts when recorded on a day whose next working day is on
//!   or before the judged due day. Recorded later, the new appointment is
//!   still printed for the citizen (Mẫu 04) and becomes `due_at`, but the
//!   judged due date stays: the dossier stays late. Flag `late_extension`.
//! - **Supplement request** (Art. 16: the processing body asks within 3
//!   working days of reception; Art. 19(5): the period restarts from zero
//!   when the supplement is complete). It counts — the clock stops while
//!   waiting, and restarts on completion — when made on or before the 3rd
//!   working day after the reception day *and* before the judged due time.
//!   Made later, the citizen still gets the request and, on completion, a
//!   new appointment, but the judged due date stays and the clock does not
//!   stop. Flag `late_supplement_request`.
//! - **Clock**: a PC may not record a fact dated before the last fact it
//!   recorded ([`check_clock`]): the clock was set back. The hub flags
//!   `clock_suspect` on an event dated more than [`CLOCK_TOLERANCE_SECONDS`]
//!   after it arrived, or before an event the same device pushed earlier
//!   ([`clock_suspect`]).
//!
//! Dates in these rules are working days of the calendar (official
//! schedules and the office's own marks); the hub re-checks with the
//! province's calendar and refuses an event that claims to count when the
//! province's calendar says it came late (a commune's own extra working
//! day unknown to the province can make the hub refuse: the event is then
//! listed under "cần xử lý" on both sides).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lifecycle::{
    CorrectionRequested, Extended, HandedOver, Reasoned, ResultCorrected, ResultReady, ResultReturned, ReturnChannel,
    SupplementCompleted, SupplementRequested, CORRECTION_WORKING_DAYS, SUPPLEMENT_WAIT_DAYS,
};
use super::reception::{validate_documents, DocumentInput, ValidReception};
use super::{BookEntry, Dossier, Event, EventBody, ProcedureRef, Received};
use crate::calendar::Calendar;
use crate::catalog::Procedure;
use crate::citizen_id;
use crate::code::{self, DossierCode};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::office::Office;
use crate::text::{self, Charset};
use crate::vntime::{self, VnTime};

/// Working days after reception within which a supplement request counts (Art. 16).
pub const SUPPLEMENT_REQUEST_WORKING_DAYS: u32 = 3;

/// Working days before the due date by which an extension must be recorded (Art. 19(6)).
pub const EXTENSION_NOTICE_WORKING_DAYS: u32 = 1;

/// How far after its arrival at the hub an event may be dated before its
/// device's clock is suspect (clocks drift; two minutes is a set clock).
pub const CLOCK_TOLERANCE_SECONDS: i64 = 120;

/// A fact about a dossier that the figures must not hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Flag {
    /// An extension recorded less than one working day before the due date.
    LateExtension,
    /// A supplement request made after the 3rd working day or after the due date.
    LateSupplementRequest,
    /// The hub saw one of the dossier's events dated in its future or out of order.
    ClockSuspect,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::LateExtension, Flag::LateSupplementRequest, Flag::ClockSuspect];

    pub fn key(self) -> &'static str {
        match self {
            Flag::LateExtension => "late_extension",
            Flag::LateSupplementRequest => "late_supplement_request",
            Flag::ClockSuspect => "clock_suspect",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.key() == s)
    }

    pub fn label(self) -> &'static str {
        msg::flag_label(self)
    }
}

/// The input of a supplement request (`motcua supplement CODE --input FILE`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SupplementInput {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
}

/// One action on a dossier, as the window, the CLI or the province asks it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ActionRequest {
    Handover {
        from: String,
        to: String,
        #[serde(default)]
        note: Option<String>,
        /// `YYYY-MM-DD`: the receiver's deadline for this step; not before
        /// today, not after the dossier's due date.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        step_due: Option<String>,
    },
    Supplement(SupplementInput),
    SupplementComplete,
    Refuse {
        reason: String,
    },
    Extend {
        /// YYYY-MM-DDTHH:MM, Vietnam time
        new_due: String,
        reason: String,
    },
    Withdraw {
        reason: String,
    },
    FinancialObligation {
        note: String,
    },
    FinancialObligationMet,
    Result {
        number: String,
        issuer: String,
        /// YYYY-MM-DD; today when absent
        #[serde(default)]
        issued_on: Option<String>,
    },
    Return {
        to_name: String,
        id_number: String,
        how: ReturnChannel,
    },
    CloseUnsupplemented,
    CorrectResult {
        reason: String,
    },
    CorrectionDone {
        number: String,
    },
}

impl ActionRequest {
    pub fn action(&self) -> super::Action {
        use super::Action;
        match self {
            ActionRequest::Handover { .. } => Action::Handover,
            ActionRequest::Supplement(_) => Action::Supplement,
            ActionRequest::SupplementComplete => Action::SupplementComplete,
            ActionRequest::Refuse { .. } => Action::Refuse,
            ActionRequest::Extend { .. } => Action::Extend,
            ActionRequest::Withdraw { .. } => Action::Withdraw,
            ActionRequest::FinancialObligation { .. } => Action::FinancialObligation,
            ActionRequest::FinancialObligationMet => Action::FinancialObligationMet,
            ActionRequest::Result { .. } => Action::Result,
            ActionRequest::Return { .. } => Action::Return,
            ActionRequest::CloseUnsupplemented => Action::CloseUnsupplemented,
            ActionRequest::CorrectResult { .. } => Action::CorrectResult,
            ActionRequest::CorrectionDone { .. } => Action::CorrectionDone,
        }
    }
}

/// Who records a fact, where and when, and the id it gets: the values a
/// rule may not make up itself.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub event_id: Uuid,
    pub actor: String,
    pub device: String,
    pub at: VnTime,
}

impl Stamp {
    fn event(&self, dossier_id: Uuid, body: EventBody) -> Event {
        Event {
            id: self.event_id,
            dossier_id,
            body,
            actor: self.actor.clone(),
            device: self.device.clone(),
            occurred_at: vntime::iso(&self.at),
        }
    }
}

/// A decided action: the event to append, the dossier after it, and what
/// the clerk should be told.
#[derive(Debug, Clone)]
pub struct Decision {
    pub event: Event,
    pub dossier: Dossier,
    pub warnings: Vec<String>,
}

// ---- reception ------------------------------------------------------------------

/// A day's last sequence number of the counter's block and the book's last
/// number, as the store found them inside the reception transaction.
#[derive(Debug, Clone, Copy, Default)]
pub struct Numbering {
    pub last_seq_today: Option<u32>,
    pub last_book_number: Option<u32>,
}

/// The tracking book a dossier received on `date` at `counter` goes in:
/// one book per counter per year.
pub fn book_of(counter: u32, date: NaiveDate) -> String {
    format!("{:02}/{}", counter, date.year())
}

/// The `received` event of a new dossier: the code from the counter's own
/// block (never shared with another counter, so offline counters never
/// collide), the next book number, the due date by the procedure's time
/// rule, the catalog's fees unless the clerk entered others.
#[allow(clippy::too_many_arguments)]
pub fn receive(
    valid: &ValidReception,
    procedure: &Procedure,
    catalog_version: i64,
    office: &Office,
    received_by: &str,
    numbering: Numbering,
    calendar: &Calendar,
    dossier_id: Uuid,
    stamp: &Stamp,
) -> Result<Event> {
    let date = stamp.at.date_naive();
    let seq = code::next_seq(office.counter, numbering.last_seq_today)?;
    let code = DossierCode {
        agency: office.agency_code.clone(),
        date,
        seq,
    };
    let due = calendar.due(stamp.at, procedure.time);
    let fees = match &valid.fees {
        Some(entered) => entered.clone(),
        None => procedure
            .fees
            .iter()
            .map(|f| {
                f.charge(&valid.fee_counts, valid.channel == super::Channel::Online)
                    .unwrap_or_else(|| f.uncounted())
            })
            .collect(),
    };
    let received = Received {
        code: code.to_string(),
        procedure: ProcedureRef {
            code: procedure.code.clone(),
            name: procedure.name.clone(),
            field: procedure.field.clone(),
            field_code: procedure.field_code.clone(),
            deciding_body: procedure.deciding_body.clone(),
            coordinating_bodies: procedure.coordinating_bodies.clone(),
            handover_to: procedure.handover_to.clone(),
            time: procedure.time,
            catalog_version,
        },
        applicant: valid.applicant.clone(),
        submitter: valid.submitter.clone(),
        result_delivery: Some(valid.result_delivery),
        delivery_address: valid.delivery_address.clone(),
        documents: valid.documents.clone(),
        sets: valid.sets,
        channel: valid.channel,
        fees,
        fees_confirmed: valid.fees.is_some() || procedure.checked.fees.is_some(),
        note: valid.note.clone(),
        received_at: vntime::iso(&stamp.at),
        due_at: vntime::iso(&due),
        counter: office.counter,
        book: BookEntry {
            book: book_of(office.counter, date),
            number: numbering.last_book_number.unwrap_or(0) + 1,
        },
        received_by: received_by.to_string(),
    };
    let event = stamp.event(dossier_id, EventBody::Received(Box::new(received)));
    Dossier::apply(None, &event)?;
    Ok(event)
}

// ---- every later action ---------------------------------------------------------------

fn reason(value: &str) -> Result<String> {
    text::clean_required("reason", msg::LABEL_REASON, value, Charset::Multiline, 1000)
}

fn line(field: &str, label: &str, value: &str, max: usize) -> Result<String> {
    text::clean_required(field, label, value, Charset::Line, max)
}

/// Runs every check, keeping each failure, and returns them all at once.
struct Checks(Vec<Error>);

impl Checks {
    fn keep<T: Default>(&mut self, r: Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.0.push(e);
            T::default()
        })
    }

    fn done(self) -> Result<()> {
        Error::collect(self.0)
    }

    /// All failures so far and `e`, as one error.
    fn and(mut self, e: Error) -> Error {
        self.0.push(e);
        match self.0.len() {
            1 => self.0.remove(0),
            _ => Error::InvalidMany(self.0),
        }
    }
}

/// Decides a request on a dossier as it stands: refuses what the state or
/// the rules do not allow (nothing is recorded then), else returns the
/// event that records it, the dossier after it and any warning.
pub fn decide(d: &Dossier, request: &ActionRequest, calendar: &Calendar, stamp: &Stamp) -> Result<Decision> {
    let action = request.action();
    if !d.actions().contains(&action) {
        return Err(Error::refused(
            "illegal_transition",
            msg::illegal_transition(d.status, action),
        ));
    }
    let at = stamp.at;
    let mut checks = Checks(Vec::new());
    let mut warnings = Vec::new();
    let body = match request {
        ActionRequest::Handover {
            from,
            to,
            note,
            step_due,
        } => {
            let step_due = step_due
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .and_then(|raw| checks.keep(step_deadline(d, raw, at).map(Some)));
            let from = checks.keep(line("from", msg::LABEL_HANDOVER_FROM, from, 200));
            let to = checks.keep(line("to", msg::LABEL_HANDOVER_TO, to, 200));
            let note = checks.keep(text::clean(
                "note",
                msg::LABEL_NOTE,
                note.as_deref().unwrap_or(""),
                Charset::Multiline,
                1000,
            ));
            EventBody::HandedOver(HandedOver {
                from,
                to,
                note: (!note.is_empty()).then_some(note),
                step_due,
            })
        }
        ActionRequest::Supplement(input) => {
            let reason = checks.keep(reason(&input.reason));
            let documents = validate_documents(&input.documents, &mut checks.0);
            let late = !supplement_request_in_time(d, calendar, at)?;
            if late {
                warnings.push(msg::late_supplement_request(&vntime::spoken(&judged_due(d)?)));
            }
            EventBody::SupplementRequested(SupplementRequested {
                reason,
                documents,
                late,
            })
        }
        ActionRequest::SupplementComplete => EventBody::SupplementCompleted(SupplementCompleted {
            due_at: vntime::iso(&calendar.restart(at, d.procedure.time)),
        }),
        // Before anyone worked on it the counter refuses to accept it (3);
        // once accepted and in processing, the deciding body refuses to
        // resolve it and processing stops (8).
        ActionRequest::Refuse { reason: r } if d.status == super::Status::Received => EventBody::Refused(Reasoned {
            reason: checks.keep(reason(r)),
        }),
        ActionRequest::Refuse { reason: r } => EventBody::RefusedAfterAcceptance(Reasoned {
            reason: checks.keep(reason(r)),
        }),
        ActionRequest::Extend { new_due, reason: r } => {
            let reason = checks.keep(reason(r));
            let new_due = match vntime::parse_local("new_due", msg::LABEL_NEW_DUE, new_due) {
                Ok(t) => t,
                Err(e) => return Err(checks.and(e)),
            };
            let new_due = match calendar.extend(due_time(&d.due_at)?, new_due) {
                Ok(t) => t,
                Err(e) => return Err(checks.and(e)),
            };
            let late = !extension_in_time(d, calendar, at)?;
            if late {
                warnings.push(msg::late_extension(&vntime::spoken(&judged_due(d)?)));
            }
            EventBody::Extended(Extended {
                previous_due_at: d.due_at.clone(),
                new_due_at: vntime::iso(&new_due),
                reason,
                late,
                number: None,
            })
        }
        ActionRequest::Withdraw { reason: r } => EventBody::Withdrawn(Reasoned {
            reason: checks.keep(reason(r)),
        }),
        ActionRequest::FinancialObligation { note } => EventBody::FinancialObligationRequested(Reasoned {
            reason: checks.keep(reason(note)),
        }),
        ActionRequest::FinancialObligationMet => EventBody::FinancialObligationMet,
        ActionRequest::Result {
            number,
            issuer,
            issued_on,
        } => {
            let number = checks.keep(line("number", msg::LABEL_RESULT_NUMBER, number, 100));
            let issuer = checks.keep(line("issuer", msg::LABEL_RESULT_ISSUER, issuer, 200));
            let on = match issued_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => checks.keep(vntime::parse_date("issued_on", msg::LABEL_DATE, s).map(Some)),
                None => None,
            };
            let on = on.unwrap_or(at.date_naive());
            if on > at.date_naive() {
                checks
                    .0
                    .push(Error::invalid("issued_on_future", "issued_on", msg::ISSUED_ON_FUTURE));
            }
            EventBody::ResultReady(ResultReady {
                number,
                issuer,
                issued_on: on.format("%Y-%m-%d").to_string(),
            })
        }
        ActionRequest::Return {
            to_name,
            id_number,
            how,
        } => {
            let to_name = checks.keep(text::clean_required(
                "to",
                msg::LABEL_FULL_NAME,
                to_name,
                Charset::Name,
                100,
            ));
            let id_number =
                checks.keep(citizen_id::parse_id_number_on("id_number", id_number, at.date_naive()).map(|(id, _)| id));
            EventBody::ResultReturned(ResultReturned {
                to_name,
                id_number,
                how: *how,
            })
        }
        ActionRequest::CloseUnsupplemented => EventBody::ClosedUnsupplemented(Reasoned {
            reason: msg::closed_unsupplemented(SUPPLEMENT_WAIT_DAYS),
        }),
        ActionRequest::CorrectResult { reason: r } => {
            let reason = checks.keep(reason(r));
            let due = calendar.add_working_days(calendar.period_start(at), CORRECTION_WORKING_DAYS);
            EventBody::CorrectionRequested(CorrectionRequested {
                reason,
                due_at: vntime::iso(&due),
            })
        }
        ActionRequest::CorrectionDone { number } => EventBody::ResultCorrected(ResultCorrected {
            number: checks.keep(line("number", msg::LABEL_RESULT_NUMBER, number, 100)),
        }),
    };
    checks.done()?;
    let event = stamp.event(d.id, body);
    let dossier = verify(d, &event, calendar)?;
    Ok(Decision {
        event,
        dossier,
        warnings,
    })
}

/// Applies an event made elsewhere (a counter's push, seen by the hub)
/// after checking it by every rule, the calendar's included: what
/// [`Dossier::apply`] checks, and that an extension or a supplement
/// request claiming to count really was in time by `calendar`.
pub fn verify(d: &Dossier, event: &Event, calendar: &Calendar) -> Result<Dossier> {
    let at = event_time(&event.occurred_at)?;
    match &event.body {
        EventBody::Extended(x) if !x.late && !extension_in_time(d, calendar, at)? => {
            return Err(Error::refused(
                "late_extension_unflagged",
                msg::late_extension(&vntime::spoken(&judged_due(d)?)),
            ))
        }
        EventBody::SupplementRequested(s) if !s.late && !supplement_request_in_time(d, calendar, at)? => {
            return Err(Error::refused(
                "late_supplement_unflagged",
                msg::late_supplement_request(&vntime::spoken(&judged_due(d)?)),
            ))
        }
        _ => {}
    }
    Dossier::apply(Some(d.clone()), event)
}

/// Art. 19(6): an extension counts when recorded on a day whose next
/// working day is on or before the judged due day.
pub fn extension_in_time(d: &Dossier, calendar: &Calendar, at: VnTime) -> Result<bool> {
    let due = judged_due(d)?;
    let mut day = at.date_naive();
    for _ in 0..EXTENSION_NOTICE_WORKING_DAYS {
        day = calendar.next_working_day(day);
    }
    Ok(at < due && day <= due.date_naive())
}

/// Art. 16: a supplement request counts when made on or before the 3rd
/// working day after the reception day and before the judged due time.
pub fn supplement_request_in_time(d: &Dossier, calendar: &Calendar, at: VnTime) -> Result<bool> {
    let received = due_time(&d.received_at)?;
    let mut last_day = received.date_naive();
    for _ in 0..SUPPLEMENT_REQUEST_WORKING_DAYS {
        last_day = calendar.next_working_day(last_day);
    }
    Ok(at.date_naive() <= last_day && at < judged_due(d)?)
}

fn judged_due(d: &Dossier) -> Result<VnTime> {
    due_time(d.judged_due())
}

fn due_time(s: &str) -> Result<VnTime> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&vntime::zone()))
        .map_err(|_| Error::refused("corrupt_row", msg::corrupt_row(s)))
}

/// A hand-over's step deadline: a date from the day of the hand-over to the
/// dossier's due day (a step cannot be given longer than the dossier).
fn step_deadline(d: &Dossier, raw: &str, at: VnTime) -> Result<String> {
    let day = vntime::parse_date("step_due", msg::LABEL_STEP_DUE, raw)?;
    let due_day = due_time(&d.due_at)?.date_naive();
    if day < at.date_naive() || day > due_day {
        return Err(Error::invalid(
            "bad_step_due",
            "step_due",
            msg::step_due_range(&vntime::date_vn(at.date_naive()), &vntime::date_vn(due_day)),
        ));
    }
    Ok(day.format("%Y-%m-%d").to_string())
}

fn event_time(s: &str) -> Result<VnTime> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&vntime::zone()))
        .map_err(|_| Error::refused("bad_time", msg::bad_event_time(s)))
}

// ---- what an event itself must show -------------------------------------------------

/// Every rule an event can be checked against without a calendar (called by
/// [`Dossier::apply`] for every event after reception, so the counter's
/// fold and the hub's re-check refuse the same things).
pub(crate) fn check_event(d: &Dossier, event: &Event) -> Result<()> {
    let at = event_time(&event.occurred_at)?;
    let same = |cleaned: Result<String>, given: &str| -> Result<()> {
        match cleaned {
            Ok(c) if c == given => Ok(()),
            Ok(_) => Err(Error::refused("bad_event", msg::EVENT_NOT_CLEAN)),
            Err(e) => Err(e),
        }
    };
    match &event.body {
        EventBody::Received(_) | EventBody::FinancialObligationMet | EventBody::Office(_) => {}
        EventBody::HandedOver(h) => {
            same(line("from", msg::LABEL_HANDOVER_FROM, &h.from, 200), &h.from)?;
            same(line("to", msg::LABEL_HANDOVER_TO, &h.to, 200), &h.to)?;
            if let Some(step_due) = &h.step_due {
                same(step_deadline(d, step_due, at), step_due)?;
            }
        }
        EventBody::SupplementRequested(s) => {
            same(reason(&s.reason), &s.reason)?;
            if s.documents.is_empty() {
                return Err(Error::invalid("no_documents", "documents", msg::NO_DOCUMENTS));
            }
            for doc in &s.documents {
                same(line("documents", msg::LABEL_DOCUMENT_NAME, &doc.name, 300), &doc.name)?;
                if !(1..=99).contains(&doc.count) {
                    return Err(Error::refused("bad_event", msg::EVENT_NOT_CLEAN));
                }
            }
            if !s.late && at >= judged_due(d)? {
                return Err(Error::refused(
                    "late_supplement_unflagged",
                    msg::late_supplement_request(&vntime::spoken(&judged_due(d)?)),
                ));
            }
        }
        EventBody::SupplementCompleted(c) => {
            if due_time(&c.due_at)? < at {
                return Err(Error::refused("bad_event", msg::due_before_event(&c.due_at)));
            }
        }
        EventBody::Refused(r)
        | EventBody::RefusedAfterAcceptance(r)
        | EventBody::Withdrawn(r)
        | EventBody::FinancialObligationRequested(r)
        | EventBody::ClosedUnsupplemented(r) => same(reason(&r.reason), &r.reason)?,
        EventBody::Extended(x) => {
            same(reason(&x.reason), &x.reason)?;
            if x.previous_due_at != d.due_at {
                return Err(Error::refused("bad_event", msg::extension_base_mismatch(&d.due_at)));
            }
            if due_time(&x.new_due_at)? <= due_time(&x.previous_due_at)? {
                return Err(Error::invalid(
                    "extension_not_later",
                    "new_due",
                    msg::EXTENSION_NOT_LATER,
                ));
            }
            if !x.late && at >= judged_due(d)? {
                return Err(Error::refused(
                    "late_extension_unflagged",
                    msg::late_extension(&vntime::spoken(&judged_due(d)?)),
                ));
            }
        }
        EventBody::ResultReady(r) => {
            same(line("number", msg::LABEL_RESULT_NUMBER, &r.number, 100), &r.number)?;
            same(line("issuer", msg::LABEL_RESULT_ISSUER, &r.issuer, 200), &r.issuer)?;
            vntime::parse_date("issued_on", msg::LABEL_DATE, &r.issued_on)?;
        }
        EventBody::ResultReturned(r) => {
            same(
                text::clean_required("to", msg::LABEL_FULL_NAME, &r.to_name, Charset::Name, 100),
                &r.to_name,
            )?;
            let (id, _) = citizen_id::parse_id_number_on("id_number", &r.id_number, at.date_naive())?;
            if id != r.id_number {
                return Err(Error::refused("bad_event", msg::EVENT_NOT_CLEAN));
            }
        }
        EventBody::CorrectionRequested(c) => {
            same(reason(&c.reason), &c.reason)?;
            if due_time(&c.due_at)? < at {
                return Err(Error::refused("bad_event", msg::due_before_event(&c.due_at)));
            }
        }
        EventBody::ResultCorrected(c) => same(line("number", msg::LABEL_RESULT_NUMBER, &c.number, 100), &c.number)?,
    }
    if let EventBody::ClosedUnsupplemented(_) = &event.body {
        let requested = d.supplement.as_ref().map(|s| event_time(&s.requested_at)).transpose()?;
        if let Some(requested) = requested {
            let waited = (at.date_naive() - requested.date_naive()).num_days();
            if waited < SUPPLEMENT_WAIT_DAYS {
                return Err(Error::refused(
                    "supplement_wait_not_over",
                    msg::supplement_wait_not_over(waited, SUPPLEMENT_WAIT_DAYS),
                ));
            }
        }
    }
    Ok(())
}

// ---- the clock ------------------------------------------------------------------------

/// A PC may not record a fact dated before the last fact it recorded: its
/// clock was set back, and the date on the paper would be wrong.
pub fn check_clock(last_recorded: Option<&str>, at: VnTime) -> Result<()> {
    let Some(last) = last_recorded else {
        return Ok(());
    };
    let Ok(last_t) = DateTime::parse_from_rfc3339(last) else {
        return Ok(());
    };
    if at < last_t {
        return Err(Error::refused(
            "clock_behind",
            msg::clock_behind_last_event(&vntime::spoken(&last_t.with_timezone(&vntime::zone()))),
        ));
    }
    Ok(())
}

/// The hub's view of a pushed event's date: suspect when dated more than
/// [`CLOCK_TOLERANCE_SECONDS`] after it arrived, or before an event the
/// same device pushed earlier (`device_latest`).
pub fn clock_suspect(
    occurred_at: DateTime<FixedOffset>,
    arrived_at: DateTime<FixedOffset>,
    device_latest: Option<DateTime<FixedOffset>>,
) -> bool {
    (occurred_at - arrived_at).num_seconds() > CLOCK_TOLERANCE_SECONDS || device_latest.is_some_and(|l| occurred_at < l)
}

#[cfg(test)]
mod tests {
    //! Given a dossier, when a request comes at a moment, then this event
    //! (or this refusal): the rulebook alone, no database, no runtime.

    use chrono::TimeZone;

    use super::*;
    use crate::calendar::{CalendarData, OfficeHours};
    use crate::dossier::reception::{ApplicantInput, ReceptionInput};
    use crate::dossier::{Status, Timeliness};
    use crate::office::OfficeSetup;

    fn calendar() -> Calendar {
        Calendar::new(CalendarData::bundled(), OfficeHours::default())
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> VnTime {
        vntime::zone().with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn stamp(t: VnTime) -> Stamp {
        Stamp {
            event_id: Uuid::from_u128(t.timestamp() as u128),
            actor: "Nông Thị Lan".into(),
            device: "pc-1".into(),
            at: t,
        }
    }

    /// Given: a 3-working-day dossier (1.004873) received at `t`.
    fn given(t: VnTime) -> Dossier {
        let office = OfficeSetup {
            office_name: "UBND xã Hòa An".into(),
            agency_code: "000.17.22.H56".into(),
            place: "Hòa An".into(),
            counter: 1,
            clerks: vec!["Nông Thị Lan".into()],
            ..OfficeSetup::default()
        }
        .validate("pc-1".into())
        .unwrap();
        let input = ReceptionInput {
            procedure_code: "1.004873".into(),
            applicant: ApplicantInput {
                full_name: "Nguyễn Thị Hường".into(),
                id_number: "004301001234".into(),
                date_of_birth: "2001-02-02".into(),
                sex: "Nữ".into(),
                phone: None,
                email: None,
                address: "Tổ 5, phường Thục Phán".into(),
                ..Default::default()
            },
            documents: vec![DocumentInput {
                name: "Tờ khai".into(),
                form: "original".into(),
                count: 1,
            }],
            sets: 1,
            channel: "counter".into(),
            note: None,
            fees: None,
            fee_counts: Vec::new(),
            ..Default::default()
        };
        let valid = input.validate(t.date_naive()).unwrap();
        let catalog = crate::catalog::bundled().unwrap();
        let procedure = catalog.procedures.iter().find(|p| p.code == "1.004873").unwrap();
        let event = receive(
            &valid,
            procedure,
            1,
            &office,
            "Nông Thị Lan",
            Numbering::default(),
            &calendar(),
            Uuid::from_u128(1),
            &stamp(t),
        )
        .unwrap();
        Dossier::apply(None, &event).unwrap()
    }

    fn when(d: &Dossier, request: ActionRequest, t: VnTime) -> Result<Decision> {
        decide(d, &request, &calendar(), &stamp(t))
    }

    fn supplement() -> ActionRequest {
        ActionRequest::Supplement(SupplementInput {
            reason: "Thiếu giấy xác nhận cư trú".into(),
            documents: vec![DocumentInput {
                name: "Giấy xác nhận cư trú".into(),
                form: "original".into(),
                count: 1,
            }],
        })
    }

    fn extend(new_due: &str) -> ActionRequest {
        ActionRequest::Extend {
            new_due: new_due.into(),
            reason: "Cần xác minh tại thôn".into(),
        }
    }

    fn result() -> ActionRequest {
        ActionRequest::Result {
            number: "1/XN".into(),
            issuer: "UBND xã".into(),
            issued_on: None,
        }
    }

    /// Mon 5 Oct 2026 09:00 → due Thu 8 Oct 09:00.
    fn received_monday() -> Dossier {
        let d = given(at(2026, 10, 5, 9, 0));
        assert_eq!(d.due_at, "2026-10-08T09:00:00+07:00");
        d
    }

    #[test]
    fn a_refusal_after_acceptance_stops_processing_and_is_not_status_3() {
        let refuse = || ActionRequest::Refuse {
            reason: "Không đủ điều kiện giải quyết".into(),
        };
        // Refused at the counter, before any hand-over: not accepted (3).
        let d = received_monday();
        let at_counter = when(&d, refuse(), at(2026, 10, 5, 9, 30)).unwrap().dossier;
        assert_eq!((at_counter.status, at_counter.status_code), (Status::NotAccepted, 3));
        assert!(!at_counter.refused_after_acceptance);
        // Refused by the deciding body once it is being processed: stopped (8).
        let handed = when(
            &d,
            ActionRequest::Handover {
                from: "Trung tâm Phục vụ hành chính công".into(),
                to: "Công chức Tư pháp - Hộ tịch".into(),
                note: None,
                step_due: None,
            },
            at(2026, 10, 5, 10, 0),
        )
        .unwrap()
        .dossier;
        let later = when(&handed, refuse(), at(2026, 10, 6, 9, 0)).unwrap().dossier;
        assert_eq!((later.status, later.status_code), (Status::Stopped, 8));
        assert!(later.refused_after_acceptance);
        assert!(later.ended_at.is_some());
        assert!(!crate::forms::Form::Refusal.applies_to(&later));
        assert!(crate::forms::Form::Stop.applies_to(&later));
    }

    #[test]
    fn extension_counts_only_one_working_day_ahead() {
        // (recorded at, late?)
        let cases = [
            (at(2026, 10, 6, 9, 0), false),   // Tue: two days ahead
            (at(2026, 10, 7, 16, 59), false), // Wed: the working day before Thu
            (at(2026, 10, 8, 8, 0), true),    // Thu: the due day itself
            (at(2026, 10, 12, 9, 0), true),   // after the due date
        ];
        for (t, late) in cases {
            let d = received_monday();
            let decision = when(&d, extend("2026-10-15T09:00"), t).unwrap();
            assert_eq!(decision.dossier.due_at, "2026-10-15T09:00:00+07:00", "{t}");
            let judged = if late {
                "2026-10-08T09:00:00+07:00"
            } else {
                "2026-10-15T09:00:00+07:00"
            };
            assert_eq!(decision.dossier.judged_due(), judged, "{t}");
            assert_eq!(decision.dossier.flags.contains(&Flag::LateExtension), late, "{t}");
            assert_eq!(decision.warnings.len(), usize::from(late), "{t}");
        }
    }

    #[test]
    fn a_late_extension_does_not_turn_a_late_dossier_early() {
        // The bent case: due 08/10, extension recorded 12/10, resolved 14/10.
        let d = received_monday();
        let d = when(&d, extend("2026-10-16T09:00"), at(2026, 10, 12, 9, 0))
            .unwrap()
            .dossier;
        let d = when(&d, result(), at(2026, 10, 14, 9, 0)).unwrap().dossier;
        assert_eq!(d.timeliness(&at(2026, 10, 20, 0, 0)), Timeliness::Late);
        assert_eq!(d.flags, [Flag::LateExtension]);
    }

    #[test]
    fn supplement_counts_within_three_working_days_and_before_due() {
        // (requested at, late?) for a dossier received Mon 5 Oct 09:00, due Thu 09:00.
        let cases = [
            (at(2026, 10, 6, 9, 0), false),  // Tue
            (at(2026, 10, 8, 8, 59), false), // Thu, 3rd working day, before the due time
            (at(2026, 10, 8, 9, 30), true),  // Thu, after the due time
            (at(2026, 10, 13, 9, 0), true),  // after the due date (the bent case)
        ];
        for (t, late) in cases {
            let d = received_monday();
            let decision = when(&d, supplement(), t).unwrap();
            let d = decision.dossier;
            assert_eq!(d.status, Status::SupplementRequested);
            assert_eq!(d.clock_stopped(), !late, "{t}");
            assert_eq!(d.flags.contains(&Flag::LateSupplementRequest), late, "{t}");
            // Waiting, judged a week later: stopped clock → in time; else overdue.
            let waiting = d.timeliness(&(t + chrono::Duration::days(7)));
            let expected = if late {
                Timeliness::PendingOverdue
            } else {
                Timeliness::PendingInTime
            };
            assert_eq!(waiting, expected, "{t}");
        }
    }

    #[test]
    fn a_late_supplement_request_does_not_restart_the_judged_clock() {
        // The bent case: due 08/10, supplement asked 13/10, completed 14/10, resolved 16/10.
        let d = received_monday();
        let d = when(&d, supplement(), at(2026, 10, 13, 9, 0)).unwrap().dossier;
        let d = when(&d, ActionRequest::SupplementComplete, at(2026, 10, 14, 9, 0))
            .unwrap()
            .dossier;
        assert_eq!(d.due_at, "2026-10-19T09:00:00+07:00", "the citizen's new appointment");
        assert_eq!(d.judged_due(), "2026-10-08T09:00:00+07:00");
        let d = when(&d, result(), at(2026, 10, 16, 9, 0)).unwrap().dossier;
        assert_eq!(d.timeliness(&at(2026, 10, 20, 0, 0)), Timeliness::Late);
        // In time, the same path is early against the restarted due date.
        let d = received_monday();
        let d = when(&d, supplement(), at(2026, 10, 6, 9, 0)).unwrap().dossier;
        let d = when(&d, ActionRequest::SupplementComplete, at(2026, 10, 14, 9, 0))
            .unwrap()
            .dossier;
        let d = when(&d, result(), at(2026, 10, 16, 9, 0)).unwrap().dossier;
        assert_eq!(d.timeliness(&at(2026, 10, 20, 0, 0)), Timeliness::Early);
    }

    #[test]
    fn an_event_claiming_to_count_is_refused_when_it_came_late() {
        let d = received_monday();
        let mut event = when(&d, extend("2026-10-16T09:00"), at(2026, 10, 12, 9, 0))
            .unwrap()
            .event;
        let EventBody::Extended(x) = &mut event.body else {
            panic!()
        };
        x.late = false;
        // Calendar-free: after the due date, refused by the fold itself.
        assert_eq!(
            Dossier::apply(Some(d.clone()), &event).unwrap_err().code(),
            "late_extension_unflagged"
        );
        // On the due day before the due time: only the calendar can tell.
        let mut event = when(&d, extend("2026-10-16T09:00"), at(2026, 10, 8, 8, 0))
            .unwrap()
            .event;
        let EventBody::Extended(x) = &mut event.body else {
            panic!()
        };
        x.late = false;
        assert!(Dossier::apply(Some(d.clone()), &event).is_ok());
        assert_eq!(
            verify(&d, &event, &calendar()).unwrap_err().code(),
            "late_extension_unflagged"
        );
    }

    #[test]
    fn inputs_and_state_refused_with_nothing_decided() {
        let d = received_monday();
        let t = at(2026, 10, 6, 9, 0);
        let cases: Vec<(ActionRequest, &str)> = vec![
            (ActionRequest::Refuse { reason: "  ".into() }, "required"),
            (
                ActionRequest::Supplement(SupplementInput {
                    reason: "Thiếu giấy".into(),
                    documents: vec![],
                }),
                "no_documents",
            ),
            (extend("2026-10-07T09:00"), "extension_not_later"),
            (extend("2026-10-10T09:00"), "extension_day_off"),
            (extend("không phải ngày"), "bad_datetime"),
            (ActionRequest::SupplementComplete, "illegal_transition"),
            (
                ActionRequest::Return {
                    to_name: "Nguyễn Thị Hường".into(),
                    id_number: "004301001234".into(),
                    how: ReturnChannel::Counter,
                },
                "illegal_transition",
            ),
            (ActionRequest::CloseUnsupplemented, "illegal_transition"),
            (
                ActionRequest::Result {
                    number: "1/XN".into(),
                    issuer: "UBND xã".into(),
                    issued_on: Some("2026-10-07".into()),
                },
                "issued_on_future",
            ),
        ];
        for (request, code) in cases {
            let err = when(&d, request.clone(), t).unwrap_err();
            assert_eq!(err.code(), code, "{request:?}: {err}");
        }
    }

    #[test]
    fn the_fifteen_day_wait_and_the_once_rules() {
        let d = received_monday();
        let d = when(&d, supplement(), at(2026, 10, 6, 9, 0)).unwrap().dossier;
        let early = when(&d, ActionRequest::CloseUnsupplemented, at(2026, 10, 20, 9, 0));
        assert_eq!(early.unwrap_err().code(), "supplement_wait_not_over");
        let closed = when(&d, ActionRequest::CloseUnsupplemented, at(2026, 10, 21, 9, 0)).unwrap();
        assert_eq!(closed.dossier.status, Status::Stopped);
        let d = when(&d, ActionRequest::SupplementComplete, at(2026, 10, 7, 9, 0))
            .unwrap()
            .dossier;
        assert_eq!(
            when(&d, supplement(), at(2026, 10, 7, 10, 0)).unwrap_err().code(),
            "second_supplement"
        );
        let d = when(&d, extend("2026-10-20T09:00"), at(2026, 10, 7, 11, 0))
            .unwrap()
            .dossier;
        assert_eq!(
            when(&d, extend("2026-10-21T09:00"), at(2026, 10, 7, 12, 0))
                .unwrap_err()
                .code(),
            "second_extension"
        );
    }

    #[test]
    fn the_clock_rules() {
        let last = Some("2026-10-05T09:00:00+07:00");
        assert!(check_clock(last, at(2026, 10, 5, 9, 0)).is_ok());
        assert_eq!(
            check_clock(last, at(2026, 10, 5, 8, 59)).unwrap_err().code(),
            "clock_behind"
        );
        assert!(check_clock(None, at(2000, 1, 1, 0, 0)).is_ok());
        let arrived = at(2026, 10, 5, 9, 0).fixed_offset();
        let t = |m: i64| arrived + chrono::Duration::seconds(m);
        assert!(!clock_suspect(t(120), arrived, None));
        assert!(clock_suspect(t(121), arrived, None));
        assert!(
            !clock_suspect(t(-86_400), arrived, None),
            "old events arrive late, that is fine"
        );
        assert!(clock_suspect(t(-10), arrived, Some(t(-5))));
        assert!(!clock_suspect(t(-5), arrived, Some(t(-5))));
    }
}
