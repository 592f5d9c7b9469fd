//! Sync benchmarks (numbers, not assertions). Needs DATABASE_URL, like the
//! tests: `eval "$(scripts/pg-start)"; cargo bench -p motcua-hub --bench sync`.
//!
//! 1. 10,000 events pushed and acknowledged over loopback: time, and bytes
//!    per dossier on the wire (counted by the proxy, gzip included).
//! 2. A 100-dossier day through a shaped link: 256 kbit/s, 300 ms round
//!    trip, 2 % segment loss (each lost segment costs a retransmission).
//! 3. The hub's ingest rate into PostgreSQL (no HTTP).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::proxy::{FaultProxy, Shaping};
use common::{counter, counter_desk, enroll, Hub};
use motcua::desk::Desk;
use motcua::sync::run::{SyncOptions, Trigger};

/// `n` dossiers, each received and handed over: 2·n events, spread over
/// days (a counter issues at most 999 codes a day).
fn fill(desk: &mut Desk, dossiers: usize) {
    let mut at = counter::vn(2026, 11, 2, 7, 30);
    for i in 0..dossiers {
        if i > 0 && i % 900 == 0 {
            at += chrono::Duration::days(1);
        }
        at += chrono::Duration::seconds(20);
        let d = desk.receive(&counter::reception("1.004873"), at).unwrap();
        desk.handover(&d.code, "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", None, at)
            .unwrap();
    }
}

/// A mountain commune's link.
const MOUNTAIN_LINK: Shaping = Shaping {
    bits_per_second: 256_000,
    rtt: Duration::from_millis(300),
    loss: 0.02,
};

fn options(page_size: usize) -> SyncOptions {
    let mut o = SyncOptions::new(Trigger::Cli);
    o.page_size = page_size;
    o
}

fn main() {
    let hub = Hub::start();
    hub.add_office(common::OFFICE_A, "UBND xã Hòa An");

    // 1. 10,000 events over loopback.
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), common::OFFICE_A, 1);
    let proxy = FaultProxy::start(hub.addr);
    enroll(&hub, &mut desk, &proxy.url());
    let t = Instant::now();
    fill(&mut desk, 5_000);
    let fill_time = t.elapsed();
    let (up0, down0) = (bytes_up(&proxy), bytes_down(&proxy));
    let t = Instant::now();
    let report = desk.sync(&options(500), &chrono::Utc::now, &mut |_| {}).unwrap();
    let push_time = t.elapsed();
    assert_eq!(
        report.pushed.accepted,
        10_000 + common::SET_UP_FACTS as i64,
        "{:?}",
        report.error
    );
    let (up, down) = (bytes_up(&proxy) - up0, bytes_down(&proxy) - down0);
    println!(
        "push 10,000 events (5,000 dossiers) over loopback, pages of 500: {:.2} s ({:.0} events/s); \
         on the wire {:.0} bytes up + {:.0} bytes down per dossier (gzip); recording them took {:.1} s",
        push_time.as_secs_f64(),
        10_000.0 / push_time.as_secs_f64(),
        up as f64 / 5_000.0,
        down as f64 / 5_000.0,
        fill_time.as_secs_f64()
    );

    // 2. A 100-dossier day through a slow, lossy mountain link.
    hub.add_office("000.18.22.H56", "UBND xã Nguyên Bình");
    let dir2 = tempfile::tempdir().unwrap();
    let mut day = counter_desk(dir2.path(), "000.18.22.H56", 1);
    let slow = FaultProxy::start(hub.addr);
    enroll(&hub, &mut day, &slow.url());
    fill(&mut day, 100);
    slow.shape(Some(MOUNTAIN_LINK));
    for page in [50, 200] {
        let t = Instant::now();
        let r = day.sync(&options(page), &chrono::Utc::now, &mut |_| {}).unwrap();
        let pushed = r.pushed.accepted;
        println!(
            "100-dossier day ({pushed} events) at 256 kbit/s, 300 ms RTT, 2 % loss, pages of {page}: {:.1} s",
            t.elapsed().as_secs_f64()
        );
        // Same day again for the next page size: a fresh counter.
        if page == 50 {
            hub.add_office("000.19.22.H56", "UBND xã Quảng Hòa");
            let dir3 = tempfile::tempdir().unwrap();
            day = counter_desk(dir3.path(), "000.19.22.H56", 1);
            slow.shape(None);
            enroll(&hub, &mut day, &slow.url());
            fill(&mut day, 100);
            slow.shape(Some(MOUNTAIN_LINK));
            std::mem::forget(dir3);
        }
    }

    // 3. Hub ingest into PostgreSQL, pages of 500, no HTTP.
    hub.add_office("000.20.22.H56", "UBND xã Hà Quảng");
    let dir4 = tempfile::tempdir().unwrap();
    let mut big = counter_desk(dir4.path(), "000.20.22.H56", 1);
    fill(&mut big, 5_000);
    let mut store = big.open_store().unwrap();
    let device = motcua_hub::auth::Device {
        device_id: big.office().unwrap().device_id,
        office: "000.20.22.H56".into(),
        office_name: "UBND xã Hà Quảng".into(),
        counter: 1,
    };
    let mut pages = Vec::new();
    loop {
        let page = store.take_outbox_page(500, "2026-11-03T17:00:00+07:00").unwrap();
        if page.is_empty() {
            break;
        }
        pages.push(page.into_iter().map(|(_, e)| e).collect::<Vec<_>>());
    }
    let t = Instant::now();
    for page in &pages {
        hub.block(motcua_hub::register::ingest(
            &hub.pool,
            &device,
            page,
            chrono::Utc::now(),
        ))
        .unwrap();
    }
    let ingest = t.elapsed();
    println!(
        "hub ingest into PostgreSQL: 10,000 events in {:.2} s ({:.0} events/s, one transaction per page of 500)",
        ingest.as_secs_f64(),
        10_000.0 / ingest.as_secs_f64()
    );
    let t = Instant::now();
    for page in &pages {
        hub.block(motcua_hub::register::ingest(
            &hub.pool,
            &device,
            page,
            chrono::Utc::now(),
        ))
        .unwrap();
    }
    println!(
        "the same 10,000 events again (all duplicates): {:.2} s",
        t.elapsed().as_secs_f64()
    );
}

fn bytes_up(p: &FaultProxy) -> usize {
    p.state.bytes_up.load(std::sync::atomic::Ordering::SeqCst)
}

fn bytes_down(p: &FaultProxy) -> usize {
    p.state.bytes_down.load(std::sync::atomic::Ordering::SeqCst)
}
