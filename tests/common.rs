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
