//! Personal data encrypted at rest, on real files: the database and the
//! print archive read as noise without the key; SQLCipher 4 itself (the
//! Python package, as a third party would) opens the file with the recovery
//! key; the recovery key resets a forgotten admin password.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{desk_in, reception, vn, ADMIN_PASSWORD};
use motcua::desk::Desk;
use motcua::print::Paper;
use motcua::store::DATABASE_FILE;

const NAME: &str = "Nguyễn Thị Hường";
const ID_NUMBER: &str = "004301001234";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Everything of the database on disk: the file and its journal.
fn database_bytes(dir: &Path) -> Vec<u8> {
    let mut all = std::fs::read(dir.join(DATABASE_FILE)).unwrap();
    if let Ok(wal) = std::fs::read(dir.join(format!("{DATABASE_FILE}-wal"))) {
        all.extend(wal);
    }
    all
}

/// The Python SQLCipher 4 binding (sqlcipher3-binary, installed by
/// scripts/test-all) opening the file with `key_hex` and counting dossiers.
fn python_count(dir: &Path, key_hex: &str) -> Output {
    let script = format!(
        "import sqlcipher3\nc = sqlcipher3.connect({:?})\nc.execute(\"PRAGMA key = \\\"x'{}'\\\"\")\nprint(c.execute('SELECT count(*) FROM dossiers').fetchone()[0])\n",
        dir.join(DATABASE_FILE).display().to_string(),
        key_hex
    );
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .expect("python3 runs")
}

#[test]
fn the_database_and_the_archive_are_unreadable_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let recovery = desk.take_recovery_key().expect("shown once after set-up");
    assert_eq!(desk.take_recovery_key(), None, "and only once");
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    let printed = desk
        .print_receipt(&d.code, None, None, Paper::A4, 2, vn(2026, 11, 26, 9, 1))
        .unwrap();
    drop(desk);

    // The database: no SQLite header, no name, no ID number, unreadable by SQLite.
    let bytes = database_bytes(dir.path());
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!contains(&bytes, NAME.as_bytes()) && !contains(&bytes, ID_NUMBER.as_bytes()));
    let bare = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(bare
        .query_row("SELECT count(*) FROM dossiers", [], |r| r.get::<_, i64>(0))
        .is_err());
    // The archive: sealed, nothing readable in it either.
    let archived = std::fs::read(&printed.archived).unwrap();
    assert!(!archived.starts_with(b"%PDF") && !contains(&archived, ID_NUMBER.as_bytes()));
    // The keyring holds the key only wrapped.
    let ring = std::fs::read_to_string(dir.path().join(motcua::keys::KEYS_FILE)).unwrap();
    assert!(!ring.contains(&recovery));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(dir.path()), 0o700, "the data folder is private");
        assert_eq!(mode(&dir.path().join(motcua::keys::KEYS_FILE)), 0o600);
        assert_eq!(mode(Path::new(&printed.archived)), 0o600);
    }

    // SQLCipher 4 with default settings opens it with the recovery key …
    let out = python_count(dir.path(), &recovery);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
    // … and with no other.
    let wrong = motcua::keys::DataKey::random().unwrap().recovery();
    assert!(!python_count(dir.path(), &wrong).status.success());

    // keys.json lost: the folder reads as an encrypted file with no keyring,
    // said as such; the recovery key makes a new keyring.
    std::fs::remove_file(dir.path().join(motcua::keys::KEYS_FILE)).unwrap();
    assert_eq!(Desk::open(dir.path()).unwrap_err().code(), "keys_missing");
    let at = vn(2026, 11, 27, 8, 0);
    Desk::recover(dir.path(), &recovery, "admin", "mật-khẩu-mới-2026", at).unwrap();
    let desk = Desk::unlock(dir.path(), "admin", "mật-khẩu-mới-2026", at).unwrap();
    assert_eq!(desk.dossier(&d.code).unwrap().applicant.full_name, NAME);
}

fn motcua(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("MOTCUA_USER")
        .env_remove("MOTCUA_PASSWORD")
        .env_remove("MOTCUA_NEW_PASSWORD");
    cmd.envs(env.iter().copied());
    cmd.stdin(std::process::Stdio::null());
    cmd.output().unwrap()
}

#[test]
fn init_shows_the_recovery_key_once_and_it_resets_a_forgotten_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let papers = tempfile::tempdir().unwrap();
    let sheet = papers.path().join("khoa-khoi-phuc.pdf");
    let out = motcua(
        p,
        &[
            "init",
            "--office-name",
            "UBND xã Hòa An",
            "--agency-code",
            "000.17.22.H56",
            "--place",
            "Hòa An",
            "--counter",
            "1",
            "--admin",
            "admin",
            "--admin-name",
            "Nông Thị Lan",
            "--recovery-sheet",
            sheet.to_str().unwrap(),
            "--json",
        ],
        &[("MOTCUA_PASSWORD", ADMIN_PASSWORD)],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = made["recovery_key"].as_str().unwrap().to_string();
    assert!(key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
    assert_eq!(made["agency_code"], "000.17.22.H56");
    // The printable sheet: the office, the key in groups and as a QR code.
    let text = common::pdftotext(&sheet);
    assert!(
        text.contains("TỜ KHÓA KHÔI PHỤC DỮ LIỆU") && text.contains("UBND xã Hòa An"),
        "{text}"
    );
    let words: Vec<&str> = text.split_whitespace().collect();
    let groups: Vec<&str> = (0..16).map(|i| &key[i * 4..i * 4 + 4]).collect();
    assert!(words.windows(16).any(|w| w == groups.as_slice()), "{text}");
    assert_eq!(common::qr_on_page(&sheet, 1), key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&sheet).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The text form prints it in groups, to be copied by hand.
    let out = python_count(p, &key);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");

    // Every admin forgot: the recovery key sets a new password.
    let new_password = "mật-khẩu-sau-khôi-phục";
    let spaced: String = key
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let recover = |key: &str, login: &str| {
        motcua(
            p,
            &["recover", "--recovery-key", key, "--login", login, "--json"],
            &[("MOTCUA_NEW_PASSWORD", new_password)],
        )
    };
    assert_eq!(recover("12ab", "admin").status.code(), Some(2), "not a key");
    let wrong = recover(&motcua::keys::DataKey::random().unwrap().recovery(), "admin");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("data_key_wrong"));
    assert_eq!(recover(&key, "khong.co").status.code(), Some(2), "only an admin");
    let done = recover(&spaced, "admin");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let signed = |password: &str| motcua(p, &["list"], &[("MOTCUA_USER", "admin"), ("MOTCUA_PASSWORD", password)]);
    assert_eq!(
        signed(ADMIN_PASSWORD).status.code(),
        Some(8),
        "the old password is gone"
    );
    assert!(signed(new_password).status.success());
    let history = motcua(
        p,
        &["office", "history", "--json"],
        &[("MOTCUA_USER", "admin"), ("MOTCUA_PASSWORD", new_password)],
    );
    let rows: serde_json::Value = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(rows[0]["what"], "Đặt mật khẩu mới cho admin");
}

#[test]
fn a_folder_from_before_encryption_is_sealed_with_its_archive_by_its_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    let printed = desk
        .print_receipt(&d.code, None, None, Paper::A4, 1, vn(2026, 11, 26, 9, 1))
        .unwrap();
    let plain_pdf = desk.read_archived(Path::new(&printed.archived)).unwrap();
    drop(desk);
    // As an older motcua left it: plain database, plain archive, no accounts.
    common::unseal_to_plain(dir.path());
    let plain_path = printed.archived.trim_end_matches(".enc").to_string();
    std::fs::write(&plain_path, &plain_pdf).unwrap();
    std::fs::remove_file(&printed.archived).unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        db.execute("UPDATE prints SET path = ?1", [&plain_path]).unwrap();
        db.execute("DELETE FROM accounts", []).unwrap();
    }
    let mut desk = Desk::open(dir.path()).unwrap();
    assert!(desk.needs_first_admin().unwrap());
    desk.add_user(&common::admin(), vn(2026, 11, 27, 8, 0)).unwrap();
    assert_eq!(desk.take_recovery_key().map(|k| k.len()), Some(64));
    drop(desk);
    // Sealed: database and archive; the plain PDF is gone, the row follows.
    assert!(!Path::new(&plain_path).exists());
    assert!(!database_bytes(dir.path()).starts_with(b"SQLite format 3"));
    let desk = common::open_desk(dir.path());
    let rows = desk.store().prints().unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].path.to_string_lossy().ends_with(".pdf.enc"));
    assert_eq!(desk.read_archived(&rows[0].path).unwrap(), plain_pdf);
    assert_eq!(desk.dossier(&d.code).unwrap().applicant.full_name, NAME);
    assert!(desk.audit(None).unwrap().ok);
}

/// A folder from the release that had accounts but no encryption (schema
/// 7: password hashes in the database, no keyring). Nobody can sign in to
/// it as it is; a first admin made again seals it, and sets the others'
/// passwords, which they then sign in with.
#[test]
fn a_folder_with_accounts_but_no_keyring_is_sealed_by_a_new_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    drop(desk);
    common::unseal_to_plain(dir.path());
    {
        let db = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        db.execute_batch(
            "DROP INDEX dossiers_for_report;
             ALTER TABLE dossiers DROP COLUMN supplement_asked_at;
             ALTER TABLE dossiers DROP COLUMN supplement_done_at;
             DROP TABLE form_texts;
             ALTER TABLE accounts ADD COLUMN password_hash TEXT NOT NULL DEFAULT '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';
             ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE accounts ADD COLUMN locked_until TEXT;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    let at = vn(2026, 11, 27, 8, 0);
    assert_eq!(
        Desk::unlock(dir.path(), "admin", ADMIN_PASSWORD, at)
            .unwrap_err()
            .code(),
        "not_signed_in"
    );
    let mut desk = Desk::open(dir.path()).unwrap();
    assert!(desk.needs_first_admin().unwrap());
    assert_eq!(
        desk.add_user(&common::admin(), at).unwrap_err().code(),
        "login_taken",
        "the old login stays; the new admin takes another"
    );
    let chief = motcua::accounts::NewAccount {
        login: "quantri".into(),
        ..common::admin()
    };
    desk.add_user(&chief, at).unwrap();
    assert!(!desk.needs_first_admin().unwrap());
    desk.set_password("admin", "mật-khẩu-mới-2026", at).unwrap();
    drop(desk);
    assert!(!database_bytes(dir.path()).starts_with(b"SQLite format 3"));
    let db = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(db
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .is_err());
    drop(db);
    let desk = Desk::unlock(dir.path(), "admin", "mật-khẩu-mới-2026", at).unwrap();
    assert_eq!(desk.dossier(&d.code).unwrap().applicant.full_name, NAME);
    assert!(desk.audit(None).unwrap().ok);
    let columns: Vec<String> = {
        let db = common::raw_db_as(dir.path(), "admin", "mật-khẩu-mới-2026");
        let mut stmt = db.prepare("SELECT name FROM pragma_table_info('accounts')").unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.map(Result::unwrap).collect()
    };
    assert!(!columns.iter().any(|c| c == "password_hash"), "{columns:?}");
}

/// A folder from before the result delivery was asked (schema 8): its
/// dossier rows lack it, and the migration takes it from the channel, as
/// the receipts of the time printed it.
#[test]
fn rows_from_before_the_result_delivery_take_it_from_their_channel() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let mut by_post = reception("1.004873");
    by_post.channel = "post".into();
    let posted = desk.receive(&by_post, vn(2026, 11, 26, 9, 0)).unwrap().code;
    let counter = desk
        .receive(&reception("1.004873"), vn(2026, 11, 26, 9, 5))
        .unwrap()
        .code;
    // A supplement asked and brought: schema 10 keeps its times in report columns.
    let supplement = common::supplement();
    desk.request_supplement(&counter, &supplement, vn(2026, 11, 26, 10, 0))
        .unwrap();
    desk.complete_supplement(&counter, vn(2026, 11, 26, 11, 0)).unwrap();
    drop(desk);
    common::unseal_to_plain(dir.path());
    {
        let db = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        db.execute_batch(
            "DELETE FROM accounts;
             DROP TABLE form_texts;
             DROP INDEX dossiers_for_report;
             ALTER TABLE dossiers DROP COLUMN supplement_asked_at;
             ALTER TABLE dossiers DROP COLUMN supplement_done_at;
             UPDATE dossiers SET data = json_remove(data, '$.result_delivery', '$.delivery_address', '$.submitter');
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let mut desk = Desk::open(dir.path()).unwrap();
    desk.add_user(&common::admin(), vn(2026, 11, 27, 8, 0)).unwrap();
    let d = desk.dossier(&posted).unwrap();
    assert_eq!(d.result_delivery, motcua::dossier::ResultDelivery::Post);
    assert_eq!(
        d.delivery_address.as_deref(),
        Some("Tổ 5, phường Thục Phán, tỉnh Cao Bằng")
    );
    let d = desk.dossier(&counter).unwrap();
    assert_eq!(
        (d.result_delivery, d.delivery_address),
        (motcua::dossier::ResultDelivery::Counter, None)
    );
    assert!(desk.audit(None).unwrap().ok, "the rows still match their events");
    // The migration filled the report columns from the rows' data.
    let db = common::raw_db_as(dir.path(), "admin", common::ADMIN_PASSWORD);
    let times: (Option<String>, Option<String>) = db
        .query_row(
            "SELECT supplement_asked_at, supplement_done_at FROM dossiers WHERE code = ?1",
            [&counter],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        times,
        (
            Some("2026-11-26T10:00:00+07:00".to_string()),
            Some("2026-11-26T11:00:00+07:00".to_string())
        )
    );
}
