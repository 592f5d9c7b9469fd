//! The receipt PDF, read back: text, layout facts and the QR code.

mod common;

use common::{desk_in, qr_of, reception, vn};
use motcua::print::Paper;
use unicode_normalization::UnicodeNormalization;

fn pdf_text(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).expect("a valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages.iter().map(|p| doc.extract_text(&[*p]).expect("text")).collect()
}

#[test]
fn receipt_reads_back_with_code_name_due_date_and_qr() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let mut input = reception("1.004873");
    // Typed in NFD (as some keyboards send it): the PDF must carry NFC.
    input.applicant.full_name = "Nguyễn Thị Hường".nfd().collect();
    let d = desk.receive(&input, vn(2026, 11, 26, 9, 30)).unwrap();
    let out = dir.path().join("receipt.pdf");
    let printed = desk
        .print_receipt(&d.code, Some(&out), None, Paper::A4, 2, vn(2026, 11, 26, 9, 31))
        .unwrap();
    assert_eq!(printed.pages, 2);
    assert_eq!(printed.print_no, 1);
    let bytes = std::fs::read(&out).unwrap();
    let sealed = std::fs::read(&printed.archived).unwrap();
    assert!(printed.archived.ends_with(".pdf.enc"), "{}", printed.archived);
    assert!(!sealed.starts_with(b"%PDF"), "the archive is sealed");
    assert_eq!(
        bytes,
        desk.read_archived(std::path::Path::new(&printed.archived)).unwrap(),
        "archive holds the same PDF"
    );
    assert!(bytes.len() < 200_000, "fonts are subset: {} bytes", bytes.len());
    let pages = pdf_text(&bytes);
    assert_eq!(pages.len(), 2);
    let nfc_name: String = "Nguyễn Thị Hường".nfc().collect();
    for (page, copy) in pages.iter().zip(["Liên 1: Lưu", "Liên 2: Giao người nộp"]) {
        let text: String = page.nfc().collect();
        assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), "{text}");
        assert!(text.contains("000.17.22.H56-261126-0001"));
        assert!(text.contains(&nfc_name), "{text}");
        assert!(
            text.contains("09 giờ 30 phút, ngày 01 tháng 12 năm 2026"),
            "due date: {text}"
        );
        assert!(text.contains("03 ngày làm việc"));
        assert!(text.contains("Nông Thị Lan"));
        assert!(text.contains(copy));
        assert!(!text.contains("Bản in lại"));
    }
    assert_eq!(qr_of(&out), "000.17.22.H56-261126-0001");
}

#[test]
fn a5_reprint_is_marked_and_archived_separately() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("2.000815"), vn(2026, 11, 26, 9, 30)).unwrap();
    let first = desk
        .print_receipt(&d.code, None, None, Paper::A5, 1, vn(2026, 11, 26, 9, 31))
        .unwrap();
    let again = desk
        .print_receipt(&d.code, None, None, Paper::A5, 1, vn(2026, 11, 27, 8, 0))
        .unwrap();
    assert_ne!(first.archived, again.archived);
    assert_eq!(again.pages, 1, "one A5 copy fits on one sheet");
    let bytes = desk.read_archived(std::path::Path::new(&again.archived)).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let page = doc.get_pages()[&1];
    let media = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let width = media[2].as_float().unwrap();
    assert!((width - 419.5).abs() < 1.0, "A5 width in points: {width}");
    let text = pdf_text(&bytes).join("\n");
    assert!(text.contains("Bản in lại lần 1"), "{text}");
    assert_eq!(qr_of(&common::unsealed_pdf(dir.path(), &again.archived)), d.code);
}

#[test]
fn preview_is_the_same_layout_as_svg() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 30)).unwrap();
    let svg = desk.receipt_preview(&d.code, Paper::A4, 2).unwrap();
    assert_eq!(svg.len(), 2);
    assert!(svg[0].starts_with("<svg"));
    assert!(svg[0].contains("Nguyễn Thị Hường"));
    assert!(svg[1].contains("Liên 2: Giao người nộp"));
    assert!(desk.receipt_preview(&d.code, Paper::A4, 3).is_err());
}

/// The receipt's text with white space folded (lines wrap anywhere).
fn receipt_text(desk: &mut motcua::desk::Desk, code: &str, dir: &std::path::Path) -> String {
    let out = dir.join(format!("{code}.pdf"));
    for paper in [Paper::A5, Paper::A4] {
        let printed = desk
            .print_receipt(code, Some(&out), None, paper, 1, vn(2026, 11, 26, 11, 0))
            .unwrap();
        assert_eq!(printed.pages, 1, "one copy of {code} fits one {paper:?} sheet");
    }
    let text: String = pdf_text(&std::fs::read(&out).unwrap()).concat().nfc().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn fees_print_what_the_catalog_confirms_and_the_amount_from_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    // The marriage-status certificate's fee is set by the province's council
    // and not checked in the catalog: never "Miễn" or "Không thu".
    let status = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0)).unwrap();
    assert!(!status.fees_confirmed);
    let text = receipt_text(&mut desk, &status.code, dir.path());
    assert!(text.contains("Phí, lệ phí: Theo quy định hiện hành"), "{text}");
    assert!(!text.contains("Miễn") && !text.contains("Không thu"), "{text}");
    // Birth registration on time is exempt by law, and the catalog says so.
    let birth = desk.receive(&reception("1.001193"), vn(2026, 11, 26, 9, 10)).unwrap();
    assert!(birth.fees_confirmed);
    assert!(receipt_text(&mut desk, &birth.code, dir.path()).contains("Phí, lệ phí: Miễn"));
    // Certified copies: two copies of a five-page diploma and three of a
    // one-page card = 2 × 7.000 + 3 × 2.000.
    let mut copies = reception("2.000815");
    copies.fee_counts = vec![
        motcua::dossier::FeeCountInput { copies: 2, pages: 5 },
        motcua::dossier::FeeCountInput { copies: 3, pages: 1 },
    ];
    let d = desk.receive(&copies, vn(2026, 11, 26, 9, 20)).unwrap();
    assert_eq!(d.fee_total, 20_000);
    let text = receipt_text(&mut desk, &d.code, dir.path());
    assert!(
        text.contains("Phí chứng thực bản sao từ bản chính 20.000 đồng (2 bản × 5 trang; 3 bản × 1 trang)"),
        "{text}"
    );
    // Without the counts the receipt states the rate, never a false sum or "Miễn".
    let mut uncounted = reception("2.000815");
    uncounted.fee_counts.clear();
    let d = desk.receive(&uncounted, vn(2026, 11, 26, 9, 30)).unwrap();
    let text = receipt_text(&mut desk, &d.code, dir.path());
    assert!(
        text.contains("Phí chứng thực bản sao từ bản chính: 2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản"),
        "{text}"
    );
    assert!(!text.contains("Miễn") && !text.contains("0 đồng ("), "{text}");
}

fn json_reception(v: serde_json::Value) -> motcua::dossier::ReceptionInput {
    serde_json::from_value(v).unwrap()
}

#[test]
fn receipts_for_an_organisation_a_foreigner_with_a_submitter_and_a_result_by_post() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let documents = serde_json::json!([{"name": "Hợp đồng cần chứng thực chữ ký", "form": "original", "count": 1}]);
    // An organisation, through its director; the result by post to its office.
    let org = desk
        .receive(
            &json_reception(serde_json::json!({
                "procedure_code": "2.000884",
                "applicant": {
                    "kind": "organisation",
                    "name": "Hợp tác xã Nông nghiệp Trùng Khánh",
                    "tax_code": "4800 123 456",
                    "address": "Xóm Pác Rằng, xã Trùng Khánh, tỉnh Cao Bằng",
                    "phone": "0206 3826 222",
                    "representative": {"full_name": "Lương Văn Hùng", "id_number": "004080001234", "position": "Giám đốc"}
                },
                "documents": documents,
                "result_delivery": "post",
                "delivery_address": "Số 5, phố Kim Đồng, phường Thục Phán, tỉnh Cao Bằng"
            })),
            vn(2026, 11, 26, 9, 0),
        )
        .unwrap();
    assert_eq!(org.applicant.kind, motcua::dossier::ApplicantKind::Organisation);
    assert_eq!(org.applicant.id_number, "4800123456");
    assert_eq!(org.result_delivery, motcua::dossier::ResultDelivery::Post);
    let text = receipt_text(&mut desk, &org.code, dir.path());
    for needle in [
        "Tổ chức: Hợp tác xã Nông nghiệp Trùng Khánh",
        "Mã số thuế: 4800123456",
        "Người đại diện: Lương Văn Hùng, chức vụ: Giám đốc, số định danh cá nhân 004080001234",
        "6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích, tại địa chỉ: Số 5, phố Kim Đồng, phường Thục Phán, tỉnh Cao Bằng",
        "Phí chứng thực chữ ký 10.000 đồng",
    ] {
        assert!(text.contains(needle), "organisation receipt lacks {needle}: {text}");
    }
    assert!(!text.contains("Ông/Bà"), "{text}");
    // The representative signs as the person who handed it in.
    let signs = text.split("NGƯỜI NỘP HỒ SƠ").last().unwrap();
    assert!(signs.contains("Lương Văn Hùng"), "the representative signs: {signs}");
    // Letters speak to an organisation by its name, not as "Ông/Bà".
    let new_due = motcua::vntime::parse_local("t", "t", "2026-11-30T09:00").unwrap();
    desk.extend(
        &org.code,
        new_due,
        "Chờ ý kiến của cơ quan thuế",
        vn(2026, 11, 26, 9, 5),
    )
    .unwrap();
    let out = dir.path().join("apology.pdf");
    desk.print_form(
        motcua::print::Form::Extension,
        &org.code,
        Some(&out),
        None,
        Paper::A4,
        1,
        vn(2026, 11, 26, 9, 6),
    )
    .unwrap();
    let letter: String = pdf_text(&std::fs::read(&out).unwrap()).concat().nfc().collect();
    let letter = letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        letter.contains("Kính gửi: Hợp tác xã Nông nghiệp Trùng Khánh"),
        "{letter}"
    );
    assert!(letter.contains("Quý tổ chức") && !letter.contains("Ông/Bà"), "{letter}");

    // A foreigner, whose dossier a hired person hands in; filed at the
    // counter, the result picked up there.
    let foreigner = desk
        .receive(
            &json_reception(serde_json::json!({
                "procedure_code": "2.000884",
                "applicant": {
                    "kind": "foreigner",
                    "full_name": "Zhang Wei",
                    "passport_number": "ea 1234567",
                    "nationality": "Trung Quốc",
                    "date_of_birth": "1988-06-15",
                    "sex": "Nam",
                    "address": "Khách sạn Bằng Giang, phường Thục Phán, tỉnh Cao Bằng"
                },
                "submitter": {"full_name": "Nông Thị Mai", "id_number": "004195003456", "phone": "0912 000 333", "relation": "Người được ủy quyền"},
                "documents": documents
            })),
            vn(2026, 11, 26, 9, 10),
        )
        .unwrap();
    let text = receipt_text(&mut desk, &foreigner.code, dir.path());
    for needle in [
        "Ông/Bà: Zhang Wei",
        "Số hộ chiếu: EA1234567 Quốc tịch: Trung Quốc",
        "Ngày sinh: 15/06/1988",
        "Người nộp hồ sơ thay: Nông Thị Mai, số định danh cá nhân 004195003456, số điện thoại 0912000333 (Người được ủy quyền)",
        "6. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Hòa An",
    ] {
        assert!(text.contains(needle), "foreigner receipt lacks {needle}: {text}");
    }
    assert_eq!(foreigner.presenter(), "Nông Thị Mai");
    let signs = text.split("NGƯỜI NỘP HỒ SƠ").last().unwrap();
    assert!(signs.contains("Nông Thị Mai"), "the submitter signs: {signs}");

    // A citizen filing at the counter can ask for the result by post; with
    // no address given, it goes to hers.
    let mut by_post = reception("1.004873");
    by_post.result_delivery = Some("post".into());
    let d = desk.receive(&by_post, vn(2026, 11, 26, 9, 20)).unwrap();
    assert_eq!(d.channel, motcua::dossier::Channel::Counter);
    let text = receipt_text(&mut desk, &d.code, dir.path());
    assert!(
        text.contains("Qua dịch vụ bưu chính công ích, tại địa chỉ: Tổ 5, phường Thục Phán, tỉnh Cao Bằng"),
        "{text}"
    );
    // Online results, and bad kinds, tax codes, passports and submitters refused with their fields.
    let mut online = reception("1.004873");
    online.result_delivery = Some("online".into());
    let d = desk.receive(&online, vn(2026, 11, 26, 9, 30)).unwrap();
    assert!(receipt_text(&mut desk, &d.code, dir.path()).contains("Trực tuyến, qua tài khoản"));
    let bad = desk
        .receive(
            &json_reception(serde_json::json!({
                "procedure_code": "2.000884",
                "applicant": {"kind": "organisation", "name": "Công ty X", "tax_code": "12345", "address": "Cao Bằng"},
                "submitter": {"full_name": "Nông Thị Mai", "id_number": "004995003456", "relation": ""},
                "documents": documents,
                "result_delivery": "fax"
            })),
            vn(2026, 11, 26, 9, 40),
        )
        .unwrap_err();
    let fields: Vec<String> = bad
        .fields()
        .into_iter()
        .filter_map(|f| f.field.map(|f| f.to_string()))
        .collect();
    for field in [
        "applicant.tax_code",
        "applicant.representative.full_name",
        "submitter.id_number",
        "submitter.relation",
        "result_delivery",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} not named: {fields:?}");
    }
}
