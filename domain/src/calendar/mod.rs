//! Working days, opening hours and the due date of a dossier.
//!
//! # The rules (one place, documented here)
//! * A **working day** is Monday–Friday, unless the year's marks say it is
//!   off (holiday, compensation, swap), plus any Saturday/Sunday the marks
//!   declare a working day (a swapped "làm bù" day).
//! * **Receiving sessions** are the opening intervals (default 07:00–11:30,
//!   13:30–17:00) of working days, plus the morning interval of ordinary
//!   Saturdays when the office receives on Saturday mornings. Intervals are
//!   half-open: a receipt at 17:00 sharp is after hours.
//! * The **start** of a period is the receipt time if it falls inside a
//!   receiving session, otherwise the next opening of a session.
//! * **Working days N**: counted from the next working day after the start
//!   date; due on the N-th such day at the same clock time as the start.
//!   N = 0 means due at the start.
//! * **Calendar days N**: the period ends at the end (closing time) of its
//!   last day, start date + N (Civil Code 2015 Art. 148(1)); when that date
//!   is not a working day, at the closing of the next working day. (Keeping
//!   the start's clock time instead would let a later receipt fall due
//!   earlier when both land on the same working day after days off.)
//! * **Hours H**: every full 8 h is one working day (as above); the rest is
//!   consumed minute by minute inside the opening intervals of working days.
//! * **Same day**: due at closing time of the start's day if the start is
//!   before the cut-off (default 15:00) — the closing of a Saturday morning
//!   session on a Saturday —, else at closing time of the next working day.
//! * **Restart** (supplement completed, Decree 118 Art. 19(5)): the rule is
//!   applied again from the completion time. **Extension**: the due date moves
//!   once to a date the clerk gives; see [`Calendar::extend`].

pub mod holidays;
pub mod lunar;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::vntime::{self, VnTime};
pub use holidays::{DayKind, DayMark, HolidayRules, Occasion, Override, YearMarks, YearSchedule};

/// Opening hours of one office. Times are Vietnam wall-clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficeHours {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub morning_open: NaiveTime,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub morning_close: NaiveTime,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub afternoon_open: NaiveTime,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub afternoon_close: NaiveTime,
    pub saturday_morning: bool,
    /// Same-day procedures received at or after this time are due the next working day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub same_day_cutoff: NaiveTime,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for OfficeHours {
    fn default() -> Self {
        OfficeHours {
            morning_open: hm(7, 0),
            morning_close: hm(11, 30),
            afternoon_open: hm(13, 30),
            afternoon_close: hm(17, 0),
            saturday_morning: false,
            same_day_cutoff: hm(15, 0),
        }
    }
}

impl OfficeHours {
    /// Parses `07:00-11:30` pairs and the `15:00` cut-off; the afternoon
    /// must follow the morning and the cut-off fall inside opening hours.
    pub fn with_sessions(morning: &str, afternoon: &str, saturday_morning: bool, cutoff: &str) -> Result<OfficeHours> {
        let (mo, mc) = parse_interval(morning)?;
        let (ao, ac) = parse_interval(afternoon)?;
        if mc > ao {
            return Err(Error::invalid("bad_hours", "hours", msg::hours_format(afternoon)));
        }
        let same_day_cutoff = NaiveTime::parse_from_str(cutoff.trim(), "%H:%M")
            .ok()
            .filter(|c| *c > mo && *c <= ac)
            .ok_or_else(|| Error::invalid("bad_cutoff", "same_day_cutoff", msg::cutoff_format(cutoff)))?;
        Ok(OfficeHours {
            morning_open: mo,
            morning_close: mc,
            afternoon_open: ao,
            afternoon_close: ac,
            saturday_morning,
            same_day_cutoff,
        })
    }

    fn intervals(&self) -> [(NaiveTime, NaiveTime); 2] {
        [
            (self.morning_open, self.morning_close),
            (self.afternoon_open, self.afternoon_close),
        ]
    }
}

fn parse_interval(s: &str) -> Result<(NaiveTime, NaiveTime)> {
    let bad = || Error::invalid("bad_hours", "hours", msg::hours_format(s));
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let a = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| bad())?;
    let b = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| bad())?;
    if a >= b {
        return Err(bad());
    }
    Ok((a, b))
}

/// How long a procedure may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum TimeRule {
    WorkingDays(u32),
    CalendarDays(u32),
    Hours(u32),
    SameDay,
}

impl TimeRule {
    /// "05 ngày làm việc", as the receipt prints it; same-day rules name
    /// the office's cut-off.
    pub fn describe(&self, cutoff: NaiveTime) -> String {
        match self {
            TimeRule::WorkingDays(n) => format!("{n:02} ngày làm việc"),
            TimeRule::CalendarDays(n) => format!("{n:02} ngày"),
            TimeRule::Hours(n) => format!("{n:02} giờ làm việc"),
            TimeRule::SameDay => msg::same_day_rule(&cutoff.format("%H:%M").to_string()),
        }
    }
}

/// Everything the calendar is built from: the law's rules, the official
/// schedules per year, and the office's overrides.
#[derive(Debug, Clone)]
pub struct CalendarData {
    pub rules: HolidayRules,
    pub schedules: BTreeMap<i32, YearSchedule>,
    pub overrides: Vec<Override>,
}

impl CalendarData {
    /// The rules and official schedules shipped in `assets/calendar`.
    pub fn bundled() -> CalendarData {
        let rules: HolidayRules = serde_json::from_str(include_str!("../../../assets/calendar/holiday-rules.json"))
            .unwrap_or(HolidayRules {
                compensation_basis: String::new(),
                rules: Vec::new(),
            });
        let mut schedules = BTreeMap::new();
        for raw in [
            include_str!("../../../assets/calendar/official/2024.json"),
            include_str!("../../../assets/calendar/official/2025.json"),
            include_str!("../../../assets/calendar/official/2026.json"),
        ] {
            if let Ok(s) = serde_json::from_str::<YearSchedule>(raw) {
                schedules.insert(s.year, s);
            }
        }
        CalendarData {
            rules,
            schedules,
            overrides: Vec::new(),
        }
    }
}

/// The working-day calendar of one office. Year marks are computed on
/// first use and kept.
#[derive(Debug)]
pub struct Calendar {
    data: CalendarData,
    pub hours: OfficeHours,
    years: Mutex<BTreeMap<i32, Arc<YearMarks>>>,
}

/// A due date moves at most 3 years ahead; the walk stops there rather than
/// loop on a calendar an admin marked entirely off.
const MAX_WALK_DAYS: i64 = 366 * 3;

impl Calendar {
    pub fn new(data: CalendarData, hours: OfficeHours) -> Calendar {
        Calendar {
            data,
            hours,
            years: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn year(&self, year: i32) -> Arc<YearMarks> {
        let mut cache = self.years.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(year)
            .or_insert_with(|| {
                Arc::new(holidays::year_marks(
                    year,
                    &self.data.rules,
                    self.data.schedules.get(&year),
                    &self.data.overrides,
                ))
            })
            .clone()
    }

    pub fn mark(&self, d: NaiveDate) -> Option<DayMark> {
        self.year(d.year()).marks.get(&d).cloned()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.mark(d).map(|m| m.kind) {
            Some(DayKind::Off) => false,
            Some(DayKind::Working) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// A Saturday that is not a working day but on which the office
    /// receives in the morning.
    fn is_saturday_session(&self, d: NaiveDate) -> bool {
        self.hours.saturday_morning && d.weekday() == Weekday::Sat && !self.is_working_day(d) && self.mark(d).is_none()
    }

    fn sessions(&self, d: NaiveDate) -> Vec<(NaiveTime, NaiveTime)> {
        if self.is_working_day(d) {
            self.hours.intervals().to_vec()
        } else if self.is_saturday_session(d) {
            vec![(self.hours.morning_open, self.hours.morning_close)]
        } else {
            Vec::new()
        }
    }

    /// The next working day strictly after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d + Duration::days(1);
        for _ in 0..MAX_WALK_DAYS {
            if self.is_working_day(x) {
                return x;
            }
            x += Duration::days(1);
        }
        x
    }

    /// The start of a period: `t` if it is inside a receiving session, else
    /// the next opening.
    pub fn period_start(&self, t: VnTime) -> VnTime {
        let mut day = t.date_naive();
        let time = t.time();
        for (open, close) in self.sessions(day) {
            if time < open {
                return at(day, open);
            }
            if time < close {
                return t;
            }
        }
        for _ in 0..MAX_WALK_DAYS {
            day += Duration::days(1);
            if let Some((open, _)) = self.sessions(day).first() {
                return at(day, *open);
            }
        }
        t
    }

    pub fn add_working_days(&self, start: VnTime, n: u32) -> VnTime {
        let mut day = start.date_naive();
        for _ in 0..n {
            day = self.next_working_day(day);
        }
        at(day, start.time())
    }

    /// Consumes `minutes` of opening time from `start` (inside the opening
    /// intervals of working days only).
    fn add_open_minutes(&self, start: VnTime, minutes: i64) -> VnTime {
        let mut left = minutes;
        let mut day = start.date_naive();
        let mut from = start.time();
        for _ in 0..MAX_WALK_DAYS {
            if self.is_working_day(day) {
                for (open, close) in self.hours.intervals() {
                    let begin = from.max(open);
                    if begin >= close {
                        continue;
                    }
                    let available = (close - begin).num_minutes();
                    if left <= available {
                        return at(day, begin + Duration::minutes(left));
                    }
                    left -= available;
                }
            }
            day += Duration::days(1);
            from = NaiveTime::MIN;
        }
        at(day, from)
    }

    /// Opening hours of one working day (8 with the default sessions).
    pub fn day_hours(&self) -> f64 {
        self.hours
            .intervals()
            .iter()
            .map(|(open, close)| (*close - *open).num_minutes() as f64 / 60.0)
            .sum()
    }

    /// The opening time between two moments, in hours: the parts of the
    /// opening intervals of working days that fall between them (a
    /// Saturday receiving session is not processing time, as in
    /// `add_open_minutes`). Zero when `to` is not after `from`.
    pub fn open_hours(&self, from: VnTime, to: VnTime) -> f64 {
        if to <= from {
            return 0.0;
        }
        let (first, last) = (from.date_naive(), to.date_naive());
        let mut minutes = 0;
        let mut day = first;
        while day <= last {
            if self.is_working_day(day) {
                for (open, close) in self.hours.intervals() {
                    let begin = if day == first { open.max(from.time()) } else { open };
                    let end = if day == last { close.min(to.time()) } else { close };
                    minutes += (end - begin).num_minutes().max(0);
                }
            }
            day += Duration::days(1);
        }
        minutes as f64 / 60.0
    }

    fn closing(&self, d: NaiveDate) -> VnTime {
        let close = self
            .sessions(d)
            .last()
            .map(|s| s.1)
            .unwrap_or(self.hours.afternoon_close);
        at(d, close)
    }

    /// The due date of a dossier received at `received` under `rule`.
    pub fn due(&self, received: VnTime, rule: TimeRule) -> VnTime {
        let start = self.period_start(received);
        match rule {
            TimeRule::WorkingDays(n) => self.add_working_days(start, n),
            TimeRule::CalendarDays(n) => {
                let mut day = start.date_naive() + Duration::days(i64::from(n));
                if !self.is_working_day(day) {
                    day = self.next_working_day(day);
                }
                self.closing(day)
            }
            TimeRule::Hours(h) => {
                let whole = self.add_working_days(start, h / 8);
                // A start on a Saturday session counts its hours from the next working day.
                let base = if self.is_working_day(whole.date_naive()) {
                    whole
                } else {
                    self.period_start(at(self.next_working_day(whole.date_naive()), NaiveTime::MIN))
                };
                self.add_open_minutes(base, i64::from(h % 8) * 60)
            }
            TimeRule::SameDay => {
                let day = start.date_naive();
                if start.time() < self.hours.same_day_cutoff {
                    self.closing(day)
                } else {
                    self.closing(self.next_working_day(day))
                }
            }
        }
    }

    /// Decree 118 Art. 19(5): the period restarts from zero when the
    /// supplement is complete.
    pub fn restart(&self, completed_at: VnTime, rule: TimeRule) -> VnTime {
        self.due(completed_at, rule)
    }

    /// An extension moves the due date once, to a later working moment.
    pub fn extend(&self, current_due: VnTime, new_due: VnTime) -> Result<VnTime> {
        if new_due <= current_due {
            return Err(Error::invalid(
                "extension_not_later",
                "new_due",
                msg::EXTENSION_NOT_LATER,
            ));
        }
        if !self.is_working_day(new_due.date_naive()) {
            return Err(Error::invalid("extension_day_off", "new_due", msg::EXTENSION_DAY_OFF));
        }
        Ok(new_due)
    }

    /// All marks of a year, days off and working days, in date order.
    pub fn year_listing(&self, year: i32) -> (Option<NaiveDate>, Vec<DayMark>, Vec<DayMark>) {
        let y = self.year(year);
        let (off, working): (Vec<DayMark>, Vec<DayMark>) =
            y.marks.values().cloned().partition(|m| m.kind == DayKind::Off);
        (y.tet, off, working)
    }
}

fn at(d: NaiveDate, t: NaiveTime) -> VnTime {
    vntime::at(d.and_time(t.with_second(0).unwrap_or(t).with_nanosecond(0).unwrap_or(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::new(CalendarData::bundled(), OfficeHours::default())
    }

    fn t(s: &str) -> VnTime {
        vntime::parse_local("t", "t", s).unwrap()
    }

    fn due(c: &Calendar, received: &str, rule: TimeRule) -> String {
        vntime::iso_minutes(&c.due(t(received), rule))
    }

    #[test]
    fn open_hours_count_only_sessions_of_working_days() {
        let c = cal();
        assert_eq!(c.day_hours(), 8.0);
        // Mon 09:00 → Thu 09:00: three working days; two when Tuesday is
        // 24 Nov, the Day of Vietnamese Culture.
        assert_eq!(c.open_hours(t("2026-11-09T09:00"), t("2026-11-12T09:00")), 24.0);
        assert_eq!(c.open_hours(t("2026-11-23T09:00"), t("2026-11-26T09:00")), 16.0);
        // Within a day, the lunch break is not counted: 09:00–11:30 + 13:30–15:00.
        assert_eq!(c.open_hours(t("2026-11-23T09:00"), t("2026-11-23T15:00")), 4.0);
        // Fri 15:00 → Mon 08:00: two hours on Friday, one on Monday, none at the weekend.
        assert_eq!(c.open_hours(t("2026-11-27T15:00"), t("2026-11-30T08:00")), 3.0);
        // Thu 12 Feb → Tue 24 Feb 2026 10:00 over Tết: 12th, 13th, 23rd whole, the 24th 07:00–10:00.
        assert_eq!(c.open_hours(t("2026-02-12T07:00"), t("2026-02-24T10:00")), 27.0);
        assert_eq!(c.open_hours(t("2026-11-26T09:00"), t("2026-11-23T09:00")), 0.0);
    }

    #[test]
    fn working_days_skip_tet_2026() {
        let c = cal();
        // Fri 13 Feb 2026 09:00 + 1 working day: 14–22 Feb off → Mon 23 Feb.
        assert_eq!(
            due(&c, "2026-02-13T09:00", TimeRule::WorkingDays(1)),
            "2026-02-23T09:00"
        );
        assert_eq!(
            due(&c, "2026-02-12T10:15", TimeRule::WorkingDays(3)),
            "2026-02-24T10:15"
        );
    }

    #[test]
    fn same_day_cutoff_and_after_hours() {
        let c = cal();
        assert_eq!(due(&c, "2026-11-26T14:59", TimeRule::SameDay), "2026-11-26T17:00");
        assert_eq!(due(&c, "2026-11-26T15:00", TimeRule::SameDay), "2026-11-27T17:00");
        // Friday after the cut-off → Monday.
        assert_eq!(due(&c, "2026-11-27T15:30", TimeRule::SameDay), "2026-11-30T17:00");
        // Before opening counts from opening.
        assert_eq!(due(&c, "2026-11-26T06:00", TimeRule::SameDay), "2026-11-26T17:00");
    }

    #[test]
    fn hungs_kings_2026_sunday_is_compensated_monday() {
        let c = cal();
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2026, 4, 27).unwrap()));
        assert_eq!(
            due(&c, "2026-04-24T08:00", TimeRule::WorkingDays(1)),
            "2026-04-28T08:00"
        );
    }

    #[test]
    fn swapped_saturday_2025_is_a_working_day() {
        let c = cal();
        assert!(c.is_working_day(NaiveDate::from_ymd_opt(2025, 4, 26).unwrap()));
        // Fri 25 Apr + 1 → Sat 26 Apr (làm bù); +3 → Tue 29 Apr; +4 → Mon 5 May (30/4–4/5 off).
        assert_eq!(
            due(&c, "2025-04-25T09:00", TimeRule::WorkingDays(1)),
            "2025-04-26T09:00"
        );
        assert_eq!(
            due(&c, "2025-04-25T09:00", TimeRule::WorkingDays(3)),
            "2025-04-29T09:00"
        );
        assert_eq!(
            due(&c, "2025-04-25T09:00", TimeRule::WorkingDays(4)),
            "2025-05-05T09:00"
        );
    }

    #[test]
    fn hours_stay_inside_opening_hours() {
        let c = cal();
        assert_eq!(due(&c, "2026-11-26T10:00", TimeRule::Hours(4)), "2026-11-26T16:00");
        assert_eq!(due(&c, "2026-11-26T10:00", TimeRule::Hours(8)), "2026-11-27T10:00");
        assert_eq!(due(&c, "2026-11-27T16:00", TimeRule::Hours(2)), "2026-11-30T08:00");
    }

    #[test]
    fn calendar_days_move_off_days_off() {
        let c = cal();
        // Thu 26 Nov 2026 + 2 days = Sat 28 → Mon 30, at closing.
        assert_eq!(
            due(&c, "2026-11-26T09:00", TimeRule::CalendarDays(2)),
            "2026-11-30T17:00"
        );
    }

    #[test]
    fn new_year_2026_swap() {
        let c = cal();
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()));
        assert!(c.is_working_day(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()));
        assert_eq!(
            due(&c, "2025-12-31T09:00", TimeRule::WorkingDays(1)),
            "2026-01-05T09:00"
        );
    }

    #[test]
    fn saturday_morning_office() {
        let hours = OfficeHours {
            saturday_morning: true,
            ..OfficeHours::default()
        };
        let c = Calendar::new(CalendarData::bundled(), hours);
        assert_eq!(due(&c, "2026-11-28T09:00", TimeRule::SameDay), "2026-11-28T11:30");
        assert_eq!(
            due(&c, "2026-11-28T09:00", TimeRule::WorkingDays(3)),
            "2026-12-02T09:00"
        );
        assert_eq!(due(&c, "2026-11-28T12:00", TimeRule::SameDay), "2026-11-30T17:00");
    }
}
