//! Backups on real files: a backup restored into a new folder is the same
//! office (dossiers, trail, prints whose numbering goes on); a backup that
//! is corrupt, tampered, or opened with the wrong password puts nothing in
//! place; the daily backups rotate; the CLI's shapes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{desk_in, open_desk, reception, vn, ADMIN_PASSWORD};
use motcua::desk::{Desk, RestoreSecret, BACKUP_DIR};
use motcua::print::Paper;
use motcua::store::DATABASE_FILE;

/// An office with three dossiers, two printed receipts.
fn office(dir: &Path) -> (Desk, Vec<String>) {
    let mut desk = desk_in(dir, 1);
    let mut codes = Vec::new();
    for i in 0..3 {
        let d = desk
            .receive(&reception("1.004873"), vn(2026, 11, 26, 9, i * 5))
            .unwrap();
        codes.push(d.code);
    }
    for code in &codes[..2] {
        desk.print_receipt(code, None, None, Paper::A4, 1, vn(2026, 11, 26, 10, 0))
            .unwrap();
    }
    (desk, codes)
}

fn nothing_in(dir: &Path) {
    assert!(!dir.join(DATABASE_FILE).exists(), "no database put in place");
    assert!(!dir.join(motcua::keys::KEYS_FILE).exists(), "no keyring put in place");
}

#[test]
fn a_backup_restored_into_a_new_folder_is_the_same_office() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut desk, codes) = office(a.path());
    let made = desk.backup(None, vn(2026, 11, 26, 17, 0)).unwrap();
    assert!(made.audit_ok);
    assert_eq!(made.dossiers, 3);
    assert!(made.file.ends_with("motcua-2026-11-26-170000.mcbak"), "{}", made.file);
    // Sealed: nothing readable in it.
    let bytes = std::fs::read(&made.file).unwrap();
    assert!(!bytes.windows(12).any(|w| w == b"004301001234"));

    let restore_to = b.path().join("office");
    let (mut restored, report) = Desk::restore_backup(
        &restore_to,
        Path::new(&made.file),
        "admin",
        RestoreSecret::Password(ADMIN_PASSWORD),
        vn(2026, 11, 27, 8, 0),
    )
    .unwrap();
    assert_eq!((report.dossiers, report.prints, report.was_enrolled), (3, 2, false));
    assert!(restored.audit(None).unwrap().ok);
    for code in &codes {
        assert_eq!(
            restored.dossier(code).unwrap(),
            desk.dossier(code).unwrap(),
            "{code} came back as it was"
        );
    }
    // The prints came back sealed and readable; the next one goes on numbering.
    let rows = restored.store().prints().unwrap();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(row.path.starts_with(&restore_to), "{}", row.path.display());
        assert!(restored.read_archived(&row.path).unwrap().starts_with(b"%PDF"));
    }
    let again = restored
        .print_receipt(&codes[0], None, None, Paper::A4, 1, vn(2026, 11, 27, 8, 5))
        .unwrap();
    assert_eq!(again.print_no, 2, "a reprint, numbered after the first");
    // Signing in works with the passwords of the backup's time; the restore is in the trail.
    drop(restored);
    let reopened = Desk::unlock(&restore_to, "admin", ADMIN_PASSWORD, vn(2026, 11, 27, 9, 0)).unwrap();
    let history = reopened.office_history(5).unwrap();
    assert!(
        history.iter().any(|r| r.what.starts_with("Khôi phục 3 hồ sơ")),
        "{history:?}"
    );
}

#[test]
fn a_bad_backup_or_a_wrong_password_puts_nothing_in_place() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut desk, _) = office(a.path());
    let made = desk.backup(None, vn(2026, 11, 26, 17, 0)).unwrap();
    let at = vn(2026, 11, 27, 8, 0);
    let restore = |from: &Path, secret: RestoreSecret<'_>| {
        Desk::restore_backup(b.path(), from, "admin", secret, at).map(|(_, r)| r)
    };
    // A wrong password, or a recovery key of another office.
    let err = restore(Path::new(&made.file), RestoreSecret::Password("sai-mật-khẩu")).unwrap_err();
    assert_eq!(err.code(), "sign_in_failed");
    nothing_in(b.path());
    let other = motcua::keys::DataKey::random().unwrap().recovery();
    assert!(restore(Path::new(&made.file), RestoreSecret::RecoveryKey(&other)).is_err());
    nothing_in(b.path());
    // Not a backup at all, or cut short.
    let junk = b.path().join("junk.mcbak");
    std::fs::write(&junk, b"not a backup").unwrap();
    assert_eq!(
        restore(&junk, RestoreSecret::Password(ADMIN_PASSWORD))
            .unwrap_err()
            .code(),
        "backup_unreadable"
    );
    let bytes = std::fs::read(&made.file).unwrap();
    let cut = b.path().join("cut.mcbak");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(restore(&cut, RestoreSecret::Password(ADMIN_PASSWORD)).is_err());
    nothing_in(b.path());
    // A page of the database flipped.
    let mut flipped = bytes.clone();
    let n = flipped.len();
    flipped[n - 3000] ^= 0xff;
    let broken = b.path().join("broken.mcbak");
    std::fs::write(&broken, &flipped).unwrap();
    assert!(restore(&broken, RestoreSecret::Password(ADMIN_PASSWORD)).is_err());
    nothing_in(b.path());
    // A backup of a tampered trail is refused too.
    let db = common::raw_db(a.path());
    db.execute_batch(
        "DROP TRIGGER events_are_append_only_update;
         UPDATE events SET actor = 'Người khác' WHERE seq = 4;",
    )
    .unwrap();
    drop(db);
    drop(desk);
    let mut desk = open_desk(a.path());
    let tampered = desk.backup(None, vn(2026, 11, 26, 18, 0)).unwrap();
    assert!(!tampered.audit_ok, "a broken trail is still backed up, and said");
    let err = restore(Path::new(&tampered.file), RestoreSecret::Password(ADMIN_PASSWORD)).unwrap_err();
    assert_eq!(err.code(), "backup_trail_broken");
    nothing_in(b.path());
    // And an office is never restored over another.
    drop(desk_in(&b.path().join("taken"), 2));
    let err = Desk::restore_backup(
        &b.path().join("taken"),
        Path::new(&made.file),
        "admin",
        RestoreSecret::Password(ADMIN_PASSWORD),
        at,
    )
    .unwrap_err();
    assert_eq!(err.code(), "restore_not_empty");
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir.join(BACKUP_DIR))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "mcbak"))
        .collect();
    all.sort();
    all
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_old_ones_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let (mut desk, _) = office(dir.path());
    desk.set_second_backup_dir(&second.path().display().to_string())
        .unwrap();
    assert_eq!(
        desk.set_second_backup_dir("/khong/co/o/usb").unwrap_err().code(),
        "backup_dir_missing"
    );
    let start = vn(2026, 11, 27, 8, 0);
    let mut made = 0;
    for day in 0..60 {
        for hour in [0, 4] {
            let now = start + chrono::Duration::days(day) + chrono::Duration::hours(hour);
            if desk.backup_if_due(now).unwrap().is_some() {
                made += 1;
            }
        }
    }
    assert_eq!(made, 60, "one a day");
    let kept = backups_in(dir.path());
    assert!(kept.len() <= 7 + 4 + 12 && kept.len() >= 7, "{kept:?}");
    assert!(kept.last().unwrap().ends_with("motcua-2027-01-25-080000.mcbak"));
    // The second folder (a USB drive) has the same, rotated the same way.
    let copies: Vec<_> = std::fs::read_dir(second.path()).unwrap().flatten().collect();
    assert_eq!(copies.len(), kept.len());
    // Each backup is an event in the trail, by the scheduler.
    let history = desk.office_history(3).unwrap();
    assert_eq!(history[0].actor, "Sao lưu tự động (system)");
    assert!(desk.audit(None).unwrap().ok);
}

fn motcua(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("MOTCUA_USER").env_remove("MOTCUA_PASSWORD");
    cmd.envs(env.iter().copied());
    cmd.stdin(std::process::Stdio::null());
    cmd.output().unwrap()
}

#[test]
fn the_cli_backs_up_and_restores() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    drop(office(a.path()));
    let admin = [("MOTCUA_USER", "admin"), ("MOTCUA_PASSWORD", ADMIN_PASSWORD)];
    let out_file = b.path().join("to-usb.mcbak");
    let out = motcua(
        a.path(),
        &["backup", "--out", &out_file.display().to_string(), "--json"],
        &admin,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = made.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["audit_ok", "dossiers", "events", "file", "made_at", "second_copy"]
    );
    assert_eq!(made["dossiers"], 3);
    let target = b.path().join("restored");
    let restored = motcua(
        &target,
        &["restore", "--from", &out_file.display().to_string(), "--json"],
        &admin,
    );
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(report["dossiers"], 3);
    let verify = motcua(&target, &["audit", "verify", "--json"], &admin);
    let verified: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(verified["ok"], true);
    // The recovery key restores too (no password needed).
    let key = common::data_key(a.path()).recovery();
    let other = b.path().join("by-key");
    let by_key = motcua(
        &other,
        &[
            "restore",
            "--from",
            &out_file.display().to_string(),
            "--recovery-key",
            &key,
        ],
        &[],
    );
    assert!(by_key.status.success(), "{}", String::from_utf8_lossy(&by_key.stderr));
    let list = motcua(&other, &["list", "--date", "2026-11-26", "--json"], &admin);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    // A wrong password exits 8, and leaves the folder empty.
    let wrong = motcua(
        &b.path().join("wrong"),
        &["restore", "--from", &out_file.display().to_string()],
        &[("MOTCUA_USER", "admin"), ("MOTCUA_PASSWORD", "sai")],
    );
    assert_eq!(wrong.status.code(), Some(8));
    nothing_in(&b.path().join("wrong"));
}
