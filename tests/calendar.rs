//! Due dates across the holidays that make a day's receipts wrong when the
//! calendar is wrong, for every time unit; and properties over any moment.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use motcua::calendar::holidays::legal_holidays;
use motcua::calendar::{Calendar, CalendarData, OfficeHours, TimeRule};
use motcua::vntime::{self, VnTime};
use proptest::prelude::*;

fn cal() -> Calendar {
    Calendar::new(CalendarData::bundled(), OfficeHours::default())
}

fn t(s: &str) -> VnTime {
    vntime::parse_local("t", "t", s).unwrap()
}

use TimeRule::*;

/// (received, rule, due) — worked out by hand from the official schedules.
const TABLE: &[(&str, TimeRule, &str)] = &[
    // Tết Ất Tỵ 2025: off Sat 25 Jan – Sun 2 Feb.
    ("2025-01-24T10:00", WorkingDays(1), "2025-02-03T10:00"),
    ("2025-01-23T09:00", WorkingDays(3), "2025-02-04T09:00"),
    ("2025-01-23T09:00", CalendarDays(5), "2025-02-03T17:00"),
    ("2025-01-24T15:00", Hours(4), "2025-02-03T09:00"),
    ("2025-01-24T15:30", SameDay, "2025-02-03T17:00"),
    ("2025-01-25T09:00", SameDay, "2025-02-03T17:00"),
    // Tết Bính Ngọ 2026: off Sat 14 – Sun 22 Feb.
    ("2026-02-13T09:00", WorkingDays(1), "2026-02-23T09:00"),
    ("2026-02-12T16:00", WorkingDays(2), "2026-02-23T16:00"),
    ("2026-02-12T08:00", CalendarDays(3), "2026-02-23T17:00"),
    ("2026-02-13T10:00", Hours(8), "2026-02-23T10:00"),
    ("2026-02-13T16:00", Hours(3), "2026-02-23T09:00"),
    ("2026-02-13T15:01", SameDay, "2026-02-23T17:00"),
    ("2026-02-13T14:59", SameDay, "2026-02-13T17:00"),
    // 30/4–1/5/2025: off Wed 30 Apr – Sun 4 May, Sat 26 Apr worked instead of Fri 2 May.
    ("2025-04-25T09:00", WorkingDays(1), "2025-04-26T09:00"),
    ("2025-04-29T14:00", WorkingDays(2), "2025-05-06T14:00"),
    ("2025-04-29T08:00", CalendarDays(1), "2025-05-05T17:00"),
    ("2025-04-29T14:00", Hours(4), "2025-05-05T08:00"),
    ("2025-04-29T15:30", SameDay, "2025-05-05T17:00"),
    ("2025-04-26T10:00", SameDay, "2025-04-26T17:00"),
    // National Day 2025: off Sat 30 Aug – Tue 2 Sep.
    ("2025-08-29T10:00", WorkingDays(1), "2025-09-03T10:00"),
    ("2025-08-29T10:00", CalendarDays(3), "2025-09-03T17:00"),
    ("2025-08-29T10:00", Hours(16), "2025-09-04T10:00"),
    ("2025-08-29T16:00", SameDay, "2025-09-03T17:00"),
    // Hùng Kings 2026 on Sunday 26 Apr, compensated Monday 27 Apr; 30/4–1/5 Thu–Fri.
    ("2026-04-24T09:00", WorkingDays(1), "2026-04-28T09:00"),
    ("2026-04-24T09:00", WorkingDays(3), "2026-05-04T09:00"),
    ("2026-04-24T09:00", CalendarDays(3), "2026-04-28T17:00"),
    ("2026-04-24T16:30", Hours(2), "2026-04-28T08:30"),
    ("2026-04-24T15:00", SameDay, "2026-04-28T17:00"),
    // New Year 2026: Fri 2 Jan swapped with Sat 10 Jan.
    ("2025-12-31T09:00", WorkingDays(1), "2026-01-05T09:00"),
    ("2026-01-09T09:00", WorkingDays(1), "2026-01-10T09:00"),
    // Receipts outside opening hours count from the next opening.
    ("2026-11-26T12:00", WorkingDays(1), "2026-11-27T13:30"),
    ("2026-11-26T18:00", WorkingDays(1), "2026-11-30T07:00"),
];

#[test]
fn due_dates_across_the_holidays_for_every_unit() {
    let c = cal();
    let mut wrong = Vec::new();
    for (received, rule, expected) in TABLE {
        let got = vntime::iso_minutes(&c.due(t(received), *rule));
        if got != *expected {
            wrong.push(format!("{received} {rule:?}: expected {expected}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn restart_and_extension() {
    let c = cal();
    // A supplement completed on Fri 13 Feb 2026 16:00 restarts 3 working days from zero.
    let restarted = c.restart(t("2026-02-13T16:00"), WorkingDays(3));
    assert_eq!(vntime::iso_minutes(&restarted), "2026-02-25T16:00");
    // The due date moves once, to a later working day only.
    let due = t("2026-02-25T16:00");
    assert!(c.extend(due, t("2026-02-24T09:00")).is_err());
    assert!(c.extend(due, t("2026-02-28T09:00")).is_err(), "a Saturday");
    assert_eq!(c.extend(due, t("2026-02-27T09:00")).unwrap(), t("2026-02-27T09:00"));
    // "Add N working days from T".
    assert_eq!(
        vntime::iso_minutes(&c.add_working_days(t("2026-02-13T09:00"), 2)),
        "2026-02-24T09:00"
    );
}

#[test]
fn legal_holiday_count_for_every_year_1900_2100() {
    let rules = CalendarData::bundled().rules;
    for year in 1900..=2100 {
        let days = legal_holidays(year, &rules);
        // Labour Code 2019 Art. 112: 11 days; from 1 July 2026 also 24 November.
        let expected = if year >= 2026 { 12 } else { 11 };
        assert_eq!(days.len(), expected, "{year}: {days:?}");
        // Every holiday gives a weekday off: holidays on weekends or on
        // another holiday are compensated on the next working day.
        let c = cal();
        let (_, off, _) = c.year_listing(year);
        let weekdays_off = off
            .iter()
            .filter(|m| !matches!(m.date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
            .count();
        if !(2024..=2026).contains(&year) {
            assert_eq!(weekdays_off, expected, "{year}: {off:?}");
        }
    }
}

fn moment() -> impl Strategy<Value = VnTime> {
    // Any minute from 2024 to 2027.
    (0i64..(4 * 366 * 24 * 60)).prop_map(|m| {
        let base = NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        vntime::at(base + Duration::minutes(m))
    })
}

fn rule() -> impl Strategy<Value = TimeRule> {
    prop_oneof![
        (0u32..30).prop_map(WorkingDays),
        (0u32..60).prop_map(CalendarDays),
        (0u32..80).prop_map(Hours),
        Just(SameDay),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_due_date_is_never_a_day_off(received in moment(), rule in rule()) {
        let c = cal();
        let due = c.due(received, rule);
        prop_assert!(c.is_working_day(due.date_naive()), "{received} {rule:?} → {due}");
        prop_assert!(due >= received || c.period_start(received) == due);
    }

    #[test]
    fn due_dates_never_go_backwards(a in moment(), b in moment(), rule in rule()) {
        let c = cal();
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(c.due(early, rule) <= c.due(late, rule), "{early} / {late} {rule:?}");
    }

    #[test]
    fn zero_working_days_at_a_working_moment_is_identity(received in moment()) {
        let c = cal();
        let start = c.period_start(received);
        prop_assert_eq!(c.due(start, WorkingDays(0)), start);
        prop_assert_eq!(c.add_working_days(start, 0), start);
    }

    #[test]
    fn saturday_offices_never_get_a_sunday_or_holiday_due(received in moment(), n in 1u32..20) {
        let c = Calendar::new(CalendarData::bundled(), OfficeHours { saturday_morning: true, ..OfficeHours::default() });
        for rule in [WorkingDays(n), CalendarDays(n), Hours(n)] {
            let due = c.due(received, rule);
            prop_assert!(c.is_working_day(due.date_naive()), "{received} {rule:?} → {due}");
        }
    }
}

#[test]
fn due_time_is_inside_opening_hours() {
    let c = cal();
    let mut m = NaiveDateTime::parse_from_str("2026-01-01T00:00", "%Y-%m-%dT%H:%M").unwrap();
    while m.year() == 2026 && m.month() < 3 {
        for rule in [WorkingDays(2), Hours(5), SameDay] {
            let due = c.due(vntime::at(m), rule);
            let minutes = due.hour() * 60 + due.minute();
            assert!((7 * 60..=17 * 60).contains(&minutes), "{m} {rule:?} → {due}");
        }
        m += Duration::minutes(37);
    }
}
