//! The hub holds each PC to its chain: a push must continue the device's
//! history; a rewritten, altered, gapped or unhashed one is refused as
//! `chain_broken` and listed on both sides. Real hub, real PostgreSQL.

mod common;

use chrono::Utc;
use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A, SET_UP_FACTS};
use motcua::desk::Desk;
use motcua::dossier::ActionRequest;

use motcua::sync::http::{HubLink, Timeouts};
use motcua::sync::run::RunOutcome;
use motcua::sync::wire::{Outcome, PushRequest, WireEvent};

fn link(desk: &Desk) -> HubLink {
    let e = motcua::sync::enrollment(desk.store()).unwrap().unwrap();
    HubLink::new(&e.hub_url, Some(e.token), Timeouts::default(), e.transport).unwrap()
}

/// The pending events as the next push would send them (left pending).
fn pending(desk: &Desk) -> Vec<WireEvent> {
    let mut store = desk.open_store().unwrap();
    let page = store.take_outbox_page(50, "2026-11-03T09:00:00+07:00").unwrap();
    store.unsend_page(&page).unwrap();
    page.into_iter().map(|(_, e)| e).collect()
}

/// The second reception's place in the PC's log, after its set-up facts.
const SECOND_RECEPTION: i64 = SET_UP_FACTS as i64 + 2;

fn setup(hub: &Hub) -> (tempfile::TempDir, Desk, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(hub, &mut desk, &hub.url());
    let codes = (0..3)
        .map(|i| {
            desk.receive(&counter::reception("1.004873"), counter::vn(2026, 11, 3, 8, i))
                .unwrap()
                .code
        })
        .collect();
    (dir, desk, codes)
}

#[test]
fn a_history_rewritten_after_it_synced_is_refused_and_listed_on_both_sides() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let (dir, mut desk, codes) = setup(&hub);
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);

    // A careful forger edits the second reception and hashes the chain again
    // from there, so the PC's own audit finds nothing wrong…
    {
        let db = counter::raw_db(dir.path());
        db.execute_batch("PRAGMA foreign_keys = OFF; DROP TRIGGER events_are_append_only_update;")
            .unwrap();
        db.execute(
            "UPDATE events SET payload = json_set(payload, '$.applicant.full_name', 'Người Khác') WHERE seq = ?1",
            [SECOND_RECEPTION],
        )
        .unwrap();
        db.execute(
            "UPDATE dossiers SET data = json_set(data, '$.applicant.full_name', 'Người Khác') WHERE code = ?1",
            [&codes[1]],
        )
        .unwrap();
        let mut prev: String = db
            .query_row("SELECT hash FROM events WHERE seq = ?1", [SECOND_RECEPTION - 1], |r| {
                r.get(0)
            })
            .unwrap();
        for seq in SECOND_RECEPTION..=SECOND_RECEPTION + 1 {
            let (id, dossier, kind, payload, actor, device, at): (
                String,
                String,
                String,
                String,
                String,
                String,
                String,
            ) = db
                .query_row(
                    "SELECT id, dossier_id, kind, payload, actor, device, occurred_at FROM events WHERE seq = ?1",
                    [seq],
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
            let value: serde_json::Value = serde_json::from_str(&payload).unwrap();
            let hash = motcua::chain::hash(
                &prev,
                &motcua::chain::Content {
                    id_text: id,
                    dossier_id_text: dossier,
                    kind: &kind,
                    payload: &value,
                    actor: &actor,
                    device: &device,
                    occurred_at: &at,
                },
            );
            db.execute(
                "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                rusqlite::params![seq, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
        // … and sends the rewritten events again.
        db.execute(
            "UPDATE outbox SET state = 'pending' WHERE event_seq >= ?1",
            [SECOND_RECEPTION],
        )
        .unwrap();
    }
    let desk_again = counter::open_desk(dir.path());
    assert!(desk_again.audit(None).unwrap().ok, "the PC alone cannot tell");
    drop(desk_again);
    let mut desk = counter::open_desk(dir.path());
    // A new fact after the rewrite follows the forged head.
    desk.refuse(&codes[0], "Không thuộc thẩm quyền", counter::vn(2026, 11, 3, 9, 0))
        .unwrap();
    let report = sync(&mut desk, 50);
    assert_eq!(report.outcome, RunOutcome::Attention, "{report:?}");
    assert_eq!(report.pushed.rejected, 3);
    let attention = desk.needs_attention().unwrap();
    assert!(attention.iter().all(|a| a.code == "chain_broken"), "{attention:?}");
    assert_eq!(attention.len(), 3);
    assert!(attention[0].message.contains("viết lại"), "{}", attention[0].message);
    // The hub kept its history and lists the breaks for the province's admin.
    let on_hub = hub
        .block(motcua_hub::register::dossier(&hub.pool, &codes[1]))
        .unwrap()
        .unwrap();
    assert_eq!(on_hub.applicant.full_name, "Nguyễn Thị Hường");
    let breaks = hub
        .block(motcua_hub::register::chain_breaks(&hub.pool, Some(OFFICE_A)))
        .unwrap();
    let reasons: Vec<&str> = breaks.iter().rev().map(|b| b.reason.as_str()).collect();
    assert_eq!(reasons, ["rewritten", "rewritten", "gap"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
        .args([
            "--database-url",
            &hub.database_url,
            "audit",
            "breaks",
            "--office",
            OFFICE_A,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert_eq!(listed[0]["reason"], "gap");
}

#[test]
fn an_altered_gapped_or_unhashed_push_is_refused() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let (_dir, desk, _) = setup(&hub);
    let mut events = pending(&desk);
    assert_eq!(events.len(), SET_UP_FACTS + 3);
    let push = |e: WireEvent| link(&desk).push(&PushRequest { events: vec![e] }).unwrap().results[0].clone();
    // The set-up facts start the device's chain at the hub.
    for fact in events.drain(..SET_UP_FACTS) {
        assert_eq!(fact.kind, "office");
        assert_eq!(push(fact).outcome, Outcome::Accepted);
    }

    let mut unhashed = events[0].clone();
    unhashed.hash = None;
    let mut altered = events[0].clone();
    altered.actor = "Người khác".into();
    for e in [unhashed, altered] {
        let ack = push(e);
        assert_eq!(
            (ack.outcome, ack.code.as_deref()),
            (Outcome::Rejected, Some("chain_broken"))
        );
    }
    // Skipping the second leaves a gap before the third.
    assert_eq!(push(events[0].clone()).outcome, Outcome::Accepted);
    let ack = push(events[2].clone());
    assert_eq!(
        (ack.outcome, ack.code.as_deref()),
        (Outcome::Rejected, Some("chain_broken"))
    );
    assert_eq!(push(events[1].clone()).outcome, Outcome::Accepted);
    assert_eq!(push(events[2].clone()).outcome, Outcome::Accepted);
    // Sent again unchanged: a duplicate, not a break.
    assert_eq!(push(events[1].clone()).outcome, Outcome::Duplicate);
    let reasons: Vec<String> = hub
        .block(motcua_hub::register::chain_breaks(&hub.pool, None))
        .unwrap()
        .into_iter()
        .rev()
        .map(|b| b.reason)
        .collect();
    assert_eq!(reasons, ["missing", "altered", "gap"]);
}

#[test]
fn province_and_restored_events_carry_links_the_counter_checks() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let (_dir, mut desk, codes) = setup(&hub);
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
    for request in [
        ActionRequest::Handover {
            from: "Bộ phận Một cửa".into(),
            to: "Công chức Tư pháp".into(),
            note: None,
            step_due: None,
        },
        ActionRequest::Result {
            number: "7/XN".into(),
            issuer: "UBND xã Hòa An".into(),
            issued_on: None,
        },
    ] {
        hub.block(motcua_hub::register::record_province_event(
            &hub.pool,
            &codes[0],
            &request,
            "Tỉnh",
            Utc::now(),
        ))
        .unwrap();
    }
    let report = sync(&mut desk, 50);
    assert_eq!(report.pulled.applied, 2, "{report:?}");
    assert!(desk.audit(None).unwrap().ok);
    // A PC replacing this one restores everything with its links.
    let dir2 = tempfile::tempdir().unwrap();
    let mut second = counter_desk(dir2.path(), OFFICE_A, 1);
    enroll(&hub, &mut second, &hub.url());
    let report = sync(&mut second, 50);
    assert_eq!(report.restored.added, 3, "{report:?}");
    let audit = second.audit(None).unwrap();
    assert!(audit.ok, "{audit:?}");
    assert_eq!(audit.events, 5 + SET_UP_FACTS as i64);
    // Its own chain starts afresh and the hub takes it.
    second.refuse(&codes[1], "Không thuộc thẩm quyền", Utc::now()).unwrap();
    assert_eq!(sync(&mut second, 50).pushed.accepted, 1);
}
