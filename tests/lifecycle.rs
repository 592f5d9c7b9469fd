//! The lifecycle of Decree 118 on real SQLite files: every legal step from
//! every state, every illegal one refused with nothing stored, the
//! once-only rules, the clock restart and timeliness.

mod common;

use chrono::{DateTime, Utc};
use common::{desk_in, reception, vn};
use motcua::desk::{Desk, SupplementInput};
use motcua::dossier::lifecycle::ReturnChannel;
use motcua::dossier::{Action, DocumentInput, Flag, Status, Timeliness};
use motcua::vntime;

fn supplement_input() -> SupplementInput {
    SupplementInput {
        reason: "Thiếu bản sao giấy khai sinh của con".into(),
        documents: vec![DocumentInput {
            name: "Bản sao giấy khai sinh".into(),
            form: "copy".into(),
            count: 1,
        }],
    }
}

/// Performs `action` with plausible inputs.
fn perform(desk: &mut Desk, code: &str, action: Action, now: DateTime<Utc>) -> motcua::Result<Status> {
    let d = match action {
        Action::Handover => desk.handover(code, "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", None, now)?,
        Action::Supplement => desk.request_supplement(code, &supplement_input(), now)?,
        Action::SupplementComplete => desk.complete_supplement(code, now)?,
        Action::Refuse => desk.refuse(code, "Hồ sơ không thuộc thẩm quyền của xã", now)?,
        Action::Extend => {
            let due = desk.dossier(code)?.due_at;
            let due = chrono::DateTime::parse_from_rfc3339(&due)
                .unwrap()
                .with_timezone(&vntime::zone());
            let later = desk.calendar()?.add_working_days(due, 2);
            desk.extend(code, later, "Cần xác minh thêm tại thôn", now)?.dossier
        }
        Action::Withdraw => desk.withdraw(code, "Người nộp xin rút hồ sơ", now)?,
        Action::FinancialObligation => desk.request_financial_obligation(code, "Nộp lệ phí trước bạ", now)?,
        Action::FinancialObligationMet => desk.financial_obligation_met(code, now)?,
        Action::Result => desk.record_result(code, "123/TLKH", "UBND xã Hòa An", None, now)?,
        Action::Return => desk.return_result(code, "Hoàng Thị Hường", "004301001234", ReturnChannel::Counter, now)?,
        Action::CloseUnsupplemented => desk.close_unsupplemented(code, now)?,
        Action::CorrectResult => desk.request_correction(code, "Sai năm sinh trên giấy xác nhận", now)?,
        Action::CorrectionDone => desk.correction_done(code, "31a/XNHN", now)?,
    };
    Ok(d.status)
}

const ALL: [Action; 13] = [
    Action::CorrectResult,
    Action::CorrectionDone,
    Action::Handover,
    Action::Supplement,
    Action::SupplementComplete,
    Action::Refuse,
    Action::Extend,
    Action::Withdraw,
    Action::FinancialObligation,
    Action::FinancialObligationMet,
    Action::Result,
    Action::Return,
    Action::CloseUnsupplemented,
];

/// The steps that lead from "received" to each state.
fn path_to(state: Status) -> Vec<Action> {
    use Action::*;
    match state {
        Status::Received => vec![],
        Status::Processing => vec![Handover],
        Status::SupplementRequested => vec![Supplement],
        Status::FinancialObligation => vec![FinancialObligation],
        Status::Processed => vec![Result],
        Status::NotAccepted => vec![Refuse],
        Status::Withdrawn => vec![Withdraw],
        Status::Stopped => vec![Supplement, CloseUnsupplemented],
        Status::Returned => vec![Result, Return],
    }
}

const STATES: [Status; 9] = [
    Status::Received,
    Status::Processing,
    Status::SupplementRequested,
    Status::FinancialObligation,
    Status::Processed,
    Status::NotAccepted,
    Status::Withdrawn,
    Status::Stopped,
    Status::Returned,
];

/// Receives a dossier at `start` and walks it to `state`, steps a day
/// apart so the 15-day supplement wait can pass.
fn reach(desk: &mut Desk, state: Status, start: DateTime<Utc>) -> String {
    let d = desk.receive(&reception("1.004873"), start).unwrap();
    let mut day = 1;
    for step in path_to(state) {
        if step == Action::CloseUnsupplemented {
            day += 16;
        }
        perform(desk, &d.code, step, start + chrono::Duration::days(day)).unwrap();
        day += 1;
    }
    assert_eq!(desk.dossier(&d.code).unwrap().status, state);
    d.code
}

#[test]
fn every_state_allows_exactly_its_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    // Each case gets its own month: a PC never records before its last fact.
    let mut start = vn(2026, 1, 5, 9, 0);
    for state in STATES {
        for action in ALL {
            let code = reach(&mut desk, state, start);
            let events_before = desk.store().count_events().unwrap();
            let allowed = desk.dossier(&code).unwrap().actions().contains(&action);
            let result = perform(&mut desk, &code, action, start + chrono::Duration::days(26));
            start += chrono::Duration::days(31);
            if allowed {
                assert!(result.is_ok(), "{state:?} --{action:?}--> {result:?}");
                assert_eq!(desk.store().count_events().unwrap(), events_before + 1);
            } else {
                let err = result.expect_err("illegal transition");
                assert_eq!(err.code(), "illegal_transition", "{state:?} --{action:?}: {err}");
                assert!(err.to_string().contains("không thể"), "{err}");
                assert_eq!(desk.store().count_events().unwrap(), events_before, "nothing stored");
                assert_eq!(desk.dossier(&code).unwrap().status, state);
            }
        }
    }
}

#[test]
fn full_path_with_supplement_restart_and_return() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    // Thu 12 Feb 2026 09:00, 3 working days → due Tue 24 Feb (Tết 14–22).
    let d = desk.receive(&reception("1.004873"), vn(2026, 2, 12, 9, 0)).unwrap();
    assert_eq!(d.due_at, "2026-02-24T09:00:00+07:00");
    let d = desk
        .handover(
            &d.code,
            "Bộ phận Một cửa",
            "Công chức Tư pháp - Hộ tịch",
            None,
            vn(2026, 2, 12, 10, 0),
        )
        .unwrap();
    assert_eq!((d.status, d.status_code), (Status::Processing, 4));
    let d = desk
        .request_supplement(&d.code, &supplement_input(), vn(2026, 2, 13, 8, 0))
        .unwrap();
    assert_eq!(d.status_code, 5);
    // Waiting for the supplement: the clock is stopped, never overdue.
    let v = desk.show(&d.code, vn(2026, 3, 1, 8, 0)).unwrap();
    assert_eq!(v.timeliness, Timeliness::PendingInTime);
    assert_eq!(
        v.actions,
        vec![
            Action::SupplementComplete,
            Action::Handover,
            Action::Withdraw,
            Action::CloseUnsupplemented
        ]
    );
    // Completed Fri 13 Feb 16:00: 3 working days from zero → Wed 25 Feb 16:00.
    let d = desk.complete_supplement(&d.code, vn(2026, 2, 13, 16, 0)).unwrap();
    assert_eq!(d.due_at, "2026-02-25T16:00:00+07:00");
    assert_eq!(d.status_code, 4);
    // A second supplement request is refused.
    let err = desk
        .request_supplement(&d.code, &supplement_input(), vn(2026, 2, 23, 8, 0))
        .unwrap_err();
    assert_eq!(err.code(), "second_supplement");
    let d = desk
        .record_result(&d.code, "15/TLKH", "UBND xã Hòa An", None, vn(2026, 2, 25, 9, 0))
        .unwrap();
    assert_eq!(d.status_code, 9);
    assert_eq!(d.ended_at.as_deref(), Some("2026-02-25T09:00:00+07:00"));
    let d = desk
        .return_result(
            &d.code,
            "Hoàng Thị Hường",
            "004 301 001 234",
            ReturnChannel::Counter,
            vn(2026, 2, 26, 9, 0),
        )
        .unwrap();
    assert_eq!(d.status_code, 10);
    assert_eq!(d.returned.as_ref().unwrap().id_number, "004301001234");
    let v = desk.show(&d.code, vn(2026, 3, 1, 8, 0)).unwrap();
    // Ended on the due day, before the due time.
    assert_eq!(v.timeliness, Timeliness::OnTime);
    let kinds: Vec<&str> = v.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "received",
            "handed_over",
            "supplement_requested",
            "supplement_completed",
            "result_ready",
            "result_returned"
        ]
    );
    assert_eq!(
        v.actions,
        vec![Action::CorrectResult],
        "only a correction may follow a return"
    );
    // The return needs a valid ID number.
    let other = desk.receive(&reception("1.004873"), vn(2026, 2, 26, 9, 0)).unwrap();
    desk.record_result(&other.code, "16/TLKH", "UBND xã Hòa An", None, vn(2026, 2, 26, 10, 0))
        .unwrap();
    let err = desk.return_result(
        &other.code,
        "Hoàng Thị Hường",
        "123",
        ReturnChannel::Counter,
        vn(2026, 2, 26, 11, 0),
    );
    assert_eq!(err.unwrap_err().code(), "id_length");
}

#[test]
fn extension_once_later_working_day_and_warned_when_late() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    // Received Thu 26 Nov 2026 09:00, 3 working days → Tue 1 Dec 09:00.
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    // An extension in good time (Art. 19(6): one working day before) gives no warning.
    let e = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 30)).unwrap();
    let t = |s: &str| vntime::parse_local("t", "t", s).unwrap();
    let ok = desk
        .extend(&e.code, t("2026-12-04T09:00"), "Xác minh", vn(2026, 11, 30, 16, 0))
        .unwrap();
    assert!(ok.warnings.is_empty(), "Mon 30 Nov is one working day before Tue 1 Dec");
    assert_eq!(ok.dossier.judged_due(), "2026-12-04T09:00:00+07:00");
    assert!(ok.dossier.flags.is_empty());
    assert!(desk
        .extend(&d.code, t("2026-11-30T09:00"), "Xác minh", vn(2026, 11, 30, 16, 5))
        .is_err());
    assert!(
        desk.extend(&d.code, t("2026-12-05T09:00"), "Xác minh", vn(2026, 11, 30, 16, 5))
            .is_err(),
        "Saturday"
    );
    // Asked on the due day itself (Tue 1 Dec 08:00): late → warning, flag,
    // the citizen's new date, but judged by the old one.
    let outcome = desk
        .extend(
            &d.code,
            t("2026-12-04T09:00"),
            "Cần xác minh tại thôn Nà Rụa",
            vn(2026, 12, 1, 8, 0),
        )
        .unwrap();
    assert_eq!(outcome.dossier.due_at, "2026-12-04T09:00:00+07:00");
    assert_eq!(outcome.dossier.judged_due(), "2026-12-01T09:00:00+07:00");
    assert_eq!(outcome.dossier.flags, [Flag::LateExtension]);
    assert_eq!(outcome.warnings.len(), 1, "{:?}", outcome.warnings);
    let ext = outcome.dossier.extension.as_ref().unwrap();
    assert_eq!(ext.previous_due_at, "2026-12-01T09:00:00+07:00");
    let err = desk
        .extend(&d.code, t("2026-12-08T09:00"), "Lần hai", vn(2026, 12, 1, 9, 0))
        .unwrap_err();
    assert_eq!(err.code(), "second_extension");
}

#[test]
fn a_result_with_the_authority_s_error_is_corrected_within_three_working_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    desk.record_result(&d.code, "30/XNHN", "UBND xã Hòa An", None, vn(2026, 11, 27, 9, 0))
        .unwrap();
    desk.return_result(
        &d.code,
        "Nguyễn Thị Hường",
        "004301001234",
        ReturnChannel::Counter,
        vn(2026, 11, 27, 10, 0),
    )
    .unwrap();
    assert_eq!(
        desk.correction_done(&d.code, "x", vn(2026, 11, 27, 11, 0))
            .unwrap_err()
            .code(),
        "illegal_transition"
    );
    // Asked on Fri 27 Nov 14:00 → due Wed 2 Dec 14:00.
    let c = desk
        .request_correction(&d.code, "Ghi sai năm sinh", vn(2026, 11, 27, 14, 0))
        .unwrap();
    assert_eq!(c.correction.as_ref().unwrap().due_at, "2026-12-02T14:00:00+07:00");
    assert_eq!(c.status_code, 10, "the status stays");
    assert_eq!(c.actions(), [Action::CorrectionDone]);
    let c = desk
        .correction_done(&d.code, "30a/XNHN", vn(2026, 12, 1, 9, 0))
        .unwrap();
    assert_eq!(c.result.as_ref().unwrap().number, "30a/XNHN");
    assert_eq!(c.actions(), [Action::CorrectResult]);
}

#[test]
fn closing_an_unsupplemented_dossier_waits_fifteen_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 2, 9, 0)).unwrap();
    desk.request_supplement(&d.code, &supplement_input(), vn(2026, 11, 3, 9, 0))
        .unwrap();
    let err = desk.close_unsupplemented(&d.code, vn(2026, 11, 17, 9, 0)).unwrap_err();
    assert_eq!(err.code(), "supplement_wait_not_over");
    let board = desk.due_board(vn(2026, 11, 16, 9, 0)).unwrap();
    assert_eq!(board.supplement_expiring.len(), 1);
    let d = desk.close_unsupplemented(&d.code, vn(2026, 11, 18, 9, 0)).unwrap();
    assert_eq!((d.status, d.status_code), (Status::Stopped, 8));
    assert!(d.closing_reason.unwrap().contains("15 ngày"));
}

#[test]
fn timeliness_early_on_time_late_and_pending() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let at = |d, h| vn(2026, 11, d, h, 0);
    // Due Tue 1 Dec 09:00 each.
    let early = desk.receive(&reception("1.004873"), at(26, 9)).unwrap();
    let on_time = desk.receive(&reception("1.004873"), at(26, 9)).unwrap();
    let late = desk.receive(&reception("1.004873"), at(26, 9)).unwrap();
    let pending = desk.receive(&reception("1.004873"), at(26, 9)).unwrap();
    desk.record_result(&early.code, "1", "UBND xã", None, at(30, 16))
        .unwrap();
    desk.record_result(&on_time.code, "2", "UBND xã", None, vn(2026, 12, 1, 8, 59))
        .unwrap();
    desk.record_result(&late.code, "3", "UBND xã", None, vn(2026, 12, 1, 9, 1))
        .unwrap();
    let now = vn(2026, 12, 2, 8, 0);
    let t = |c: &str| desk.show(c, now).unwrap().timeliness;
    assert_eq!(t(&early.code), Timeliness::Early);
    assert_eq!(t(&on_time.code), Timeliness::OnTime);
    assert_eq!(t(&late.code), Timeliness::Late);
    assert_eq!(t(&pending.code), Timeliness::PendingOverdue);
    assert_eq!(
        desk.show(&pending.code, at(30, 8)).unwrap().timeliness,
        Timeliness::PendingInTime
    );
    let board = desk.due_board(now).unwrap();
    assert_eq!(board.overdue.len(), 1);
    assert_eq!(board.awaiting_collection.len(), 3);
    let board = desk.due_board(at(30, 8)).unwrap();
    assert_eq!(board.due_tomorrow.len(), 1);
}

/// A damaged row is surfaced, never skipped: a due date that does not read
/// puts the dossier on the board's overdue list, and a supplement time that
/// does not read refuses the 15-day closure instead of skipping the wait.
#[test]
fn unreadable_dates_are_surfaced_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let a = desk.receive(&reception("1.004873"), vn(2026, 11, 2, 9, 0)).unwrap();
    let b = desk.receive(&reception("1.004873"), vn(2026, 11, 2, 9, 5)).unwrap();
    desk.request_supplement(&b.code, &supplement_input(), vn(2026, 11, 3, 9, 0))
        .unwrap();
    let db = common::raw_db(dir.path());
    db.execute(
        "UPDATE dossiers SET data = json_set(data, '$.due_at', 'hỏng') WHERE code = ?1",
        [&a.code],
    )
    .unwrap();
    db.execute(
        "UPDATE dossiers SET data = json_set(data, '$.supplement.requested_at', 'hỏng') WHERE code = ?1",
        [&b.code],
    )
    .unwrap();
    let board = desk.due_board(vn(2026, 11, 3, 10, 0)).unwrap();
    assert_eq!(
        board.overdue.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        [a.code.as_str()]
    );
    assert_eq!(
        board
            .supplement_expiring
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        [b.code.as_str()]
    );
    let err = desk.close_unsupplemented(&b.code, vn(2026, 11, 4, 9, 0)).unwrap_err();
    assert_eq!(err.code(), "bad_time", "{err}");
}
