//! Vietnam time. Every time the program records or prints is UTC+7
//! (Asia/Ho_Chi_Minh has had no daylight saving since 1975), whatever zone
//! the counter PC is set to. Callers pass `now` in as a UTC instant.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::error::{Error, Result};
use crate::messages as msg;

pub type VnTime = DateTime<FixedOffset>;

const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(z) => z,
    None => panic!("UTC+7 is a valid offset"),
};

pub fn zone() -> FixedOffset {
    VIETNAM
}

pub fn from_utc(t: DateTime<Utc>) -> VnTime {
    t.with_timezone(&zone())
}

/// A wall-clock moment in Vietnam as a zoned time.
pub fn at(local: NaiveDateTime) -> VnTime {
    match zone().from_local_datetime(&local).single() {
        Some(t) => t,
        None => zone().from_utc_datetime(&local),
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (or with `:SS`, or a full RFC 3339 time with
/// an offset) as Vietnam time.
pub fn parse_local(field: &str, label: &str, s: &str) -> Result<VnTime> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&zone()));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(at(n));
        }
    }
    Err(Error::invalid("bad_datetime", field, msg::bad_datetime(label, s)))
}

pub fn parse_date(field: &str, label: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("bad_date", field, msg::bad_date(label, s)))
}

/// `2026-11-26T09:30:00+07:00`: the stored and exchanged form.
pub fn iso(t: &VnTime) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// `2026-11-26T09:30`: the short form of the `due` command.
pub fn iso_minutes(t: &VnTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// `09 giờ 30 phút, ngày 26 tháng 11 năm 2026` as forms print it.
pub fn spoken(t: &VnTime) -> String {
    t.format("%H giờ %M phút, ngày %d tháng %m năm %Y").to_string()
}

pub fn date_vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_midnight_is_seven_in_the_morning() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap();
        assert_eq!(iso(&from_utc(t)), "2026-11-26T07:00:00+07:00");
    }

    #[test]
    fn parse_local_reads_short_and_zoned_forms() {
        let a = parse_local("t", "t", "2026-02-13T16:20").unwrap();
        let b = parse_local("t", "t", "2026-02-13T09:20:00Z").unwrap();
        assert_eq!(a, b);
        assert!(parse_local("t", "t", "13/02/2026").is_err());
    }
}
