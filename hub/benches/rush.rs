//! The national day's-end rush in miniature (issue 12): N counters (300 by
//! default), each with 100 dossiers received and handed over (200 events),
//! all syncing at once against one `motcua-hub serve` process (release
//! build, default settings) on one PostgreSQL, on this machine. Numbers,
//! not assertions; needs DATABASE_URL like the tests:
//!
//! `eval "$(bash scripts/pg-start)"; cargo bench -p motcua-hub --bench rush [-- COUNTERS]`
//!
//! Reported: events ingested per second (first push to last acknowledgement),
//! each counter's whole sync (p50/p99), the hub's push latency from its own
//! /metrics histogram, CPU seconds spent by the hub and by PostgreSQL, and
//! the 7,000-counter figure extrapolated from the measured rate.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{counter, counter_desk, Hub, HubProcess};
use motcua::desk::Desk;
use motcua::sync::run::{SyncOptions, Trigger};

const DOSSIERS_PER_COUNTER: usize = 100;

/// CPU seconds (user + system) in a /proc/PID/stat line (clock ticks of
/// 1/100 s on Linux), with the process's command name.
fn stat_cpu(stat: &str) -> Option<(&str, f64)> {
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat.get(close + 2..)?.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line (11, 12 after the name).
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some((&stat[open + 1..close], ticks as f64 / 100.0))
}

/// CPU seconds of every process whose command name is `name`.
fn cpu_seconds(name: &str) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter_map(|stat| stat_cpu(&stat).filter(|(n, _)| *n == name).map(|(_, s)| s))
        .sum()
}

/// The `q` quantile of a Prometheus histogram's cumulative buckets (the
/// bucket's upper bound: an upper estimate).
fn histogram_quantile(metrics: &str, family: &str, route: &str, q: f64) -> Option<f64> {
    let prefix = format!("{family}_bucket{{route=\"{route}\",le=\"");
    let buckets: Vec<(f64, f64)> = metrics
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (le, count) = rest.split_once("\"} ")?;
            let le = if le == "+Inf" { f64::INFINITY } else { le.parse().ok()? };
            Some((le, count.trim().parse().ok()?))
        })
        .collect();
    let total = buckets.last()?.1;
    buckets.iter().find(|(_, n)| *n >= q * total).map(|(le, _)| *le)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn main() {
    let counters: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(300);
    // The database (made by the in-process hub, which serves nothing here)
    // and the hub under test: the release binary, default settings.
    let admin = Hub::start();
    let hub = HubProcess::spawn(&admin.database_url, &[]);
    let addr = hub.addr;
    let url = format!("http://{addr}");

    // Two counters per commune, as the country has them.
    let t = Instant::now();
    let folders: Vec<tempfile::TempDir> = (0..counters).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut desks: Vec<Desk> = Vec::with_capacity(counters);
    for (i, dir) in folders.iter().enumerate() {
        let agency = format!("000.{:02}.{:02}.H56", 10 + i / 2 / 90, 10 + (i / 2) % 90);
        let k = (i % 2 + 1) as i64;
        if k == 1 {
            admin.add_office(&agency, &format!("UBND xã Thử tải {}", i / 2 + 1));
        }
        let mut desk = counter_desk(dir.path(), &agency, k);
        common::enroll(&admin, &mut desk, &url);
        let mut at = counter::vn(2026, 11, 30, 7, 30);
        for _ in 0..DOSSIERS_PER_COUNTER {
            at += chrono::Duration::seconds(90);
            let d = desk.receive(&counter::reception("1.004873"), at).unwrap();
            desk.handover(&d.code, "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", None, at)
                .unwrap();
        }
        desks.push(desk);
    }
    let pending: i64 = desks.iter().map(|d| d.sync_status().unwrap().pending).sum();
    println!(
        "{counters} counters ready ({} offices), {pending} events waiting to be pushed (prepared in {:.0} s)",
        counters.div_ceil(2),
        t.elapsed().as_secs_f64()
    );
    let pid = hub.id();
    let hub_cpu = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| stat_cpu(&stat).map(|(_, s)| s))
            .unwrap_or(0.0)
    };
    let stats = |pool: &sqlx::PgPool| {
        admin
            .block(async {
                sqlx::query_as::<_, (i64, i64, i64)>(
                    "SELECT xact_commit, tup_inserted + tup_updated, blks_hit + blks_read
                       FROM pg_stat_database WHERE datname = current_database()",
                )
                .fetch_one(pool)
                .await
            })
            .unwrap()
    };

    // All at once: each counter's day's-end sync, timed on its own.
    let (pg0, hub0, db0) = (cpu_seconds("postgres"), hub_cpu(), stats(&admin.pool));
    let start = Arc::new(Barrier::new(counters + 1));
    let workers: Vec<_> = desks
        .into_iter()
        .map(|mut desk| {
            let start = start.clone();
            std::thread::spawn(move || {
                let mut options = SyncOptions::new(Trigger::DayEnd);
                options.timeouts.request = Duration::from_secs(120);
                start.wait();
                let t = Instant::now();
                let report = desk.sync(&options, &chrono::Utc::now, &mut |_| {}).unwrap();
                (
                    t.elapsed().as_secs_f64(),
                    report.pushed.accepted,
                    report.retries,
                    report.error,
                )
            })
        })
        .collect();
    start.wait();
    let t = Instant::now();
    let results: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let wall = t.elapsed().as_secs_f64();
    // PostgreSQL publishes its statistics a moment after the transactions.
    std::thread::sleep(Duration::from_secs(2));
    let (pg1, hub1, db1) = (cpu_seconds("postgres"), hub_cpu(), stats(&admin.pool));

    let accepted = results.iter().map(|r| r.1).sum::<i64>() as usize;
    let retries: i64 = results.iter().map(|r| r.2).sum();
    let failed: Vec<_> = results.iter().filter_map(|r| r.3.as_ref()).collect();
    let mut times: Vec<f64> = results.iter().map(|r| r.0).collect();
    times.sort_by(f64::total_cmp);
    let rate = accepted as f64 / wall;
    let metrics = hub.get("/metrics");
    let push_p50 = histogram_quantile(&metrics, "motcua_hub_request_duration_seconds", "/v1/push", 0.5);
    let push_p99 = histogram_quantile(&metrics, "motcua_hub_request_duration_seconds", "/v1/push", 0.99);
    println!(
        "{counters} counters × {} events at once: {accepted} events accepted in {wall:.1} s = {rate:.0} events/s \
         ({} syncs failed, {retries} retries)",
        DOSSIERS_PER_COUNTER * 2,
        failed.len()
    );
    println!(
        "one counter's whole sync: p50 {:.2} s, p99 {:.2} s, slowest {:.2} s; hub push request: p50 ≤ {} s, p99 ≤ {} s (its /metrics buckets)",
        quantile(&times, 0.5),
        quantile(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
        push_p50.map_or("?".into(), |v| v.to_string()),
        push_p99.map_or("?".into(), |v| v.to_string()),
    );
    println!(
        "CPU: hub {:.1} s, PostgreSQL {:.1} s over {wall:.1} s on 2 cores; PostgreSQL: {} commits, {} rows written, {} block reads ({} per event)",
        hub1 - hub0,
        pg1 - pg0,
        db1.0 - db0.0,
        db1.1 - db0.1,
        db1.2 - db0.2,
        (db1.2 - db0.2) / accepted.max(1) as i64
    );
    let national = 7_000.0 * (DOSSIERS_PER_COUNTER * 2) as f64;
    println!(
        "extrapolated: 7,000 counters × {} events = {national:.0} events in {:.0} s ({:.1} min) at this rate, one hub on this 2-core machine",
        DOSSIERS_PER_COUNTER * 2,
        national / rate,
        national / rate / 60.0
    );
    for e in failed.iter().take(3) {
        println!("a failed sync: {e:?}");
    }
}
