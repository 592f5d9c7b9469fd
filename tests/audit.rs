//! The tamper-evident trail on real SQLite files: an untouched file
//! verifies; an edited, deleted, inserted or moved event, or an edited
//! `dossiers` row, is found — by someone who dropped the append-only
//! triggers, as anyone with the file can.

mod common;

use std::path::Path;

use common::{desk_in, reception, vn};
use motcua::desk::{Desk, SupplementInput};
use motcua::dossier::DocumentInput;
use motcua::store::DATABASE_FILE;

/// Three dossiers with a few steps each, in time order. Setting up records
/// two office facts first (the settings, the first admin): the dossiers'
/// events are seq 3 to 9.
fn office_with_history(dir: &Path) -> (Desk, Vec<String>) {
    let mut desk = desk_in(dir, 1);
    let mut codes = Vec::new();
    for i in 0..3 {
        let d = desk.receive(&reception("1.004873"), vn(2026, 11, 2, 9, i * 5)).unwrap();
        codes.push(d.code);
    }
    desk.handover(&codes[0], "Bộ phận Một cửa", "Tư pháp", None, vn(2026, 11, 2, 10, 0))
        .unwrap();
    let supplement = SupplementInput {
        reason: "Thiếu giấy xác nhận cư trú".into(),
        documents: vec![DocumentInput {
            name: "Giấy xác nhận cư trú".into(),
            form: "original".into(),
            count: 1,
        }],
    };
    desk.request_supplement(&codes[1], &supplement, vn(2026, 11, 2, 11, 0))
        .unwrap();
    desk.record_result(&codes[0], "1/XN", "UBND xã", None, vn(2026, 11, 3, 9, 0))
        .unwrap();
    desk.refuse(&codes[2], "Không thuộc thẩm quyền", vn(2026, 11, 3, 10, 0))
        .unwrap();
    (desk, codes)
}

/// The file opened as a person with SQLCipher and the recovery key would,
/// triggers dropped.
fn tamper(dir: &Path) -> rusqlite::Connection {
    let db = common::raw_db(dir);
    db.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER events_are_append_only_update;
         DROP TRIGGER events_are_append_only_delete;",
    )
    .unwrap();
    db
}

fn finding(dir: &Path) -> (String, Option<i64>) {
    let report = common::open_desk(dir).audit(None).unwrap();
    assert!(!report.ok);
    let bad = report.first_bad.unwrap();
    (bad.reason, bad.seq)
}

#[test]
fn an_untouched_file_verifies_fully_and_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = office_with_history(dir.path());
    let full = desk.audit(None).unwrap();
    assert!(full.ok, "{full:?}");
    assert_eq!(full.events, 9);
    assert_eq!(full.first_bad, None);
    let quick = desk.audit(Some(2)).unwrap();
    assert!(quick.ok, "{quick:?}");
    assert_eq!(quick.events, 2);
}

#[test]
fn an_edited_event_is_found() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    tamper(dir.path())
        .execute(
            "UPDATE events SET payload = json_set(payload, '$.reason', 'Đã nộp đủ') WHERE kind = 'refused'",
            [],
        )
        .unwrap();
    assert_eq!(finding(dir.path()), ("edited".into(), Some(9)));
    // Edited in another field the row does not show: still found.
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    tamper(dir.path())
        .execute("UPDATE events SET actor = 'Người khác' WHERE seq = 6", [])
        .unwrap();
    assert_eq!(finding(dir.path()), ("edited".into(), Some(6)));
}

#[test]
fn an_edited_office_fact_is_found() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    // The first admin's account turned into a clerk's in the trail.
    let db = tamper(dir.path());
    let kind: String = db
        .query_row("SELECT kind FROM events WHERE seq = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kind, "office");
    db.execute(
        "UPDATE events SET payload = replace(payload, '\"admin\"', '\"clerk\"') WHERE seq = 2",
        [],
    )
    .unwrap();
    assert_eq!(finding(dir.path()), ("edited".into(), Some(2)));
}

#[test]
fn a_deleted_event_is_found_in_the_middle_and_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    tamper(dir.path())
        .execute("DELETE FROM events WHERE seq = 7", [])
        .unwrap();
    assert_eq!(finding(dir.path()), ("broken_link".into(), Some(8)));
    // The last event leaves no link behind it, but its dossier's row shows it.
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    tamper(dir.path())
        .execute("DELETE FROM events WHERE seq = 9", [])
        .unwrap();
    assert_eq!(finding(dir.path()).0, "row_differs");
}

#[test]
fn an_inserted_or_moved_event_is_found_even_with_a_correct_hash() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    let db = tamper(dir.path());
    // A careful forger: a copy of event 6 under a new id, hashed right after
    // event 6, slipped in before event 7.
    let (prev, dossier, kind, payload, actor, device, at): (String, String, String, String, String, String, String) =
        db.query_row(
            "SELECT hash, dossier_id, kind, payload, actor, device, occurred_at FROM events WHERE seq = 6",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .unwrap();
    let id = uuid::Uuid::now_v7().to_string();
    let value: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let hash = motcua::chain::hash(
        &prev,
        &motcua::chain::Content {
            id_text: id.clone(),
            dossier_id_text: dossier.clone(),
            kind: &kind,
            payload: &value,
            actor: &actor,
            device: &device,
            occurred_at: &at,
        },
    );
    // Appended after the last event: its link is right for event 6, not 9.
    db.execute(
        "INSERT INTO events (id, dossier_id, kind, payload, actor, device, occurred_at, origin, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'local', ?8, ?9)",
        rusqlite::params![id, dossier, kind, payload, actor, device, at, prev, hash],
    )
    .unwrap();
    assert_eq!(finding(dir.path()), ("broken_link".into(), Some(10)));
    // Moving an untouched event to another place breaks the chain too.
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    tamper(dir.path())
        .execute_batch(
            "CREATE TEMP TABLE moved AS SELECT * FROM events WHERE seq = 5;
             DELETE FROM events WHERE seq = 5;
             INSERT INTO events (id, dossier_id, kind, payload, actor, device, occurred_at, origin, prev_hash, hash)
               SELECT id, dossier_id, kind, payload, actor, device, occurred_at, origin, prev_hash, hash FROM moved;",
        )
        .unwrap();
    assert_eq!(finding(dir.path()), ("broken_link".into(), Some(6)));
}

#[test]
fn an_edited_row_is_found_and_rebuilt_from_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let (_, codes) = office_with_history(dir.path());
    // The status column and the JSON both say "returned": a forged ending.
    tamper(dir.path())
        .execute(
            "UPDATE dossiers SET status = 'returned', data = json_set(data, '$.status', 'returned') WHERE code = ?1",
            [&codes[0]],
        )
        .unwrap();
    let (reason, _) = finding(dir.path());
    assert_eq!(reason, "row_differs");
    let mut desk = common::open_desk(dir.path());
    let rebuilt = desk.audit_rebuild().unwrap();
    assert_eq!((rebuilt.rebuilt, rebuilt.refused.len()), (3, 0));
    assert!(desk.audit(None).unwrap().ok);
    assert_eq!(
        desk.dossier(&codes[0]).unwrap().status,
        motcua::dossier::Status::Processed
    );
}

#[test]
fn events_recorded_before_the_chain_are_chained_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = office_with_history(dir.path());
    drop(desk);
    // Back to a folder from before the chain, accounts and encryption:
    // plain SQLite, no hash columns, no accounts, version 5 — and one
    // trigger someone dropped: the migration puts both back.
    common::unseal_to_plain(dir.path());
    let plain = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    plain
        .execute_batch(
            "DROP TRIGGER events_are_append_only_update;
             DROP TRIGGER events_are_append_only_delete;",
        )
        .unwrap();
    plain
        .execute_batch(
            "DROP TABLE accounts;
             DROP TABLE form_texts;
             DROP INDEX dossiers_for_report;
             ALTER TABLE dossiers DROP COLUMN supplement_asked_at;
             ALTER TABLE dossiers DROP COLUMN supplement_done_at;
             DROP INDEX events_by_origin_seq;
             ALTER TABLE events DROP COLUMN prev_hash;
             ALTER TABLE events DROP COLUMN hash;
             CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
             BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    drop(plain);
    // Nobody can sign in to an office from before accounts: its first
    // admin is made without signing in, and only an admin may be first.
    let mut desk = Desk::open(dir.path()).unwrap();
    // The database as it was before the migration is kept beside it.
    let before = dir
        .path()
        .join("backups")
        .join(format!("motcua-v5-before-v{}.sqlite3", motcua::store::SCHEMA_VERSION));
    let copy = rusqlite::Connection::open(&before).unwrap();
    assert_eq!(
        copy.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        5
    );
    drop(copy);
    assert_eq!(
        Desk::unlock(dir.path(), "admin", common::ADMIN_PASSWORD, vn(2026, 11, 4, 8, 0))
            .unwrap_err()
            .code(),
        "not_signed_in"
    );
    assert!(desk.needs_first_admin().unwrap());
    assert_eq!(desk.audit(None).unwrap_err().code(), "not_signed_in");
    let clerk = motcua::accounts::NewAccount {
        roles: vec!["clerk".into()],
        ..common::admin()
    };
    assert_eq!(
        desk.add_user(&clerk, vn(2026, 11, 4, 8, 0)).unwrap_err().code(),
        "first_account_admin"
    );
    desk.add_user(&common::admin(), vn(2026, 11, 4, 8, 0)).unwrap();
    assert!(!desk.needs_first_admin().unwrap());
    // … which sealed the folder: a keyring, a file SQLite cannot read
    // without the key, and a recovery key to show once.
    assert_eq!(desk.take_recovery_key().unwrap().len(), 64);
    assert!(dir.path().join(motcua::keys::KEYS_FILE).is_file());
    let bare = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(bare
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .is_err());
    drop(bare);
    let report = desk.audit(None).unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events, 10);
    // And new events continue the chain.
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 4, 9, 0)).unwrap();
    desk.refuse(&d.code, "Không thuộc thẩm quyền", vn(2026, 11, 4, 9, 30))
        .unwrap();
    assert!(desk.audit(None).unwrap().ok);
    // The append-only triggers are back after the migration.
    let db = common::raw_db(dir.path());
    assert!(db.execute("DELETE FROM events WHERE seq = 3", []).is_err());
    assert!(db.execute("UPDATE events SET actor = 'x' WHERE seq = 3", []).is_err());
}

#[test]
fn audit_verify_has_the_documented_shape_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    let run = |args: &[&str]| {
        common::motcua_as_admin(env!("CARGO_BIN_EXE_motcua"), dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["audit", "verify", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"ok": true, "events": 9, "first_bad": null}));
    tamper(dir.path())
        .execute("DELETE FROM events WHERE seq = 4", [])
        .unwrap();
    let out = run(&["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_bad"]["seq"], 5);
    assert_eq!(v["first_bad"]["reason"], "broken_link");
    assert!(v["first_bad"]["id"].as_str().unwrap().len() == 36);
    let text = run(&["audit", "verify"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("NHẬT KÝ BỊ SỬA ĐỔI"));
}

#[test]
fn the_quick_check_at_start_tells_what_it_found() {
    let dir = tempfile::tempdir().unwrap();
    office_with_history(dir.path());
    assert_eq!(common::open_desk(dir.path()).audit_warning().unwrap(), None);
    tamper(dir.path())
        .execute("UPDATE events SET actor = 'Người khác' WHERE seq = 8", [])
        .unwrap();
    let warning = common::open_desk(dir.path()).audit_warning().unwrap().unwrap();
    assert!(
        warning.contains("NHẬT KÝ BỊ SỬA ĐỔI") && warning.contains("số 8"),
        "{warning}"
    );
}
