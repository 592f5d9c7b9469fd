//! `kill -9` at random points of receptions and backups, on a real sealed
//! data folder: every dossier a process reported is there, nothing is half
//! stored, SQLite's integrity check passes, the trail verifies; every
//! backup that was finished restores. (Prints: tests/print_archive.rs.)

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{desk_in, open_desk, ADMIN_PASSWORD};
use motcua::desk::{Desk, RestoreSecret};

fn reception_json() -> String {
    serde_json::json!({
        "procedure_code": "1.004873",
        "applicant": {
            "full_name": "Nguyễn Thị Hường",
            "id_number": "004301001234",
            "date_of_birth": "2001-02-02",
            "sex": "Nữ",
            "phone": "0912345678",
            "email": null,
            "address": "Tổ 5, phường Thục Phán, tỉnh Cao Bằng"
        },
        "documents": [{"name": "Tờ khai theo mẫu", "form": "original", "count": 1}],
        "sets": 1,
        "channel": "counter",
        "note": null,
        "fees": null
    })
    .to_string()
}

fn motcua(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("MOTCUA_USER", "admin")
        .env("MOTCUA_PASSWORD", ADMIN_PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("motcua runs")
}

fn receive(dir: &Path) -> Child {
    let mut child = motcua(dir, &["receive", "--input", "-", "--json"]);
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(reception_json().as_bytes());
    }
    child
}

/// Runs `start` 40 times, killing each at a random point of how long a
/// whole run takes (some finish); the outputs of those that finished.
fn kill_at_random(start: impl Fn() -> Child, seed: u64) -> (Vec<Vec<u8>>, usize) {
    let begun = Instant::now();
    let whole = start().wait_with_output().unwrap();
    assert!(whole.status.success(), "a whole run succeeds");
    let span = begun.elapsed().as_micros() as u64;
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut finished, mut killed) = (vec![whole.stdout], 0);
    for _ in 0..40 {
        let mut child = start();
        std::thread::sleep(Duration::from_micros(rng.u64(0..=span * 3 / 2)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
            child.kill().unwrap(); // SIGKILL
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            finished.push(out.stdout);
        }
    }
    (finished, killed)
}

fn integrity_ok(dir: &Path) {
    let db = common::raw_db(dir);
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn receptions_killed_at_random_lose_nothing_reported() {
    let dir = tempfile::tempdir().unwrap();
    drop(desk_in(dir.path(), 1));
    let (finished, killed) = kill_at_random(|| receive(dir.path()), 11);
    eprintln!("receptions: {killed} of 40 killed, {} finished", finished.len());
    assert!(killed >= 10, "only {killed} killed: the test proved little");
    let reported: BTreeSet<String> = finished
        .iter()
        .map(|out| {
            let v: serde_json::Value = serde_json::from_slice(out).unwrap();
            v["code"].as_str().unwrap().to_string()
        })
        .collect();
    integrity_ok(dir.path());
    let desk = open_desk(dir.path());
    for code in &reported {
        desk.dossier(code).expect("a reported code is stored");
    }
    // Nothing half stored: every dossier has its events and the trail holds.
    let report = desk.audit(None).unwrap();
    assert!(report.ok, "{report:?}");
    // Numbers run 1..n with no gap and no repeat: a killed reception stored
    // all of itself or nothing, its number included.
    let mut numbers: Vec<u32> = desk
        .store()
        .open_dossiers()
        .unwrap()
        .iter()
        .map(|d| d.code.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    let n = numbers.len() as u32;
    assert!(n as usize >= reported.len());
    assert_eq!(numbers, (1..=n).collect::<Vec<_>>());
}

#[test]
fn backups_killed_at_random_leave_only_whole_backups_that_restore() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    for i in 0..20 {
        desk.receive(&common::reception("1.004873"), common::vn(2026, 11, 26, 8, i))
            .unwrap();
    }
    drop(desk);
    let out = dir.path().join("usb");
    std::fs::create_dir_all(&out).unwrap();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let (finished, killed) = kill_at_random(
        || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let file = out.join(format!("b{n}.mcbak"));
            motcua(dir.path(), &["backup", "--out", &file.display().to_string(), "--json"])
        },
        13,
    );
    eprintln!("backups: {killed} of 40 killed, {} finished", finished.len());
    assert!(killed >= 10, "only {killed} killed: the test proved little");
    integrity_ok(dir.path());
    assert!(open_desk(dir.path()).audit(None).unwrap().ok);
    // Every file that has a backup's name restores whole — those reported
    // made, and those killed after their last byte; a cut one only ever
    // left its `.part`, never mistaken for a backup.
    let reported: BTreeSet<String> = finished
        .iter()
        .map(|made| {
            serde_json::from_slice::<serde_json::Value>(made).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut whole = 0;
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "mcbak") {
            continue;
        }
        whole += 1;
        let target = dir.path().join(format!("restored-{whole}"));
        let (restored, report) = Desk::restore_backup(
            &target,
            &path,
            "admin",
            RestoreSecret::Password(ADMIN_PASSWORD),
            chrono::Utc::now(),
        )
        .unwrap_or_else(|e| panic!("{} does not restore: {e}", path.display()));
        assert_eq!(report.dossiers, 20);
        assert!(restored.audit(None).unwrap().ok);
    }
    for file in &reported {
        assert!(Path::new(file).is_file(), "{file} reported made");
    }
    assert!(whole >= reported.len());
}
