//! Several hub processes behind a load balancer on one PostgreSQL (issue
//! 12): nothing in a process's memory is needed for correctness. Two real
//! `motcua-hub serve` processes, a balancer that sends each request to
//! either (a duplicated request to both), three counters syncing at once
//! while the province records its decisions: every event is stored once,
//! every province decision reaches its counter, no cursor skips a change.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::proxy::FaultProxy;
use common::{
    assert_hub_and_counters_agree, counter, sync, three_counters, CounterView, Hub, HubProcess, SyncingCounter,
    OFFICE_A, OFFICE_B,
};
use motcua::dossier::ActionRequest;
use motcua::sync::run::RunOutcome;

const ROUNDS: usize = 40;

#[test]
fn two_hubs_on_one_database_store_every_event_once_and_skip_no_change() {
    // The database (made and migrated by the in-process hub, used here only
    // for the admin's side) and two hub processes serving it.
    let admin = Hub::start();
    admin.add_office(OFFICE_A, "UBND xã Hòa An");
    admin.add_office(OFFICE_B, "UBND xã Nguyên Bình");
    let one = HubProcess::spawn(&admin.database_url, &["--pool-size", "4"]);
    let two = HubProcess::spawn(&admin.database_url, &["--pool-size", "4"]);
    let balancer = FaultProxy::balance(&[one.addr, two.addr]);
    // A rough link too: lost answers and duplicated requests make the same
    // page reach both hubs at once.
    balancer.set_fault_rate(0.15);

    let counters: Vec<SyncingCounter> = three_counters(&admin, &balancer.url());

    // Codes the province may decide on: dossiers never handed over locally.
    let decidable: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let province_events = Arc::new(AtomicUsize::new(0));
    let counters = std::thread::scope(|scope| {
        let province = {
            let (decidable, stop, province_events) = (decidable.clone(), stop.clone(), province_events.clone());
            let admin = &admin;
            scope.spawn(move || {
                let mut decided = BTreeSet::new();
                while !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(fastrand::u64(5..40)));
                    let code = {
                        let codes = decidable.lock().unwrap();
                        codes.iter().find(|c| !decided.contains(*c)).cloned()
                    };
                    let Some(code) = code else { continue };
                    decided.insert(code.clone());
                    let done = admin.block(motcua_hub::register::record_province_event(
                        &admin.pool,
                        &code,
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
                        province_events.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        };
        let workers: Vec<_> = counters
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                let decidable = decidable.clone();
                scope.spawn(move || {
                    let mut clock = counter::vn(2026, 11, 3, 7, 30) + chrono::Duration::minutes(i as i64);
                    for round in 0..ROUNDS {
                        clock += chrono::Duration::seconds(50);
                        let d = c.desk.receive(&counter::reception("1.004873"), clock).unwrap();
                        c.codes.push(d.code.clone());
                        if round % 3 == 1 {
                            c.desk
                                .handover(&d.code, "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", None, clock)
                                .unwrap();
                        }
                        let report = sync(&mut c.desk, 3);
                        if let Some(e) = &report.error {
                            assert!(
                                matches!(e.code, "hub_unreachable" | "hub_unavailable"),
                                "unexpected failure: {e:?}"
                            );
                        }
                        if round % 3 == 0 && report.error.is_none() {
                            decidable.lock().unwrap().push(d.code);
                        }
                        assert_eq!(c.desk.sync_status().unwrap().rejected, 0, "nothing may be rejected");
                    }
                    c
                })
            })
            .collect();
        // The province stops before a worker's failure is raised: otherwise
        // the scope would wait for it for ever and the test hang.
        let joined: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
        stop.store(true, Ordering::SeqCst);
        province.join().unwrap();
        joined
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Vec<SyncingCounter>>()
    });

    // The link comes back clean: one sync each brings every side level.
    balancer.set_fault_rate(0.0);
    let mut counters = counters;
    for c in counters.iter_mut() {
        let report = sync(&mut c.desk, 3);
        assert_eq!(report.outcome, RunOutcome::Done, "{:?}", report.error);
        let status = c.desk.sync_status().unwrap();
        assert_eq!((status.pending, status.rejected, status.held), (0, 0, 0));
    }
    let served = balancer.by_target();
    assert!(
        served.get(&one.addr).copied().unwrap_or(0) > 20 && served.get(&two.addr).copied().unwrap_or(0) > 20,
        "both hubs served: {served:?}"
    );

    // Every event once, exactly the counters' and the province's, every
    // dossier the same on both sides (the province's decisions included):
    // no cursor skipped a change, and each stands at the last change meant
    // for its counter.
    let views: Vec<CounterView> = counters.iter().map(SyncingCounter::view).collect();
    let delivered = assert_hub_and_counters_agree(&admin, &views);
    for c in &counters {
        let office = c.desk.office().unwrap();
        let last: i64 = admin
            .block(async {
                sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT MAX(seq) FROM changes
                      WHERE office IS NULL OR (office = $1 AND (counter IS NULL OR counter = $2))",
                )
                .bind(&office.agency_code)
                .bind(office.counter as i32)
                .fetch_one(&admin.pool)
                .await
            })
            .unwrap()
            .unwrap_or(0);
        assert_eq!(c.desk.sync_status().unwrap().cursor, last, "counter {}", office.counter);
    }
    let province_events = province_events.load(Ordering::SeqCst);
    assert_eq!(delivered, province_events);
    assert!(
        province_events >= 10,
        "the province decided while the counters synced: {province_events}"
    );
    eprintln!(
        "two hubs: {served:?} requests, {} faults, {} events, {province_events} province decisions",
        balancer.injected(),
        admin.count("SELECT COUNT(*) FROM events")
    );
}
