//! Dossier codes (mã số hồ sơ): `<agency identifier>-YYMMDD-NNNN`
//! (Circular 01/2018/TT-VPCP Art. 19, kept by Decree 118 Art. 28).
//!
//! # Never two alike, even offline
//! Each counter of an office owns a disjoint block of the day's four-digit
//! sequence numbers, chosen by its counter number `k` (1..=9):
//! `(k-1)·1000 + 1 ..= k·1000 − 1`. Counter 1 issues 0001–0999, counter 2
//! 1001–1999, …, counter 9 8001–8999; 9001–9999 stay reserved for the
//! provincial system. A counter picks the next free number of its own block
//! inside the same SQLite transaction that stores the dossier, so two
//! counters working offline on the same day cannot meet, and one counter
//! never reuses a number (the code column is UNIQUE). A counter number
//! belongs to one PC at a time: enrolling a replacement revokes the old PC
//! at the hub, and the replacement restores the counter's dossiers (codes
//! included) before numbering on after them.
//! A code, once issued, never changes.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::office;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    pub agency: String,
    pub date: NaiveDate,
    pub seq: u32,
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.agency, self.date.format("%y%m%d"), self.seq)
    }
}

/// The sequence numbers counter `counter` may issue each day.
pub fn block(counter: u32) -> RangeInclusive<u32> {
    let k = counter.clamp(1, office::MAX_COUNTER);
    (k - 1) * 1000 + 1..=k * 1000 - 1
}

/// The number after `last` in the counter's block (the block's first when
/// nothing was issued today).
pub fn next_seq(counter: u32, last: Option<u32>) -> Result<u32> {
    let b = block(counter);
    let next = match last {
        Some(n) if b.contains(&n) => n + 1,
        _ => *b.start(),
    };
    if b.contains(&next) {
        Ok(next)
    } else {
        Err(Error::refused("code_block_exhausted", msg::code_block_full(counter)))
    }
}

/// Reads a code typed or scanned by a clerk (case of the agency letter and
/// surrounding spaces do not matter).
pub fn parse(s: &str) -> Option<DossierCode> {
    let s = s.trim().to_uppercase();
    let mut parts = s.rsplitn(3, '-');
    let seq = parts.next()?;
    let date = parts.next()?;
    let agency = parts.next()?;
    if seq.len() != 4 || !seq.chars().all(|c| c.is_ascii_digit()) || !office::is_valid_agency_code(agency) {
        return None;
    }
    Some(DossierCode {
        agency: agency.to_string(),
        date: NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").ok()?,
        seq: seq.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_disjoint_and_start_at_0001() {
        assert_eq!(block(1), 1..=999);
        assert_eq!(block(2), 1001..=1999);
        for a in 1..=9 {
            for b in (a + 1)..=9 {
                assert!(block(a).end() < block(b).start());
            }
        }
        assert_eq!(next_seq(1, None).unwrap(), 1);
        assert_eq!(next_seq(3, Some(2005)).unwrap(), 2006);
        assert!(next_seq(1, Some(999)).is_err());
    }

    #[test]
    fn formats_and_parses_real_examples() {
        for s in ["000.17.22.H56-210531-0001", "000.00.14.H56-200203-0118"] {
            assert_eq!(parse(s).unwrap().to_string(), s);
        }
        assert!(parse("000.17.22.H56-210532-0001").is_none());
        assert!(parse("H56-210531-0001").is_none());
    }
}
