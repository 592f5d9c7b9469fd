//! Sync against a real hub on a real PostgreSQL (DATABASE_URL).

mod common;

use common::proxy::{Fault, FaultProxy};
use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A, OFFICE_B, PLAIN, SET_UP_FACTS};
use motcua::desk::Desk;
use motcua::dossier::{ActionRequest, Status};
use motcua::sync::http::{HubLink, LinkError, Timeouts};
use motcua::sync::run::RunOutcome;
use motcua::sync::wire::{EnrollRequest, Outcome, PushRequest};
use std::collections::BTreeSet;

fn hub_with_offices() -> Hub {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    hub.add_office(OFFICE_B, "UBND xã Nguyên Bình");
    hub
}

fn receive(desk: &mut Desk, n: usize, at: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    (0..n)
        .map(|i| {
            let t = at + chrono::Duration::seconds(i as i64);
            desk.receive(&counter::reception("1.004873"), t).unwrap().code
        })
        .collect()
}

fn local_ids(desk: &Desk) -> BTreeSet<uuid::Uuid> {
    desk.store().local_event_ids().unwrap().into_iter().collect()
}

#[test]
fn page_boundaries_send_every_event_exactly_once() {
    let hub = hub_with_offices();
    const PAGE: usize = 5;
    for (i, n) in [0usize, 1, PAGE - 1, PAGE, PAGE + 1].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        // One office per case keeps the hub's counts apart.
        let agency = format!("000.{:02}.30.H56", 40 + i);
        hub.add_office(&agency, "UBND xã thử");
        let mut desk = counter_desk(dir.path(), &agency, 1);
        enroll(&hub, &mut desk, &hub.url());
        receive(&mut desk, n, counter::vn(2026, 11, 3, 8, 0));
        let report = sync(&mut desk, PAGE);
        assert_eq!(report.outcome, RunOutcome::Done, "{n} events: {:?}", report.error);
        let all = (n + SET_UP_FACTS) as i64;
        assert_eq!(report.pushed.sent, all);
        assert_eq!(report.pushed.accepted, all);
        let on_hub: BTreeSet<_> = hub.event_ids(&agency).into_iter().collect();
        assert_eq!(on_hub, local_ids(&desk), "{n} events");
        assert_eq!(desk.sync_status().unwrap().pending, 0);
        // A second run sends nothing and changes nothing.
        let again = sync(&mut desk, PAGE);
        assert_eq!(again.pushed.sent, 0);
        assert_eq!(hub.event_ids(&agency).len(), n + SET_UP_FACTS);
        assert_eq!(hub.office_fact_ids(&agency).len(), SET_UP_FACTS);
        let log = desk.sync_log(10).unwrap();
        assert!(log
            .iter()
            .any(|r| r.phase == "push" && r.sent == all && r.outcome == "ok"));
    }
}

#[test]
fn two_counters_of_one_office_sync_the_same_day_and_see_the_provinces_result() {
    let hub = hub_with_offices();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut c1 = counter_desk(d1.path(), OFFICE_A, 1);
    let mut c2 = counter_desk(d2.path(), OFFICE_A, 2);
    enroll(&hub, &mut c1, &hub.url());
    enroll(&hub, &mut c2, &hub.url());
    let day = counter::vn(2026, 11, 3, 8, 0);
    let codes1 = receive(&mut c1, 3, day);
    let codes2 = receive(&mut c2, 3, day);
    assert!(codes1.iter().all(|c| !codes2.contains(c)));
    assert_eq!(sync(&mut c1, 50).outcome, RunOutcome::Done);
    assert_eq!(sync(&mut c2, 50).outcome, RunOutcome::Done);
    let on_hub: BTreeSet<_> = hub.event_ids(OFFICE_A).into_iter().collect();
    let mut local = local_ids(&c1);
    local.extend(local_ids(&c2));
    assert_eq!(on_hub, local);
    assert_eq!(hub.count("SELECT COUNT(*) FROM dossiers"), 6);
    // Indicator 1.4: every dossier of the day reached the province; one more not yet.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let share = |desk: &Desk| desk.report(today, today, chrono::Utc::now()).unwrap().indicators["1.4"].value;
    assert_eq!(share(&c1), Some(100.0));
    receive(&mut c1, 1, counter::vn(2026, 11, 3, 15, 0));
    assert_eq!(share(&c1), Some(75.0));
    assert_eq!(sync(&mut c1, 50).outcome, RunOutcome::Done);
    assert_eq!(share(&c1), Some(100.0));

    // The province hands over and decides one of counter 2's dossiers.
    let code = &codes2[1];
    let now = chrono::Utc::now();
    hub.block(motcua_hub::register::record_province_event(
        &hub.pool,
        code,
        &ActionRequest::Handover {
            from: "Bộ phận Một cửa".into(),
            to: "Công chức Tư pháp - Hộ tịch".into(),
            note: None,
            step_due: None,
        },
        "Hà Thị Mai",
        now,
    ))
    .unwrap();
    hub.block(motcua_hub::register::record_province_event(
        &hub.pool,
        code,
        &ActionRequest::Result {
            number: "125/QĐ-UBND".into(),
            issuer: "UBND xã Hòa An".into(),
            issued_on: Some("2026-11-04".into()),
        },
        "Hà Thị Mai",
        now,
    ))
    .unwrap();
    // Counter 1 gets nothing of it; counter 2 gets both facts.
    let r1 = sync(&mut c1, 50);
    assert_eq!(r1.pulled.changes, 0);
    let r2 = sync(&mut c2, 50);
    assert_eq!((r2.pulled.changes, r2.pulled.applied), (2, 2), "{r2:?}");
    let view = c2.show(code, chrono::Utc::now()).unwrap();
    assert_eq!(view.dossier.status, Status::Processed);
    assert_eq!(view.dossier.result.as_ref().unwrap().number, "125/QĐ-UBND");
    assert!(view
        .events
        .iter()
        .any(|e| e.kind == "result_ready" && e.device == "hub"));
    // Pulled events are not sent back.
    assert_eq!(c2.sync_status().unwrap().pending, 0);
    let again = sync(&mut c2, 50);
    assert_eq!((again.pushed.sent, again.pulled.changes), (0, 0));
    // The counter returns the result; the hub sees it.
    c2.return_result(
        code,
        "Nguyễn Thị Hường",
        "004301001234",
        motcua::dossier::lifecycle::ReturnChannel::Counter,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(sync(&mut c2, 50).pushed.accepted, 1);
    let on_hub = hub
        .block(motcua_hub::register::dossier(&hub.pool, code))
        .unwrap()
        .unwrap();
    assert_eq!(on_hub.status, Status::Returned);
}

#[test]
fn enrollment_and_tokens_are_checked() {
    let hub = hub_with_offices();
    let link = |token: Option<&str>| {
        HubLink::new(&hub.url(), token.map(String::from), Timeouts::default(), common::PLAIN).unwrap()
    };

    // The same device asking again (its answer was lost, or the request
    // arrived twice) is given the same token: whichever answer it kept works.
    let code = hub.enroll_code(OFFICE_A, 1);
    let request = EnrollRequest {
        code: code.to_lowercase().replace('-', " "),
        device_id: "device-one".into(),
        device_secret: "a".repeat(64),
    };
    let first = link(None).enroll(&request).unwrap();
    let second = link(None).enroll(&request).unwrap();
    assert_eq!((second.agency_code.as_str(), second.counter), (OFFICE_A, 1));
    assert_eq!(first.token, second.token);
    assert_eq!(link(Some(&first.token)).whoami().unwrap().device_id, "device-one");
    // A new code for the same PC gives it a new token; the old one stops working.
    let renewed = link(None)
        .enroll(&EnrollRequest {
            code: hub.enroll_code(OFFICE_A, 1),
            ..request.clone()
        })
        .unwrap();
    assert_ne!(renewed.token, first.token);
    assert!(matches!(link(Some(&first.token)).whoami(), Err(LinkError::Auth(_))));
    assert_eq!(link(Some(&renewed.token)).whoami().unwrap().device_id, "device-one");

    // Another device presenting the spent code is refused, even knowing the device id.
    for (device, secret) in [("device-two", "b".repeat(64)), ("device-one", "c".repeat(64))] {
        let other = EnrollRequest {
            code: code.clone(),
            device_id: device.into(),
            device_secret: secret,
        };
        match link(None).enroll(&other) {
            Err(LinkError::Auth(e)) => assert_eq!(e.code, "enroll_code_spent"),
            other => panic!("spent code accepted: {other:?}"),
        }
    }
    // A wrong token is refused everywhere.
    assert!(matches!(link(Some("not-a-token")).whoami(), Err(LinkError::Auth(_))));
    assert!(matches!(link(Some("not-a-token")).pull(0, 10), Err(LinkError::Auth(_))));
    assert!(matches!(
        link(None).push(&PushRequest { events: vec![] }),
        Err(LinkError::Auth(_))
    ));

    // A token of another office cannot write into this office.
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = counter_desk(da.path(), OFFICE_A, 2);
    let mut b = counter_desk(db.path(), OFFICE_B, 1);
    enroll(&hub, &mut a, &hub.url());
    enroll(&hub, &mut b, &hub.url());
    receive(&mut a, 1, counter::vn(2026, 11, 3, 9, 0));
    let (facts, stolen): (Vec<_>, Vec<_>) = desk_page(&mut a).into_iter().partition(|e| e.kind == "office");
    // Its office facts are another device's, whichever office pushes them.
    let answer = link(Some(&b.store().setting(motcua::sync::TOKEN_KEY).unwrap().unwrap()))
        .push(&PushRequest { events: facts })
        .unwrap();
    assert!(answer
        .results
        .iter()
        .all(|r| r.outcome == Outcome::Rejected && r.code.as_deref() == Some("bad_event")));
    let b_token = b.store().setting(motcua::sync::TOKEN_KEY).unwrap().unwrap();
    let answer = link(Some(&b_token)).push(&PushRequest { events: stolen }).unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Rejected);
    assert_eq!(answer.results[0].code.as_deref(), Some("wrong_office"));
    assert!(hub.event_ids(OFFICE_A).is_empty());

    // Through the desk: a second PC with the spent code is refused with a clear message.
    let dc = tempfile::tempdir().unwrap();
    let mut c = counter_desk(dc.path(), OFFICE_A, 1);
    let err = c
        .enroll(
            &hub.url(),
            &code,
            PLAIN,
            counter::set_up_at() + chrono::Duration::minutes(1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "enroll_refused");
    assert!(err.to_string().contains("mã mới"), "{err}");
    // A code for another counter is not taken silently.
    let wrong = hub.enroll_code(OFFICE_A, 3);
    assert_eq!(
        c.enroll(
            &hub.url(),
            &wrong,
            PLAIN,
            counter::set_up_at() + chrono::Duration::minutes(1)
        )
        .unwrap_err()
        .code(),
        "enroll_mismatch"
    );

    // A revoked token stops the run and says what to do.
    let dd = tempfile::tempdir().unwrap();
    let mut replacement = counter_desk(dd.path(), OFFICE_A, 2);
    enroll(&hub, &mut replacement, &hub.url()); // the new PC for counter 2 revokes the old one
    let report = sync(&mut a, 50);
    assert_eq!(report.outcome, RunOutcome::Failed);
    let err = report.error.unwrap();
    assert_eq!(err.code, "sync_auth");
    assert!(err.message.contains("đăng ký lại"), "{}", err.message);
    assert_eq!(
        a.sync_status().unwrap().pending,
        1 + SET_UP_FACTS as i64,
        "nothing is dropped when the run stops"
    );
}

/// The events a desk would push next, taken as the sync run takes them.
fn desk_page(desk: &mut Desk) -> Vec<motcua::sync::wire::WireEvent> {
    let data = desk.data_dir().to_path_buf();
    let mut store = counter::store_of(&data);
    let page = store.take_outbox_page(10, "2026-11-03T09:00:00+07:00").unwrap();
    store.unsend_page(&page).unwrap();
    page.into_iter().map(|(_, e)| e).collect()
}

#[test]
fn enrollment_survives_a_lost_answer_through_the_desk() {
    let hub = hub_with_offices();
    let proxy = FaultProxy::start(hub.addr);
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    let code = hub.enroll_code(OFFICE_A, 1);
    // The hub enrolls the device, but the answer never arrives; the desk retries.
    proxy.script(&[Fault::DropAnswer, Fault::CutAnswer]);
    desk.enroll(
        &proxy.url(),
        &code,
        PLAIN,
        counter::set_up_at() + chrono::Duration::minutes(1),
    )
    .unwrap();
    assert_eq!(proxy.injected(), 2);
    assert_eq!(hub.count("SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL"), 1);
    receive(&mut desk, 2, counter::vn(2026, 11, 3, 8, 0));
    assert_eq!(sync(&mut desk, 50).outcome, RunOutcome::Done);
}

#[test]
fn codes_stay_unique_across_the_province() {
    let hub = hub_with_offices();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = counter_desk(d1.path(), OFFICE_A, 1);
    enroll(&hub, &mut first, &hub.url());
    let day = counter::vn(2026, 11, 3, 8, 0);
    let code = receive(&mut first, 1, day).remove(0);
    assert_eq!(sync(&mut first, 50).outcome, RunOutcome::Done);
    // A reinstalled PC for the same counter that receives before its first
    // sync starts numbering again and issues the same code: the hub refuses
    // it, the restore refuses to overwrite it, and both wait for a person.
    let mut again = counter_desk(d2.path(), OFFICE_A, 1);
    enroll(&hub, &mut again, &hub.url());
    let clash = receive(&mut again, 1, day).remove(0);
    assert_eq!(clash, code);
    let local_id = again.show(&code, chrono::Utc::now()).unwrap().dossier.id;
    let report = sync(&mut again, 50);
    assert_eq!(report.outcome, RunOutcome::Attention);
    assert_eq!((report.restored.added, report.restored.refused), (0, 1));
    let items = again.needs_attention().unwrap();
    let kinds: Vec<(&str, &str)> = items.iter().map(|a| (a.source.as_str(), a.code.as_str())).collect();
    assert_eq!(
        kinds,
        [("rejected_event", "code_taken"), ("restore", "restore_code_taken")]
    );
    assert!(items.iter().all(|a| a.dossier_code.as_deref() == Some(code.as_str())));
    assert_eq!(
        again.show(&code, chrono::Utc::now()).unwrap().dossier.id,
        local_id,
        "nothing overwritten"
    );
    assert_eq!(again.sync_status().unwrap().rejected, 1);
    assert_eq!(hub.count("SELECT COUNT(*) FROM dossiers"), 1);
}

#[test]
fn published_catalog_and_calendar_reach_every_counter() {
    let hub = hub_with_offices();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_B, 1);
    enroll(&hub, &mut desk, &hub.url());
    let mut catalog: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/catalog/default.json")).unwrap();
    catalog["catalog"]["label"] = "Danh mục UBND tỉnh Cao Bằng, bản 12/2026".into();
    hub.block(motcua_hub::register::publish_catalog(&hub.pool, &catalog.to_string()))
        .unwrap();
    // The province declares Friday 4 Dec 2026 a day off.
    let schedule = serde_json::json!({
        "year": 2026, "version": 1,
        "notices": [{ "document": "Thông báo thử của UBND tỉnh", "verified": true, "covers": [],
                      "days_off": [{ "date": "2026-12-04", "reason": "Nghỉ theo thông báo của tỉnh" }],
                      "working_days": [] }]
    });
    let before = desk.calendar_year(2026).unwrap();
    hub.block(motcua_hub::register::publish_calendar(&hub.pool, &schedule.to_string()))
        .unwrap();
    let report = sync(&mut desk, 50);
    assert_eq!((report.pulled.changes, report.pulled.applied), (2, 2), "{report:?}");
    let status = desk.status().unwrap();
    assert_eq!(
        status.catalog.unwrap().label,
        "Danh mục UBND tỉnh Cao Bằng, bản 12/2026"
    );
    let after = desk.calendar_year(2026).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let is_off = |y: &motcua::desk::CalendarYear, _: &str| y.days_off.iter().any(|x| x.date == day);
    assert!(!is_off(&before, "2026-12-04"));
    assert!(is_off(&after, "2026-12-04"));
}

/// The receipt's text as the counter would print it now.
fn receipt_text(desk: &Desk, code: &str) -> String {
    desk.receipt_preview(code, motcua::print::Paper::A4, 1)
        .unwrap()
        .concat()
}

#[test]
fn the_provinces_form_texts_reach_the_counter_under_its_own_and_a_broken_set_is_refused() {
    let hub = hub_with_offices();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_B, 1);
    enroll(&hub, &mut desk, &hub.url());
    let d = desk
        .receive(&counter::reception("1.004873"), counter::vn(2026, 11, 3, 8, 5))
        .unwrap();
    assert!(receipt_text(&desk, &d.code).contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    // A broken set is refused at the hub with its reasons: nothing is published.
    let broken = r#"{"label": "Sai", "forms": {"receipt": {"titel": "X", "intro": "{ofice}"}}}"#;
    let err = hub
        .block(motcua_hub::register::publish_form_texts(&hub.pool, broken))
        .unwrap_err()
        .to_string();
    assert!(err.contains("titel") && err.contains("{ofice}"), "{err}");
    let province = serde_json::json!({
        "label": "Mẫu phiếu của tỉnh Cao Bằng 2026",
        "forms": {
            "receipt": {"title": "GIẤY TIẾP NHẬN HỒ SƠ (MẪU CỦA TỈNH)", "item6": "6. Nơi nhận kết quả:"},
            "common": {"clerk_sign": "CÔNG CHỨC TIẾP NHẬN"}
        }
    });
    let version = hub
        .block(motcua_hub::register::publish_form_texts(
            &hub.pool,
            &province.to_string(),
        ))
        .unwrap();
    assert_eq!(version, 1);
    let report = sync(&mut desk, 50);
    assert_eq!((report.pulled.changes, report.pulled.applied), (1, 1), "{report:?}");
    let text = receipt_text(&desk, &d.code);
    for needle in [
        "GIẤY TIẾP NHẬN HỒ SƠ (MẪU CỦA TỈNH)",
        "6. Nơi nhận kết quả:",
        "CÔNG CHỨC TIẾP NHẬN",
    ] {
        assert!(text.contains(needle), "province text {needle} missing");
    }
    // The office's own set lies over the province's; the rest stays the province's.
    let office = serde_json::json!({
        "label": "Chữ riêng của xã",
        "forms": {"receipt": {"title": "GIẤY BIÊN NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"}}
    });
    desk.set_form_texts(&office.to_string(), counter::vn(2026, 11, 3, 9, 0))
        .unwrap();
    let text = receipt_text(&desk, &d.code);
    assert!(text.contains("GIẤY BIÊN NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(!text.contains("(MẪU CỦA TỈNH)"));
    assert!(text.contains("CÔNG CHỨC TIẾP NHẬN"), "the province's other texts stay");
    let layers = desk.form_text_layers().unwrap();
    let names: Vec<(&str, i64)> = layers.iter().map(|l| (l.layer.as_str(), l.version)).collect();
    assert_eq!(names, [("province", 1), ("office", 1)]);
}

#[test]
fn a_pc_clock_off_by_more_than_two_minutes_is_reported() {
    let hub = hub_with_offices();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let slow = || chrono::Utc::now() - chrono::Duration::minutes(7);
    let report = desk.sync(&common::fast_options(50), &slow, &mut |_| {}).unwrap();
    assert_eq!(report.outcome, RunOutcome::Done);
    assert!(
        (400..=440).contains(&report.clock_skew_seconds.unwrap()),
        "{:?}",
        report.clock_skew_seconds
    );
    let warning = report.clock_warning.unwrap();
    assert!(warning.contains("chậm hơn") && warning.contains("7 phút"), "{warning}");
    assert_eq!(desk.sync_status().unwrap().clock_warning, Some(warning));
    // A right clock clears it.
    let report = sync(&mut desk, 50);
    assert_eq!(report.clock_warning, None);
    assert_eq!(desk.sync_status().unwrap().clock_warning, None);
}

/// Every event id a desk holds for these dossiers, whatever its origin.
fn dossier_event_ids(desk: &Desk, codes: &[String]) -> BTreeSet<String> {
    codes
        .iter()
        .flat_map(|c| desk.show(c, chrono::Utc::now()).unwrap().events)
        .map(|e| e.id)
        .collect()
}

/// The ids of office A's dossier events the hub holds (office facts stay
/// with the PC that recorded them).
fn dossier_event_ids_on_hub(hub: &Hub) -> BTreeSet<String> {
    let facts: BTreeSet<uuid::Uuid> = hub.office_fact_ids(OFFICE_A).into_iter().collect();
    hub.event_ids(OFFICE_A)
        .iter()
        .filter(|id| !facts.contains(id))
        .map(|id| id.to_string())
        .collect()
}

/// A backup restored into `dir` as the lost PC's admin, then enrolled with
/// a fresh code in the lost PC's place.
fn restore_in_place(
    hub: &Hub,
    dir: &std::path::Path,
    backup: &std::path::Path,
    at: chrono::DateTime<chrono::Utc>,
) -> (Desk, motcua::desk::RestoreReport) {
    let (mut desk, report) = Desk::restore_backup(
        dir,
        backup,
        "admin",
        motcua::desk::RestoreSecret::Password(counter::ADMIN_PASSWORD),
        at,
    )
    .unwrap();
    let office = desk.office().unwrap();
    let code = hub.enroll_code(&office.agency_code, office.counter);
    desk.enroll(&hub.url(), &code, PLAIN, at + chrono::Duration::minutes(5))
        .unwrap();
    (desk, report)
}

#[test]
fn a_pc_replacing_a_lost_one_gets_its_dossiers_back_and_issues_no_code_twice() {
    let hub = hub_with_offices();
    let old_dir = tempfile::tempdir().unwrap();
    let mut old = counter_desk(old_dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut old, &hub.url());
    let codes = receive(&mut old, 7, counter::vn(2026, 11, 3, 8, 0));
    assert_eq!(sync(&mut old, 3).outcome, RunOutcome::Done);
    // The province decides one of them; the old PC never pulls it.
    for body in [
        ActionRequest::Handover {
            from: "Bộ phận Một cửa".into(),
            to: "Công chức Tư pháp - Hộ tịch".into(),
            note: None,
            step_due: None,
        },
        ActionRequest::Result {
            number: "126/QĐ-UBND".into(),
            issuer: "UBND xã Hòa An".into(),
            issued_on: Some("2026-11-04".into()),
        },
    ] {
        hub.block(motcua_hub::register::record_province_event(
            &hub.pool,
            &codes[2],
            &body,
            "Hà Thị Mai",
            chrono::Utc::now(),
        ))
        .unwrap();
    }

    // The old PC breaks; a new one is set up for counter 1 the same day.
    let new_dir = tempfile::tempdir().unwrap();
    let mut new = counter_desk(new_dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut new, &hub.url());
    let first = sync(&mut new, 3);
    assert_eq!(first.outcome, RunOutcome::Done, "{first:?}");
    assert_eq!(first.restored.added, 7, "{first:?}");
    assert_eq!(
        first.pushed.sent, SET_UP_FACTS as i64,
        "only its own set-up facts: restored events are not sent back"
    );
    // Every dossier event the hub holds came back exactly once; the
    // province's two arrived with the restore and the pull that follows
    // skips them. (Office facts stay with the PC that recorded them.)
    let on_hub = dossier_event_ids_on_hub(&hub);
    assert_eq!(dossier_event_ids(&new, &codes), on_hub);
    assert_eq!(
        new.store().count_events().unwrap(),
        (on_hub.len() + SET_UP_FACTS) as i64
    );
    let decided = new.show(&codes[2], chrono::Utc::now()).unwrap();
    assert_eq!(decided.dossier.status, Status::Processed);
    assert_eq!(decided.dossier.result.as_ref().unwrap().number, "126/QĐ-UBND");
    for code in &codes {
        let here = new.show(code, chrono::Utc::now()).unwrap().dossier;
        let before = old.show(code, chrono::Utc::now()).unwrap().dossier;
        assert_eq!(
            (&here.applicant, here.book.number, &here.due_at),
            (&before.applicant, before.book.number, &before.due_at)
        );
    }
    assert!(new.needs_attention().unwrap().is_empty());

    // The next dossier of the day continues the counter's numbering and book.
    let next = new
        .receive(&counter::reception("1.004873"), counter::vn(2026, 11, 3, 15, 0))
        .unwrap();
    assert!(next.code.ends_with("-0008"), "{}", next.code);
    assert!(!codes.contains(&next.code));
    assert_eq!(next.book.number, 8);
    // The hub takes it (no code clash), and the restore is not run again.
    let second = sync(&mut new, 3);
    assert_eq!(second.outcome, RunOutcome::Done, "{second:?}");
    assert_eq!((second.pushed.sent, second.pushed.accepted), (1, 1));
    assert_eq!(second.restored, Default::default());
    // Restored dossiers are worked on as any other: the result goes back to the citizen.
    new.return_result(
        &codes[2],
        "Nguyễn Thị Hường",
        "004301001234",
        motcua::dossier::lifecycle::ReturnChannel::Counter,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(sync(&mut new, 3).pushed.accepted, 1);
    let on_hub = hub
        .block(motcua_hub::register::dossier(&hub.pool, &codes[2]))
        .unwrap()
        .unwrap();
    assert_eq!(on_hub.status, Status::Returned);
    // Indicator 1.4 counts restored dossiers as held by the province.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let share = new.report(day, day, chrono::Utc::now()).unwrap().indicators["1.4"].value;
    assert_eq!(share, Some(100.0));
}

/// A proxy on the way that refuses big bodies (413) or times out (408) must
/// not get a page rejected: the counter splits it until it passes.
#[test]
fn a_proxy_refusing_big_or_slow_pages_makes_the_counter_split_them() {
    let hub = hub_with_offices();
    let proxy = FaultProxy::start(hub.addr);
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &proxy.url());
    receive(&mut desk, 64, counter::vn(2026, 11, 3, 8, 0));
    // The size of the whole page as the counter sends it.
    let one_page = {
        let mut store = counter::store_of(dir.path());
        let page = store.take_outbox_page(64, "2026-11-03T09:00:00+07:00").unwrap();
        let events: Vec<_> = page.iter().map(|(_, e)| e.clone()).collect();
        store.unsend_page(&page).unwrap();
        motcua::sync::http::encode_body(&PushRequest { events }).unwrap().len()
    };
    // Half a page passes, a whole one does not.
    proxy.limit_body(Some(one_page / 2));
    proxy.script(&[Fault::RequestTimeout]);
    let report = sync(&mut desk, 64);
    assert_eq!(report.outcome, RunOutcome::Done, "{report:?}");
    let all = (64 + SET_UP_FACTS) as i64;
    assert_eq!((report.pushed.accepted, report.pushed.rejected), (all, 0));
    assert!(proxy.by_kind().get("PayloadTooLarge").copied().unwrap_or(0) >= 1);
    assert_eq!(hub.event_ids(OFFICE_A).len(), all as usize);
    assert_eq!(desk.sync_status().unwrap().pending, 0);
}

/// The hub's body limit is set on purpose and answered 413 — whether the
/// body says its size or only shows it once decompressed.
#[test]
fn a_body_over_the_limit_is_answered_413() {
    use std::io::Write;
    let hub = hub_with_offices();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let token = motcua::sync::enrollment(desk.store()).unwrap().unwrap().token;
    let limit = motcua::sync::wire::MAX_BODY_BYTES;
    let padding = " ".repeat(limit + 1);
    let plain = format!("{{\"events\": []{padding}}}");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(plain.as_bytes()).unwrap();
    let compressed = gz.finish().unwrap();
    assert!(compressed.len() < limit / 100, "a small body that grows past the limit");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    motcua::sync::http::install_crypto_provider();
    let client = reqwest::Client::new();
    let request = client
        .post(format!("{}/v1/push", hub.url()))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(compressed);
    let answer = rt.block_on(request.send()).unwrap();
    assert_eq!(answer.status(), 413);
    let error: motcua::sync::wire::ApiError = rt.block_on(answer.json()).unwrap();
    assert_eq!(error.code, "body_too_large");
    // A body that announces its size is refused before it is read.
    let mut raw = std::net::TcpStream::connect(hub.addr).unwrap();
    write!(
        raw,
        "POST /v1/push HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{{",
        plain.len()
    )
    .unwrap();
    let mut head = [0u8; 12];
    std::io::Read::read_exact(&mut raw, &mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");
}

/// A counter PC's disk dies; its data folder is restored from the last
/// backup onto a PC enrolled in its place. What the old PC sent after the
/// backup, and what the province recorded, comes back from the hub; what
/// the backup held and the hub never got is delivered, continuing the old
/// PC's chain; no code is issued twice.
#[test]
fn a_pc_restored_from_a_backup_gets_back_what_the_hub_has_beyond_it() {
    let hub = hub_with_offices();
    let old_dir = tempfile::tempdir().unwrap();
    let mut old = counter_desk(old_dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut old, &hub.url());
    let day = |h, m| counter::vn(2026, 11, 3, h, m);
    let mut codes = receive(&mut old, 3, day(8, 0));
    assert_eq!(sync(&mut old, 50).outcome, RunOutcome::Done);
    // Two more, not yet sent when the day's backup is made.
    codes.extend(receive(&mut old, 2, day(9, 0)));
    let backup = old_dir.path().join("hom-nay.mcbak");
    old.backup(Some(&backup), day(9, 30)).unwrap();
    // After the backup the old PC works on, and sends it all.
    old.handover(
        &codes[0],
        "Bộ phận Một cửa",
        "Công chức Tư pháp - Hộ tịch",
        None,
        day(10, 0),
    )
    .unwrap();
    codes.extend(receive(&mut old, 1, day(10, 30)));
    assert_eq!(sync(&mut old, 50).outcome, RunOutcome::Done);
    hub.block(motcua_hub::register::record_province_event(
        &hub.pool,
        &codes[1],
        &ActionRequest::Handover {
            from: "Bộ phận Một cửa".into(),
            to: "Công chức Địa chính".into(),
            note: None,
            step_due: None,
        },
        "Hà Thị Mai",
        chrono::Utc::now(),
    ))
    .unwrap();
    drop(old);

    // The disk dies. A new PC: the backup restored, then enrolled in its place.
    let new_dir = tempfile::tempdir().unwrap();
    let (mut new, report) = restore_in_place(&hub, new_dir.path(), &backup, day(14, 0));
    assert!(report.was_enrolled);
    assert_eq!(report.dossiers, 5);
    let first = sync(&mut new, 50);
    assert_eq!(first.outcome, RunOutcome::Done, "{first:?}");
    // The dossier received after the backup comes back whole; the two it
    // had that moved on since get their later events.
    assert_eq!(first.restored.added, 1, "{first:?}");
    assert_eq!(
        (first.restored.completed, first.restored.completed_events),
        (2, 2),
        "{first:?}"
    );
    assert_eq!(first.pushed.rejected, 0, "{first:?}");
    let on_hub = dossier_event_ids_on_hub(&hub);
    assert_eq!(dossier_event_ids(&new, &codes), on_hub);
    assert_eq!(
        new.show(&codes[0], day(15, 0)).unwrap().dossier.status,
        Status::Processing
    );
    assert!(new.needs_attention().unwrap().is_empty());
    assert!(new.audit(None).unwrap().ok);
    // Numbering continues after the dossier the backup did not have.
    let next = new.receive(&counter::reception("1.004873"), day(15, 0)).unwrap();
    assert!(next.code.ends_with("-0007"), "{}", next.code);
    assert_eq!(sync(&mut new, 50).pushed.accepted, 1);
}

/// The backup held events the old PC never sent: the PC enrolled in its
/// place delivers them: they continue the old PC's chain link by link.
#[test]
fn a_backup_delivers_what_the_lost_pc_never_sent() {
    let hub = hub_with_offices();
    let old_dir = tempfile::tempdir().unwrap();
    let mut old = counter_desk(old_dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut old, &hub.url());
    let day = |h, m| counter::vn(2026, 11, 3, h, m);
    let mut codes = receive(&mut old, 2, day(8, 0));
    assert_eq!(sync(&mut old, 50).outcome, RunOutcome::Done);
    codes.extend(receive(&mut old, 2, day(9, 0)));
    let backup = old_dir.path().join("hom-nay.mcbak");
    old.backup(Some(&backup), day(9, 30)).unwrap();
    drop(old);

    let new_dir = tempfile::tempdir().unwrap();
    let (mut new, report) = restore_in_place(&hub, new_dir.path(), &backup, day(14, 0));
    assert!(report.was_enrolled);
    // Two receptions and the backup's own record.
    assert_eq!(report.unsent, 3, "{}", report.message);
    let first = sync(&mut new, 50);
    assert_eq!(first.outcome, RunOutcome::Done, "{first:?}");
    assert_eq!(first.pushed.rejected, 0, "{first:?}");
    for code in &codes {
        let held = hub.block(motcua_hub::register::dossier(&hub.pool, code)).unwrap();
        assert!(held.is_some(), "the hub holds {code}");
    }
    assert!(hub
        .block(motcua_hub::register::chain_breaks(&hub.pool, Some(OFFICE_A)))
        .unwrap()
        .is_empty());
    // The new PC's own work goes on in its own chain.
    new.receive(&counter::reception("1.004873"), day(15, 0)).unwrap();
    let second = sync(&mut new, 50);
    assert_eq!((second.pushed.sent, second.pushed.accepted), (1, 1), "{second:?}");
}
