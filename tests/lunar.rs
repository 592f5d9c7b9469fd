//! The lunar calendar against Hồ Ngọc Đức's published year tables
//! (tests/data/lunar-reference.tsv names the source).

use chrono::NaiveDate;
use motcua::calendar::lunar::{self, LunarDate};

fn reference() -> Vec<(NaiveDate, LunarDate)> {
    include_str!("data/lunar-reference.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                NaiveDate::parse_from_str(f[0], "%Y-%m-%d").unwrap(),
                LunarDate {
                    day: f[1].parse().unwrap(),
                    month: f[2].parse().unwrap(),
                    year: f[3].parse().unwrap(),
                    leap: f[4] == "1",
                },
            )
        })
        .collect()
}

#[test]
fn solar_to_lunar_and_back_match_the_published_tables_1900_2100() {
    let rows = reference();
    assert!(rows.len() >= 600, "{}", rows.len());
    let mut wrong = Vec::new();
    for (solar, lunar) in &rows {
        let got = lunar::to_lunar(*solar);
        if got != *lunar {
            wrong.push(format!("{solar}: expected {lunar:?}, got {got:?}"));
        }
        let back = lunar::to_solar(*lunar);
        if back != Some(*solar) {
            wrong.push(format!("{lunar:?}: expected {solar}, got {back:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_year_1900_2100_has_a_tet_in_late_january_or_february() {
    for y in 1900..=2100 {
        let tet = lunar::tet(y).unwrap();
        assert!(tet >= NaiveDate::from_ymd_opt(y, 1, 19).unwrap() && tet <= NaiveDate::from_ymd_opt(y, 2, 21).unwrap());
        // The day before Tết is the last day of the old lunar year.
        let eve = lunar::to_lunar(tet.pred_opt().unwrap());
        assert_eq!((eve.month, eve.year), (12, y - 1));
        assert!(eve.day == 29 || eve.day == 30);
    }
}

#[test]
fn leap_months_that_do_not_exist_are_refused() {
    // 2025 has a leap 6th month, not a leap 5th.
    assert!(lunar::to_solar(LunarDate {
        day: 1,
        month: 6,
        year: 2025,
        leap: true
    })
    .is_some());
    assert!(lunar::to_solar(LunarDate {
        day: 1,
        month: 5,
        year: 2025,
        leap: true
    })
    .is_none());
    assert!(lunar::to_solar(LunarDate {
        day: 31,
        month: 1,
        year: 2025,
        leap: false
    })
    .is_none());
}
