//! The figures the commune and the province are judged by, for any period.
//!
//! # Definitions (each figure can be checked by hand)
//! The period is `from..=to`, whole days in Vietnam time. It is judged *as
//! of* the end of `to`, or now when that is earlier.
//! - **In scope**: dossiers received on or before `to` whose processing had
//!   not ended before `from`.
//! - **received.total** = in scope = new in the period (`counter` + `post` +
//!   `online`, by channel) + `carried_over` (received before `from`, still
//!   being processed on `from`) — Biểu 06/VPCP/KSTT "tổng số", "trong kỳ",
//!   "từ kỳ trước".
//! - **resolved**: processing ended in the period. The end is the first
//!   terminal fact (result ready, refusal, withdrawal, closure, return).
//!   Split by [`Timeliness::classify`]: `early` — ended on a day before the
//!   due day; `on_time` — on the due day, at or before the due time; `late` —
//!   after the due time, or more than one supplement request. The due date is
//!   the judged one (`Dossier::judged_due`): after a completed supplement
//!   restarted the clock, or after the one extension — only when that step
//!   counted; a late extension (less than one working day before the due
//!   date, Decree 118 Art. 19(6)) or a late supplement request (after the
//!   3rd working day or the due date, Art. 16) gives the citizen a new
//!   appointment but leaves the judged due date where it was.
//! - **pending**: not ended by the end of the period; `overdue` when the due
//!   time has passed (never while waiting for a supplement whose request
//!   counted: the clock is stopped), else `within_due`. Always
//!   received.total = resolved.total + pending.total.
//! - **flags**: dossiers in scope carrying `late_extension`,
//!   `late_supplement_request` or `clock_suspect` (an event the hub saw
//!   dated after its arrival by more than two minutes, or before an
//!   earlier event of the same PC).
//! - **on_time_rate** = (early + on_time) / resolved.total, in percent,
//!   rounded half up to two decimals; `null` ("no data") when nothing was resolved.
//! - **Decision 766** indicators the counter's data feeds, as the national
//!   portal computes them ("Mô tả công thức tính chỉ số 766", the
//!   calculation sheet behind the Cổng DVCQG's 766 dashboard; groups
//!   1 công khai, minh bạch · 2 tiến độ, kết quả giải quyết · 3 cung cấp
//!   dịch vụ trực tuyến · 4 số hóa hồ sơ · 5 mức độ hài lòng):
//!   1.4 synced share = dossiers received in the period that the provincial
//!   hub acknowledged / dossiers received in the period (no data when the
//!   counter was never enrolled); 2.1 = dossiers handled in the period "in
//!   time" (ended early or on time, or still open and within due at the
//!   period's end) / all in scope (resolved + pending) — not Biểu 06's
//!   `on_time_rate`, which counts only the ended; 2.2 average processing
//!   time = mean of (end − reception − the applicant's supplement time), in
//!   working days (the opening hours of working days it took ÷ the opening
//!   hours of one day; `average_processing_days` keeps the same mean in days
//!   of 24 hours), over the dossiers received in the period that ended
//!   with their result (processed or returned; refusals, withdrawals and
//!   stops are not averaged), whenever they ended, per procedure and
//!   overall; 3.3 share by channel of the dossiers received in the period
//!   (the value is the online share); 3.6 online payments, 4.1 electronic
//!   results, 4.2 digitised dossiers, 4.3 reused digitised data and 5.4
//!   satisfaction (100 % − (late share + share complained about or rated
//!   "dislike")): no data until the counter records payments, result files,
//!   scans, reuse and citizens' ratings. Refusals: the counter's refusal to
//!   accept is status 3; a refusal to resolve a dossier already accepted
//!   stops processing (status 8). Both end the dossier and are judged like
//!   any other end.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::dossier::{Flag, Timeliness};
use crate::messages as msg;

/// One dossier as the report reads it (columns of the `dossiers` table).
#[derive(Debug, Clone)]
pub struct Facts {
    pub procedure_code: String,
    pub procedure_name: String,
    pub field: String,
    /// `counter`, `online` or `post`.
    pub channel: String,
    pub receipt_date: NaiveDate,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    pub ended_at: Option<DateTime<FixedOffset>>,
    /// Waiting for a supplement whose request counted (the clock is stopped).
    pub waiting_for_supplement: bool,
    pub supplement_requests: u32,
    /// The rules' flags and the hub's clock verdict.
    pub flags: Vec<Flag>,
    /// Ended with its result (processed or returned): the dossiers 2.2 averages.
    pub with_result: bool,
    /// The completed supplement (asked, done): the applicant's time, which
    /// 2.2 leaves out of the processing time.
    pub supplement: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
}

/// The completed supplement of a dossier, from its stored request and
/// completion times; `None` while none was completed (or when the stored
/// times do not read, which the report then holds against no one).
pub fn completed_supplement(
    requested_at: Option<&str>,
    completed_at: Option<&str>,
) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let time = |s: Option<&str>| s.and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    match (time(requested_at), time(completed_at)) {
        (Some(asked), Some(done)) if done > asked => Some((asked, done)),
        _ => None,
    }
}

impl Facts {
    /// The facts of a whole dossier (where no `dossiers` row holds them,
    /// e.g. the hub's register); the same values the row's columns keep.
    pub fn of(d: &crate::dossier::Dossier) -> crate::error::Result<Facts> {
        let corrupt = |what: &str| crate::error::Error::refused("corrupt_row", msg::corrupt_row(what));
        let time = |s: &str| DateTime::parse_from_rfc3339(s).map_err(|e| corrupt(&e.to_string()));
        Ok(Facts {
            procedure_code: d.procedure.code.clone(),
            procedure_name: d.procedure.name.clone(),
            field: d.procedure.field.clone(),
            channel: d.channel.key().to_string(),
            receipt_date: crate::code::parse(&d.code).ok_or_else(|| corrupt(&d.code))?.date,
            received_at: time(&d.received_at)?,
            due_at: time(d.judged_due())?,
            ended_at: d.ended_at.as_deref().map(time).transpose()?,
            waiting_for_supplement: d.clock_stopped(),
            supplement_requests: d.supplement_requests,
            flags: d.flags.clone(),
            with_result: matches!(
                d.status,
                crate::dossier::Status::Processed | crate::dossier::Status::Returned
            ),
            supplement: d
                .supplement
                .as_ref()
                .and_then(|s| completed_supplement(Some(&s.requested_at), s.completed_at.as_deref())),
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Received {
    pub total: i64,
    pub counter: i64,
    pub post: i64,
    pub online: i64,
    pub carried_over: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Resolved {
    pub total: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Pending {
    pub total: i64,
    pub within_due: i64,
    pub overdue: i64,
}

/// The Biểu 06 columns of one row (a procedure, a field, or the total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Counts {
    pub received: Received,
    pub resolved: Resolved,
    pub pending: Pending,
    pub on_time_rate: Option<f64>,
    /// Mean processing time, in days of 24 hours, of the dossiers received
    /// in the period that ended with their result (see the module).
    pub average_processing_days: Option<f64>,
    /// 2.2: the same mean in working days — the opening hours of working
    /// days it took, over the opening hours of one working day.
    pub average_working_days: Option<f64>,
    #[serde(skip)]
    processing_hours: f64,
    #[serde(skip)]
    open_hours: f64,
    /// How many dossiers 2.2 averaged.
    #[serde(skip)]
    timed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProcedureRow {
    pub code: String,
    pub name: String,
    pub field: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldRow {
    pub field: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub counts: Counts,
}

/// Dossiers resolved in one month of the period (the trend chart).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub resolved: Resolved,
    pub on_time_rate: Option<f64>,
}

/// One Decision 766 figure. `value` is `null` when the data does not
/// exist; `no_data` then says why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
    pub unit: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub no_data: Option<String>,
    pub definition: String,
    /// Sub-figures (3.3: the share of each channel).
    pub parts: BTreeMap<String, f64>,
}

impl Indicator {
    /// The value as paper and the CLI write it ("93,33 %", "3,1 ngày làm
    /// việc"); `None` when there is no data.
    pub fn value_text(&self) -> Option<String> {
        self.value.map(|v| match self.unit.as_str() {
            "%" => format!("{} %", crate::text::vn_number(v, 2)),
            unit => format!("{} {unit}", crate::text::vn_number(v, 1)),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Report {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub to: NaiveDate,
    /// The moment pending dossiers were judged at (RFC 3339).
    pub as_of: String,
    pub received: Received,
    pub resolved: Resolved,
    pub pending: Pending,
    pub on_time_rate: Option<f64>,
    pub average_processing_days: Option<f64>,
    /// 2.2 in working days (see `Counts`).
    pub average_working_days: Option<f64>,
    pub by_procedure: Vec<ProcedureRow>,
    pub by_field: Vec<FieldRow>,
    pub by_month: Vec<MonthRow>,
    pub indicators: BTreeMap<String, Indicator>,
    /// Dossiers in scope carrying each flag.
    pub flags: FlagCounts,
}

/// How many dossiers in scope carry each flag (see `dossier::rules`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FlagCounts {
    pub late_extension: i64,
    pub late_supplement_request: i64,
    pub clock_suspect: i64,
}

impl FlagCounts {
    /// Counts a dossier once per flag it carries.
    fn add(&mut self, flags: &[Flag]) {
        for f in Flag::ALL.into_iter().filter(|f| flags.contains(f)) {
            match f {
                Flag::LateExtension => self.late_extension += 1,
                Flag::LateSupplementRequest => self.late_supplement_request += 1,
                Flag::ClockSuspect => self.clock_suspect += 1,
            }
        }
    }
}

impl Report {
    /// The total row.
    pub fn totals(&self) -> Counts {
        Counts {
            received: self.received,
            resolved: self.resolved,
            pending: self.pending,
            on_time_rate: self.on_time_rate,
            average_processing_days: self.average_processing_days,
            average_working_days: self.average_working_days,
            processing_hours: 0.0,
            open_hours: 0.0,
            timed: 0,
        }
    }
}

impl Resolved {
    /// Counts one dossier that ended (`t` is early, on time or late).
    fn count(&mut self, t: Timeliness) {
        self.total += 1;
        match t {
            Timeliness::Early => self.early += 1,
            Timeliness::OnTime => self.on_time += 1,
            _ => self.late += 1,
        }
    }
}

/// `n / d` in percent, rounded half up to two decimals (exact integer
/// arithmetic); `None` when `d` is 0.
pub fn percent(n: i64, d: i64) -> Option<f64> {
    if d <= 0 {
        return None;
    }
    let hundredths = (n as i128 * 20_000 + d as i128) / (2 * d as i128);
    Some(hundredths as f64 / 100.0)
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// How long one dossier took, for 2.2.
#[derive(Debug, Clone, Copy)]
struct Took {
    clock_hours: f64,
    /// Opening hours of working days.
    open_hours: f64,
}

impl Took {
    /// 2.2 counts by the start: a dossier received in the period that
    /// ended with its result, whenever that was (as the national portal
    /// counts it), less the applicant's supplement time.
    fn of(f: &Facts, from: NaiveDate, calendar: &Calendar) -> Option<Took> {
        let end = f.ended_at.filter(|_| f.with_result && f.receipt_date >= from)?;
        let (waited, waited_open) = match f.supplement {
            Some((asked, done)) => (done - asked, calendar.open_hours(asked, done)),
            None => (chrono::Duration::zero(), 0.0),
        };
        Some(Took {
            clock_hours: (end - f.received_at - waited).num_seconds().max(0) as f64 / 3600.0,
            open_hours: (calendar.open_hours(f.received_at, end) - waited_open).max(0.0),
        })
    }
}

impl Counts {
    fn add(&mut self, f: &Facts, from: NaiveDate, t: Timeliness, took: Option<Took>) {
        if f.receipt_date < from {
            self.received.carried_over += 1;
        } else {
            match f.channel.as_str() {
                "online" => self.received.online += 1,
                "post" => self.received.post += 1,
                _ => self.received.counter += 1,
            }
        }
        self.received.total += 1;
        if let Some(took) = took {
            self.timed += 1;
            self.processing_hours += took.clock_hours;
            self.open_hours += took.open_hours;
        }
        if t.is_resolved() {
            self.resolved.count(t);
        } else {
            self.pending.total += 1;
            if t == Timeliness::PendingOverdue {
                self.pending.overdue += 1;
            } else {
                self.pending.within_due += 1;
            }
        }
    }

    fn finish(&mut self, day_hours: f64) {
        self.on_time_rate = percent(self.resolved.early + self.resolved.on_time, self.resolved.total);
        self.average_processing_days =
            (self.timed > 0).then(|| one_decimal(self.processing_hours / 24.0 / self.timed as f64));
        self.average_working_days =
            (self.timed > 0 && day_hours > 0.0).then(|| one_decimal(self.open_hours / day_hours / self.timed as f64));
    }
}

/// What the report needs besides the dossiers.
pub struct Context<'a> {
    /// Dossiers received in the period that the hub acknowledged; `None`
    /// when this counter never synced (1.4 has no data).
    pub synced_received: Option<i64>,
    /// The working days and opening hours 2.2 measures time in.
    pub calendar: &'a Calendar,
}

/// The moment a period's pending dossiers are judged at: the last second
/// of `to`, or now while the period is still running.
pub fn as_of(to: NaiveDate, now: DateTime<chrono::Utc>) -> DateTime<FixedOffset> {
    let end_of_period = crate::vntime::at(to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default())
        - chrono::Duration::seconds(1);
    end_of_period.min(crate::vntime::from_utc(now))
}

/// Computes every figure of the period from the dossiers in scope (the
/// caller may pass more; those out of scope are skipped).
pub fn compute(
    facts: impl IntoIterator<Item = Facts>,
    from: NaiveDate,
    to: NaiveDate,
    as_of: DateTime<FixedOffset>,
    context: &Context,
) -> Report {
    let mut total = Counts::default();
    let mut procedures: BTreeMap<(String, String), (String, Counts)> = BTreeMap::new();
    let mut fields: BTreeMap<String, Counts> = BTreeMap::new();
    let mut months: BTreeMap<String, Resolved> = BTreeMap::new();
    let mut flags = FlagCounts::default();
    for f in facts {
        let ended_before = f.ended_at.is_some_and(|e| e.date_naive() < from);
        if f.receipt_date > to || ended_before {
            continue;
        }
        // Ended after the period: still pending as of its end.
        let end = f.ended_at.filter(|e| *e <= as_of && e.date_naive() <= to);
        let t = Timeliness::classify(
            f.due_at,
            end,
            f.waiting_for_supplement && end.is_none(),
            f.supplement_requests,
            as_of,
        );
        // Measured once, counted in the total, its field and its procedure.
        let took = Took::of(&f, from, context.calendar);
        total.add(&f, from, t, took);
        flags.add(&f.flags);
        fields.entry(f.field.clone()).or_default().add(&f, from, t, took);
        procedures
            .entry((f.field.clone(), f.procedure_code.clone()))
            .or_insert_with(|| (f.procedure_name.clone(), Counts::default()))
            .1
            .add(&f, from, t, took);
        if let (true, Some(e)) = (t.is_resolved(), end) {
            months.entry(e.format("%Y-%m").to_string()).or_default().count(t);
        }
    }
    let day_hours = context.calendar.day_hours();
    total.finish(day_hours);
    let by_procedure = procedures
        .into_iter()
        .map(|((field, code), (name, mut counts))| {
            counts.finish(day_hours);
            ProcedureRow {
                code,
                name,
                field,
                counts,
            }
        })
        .collect();
    let by_field = fields
        .into_iter()
        .map(|(field, mut counts)| {
            counts.finish(day_hours);
            FieldRow { field, counts }
        })
        .collect();
    let by_month = months
        .into_iter()
        .map(|(month, r)| MonthRow {
            on_time_rate: percent(r.early + r.on_time, r.total),
            month,
            resolved: r,
        })
        .collect();
    Report {
        from,
        to,
        as_of: crate::vntime::iso(&as_of),
        received: total.received,
        resolved: total.resolved,
        pending: total.pending,
        on_time_rate: total.on_time_rate,
        average_processing_days: total.average_processing_days,
        average_working_days: total.average_working_days,
        by_procedure,
        by_field,
        by_month,
        indicators: indicators(&total, context),
        flags,
    }
}

fn indicator(
    code: &str,
    value: Option<f64>,
    unit: &str,
    numerator: Option<i64>,
    denominator: Option<i64>,
) -> Indicator {
    let (name, definition) = msg::indicator_text(code);
    Indicator {
        code: code.to_string(),
        name: name.to_string(),
        no_data: value.is_none().then(|| msg::indicator_no_data(code).to_string()),
        value,
        unit: unit.to_string(),
        numerator,
        denominator,
        definition: definition.to_string(),
        parts: BTreeMap::new(),
    }
}

/// The Decision 766 indicators the counter's data feeds, in the national
/// portal's numbering ("Mô tả công thức tính chỉ số 766"): every report
/// carries each of them, with "no data" where there is none.
pub const INDICATORS: [&str; 9] = ["1.4", "2.1", "2.2", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4"];

fn indicators(total: &Counts, context: &Context) -> BTreeMap<String, Indicator> {
    let r = &total.received;
    let new = r.counter + r.post + r.online;
    let mut out: BTreeMap<String, Indicator> = INDICATORS
        .iter()
        .map(|code| (code.to_string(), indicator(code, None, "%", None, None)))
        .collect();
    let mut set = |i: Indicator| {
        out.insert(i.code.clone(), i);
    };
    let synced = context.synced_received.filter(|_| new > 0);
    set(indicator(
        "1.4",
        synced.and_then(|s| percent(s, new)),
        "%",
        synced,
        synced.map(|_| new),
    ));
    // 2.1 counts the dossiers "đã và đang xử lý": those ended in the period
    // by how they ended, those still open by whether their due time had
    // passed at the period's end (Biểu 06's rate counts only the ended).
    let in_time = total.resolved.early + total.resolved.on_time + total.pending.within_due;
    let handled = total.resolved.total + total.pending.total;
    set(indicator(
        "2.1",
        percent(in_time, handled),
        "%",
        Some(in_time),
        Some(handled),
    ));
    set(indicator(
        "2.2",
        total.average_working_days,
        "ngày làm việc",
        None,
        Some(total.timed),
    ));
    let mut channels = indicator("3.3", percent(r.online, new), "%", Some(r.online), Some(new));
    for (key, n) in [("counter", r.counter), ("online", r.online), ("post", r.post)] {
        if let Some(p) = percent(n, new) {
            channels.parts.insert(key.to_string(), p);
        }
    }
    set(channels);
    // 3.6, 4.1, 4.2, 4.3 and 5.4 need facts the counter does not record
    // yet (online payments, electronic results, scans, reused data,
    // citizens' ratings): they stay "no data", never 0 % and never a
    // stand-in such as late ÷ resolved.
    out
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percent_rounds_half_up_exactly() {
        assert_eq!(percent(25_628, 26_814), Some(95.58));
        assert_eq!(percent(53_106, 53_172), Some(99.88));
        assert_eq!(percent(5_659, 5_695), Some(99.37));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(1, 800), Some(0.13));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(3, 3), Some(100.0));
    }
}
