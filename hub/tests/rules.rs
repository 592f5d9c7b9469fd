//! The hub applies the counter's rulebook: it re-checks every pushed event
//! (with the province's calendar), decides its own actions by it, and
//! flags events dated by a wrong clock. Real hub, real PostgreSQL.

mod common;

use chrono::{Duration, Utc};
use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A};
use motcua::desk::Desk;
use motcua::dossier::{ActionRequest, DocumentInput, SupplementInput};
use motcua::sync::http::{HubLink, Timeouts};
use motcua::sync::run::RunOutcome;
use motcua::sync::wire::{Outcome, PushRequest, WireEvent};

fn link(desk: &Desk) -> HubLink {
    let e = motcua::sync::enrollment(desk.store()).unwrap().unwrap();
    HubLink::new(&e.hub_url, Some(e.token), Timeouts::default(), e.transport).unwrap()
}

/// Forges events as a modified counter could push them: well chained after
/// the PC's last event, so only the rules can refuse them.
struct Forger {
    head: String,
}

impl Forger {
    fn after(desk: &Desk) -> Forger {
        Forger {
            head: desk.store().chain_head().unwrap(),
        }
    }

    fn forge(&mut self, desk: &Desk, code: &str, kind: &str, payload: serde_json::Value, at: &str) -> WireEvent {
        let d = desk.dossier(code).unwrap();
        let mut e = WireEvent {
            id: uuid::Uuid::now_v7(),
            dossier_id: d.id,
            dossier_code: d.code,
            kind: kind.into(),
            payload,
            actor: "Nông Thị Lan".into(),
            device: desk.office().unwrap().device_id,
            occurred_at: at.into(),
            prev_hash: Some(self.head.clone()),
            hash: None,
        };
        let hash = motcua::chain::hash(&self.head, &e.content());
        e.hash = Some(hash.clone());
        self.head = hash;
        e
    }
}

#[test]
fn every_pushed_event_is_rechecked_by_the_same_rulebook() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    // Mon 5 Oct 2026 09:00, 3 working days → due Thu 8 Oct 09:00.
    let reception = counter::reception("1.004873");
    let a = desk.receive(&reception, counter::vn(2026, 10, 5, 9, 0)).unwrap().code;
    let b = desk.receive(&reception, counter::vn(2026, 10, 5, 9, 1)).unwrap().code;
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);

    let mut forger = Forger::after(&desk);
    let cases = [
        // Recorded on the due day: only the calendar shows it is late, and
        // the event claims it counts.
        forger.forge(
            &desk,
            &a,
            "extended",
            serde_json::json!({"previous_due_at": "2026-10-08T09:00:00+07:00",
                "new_due_at": "2026-10-15T09:00:00+07:00", "reason": "Xác minh"}),
            "2026-10-08T08:00:00+07:00",
        ),
        // A supplement request naming no document.
        forger.forge(
            &desk,
            &b,
            "supplement_requested",
            serde_json::json!({"reason": "Thiếu giấy", "documents": []}),
            "2026-10-06T09:00:00+07:00",
        ),
        // A reason that is only white space.
        forger.forge(
            &desk,
            &b,
            "refused",
            serde_json::json!({"reason": "   "}),
            "2026-10-06T09:00:00+07:00",
        ),
        // Closing for a missing supplement that was never asked.
        forger.forge(
            &desk,
            &b,
            "closed_unsupplemented",
            serde_json::json!({"reason": "Quá hạn bổ sung"}),
            "2026-10-06T09:00:00+07:00",
        ),
    ];
    for event in cases {
        let kind = event.kind.clone();
        let answer = link(&desk).push(&PushRequest { events: vec![event] }).unwrap();
        let ack = &answer.results[0];
        assert_eq!(ack.outcome, Outcome::Rejected, "{kind}: {ack:?}");
        assert!(
            ["conflict", "bad_event"].contains(&ack.code.as_deref().unwrap()),
            "{kind}: {ack:?}"
        );
        assert!(!ack.reason.as_deref().unwrap().is_empty());
    }
    assert_eq!(hub.count("SELECT COUNT(*) FROM events"), 2, "nothing forged was stored");

    // The same late extension, flagged honestly, is stored; the hub judges by the old date.
    let honest = forger.forge(
        &desk,
        &a,
        "extended",
        serde_json::json!({"previous_due_at": "2026-10-08T09:00:00+07:00",
            "new_due_at": "2026-10-15T09:00:00+07:00", "reason": "Xác minh", "late": true}),
        "2026-10-08T08:00:00+07:00",
    );
    let answer = link(&desk).push(&PushRequest { events: vec![honest] }).unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Accepted, "{answer:?}");
    let on_hub = hub
        .block(motcua_hub::register::dossier(&hub.pool, &a))
        .unwrap()
        .unwrap();
    assert_eq!(on_hub.due_at, "2026-10-15T09:00:00+07:00");
    assert_eq!(on_hub.judged_due(), "2026-10-08T09:00:00+07:00");

    // The province's own actions go through the same rules.
    let empty = ActionRequest::Supplement(SupplementInput {
        reason: "Thiếu giấy".into(),
        documents: vec![],
    });
    let err = hub
        .block(motcua_hub::register::record_province_event(
            &hub.pool,
            &b,
            &empty,
            "Tỉnh",
            Utc::now(),
        ))
        .unwrap_err();
    assert_eq!(err.code(), "no_documents");
    let late = ActionRequest::Supplement(SupplementInput {
        reason: "Thiếu giấy xác nhận cư trú".into(),
        documents: vec![DocumentInput {
            name: "Giấy xác nhận cư trú".into(),
            form: "original".into(),
            count: 1,
        }],
    });
    let d = hub
        .block(motcua_hub::register::record_province_event(
            &hub.pool,
            &b,
            &late,
            "Tỉnh",
            Utc::now(),
        ))
        .unwrap();
    assert_eq!(
        d.flags,
        [motcua::dossier::Flag::LateSupplementRequest],
        "asked weeks after the due date"
    );
    // The counter folds the province's event by the same rules.
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
    let v = desk.show(&b, Utc::now()).unwrap();
    assert_eq!(v.dossier.flags, [motcua::dossier::Flag::LateSupplementRequest]);
    assert_eq!(v.timeliness, motcua::dossier::Timeliness::PendingOverdue);
}

#[test]
fn events_dated_by_a_wrong_clock_are_flagged_on_both_sides() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let reception = counter::reception("1.004873");
    // A dossier received in good time, then one dated ten minutes in the
    // hub's future (the PC's clock runs ahead).
    let now = Utc::now();
    let fine = desk.receive(&reception, now - Duration::hours(1)).unwrap().code;
    let ahead = desk.receive(&reception, now + Duration::minutes(10)).unwrap().code;
    let report = sync(&mut desk, 50);
    assert_eq!(report.outcome, RunOutcome::Done, "{report:?}");
    assert_eq!(hub.count("SELECT COUNT(*) FROM events WHERE clock_suspect"), 1);
    let flags = |code: &str| desk.show(code, Utc::now()).unwrap().dossier.flags;
    assert!(flags(&fine).is_empty());
    assert_eq!(flags(&ahead), [motcua::dossier::Flag::ClockSuspect]);

    // An event dated before one the same device pushed earlier is flagged too.
    let earlier = Forger::after(&desk).forge(
        &desk,
        &fine,
        "handed_over",
        serde_json::json!({"from": "Một cửa", "to": "Tư pháp"}),
        &motcua::vntime::iso(&motcua::vntime::from_utc(now - Duration::minutes(30))),
    );
    let answer = link(&desk).push(&PushRequest { events: vec![earlier] }).unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Accepted);
    assert!(answer.results[0].clock_suspect, "before the event dated +10 min");

    let today = motcua::vntime::from_utc(now).date_naive();
    let counter_report = desk
        .report(today - Duration::days(1), today + Duration::days(1), now)
        .unwrap();
    assert_eq!(counter_report.flags.clock_suspect, 1);
    let office = hub
        .block(motcua_hub::register::office_report(
            &hub.pool,
            OFFICE_A,
            today - Duration::days(1),
            today + Duration::days(1),
            now,
        ))
        .unwrap();
    assert_eq!(office.flags.clock_suspect, 2, "the hub saw both");
}

#[test]
fn an_event_holding_a_nul_character_is_refused_and_its_page_answered() {
    // Found by the push_handler fuzz target: PostgreSQL keeps no NUL in
    // text or jsonb, and a page that failed would be sent for ever.
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let at = counter::vn(2026, 11, 30, 8, 0);
    let code = desk.receive(&counter::reception("1.004873"), at).unwrap().code;
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
    let mut forger = Forger::after(&desk);
    let in_payload = forger.forge(
        &desk,
        &code,
        "handed_over",
        serde_json::json!({ "from": "Bộ phận Một cửa", "to": "Công chức\u{0}Tư pháp", "note": null }),
        "2026-11-30T09:00:00+07:00",
    );
    let mut in_code = in_payload.clone();
    in_code.id = uuid::Uuid::now_v7();
    in_code.dossier_code = format!("{code}\u{0}");
    let answer = link(&desk)
        .push(&PushRequest {
            events: vec![in_code, in_payload],
        })
        .unwrap();
    assert_eq!(answer.results.len(), 2);
    for ack in &answer.results {
        assert_eq!(ack.outcome, Outcome::Rejected);
        assert_eq!(ack.code.as_deref(), Some("bad_event"), "{ack:?}");
    }
    // The device's chain did not move: its next real step goes through.
    desk.handover(
        &code,
        "Bộ phận Một cửa",
        "Công chức Tư pháp - Hộ tịch",
        None,
        at + Duration::hours(1),
    )
    .unwrap();
    let report = sync(&mut desk, 50);
    assert_eq!(report.outcome, RunOutcome::Done, "{:?}", report.error);
    assert_eq!(report.pushed.accepted, 1);
}
