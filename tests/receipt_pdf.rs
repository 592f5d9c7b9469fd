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
    desk.print_receipt(code, Some(&out), None, Paper::A4, 1, vn(2026, 11, 26, 11, 0))
        .unwrap();
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
