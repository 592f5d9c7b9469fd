//! Benchmark (not a test): due-date computation and building a year's
//! calendar (rules + lunar dates + official notices).
//! `cargo bench --bench calendar`.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use motcua::calendar::{Calendar, CalendarData, OfficeHours, TimeRule};
use motcua::vntime;

fn main() {
    let data = CalendarData::bundled();

    let rounds = 2_000;
    let t = Instant::now();
    for i in 0..rounds {
        let c = Calendar::new(data.clone(), OfficeHours::default());
        black_box(c.year(1990 + (i % 100)));
    }
    let per_year = t.elapsed() / rounds as u32;
    println!(
        "build one year's calendar (fresh):        {:>8.1} µs",
        per_year.as_secs_f64() * 1e6
    );

    let c = Calendar::new(data, OfficeHours::default());
    let base = NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(6, 0, 0))
        .expect("valid date");
    let rules = [
        TimeRule::WorkingDays(5),
        TimeRule::CalendarDays(15),
        TimeRule::Hours(20),
        TimeRule::SameDay,
    ];
    // Warm the year cache as a running app has it.
    black_box(c.due(vntime::at(base), TimeRule::WorkingDays(1)));
    let n = 200_000;
    let t = Instant::now();
    for i in 0..n {
        let received = vntime::at(base + Duration::minutes((i * 37) % (360 * 24 * 60)));
        black_box(c.due(received, rules[i as usize % rules.len()]));
    }
    let per_due = t.elapsed() / n as u32;
    println!(
        "due date (mixed rules, warm calendar):    {:>8.2} µs",
        per_due.as_secs_f64() * 1e6
    );
}
