//! Several hub processes behind a load balancer on one PostgreSQL (issue
//! 12): nothing in a process's memory is needed for correctness. Two real
//! `motcua-hub serve` processes, a balancer that sends each request to
//! either (a duplicated request to both), three counters syncing at once
//! while the province records its decisions: every event is stored once,
//! every province decision reaches its counter, no cursor skips a change.

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::proxy::FaultProxy;
use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A, OFFICE_B};
use motcua::dossier::ActionRequest;
use motcua::sync::run::RunOutcome;

/// A `motcua-hub serve` process of its own; killed when dropped.
struct HubProcess {
    child: Child,
    addr: SocketAddr,
}

impl HubProcess {
    fn spawn(database_url: &str) -> HubProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
            .args(["serve", "--listen", &addr.to_string(), "--pool-size", "4"])
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let process = HubProcess { child, addr };
        for _ in 0..200 {
            if process.healthy() {
                return process;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("motcua-hub serve on {addr} did not come up");
    }

    fn healthy(&self) -> bool {
        let Ok(mut s) = std::net::TcpStream::connect(self.addr) else {
            return false;
        };
        let _ = s.write_all(b"GET /v1/health HTTP/1.1\r\nhost: hub\r\nconnection: close\r\n\r\n");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer.starts_with("HTTP/1.1 200")
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Counter {
    desk: motcua::desk::Desk,
    agency: &'static str,
    codes: Vec<String>,
    _dir: tempfile::TempDir,
}

const ROUNDS: usize = 40;

#[test]
fn two_hubs_on_one_database_store_every_event_once_and_skip_no_change() {
    // The database (made and migrated by the in-process hub, used here only
    // for the admin's side) and two hub processes serving it.
    let admin = Hub::start();
    admin.add_office(OFFICE_A, "UBND xã Hòa An");
    admin.add_office(OFFICE_B, "UBND xã Nguyên Bình");
    let one = HubProcess::spawn(&admin.database_url);
    let two = HubProcess::spawn(&admin.database_url);
    let balancer = FaultProxy::balance(&[one.addr, two.addr]);
    // A rough link too: lost answers and duplicated requests make the same
    // page reach both hubs at once.
    balancer.set_fault_rate(0.15);

    let counters: Vec<Counter> = [(OFFICE_A, 1), (OFFICE_A, 2), (OFFICE_B, 1)]
        .into_iter()
        .map(|(agency, k)| {
            let dir = tempfile::tempdir().unwrap();
            let mut desk = counter_desk(dir.path(), agency, k);
            enroll(&admin, &mut desk, &balancer.url());
            Counter {
                desk,
                agency,
                codes: Vec::new(),
                _dir: dir,
            }
        })
        .collect();

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
        let counters: Vec<Counter> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        stop.store(true, Ordering::SeqCst);
        province.join().unwrap();
        counters
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

    // Every event once, and exactly the counters' events plus the province's.
    for agency in [OFFICE_A, OFFICE_B] {
        let on_hub = admin.event_ids(agency);
        let unique: BTreeSet<_> = on_hub.iter().copied().collect();
        assert_eq!(unique.len(), on_hub.len(), "an event stored twice");
        let recorded: BTreeSet<uuid::Uuid> = counters
            .iter()
            .filter(|c| c.agency == agency)
            .flat_map(|c| c.desk.store().local_event_ids().unwrap())
            .collect();
        let province: BTreeSet<uuid::Uuid> = admin
            .block(async {
                sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM events WHERE office = $1 AND origin = 'province'")
                    .bind(agency)
                    .fetch_all(&admin.pool)
                    .await
            })
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(
            unique.difference(&province).copied().collect::<BTreeSet<_>>(),
            recorded,
            "hub and counters of {agency} differ"
        );
    }
    // No cursor skipped a change: each dossier has the same events at its
    // counter as on the hub (the province's decisions included), and each
    // counter's cursor stands at the last change meant for it.
    let mut delivered = 0;
    for c in &counters {
        for code in &c.codes {
            let here = c.desk.show(code, chrono::Utc::now()).unwrap();
            let there = admin
                .block(motcua_hub::register::dossier(&admin.pool, code))
                .unwrap()
                .unwrap_or_else(|| panic!("{code} never reached the hub"));
            let ids_there: BTreeSet<uuid::Uuid> = admin
                .block(async {
                    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM events WHERE dossier_id = $1")
                        .bind(there.id)
                        .fetch_all(&admin.pool)
                        .await
                })
                .unwrap()
                .into_iter()
                .collect();
            let ids_here: BTreeSet<uuid::Uuid> = here.events.iter().map(|e| e.id.parse().unwrap()).collect();
            assert_eq!(ids_here, ids_there, "{code}");
            assert_eq!(here.dossier.status, there.status, "{code}");
            delivered += here.events.iter().filter(|e| e.device == "hub").count();
        }
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
