//! When the counter syncs on its own: a cheap probe finds the hub
//! reachable again, failed runs are retried with growing pauses, and the
//! day's-end batch runs at the configured time. Pure: the worker passes
//! `now` in and does what [`Schedule::decide`] says.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use super::run::{Progress, RunOutcome, SyncReport, Trigger};
use super::SyncError;
use crate::calendar::OfficeHours;
use crate::messages as msg;
use crate::vntime;

/// Probe the hub this often while it answers…
pub const PROBE_ONLINE: Duration = Duration::from_secs(60);
/// …and this often while it does not.
pub const PROBE_OFFLINE: Duration = Duration::from_secs(20);
/// Pauses after failed runs: 1, 2, 4, 8 minutes, then every 15.
pub const RETRY_FIRST: Duration = Duration::from_secs(60);
pub const RETRY_MAX: Duration = Duration::from_secs(15 * 60);
/// The closing reminder shows from this long before the afternoon closes.
pub const REMINDER_BEFORE_CLOSING: chrono::Duration = chrono::Duration::minutes(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Run(Trigger),
    Probe,
    Wait,
}

#[derive(Debug, Default, Clone)]
pub struct Schedule {
    manual: bool,
    last_probe: Option<DateTime<Utc>>,
    reachable: Option<bool>,
    failures: u32,
    next_retry_at: Option<DateTime<Utc>>,
    day_end_done_on: Option<NaiveDate>,
}

impl Schedule {
    /// "Đồng bộ ngay".
    pub fn request_now(&mut self) {
        self.manual = true;
    }

    pub fn reachable(&self) -> Option<bool> {
        self.reachable
    }

    pub fn next_retry_at(&self) -> Option<DateTime<Utc>> {
        self.next_retry_at
    }

    pub fn decide(&mut self, now: DateTime<Utc>, pending: i64, day_end: NaiveTime) -> Next {
        if std::mem::take(&mut self.manual) {
            return Next::Run(Trigger::Manual);
        }
        let local = vntime::from_utc(now);
        if local.time() >= day_end && self.day_end_done_on != Some(local.date_naive()) {
            self.day_end_done_on = Some(local.date_naive());
            return Next::Run(Trigger::DayEnd);
        }
        if pending > 0 && self.next_retry_at.is_some_and(|t| now >= t) {
            self.next_retry_at = None;
            return Next::Run(Trigger::Retry);
        }
        let every = if self.reachable == Some(true) {
            PROBE_ONLINE
        } else {
            PROBE_OFFLINE
        };
        let due = self
            .last_probe
            .is_none_or(|t| (now - t).to_std().unwrap_or_default() >= every);
        if due {
            Next::Probe
        } else {
            Next::Wait
        }
    }

    /// Records a probe; a run follows when the hub just became reachable
    /// and something waits to be sent.
    pub fn probed(&mut self, now: DateTime<Utc>, ok: bool, pending: i64) -> Next {
        self.last_probe = Some(now);
        let was = self.reachable.replace(ok);
        if ok && was != Some(true) && pending > 0 {
            Next::Run(Trigger::Reachable)
        } else {
            Next::Wait
        }
    }

    pub fn finished(&mut self, now: DateTime<Utc>, report: &SyncReport) {
        match (&report.error, report.outcome) {
            (Some(e), RunOutcome::Failed) => self.failed(now, e),
            (None, RunOutcome::Failed) => self.failed(now, &SyncError::new("sync_failed", String::new())),
            _ => {
                self.last_probe = Some(now);
                self.failures = 0;
                self.next_retry_at = None;
                self.reachable = Some(true);
            }
        }
    }

    /// A run that failed, whether the run reported it or could not even
    /// start (the data folder refused, the run broke off): retried after a
    /// growing pause.
    pub fn failed(&mut self, now: DateTime<Utc>, error: &SyncError) {
        self.last_probe = Some(now);
        self.failures += 1;
        let pause = RETRY_FIRST
            .saturating_mul(1u32 << (self.failures - 1).min(5))
            .min(RETRY_MAX);
        self.next_retry_at = Some(now + chrono::Duration::from_std(pause).unwrap_or_default());
        self.reachable = Some(error.code != "hub_unreachable");
    }
}

/// The reminder at closing time when events still wait to be sent.
pub fn closing_reminder(now: DateTime<Utc>, hours: &OfficeHours, pending: i64) -> Option<String> {
    if pending == 0 {
        return None;
    }
    let local = vntime::from_utc(now);
    let close = local.date_naive().and_time(hours.afternoon_close);
    let t = local.naive_local();
    (t >= close - REMINDER_BEFORE_CLOSING).then(|| msg::closing_reminder(pending))
}

/// What the status area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum LiveState {
    NotConfigured,
    Training,
    /// Enrolled; no run yet since the program started.
    Idle,
    Offline,
    Syncing,
    Failed,
    Done,
}

/// The background worker's view, polled by the window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LiveSync {
    pub state: LiveState,
    pub progress: Option<Progress>,
    pub error: Option<SyncError>,
    /// RFC 3339, +07:00.
    pub next_retry_at: Option<String>,
    pub last_report: Option<SyncReport>,
    pub reminder: Option<String>,
}

impl Default for LiveSync {
    fn default() -> Self {
        LiveSync {
            state: LiveState::NotConfigured,
            progress: None,
            error: None,
            next_retry_at: None,
            last_report: None,
            reminder: None,
        }
    }
}

/// `sync_overview`: the stored numbers and the worker's live state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncOverview {
    pub status: super::SyncStatus,
    pub live: LiveSync,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vn(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 3, h, m, 0).unwrap() - chrono::Duration::hours(7)
    }

    fn report(outcome: RunOutcome, code: Option<&'static str>) -> SyncReport {
        SyncReport {
            run_id: String::new(),
            outcome,
            restored: Default::default(),
            pushed: Default::default(),
            pulled: Default::default(),
            retries: 0,
            clock_skew_seconds: None,
            clock_warning: None,
            error: code.map(|c| SyncError::new(c, "x")),
            finished_at: String::new(),
        }
    }

    #[test]
    fn probes_then_runs_when_the_hub_comes_back() {
        let end = NaiveTime::from_hms_opt(16, 30, 0).unwrap();
        let mut s = Schedule::default();
        assert_eq!(s.decide(vn(8, 0), 3, end), Next::Probe);
        assert_eq!(s.probed(vn(8, 0), false, 3), Next::Wait);
        assert_eq!(s.decide(vn(8, 0) + chrono::Duration::seconds(10), 3, end), Next::Wait);
        assert_eq!(s.decide(vn(8, 0) + chrono::Duration::seconds(21), 3, end), Next::Probe);
        assert_eq!(s.probed(vn(8, 1), true, 3), Next::Run(Trigger::Reachable));
        // Reachable and nothing pending: no run, slower probes.
        assert_eq!(s.probed(vn(8, 2), true, 0), Next::Wait);
        assert_eq!(s.decide(vn(8, 2) + chrono::Duration::seconds(30), 0, end), Next::Wait);
    }

    #[test]
    fn failed_runs_back_off_and_the_day_end_batch_runs_once() {
        let end = NaiveTime::from_hms_opt(16, 30, 0).unwrap();
        let mut s = Schedule::default();
        s.request_now();
        assert_eq!(s.decide(vn(9, 0), 1, end), Next::Run(Trigger::Manual));
        s.finished(vn(9, 0), &report(RunOutcome::Failed, Some("hub_unreachable")));
        assert_eq!(s.next_retry_at(), Some(vn(9, 1)));
        s.probed(vn(9, 0), false, 1);
        assert_eq!(s.decide(vn(9, 1), 1, end), Next::Run(Trigger::Retry));
        s.finished(vn(9, 1), &report(RunOutcome::Failed, Some("hub_unavailable")));
        assert_eq!(s.next_retry_at(), Some(vn(9, 3)));
        s.finished(vn(9, 3), &report(RunOutcome::Done, None));
        assert_eq!(s.next_retry_at(), None);
        assert_eq!(s.decide(vn(16, 30), 0, end), Next::Run(Trigger::DayEnd));
        assert_ne!(s.decide(vn(16, 31), 0, end), Next::Run(Trigger::DayEnd));
    }

    #[test]
    fn reminder_at_closing_only_when_something_waits() {
        let hours = OfficeHours::default();
        assert_eq!(closing_reminder(vn(10, 0), &hours, 5), None);
        assert_eq!(closing_reminder(vn(16, 45), &hours, 0), None);
        let r = closing_reminder(vn(16, 45), &hours, 5).unwrap();
        assert!(r.contains('5'), "{r}");
    }
}
