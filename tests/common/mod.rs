//! Shared set-up for the integration tests: real data folders on disk.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use motcua::accounts::NewAccount;
use motcua::desk::Desk;
use motcua::dossier::{ApplicantInput, DocumentInput, FeeCountInput, ReceptionInput};
use motcua::office::OfficeSetup;

pub fn setup(counter: i64) -> OfficeSetup {
    OfficeSetup {
        office_name: "Trung tâm Phục vụ hành chính công xã Hòa An".into(),
        parent_name: Some("Ủy ban nhân dân xã Hòa An".into()),
        phone: Some("0206 3852 123".into()),
        address: Some("Tổ 1, xã Hòa An, tỉnh Cao Bằng".into()),
        agency_code: "000.17.22.H56".into(),
        place: "Hòa An".into(),
        counter,
        clerks: vec!["Nông Thị Lan".into(), "Hoàng Văn Minh".into()],
        ..OfficeSetup::default()
    }
}

/// A Vietnam wall-clock time as the UTC instant the core takes.
pub fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap() - chrono::Duration::hours(7)
}

/// The first administrator every test office is set up with; she also works the counter,
/// so receipts name her.
pub const ADMIN_PASSWORD: &str = "mật-khẩu-quản-trị";

pub fn admin() -> NewAccount {
    NewAccount {
        login: "admin".into(),
        full_name: "Nông Thị Lan".into(),
        roles: vec!["admin".into()],
        password: ADMIN_PASSWORD.into(),
    }
}

/// The `motcua` binary (`env!("CARGO_BIN_EXE_motcua")`: only the core's
/// tests have it) on a data folder, run as the office's first admin (the
/// account `desk_in` and the CLI tests' `init` create).
pub fn motcua_as_admin(bin: &str, dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin);
    cmd.arg("--data-dir").arg(dir);
    cmd.env("MOTCUA_USER", "admin").env("MOTCUA_PASSWORD", ADMIN_PASSWORD);
    cmd
}

/// When the test offices are set up and enrolled: before every fact the
/// tests record (a PC refuses facts dated before its last one).
pub fn set_up_at() -> DateTime<Utc> {
    vn(2025, 12, 1, 8, 0)
}

/// An existing data folder opened, its first administrator signed in.
pub fn open_desk(dir: &std::path::Path) -> Desk {
    Desk::unlock(dir, "admin", ADMIN_PASSWORD, vn(2026, 11, 2, 8, 0)).unwrap()
}

/// The folder's data key, unsealed with the first admin's password.
pub fn data_key(dir: &std::path::Path) -> motcua::keys::DataKey {
    data_key_as(dir, "admin", ADMIN_PASSWORD)
}

/// The folder's data key, unsealed with one account's password.
pub fn data_key_as(dir: &std::path::Path, login: &str, password: &str) -> motcua::keys::DataKey {
    motcua::keys::Keyring::load(dir)
        .unwrap()
        .expect("a sealed folder")
        .unwrap(login, password)
        .expect("the password opens it")
}

/// The encrypted database opened as anyone with the key and SQLCipher
/// can: by hand, past the program.
pub fn raw_db(dir: &std::path::Path) -> rusqlite::Connection {
    raw_db_as(dir, "admin", ADMIN_PASSWORD)
}

/// `raw_db` with the key one account's password unseals.
pub fn raw_db_as(dir: &std::path::Path, login: &str, password: &str) -> rusqlite::Connection {
    let key = data_key_as(dir, login, password);
    let db = rusqlite::Connection::open(dir.join(motcua::store::DATABASE_FILE)).unwrap();
    db.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))
        .unwrap();
    db
}

/// An archived print, unsealed into a temporary PDF file (for the tools
/// that read files: poppler, zbar); removed with the returned guard.
pub fn unsealed_pdf(dir: &std::path::Path, archived: &str) -> tempfile::TempPath {
    let sealed = std::fs::read(archived).unwrap();
    assert!(motcua::keys::is_sealed(&sealed), "the archive holds {archived} sealed");
    let plain = data_key(dir).unseal(&sealed).unwrap();
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::io::Write::write_all(&mut file, &plain).unwrap();
    file.into_temp_path()
}

/// Another connection to a sealed folder's store.
pub fn store_of(dir: &std::path::Path) -> motcua::store::Store {
    motcua::store::Store::open_keyed(&dir.join(motcua::store::DATABASE_FILE), &data_key(dir)).unwrap()
}

/// Turns a sealed folder back into one from before encryption (plain
/// SQLite, no keyring), as an office that ran an older motcua has.
pub fn unseal_to_plain(dir: &std::path::Path) {
    let plain = dir.join("plain.sqlite3");
    {
        let db = raw_db(dir);
        let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        db.execute("ATTACH DATABASE ?1 AS plain KEY ''", [plain.to_string_lossy()])
            .unwrap();
        db.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .unwrap();
        db.execute_batch(&format!(
            "PRAGMA plain.user_version = {version}; DETACH DATABASE plain;"
        ))
        .unwrap();
    }
    let db_path = dir.join(motcua::store::DATABASE_FILE);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db_path.display()));
    }
    std::fs::rename(&plain, &db_path).unwrap();
    std::fs::remove_file(dir.join(motcua::keys::KEYS_FILE)).unwrap();
}

/// A set-up office, its first administrator signed in.
pub fn desk_in(dir: &std::path::Path, counter: i64) -> Desk {
    let mut desk = Desk::open(dir).unwrap();
    desk.init(&setup(counter), &admin(), set_up_at()).unwrap();
    desk
}

/// A supplement request the clerk would write: the residence confirmation is missing.
pub fn supplement() -> motcua::desk::SupplementInput {
    motcua::desk::SupplementInput {
        reason: "Thiếu giấy xác nhận cư trú".into(),
        documents: vec![DocumentInput {
            name: "Giấy xác nhận thông tin về cư trú".into(),
            form: "original".into(),
            count: 1,
        }],
    }
}

pub fn reception(procedure: &str) -> ReceptionInput {
    ReceptionInput {
        procedure_code: procedure.into(),
        applicant: ApplicantInput {
            full_name: "Nguyễn Thị Hường".into(),
            id_number: "004301001234".into(),
            date_of_birth: "2001-02-02".into(),
            sex: "Nữ".into(),
            phone: Some("0912 345 678".into()),
            email: None,
            address: "Tổ 5, phường Thục Phán, tỉnh Cao Bằng".into(),
            ..Default::default()
        },
        documents: vec![DocumentInput {
            name: "Tờ khai theo mẫu".into(),
            form: "original".into(),
            count: 1,
        }],
        sets: 1,
        channel: "counter".into(),
        note: None,
        fees: None,
        // One copy of a two-page document, for the procedures charged by copy or page.
        fee_counts: vec![FeeCountInput { copies: 1, pages: 2 }],
        ..Default::default()
    }
}

/// Renders page `page` of a PDF with poppler and decodes its QR code with zbar.
pub fn qr_on_page(pdf: &std::path::Path, page: u32) -> String {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let p = page.to_string();
    let ok = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg(&prefix)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/setup");
    assert!(ok.success());
    let png = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/setup");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn qr_of(pdf: &std::path::Path) -> String {
    qr_on_page(pdf, 1)
}

/// The text of a PDF as poppler's pdftotext reads it.
pub fn pdftotext(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    String::from_utf8(out.stdout).unwrap()
}
