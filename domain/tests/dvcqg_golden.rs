//! The national portal export, byte for byte: dossiers built by the
//! rulebook itself (a citizen's with a supplement and hand-overs, an
//! organisation's by post with a certified-copy fee and its result) go
//! through `dvcqg::batch`, and the JSON must equal the golden file.
//! `UPDATE_GOLDEN=1 cargo test -p motcua-domain --test dvcqg_golden`
//! rewrites it after a deliberate change — read the diff before committing.

use chrono::TimeZone;
use motcua_domain::calendar::{Calendar, CalendarData, OfficeHours};
use motcua_domain::catalog;
use motcua_domain::dossier::rules::{decide, receive, Numbering, Stamp};
use motcua_domain::dossier::{ActionRequest, Dossier, ReceptionInput, SupplementInput};
use motcua_domain::office::OfficeSetup;
use motcua_domain::vntime::{self, VnTime};
use uuid::Uuid;

fn at(d: u32, h: u32, m: u32) -> VnTime {
    vntime::zone().with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
}

fn stamp(n: u128, t: VnTime) -> Stamp {
    Stamp {
        event_id: Uuid::from_u128(n),
        actor: "Nông Thị Lan (lan.nt)".into(),
        device: "pc-1".into(),
        at: t,
    }
}

fn dossier(input: serde_json::Value, code: &str, n: u128, t: VnTime, seq: Option<u32>) -> Dossier {
    let office = OfficeSetup {
        office_name: "Trung tâm Phục vụ hành chính công xã Hòa An".into(),
        agency_code: "000.17.22.H56".into(),
        place: "Hòa An".into(),
        counter: 1,
        ..OfficeSetup::default()
    }
    .validate("pc-1".into())
    .unwrap();
    let mut procedure = catalog::bundled()
        .unwrap()
        .procedures
        .into_iter()
        .find(|p| p.code == code)
        .unwrap();
    // An example national field code: the export carries what the catalog gives.
    procedure.field_code = Some("G13-TP02".into());
    let input: ReceptionInput = serde_json::from_value(input).unwrap();
    let valid = input.validate(t.date_naive()).unwrap();
    let calendar = Calendar::new(CalendarData::bundled(), OfficeHours::default());
    let numbering = Numbering {
        last_seq_today: seq,
        last_book_number: seq,
    };
    let event = receive(
        &valid,
        &procedure,
        3,
        &office,
        "Nông Thị Lan",
        numbering,
        &calendar,
        Uuid::from_u128(n),
        &stamp(n, t),
    )
    .unwrap();
    Dossier::apply(None, &event).unwrap()
}

fn then(d: Dossier, request: ActionRequest, n: u128, t: VnTime) -> Dossier {
    let calendar = Calendar::new(CalendarData::bundled(), OfficeHours::default());
    decide(&d, &request, &calendar, &stamp(n, t)).unwrap().dossier
}

#[test]
fn the_export_matches_the_golden_file() {
    let citizen = dossier(
        serde_json::json!({
            "procedure_code": "1.004873",
            "applicant": {"full_name": "Nguyễn Thị Hường", "id_number": "004301001234", "date_of_birth": "2001-02-02",
                          "sex": "Nữ", "phone": "0912 345 678", "address": "Tổ 5, phường Thục Phán, tỉnh Cao Bằng"},
            "documents": [{"name": "Tờ khai", "form": "original", "count": 1}]
        }),
        "1.004873",
        1,
        at(23, 8, 5),
        None,
    );
    let citizen = then(
        citizen,
        ActionRequest::Handover {
            from: "Trung tâm Phục vụ hành chính công xã Hòa An".into(),
            to: "Công chức Tư pháp - Hộ tịch".into(),
            note: None,
            step_due: Some("2026-11-25".into()),
        },
        2,
        at(23, 9, 0),
    );
    let citizen = then(
        citizen,
        ActionRequest::Supplement(SupplementInput {
            reason: "Thiếu giấy xác nhận cư trú".into(),
            documents: vec![motcua_domain::dossier::DocumentInput {
                name: "Giấy xác nhận thông tin về cư trú".into(),
                form: "original".into(),
                count: 1,
            }],
        }),
        3,
        at(24, 10, 0),
    );
    // Each progress step carries the status right after it (4, then 5 with
    // the supplement request open, then 9 once the result is in), not the
    // dossier's status now.
    let back = |from: &str, to: &str| ActionRequest::Handover {
        from: from.into(),
        to: to.into(),
        note: None,
        step_due: None,
    };
    let citizen = then(
        citizen,
        back(
            "Công chức Tư pháp - Hộ tịch",
            "Trung tâm Phục vụ hành chính công xã Hòa An",
        ),
        4,
        at(24, 10, 30),
    );
    let organisation = dossier(
        serde_json::json!({
            "procedure_code": "2.000815",
            "applicant": {"kind": "organisation", "name": "Hợp tác xã Nông nghiệp Trùng Khánh", "tax_code": "4800123456",
                          "address": "Xóm Pác Rằng, xã Trùng Khánh", "representative": {"full_name": "Lương Văn Hùng", "position": "Giám đốc"}},
            "documents": [{"name": "Bản sao cần chứng thực", "form": "copy", "count": 2}],
            "fee_counts": [{"copies": 2, "pages": 5}],
            "result_delivery": "post",
            "delivery_address": "Số 5, phố Kim Đồng, phường Thục Phán"
        }),
        "2.000815",
        10,
        at(23, 9, 30),
        Some(1),
    );
    let organisation = then(
        organisation,
        ActionRequest::Result {
            number: "15/CT".into(),
            issuer: "UBND xã Hòa An".into(),
            issued_on: Some("2026-11-23".into()),
        },
        11,
        at(23, 10, 0),
    );
    let organisation = then(
        organisation,
        back(
            "Công chức Tư pháp - Hộ tịch",
            "Trung tâm Phục vụ hành chính công xã Hòa An",
        ),
        12,
        at(23, 10, 15),
    );
    let batch = motcua_domain::dvcqg::batch(&[(citizen, false), (organisation, true)]);
    let text = serde_json::to_string_pretty(&batch).unwrap() + "\n";
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/dvcqg-export.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).expect("the golden file (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(text, expected, "the export changed: compare with {}", golden.display());
}
