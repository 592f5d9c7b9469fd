//! Days off and swapped working days of one year: generated from the law's
//! rules, then replaced occasion by occasion by the official notices of that
//! year, then adjusted by the office admin's overrides (in that order).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::lunar::{self, LunarDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    NewYear,
    Tet,
    HungKings,
    Reunification,
    Labour,
    NationalDay,
    CultureDay,
    /// Admin overrides and anything not tied to a legal holiday.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Off,
    Working,
}

/// A date whose status differs from the plain Monday–Friday week (or a
/// holiday that falls on a weekend, kept so it can be shown and compensated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DayMark {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "\"off\" | \"working\""))]
    pub kind: DayKind,
    pub reason: String,
    pub source: String,
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub occasion: Occasion,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DateRule {
    Solar {
        month: u32,
        day: u32,
    },
    Lunar {
        month: u32,
        day: u32,
    },
    LunarNewYear {
        days_before: u32,
        days: u32,
    },
    /// 2 September and one adjacent day.
    NationalDay,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HolidayRule {
    pub occasion: Occasion,
    pub reason: String,
    pub date: DateRule,
    pub basis: String,
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    #[serde(default)]
    pub effective_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HolidayRules {
    pub compensation_basis: String,
    pub rules: Vec<HolidayRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduleEntry {
    pub date: NaiveDate,
    pub reason: String,
}

/// One official announcement (a Government Office letter, a ministry notice).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notice {
    pub document: String,
    #[serde(default)]
    pub verified: bool,
    pub covers: Vec<Occasion>,
    #[serde(default)]
    pub days_off: Vec<ScheduleEntry>,
    #[serde(default)]
    pub working_days: Vec<ScheduleEntry>,
}

/// The official schedule of one year; `version` grows when the province
/// pushes a corrected one through sync.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YearSchedule {
    pub year: i32,
    pub version: u32,
    pub notices: Vec<Notice>,
}

/// A day an office admin set by hand (`motcua calendar set-off` …).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Override {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub reason: String,
}

pub const ADMIN_SOURCE: &str = "Quản trị viên cơ quan";

/// The legal holidays of `year` before compensation, one mark per day.
pub fn legal_holidays(year: i32, rules: &HolidayRules) -> Vec<DayMark> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        let mark = |date: NaiveDate, reason: String| DayMark {
            date,
            kind: DayKind::Off,
            reason,
            source: rule.basis.clone(),
            occasion: rule.occasion,
        };
        let days: Vec<(NaiveDate, String)> = match rule.date {
            DateRule::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day)
                .map(|d| vec![(d, rule.reason.clone())])
                .unwrap_or_default(),
            DateRule::Lunar { month, day } => lunar::to_solar(LunarDate {
                day,
                month,
                year,
                leap: false,
            })
            .map(|d| vec![(d, rule.reason.clone())])
            .unwrap_or_default(),
            DateRule::LunarNewYear { days_before, days } => match lunar::tet(year) {
                Some(tet) => (0..days)
                    .map(|i| {
                        let d = tet - Duration::days(i64::from(days_before)) + Duration::days(i64::from(i));
                        (d, tet_day_reason(&rule.reason, d))
                    })
                    .collect(),
                None => Vec::new(),
            },
            DateRule::NationalDay => match NaiveDate::from_ymd_opt(year, 9, 2) {
                Some(second) => {
                    let adjacent = match second.weekday() {
                        Weekday::Mon | Weekday::Thu => second + Duration::days(1),
                        _ => second - Duration::days(1),
                    };
                    let mut v = vec![(second, rule.reason.clone())];
                    v.push((adjacent, format!("{} (ngày liền kề)", rule.reason)));
                    v.sort();
                    v
                }
                None => Vec::new(),
            },
        };
        for (d, reason) in days {
            let in_force = rule.effective_from.is_none_or(|f| d >= f) && rule.effective_until.is_none_or(|u| d <= u);
            if in_force {
                out.push(mark(d, reason));
            }
        }
    }
    out.sort_by_key(|m| m.date);
    out
}

fn tet_day_reason(base: &str, d: NaiveDate) -> String {
    let l = lunar::to_lunar(d);
    if l.month == 1 {
        format!("{base} (mùng {})", l.day)
    } else {
        format!("{base} ({} tháng Chạp)", l.day)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Adds, for every holiday on a Saturday or Sunday — or on a day another
/// holiday already holds (e.g. Hùng Kings on 30 April) — a compensatory day
/// on the next weekday that is neither a holiday nor already a compensation.
fn with_compensation(holidays: Vec<DayMark>, basis: &str) -> Vec<DayMark> {
    let mut taken: BTreeMap<NaiveDate, DayMark> = BTreeMap::new();
    let mut displaced = Vec::new();
    for h in holidays.iter() {
        match taken.entry(h.date) {
            std::collections::btree_map::Entry::Occupied(_) => displaced.push(h.clone()),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(h.clone());
            }
        }
    }
    let on_weekend: Vec<DayMark> = holidays.iter().filter(|h| is_weekend(h.date)).cloned().collect();
    let mut owed = on_weekend;
    owed.extend(displaced);
    owed.sort_by_key(|h| h.date);
    for h in owed {
        let mut d = h.date + Duration::days(1);
        while is_weekend(d) || taken.contains_key(&d) {
            d += Duration::days(1);
        }
        taken.insert(
            d,
            DayMark {
                date: d,
                kind: DayKind::Off,
                reason: format!("Nghỉ bù {} ({} trùng ngày nghỉ)", h.reason, h.date.format("%d/%m")),
                source: basis.to_string(),
                occasion: h.occasion,
            },
        );
    }
    taken.into_values().collect()
}

/// Every marked day of one year after rules, notices and overrides.
#[derive(Debug, Clone)]
pub struct YearMarks {
    pub year: i32,
    pub tet: Option<NaiveDate>,
    pub marks: BTreeMap<NaiveDate, DayMark>,
}

pub fn year_marks(
    year: i32,
    rules: &HolidayRules,
    schedule: Option<&YearSchedule>,
    overrides: &[Override],
) -> YearMarks {
    let generated = with_compensation(legal_holidays(year, rules), &rules.compensation_basis);
    let mut marks: BTreeMap<NaiveDate, DayMark> = generated.into_iter().map(|m| (m.date, m)).collect();
    if let Some(schedule) = schedule.filter(|s| s.year == year) {
        for notice in &schedule.notices {
            marks.retain(|_, m| !notice.covers.contains(&m.occasion));
            let occasion = notice.covers.first().copied().unwrap_or(Occasion::Other);
            for (entries, kind) in [
                (&notice.days_off, DayKind::Off),
                (&notice.working_days, DayKind::Working),
            ] {
                for e in entries.iter().filter(|e| e.date.year() == year) {
                    marks.insert(
                        e.date,
                        DayMark {
                            date: e.date,
                            kind,
                            reason: e.reason.clone(),
                            source: notice.document.clone(),
                            occasion,
                        },
                    );
                }
            }
        }
    }
    for o in overrides.iter().filter(|o| o.date.year() == year) {
        marks.insert(
            o.date,
            DayMark {
                date: o.date,
                kind: o.kind,
                reason: o.reason.clone(),
                source: ADMIN_SOURCE.to_string(),
                occasion: Occasion::Other,
            },
        );
    }
    YearMarks {
        year,
        tet: lunar::tet(year),
        marks,
    }
}
