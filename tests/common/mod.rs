//! Shared set-up for the integration tests: real data folders on disk.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use motcua::desk::Desk;
use motcua::dossier::{ApplicantInput, DocumentInput, ReceptionInput};
use motcua::office::OfficeSetup;

pub fn setup(counter: i64) -> OfficeSetup {
    OfficeSetup {
        office_name: "Trung tâm Phục vụ hành chính công xã Hòa An".into(),
        agency_code: "000.17.22.H56".into(),
        place: "Hòa An".into(),
        counter,
        clerks: vec!["Nông Thị Lan".into(), "Hoàng Văn Minh".into()],
        ..OfficeSetup::default()
    }
}

/// A Vietnam wall-clock time as the UTC instant the core takes.
pub fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap() - chrono::Duration::hours(7)
}

pub fn desk_in(dir: &std::path::Path, counter: i64) -> Desk {
    let mut desk = Desk::open(dir).unwrap();
    desk.init(&setup(counter), vn(2026, 11, 2, 8, 0)).unwrap();
    desk
}

pub fn reception(procedure: &str) -> ReceptionInput {
    ReceptionInput {
        procedure_code: procedure.into(),
        applicant: ApplicantInput {
            full_name: "Nguyễn Thị Hường".into(),
            id_number: "004301001234".into(),
            date_of_birth: "2001-02-02".into(),
            sex: "Nữ".into(),
            phone: Some("0912 345 678".into()),
            email: None,
            address: "Tổ 5, phường Thục Phán, tỉnh Cao Bằng".into(),
        },
        documents: vec![DocumentInput {
            name: "Tờ khai theo mẫu".into(),
            form: "original".into(),
            count: 1,
        }],
        sets: 1,
        channel: "counter".into(),
        note: None,
        fees: None,
    }
}

/// Renders page `page` of a PDF with poppler and decodes its QR code with zbar.
pub fn qr_on_page(pdf: &std::path::Path, page: u32) -> String {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let p = page.to_string();
    let ok = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg(&prefix)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/setup");
    assert!(ok.success());
    let png = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/setup");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn qr_of(pdf: &std::path::Path) -> String {
    qr_on_page(pdf, 1)
}

/// The text of a PDF as poppler's pdftotext reads it.
pub fn pdftotext(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    String::from_utf8(out.stdout).unwrap()
}
