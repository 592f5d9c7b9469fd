//! Benchmark (not a test): the cost of "save a dossier durably + produce its
//! receipt PDF" next to a bare one-row SQLite commit with synchronous=FULL
//! on the same disk, so the ratio can be read — each plain and encrypted
//! (SQLCipher database, sealed archive), so the price of encryption can be.
//!
//! `cargo bench --bench reception` (release build); `BENCH_N` sets the rounds.

use std::path::Path;
use std::time::{Duration, Instant};

use motcua::accounts::{Role, Session};
use motcua::desk::Desk;
use motcua::keys::DataKey;
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
    println!("motcua reception benchmark ({} rounds, data in {})", n, dir.display());

    // Bare commit: one row per transaction, WAL, synchronous=FULL — plain
    // SQLite, then the same under SQLCipher with a raw 256-bit key.
    let plain = report(
        "bare one-row commit, plain SQLite",
        bare_commits(&dir.join("bare.sqlite3"), None, n)?,
    );
    let key = DataKey::random()?;
    let keyed = report(
        "bare one-row commit, SQLCipher",
        bare_commits(&dir.join("bare-keyed.sqlite3"), Some(&key), n)?,
    );

    // The desk as an office before issue 11 had it (plain database, plain
    // archive), then as every office has it now (sealed both).
    let before = dir.join("plain");
    common::desk_in(&before, 1);
    common::unseal_to_plain(&before);
    let mut desk = Desk::open(&before)?;
    desk.assume_session(Session {
        login: "admin".into(),
        full_name: "Nông Thị Lan".into(),
        roles: vec![Role::Admin],
    });
    let (plain_save, plain_both) = receptions(&mut desk, n)?;
    drop(desk);
    let mut desk = common::desk_in(&dir.join("sealed"), 1);
    let (sealed_save, sealed_both) = receptions(&mut desk, n)?;

    let s0 = report("receive, plain", plain_save);
    let s1 = report("receive, sealed", sealed_save);
    let r0 = report("receive + receipt PDF archived, plain", plain_both);
    let r1 = report("receive + receipt PDF archived, sealed", sealed_both);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "encryption cost (p50): bare commit {:.2}x, receive {:.2}x, receive+PDF {:.2}x; receive is {:.1}x a bare commit",
        ratio(keyed, plain),
        ratio(s1, s0),
        ratio(r1, r0),
        ratio(s1, keyed)
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn bare_commits(path: &Path, key: Option<&DataKey>, n: usize) -> Result<Vec<Duration>, Box<dyn std::error::Error>> {
    let conn = rusqlite::Connection::open(path)?;
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", [])?;
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {i}")])?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// Receives `n` dossiers (at most one day's block), timing the save alone
/// and the save with its two-copy receipt printed into the archive.
fn receptions(desk: &mut Desk, n: usize) -> Result<(Vec<Duration>, Vec<Duration>), Box<dyn std::error::Error>> {
    let t0 = common::vn(2026, 11, 26, 9, 0);
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
    Ok((save, both))
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    // Under target/: the same disk as a checkout's data, not a tmpfs.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("motcua-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
