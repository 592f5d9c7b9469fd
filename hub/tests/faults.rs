//! Over 1,000 injected faults — dropped connections, lost and half-sent
//! answers, duplicated requests, delays, 5xx, hub restarts mid-batch —
//! then one clean sync: the hub holds exactly the events the counters
//! recorded, none lost, none twice, and every outbox is empty.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::proxy::FaultProxy;
use common::{
    assert_hub_and_counters_agree, counter, sync, three_counters, CounterView, Hub, SyncingCounter, OFFICE_A, OFFICE_B,
};
use motcua::dossier::{ActionRequest, Status};
use motcua::sync::run::RunOutcome;

const MIN_FAULTS: usize = 1000;

#[test]
fn a_thousand_faults_lose_nothing_and_duplicate_nothing() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    hub.add_office(OFFICE_B, "UBND xã Nguyên Bình");
    let proxy = FaultProxy::start(hub.addr);
    let mut counters: Vec<SyncingCounter> = three_counters(&hub, &proxy.url());
    let hub = Arc::new(Mutex::new(hub));

    // Restarts the hub now and then while the counters sync.
    let stop = Arc::new(AtomicBool::new(false));
    let restarts = Arc::new(AtomicUsize::new(0));
    let restarter = {
        let (hub, stop, restarts) = (hub.clone(), stop.clone(), restarts.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(fastrand::u64(150..400)));
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                hub.lock().unwrap().restart();
                restarts.fetch_add(1, Ordering::SeqCst);
            }
        })
    };

    proxy.set_fault_rate(0.45);
    let mut clock = counter::vn(2026, 11, 3, 7, 30);
    let mut province_events = 0usize;
    let mut round = 0;
    while proxy.injected() < MIN_FAULTS {
        round += 1;
        assert!(round < 3000, "too many rounds: {} faults so far", proxy.injected());
        for c in counters.iter_mut() {
            // A few facts at the counter: new dossiers, and hand-overs of earlier ones.
            clock += chrono::Duration::seconds(40);
            let d = c.desk.receive(&counter::reception("1.004873"), clock).unwrap();
            c.codes.push(d.code);
            if c.codes.len() % 3 == 0 {
                let code = c.codes[c.codes.len() - 2].clone();
                c.desk
                    .handover(&code, "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", None, clock)
                    .unwrap();
            }
            let report = sync(&mut c.desk, 3);
            if let Some(e) = &report.error {
                assert!(
                    matches!(e.code, "hub_unreachable" | "hub_unavailable"),
                    "unexpected failure: {e:?}"
                );
            }
            assert_eq!(c.desk.sync_status().unwrap().rejected, 0, "nothing may be rejected");
        }
        // The province decides a dossier the counter no longer touches
        // (its 1st, 4th, 7th … dossiers are never handed over locally).
        if round % 4 == 0 {
            let c = &counters[round % counters.len()];
            let candidate = c.codes.iter().step_by(3).nth(round / 12);
            if let Some(code) = candidate {
                let h = hub.lock().unwrap();
                let done = h.block(motcua_hub::register::record_province_event(
                    &h.pool,
                    code,
                    &ActionRequest::Handover {
                        from: "Bộ phận Một cửa".into(),
                        to: "Phòng Văn hóa - Xã hội".into(),
                        note: None,
                        step_due: None,
                    },
                    "Tỉnh",
                    chrono::Utc::now(),
                ));
                if done.is_ok() {
                    province_events += 1;
                }
            }
        }
    }
    stop.store(true, Ordering::SeqCst);
    restarter.join().unwrap();
    let faults = proxy.injected();

    // The link comes back clean: one sync each finishes the job.
    proxy.set_fault_rate(0.0);
    for c in counters.iter_mut() {
        let report = sync(&mut c.desk, 3);
        assert_eq!(report.outcome, RunOutcome::Done, "{:?}", report.error);
        let status = c.desk.sync_status().unwrap();
        assert_eq!((status.pending, status.rejected, status.held), (0, 0, 0));
    }
    let hub = hub.lock().unwrap();
    // Every province decision reached its counter; hub and counters agree.
    let views: Vec<CounterView> = counters.iter().map(SyncingCounter::view).collect();
    assert_eq!(assert_hub_and_counters_agree(&hub, &views), province_events);
    assert!(
        counters
            .iter()
            .flat_map(|c| c.codes.iter().map(move |code| c.desk.dossier(code).unwrap().status))
            .any(|s| s == Status::Processing),
        "some dossiers moved on from reception"
    );
    let kinds = proxy.by_kind();
    eprintln!(
        "{faults} faults injected over {} requests ({kinds:?}), {} hub restarts, {} events, {province_events} province events",
        proxy.requests(),
        restarts.load(Ordering::SeqCst),
        hub.count("SELECT COUNT(*) FROM events")
    );
    assert!(faults >= MIN_FAULTS);
    assert!(kinds.len() >= 7, "every kind of fault was injected: {kinds:?}");
    assert!(restarts.load(Ordering::SeqCst) > 0);
}
