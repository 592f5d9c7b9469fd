//! The report over many dossiers, and the cost of building them with
//! demo-data (the real desk calls). Numbers, not assertions.
//!
//! `cargo bench --bench report -- 1000000` builds a training office with a
//! million dossiers over 2022–2026 in a temporary folder (or reuses the one
//! named by MOTCUA_BENCH_DIR when it already holds them), then times the
//! report for the whole range, one year and one month — on the sealed
//! folder and on a plain copy of it, so the price of encryption shows.

use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use motcua::accounts::{NewAccount, Role, Session};
use motcua::demo::{fill, set_up_time, DemoPlan};
use motcua::desk::{Desk, Folder};
use motcua::keys::Keyring;
use motcua::office::OfficeSetup;

fn main() {
    let n: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = std::env::var_os("MOTCUA_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let now = Utc.with_ymd_and_hms(2027, 1, 5, 2, 0, 0).unwrap();
    let (from, to) = (d(2022, 1, 1), d(2026, 12, 31));
    let admin = NewAccount {
        login: "bench".into(),
        full_name: "Nông Thị Lan".into(),
        roles: vec!["admin".into()],
        password: "đo-hiệu-năng".into(),
    };
    // A kept folder is sealed (or, from before encryption, plain).
    let mut desk = match Folder::of(&dir) {
        Folder::Sealed => Desk::unlock(&dir, &admin.login, &admin.password, now).expect("sign in"),
        _ => Desk::open(&dir).expect("data folder"),
    };
    if desk.store().office().expect("office").is_none() {
        desk.init(
            &OfficeSetup {
                office_name: "UBND xã Dùng Thử (đo hiệu năng)".into(),
                agency_code: "000.00.99.H04".into(),
                place: "Cao Bằng".into(),
                counter: 1,
                clerks: vec!["Nông Thị Lan".into()],
                training: true,
                ..OfficeSetup::default()
            },
            &admin,
            set_up_time(from),
        )
        .expect("init");
    } else if desk.needs_first_admin().expect("accounts") {
        desk.add_user(&admin, now).expect("first admin");
    } else if desk.session().is_none() {
        desk.sign_in(&admin.login, &admin.password, now).expect("sign in");
    }
    if desk.store().count_dossiers().expect("count") < n as i64 {
        let t = Instant::now();
        let plan = DemoPlan {
            from,
            to,
            dossiers: n,
            late_share: 0.04,
            seed: 7,
        };
        let summary = fill(&mut desk, &plan, |k| {
            if k % 100_000 == 0 {
                eprintln!("… {k} dossiers, {:.0} s", t.elapsed().as_secs_f64());
            }
        })
        .expect("demo data");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "demo-data: {} dossiers, {} events in {:.0} s ({:.0} dossiers/s, {:.2} ms per dossier)",
            summary.dossiers,
            summary.events,
            secs,
            summary.dossiers as f64 / secs,
            secs * 1000.0 / summary.dossiers as f64
        );
    }
    let size = std::fs::metadata(dir.join(motcua::store::DATABASE_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "data folder: {} dossiers, database {:.0} MiB",
        desk.store().count_dossiers().expect("count"),
        size as f64 / 1048576.0
    );
    time_reports(&desk, "sealed", from, to, now);
    // The same data as an office before encryption held it: a plain copy.
    let plain_dir = temp.path().join("plain-copy");
    plain_copy(&dir, &plain_dir, &admin);
    let mut plain = Desk::open(&plain_dir).expect("plain copy");
    plain.assume_session(Session {
        login: admin.login.clone(),
        full_name: admin.full_name.clone(),
        roles: vec![Role::Admin],
    });
    time_reports(&plain, "plain", from, to, now);
    drop(plain);
    let _ = std::fs::remove_dir_all(&plain_dir);
    let t = Instant::now();
    let r = desk.report(d(2026, 1, 1), to, now).expect("report");
    let office = desk.office().expect("office");
    let sheets = desk.form_sheets().expect("form texts");
    let xlsx = motcua::report::table::xlsx(&sheets, &office, &r).expect("xlsx");
    let pdf = motcua::report::table::pdf(&sheets, &office, &r).expect("pdf");
    println!(
        "report 2026 with its xlsx ({} KiB) and PDF ({} KiB): {:.2} s",
        xlsx.len() / 1024,
        pdf.len() / 1024,
        t.elapsed().as_secs_f64()
    );
}

fn time_reports(desk: &Desk, kind: &str, from: NaiveDate, to: NaiveDate, now: chrono::DateTime<Utc>) {
    for (label, a, b) in [
        ("whole range 2022–2026", from, to),
        ("year 2026", d(2026, 1, 1), to),
        ("month 11/2026", d(2026, 11, 1), d(2026, 11, 30)),
    ] {
        let mut best = f64::MAX;
        let mut report = None;
        for _ in 0..3 {
            let t = Instant::now();
            report = Some(desk.report(a, b, now).expect("report"));
            best = best.min(t.elapsed().as_secs_f64());
        }
        let r = report.expect("report");
        println!(
            "report ({kind}), {label}: {:.2} s (best of 3) over {} dossiers in scope; on time {:?} %",
            best, r.received.total, r.on_time_rate
        );
    }
}

/// Exports the sealed database into a plain one in `to` (SQLCipher's
/// `sqlcipher_export`), as an office from before encryption had it.
fn plain_copy(from: &std::path::Path, to: &std::path::Path, admin: &NewAccount) {
    let key = Keyring::load(from)
        .expect("keyring")
        .expect("a sealed folder")
        .unwrap(&admin.login, &admin.password)
        .expect("the bench's password");
    std::fs::create_dir_all(to).expect("plain folder");
    let target = to.join(motcua::store::DATABASE_FILE);
    let db = rusqlite::Connection::open(from.join(motcua::store::DATABASE_FILE)).expect("open");
    db.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))
        .expect("key");
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    db.execute("ATTACH DATABASE ?1 AS plain KEY ''", [target.to_string_lossy()])
        .expect("attach");
    db.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
        .expect("export");
    db.execute_batch(&format!(
        "PRAGMA plain.user_version = {version}; DETACH DATABASE plain;"
    ))
    .expect("detach");
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}
