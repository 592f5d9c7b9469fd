//! Benchmark (not a test): the cost of "save a dossier durably + produce its
//! receipt PDF" next to a bare one-row SQLite commit with synchronous=FULL
//! on the same disk, so the ratio can be read.
//!
//! `cargo bench --bench reception` (release build); `BENCH_N` sets the rounds.

use std::time::{Duration, Instant};

use motcua::desk::Desk;
use motcua::print::Paper;

#[path = "../tests/common/mod.rs"]
mod common;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 0.5), percentile(&samples, 0.99));
    println!(
        "{name:<44} n={:<5} p50={:>9.3} ms  p99={:>9.3} ms",
        samples.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    p50
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile_dir()?;

    // Bare commit: one row per transaction, WAL, synchronous=FULL.
    let conn = rusqlite::Connection::open(dir.join("bare.sqlite3"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", [])?;
    let mut bare = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {i}")])?;
        bare.push(t.elapsed());
    }

    let mut desk = Desk::open(&dir.join("desk"))?;
    let t0 = common::vn(2026, 11, 26, 9, 0);
    desk.init(&common::setup(1), &common::admin(), t0)?;
    let input = common::reception("1.004873");
    let mut save = Vec::with_capacity(n);
    let mut both = Vec::with_capacity(n);
    for i in 0..n.min(999) {
        let now = t0 + chrono::Duration::seconds(i as i64);
        let t = Instant::now();
        let d = desk.receive(&input, now)?;
        save.push(t.elapsed());
        desk.print_receipt(&d.code, None, None, Paper::A4, 2, now)?;
        both.push(t.elapsed());
    }
    println!("motcua reception benchmark ({} rounds, data in {})", n, dir.display());
    let b = report("bare one-row commit (WAL, synchronous=FULL)", bare);
    let s = report("receive (validate + code + event + row)", save);
    let r = report("receive + receipt PDF (2 copies, archived)", both);
    println!(
        "ratio to bare commit: receive {:.1}x, receive+PDF {:.1}x",
        s.as_secs_f64() / b.as_secs_f64(),
        r.as_secs_f64() / b.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    // Under target/: the same disk as a checkout's data, not a tmpfs.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("motcua-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
