//! Every lifecycle form rendered, read back as text and checked for its key
//! fields; a form for a step not yet taken is refused.

mod common;

use common::{desk_in, qr_of, reception, vn};
use motcua::desk::{Desk, SupplementInput};
use motcua::dossier::lifecycle::ReturnChannel;
use motcua::dossier::DocumentInput;
use motcua::print::{Form, Paper};
use unicode_normalization::UnicodeNormalization;

/// The receiving unit of the test office (post-2025: the commune's centre
/// under the commune's People's Committee).
const UNIT: &str = "Trung tâm Phục vụ hành chính công xã Hòa An";

/// Every form's header: the parent body over the unit, never the old fixed
/// "Bộ phận Một cửa".
fn assert_header(text: &str) {
    assert!(text.contains("ỦY BAN NHÂN DÂN XÃ HÒA AN"), "no parent body: {text}");
    assert!(
        text.contains("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ HÒA AN"),
        "no unit: {text}"
    );
    assert!(
        !text.to_lowercase().contains("bộ phận một cửa"),
        "fixed unit name: {text}"
    );
}

fn text_of(desk: &mut Desk, form: Form, code: &str, dir: &std::path::Path) -> String {
    let out = dir.join(format!("{}.pdf", form.key()));
    let printed = desk
        .print_form(form, code, Some(&out), None, Paper::A4, 1, vn(2026, 12, 3, 10, 0))
        .unwrap();
    assert!(printed.pages >= 1);
    assert_eq!(qr_of(&out), code, "{form:?} carries the look-up QR");
    let doc = lopdf::Document::load(&out).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    // Lines wrap anywhere: compare with white space folded.
    let text: String = doc.extract_text(&pages).unwrap().nfc().collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_header(&text);
    text
}

#[test]
fn supplement_extension_control_and_return_forms() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    let code = d.code.clone();
    assert_eq!(
        desk.print_form(
            Form::Supplement,
            &code,
            None,
            None,
            Paper::A4,
            1,
            vn(2026, 11, 26, 9, 5)
        )
        .unwrap_err()
        .code(),
        "form_not_applicable"
    );
    desk.handover(
        &code,
        UNIT,
        "Công chức Tư pháp - Hộ tịch",
        None,
        vn(2026, 11, 26, 10, 0),
    )
    .unwrap();
    let input = SupplementInput {
        reason: "Thiếu giấy xác nhận cư trú".into(),
        documents: vec![DocumentInput {
            name: "Giấy xác nhận thông tin về cư trú".into(),
            form: "original".into(),
            count: 1,
        }],
    };
    desk.request_supplement(&code, &input, vn(2026, 11, 27, 9, 0)).unwrap();
    let text = text_of(&mut desk, Form::Supplement, &code, dir.path());
    for needle in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Giấy xác nhận thông tin về cư trú",
        "Thiếu giấy xác nhận cư trú",
        "Nguyễn Thị Hường",
        "NGƯỜI HƯỚNG DẪN",
        "15 ngày",
        "số điện thoại 02063852123",
    ] {
        assert!(text.contains(needle), "supplement lacks {needle}: {text}");
    }
    desk.complete_supplement(&code, vn(2026, 11, 30, 9, 0)).unwrap();
    let t = |s: &str| motcua::vntime::parse_local("t", "t", s).unwrap();
    desk.extend(
        &code,
        t("2026-12-08T09:00"),
        "Cần xác minh tại thôn Nà Rụa",
        vn(2026, 12, 1, 9, 0),
    )
    .unwrap();
    let text = text_of(&mut desk, Form::Extension, &code, dir.path());
    assert!(!text.contains("/XL"), "the apology slip has its own number: {text}");
    for needle in [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Số: 01/PXL",
        &format!("Mã hồ sơ: {code}"),
        "Kính gửi: Ông/Bà Nguyễn Thị Hường",
        "Cần xác minh tại thôn Nà Rụa",
        "ngày 08 tháng 12 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
    ] {
        assert!(text.contains(needle), "extension lacks {needle}: {text}");
    }
    desk.record_result(&code, "25/XNHN", "UBND xã Hòa An", None, vn(2026, 12, 2, 9, 0))
        .unwrap();
    // The result goes back with a one-day deadline for the counter's step;
    // a step deadline past the dossier's due day is refused.
    let back = |step_due: &str| motcua::dossier::ActionRequest::Handover {
        from: "Công chức Tư pháp - Hộ tịch".into(),
        to: UNIT.into(),
        note: Some("Kèm kết quả".into()),
        step_due: Some(step_due.into()),
    };
    assert_eq!(
        desk.perform(&code, &back("2026-12-31"), vn(2026, 12, 2, 10, 0))
            .unwrap_err()
            .code(),
        "bad_step_due"
    );
    desk.perform(&code, &back("2026-12-03"), vn(2026, 12, 2, 10, 0))
        .unwrap();
    let text = text_of(&mut desk, Form::Control, &code, dir.path());
    for needle in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Giao: Trung tâm Phục vụ hành chính công xã Hòa An",
        "Nhận: Công chức Tư pháp - Hộ tịch",
        "Kèm kết quả",
        "Hạn xử lý: 03/12/2026",
        "Cơ quan phối hợp giải quyết:",
        "Trước hạn",
        "3. Giao:",
    ] {
        assert!(text.contains(needle), "control lacks {needle}: {text}");
    }
    desk.return_result(
        &code,
        "Nguyễn Thị Hường",
        "004301001234",
        ReturnChannel::Counter,
        vn(2026, 12, 3, 9, 30),
    )
    .unwrap();
    let text = text_of(&mut desk, Form::Return, &code, dir.path());
    for needle in [
        "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "25/XNHN",
        "UBND xã Hòa An",
        "004301001234",
        "Tại Trung tâm Phục vụ hành chính công xã Hòa An",
        "NGƯỜI NHẬN KẾT QUẢ",
        "Trước hạn",
    ] {
        assert!(text.contains(needle), "return lacks {needle}: {text}");
    }
    // A reprint is marked and archived beside the first.
    let again = desk
        .print_form(Form::Return, &code, None, None, Paper::A4, 1, vn(2026, 12, 3, 11, 0))
        .unwrap();
    assert_eq!(again.print_no, 2);
    let doc = lopdf::Document::load_mem(&desk.read_archived(std::path::Path::new(&again.archived)).unwrap()).unwrap();
    assert!(doc.extract_text(&[1]).unwrap().contains("Bản in lại lần 1"));
}

#[test]
fn refusal_and_stop_forms() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let a = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    desk.refuse(
        &a.code,
        "Người yêu cầu không cư trú tại xã; hồ sơ thuộc thẩm quyền nơi cư trú",
        vn(2026, 11, 26, 9, 30),
    )
    .unwrap();
    let text = text_of(&mut desk, Form::Refusal, &a.code, dir.path());
    for needle in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "không cư trú tại xã",
        "Nguyễn Thị Hường",
    ] {
        assert!(text.contains(needle), "refusal lacks {needle}: {text}");
    }
    assert_eq!(
        desk.print_form(Form::Stop, &a.code, None, None, Paper::A4, 1, vn(2026, 11, 26, 10, 0))
            .unwrap_err()
            .code(),
        "form_not_applicable"
    );
    let b = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 10, 30)).unwrap();
    desk.withdraw(
        &b.code,
        "Người nộp xin rút hồ sơ để bổ sung giấy tờ khác",
        vn(2026, 11, 27, 8, 0),
    )
    .unwrap();
    let text = text_of(&mut desk, Form::Stop, &b.code, dir.path());
    for needle in [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Theo đề nghị của Ông/Bà",
        "xin rút hồ sơ",
    ] {
        assert!(text.contains(needle), "stop lacks {needle}: {text}");
    }
    // Refused by the deciding body after it was accepted: not Mẫu 03 but
    // the stop notice, saying who refused.
    let c = desk.receive(&reception("1.004873"), vn(2026, 11, 27, 9, 0)).unwrap();
    desk.handover(
        &c.code,
        UNIT,
        "Công chức Tư pháp - Hộ tịch",
        None,
        vn(2026, 11, 27, 10, 0),
    )
    .unwrap();
    let refused = desk
        .refuse(&c.code, "Người yêu cầu đã kết hôn ở nơi khác", vn(2026, 11, 28, 9, 0))
        .unwrap();
    assert_eq!(refused.status_code, 8);
    assert_eq!(
        desk.print_form(
            Form::Refusal,
            &c.code,
            None,
            None,
            Paper::A4,
            1,
            vn(2026, 11, 28, 10, 0)
        )
        .unwrap_err()
        .code(),
        "form_not_applicable"
    );
    let text = text_of(&mut desk, Form::Stop, &c.code, dir.path());
    for needle in [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Cơ quan có thẩm quyền từ chối giải quyết hồ sơ",
        "đã kết hôn ở nơi khác",
    ] {
        assert!(text.contains(needle), "stop after refusal lacks {needle}: {text}");
    }
    assert!(Form::parse("fax").is_err());
}

#[test]
fn tracking_book_as_pdf_and_xlsx_read_back() {
    use calamine::{Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let a = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    desk.handover(
        &a.code,
        UNIT,
        "Công chức Tư pháp - Hộ tịch",
        None,
        vn(2026, 11, 26, 10, 0),
    )
    .unwrap();
    desk.record_result(&a.code, "1/XN", "UBND xã Hòa An", None, vn(2026, 11, 27, 9, 0))
        .unwrap();
    desk.handover(
        &a.code,
        "Công chức Tư pháp - Hộ tịch",
        UNIT,
        None,
        vn(2026, 11, 27, 10, 0),
    )
    .unwrap();
    let b = desk.receive(&reception("2.000815"), vn(2026, 11, 27, 14, 0)).unwrap();
    desk.return_result(
        &a.code,
        "Nguyễn Thị Hường",
        "004301001234",
        ReturnChannel::Counter,
        vn(2026, 11, 30, 8, 0),
    )
    .unwrap();
    let outside = desk.receive(&reception("2.000815"), vn(2026, 12, 1, 9, 0)).unwrap();
    let now = vn(2026, 12, 1, 10, 0);

    let xlsx = dir.path().join("so.xlsx");
    assert_eq!(
        desk.tracking_book(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            &xlsx,
            now
        )
        .unwrap(),
        2
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "SỔ THEO DÕI HỒ SƠ");
    assert_eq!(cell(3, 1), "Mã hồ sơ");
    assert_eq!(cell(3, 3), "Số lượng hồ sơ (bộ)");
    assert_eq!(cell(4, 3), "1");
    assert_eq!(cell(4, 0), "01/2026/0001");
    assert_eq!(cell(4, 1), a.code);
    assert_eq!(cell(4, 4), "Nguyễn Thị Hường");
    assert_eq!(cell(4, 7), "26/11/2026 09:00");
    assert_eq!(cell(4, 8), "01/12/2026 09:00");
    assert_eq!(cell(4, 9), "26/11/2026 10:00");
    assert_eq!(cell(4, 10), "27/11/2026 10:00");
    assert_eq!(cell(4, 11), "30/11/2026 08:00");
    assert!(cell(4, 13).contains("Trước hạn"), "{}", cell(4, 13));
    assert_eq!(cell(5, 1), b.code);
    assert_eq!(cell(6, 1), "", "{} is outside the period", outside.code);

    let pdf = dir.path().join("so.pdf");
    desk.tracking_book(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        &pdf,
        now,
    )
    .unwrap();
    let doc = lopdf::Document::load(&pdf).unwrap();
    let page = doc.get_pages()[&1];
    let media = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert!(media[2].as_float().unwrap() > media[3].as_float().unwrap(), "landscape");
    let text: String = doc
        .extract_text(&[1])
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("SỔ THEO DÕI HỒ SƠ") && text.contains(&a.code) && text.contains(&b.code),
        "{text}"
    );
    let bad = desk.tracking_book(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        &dir.path().join("so.doc"),
        now,
    );
    assert_eq!(bad.unwrap_err().code(), "bad_extension");
}

#[test]
fn the_office_sets_its_own_form_texts_and_a_broken_set_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut desk = desk_in(&data, 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    drop(desk);
    let cli = |args: &[&str]| {
        common::motcua_as_admin(env!("CARGO_BIN_EXE_motcua"), &data)
            .args(args)
            .output()
            .unwrap()
    };
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{"label": "Chữ riêng của xã Hòa An", "forms": {"receipt": {"title": "GIẤY BIÊN NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"}}}"#,
    )
    .unwrap();
    let out = cli(&["forms", "set", good.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let layer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (layer["layer"].as_str(), layer["version"].as_i64()),
        (Some("office"), Some(1))
    );
    // A set with a typo in a key and an unknown placeholder: refused with both reasons.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"{"label": "Sai", "forms": {"receipt": {"titel": "X", "intro": "{ofice} nhận hồ sơ"}}}"#,
    )
    .unwrap();
    let out = cli(&["forms", "set", broken.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "form_texts_invalid");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("titel") && message.contains("{ofice}") && message.contains("vẫn dùng bộ đang có"),
        "{message}"
    );
    let shown: serde_json::Value = serde_json::from_slice(&cli(&["forms", "show", "--json"]).stdout).unwrap();
    assert_eq!(shown.as_array().unwrap().len(), 1);
    assert_eq!(
        shown[0]["label"], "Chữ riêng của xã Hòa An",
        "the broken set replaced nothing"
    );
    let mut desk = common::open_desk(&data);
    let text = text_of(&mut desk, Form::Receipt, &d.code, dir.path());
    assert!(text.contains("GIẤY BIÊN NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), "{text}");
    assert!(
        text.contains("1. Thành phần hồ sơ nộp gồm:"),
        "the other texts are the shipped ones"
    );
}
