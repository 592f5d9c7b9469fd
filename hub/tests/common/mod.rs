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
    let code = hub.enroll_code(&office.agency_code, office.counter);
    desk.enroll(url, &code, PLAIN, counter::set_up_at() + chrono::Duration::minutes(1))
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
