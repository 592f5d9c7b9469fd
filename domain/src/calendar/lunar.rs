//! Vietnamese lunar calendar by the astronomical method of Hồ Ngọc Đức
//! ("Âm lịch Việt Nam"). Since 8 August 1967 Vietnam computes its lunar
//! calendar for the meridian of UTC+7; before that it used UTC+8, as China
//! still does — hence Tết 1968, 1985 and 2007 differ between the two.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::f64::consts::PI;

/// The day Vietnam's lunar calendar moved from UTC+8 to UTC+7.
fn utc7_since() -> NaiveDate {
    NaiveDate::from_ymd_opt(1967, 8, 8).unwrap_or(NaiveDate::MIN)
}

fn zone_for(date: NaiveDate) -> f64 {
    if date >= utc7_since() {
        7.0
    } else {
        8.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

fn int(d: f64) -> i64 {
    d.floor() as i64
}

fn jd_from_date(dd: i64, mm: i64, yy: i64) -> i64 {
    let a = (14 - mm).div_euclid(12);
    let y = yy + 4800 - a;
    let m = mm + 12 * a - 3;
    let jd =
        dd + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32045;
    if jd < 2_299_161 {
        dd + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - 32083
    } else {
        jd
    }
}

fn jd_to_date(jd: i64) -> Option<NaiveDate> {
    let (b, c) = if jd > 2_299_160 {
        let a = jd + 32044;
        let b = (4 * a + 3).div_euclid(146_097);
        (b, a - (b * 146_097).div_euclid(4))
    } else {
        (0, jd + 32082)
    };
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = b * 100 + d - 4800 + m.div_euclid(10);
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

/// Julian day of the k-th new moon after 1900-01-01 (Meeus' simplified series).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - deltat
}

/// Sun's longitude in radians at Julian day `jdn` (UT).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl = dl + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    // Apparent longitude: nutation and aberration (Meeus, ch. 25), as in
    // the tables Hồ Ngọc Đức published.
    let omega = 125.04 - 1934.136 * t;
    let l = (l0 + dl - 0.005_69 - 0.004_78 * (omega * dr).sin()) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// Which of the 12 major solar terms (0..11) the day falls in, at UTC+7.
fn sun_term(day_number: i64, tz: f64) -> i64 {
    int(sun_longitude(day_number as f64 - 0.5 - tz / 24.0) / PI * 6.0)
}

/// Month starts where the published calendar differs from the series above
/// (new moons within minutes of midnight, or the historical calendar of the
/// time): (computed day, published day), as dates. Source: Hồ Ngọc Đức's
/// year tables (see tests/data/lunar-reference.tsv).
type Ymd = (i64, i64, i64);
const PUBLISHED_MONTH_STARTS: &[(Ymd, Ymd)] = &[((1916, 2, 4), (1916, 2, 3)), ((1925, 1, 24), (1925, 1, 25))];

fn new_moon_day(k: i64, tz: f64) -> i64 {
    let computed = int(new_moon(k) + 0.5 + tz / 24.0);
    PUBLISHED_MONTH_STARTS
        .iter()
        .find(|((y, m, d), _)| jd_from_date(*d, *m, *y) == computed)
        .map(|(_, (y, m, d))| jd_from_date(*d, *m, *y))
        .unwrap_or(computed)
}

/// Day number of the start of the 11th lunar month (the one holding the
/// winter solstice) of solar year `yy`.
fn lunar_month_11(yy: i64, tz: f64) -> i64 {
    let off = jd_from_date(31, 12, yy) - 2_415_021;
    let k = int(off as f64 / 29.530_588_853);
    let nm = new_moon_day(k, tz);
    if sun_term(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

/// Offset (in months after month 11 starting at `a11`) of the leap month:
/// the first month without a major solar term.
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = int((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5);
    let mut i = 1;
    let mut arc = sun_term(new_moon_day(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_term(new_moon_day(k + i, tz), tz);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

pub fn to_lunar(date: NaiveDate) -> LunarDate {
    to_lunar_at(date, zone_for(date))
}

fn to_lunar_at(date: NaiveDate, tz: f64) -> LunarDate {
    let yy = i64::from(date.year());
    let day_number = jd_from_date(i64::from(date.day()), i64::from(date.month()), yy);
    let k = int((day_number as f64 - 2_415_021.076_998_695) / 29.530_588_853);
    let mut month_start = new_moon_day(k + 1, tz);
    if month_start > day_number {
        month_start = new_moon_day(k, tz);
    }
    let mut a11 = lunar_month_11(yy, tz);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = lunar_month_11(yy - 1, tz);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1, tz);
    }
    let lunar_day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut lunar_month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz);
        if diff >= leap_diff {
            lunar_month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if lunar_month > 12 {
        lunar_month -= 12;
    }
    if lunar_month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: lunar_day as u32,
        month: lunar_month as u32,
        year: lunar_year as i32,
        leap,
    }
}

/// The solar date of a lunar date; `None` when the date does not exist
/// (a leap month that year does not have, a 30th in a 29-day month).
pub fn to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    match to_solar_at(lunar, 7.0) {
        Some(d) if d >= utc7_since() => Some(d),
        _ => to_solar_at(lunar, 8.0).filter(|d| *d < utc7_since()),
    }
}

fn to_solar_at(lunar: LunarDate, tz: f64) -> Option<NaiveDate> {
    let (day, month, year) = (i64::from(lunar.day), i64::from(lunar.month), i64::from(lunar.year));
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1, tz), lunar_month_11(year, tz))
    } else {
        (lunar_month_11(year, tz), lunar_month_11(year + 1, tz))
    };
    let mut off = month - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && month != leap_month {
            return None;
        }
        if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let k = int(0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853);
    let month_start = new_moon_day(k + off, tz);
    let solar = jd_to_date(month_start + day - 1)?;
    // A 30th that spills into the next month does not exist.
    (to_lunar_at(solar, tz) == lunar).then_some(solar)
}

/// Solar date of the lunar new year (mùng 1 Tết) of `year`.
pub fn tet(year: i32) -> Option<NaiveDate> {
    to_solar(LunarDate {
        day: 1,
        month: 1,
        year,
        leap: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn known_tet_days() {
        assert_eq!(tet(2024), Some(d(2024, 2, 10)));
        assert_eq!(tet(2025), Some(d(2025, 1, 29)));
        assert_eq!(tet(2026), Some(d(2026, 2, 17)));
        // Vietnam and China differ: Tết 1985 was 21 Jan in Vietnam (20 Feb in China).
        assert_eq!(tet(1985), Some(d(1985, 1, 21)));
        // 1968: the first Tết computed at UTC+7 (29 Jan; China 30 Jan).
        assert_eq!(tet(1968), Some(d(1968, 1, 29)));
        // 2007: Vietnam 17 Feb, China 18 Feb.
        assert_eq!(tet(2007), Some(d(2007, 2, 17)));
    }

    #[test]
    fn hung_kings_2026_is_a_sunday() {
        let s = to_solar(LunarDate {
            day: 10,
            month: 3,
            year: 2026,
            leap: false,
        })
        .unwrap();
        assert_eq!(s, d(2026, 4, 26));
    }

    #[test]
    fn leap_month_2023() {
        // 2023 had a leap 2nd month starting 2023-03-22.
        let l = to_lunar(d(2023, 3, 22));
        assert_eq!(
            l,
            LunarDate {
                day: 1,
                month: 2,
                year: 2023,
                leap: true
            }
        );
        assert_eq!(to_solar(l), Some(d(2023, 3, 22)));
    }
}
