//! The `motcua` binary driven as scripts and admins drive it.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn motcua(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // A counter PC left on another zone must still record Vietnam time.
    cmd.env("TZ", "America/New_York");
    let mut child = cmd.spawn().expect("motcua runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn init(dir: &Path) {
    let out = motcua(
        dir,
        &[
            "init",
            "--office-name",
            "UBND xã Hòa An",
            "--agency-code",
            "000.17.22.H56",
            "--place",
            "Hòa An",
            "--counter",
            "1",
            "--clerk",
            "Nông Thị Lan",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
    assert!(!out.status.success());
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
    init(dir.path());
    let d = json(&motcua(dir.path(), &["receive", "--input", "-", "--json"], Some(INPUT)));
    let code = d["code"].as_str().unwrap().to_string();
    let supplement = r#"{"reason": "Thiếu bản chính để đối chiếu", "documents": [{"name": "Giấy khai sinh", "form": "original", "count": 1}]}"#;
    let v = json(&motcua(
        dir.path(),
        &["supplement", &code, "--input", "-", "--json"],
        Some(supplement),
    ));
    assert_eq!(v["status_code"], 5);
    assert_eq!(v["timeliness"], "pending_in_time");
    let v = json(&motcua(dir.path(), &["supplement-complete", &code, "--json"], None));
    assert_eq!(v["status_code"], 4);
    let out = motcua(dir.path(), &["supplement", &code, "--input", "-"], Some(supplement));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("một lần"));
    json(&motcua(
        dir.path(),
        &[
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
    assert!(v["due_at"].as_str().unwrap().ends_with("+07:00"));
    assert!(["early", "on_time", "late"].contains(&v["timeliness"].as_str().unwrap()));
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 6);
    // Refusing a returned dossier is refused.
    let out = motcua(dir.path(), &["refuse", &code, "--reason", "x"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không thể"));
    let board = json(&motcua(dir.path(), &["board", "--json"], None));
    assert!(board["overdue"].is_array());
}

#[test]
fn sync_commands_have_the_documented_shapes_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let status = json(&motcua(dir.path(), &["sync", "status", "--json"], None));
    let keys: Vec<&str> = status.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["cursor", "last_success_at", "pending", "rejected"]);
    assert_eq!(status["pending"], 0);
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
    // No hub listening: the enrollment fails with a network code, nothing is stored.
    let out = motcua(
        dir.path(),
        &[
            "enroll",
            "--hub",
            "http://127.0.0.1:9",
            "--code",
            "AAAA-BBBB-CCCC",
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "hub_unreachable");
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("dùng thử"));

    let dir = tempfile::tempdir().unwrap();
    let init = [
        "--now",
        "2026-11-02T07:30",
        "init",
        "--training",
        "--office-name",
        "UBND xã Dùng Thử",
        "--agency-code",
        "000.17.22.H56",
        "--place",
        "Hòa An",
        "--counter",
        "1",
        "--clerk",
        "Nông Thị Lan",
        "--json",
    ];
    assert_eq!(json(&motcua(dir.path(), &init, None))["training"], true);
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
