//! The hub's push handler with events of any content, against a real
//! PostgreSQL (DATABASE_URL names a server the target may create a
//! database in; scripts/fuzz starts one when none is given): whatever a
//! page holds, `register::ingest` answers every event — accepted,
//! duplicate or rejected with a code — and never fails the page with a
//! database error (a page that fails is sent again and again by its
//! counter, for ever). The device is the one that made the seed corpus.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use motcua_domain::wire::{EnrollRequest, PushRequest, MAX_PAGE};
use motcua_hub::auth::Device;
use motcua_hub::register;

const OFFICE: &str = "000.17.22.H56";
const DEVICE: &str = "01a22cb7-59a3-749b-871b-cf7a1b8ee1a3";

struct Target {
    rt: tokio::runtime::Runtime,
    pool: sqlx::PgPool,
    device: Device,
}

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let admin_url = std::env::var("DATABASE_URL").expect("DATABASE_URL: a PostgreSQL server to fuzz against");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let pool = rt.block_on(async {
            let admin = motcua_hub::db::connect(&admin_url, 1).await.unwrap();
            let name = format!("motcua_fuzz_{}", uuid::Uuid::now_v7().simple());
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            let pool = motcua_hub::db::connect(&format!("{base}/{name}"), 2).await.unwrap();
            motcua_hub::db::migrate(&pool).await.unwrap();
            register::add_office(&pool, OFFICE, "UBND xã Hòa An").await.unwrap();
            let now = chrono::Utc::now();
            let code = register::make_enrollment_code(&pool, OFFICE, 1, 7, now).await.unwrap();
            let request = EnrollRequest {
                code,
                device_id: DEVICE.into(),
                device_secret: "f".repeat(64),
            };
            register::enroll(&pool, &request, register::DEFAULT_TOKEN_DAYS, now)
                .await
                .unwrap();
            pool
        });
        Target {
            rt,
            pool,
            device: Device {
                device_id: DEVICE.into(),
                office: OFFICE.into(),
                office_name: "UBND xã Hòa An".into(),
                counter: 1,
            },
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(push) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    if push.events.len() > MAX_PAGE {
        return;
    }
    let t = target();
    let acks =
        t.rt.block_on(register::ingest(&t.pool, &t.device, &push.events, chrono::Utc::now()))
            .unwrap_or_else(|e| panic!("the page failed the hub ({}): {e}", e.code()));
    assert_eq!(acks.len(), push.events.len());
    assert!(acks.iter().zip(&push.events).all(|(a, e)| a.id == e.id));
});
