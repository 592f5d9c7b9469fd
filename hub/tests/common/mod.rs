//! A real hub on a real PostgreSQL for the tests, a fault-injecting proxy,
//! and counters in real data folders.
#![allow(dead_code)]

#[path = "../../../tests/common/mod.rs"]
pub mod counter;
pub mod proxy;

use std::net::SocketAddr;
use std::time::Duration;

use motcua::desk::Desk;
use motcua::sync::http::Timeouts;
use motcua::sync::run::{RetryPolicy, SyncOptions, SyncReport, Trigger};
use sqlx::PgPool;

/// A database of its own for each test, created in the server
/// `DATABASE_URL` points at (scripts/test-all starts a throwaway cluster).
pub fn fresh_database() -> String {
    let admin = std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must name a PostgreSQL database the tests may create databases from; \
         scripts/test-all starts one (see ../shared/PLATFORM.md)",
    );
    let name = format!("motcua_t_{}", uuid::Uuid::now_v7().simple());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&admin)
            .await
            .expect("connect to DATABASE_URL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let (base, _) = admin.rsplit_once('/').expect("DATABASE_URL ends with /dbname");
    format!("{base}/{name}")
}

/// The hub, served from a runtime of its own so that `restart` can kill it
/// abruptly (every connection and transaction under way dies with it).
pub struct Hub {
    pub database_url: String,
    pub addr: SocketAddr,
    rt: Option<tokio::runtime::Runtime>,
    pub pool: PgPool,
}

impl Hub {
    pub fn start() -> Hub {
        let database_url = fresh_database();
        let (rt, pool, addr) = Self::launch(&database_url, "127.0.0.1:0".parse().unwrap());
        Hub {
            database_url,
            addr,
            rt: Some(rt),
            pool,
        }
    }

    fn launch(url: &str, addr: SocketAddr) -> (tokio::runtime::Runtime, PgPool, SocketAddr) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (pool, listener) = rt.block_on(async {
            let pool = motcua_hub::db::connect(url, 8).await.unwrap();
            motcua_hub::db::migrate(&pool).await.unwrap();
            let mut tries = 0;
            let listener = loop {
                match tokio::net::TcpListener::bind(addr).await {
                    Ok(l) => break l,
                    Err(e) if tries < 100 => {
                        tries += 1;
                        let _ = e;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => panic!("bind {addr}: {e}"),
                }
            };
            (pool, listener)
        });
        let addr = listener.local_addr().unwrap();
        let serving = pool.clone();
        rt.spawn(async move {
            let _ = motcua_hub::api::serve(serving, listener, std::future::pending()).await;
        });
        (rt, pool, addr)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Kills the hub where it stands and starts it again on the same port.
    pub fn restart(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
        let (rt, pool, addr) = Self::launch(&self.database_url, self.addr);
        self.rt = Some(rt);
        self.pool = pool;
        self.addr = addr;
    }

    pub fn block<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.as_ref().expect("hub running").block_on(f)
    }

    pub fn add_office(&self, agency: &str, name: &str) {
        self.block(motcua_hub::register::add_office(&self.pool, agency, name))
            .unwrap();
    }

    pub fn enroll_code(&self, agency: &str, counter: u32) -> String {
        self.block(motcua_hub::register::make_enrollment_code(
            &self.pool,
            agency,
            counter,
            7,
            chrono::Utc::now(),
        ))
        .unwrap()
    }

    /// Every event the hub holds from the office: dossier events and office facts.
    pub fn event_ids(&self, agency: &str) -> Vec<uuid::Uuid> {
        self.block(motcua_hub::register::event_ids(&self.pool, agency)).unwrap()
    }

    pub fn office_fact_ids(&self, agency: &str) -> Vec<uuid::Uuid> {
        self.block(motcua_hub::register::office_fact_ids(&self.pool, agency))
            .unwrap()
    }

    pub fn count(&self, sql: &'static str) -> i64 {
        self.block(async { sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await })
            .unwrap()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// The test hubs serve plain HTTP on loopback: the counters are enrolled
/// as `motcua enroll --insecure-http` would.
pub const PLAIN: motcua::sync::http::Transport = motcua::sync::http::Transport::PlainHttpAllowed;

pub const OFFICE_A: &str = "000.17.22.H56";
pub const OFFICE_B: &str = "000.18.22.H56";

/// A counter of an office in a fresh data folder.
pub fn counter_desk(dir: &std::path::Path, agency: &str, counter: i64) -> Desk {
    let mut desk = Desk::open(dir).unwrap();
    let mut setup = counter::setup(counter);
    setup.agency_code = agency.into();
    desk.init(&setup, &counter::admin(), counter::set_up_at()).unwrap();
    desk
}

/// The office facts a counter set up by `counter_desk` and `enroll`
/// records before any dossier: its settings, its first admin, its enrollment.
pub const SET_UP_FACTS: usize = 3;

/// Enrolls a desk with the hub at `url` using a fresh code.
pub fn enroll(hub: &Hub, desk: &mut Desk, url: &str) {
    let office = desk.office().unwrap();
    enroll_with(desk, url, &hub.enroll_code(&office.agency_code, office.counter));
}

/// Enrolls a desk with the hub at `url` using `code`.
pub fn enroll_with(desk: &mut Desk, url: &str, code: &str) {
    desk.enroll(url, code, PLAIN, counter::set_up_at() + chrono::Duration::minutes(1))
        .unwrap();
}

/// Quick retries for tests: the faults are injected on loopback.
pub fn fast_options(page_size: usize) -> SyncOptions {
    SyncOptions {
        trigger: Trigger::Manual,
        retry: RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(2),
            max: Duration::from_millis(20),
        },
        page_size,
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(10),
        },
    }
}

pub fn sync(desk: &mut Desk, page_size: usize) -> SyncReport {
    desk.sync(&fast_options(page_size), &chrono::Utc::now, &mut |_| {})
        .unwrap()
}

/// A counter under test in its own folder, with the codes it received.
pub struct SyncingCounter {
    pub desk: Desk,
    pub agency: &'static str,
    pub codes: Vec<String>,
    _dir: tempfile::TempDir,
}

impl SyncingCounter {
    pub fn view(&self) -> CounterView<'_> {
        CounterView {
            desk: &self.desk,
            agency: self.agency,
            codes: &self.codes,
        }
    }
}

/// Counters 1 and 2 of office A and counter 1 of office B, enrolled with
/// `hub` and syncing through `url`.
pub fn three_counters(hub: &Hub, url: &str) -> Vec<SyncingCounter> {
    [(OFFICE_A, 1), (OFFICE_A, 2), (OFFICE_B, 1)]
        .into_iter()
        .map(|(agency, k)| {
            let dir = tempfile::tempdir().unwrap();
            let mut desk = counter_desk(dir.path(), agency, k);
            enroll(hub, &mut desk, url);
            SyncingCounter {
                desk,
                agency,
                codes: Vec::new(),
                _dir: dir,
            }
        })
        .collect()
}

/// One counter as the agreement check sees it: its desk, its office and
/// the codes it received.
pub struct CounterView<'a> {
    pub desk: &'a Desk,
    pub agency: &'a str,
    pub codes: &'a [String],
}

/// After a clean sync everywhere: each event is stored once on the hub, the
/// hub holds exactly the counters' events plus the province's, and every
/// dossier stands the same on the hub and at its counter (status, judged
/// due date, hand-overs, the very same events). Returns how many province
/// events the counters hold.
pub fn assert_hub_and_counters_agree(hub: &Hub, counters: &[CounterView<'_>]) -> usize {
    use std::collections::BTreeSet;
    let mut agencies: Vec<&str> = counters.iter().map(|c| c.agency).collect();
    agencies.sort();
    agencies.dedup();
    for agency in agencies {
        let on_hub = hub.event_ids(agency);
        let unique: BTreeSet<_> = on_hub.iter().copied().collect();
        assert_eq!(unique.len(), on_hub.len(), "an event stored twice");
        let recorded: BTreeSet<uuid::Uuid> = counters
            .iter()
            .filter(|c| c.agency == agency)
            .flat_map(|c| c.desk.store().local_event_ids().unwrap())
            .collect();
        let province: BTreeSet<uuid::Uuid> = hub
            .block(async {
                sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM events WHERE office = $1 AND origin = 'province'")
                    .bind(agency)
                    .fetch_all(&hub.pool)
                    .await
            })
            .unwrap()
            .into_iter()
            .collect();
        let from_counters: BTreeSet<_> = unique.difference(&province).copied().collect();
        assert_eq!(from_counters, recorded, "hub and counters of {agency} differ");
    }
    let mut delivered = 0;
    for c in counters {
        for code in c.codes {
            let here = c.desk.show(code, chrono::Utc::now()).unwrap();
            let there = hub
                .block(motcua_hub::register::dossier(&hub.pool, code))
                .unwrap()
                .unwrap_or_else(|| panic!("{code} never reached the hub"));
            assert_eq!(here.dossier.status, there.status, "{code}");
            assert_eq!(here.dossier.judged_due(), there.judged_due(), "{code}");
            assert_eq!(here.dossier.handovers.len(), there.handovers.len(), "{code}");
            let ids_there: BTreeSet<uuid::Uuid> = hub
                .block(async {
                    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM events WHERE dossier_id = $1")
                        .bind(there.id)
                        .fetch_all(&hub.pool)
                        .await
                })
                .unwrap()
                .into_iter()
                .collect();
            let ids_here: BTreeSet<uuid::Uuid> = here.events.iter().map(|e| e.id.parse().unwrap()).collect();
            assert_eq!(ids_here, ids_there, "{code}");
            delivered += here.events.iter().filter(|e| e.device == "hub").count();
        }
    }
    delivered
}

/// A `motcua-hub serve` process of its own on a free port; killed when
/// dropped.
pub struct HubProcess {
    child: std::process::Child,
    pub addr: SocketAddr,
}

impl HubProcess {
    pub fn spawn(database_url: &str, args: &[&str]) -> HubProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
            .args(["serve", "--listen", &addr.to_string()])
            .args(args)
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
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

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The answer to a plain GET of `path` (status line, headers, body).
    pub fn get(&self, path: &str) -> String {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(self.addr) else {
            return String::new();
        };
        let _ = s.write_all(format!("GET {path} HTTP/1.1\r\nhost: hub\r\nconnection: close\r\n\r\n").as_bytes());
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    }

    fn healthy(&self) -> bool {
        self.get("/v1/health").starts_with("HTTP/1.1 200")
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
