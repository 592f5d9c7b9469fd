//! The outbox and the rules for applying pulled changes, on a real SQLite
//! file (no hub needed: pages are taken and answered by hand).

mod common;

use common::{desk_in, reception, vn};
use motcua::store::Store;
use motcua::sync::wire::{Change, EventAck, Outcome, WireEvent};

fn store_of(dir: &std::path::Path) -> Store {
    common::store_of(dir)
}

const NOW: &str = "2026-11-03T10:00:00+07:00";

/// The hub's answer accepting every event of a page.
fn accept_all(page: &[(i64, WireEvent)]) -> Vec<EventAck> {
    page.iter()
        .map(|(_, e)| EventAck {
            id: e.id,
            outcome: Outcome::Accepted,
            code: None,
            reason: None,
            clock_suspect: false,
        })
        .collect()
}

#[test]
fn every_local_event_waits_in_the_outbox_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let mut store = store_of(dir.path());
    // Setting up was two office facts; they go first, with no dossier.
    let set_up = store.take_outbox_page(10, NOW).unwrap();
    assert_eq!(
        set_up
            .iter()
            .map(|(_, e)| (e.kind.as_str(), e.dossier_code.as_str(), e.dossier_id.is_nil()))
            .collect::<Vec<_>>(),
        [("office", "", true), ("office", "", true)]
    );
    store.record_acks(&set_up, &accept_all(&set_up), NOW).unwrap();
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 3, 8, 0)).unwrap();
    desk.handover(&d.code, "Một cửa", "Tư pháp", None, vn(2026, 11, 3, 8, 5))
        .unwrap();
    assert_eq!(store.outbox_counts().unwrap().pending, 2);
    let page = store.take_outbox_page(10, NOW).unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].1.kind, "received");
    assert_eq!(page[0].1.dossier_code, d.code);
    // While the page is on the way, nothing else is taken.
    assert!(store.take_outbox_page(10, NOW).unwrap().is_empty());
    // The dossier changes meanwhile: its events go back to pending as a whole.
    desk.withdraw(&d.code, "Người nộp xin rút", vn(2026, 11, 3, 9, 0))
        .unwrap();
    let counts = store.record_acks(&page, &accept_all(&page), NOW).unwrap();
    assert_eq!(counts.accepted, 2);
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        3,
        "re-sent in order, answered duplicate"
    );
    let again = store.take_outbox_page(10, NOW).unwrap();
    assert_eq!(
        again.iter().map(|(_, e)| e.kind.as_str()).collect::<Vec<_>>(),
        ["received", "handed_over", "withdrawn"]
    );
    let acks: Vec<EventAck> = again
        .iter()
        .map(|(_, e)| EventAck {
            id: e.id,
            outcome: if e.kind == "withdrawn" {
                Outcome::Rejected
            } else {
                Outcome::Duplicate
            },
            code: (e.kind == "withdrawn").then(|| "conflict".to_string()),
            reason: (e.kind == "withdrawn").then(|| "Hồ sơ đã có kết quả.".to_string()),
            clock_suspect: false,
        })
        .collect();
    store.record_acks(&again, &acks, NOW).unwrap();
    let counts = store.outbox_counts().unwrap();
    assert_eq!((counts.pending, counts.sent, counts.rejected), (0, 4, 1));
    let attention = store.needs_attention().unwrap();
    assert_eq!(attention.len(), 1);
    assert_eq!(
        (attention[0].code.as_str(), attention[0].event_kind.as_str()),
        ("conflict", "withdrawn")
    );
    // Nothing was deleted: the events are all still there.
    assert_eq!(store.count_events().unwrap(), 5);
    // A program stopped mid-send leaves nothing stuck in `sending`.
    assert_eq!(store.retry_rejected().unwrap(), 1);
    let taken = store.take_outbox_page(10, NOW).unwrap();
    assert_eq!(taken.len(), 1);
    drop(store);
    let mut reopened = store_of(dir.path());
    assert_eq!(reopened.release_sending().unwrap(), 1);
    assert_eq!(reopened.outbox_counts().unwrap().pending, 1);
}

fn province_event(d: &motcua::dossier::Dossier, seq: i64) -> Change {
    Change::DossierEvent {
        seq,
        event: WireEvent {
            id: uuid::Uuid::now_v7(),
            dossier_id: d.id,
            dossier_code: d.code.clone(),
            kind: "result_ready".into(),
            payload: serde_json::json!({ "number": "7/QĐ", "issuer": "UBND xã", "issued_on": "2026-11-04" }),
            actor: "Tỉnh".into(),
            device: "hub".into(),
            occurred_at: "2026-11-04T09:00:00+07:00".into(),
            prev_hash: None,
            hash: None,
        },
    }
}

#[test]
fn pulled_changes_never_overwrite_local_changes_still_pending() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 3, 8, 0)).unwrap();
    let mut store = store_of(dir.path());
    // The received event has not reached the hub: the province's result is held.
    let applied = store.apply_pulled(&[province_event(&d, 7)], 7, NOW).unwrap();
    assert_eq!((applied.applied, applied.held), (0, 1));
    assert_eq!(store.sync_cursor().unwrap(), 7);
    assert_eq!(desk.dossier(&d.code).unwrap().status, motcua::dossier::Status::Received);
    // The same page again (its answer was lost) changes nothing.
    let again = store.apply_pulled(&[province_event(&d, 7)], 7, NOW).unwrap();
    assert_eq!(again.skipped, 1);
    // Once the outbox is acknowledged, the held change applies.
    let page = store.take_outbox_page(10, NOW).unwrap();
    store.record_acks(&page, &accept_all(&page), NOW).unwrap();
    let later = store.apply_held(NOW).unwrap();
    assert_eq!((later.applied, later.held), (1, 0));
    let now = desk.dossier(&d.code).unwrap();
    assert_eq!(now.status, motcua::dossier::Status::Processed);
    assert_eq!(now.result.unwrap().number, "7/QĐ");
    // Pulled events do not go back to the hub.
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
    // A change that does not fit the dossier's state needs a person; the cursor still moves.
    let second = store.apply_pulled(&[province_event(&d, 9)], 9, NOW).unwrap();
    assert_eq!(second.attention, 1);
    assert_eq!(store.needs_attention().unwrap()[0].code, "conflict");
    assert_eq!(store.sync_cursor().unwrap(), 9);
    // The cursor never goes back.
    store.apply_pulled(&[], 3, NOW).unwrap();
    assert_eq!(store.sync_cursor().unwrap(), 9);
}

#[test]
fn a_clock_set_back_is_noticed_before_a_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    assert_eq!(desk.clock_warning(vn(2026, 11, 3, 8, 0)).unwrap(), None);
    desk.receive(&reception("1.004873"), vn(2026, 11, 3, 10, 0)).unwrap();
    assert_eq!(desk.clock_warning(vn(2026, 11, 3, 10, 30)).unwrap(), None);
    let warning = desk.clock_warning(vn(2026, 11, 2, 10, 0)).unwrap().unwrap();
    assert!(warning.contains("chỉnh lùi"), "{warning}");
}

#[test]
fn a_training_office_never_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = motcua::desk::Desk::open(dir.path()).unwrap();
    let mut setup = common::setup(1);
    setup.training = true;
    desk.init(&setup, &common::admin(), common::set_up_at()).unwrap();
    let err = desk
        .enroll(
            "http://127.0.0.1:9",
            "AAAA-BBBB-CCCC",
            motcua::sync::http::Transport::PlainHttpAllowed,
            common::set_up_at() + chrono::Duration::minutes(1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "training_no_sync");
    let options = motcua::sync::run::SyncOptions::new(motcua::sync::run::Trigger::Manual);
    let err = desk.sync(&options, &chrono::Utc::now, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "training_no_sync");
}
