//! Devices a province manages (issue 12), on a real PostgreSQL: tokens
//! expire and are renewed by syncing, an admin lists and revokes devices
//! (the counter then asks for a new enrollment), and a counter may act only
//! on its own dossiers and issue codes only from its own block.

mod common;

use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A, PLAIN};
use motcua::desk::Desk;
use motcua::sync::http::{HubLink, LinkError, Timeouts};
use motcua::sync::run::RunOutcome;
use motcua::sync::wire::{Outcome, PushRequest, WireEvent};

fn hub() -> Hub {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    hub
}

fn token(desk: &Desk) -> String {
    desk.store().setting(motcua::sync::TOKEN_KEY).unwrap().unwrap()
}

fn whoami_refusal(hub: &Hub, desk: &Desk) -> String {
    let link = HubLink::new(&hub.url(), Some(token(desk)), Timeouts::default(), common::PLAIN).unwrap();
    match link.whoami() {
        Err(LinkError::Auth(e)) => e.code,
        other => panic!("the token still works: {other:?}"),
    }
}

fn device_of<'a>(list: &'a [motcua_hub::register::DeviceRow], desk: &Desk) -> &'a motcua_hub::register::DeviceRow {
    let id = desk.office().unwrap().device_id;
    list.iter().find(|d| d.device_id == id).expect("listed")
}

#[test]
fn tokens_expire_are_renewed_by_a_sync_and_can_be_revoked() {
    let hub = hub();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let devices = |hub: &Hub| {
        hub.block(motcua_hub::register::devices(
            &hub.pool,
            Some(OFFICE_A),
            chrono::Utc::now(),
        ))
        .unwrap()
    };
    let listed = devices(&hub);
    let me = device_of(&listed, &desk);
    assert_eq!((me.state.as_str(), me.counter), ("active", 1));
    let days = (me.expires_at - chrono::Utc::now()).num_days();
    assert!((179..=180).contains(&days), "{days}");

    // Nearly expired, then a sync: another 180 days.
    hub.block(sqlx::query("UPDATE devices SET expires_at = now() + interval '1 day'").execute(&hub.pool))
        .unwrap();
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
    assert!((device_of(&devices(&hub), &desk).expires_at - chrono::Utc::now()).num_days() >= 179);

    // Expired: 401 auth_expired, and the counter asks for a new enrollment.
    hub.block(sqlx::query("UPDATE devices SET expires_at = now() - interval '1 minute'").execute(&hub.pool))
        .unwrap();
    assert_eq!(device_of(&devices(&hub), &desk).state, "expired");
    assert_eq!(whoami_refusal(&hub, &desk), "auth_expired");
    let report = sync(&mut desk, 50);
    assert_eq!(report.outcome, RunOutcome::Failed);
    let err = report.error.unwrap();
    assert_eq!(err.code, "sync_auth");
    assert!(
        err.message.contains("hết hạn") && err.message.contains("đăng ký lại"),
        "{}",
        err.message
    );

    // Enrolled again, then revoked by the province's admin.
    let code = hub.enroll_code(OFFICE_A, 1);
    desk.enroll(&hub.url(), &code, PLAIN, chrono::Utc::now()).unwrap();
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
    let id = desk.office().unwrap().device_id;
    let revoked = hub
        .block(motcua_hub::register::revoke_device(
            &hub.pool,
            &id,
            "quantri.tinh",
            chrono::Utc::now(),
        ))
        .unwrap();
    assert_eq!(
        (revoked.state.as_str(), revoked.revoked_by.as_deref()),
        ("revoked", Some("quantri.tinh"))
    );
    assert_eq!(whoami_refusal(&hub, &desk), "auth_revoked");
    let err = sync(&mut desk, 50).error.unwrap();
    assert!(
        err.message.contains("thu hồi") && err.message.contains("đăng ký lại"),
        "{}",
        err.message
    );
    // Revoking twice, or a device nobody enrolled, is refused.
    let again = hub.block(motcua_hub::register::revoke_device(
        &hub.pool,
        &id,
        "x",
        chrono::Utc::now(),
    ));
    assert_eq!(again.unwrap_err().code(), "already_revoked");
    let nobody = hub.block(motcua_hub::register::revoke_device(
        &hub.pool,
        "không-có",
        "x",
        chrono::Utc::now(),
    ));
    assert_eq!(nobody.unwrap_err().code(), "device_unknown");
}

/// The events a desk would push next, taken as the sync run takes them.
fn pending(desk: &Desk) -> Vec<WireEvent> {
    let mut store = counter::store_of(desk.data_dir());
    let page = store.take_outbox_page(10, "2026-11-03T09:00:00+07:00").unwrap();
    store.unsend_page(&page).unwrap();
    page.into_iter().map(|(_, e)| e).collect()
}

/// Re-links an event after `prev` with a hash that matches its content, as
/// a tampered PC would: the chain holds, so the scope rules must catch it.
fn relink(e: &mut WireEvent, prev: &str) {
    let hash = motcua::chain::hash(prev, &e.content());
    e.prev_hash = Some(prev.to_string());
    e.hash = Some(hash);
}

#[test]
fn a_counter_acts_only_on_its_own_dossiers_and_codes() {
    let hub = hub();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut one = counter_desk(d1.path(), OFFICE_A, 1);
    let mut two = counter_desk(d2.path(), OFFICE_A, 2);
    enroll(&hub, &mut one, &hub.url());
    enroll(&hub, &mut two, &hub.url());
    let day = |h, m| counter::vn(2026, 11, 3, h, m);
    let held = one.receive(&counter::reception("1.004873"), day(8, 0)).unwrap().code;
    assert_eq!(sync(&mut one, 50).outcome, RunOutcome::Done);
    assert_eq!(sync(&mut two, 50).outcome, RunOutcome::Done);

    // Counter 2 pushes a step on counter 1's dossier, as its own event
    // continuing its own chain: refused, the dossier untouched.
    one.handover(&held, "Bộ phận Một cửa", "Công chức Địa chính", None, day(9, 0))
        .unwrap();
    let mut step = pending(&one).into_iter().find(|e| e.kind == "handed_over").unwrap();
    let two_device = two.office().unwrap().device_id;
    let head: String = hub
        .block(
            sqlx::query_scalar("SELECT hash FROM chain_heads WHERE device = $1")
                .bind(&two_device)
                .fetch_one(&hub.pool),
        )
        .unwrap();
    step.device = two_device;
    step.id = uuid::Uuid::now_v7();
    relink(&mut step, &head);
    let link = |desk: &Desk| HubLink::new(&hub.url(), Some(token(desk)), Timeouts::default(), common::PLAIN).unwrap();
    let answer = link(&two).push(&PushRequest { events: vec![step] }).unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Rejected);
    assert_eq!(
        answer.results[0].code.as_deref(),
        Some("wrong_counter"),
        "{:?}",
        answer.results
    );
    let on_hub = hub
        .block(motcua_hub::register::dossier(&hub.pool, &held))
        .unwrap()
        .unwrap();
    assert_eq!(on_hub.status, motcua::dossier::Status::Received);
    // Its own counter's step goes through.
    assert_eq!(sync(&mut one, 50).pushed.accepted, 1);

    // A code outside counter 1's block (1001–1999 is counter 2's), pushed
    // with counter 1's token on a chain that holds: refused, nothing stored.
    one.receive(&counter::reception("1.004873"), day(10, 0)).unwrap();
    let mut received = pending(&one).into_iter().find(|e| e.kind == "received").unwrap();
    let forged = received.dossier_code.replace("-0002", "-1500");
    assert_ne!(forged, received.dossier_code);
    received.dossier_code = forged.clone();
    *received.payload.get_mut("code").expect("the reception names its code") = forged.clone().into();
    let prev = received.prev_hash.clone().unwrap();
    relink(&mut received, &prev);
    let answer = link(&one).push(&PushRequest { events: vec![received] }).unwrap();
    assert_eq!(
        answer.results[0].code.as_deref(),
        Some("code_out_of_block"),
        "{:?}",
        answer.results
    );
    assert!(hub
        .block(motcua_hub::register::dossier(&hub.pool, &forged))
        .unwrap()
        .is_none());
}
