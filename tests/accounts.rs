//! Accounts, roles and the locked identity, on real data folders and
//! through the real binary: who may do what, wrong passwords and the lock,
//! the last admin, the agency code and counter that cannot change once a
//! code was issued, and every change of the office in the chain.

mod common;

use std::path::Path;
use std::process::Output;

use common::{desk_in, open_desk, reception, vn, ADMIN_PASSWORD};
use motcua::accounts::NewAccount;
use motcua::desk::Desk;
use motcua::dossier::ActionRequest;

const CLERK_PASSWORD: &str = "tiếp-nhận-2026";
const LEADER_PASSWORD: &str = "lãnh-đạo-xã-2026";

fn account(login: &str, name: &str, role: &str, password: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        full_name: name.into(),
        roles: vec![role.into()],
        password: password.into(),
    }
}

/// An office with its admin, a clerk `lan.nt` and a leader `minh.hv`.
fn office_with_staff(dir: &Path) -> Desk {
    let mut desk = desk_in(dir, 1);
    let at = vn(2026, 11, 2, 7, 0);
    desk.add_user(&account("lan.nt", "Lương Thị Lan", "clerk", CLERK_PASSWORD), at)
        .unwrap();
    desk.add_user(&account("minh.hv", "Hoàng Văn Minh", "leader", LEADER_PASSWORD), at)
        .unwrap();
    desk
}

#[track_caller]
fn forbidden(r: motcua::error::Result<()>) {
    match r {
        Err(e) => assert_eq!(e.code(), "forbidden", "{e}"),
        Ok(()) => panic!("allowed"),
    }
}

fn signed_in(dir: &Path, login: &str, password: &str) -> Desk {
    Desk::unlock(dir, login, password, vn(2026, 11, 2, 7, 30)).unwrap()
}

/// An open desk (the window's) whose user locked it: the lock screen.
fn locked_screen(dir: &Path) -> Desk {
    let mut desk = open_desk(dir);
    desk.sign_out();
    desk
}

#[test]
fn each_role_does_its_own_work_and_no_more() {
    let dir = tempfile::tempdir().unwrap();
    drop(office_with_staff(dir.path()));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let at = vn(2026, 11, 3, 9, 0);

    // A clerk receives and carries the dossier on; the event names them.
    let mut clerk = signed_in(dir.path(), "lan.nt", CLERK_PASSWORD);
    let d = clerk.receive(&reception("1.004873"), at).unwrap();
    assert_eq!(d.received_by, "Lương Thị Lan");
    let request = ActionRequest::Handover {
        from: "Bộ phận Một cửa".into(),
        to: "Tư pháp".into(),
        note: None,
        step_due: None,
    };
    clerk.perform(&d.code, &request, vn(2026, 11, 3, 9, 5)).unwrap();
    let view = clerk.show(&d.code, at).unwrap();
    assert!(
        view.events.iter().all(|e| e.actor == "Lương Thị Lan (lan.nt)"),
        "{:?}",
        view.events
    );
    assert!(clerk.due_board(at).is_ok());
    assert_eq!(clerk.received_on(day).unwrap().len(), 1);
    // … but reads no reports and administers nothing.
    forbidden(clerk.report(day, day, at).map(drop));
    forbidden(clerk.tracking_book(day, day, &dir.path().join("so.xlsx"), at).map(drop));
    forbidden(clerk.users().map(drop));
    forbidden(
        clerk
            .add_user(&account("x.y", "Người Mới", "admin", "mật-khẩu-dài"), at)
            .map(drop),
    );
    forbidden(clerk.set_password("admin", "chiếm-quyền-quản-trị", at).map(drop));
    forbidden(clerk.set_calendar_day(day, None, "", at).map(drop));
    forbidden(clerk.audit(None).map(drop));
    forbidden(clerk.set_day_end("16:00").map(drop));
    forbidden(clerk.set_idle_lock_minutes(5).map(drop));
    forbidden(clerk.office_history(10).map(drop));
    // Their own password they may change.
    clerk
        .set_password("lan.nt", "mật-khẩu-mới-của-lan", vn(2026, 11, 3, 9, 10))
        .unwrap();
    drop(clerk);

    // A leader reads every report, and still administers nothing.
    let leader = signed_in(dir.path(), "minh.hv", LEADER_PASSWORD);
    assert_eq!(leader.report(day, day, at).unwrap().received.total, 1);
    leader.tracking_book(day, day, &dir.path().join("so.xlsx"), at).unwrap();
    forbidden(leader.users().map(drop));
    forbidden(leader.audit(None).map(drop));
    drop(leader);

    // Nobody signed in may do nothing at all.
    let nobody = locked_screen(dir.path());
    // … and a sealed folder does not even open without a password.
    assert_eq!(Desk::open(dir.path()).err().unwrap().code(), "not_signed_in");
    assert_eq!(nobody.dossier(&d.code).unwrap_err().code(), "not_signed_in");
    assert_eq!(nobody.due_board(at).unwrap_err().code(), "not_signed_in");

    // The admin's history names who changed what.
    let admin = open_desk(dir.path());
    let history = admin.office_history(10).unwrap();
    assert!(history
        .iter()
        .any(|r| r.what.contains("lan.nt") && r.actor == "Nông Thị Lan (admin)"));
    assert!(history
        .iter()
        .any(|r| r.what == "Đặt mật khẩu mới cho lan.nt" && r.actor == "Lương Thị Lan (lan.nt)"));
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let dir = tempfile::tempdir().unwrap();
    drop(office_with_staff(dir.path()));
    let mut desk = locked_screen(dir.path());
    let t0 = vn(2026, 11, 3, 9, 0);
    for i in 0..4 {
        let err = desk
            .sign_in("lan.nt", "sai", t0 + chrono::Duration::seconds(i))
            .unwrap_err();
        assert_eq!(err.code(), "sign_in_failed");
    }
    let err = desk
        .sign_in("lan.nt", "sai", t0 + chrono::Duration::seconds(5))
        .unwrap_err();
    assert_eq!(err.code(), "account_locked");
    assert!(err.to_string().contains("09 giờ 15"), "{err}");
    // Locked: even the right password waits.
    let err = desk
        .sign_in("lan.nt", CLERK_PASSWORD, vn(2026, 11, 3, 9, 10))
        .unwrap_err();
    assert_eq!(err.code(), "account_locked");
    // An unknown login is told the same as a wrong password.
    assert_eq!(
        desk.sign_in("khong.co", "sai", t0).unwrap_err().code(),
        "sign_in_failed"
    );
    // After 15 minutes the right password works, and the count starts again.
    desk.sign_in("lan.nt", CLERK_PASSWORD, vn(2026, 11, 3, 9, 16)).unwrap();

    // The lock is an event in the trail; the admin sees it and may lift it early.
    for i in 0..5 {
        let _ = desk.sign_in("lan.nt", "sai", vn(2026, 11, 3, 10, 0) + chrono::Duration::seconds(i));
    }
    let mut admin = open_desk(dir.path());
    let listed = admin.users().unwrap();
    let lan = listed.iter().find(|a| a.login == "lan.nt").unwrap();
    assert!(lan.locked_until.is_some());
    let history = admin.office_history(20).unwrap();
    assert!(
        history.iter().any(|r| r.what.contains("Khóa tài khoản lan.nt")),
        "{history:?}"
    );
    admin.unlock_user("lan.nt", vn(2026, 11, 3, 10, 1)).unwrap();
    desk.sign_in("lan.nt", CLERK_PASSWORD, vn(2026, 11, 3, 10, 2)).unwrap();
    // A reset by the admin works the same way.
    admin
        .set_password("lan.nt", "mật-khẩu-do-quản-trị-đặt", vn(2026, 11, 3, 10, 3))
        .unwrap();
    assert_eq!(
        desk.sign_in("lan.nt", CLERK_PASSWORD, vn(2026, 11, 3, 10, 4))
            .unwrap_err()
            .code(),
        "sign_in_failed"
    );
    desk.sign_in("lan.nt", "mật-khẩu-do-quản-trị-đặt", vn(2026, 11, 3, 10, 5))
        .unwrap();
    assert!(admin.audit(None).unwrap().ok);
}

#[test]
fn a_disabled_account_cannot_sign_in_and_the_last_admin_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = office_with_staff(dir.path());
    let at = vn(2026, 11, 3, 9, 0);
    admin.set_user_enabled("lan.nt", false, at).unwrap();
    let mut desk = locked_screen(dir.path());
    assert_eq!(
        desk.sign_in("lan.nt", CLERK_PASSWORD, at).unwrap_err().code(),
        "account_disabled"
    );
    admin.set_user_enabled("lan.nt", true, at).unwrap();
    desk.sign_in("lan.nt", CLERK_PASSWORD, at).unwrap();
    // The only admin cannot be disabled: nobody could administer the office.
    let err = admin.set_user_enabled("admin", false, at).unwrap_err();
    assert_eq!(err.code(), "last_admin");
    admin
        .add_user(&account("quan.tri2", "Đàm Văn Hai", "admin", "quản-trị-thứ-hai"), at)
        .unwrap();
    admin.set_user_enabled("admin", false, at).unwrap();
    // Disabling oneself signs one out.
    assert_eq!(admin.users().unwrap_err().code(), "not_signed_in");
    let mut admin = signed_in(dir.path(), "quan.tri2", "quản-trị-thứ-hai");
    // Passwords: at least 8 characters; logins unique; roles known.
    let short = admin.add_user(&account("ngan", "Người Ngắn", "clerk", "1234567"), at);
    let short = short.unwrap_err();
    assert_eq!(
        short.fields().first().and_then(|f| f.field.as_deref()),
        Some("password"),
        "{short:?}"
    );
    let taken = admin.add_user(&account("LAN.NT", "Trùng Tên", "clerk", "mật-khẩu-dài"), at);
    assert_eq!(taken.unwrap_err().code(), "login_taken");
    let role = admin.add_user(&account("a.b", "Vai Lạ", "giám đốc", "mật-khẩu-dài"), at);
    assert!(role.is_err());
}

#[test]
fn the_agency_code_and_counter_are_locked_once_a_code_was_issued() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let at = vn(2026, 11, 3, 9, 0);
    let mut setup = common::setup(1);
    // Before any code: the counter may still be corrected.
    setup.counter = 2;
    assert_eq!(desk.update_office(&setup, at).unwrap().counter, 2);
    desk.receive(&reception("1.004873"), at).unwrap();
    // After: neither the counter nor the agency code moves …
    setup.counter = 3;
    assert_eq!(desk.update_office(&setup, at).unwrap_err().code(), "identity_locked");
    setup.counter = 2;
    setup.agency_code = "000.18.22.H56".into();
    let err = desk.update_office(&setup, at).unwrap_err();
    assert_eq!(err.code(), "identity_locked");
    assert!(err.to_string().contains("thư mục dữ liệu"), "{err}");
    // … while the name and hours may.
    setup.agency_code = "000.17.22.H56".into();
    setup.place = "xã Hòa An".into();
    assert_eq!(desk.update_office(&setup, at).unwrap().place, "xã Hòa An");
    assert!(desk.audit(None).unwrap().ok);
}

// ---- through the binary ---------------------------------------------------------

fn run(dir: &Path, user: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("MOTCUA_USER").env_remove("MOTCUA_PASSWORD");
    if let Some((login, password)) = user {
        cmd.env("MOTCUA_USER", login).env("MOTCUA_PASSWORD", password);
    }
    cmd.stdin(std::process::Stdio::null());
    cmd.output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_cli_signs_in_for_every_command_but_the_pure_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // init makes the first admin; the password from MOTCUA_PASSWORD.
    let mut init = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
    init.arg("--data-dir").arg(p).args([
        "init",
        "--office-name",
        "Trung tâm Phục vụ hành chính công xã Hòa An",
        "--parent-name",
        "Ủy ban nhân dân xã Hòa An",
        "--phone",
        "0206 3852 123",
        "--email",
        "TTPVHCC.HoaAn@CaoBang.gov.vn",
        "--address",
        "Tổ 1, xã Hòa An, tỉnh Cao Bằng",
        "--agency-code",
        "000.17.22.H56",
        "--place",
        "Hòa An",
        "--counter",
        "1",
        "--admin",
        "quantri",
        "--admin-name",
        "Hoàng Văn Minh",
    ]);
    // No password and no terminal: refused, nothing set up.
    init.env_remove("MOTCUA_PASSWORD").stdin(std::process::Stdio::null());
    let refused = init.output().unwrap();
    assert_ne!(refused.status.code(), Some(0));
    init.env("MOTCUA_PASSWORD", ADMIN_PASSWORD);
    assert!(init.output().unwrap().status.success());
    let admin = Some(("quantri", ADMIN_PASSWORD));

    // The pure commands need nobody.
    for pure in [
        vec!["due", "--received", "2026-11-02T09:00", "--working-days", "3"],
        vec!["lunar", "2026-02-17"],
        vec!["calendar", "show", "2026"],
        vec![
            "id-qr",
            "parse",
            "004301001234||Hoàng Thị Hường|02022001|Nữ|Tổ 5, Cao Bằng|10102024",
        ],
    ] {
        let out = run(p, None, &pure);
        assert!(
            out.status.success(),
            "{pure:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Everything else: 8 without a user, with a wrong password, for a locked or disabled account.
    let out = run(p, None, &["list", "--json"]);
    assert_eq!(code(&out), 8);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not_signed_in");
    assert!(err["error"]["message"].as_str().unwrap().contains("MOTCUA_USER"));
    assert_eq!(code(&run(p, Some(("quantri", "sai-mật-khẩu")), &["list"])), 8);

    // The admin adds a clerk (new password from MOTCUA_NEW_PASSWORD).
    let mut add = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
    add.arg("--data-dir").arg(p).args([
        "user",
        "add",
        "--login",
        "lan.nt",
        "--name",
        "Nông Thị Lan",
        "--role",
        "clerk",
        "--json",
    ]);
    add.env("MOTCUA_USER", "quantri")
        .env("MOTCUA_PASSWORD", ADMIN_PASSWORD)
        .env("MOTCUA_NEW_PASSWORD", CLERK_PASSWORD);
    let added = ok_json(&add.output().unwrap());
    assert_eq!(added["login"], "lan.nt");
    assert!(added.get("password_hash").is_none());
    let list = ok_json(&run(p, admin, &["user", "list", "--json"]));
    let logins: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["lan.nt", "quantri"]);
    let keys: Vec<&str> = list[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["created_at", "disabled", "full_name", "locked_until", "login", "roles"]
    );
    assert_eq!(list[0]["roles"], serde_json::json!(["clerk"]));

    // The clerk: 9 for what the role may not do.
    let clerk = Some(("lan.nt", CLERK_PASSWORD));
    assert!(run(p, clerk, &["list", "--json"]).status.success());
    for admin_only in [
        vec!["user", "list"],
        vec!["office", "set", "--place", "Nơi khác"],
        vec!["office", "history"],
        vec!["audit", "verify"],
        vec!["report", "--from", "2026-11-01", "--to", "2026-11-30"],
    ] {
        let out = run(p, clerk, &admin_only);
        assert_eq!(
            code(&out),
            9,
            "{admin_only:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Disabled: 8.
    assert!(run(p, admin, &["user", "disable", "lan.nt"]).status.success());
    assert_eq!(code(&run(p, clerk, &["list"])), 8);
    assert!(run(p, admin, &["user", "enable", "lan.nt"]).status.success());
    assert!(run(p, clerk, &["list"]).status.success());
    // Five wrong passwords lock the account (8); the admin unlocks it.
    for _ in 0..5 {
        assert_eq!(code(&run(p, Some(("lan.nt", "sai-mật-khẩu")), &["list"])), 8);
    }
    let locked = run(p, clerk, &["list", "--json"]);
    assert_eq!(code(&locked), 8);
    assert!(String::from_utf8_lossy(&locked.stderr).contains("account_locked"));
    assert!(run(p, admin, &["user", "unlock", "lan.nt"]).status.success());
    assert!(run(p, clerk, &["list"]).status.success());
    // The lock happened while the data was closed; it is in the trail since.
    let history = ok_json(&run(p, admin, &["office", "history", "--json"]));
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["what"].as_str().unwrap().starts_with("Khóa tài khoản lan.nt")),
        "{history}"
    );
    // A new password set by the admin.
    let mut reset = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
    reset.arg("--data-dir").arg(p).args(["user", "password", "lan.nt"]);
    reset
        .env("MOTCUA_USER", "quantri")
        .env("MOTCUA_PASSWORD", ADMIN_PASSWORD)
        .env("MOTCUA_NEW_PASSWORD", "mật-khẩu-mới-2026");
    assert!(reset.output().unwrap().status.success());
    assert_eq!(code(&run(p, clerk, &["list"])), 8);
    assert!(run(p, Some(("lan.nt", "mật-khẩu-mới-2026")), &["list"])
        .status
        .success());

    // office show / set, and the history of it all.
    let office = ok_json(&run(p, admin, &["office", "show", "--json"]));
    assert_eq!(office["agency_code"], "000.17.22.H56");
    assert_eq!(office["parent_name"], "Ủy ban nhân dân xã Hòa An");
    assert_eq!(office["phone"], "02063852123");
    assert_eq!(office["email"], "ttpvhcc.hoaan@caobang.gov.vn");
    assert_eq!(office["address"], "Tổ 1, xã Hòa An, tỉnh Cao Bằng");
    let changed = ok_json(&run(
        p,
        admin,
        &[
            "office",
            "set",
            "--place",
            "xã Hòa An",
            "--phone",
            "0912 000 111",
            "--email",
            "",
            "--json",
        ],
    ));
    assert_eq!(changed["place"], "xã Hòa An");
    assert_eq!(changed["phone"], "0912000111");
    assert_eq!(changed["email"], serde_json::Value::Null, "\"\" clears a setting");
    assert_eq!(
        changed["parent_name"], "Ủy ban nhân dân xã Hòa An",
        "unchanged when not given"
    );
    let bad = run(p, admin, &["office", "set", "--phone", "12345", "--json"]);
    assert_eq!(code(&bad), 2);
    let err: serde_json::Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(err["error"]["code"], "bad_phone", "{err}");
    let history = ok_json(&run(p, admin, &["office", "history", "--json"]));
    let rows = history.as_array().unwrap();
    assert!(rows.len() >= 8, "{history}");
    assert!(rows.iter().all(|r| r["actor"].as_str().unwrap().ends_with(')')));
    let audit = ok_json(&run(p, admin, &["audit", "verify", "--json"]));
    assert_eq!(audit["ok"], true);
}

#[test]
fn an_identity_change_after_the_first_code_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    drop(desk_in(dir.path(), 1));
    let admin = Some(("admin", ADMIN_PASSWORD));
    assert!(run(dir.path(), admin, &["office", "set", "--counter", "2"])
        .status
        .success());
    let mut desk = open_desk(dir.path());
    // After the CLI's own (real-clock) fact.
    desk.receive(&reception("1.004873"), chrono::Utc::now()).unwrap();
    drop(desk);
    let out = run(
        dir.path(),
        admin,
        &["office", "set", "--agency-code", "000.18.22.H56", "--json"],
    );
    assert_eq!(code(&out), 1);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "identity_locked");
    let office = ok_json(&run(dir.path(), admin, &["office", "show", "--json"]));
    assert_eq!(
        (office["agency_code"].as_str(), office["counter"].as_u64()),
        (Some("000.17.22.H56"), Some(2))
    );
}
