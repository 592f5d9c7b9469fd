//! The background thread that syncs on its own (probe, retries, day's end).
//! It works on its own connection to the data folder — handed over by the
//! window once the folder is unlocked (the data key is needed to open it) —
//! so the clerk's window is never blocked by the network; every decision
//! is the core's `Schedule`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{NaiveTime, Utc};
use motcua::desk::Desk;
use motcua::messages as msg;
use motcua::sync::http::{HubLink, Timeouts};
use motcua::sync::run::{SyncOptions, Trigger};
use motcua::sync::schedule::{closing_reminder, LiveState, LiveSync, Next, Schedule};
use motcua::sync::{self, SyncError, DEFAULT_DAY_END};
use motcua::vntime;

const TICK: Duration = Duration::from_secs(3);

/// Shared between the worker and the window's commands.
#[derive(Default)]
pub struct SyncWorker {
    pub live: Mutex<LiveSync>,
    manual: AtomicBool,
    wake: (Mutex<bool>, Condvar),
    /// The connection to work on, from the window (a sibling of its desk).
    handed: Mutex<Option<Desk>>,
}

impl SyncWorker {
    /// Gives the worker its connection (after sign-in, set-up or sealing);
    /// a newer one replaces the old.
    pub fn hand_over(&self, desk: Desk) {
        *self.handed.lock().unwrap_or_else(|e| e.into_inner()) = Some(desk);
        self.nudge();
    }

    pub fn snapshot(&self) -> LiveSync {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// "Đồng bộ ngay": the worker runs at once.
    pub fn request_now(&self) {
        self.manual.store(true, Ordering::SeqCst);
        self.nudge();
    }

    /// Wakes the worker early (after enrollment, after a receipt).
    pub fn nudge(&self) {
        let (lock, cvar) = &self.wake;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cvar.notify_one();
    }

    fn sleep(&self) {
        let (lock, cvar) = &self.wake;
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (mut woken, _) = cvar
            .wait_timeout_while(guard, TICK, |w| !*w)
            .unwrap_or_else(|e| e.into_inner());
        *woken = false;
    }

    fn update(&self, f: impl FnOnce(&mut LiveSync)) {
        f(&mut self.live.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

pub fn spawn(worker: Arc<SyncWorker>) {
    let spawned = std::thread::Builder::new()
        .name("motcua-sync".into())
        .spawn(move || run(&worker));
    if let Err(e) = spawned {
        tracing::error!("the sync thread could not start: {e}");
    }
}

fn run(worker: &SyncWorker) {
    let mut schedule = Schedule::default();
    let mut desk: Option<Desk> = None;
    loop {
        if let Some(newer) = worker.handed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            desk = Some(newer);
        }
        if let Some(d) = desk.as_mut() {
            // The day's backup, made once a day while the window is open.
            if let Err(e) = d.backup_if_due(Utc::now()) {
                tracing::warn!(code = e.code(), "daily backup: {e}");
            }
            if let Err(e) = step(d, &mut schedule, worker) {
                tracing::warn!(code = e.code(), "sync worker: {e}");
            }
        }
        worker.sleep();
    }
}

fn step(desk: &mut Desk, schedule: &mut Schedule, worker: &SyncWorker) -> motcua::Result<()> {
    let Ok(office) = desk.office() else {
        worker.update(|l| l.state = LiveState::NotConfigured);
        return Ok(());
    };
    if office.training {
        worker.update(|l| l.state = LiveState::Training);
        return Ok(());
    }
    let Some(enrollment) = sync::enrollment(desk.store())? else {
        worker.update(|l| l.state = LiveState::NotConfigured);
        return Ok(());
    };
    if worker.manual.swap(false, Ordering::SeqCst) {
        schedule.request_now();
    }
    let now = Utc::now();
    let status = desk.sync_status()?;
    let day_end = NaiveTime::parse_from_str(&status.day_end_at, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(DEFAULT_DAY_END, "%H:%M"))
        .unwrap_or_default();
    let mut next = schedule.decide(now, status.pending, day_end);
    if next == Next::Probe {
        let quick = Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(10),
        };
        let ok = HubLink::new(&enrollment.hub_url, None, quick, enrollment.transport)
            .and_then(|l| l.health())
            .is_ok();
        next = schedule.probed(Utc::now(), ok, status.pending);
        worker.update(|l| {
            if !ok {
                l.state = LiveState::Offline;
            } else if l.state == LiveState::Offline || l.state == LiveState::NotConfigured {
                l.state = LiveState::Idle;
            }
        });
    }
    if let Next::Run(trigger) = next {
        sync_once(desk, schedule, worker, trigger)?;
    }
    let pending = desk.sync_status()?.pending;
    worker.update(|l| {
        l.reminder = closing_reminder(Utc::now(), &office.hours, pending);
        if l.state == LiveState::NotConfigured {
            l.state = LiveState::Idle;
        }
    });
    Ok(())
}

fn sync_once(desk: &mut Desk, schedule: &mut Schedule, worker: &SyncWorker, trigger: Trigger) -> motcua::Result<()> {
    worker.update(|l| {
        l.state = LiveState::Syncing;
        l.progress = None;
        l.error = None;
    });
    // Whatever happens below — an error, a panic — the status area never
    // stays on "syncing".
    let _leave = LeaveSyncing(worker);
    let options = SyncOptions::new(trigger);
    let report = match desk.sync(&options, &Utc::now, &mut |p| worker.update(|l| l.progress = Some(p))) {
        Ok(report) => report,
        Err(e) => {
            let error = SyncError::new(e.code(), e.to_string());
            schedule.failed(Utc::now(), &error);
            let retry = schedule.next_retry_at().map(|t| vntime::iso(&vntime::from_utc(t)));
            worker.update(|l| {
                l.state = LiveState::Failed;
                l.progress = None;
                l.error = Some(error);
                l.next_retry_at = retry;
            });
            return Err(e);
        }
    };
    schedule.finished(Utc::now(), &report);
    let retry = schedule.next_retry_at().map(|t| vntime::iso(&vntime::from_utc(t)));
    worker.update(|l| {
        l.state = match (&report.error, schedule.reachable()) {
            (Some(e), _) if e.code == "hub_unreachable" => LiveState::Offline,
            (Some(_), _) => LiveState::Failed,
            (None, _) => LiveState::Done,
        };
        l.progress = None;
        l.error = report.error.clone();
        l.next_retry_at = retry;
        l.last_report = Some(report);
    });
    Ok(())
}

/// Leaves the "syncing" state when dropped, if the run did not.
struct LeaveSyncing<'a>(&'a SyncWorker);

impl Drop for LeaveSyncing<'_> {
    fn drop(&mut self) {
        self.0.update(|l| {
            if l.state == LiveState::Syncing {
                l.state = LiveState::Failed;
                l.progress = None;
                l.error = Some(SyncError::new("sync_interrupted", msg::SYNC_INTERRUPTED));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    //! The status area never stays on "syncing": a run that fails — by an
    //! error of the core, an unreachable hub, or a panic — leaves it.

    use super::*;

    fn office(dir: &std::path::Path) -> Desk {
        let mut desk = Desk::open(dir).unwrap();
        let setup = motcua::office::OfficeSetup {
            office_name: "UBND xã Hòa An".into(),
            agency_code: "000.17.22.H56".into(),
            place: "Hòa An".into(),
            counter: 1,
            clerks: vec!["Nông Thị Lan".into()],
            ..Default::default()
        };
        let admin = motcua::accounts::NewAccount {
            login: "admin".into(),
            full_name: "Nông Thị Lan".into(),
            roles: vec!["admin".into()],
            password: "mật-khẩu-quản-trị".into(),
        };
        desk.init(&setup, &admin, Utc::now()).unwrap();
        desk
    }

    #[test]
    fn a_run_the_core_refuses_leaves_syncing_as_failed() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = office(dir.path());
        let worker = SyncWorker::default();
        let mut schedule = Schedule::default();
        // Not enrolled: the core refuses the run with an error.
        let result = sync_once(&mut desk, &mut schedule, &worker, Trigger::Manual);
        assert!(result.is_err());
        let live = worker.snapshot();
        assert_eq!(live.state, LiveState::Failed);
        assert_eq!(live.error.map(|e| e.code), Some("not_enrolled"));
        assert!(live.next_retry_at.is_some(), "retried later, with backoff");
    }

    #[test]
    fn a_run_that_cannot_reach_the_hub_leaves_syncing_as_offline() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = office(dir.path());
        let mut store = desk.open_store().unwrap();
        store
            .set_setting(sync::HUB_URL_KEY, Some("https://127.0.0.1:9"))
            .unwrap();
        store.set_setting(sync::TOKEN_KEY, Some("token")).unwrap();
        let worker = SyncWorker::default();
        let mut schedule = Schedule::default();
        sync_once(&mut desk, &mut schedule, &worker, Trigger::Manual).unwrap();
        let live = worker.snapshot();
        assert_eq!(live.state, LiveState::Offline);
        assert_eq!(live.error.map(|e| e.code), Some("hub_unreachable"));
    }

    #[test]
    fn a_run_broken_off_by_a_panic_leaves_syncing_too() {
        let worker = SyncWorker::default();
        let broken = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            worker.update(|l| l.state = LiveState::Syncing);
            let _leave = LeaveSyncing(&worker);
            panic!("a bug in the middle of a run");
        }));
        assert!(broken.is_err());
        let live = worker.snapshot();
        assert_eq!(live.state, LiveState::Failed);
        assert_eq!(live.error.map(|e| e.code), Some("sync_interrupted"));
    }
}
