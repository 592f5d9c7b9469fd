//! One sync run: check, push, pull — each phase logged.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::http::{HubLink, LinkError, LinkResult, Timeouts};
use super::wire::{PushRequest, MAX_PAGE, PROTOCOL_VERSION};
use super::{Enrollment, SyncError};
use crate::error::Result;
use crate::messages as msg;
use crate::store::{PhaseCounts, Restored, Store};
use crate::vntime;

/// Above this, the PC clock and the hub's disagree enough to warn.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 120;

/// Why a run started (kept in the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// "Đồng bộ ngay".
    Manual,
    /// The probe found the hub reachable again.
    Reachable,
    /// The day's-end batch.
    DayEnd,
    /// A pause after a failed run ended.
    Retry,
    /// `motcua sync`.
    Cli,
}

impl Trigger {
    pub fn key(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Reachable => "reachable",
            Trigger::DayEnd => "day_end",
            Trigger::Retry => "retry",
            Trigger::Cli => "cli",
        }
    }
}

/// Exponential backoff with full jitter for failures that may pass
/// (no answer, 5xx): attempt n waits a random time up to `base · 2^n`,
/// never more than `max`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(500),
            max: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX))
            .min(self.max);
        let ms = ceiling.as_millis() as u64;
        // Half fixed, half random: spreads counters that lost the link together.
        Duration::from_millis(ms / 2 + fastrand::u64(0..=ms / 2))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    pub trigger: Trigger,
    pub retry: RetryPolicy,
    pub page_size: usize,
    pub timeouts: Timeouts,
}

impl SyncOptions {
    pub fn new(trigger: Trigger) -> SyncOptions {
        SyncOptions {
            trigger,
            retry: RetryPolicy::default(),
            page_size: 200,
            timeouts: Timeouts::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Phase {
    Check,
    Restore,
    Push,
    Pull,
    Done,
}

/// Where a run stands, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Progress {
    pub phase: Phase,
    pub done: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PushCounts {
    pub sent: i64,
    pub accepted: i64,
    pub duplicate: i64,
    pub rejected: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PullCounts {
    pub changes: i64,
    pub applied: i64,
    pub held: i64,
    pub attention: i64,
}

/// Dossiers of this counter brought back from the hub (the first run
/// after an enrollment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RestoreCounts {
    pub added: i64,
    pub already_here: i64,
    /// Dossiers already here (from a backup) that the hub held more of, and
    /// how many events it added to them.
    pub completed: i64,
    pub completed_events: i64,
    pub refused: i64,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RunOutcome {
    /// Everything sent and pulled.
    Done,
    /// Done, but some items need a person (see the needs-attention list).
    Attention,
    /// Stopped; `error` says why, and the next run continues where this stopped.
    Failed,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncReport {
    pub run_id: String,
    pub outcome: RunOutcome,
    pub restored: RestoreCounts,
    pub pushed: PushCounts,
    pub pulled: PullCounts,
    pub retries: i64,
    /// Hub clock minus PC clock, seconds (when the hub answered).
    pub clock_skew_seconds: Option<i64>,
    pub clock_warning: Option<String>,
    pub error: Option<SyncError>,
    pub finished_at: String,
}

/// Runs one sync: check the hub and the clock, push the outbox page by
/// page, pull and apply changes page by page. Stops at the first failure
/// that retries did not cure; every phase leaves a log row.
pub fn run(
    store: &mut Store,
    enrollment: &Enrollment,
    options: &SyncOptions,
    clock: &dyn Fn() -> DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let stamp = || vntime::iso(&vntime::from_utc(clock()));
    let run_id = uuid::Uuid::now_v7().to_string();
    let trigger = options.trigger.key();
    let mut report = SyncReport {
        run_id: run_id.clone(),
        outcome: RunOutcome::Done,
        restored: RestoreCounts::default(),
        pushed: PushCounts::default(),
        pulled: PullCounts::default(),
        retries: 0,
        clock_skew_seconds: None,
        clock_warning: None,
        error: None,
        finished_at: String::new(),
    };
    let run_row = store.log_phase_start(&run_id, trigger, "run", &stamp())?;
    let link = match HubLink::new(
        &enrollment.hub_url,
        Some(enrollment.token.clone()),
        options.timeouts,
        enrollment.transport,
    ) {
        Ok(l) => l,
        Err(e) => return finish(store, run_row, report, Some(SyncError::from_link(&e)), &stamp()),
    };
    store.release_sending()?;

    // ---- check: the hub answers, speaks our protocol, and agrees on the time.
    progress(Progress {
        phase: Phase::Check,
        done: 0,
        total: 1,
    });
    let row = store.log_phase_start(&run_id, trigger, "check", &stamp())?;
    let mut counts = PhaseCounts::default();
    let checked = with_retry(&options.retry, &mut counts.retries, || link.whoami().and(link.health()));
    report.retries += counts.retries;
    let health = match checked {
        Ok(h) => h,
        Err(e) => {
            let err = SyncError::from_link(&e);
            store.log_phase_end(row, &counts, Some((err.code, &err.message)), &stamp())?;
            return finish(store, run_row, report, Some(err), &stamp());
        }
    };
    if health.protocol != PROTOCOL_VERSION {
        let err = SyncError::new("protocol_mismatch", msg::sync_protocol_mismatch(health.protocol));
        store.log_phase_end(row, &counts, Some((err.code, &err.message)), &stamp())?;
        return finish(store, run_row, report, Some(err), &stamp());
    }
    if let Ok(hub_time) = DateTime::parse_from_rfc3339(&health.server_time) {
        let skew = (hub_time.with_timezone(&Utc) - clock()).num_seconds();
        report.clock_skew_seconds = Some(skew);
        if skew.abs() > CLOCK_TOLERANCE_SECONDS {
            report.clock_warning = Some(msg::clock_skew_warning(skew));
        }
        store.set_setting(super::CLOCK_SKEW_KEY, Some(&skew.to_string()))?;
    }
    store.log_phase_end(row, &counts, None, &stamp())?;

    let page_size = options.page_size.clamp(1, MAX_PAGE);

    // ---- restore: once per enrollment, everything the hub holds for this
    // counter that this PC lacks. A PC replacing a lost one gets its
    // counter's dossiers back (and, with their codes, the day's numbering);
    // on the PC that recorded them every dossier is already here.
    if store.setting(super::RESTORED_KEY)?.is_none() {
        let row = store.log_phase_start(&run_id, trigger, "restore", &stamp())?;
        let mut counts = PhaseCounts::default();
        let mut after: Option<uuid::Uuid> = store.setting(super::RESTORE_AFTER_KEY)?.and_then(|s| s.parse().ok());
        let mut restore_size = page_size;
        let restore_error = loop {
            progress(Progress {
                phase: Phase::Restore,
                done: counts.pulled,
                total: counts.pulled + 1,
            });
            match with_retry(&options.retry, &mut counts.retries, || {
                link.restore(after, restore_size)
            }) {
                // Too big or too slow for a proxy on the way: smaller pages.
                Err(LinkError::TooLarge { .. }) if restore_size > 1 => {
                    restore_size /= 2;
                    counts.retries += 1;
                }
                Ok(page) => {
                    for dossier in &page.dossiers {
                        match store.restore_dossier(dossier, &stamp())? {
                            Restored::Added => report.restored.added += 1,
                            Restored::AlreadyHere => report.restored.already_here += 1,
                            Restored::Completed { events } => {
                                report.restored.completed += 1;
                                report.restored.completed_events += events;
                            }
                            Restored::Refused { .. } => report.restored.refused += 1,
                        }
                    }
                    counts.pulled += page.dossiers.len() as i64;
                    match page.dossiers.last() {
                        Some(last) if page.more => {
                            after = Some(last.id);
                            store.set_setting(super::RESTORE_AFTER_KEY, Some(&last.id.to_string()))?;
                        }
                        _ => break None,
                    }
                }
                Err(e) => break Some(SyncError::from_link(&e)),
            }
        };
        counts.applied = report.restored.added + report.restored.completed;
        counts.rejected = report.restored.refused;
        report.retries += counts.retries;
        store.log_phase_end(
            row,
            &counts,
            restore_error.as_ref().map(|e| (e.code, e.message.as_str())),
            &stamp(),
        )?;
        if let Some(err) = restore_error {
            return finish(store, run_row, report, Some(err), &stamp());
        }
        store.set_setting(super::RESTORED_KEY, Some(&stamp()))?;
        store.set_setting(super::RESTORE_AFTER_KEY, None)?;
    }

    // ---- push: pages in creation order until the outbox is empty.
    let row = store.log_phase_start(&run_id, trigger, "push", &stamp())?;
    let mut counts = PhaseCounts::default();
    let total = store.outbox_counts()?.pending;
    // A page too big for the hub or a proxy on the way (413), or too slow
    // to pass it (408), is split in halves until it passes; a single event
    // still too big waits for a person, a single event too slow for the link
    // waits for the next run.
    let mut push_size = page_size;
    let push_error = loop {
        progress(Progress {
            phase: Phase::Push,
            done: counts.sent,
            total,
        });
        let page = store.take_outbox_page(push_size, &stamp())?;
        if page.is_empty() {
            break None;
        }
        let request = PushRequest {
            events: page.iter().map(|(_, e)| e.clone()).collect(),
        };
        match with_retry(&options.retry, &mut counts.retries, || link.push(&request)) {
            Err(LinkError::TooLarge { .. }) if page.len() > 1 => {
                store.unsend_page(&page)?;
                push_size = (page.len() / 2).max(1);
                counts.retries += 1;
            }
            Err(LinkError::TooLarge { status: 413, detail }) => {
                let text = crate::messages::event_too_large(&detail);
                store.reject_page(&page, "event_too_large", &text, &stamp())?;
                counts.sent += 1;
                counts.rejected += 1;
            }
            Ok(answer) => {
                let c = store.record_acks(&page, &answer.results, &stamp())?;
                counts.sent += c.sent;
                counts.accepted += c.accepted;
                counts.duplicate += c.duplicate;
                counts.rejected += c.rejected;
            }
            Err(LinkError::Refused { status, error }) => {
                // The hub refuses the page as a request: a person must look.
                let text = format!("HTTP {status}: {}", error.message);
                store.reject_page(&page, &error.code, &text, &stamp())?;
                counts.sent += page.len() as i64;
                counts.rejected += page.len() as i64;
            }
            Err(e) => {
                store.unsend_page(&page)?;
                break Some(SyncError::from_link(&e));
            }
        }
    };
    report.pushed = PushCounts {
        sent: counts.sent,
        accepted: counts.accepted,
        duplicate: counts.duplicate,
        rejected: counts.rejected,
    };
    report.retries += counts.retries;
    store.log_phase_end(
        row,
        &counts,
        push_error.as_ref().map(|e| (e.code, e.message.as_str())),
        &stamp(),
    )?;
    if let Some(err) = push_error {
        return finish(store, run_row, report, Some(err), &stamp());
    }

    // ---- pull: pages after the cursor, each applied with its cursor in one transaction.
    let row = store.log_phase_start(&run_id, trigger, "pull", &stamp())?;
    let mut counts = PhaseCounts::default();
    let held = store.apply_held(&stamp())?;
    report.pulled.applied += held.applied;
    let mut pull_size = page_size;
    let pull_error = loop {
        progress(Progress {
            phase: Phase::Pull,
            done: counts.pulled,
            total: counts.pulled + 1,
        });
        let cursor = store.sync_cursor()?;
        match with_retry(&options.retry, &mut counts.retries, || link.pull(cursor, pull_size)) {
            Err(LinkError::TooLarge { .. }) if pull_size > 1 => {
                pull_size /= 2;
                counts.retries += 1;
            }
            Ok(page) => {
                let applied = store.apply_pulled(&page.changes, page.cursor, &stamp())?;
                counts.pulled += page.changes.len() as i64;
                counts.applied += applied.applied;
                report.pulled.held += applied.held;
                report.pulled.attention += applied.attention;
                if !page.more || page.cursor <= cursor {
                    break None;
                }
            }
            Err(e) => break Some(SyncError::from_link(&e)),
        }
    };
    report.pulled.changes = counts.pulled;
    report.pulled.applied += counts.applied;
    report.retries += counts.retries;
    store.log_phase_end(
        row,
        &counts,
        pull_error.as_ref().map(|e| (e.code, e.message.as_str())),
        &stamp(),
    )?;
    if pull_error.is_none() {
        store.set_setting(super::LAST_SUCCESS_KEY, Some(&stamp()))?;
    }
    progress(Progress {
        phase: Phase::Done,
        done: 1,
        total: 1,
    });
    finish(store, run_row, report, pull_error, &stamp())
}

fn finish(
    store: &mut Store,
    run_row: i64,
    mut report: SyncReport,
    error: Option<SyncError>,
    now: &str,
) -> Result<SyncReport> {
    let counts = PhaseCounts {
        sent: report.pushed.sent,
        accepted: report.pushed.accepted,
        duplicate: report.pushed.duplicate,
        rejected: report.pushed.rejected,
        pulled: report.pulled.changes,
        applied: report.pulled.applied,
        retries: report.retries,
    };
    store.log_phase_end(
        run_row,
        &counts,
        error.as_ref().map(|e| (e.code, e.message.as_str())),
        now,
    )?;
    let attention = store.outbox_counts()?.rejected > 0 || !store.needs_attention()?.is_empty();
    report.outcome = match (&error, attention) {
        (Some(_), _) => RunOutcome::Failed,
        (None, true) => RunOutcome::Attention,
        (None, false) => RunOutcome::Done,
    };
    if let Some(e) = &error {
        tracing::warn!(code = e.code, message = %e.message, "sync run failed");
    }
    report.error = error;
    report.finished_at = now.to_string();
    Ok(report)
}

/// Calls `f` until it succeeds, fails for good, or the attempts are spent;
/// counts the retries.
pub fn with_retry<T>(policy: &RetryPolicy, retries: &mut i64, mut f: impl FnMut() -> LinkResult<T>) -> LinkResult<T> {
    let mut attempt = 0;
    loop {
        match f() {
            Err(e) if e.retryable() && attempt + 1 < policy.attempts => {
                tracing::debug!(attempt, error = %e.describe(), "sync request failed; retrying");
                // A hub that said when to come back (429/503 Retry-After) is
                // not asked sooner.
                std::thread::sleep(policy.delay(attempt).max(e.retry_after().unwrap_or_default()));
                attempt += 1;
                *retries += 1;
            }
            other => return other,
        }
    }
}
