//! Reception end to end on real SQLite files.

mod common;

use std::collections::HashSet;

use common::{desk_in, reception, vn};
use motcua::desk::Desk;
use motcua::dossier::Status;
use unicode_normalization::UnicodeNormalization;

#[test]
fn receives_issues_code_and_due_date_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let code;
    {
        let mut desk = desk_in(dir.path(), 1);
        // Thu 26 Nov 2026 09:30, 3 working days → Tue 1 Dec 09:30.
        let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 30)).unwrap();
        assert_eq!(d.code, "000.17.22.H56-261126-0001");
        assert_eq!(d.received_at, "2026-11-26T09:30:00+07:00");
        assert_eq!(d.due_at, "2026-12-01T09:30:00+07:00");
        assert_eq!(d.status, Status::Received);
        assert_eq!(d.status_code, 2);
        assert_eq!(d.received_by, "Nông Thị Lan");
        assert_eq!(d.applicant.phone.as_deref(), Some("0912345678"));
        assert_eq!(d.book.number, 1);
        code = d.code;
    }
    let desk = common::open_desk(dir.path());
    let view = desk.show(&code, vn(2026, 11, 26, 10, 0)).unwrap();
    assert_eq!(view.events.len(), 1);
    assert_eq!(view.events[0].kind, "received");
    assert_eq!(view.dossier.procedure.catalog_version, 1);
    // The code is case-insensitive when typed.
    assert!(desk.show(&code.to_lowercase(), vn(2026, 11, 26, 10, 0)).is_ok());
}

#[test]
fn same_day_procedure_after_cutoff_is_due_next_working_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    // Fri 13 Feb 2026 10:00, before the 15:00 cut-off: due that day at closing.
    let d = desk.receive(&reception("1.001193"), vn(2026, 2, 13, 10, 0)).unwrap();
    assert_eq!(d.due_at, "2026-02-13T17:00:00+07:00");
    // 15:20: Tết 14–22 Feb → Mon 23 Feb at closing.
    let d = desk.receive(&reception("1.001193"), vn(2026, 2, 13, 15, 20)).unwrap();
    assert_eq!(d.due_at, "2026-02-23T17:00:00+07:00");
    assert_eq!(d.code, "000.17.22.H56-260213-0002");
}

#[test]
fn search_ignores_diacritics_and_finds_by_id_phone_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let a = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    let mut other = reception("2.000815");
    other.applicant.full_name = "Đặng Văn Đức".into();
    other.applicant.id_number = "004085000111".into();
    other.applicant.date_of_birth = "1985-06-01".into();
    other.applicant.sex = "Nam".into();
    other.applicant.phone = Some("+84 206 385 2123".into());
    let b = desk.receive(&other, vn(2026, 11, 26, 9, 5)).unwrap();
    let codes = |q: &str| desk.search(q).unwrap().into_iter().map(|d| d.code).collect::<Vec<_>>();
    assert_eq!(codes("nguyen thi huong"), vec![a.code.clone()]);
    assert_eq!(codes("NGUYỄN hường"), vec![a.code.clone()]);
    assert_eq!(codes("dang van duc"), vec![b.code.clone()]);
    assert_eq!(codes("d van"), vec![b.code.clone()]);
    assert_eq!(codes("004085000111"), vec![b.code.clone()]);
    assert_eq!(codes("02063852123"), vec![b.code.clone()]);
    assert_eq!(codes("261126-0001"), vec![a.code.clone()]);
    assert!(codes("hoàng").is_empty());
    assert!(desk.search("   ").is_err());
    let nfd: String = "Hường".nfd().collect();
    assert_eq!(codes(&nfd), vec![a.code.clone()]);
    assert_eq!(
        desk.received_on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
            .unwrap()
            .len(),
        2
    );
}

/// Several counters of one office, each with its own database, offline on
/// the same day: no code is ever issued twice.
#[test]
fn counters_offline_on_the_same_day_never_collide() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut all = HashSet::new();
    let mut total = 0;
    std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .iter()
            .enumerate()
            .map(|(i, dir)| {
                scope.spawn(move || {
                    let mut desk = desk_in(dir.path(), i as i64 + 1);
                    (0..60)
                        .map(|n| {
                            desk.receive(&reception("2.000815"), vn(2026, 11, 26, 8, n % 60))
                                .unwrap()
                                .code
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for code in h.join().unwrap() {
                total += 1;
                assert!(all.insert(code.clone()), "duplicate code {code}");
            }
        }
    });
    assert_eq!(total, 240);
    assert!(all.contains("000.17.22.H56-261126-0001"));
    assert!(all.contains("000.17.22.H56-261126-1001"));
    assert!(all.contains("000.17.22.H56-261126-3060"));
}

/// Two windows (or the app and the CLI) on the same data folder at once.
#[test]
fn one_counter_two_processes_on_one_file_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    drop(desk_in(dir.path(), 2));
    let mut codes = HashSet::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let path = dir.path().to_path_buf();
                scope.spawn(move || {
                    let mut desk = common::open_desk(&path);
                    (0..30)
                        .map(|_| {
                            desk.receive(&reception("2.000815"), vn(2026, 11, 26, 10, 0))
                                .unwrap()
                                .code
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for c in h.join().unwrap() {
                assert!(codes.insert(c));
            }
        }
    });
    assert_eq!(codes.len(), 90);
    assert!(codes.contains("000.17.22.H56-261126-1090"));
}

#[test]
fn codes_restart_each_day_and_books_each_year() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let a = desk.receive(&reception("2.000815"), vn(2026, 12, 31, 9, 0)).unwrap();
    let b = desk.receive(&reception("2.000815"), vn(2027, 1, 4, 9, 0)).unwrap();
    assert_eq!(a.code, "000.17.22.H56-261231-0001");
    assert_eq!(b.code, "000.17.22.H56-270104-0001");
    assert_eq!((a.book.book.as_str(), a.book.number), ("01/2026", 1));
    assert_eq!((b.book.book.as_str(), b.book.number), ("01/2027", 1));
}

#[test]
fn hostile_inputs_are_refused_or_stored_nfc_and_nothing_is_half_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let set_up_events = desk.store().count_events().unwrap();
    let now = vn(2026, 11, 26, 9, 0);
    type Mutate = fn(&mut motcua::dossier::ReceptionInput);
    let cases: Vec<(&str, Mutate, &str)> = vec![
        (
            "empty name",
            |r| r.applicant.full_name = "".into(),
            "applicant.full_name",
        ),
        (
            "blank name",
            |r| r.applicant.full_name = "   ".into(),
            "applicant.full_name",
        ),
        (
            "10 000 chars",
            |r| r.applicant.full_name = "A".repeat(10_000),
            "applicant.full_name",
        ),
        ("NUL", |r| r.applicant.address = "Tổ 5\0".into(), "applicant.address"),
        (
            "emoji",
            |r| r.applicant.full_name = "Hường 😀".into(),
            "applicant.full_name",
        ),
        (
            "digits in name",
            |r| r.applicant.full_name = "Hường 2".into(),
            "applicant.full_name",
        ),
        (
            "ID 11 digits",
            |r| r.applicant.id_number = "00430100123".into(),
            "applicant.id_number",
        ),
        (
            "ID 13 digits",
            |r| r.applicant.id_number = "0043010012345".into(),
            "applicant.id_number",
        ),
        (
            "ID letters",
            |r| r.applicant.id_number = "00430100123O".into(),
            "applicant.id_number",
        ),
        (
            "ID no province",
            |r| r.applicant.id_number = "003301001234".into(),
            "applicant.id_number",
        ),
        (
            "ID wrong year",
            |r| r.applicant.date_of_birth = "2002-02-02".into(),
            "applicant.id_number",
        ),
        (
            "ID wrong sex",
            |r| r.applicant.sex = "Nam".into(),
            "applicant.id_number",
        ),
        (
            "future birth",
            |r| r.applicant.date_of_birth = "2030-01-01".into(),
            "applicant.date_of_birth",
        ),
        (
            "bad date",
            |r| r.applicant.date_of_birth = "02/02/2001".into(),
            "applicant.date_of_birth",
        ),
        ("bad sex", |r| r.applicant.sex = "X".into(), "applicant.sex"),
        (
            "bad phone",
            |r| r.applicant.phone = Some("12345".into()),
            "applicant.phone",
        ),
        (
            "bad email",
            |r| r.applicant.email = Some("a@b".into()),
            "applicant.email",
        ),
        ("no documents", |r| r.documents.clear(), "documents"),
        ("zero count", |r| r.documents[0].count = 0, "documents.0.count"),
        ("bad form", |r| r.documents[0].form = "photo".into(), "documents.0.form"),
        ("sets 0", |r| r.sets = 0, "sets"),
        ("channel", |r| r.channel = "fax".into(), "channel"),
        (
            "unknown procedure",
            |r| r.procedure_code = "9.999999".into(),
            "procedure_code",
        ),
        ("no procedure", |r| r.procedure_code = "".into(), "procedure_code"),
        (
            "negative fee",
            |r| {
                r.fees = Some(vec![motcua::dossier::reception::FeeInput {
                    name: "Lệ phí".into(),
                    amount: -5,
                }])
            },
            "fees.0.amount",
        ),
    ];
    for (what, mutate, field) in cases {
        let mut input = reception("1.004873");
        mutate(&mut input);
        let err = desk.receive(&input, now).expect_err(what);
        let fields: Vec<String> = err.fields().into_iter().filter_map(|f| f.field).collect();
        assert!(fields.iter().any(|f| f == field), "{what}: {fields:?} / {err}");
        // A Vietnamese message that says what to do.
        assert!(
            err.to_string().contains("Hãy") || err.to_string().contains("hãy"),
            "{what}: {err}"
        );
    }
    assert_eq!(desk.store().count_dossiers().unwrap(), 0);
    assert_eq!(desk.store().count_events().unwrap(), set_up_events);

    // NFD text and stray spaces are stored NFC and trimmed.
    let mut nfd = reception("1.004873");
    nfd.applicant.full_name = "  Nguyễn   Thị Hường ".nfd().collect();
    nfd.applicant.address = "Tổ 5, phường Thục Phán".nfd().collect();
    let d = desk.receive(&nfd, now).unwrap();
    assert_eq!(d.applicant.full_name, "Nguyễn Thị Hường");
    assert_eq!(d.applicant.address, "Tổ 5, phường Thục Phán");
    assert_eq!(d.code, "000.17.22.H56-261126-0001");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(desk_in(dir.path(), 1));
    let db = dir.path().join(motcua::store::DATABASE_FILE);
    {
        let conn = common::raw_db(dir.path());
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let _ = db;
    let err = Desk::unlock(dir.path(), "admin", common::ADMIN_PASSWORD, vn(2026, 11, 26, 9, 0)).expect_err("refused");
    assert_eq!(err.code(), "schema_too_new");
    assert!(err.to_string().contains("phiên bản motcua mới hơn"));
}

#[test]
fn store_runs_in_wal_with_full_sync_and_events_are_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    drop(desk);
    let conn = common::raw_db(dir.path());
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    assert!(conn.execute("DELETE FROM events", []).is_err());
    assert!(conn.execute("UPDATE events SET actor = 'x'", []).is_err());
}

#[test]
fn init_twice_is_refused_and_setup_errors_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    let mut bad = common::setup(1);
    bad.agency_code = "H56".into();
    assert!(desk.init(&bad, &common::admin(), common::set_up_at()).is_err());
    assert!(desk.status().unwrap().office.is_none());
    desk.init(&common::setup(1), &common::admin(), common::set_up_at())
        .unwrap();
    let err = desk
        .init(&common::setup(1), &common::admin(), common::set_up_at())
        .unwrap_err();
    assert_eq!(err.code(), "already_initialised");
    assert!(desk.procedures().unwrap().len() >= 25);
}

#[test]
fn catalog_import_extends_keeps_versions_and_reports_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let before = desk.procedures().unwrap().len();
    let extra = r#"{"catalog": {"id": "cb", "label": "Bổ sung"},
 "procedures": [
  {"code": "2.000815", "name": "Chứng thực bản sao (tỉnh)", "field": "Chứng thực", "time": {"unit": "working_days", "value": 1}},
  {"code": "1.999999", "name": "Thủ tục mới", "field": "Khác", "time": {"unit": "hours", "value": 4}}
 ]}"#;
    let v = desk.import_catalog(extra, false, vn(2026, 11, 26, 8, 0)).unwrap();
    assert_eq!(v.id, 2);
    assert_eq!(desk.procedures().unwrap().len(), before + 1);
    assert_eq!(desk.procedure("2.000815").unwrap().name, "Chứng thực bản sao (tỉnh)");
    // A dossier keeps the version it was received under.
    let d = desk.receive(&reception("1.999999"), vn(2026, 11, 26, 9, 0)).unwrap();
    assert_eq!(d.procedure.catalog_version, 2);
    assert_eq!(d.due_at, "2026-11-26T15:00:00+07:00");
    let bad = "{\"catalog\": {\"id\": \"x\", \"label\": \"x\"},\n\"procedures\": [\n{\"code\": \"bad\", \"name\": \"\", \"field\": \"\", \"time\": {\"unit\": \"same_day\"}}\n]}";
    let err = desk.import_catalog(bad, true, vn(2026, 11, 26, 8, 0)).unwrap_err();
    assert!(err.to_string().contains("Dòng 3"), "{err}");
    assert_eq!(desk.status().unwrap().catalog.unwrap().id, 2);
}

#[test]
fn the_same_day_cut_off_is_the_office_s() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    let mut setup = common::setup(1);
    setup.same_day_cutoff = Some("18:00".into());
    let err = desk.init(&setup, &common::admin(), common::set_up_at()).unwrap_err();
    assert!(
        err.fields()
            .iter()
            .any(|f| f.field.as_deref() == Some("same_day_cutoff")),
        "{err}"
    );
    setup.same_day_cutoff = Some("16:00".into());
    desk.init(&setup, &common::admin(), common::set_up_at()).unwrap();
    let d = desk.receive(&reception("2.000815"), vn(2026, 11, 26, 15, 30)).unwrap();
    assert_eq!(d.due_at, "2026-11-26T17:00:00+07:00");
    let d = desk.receive(&reception("2.000815"), vn(2026, 11, 26, 16, 0)).unwrap();
    assert_eq!(d.due_at, "2026-11-27T17:00:00+07:00");
    let out = dir.path().join("r.pdf");
    desk.print_receipt(
        &d.code,
        Some(&out),
        None,
        motcua::print::Paper::A4,
        1,
        vn(2026, 11, 26, 16, 1),
    )
    .unwrap();
    let doc = lopdf::Document::load(&out).unwrap();
    assert!(doc.extract_text(&[1]).unwrap().contains("nhận sau 16:00"));
}
