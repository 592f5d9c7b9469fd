//! The `motcua` binary driven as scripts and admins drive it.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary on a data folder, run as the office's first admin (the
/// account `init_with` creates), as scripts run it.
fn cli(dir: &Path) -> Command {
    let mut cmd = common::motcua_as_admin(env!("CARGO_BIN_EXE_motcua"), dir);
    // A counter PC left on another zone must still record Vietnam time.
    cmd.env("TZ", "America/New_York");
    cmd
}

fn motcua(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = cli(dir);
    cmd.args(args);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("motcua runs");
    if let Some(input) = stdin {
        // A command that refuses before reading its input (no office here)
        // closes the pipe first: that is its answer, not the test's failure.
        match child.stdin.take().unwrap().write_all(input.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.unwrap(),
        }
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Sets up an office; `before` comes first (e.g. `--now T`), `after` last
/// (e.g. `--training`, `--json`). Returns what `init` printed.
fn init_with(dir: &Path, before: &[&str], after: &[&str]) -> Output {
    let mut args: Vec<&str> = before.to_vec();
    args.extend([
        "init",
        "--office-name",
        "UBND xã Hòa An",
        "--agency-code",
        "000.17.22.H56",
        "--place",
        "Hòa An",
        "--counter",
        "1",
        "--admin",
        "admin",
        "--admin-name",
        "Nông Thị Lan",
    ]);
    args.extend_from_slice(after);
    let out = motcua(dir, &args, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn init(dir: &Path) {
    init_with(dir, &[], &[]);
}

/// A training office, set up at `now` (only training offices take `--now`).
fn init_training(dir: &Path, now: &str) {
    init_with(dir, &["--now", now], &["--training"]);
}

const INPUT: &str = r#"{"procedure_code": "2.000815",
 "applicant": {"full_name": "Hoàng Thị Hường", "id_number": "004301001234", "date_of_birth": "2001-02-02",
   "sex": "Nữ", "phone": "0912345678", "email": null, "address": "Xã Hòa An, tỉnh Cao Bằng"},
 "documents": [{"name": "Bản sao giấy khai sinh", "form": "copy", "count": 2}],
 "sets": 1, "channel": "counter", "note": "Khách cần gấp"}"#;

#[test]
fn receive_show_search_list_and_print() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let d = json(&motcua(dir.path(), &["receive", "--input", "-", "--json"], Some(INPUT)));
    let code = d["code"].as_str().unwrap().to_string();
    assert!(code.starts_with("000.17.22.H56-"));
    assert!(code.ends_with("-0001"));
    assert!(d["received_at"].as_str().unwrap().ends_with("+07:00"));
    assert!(d["due_at"].as_str().unwrap().ends_with("+07:00"));
    // The code's date is the Vietnam date of the receipt.
    let received = chrono::DateTime::parse_from_rfc3339(d["received_at"].as_str().unwrap()).unwrap();
    assert_eq!(&code[14..20], received.format("%y%m%d").to_string());

    let shown = json(&motcua(dir.path(), &["show", &code, "--json"], None));
    assert_eq!(shown["applicant"]["full_name"], "Hoàng Thị Hường");
    assert_eq!(shown["events"][0]["kind"], "received");
    let found = json(&motcua(dir.path(), &["search", "hoang thi huong", "--json"], None));
    assert_eq!(found[0]["code"], code.as_str());
    let listed = json(&motcua(
        dir.path(),
        &["list", "--json", "--date", &received.format("%Y-%m-%d").to_string()],
        None,
    ));
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let pdf = dir.path().join("out.pdf");
    let printed = json(&motcua(
        dir.path(),
        &[
            "print",
            "receipt",
            &code,
            "--out",
            pdf.to_str().unwrap(),
            "--a5",
            "--copies",
            "2",
            "--json",
        ],
        None,
    ));
    assert_eq!(printed["pages"], 2);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn bad_input_exits_non_zero_with_a_vietnamese_message() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let bad = INPUT.replace("004301001234", "00430100123");
    let out = motcua(dir.path(), &["receive", "--input", "-"], Some(&bad));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Số định danh cá nhân phải có đúng 12 chữ số"), "{err}");
    assert!(out.stdout.is_empty());
    let out = motcua(dir.path(), &["receive", "--input", "-", "--json"], Some("{not json"));
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["error"]["code"], "input_json");
    let out = motcua(dir.path(), &["show", "000.17.22.H56-261126-0999"], None);
    assert_eq!(out.status.code(), Some(3), "a dossier that does not exist: exit code 3");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Không tìm thấy hồ sơ"));
    let empty = tempfile::tempdir().unwrap();
    let out = motcua(empty.path(), &["receive", "--input", "-"], Some(INPUT));
    assert!(String::from_utf8_lossy(&out.stderr).contains("motcua init"));
}

#[test]
fn id_qr_parse_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&motcua(
        dir.path(),
        &[
            "id-qr",
            "parse",
            "004090012345|085123456|Nông Văn Dũng|15031990|Nam|Tổ 5, phường Thục Phán, Cao Bằng|01072021",
            "--json",
        ],
        None,
    ));
    assert_eq!(
        v,
        serde_json::json!({
            "id_number": "004090012345", "old_id_number": "085123456", "full_name": "Nông Văn Dũng",
            "date_of_birth": "1990-03-15", "sex": "Nam", "address": "Tổ 5, phường Thục Phán, Cao Bằng",
            "issued_on": "2021-07-01"
        })
    );
    let v = json(&motcua(
        dir.path(),
        &[
            "id-qr",
            "parse",
            "004301001234||Hoàng Thị Hường|02022001|Nữ|Hòa An|10102024",
            "--json",
        ],
        None,
    ));
    assert_eq!(v["old_id_number"], serde_json::Value::Null);
    assert_eq!(v["sex"], "Nữ");
    let out = motcua(dir.path(), &["id-qr", "parse", "garbage"], None);
    assert!(!out.status.success());
}

#[test]
fn due_calendar_and_lunar_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let due = |args: &[&str]| {
        let mut all = vec!["due", "--json"];
        all.extend_from_slice(args);
        json(&motcua(dir.path(), &all, None))
    };
    assert_eq!(
        due(&["--received", "2026-02-13T09:00", "--working-days", "1"]),
        serde_json::json!({"due_at": "2026-02-23T09:00"})
    );
    assert_eq!(
        due(&["--received", "2026-11-26T15:10", "--same-day"])["due_at"],
        "2026-11-27T17:00"
    );
    assert_eq!(
        due(&["--received", "2026-11-26T10:00", "--hours", "4"])["due_at"],
        "2026-11-26T16:00"
    );
    assert_eq!(
        due(&["--received", "2026-11-26T09:00", "--calendar-days", "2"])["due_at"],
        "2026-11-30T17:00"
    );
    let out = motcua(dir.path(), &["due", "--received", "26/11/2026", "--same-day"], None);
    assert!(!out.status.success());

    let cal = json(&motcua(dir.path(), &["calendar", "show", "2026", "--json"], None));
    assert_eq!(cal["year"], 2026);
    assert_eq!(cal["tet"], "2026-02-17");
    let off: Vec<&str> = cal["days_off"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    for d in [
        "2026-01-01",
        "2026-01-02",
        "2026-02-17",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-09-02",
        "2026-11-24",
    ] {
        assert!(off.contains(&d), "{d} in {off:?}");
    }
    assert_eq!(cal["working_days"][0]["date"], "2026-01-10");
    assert!(cal["days_off"][0]["source"].as_str().unwrap().len() > 5);

    let l = json(&motcua(dir.path(), &["lunar", "2023-03-22", "--json"], None));
    assert_eq!(l, serde_json::json!({"day": 1, "month": 2, "year": 2023, "leap": true}));
}

#[test]
fn calendar_overrides_change_due_dates() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let out = motcua(
        dir.path(),
        &[
            "calendar",
            "set-off",
            "2026-11-27",
            "--reason",
            "Bão lũ, nghỉ theo lệnh tỉnh",
        ],
        None,
    );
    assert!(out.status.success());
    let v = json(&motcua(
        dir.path(),
        &["due", "--json", "--received", "2026-11-26T09:00", "--working-days", "1"],
        None,
    ));
    assert_eq!(v["due_at"], "2026-11-30T09:00");
    assert!(motcua(dir.path(), &["calendar", "unset", "2026-11-27"], None)
        .status
        .success());
    let v = json(&motcua(
        dir.path(),
        &["due", "--json", "--received", "2026-11-26T09:00", "--working-days", "1"],
        None,
    ));
    assert_eq!(v["due_at"], "2026-11-27T09:00");
}

#[test]
fn lifecycle_commands_and_show_shape() {
    let dir = tempfile::tempdir().unwrap();
    init_training(dir.path(), "2026-11-02T07:30");
    // Mon 2 Nov 09:00, a same-day procedure: due at 17:00.
    let d = json(&motcua(
        dir.path(),
        &["--now", "2026-11-02T09:00", "receive", "--input", "-", "--json"],
        Some(INPUT),
    ));
    let code = d["code"].as_str().unwrap().to_string();
    assert_eq!(d["due_at"], "2026-11-02T17:00:00+07:00");
    let supplement = r#"{"reason": "Thiếu bản chính để đối chiếu", "documents": [{"name": "Giấy khai sinh", "form": "original", "count": 1}]}"#;
    let v = json(&motcua(
        dir.path(),
        &[
            "--now",
            "2026-11-02T09:30",
            "supplement",
            &code,
            "--input",
            "-",
            "--json",
        ],
        Some(supplement),
    ));
    assert_eq!(v["status_code"], 5);
    assert_eq!(v["timeliness"], "pending_in_time");
    assert_eq!(v["flags"], serde_json::json!([]));
    let v = json(&motcua(
        dir.path(),
        &["--now", "2026-11-02T10:00", "supplement-complete", &code, "--json"],
        None,
    ));
    assert_eq!(v["status_code"], 4);
    assert_eq!(
        v["due_at"], "2026-11-02T17:00:00+07:00",
        "restarted from zero, same day"
    );
    let out = motcua(
        dir.path(),
        &["--now", "2026-11-02T10:01", "supplement", &code, "--input", "-"],
        Some(supplement),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("một lần"));
    json(&motcua(
        dir.path(),
        &[
            "--now",
            "2026-11-02T10:05",
            "handover",
            &code,
            "--from",
            "Bộ phận Một cửa",
            "--to",
            "Công chức Tư pháp",
            "--json",
        ],
        None,
    ));
    json(&motcua(
        dir.path(),
        &[
            "--now",
            "2026-11-02T11:00",
            "result",
            &code,
            "--number",
            "12/CT",
            "--issuer",
            "UBND xã Hòa An",
            "--json",
        ],
        None,
    ));
    let v = json(&motcua(
        dir.path(),
        &[
            "--now",
            "2026-11-02T11:30",
            "return",
            &code,
            "--to",
            "Hoàng Thị Hường",
            "--id-number",
            "004301001234",
            "--json",
        ],
        None,
    ));
    assert_eq!(v["status_code"], 10);
    assert_eq!(v["ended_at"], "2026-11-02T11:00:00+07:00");
    assert_eq!(v["timeliness"], "on_time", "ended on the due day before 17:00");
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 6);
    // Refusing a returned dossier is refused.
    let out = motcua(
        dir.path(),
        &["--now", "2026-11-02T12:00", "refuse", &code, "--reason", "x"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không thể"));
    let board = json(&motcua(
        dir.path(),
        &["--now", "2026-11-02T12:00", "board", "--json"],
        None,
    ));
    assert_eq!(board["overdue"], serde_json::json!([]));
    assert_eq!(
        board["awaiting_collection"],
        serde_json::json!([]),
        "returned, not waiting"
    );
}

#[test]
fn sync_commands_have_the_documented_shapes_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let status = json(&motcua(dir.path(), &["sync", "status", "--json"], None));
    let keys: Vec<&str> = status.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["cursor", "last_success_at", "pending", "rejected"]);
    // Setting up is two office facts (settings, first admin) for the hub.
    assert_eq!(status["pending"], 2);
    assert_eq!(status["cursor"], 0);
    assert!(status["last_success_at"].is_null());
    // Not enrolled: its own exit code and a message that says what to do.
    let out = motcua(dir.path(), &["sync", "--json"], None);
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cài đặt"));
    // A bad hub address is refused before any network.
    let out = motcua(
        dir.path(),
        &["enroll", "--hub", "motcua.caobang", "--code", "X", "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "hub_url_invalid");
    // A plain http:// hub is refused before any network, unless asked for
    // (tests on one machine).
    let enroll = |hub: &str, extra: &[&str]| {
        let mut args = vec!["enroll", "--hub", hub, "--code", "AAAA-BBBB-CCCC", "--json"];
        args.extend_from_slice(extra);
        let out = motcua(dir.path(), &args, None);
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        (
            out.status.code(),
            err["error"]["code"].as_str().unwrap_or_default().to_string(),
        )
    };
    assert_eq!(enroll("http://127.0.0.1:9", &[]), (Some(2), "hub_url_insecure".into()));
    assert_eq!(enroll("HTTP://127.0.0.1:9", &[]), (Some(2), "hub_url_insecure".into()));
    // No hub listening: the enrollment fails with a network code, nothing is stored.
    assert_eq!(enroll("https://127.0.0.1:9", &[]), (Some(1), "hub_unreachable".into()));
    assert_eq!(
        enroll("http://127.0.0.1:9", &["--insecure-http"]),
        (Some(1), "hub_unreachable".into())
    );
    let out = motcua(dir.path(), &["sync"], None);
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn training_offices_replay_time_with_now_and_mark_every_form() {
    // A real office refuses --now.
    let real = tempfile::tempdir().unwrap();
    init(real.path());
    let out = motcua(real.path(), &["--now", "2026-11-20T09:00", "list", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "now_needs_training");
    assert!(err["error"]["message"].as_str().unwrap().contains("dùng thử"));
    let out = motcua(
        real.path(),
        &[
            "demo-data",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-06",
            "--dossiers",
            "5",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a real register never takes invented dossiers"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("dùng thử"));
    assert_eq!(
        json(&motcua(real.path(), &["list", "--json"], None)),
        serde_json::json!([])
    );

    let dir = tempfile::tempdir().unwrap();
    let made = init_with(dir.path(), &["--now", "2026-11-02T07:30"], &["--training", "--json"]);
    assert_eq!(json(&made)["training"], true);
    let d = json(&motcua(
        dir.path(),
        &["--now", "2026-11-20T09:00", "receive", "--input", "-", "--json"],
        Some(INPUT),
    ));
    assert_eq!(d["received_at"], "2026-11-20T09:00:00+07:00");
    assert!(d["code"].as_str().unwrap().contains("-261120-"));
    let code = d["code"].as_str().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    let out = motcua(
        dir.path(),
        &[
            "--now",
            "2026-11-20T09:01",
            "print",
            "receipt",
            code,
            "--out",
            pdf.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = common::pdftotext(&pdf);
    assert_eq!(
        text.matches("BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ").count(),
        2,
        "top and bottom of the page"
    );
    // It never syncs.
    let out = motcua(
        dir.path(),
        &["enroll", "--hub", "http://127.0.0.1:9", "--code", "X", "--json"],
        None,
    );
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "training_no_sync");
}

/// The two ways the on-time figure could be bent (issue 10), replayed in a
/// training office: each dossier stays late, and says why.
#[test]
fn a_late_extension_or_late_supplement_request_leaves_a_late_dossier_late() {
    let dir = tempfile::tempdir().unwrap();
    init_training(dir.path(), "2026-10-05T07:30");
    let at = |now: &'static str, args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        all.push("--json");
        motcua(dir.path(), &all, stdin)
    };
    // 3 working days: received Mon 5 Oct 09:00 → due Thu 8 Oct 09:00.
    let three_days = INPUT.replace("2.000815", "1.004873");
    let a = json(&at("2026-10-05T09:00", &["receive", "--input", "-"], Some(&three_days)));
    let b = json(&at("2026-10-05T09:05", &["receive", "--input", "-"], Some(&three_days)));
    let (a, b) = (a["code"].as_str().unwrap(), b["code"].as_str().unwrap());

    // A: the extension is recorded on Mon 12 Oct, after the due date.
    let out = at(
        "2026-10-12T09:00",
        &["extend", a, "--new-due", "2026-10-16T09:00", "--reason", "Cần xác minh"],
        None,
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Điều 19"),
        "the clerk is told"
    );
    let v = json(&out);
    assert_eq!(
        v["due_at"], "2026-10-16T09:00:00+07:00",
        "the citizen's new appointment"
    );
    assert_eq!(v["judged_due_at"], "2026-10-08T09:00:00+07:00");
    assert_eq!(v["flags"], serde_json::json!(["late_extension"]));
    // B: the supplement request comes on Tue 13 Oct, after the due date.
    let supplement = r#"{"reason": "Thiếu giấy xác nhận cư trú", "documents": [{"name": "Giấy xác nhận cư trú", "form": "original", "count": 1}]}"#;
    let v = json(&at(
        "2026-10-13T09:00",
        &["supplement", b, "--input", "-"],
        Some(supplement),
    ));
    assert_eq!(v["flags"], serde_json::json!(["late_supplement_request"]));
    assert_eq!(v["timeliness"], "pending_overdue", "the clock did not stop");

    let v = json(&at(
        "2026-10-14T09:00",
        &["result", a, "--number", "1/XN", "--issuer", "UBND xã"],
        None,
    ));
    assert_eq!(v["timeliness"], "late");
    json(&at("2026-10-14T10:00", &["supplement-complete", b], None));
    let v = json(&at(
        "2026-10-16T09:00",
        &["result", b, "--number", "2/XN", "--issuer", "UBND xã"],
        None,
    ));
    assert_eq!(v["timeliness"], "late");
    assert_eq!(
        v["due_at"], "2026-10-19T10:00:00+07:00",
        "new appointment after completion"
    );

    let r = json(&at(
        "2026-11-01T08:00",
        &["report", "--from", "2026-10-01", "--to", "2026-10-31"],
        None,
    ));
    assert_eq!(r["resolved"]["total"], 2);
    assert_eq!(r["resolved"]["late"], 2);
    assert_eq!(r["resolved"]["early"], 0);
    assert_eq!(r["on_time_rate"], 0.0);
    assert_eq!(
        r["flags"],
        serde_json::json!({"late_extension": 1, "late_supplement_request": 1, "clock_suspect": 0})
    );
}

#[test]
fn a_clock_set_back_is_refused_for_every_action() {
    let dir = tempfile::tempdir().unwrap();
    init_training(dir.path(), "2026-11-02T07:30");
    let d = json(&motcua(
        dir.path(),
        &["--now", "2026-11-02T10:00", "receive", "--input", "-", "--json"],
        Some(INPUT),
    ));
    let code = d["code"].as_str().unwrap();
    for args in [
        vec!["refuse", code, "--reason", "Không thuộc thẩm quyền"],
        vec!["handover", code, "--from", "Một cửa", "--to", "Tư pháp"],
        vec!["receive", "--input", "-"],
    ] {
        let mut all = vec!["--now", "2026-11-02T09:59", "--json"];
        all.extend(args.iter().copied());
        let out = motcua(dir.path(), &all, Some(INPUT));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], "clock_behind", "{args:?}");
        assert!(err["error"]["message"].as_str().unwrap().contains("chỉnh lại ngày giờ"));
    }
    let v = json(&motcua(
        dir.path(),
        &["--now", "2026-11-02T10:00", "show", code, "--json"],
        None,
    ));
    assert_eq!(v["events"].as_array().unwrap().len(), 1, "nothing was stored");
}

#[test]
fn a_folder_with_no_office_is_not_taken_for_an_empty_office() {
    let parent = tempfile::tempdir().unwrap();
    let wrong = parent.path().join("khong-co");
    for args in [
        vec!["list"],
        vec!["board", "--json"],
        vec!["sync", "status"],
        vec!["report", "--from", "2026-11-01", "--to", "2026-11-30"],
    ] {
        let out = motcua(&wrong, &args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("không có dữ liệu cơ quan"), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    assert!(!wrong.exists(), "nothing was created there");
    // An empty folder that exists stays empty too.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(motcua(empty.path(), &["list"], None).status.code(), Some(1));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    // The pure commands answer anywhere and create nothing.
    for args in [
        vec!["due", "--received", "2026-11-26T09:00", "--working-days", "1"],
        vec!["calendar", "show", "2026"],
        vec!["lunar", "2026-02-17"],
        vec![
            "id-qr",
            "parse",
            "004301001234||Nguyễn Thị Hường|02022001|Nữ|Tổ 5, Cao Bằng|01012022",
        ],
    ] {
        let out = motcua(&wrong, &args, None);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(!wrong.exists());
}

#[test]
fn print_out_goes_to_standard_output_and_into_special_files() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let d = json(&motcua(dir.path(), &["receive", "--input", "-", "--json"], Some(INPUT)));
    let code = d["code"].as_str().unwrap();
    // `--out -`: the PDF itself on standard output, nothing else there.
    let out = motcua(dir.path(), &["print", "receipt", code, "--out", "-"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&out.stdout).trim_end().ends_with("%%EOF"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Đã lưu"));
    // A FIFO is written into, and stays a FIFO.
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = motcua(
        dir.path(),
        &["print", "receipt", code, "--out", fifo.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(reader.join().unwrap().starts_with(b"%PDF-"));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A device is written into, never replaced by a regular file.
    let out = motcua(dir.path(), &["print", "receipt", code, "--out", "/dev/null"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // A folder is refused with what to do.
    let out = motcua(
        dir.path(),
        &[
            "print",
            "receipt",
            code,
            "--out",
            dir.path().to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "out_is_folder");
}

#[test]
fn a_print_system_that_fails_is_not_shown_as_no_printers() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let bin = tempfile::tempdir().unwrap();
    let lpstat = bin.path().join("lpstat");
    std::fs::write(
        &lpstat,
        "#!/bin/sh\necho 'lpstat: Scheduler is not running.' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&lpstat, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let out = cli(dir.path())
        .args(["printers", "--json"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "print_system_unavailable");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Scheduler is not running"));
    // No print system at all says so too.
    let out = cli(dir.path())
        .args(["printers", "--json"])
        .env("PATH", bin.path().join("nowhere"))
        .output()
        .unwrap();
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "print_system_missing");
}
