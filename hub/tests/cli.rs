//! `motcua-hub` driven as the provincial admin drives it.

mod common;

use std::process::{Command, Output};

use common::{counter, counter_desk, sync, Hub, OFFICE_A};

fn hub_cli(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .unwrap()
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn admin_commands_and_the_national_portal_export() {
    let hub = Hub::start();
    let url = hub.database_url.clone();
    ok_json(&hub_cli(
        &url,
        &[
            "office",
            "add",
            "--agency-code",
            OFFICE_A,
            "--name",
            "UBND xã Hòa An",
            "--json",
        ],
    ));
    let code = ok_json(&hub_cli(
        &url,
        &["enroll-code", "--office", OFFICE_A, "--counter", "1", "--json"],
    ));
    assert_eq!(code.as_object().unwrap().keys().collect::<Vec<_>>(), ["code"]);
    let code = code["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 14, "{code}");
    // Refusals say what to do and exit non-zero.
    let out = hub_cli(&url, &["enroll-code", "--office", "000.99.99.H56", "--counter", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("office add"));

    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    common::enroll_with(&mut desk, &hub.url(), &code);
    let d = desk
        .receive(&counter::reception("1.004873"), counter::vn(2026, 11, 3, 8, 5))
        .unwrap();
    sync(&mut desk, 50);
    let supplement = hub_cli(
        &url,
        &[
            "dossier",
            &d.code,
            "supplement",
            "--reason",
            "Thiếu giấy xác nhận cư trú",
            "--document",
            "Giấy xác nhận thông tin về cư trú",
            "--json",
        ],
    );
    assert_eq!(ok_json(&supplement)["status_code"], 5);
    // A second supplement is refused by the same rules as at the counter.
    let again = hub_cli(&url, &["dossier", &d.code, "supplement", "--reason", "Lần hai"]);
    assert_eq!(again.status.code(), Some(2));

    let file = dir.path().join("dvcqg.json");
    let f = file.to_str().unwrap();
    // A file that cannot be written marks nothing as exported: the next
    // export still sends every dossier as new (isUpdating false).
    let unwritable = dir.path().join("no-such-folder").join("dvcqg.json");
    let out = hub_cli(
        &url,
        &[
            "export-dvcqg",
            "--since",
            "2026-01-01",
            "--out",
            unwritable.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    ok_json(&hub_cli(
        &url,
        &["export-dvcqg", "--since", "2026-01-01", "--out", f, "--json"],
    ));
    // The connector's envelopes: DongBoHoSoMC with its update flag.
    let batch: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let sync = &batch.as_array().unwrap()[0];
    assert_eq!(sync["service"], "DongBoHoSoMC");
    assert_eq!(sync["isUpdating"], false, "the failed export marked nothing");
    let r = &sync["data"].as_array().unwrap()[0];
    for key in [
        "MaHoSo",
        "MaTTHC",
        "TenTTHC",
        "MaLinhVuc",
        "TenLinhVuc",
        "ChuHoSo",
        "LoaiDoiTuong",
        "MaDoiTuong",
        "SoDienThoai",
        "Email",
        "TrichYeuHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "TrangThaiHoSo",
        "NgayTra",
        "NgayKetThucXuLy",
        "KenhThucHien",
        "HinhThuc",
        "DonViXuLy",
        "TaiLieuNop",
        "DanhSachLePhi",
        "DanhSachHoSoBoSung",
        "DanhSachGiayToKetQua",
    ] {
        assert!(r.get(key).is_some(), "{key} missing");
    }
    assert_eq!(r["MaHoSo"], d.code.as_str());
    assert_eq!(r["NgayTiepNhan"], "20261103080500", "Vietnam time, yyyyMMddHHmmss");
    assert_eq!(r["TrangThaiHoSo"], "5");
    assert_eq!(r["KenhThucHien"], "1");
    assert_eq!(r["HinhThuc"], "0", "the result is picked up at the counter");
    assert_eq!(r["LoaiDoiTuong"], "1");
    assert_eq!(r["MaDoiTuong"], "004301001234");
    let supplement = &r["DanhSachHoSoBoSung"][0];
    assert_eq!(supplement["NoiDungBoSung"], "Thiếu giấy xác nhận cư trú");
    assert_eq!(supplement["TrangThaiBoSung"], "0");
    assert_eq!(supplement["HoSoBoSungId"], format!("{}-BS1", d.code));
    // Sent again, the same dossier travels in an update envelope.
    ok_json(
        &hub_cli(&url, &["export-dvcqg", "--since", "2026-01-01", "--out", f])
            .clone()
            .pipe_ok(),
    );
    let batch: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(batch[0]["service"], "DongBoHoSoMC");
    assert_eq!(batch[0]["isUpdating"], true);
    assert_eq!(batch[0]["data"][0]["MaHoSo"], d.code.as_str());
    // Nothing changed since tomorrow: an empty array.
    // (Tomorrow in Vietnam: the export's days are Vietnam days, and from
    // 17:00 UTC the UTC date is a day behind.)
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    ok_json(&hub_cli(
        &url,
        &["export-dvcqg", "--since", &tomorrow, "--out", f, "--json"],
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), "[]");

    // A calendar file that is not one is refused.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"year\": \"hai nghìn\"}").unwrap();
    let out = hub_cli(&url, &["calendar", "publish", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tệp lịch"));
}

trait PipeOk {
    fn pipe_ok(self) -> Output;
}

impl PipeOk for Output {
    /// Text output (no --json) still succeeds; wrap it as JSON for `ok_json`.
    fn pipe_ok(mut self) -> Output {
        if self.status.success() {
            self.stdout = serde_json::to_vec(&String::from_utf8_lossy(&self.stdout)).unwrap();
        }
        self
    }
}

#[test]
fn the_provinces_figures_for_an_office_cover_every_counter() {
    let hub = Hub::start();
    let url = hub.database_url.clone();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut c1 = counter_desk(d1.path(), OFFICE_A, 1);
    let mut c2 = counter_desk(d2.path(), OFFICE_A, 2);
    common::enroll(&hub, &mut c1, &hub.url());
    common::enroll(&hub, &mut c2, &hub.url());
    for (desk, times) in [
        (
            &mut c1,
            vec![
                counter::vn(2026, 11, 3, 8, 5),
                counter::vn(2026, 11, 3, 9, 0),
                counter::vn(2026, 11, 4, 8, 0),
            ],
        ),
        (
            &mut c2,
            vec![counter::vn(2026, 10, 20, 8, 0), counter::vn(2026, 11, 3, 10, 0)],
        ),
    ] {
        for t in times {
            desk.receive(&counter::reception("1.004873"), t).unwrap();
        }
        sync(desk, 50);
    }
    let now = chrono::Utc::now();
    let (from, to) = ("2026-11-01", "2026-11-30");
    let hub_report = ok_json(&hub_cli(
        &url,
        &["report", "--office", OFFICE_A, "--from", from, "--to", to, "--json"],
    ));
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let counters: Vec<serde_json::Value> = [&c1, &c2]
        .iter()
        .map(|d| serde_json::to_value(d.report(day(from), day(to), now).unwrap()).unwrap())
        .collect();
    // Every count is the sum of the counters' own reports: same rules, whole office.
    for (group, keys) in [
        ("received", &["total", "counter", "post", "online", "carried_over"][..]),
        ("resolved", &["total", "early", "on_time", "late"][..]),
        ("pending", &["total", "within_due", "overdue"][..]),
    ] {
        for key in keys {
            let sum: i64 = counters.iter().map(|r| r[group][key].as_i64().unwrap()).sum();
            assert_eq!(hub_report[group][key].as_i64(), Some(sum), "{group}.{key}");
        }
    }
    assert_eq!(hub_report["received"]["total"], 5, "4 new and 1 carried over");
    assert_eq!(hub_report["received"]["carried_over"], 1);
    assert_eq!(hub_report["pending"]["total"], 5);
    // The hub cannot know what a counter has not sent: 1.4 has no data there.
    assert!(hub_report["indicators"]["1.4"]["value"].is_null());
    assert!(hub_report["indicators"]["1.4"]["no_data"].is_string());

    let text = hub_cli(&url, &["report", "--office", OFFICE_A, "--from", from, "--to", to]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("Kỳ 01/11/2026 – 30/11/2026: nhận 5"));
    let unknown = hub_cli(
        &url,
        &["report", "--office", "000.99.99.H56", "--from", from, "--to", to],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Không có cơ quan 000.99.99.H56"));
    let backwards = hub_cli(&url, &["report", "--office", OFFICE_A, "--from", to, "--to", from]);
    assert_eq!(backwards.status.code(), Some(2));
}

/// The province's IT admin lists the counters' PCs and revokes a lost one;
/// every admin command is in the log with who ran it.
#[test]
fn devices_are_listed_and_revoked_and_admin_commands_logged() {
    let hub = Hub::start();
    let url = hub.database_url.clone();
    let as_admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--actor", "Lò Văn Tỉnh", "--json"]);
        ok_json(&hub_cli(&url, &all))
    };
    as_admin(&["office", "add", "--agency-code", OFFICE_A, "--name", "UBND xã Hòa An"]);
    let code = as_admin(&["enroll-code", "--office", OFFICE_A, "--counter", "1"])["code"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    common::enroll_with(&mut desk, &hub.url(), &code);
    sync(&mut desk, 50);
    let id = desk.office().unwrap().device_id;

    let list = as_admin(&["device", "list", "--office", OFFICE_A]);
    let row = &list.as_array().unwrap()[0];
    assert_eq!(row["device_id"], id.as_str());
    assert_eq!(
        (row["counter"].as_u64(), row["state"].as_str()),
        (Some(1), Some("active"))
    );
    assert!(
        row["last_seen_at"].is_string() && row["expires_at"].is_string(),
        "{row}"
    );
    let text = hub_cli(&url, &["device", "list"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("đang dùng"));

    let revoked = as_admin(&["device", "revoke", &id]);
    assert_eq!(revoked["state"], "revoked");
    assert_eq!(revoked["revoked_by"], "Lò Văn Tỉnh");
    let again = hub_cli(&url, &["device", "revoke", &id]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã bị thu hồi"));
    let report = sync(&mut desk, 50);
    assert!(report.error.unwrap().message.contains("thu hồi"));

    let log = as_admin(&["admin-log"]);
    let commands: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands, ["device revoke", "enroll-code", "office add"]);
    assert!(log.as_array().unwrap().iter().all(|r| r["actor"] == "Lò Văn Tỉnh"));
    // The enrollment code itself is a secret: the log does not keep it.
    assert!(!log.to_string().contains(&code));
    // Without --actor, the OS user is who ran it.
    let out = hub_cli(
        &url,
        &[
            "office",
            "add",
            "--agency-code",
            "000.18.22.H56",
            "--name",
            "UBND xã Nguyên Bình",
        ],
    );
    assert!(out.status.success());
    let newest = &as_admin(&["admin-log", "--limit", "1"])[0];
    assert_eq!(newest["command"], "office add");
    assert_ne!(newest["actor"], "Lò Văn Tỉnh");
}
