//! Printing through a real CUPS queue (cups-pdf). `scripts/test-all` starts
//! cupsd, creates the queue and runs these with `--ignored`, naming the
//! queue in MOTCUA_TEST_PRINTER and its output folder in MOTCUA_TEST_PRINTER_OUT.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{desk_in, qr_on_page, reception, vn};
use motcua::print::Paper;

#[test]
#[ignore = "needs a CUPS queue; scripts/test-all starts one"]
fn receipt_goes_through_the_cups_queue() {
    let queue = std::env::var("MOTCUA_TEST_PRINTER").expect("MOTCUA_TEST_PRINTER names the cups-pdf queue");
    let out_dir = PathBuf::from(std::env::var("MOTCUA_TEST_PRINTER_OUT").expect("cups-pdf output folder"));
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    assert!(desk.printers().unwrap().contains(&queue), "the OS lists the queue");
    desk.choose_printer(Paper::A4, Some(&queue)).unwrap();
    assert_eq!(desk.chosen_printer(Paper::A4).unwrap().as_deref(), Some(queue.as_str()));

    let before = pdfs_in(&out_dir);
    let d = desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 30)).unwrap();
    let outcome = desk
        .print_receipt(&d.code, None, Some(&queue), Paper::A4, 2, vn(2026, 11, 26, 9, 31))
        .unwrap();
    assert!(
        outcome.job.as_deref().is_some_and(|j| j.starts_with(&queue)),
        "{:?}",
        outcome.job
    );

    let deadline = Instant::now() + Duration::from_secs(60);
    let printed = loop {
        let new: Vec<PathBuf> = pdfs_in(&out_dir).into_iter().filter(|p| !before.contains(p)).collect();
        if let Some(p) = new.first() {
            // cups-pdf writes the file in place; wait until it parses.
            if let Ok(doc) = lopdf::Document::load(p) {
                break (p.clone(), doc);
            }
        }
        assert!(
            Instant::now() < deadline,
            "no PDF came out of the queue in {}",
            out_dir.display()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let (path, doc) = printed;
    assert_eq!(doc.get_pages().len(), 2, "two copies (liên) were printed");
    // cups-pdf re-encodes the fonts (no text layer survives), so what came
    // out of the queue is checked the way a scanner at the counter reads it.
    assert_eq!(qr_on_page(&path, 1), d.code);
    assert_eq!(qr_on_page(&path, 2), d.code);
}

/// Waits for one new PDF from the queue and returns its path.
fn next_output(out_dir: &std::path::Path, before: &[PathBuf]) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(p) = pdfs_in(out_dir).into_iter().find(|p| !before.contains(p)) {
            if lopdf::Document::load(&p).is_ok() {
                return p;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no PDF came out of the queue in {}",
            out_dir.display()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
#[ignore = "needs a CUPS queue; scripts/test-all starts one"]
fn every_form_goes_through_the_cups_queue() {
    use motcua::desk::SupplementInput;
    use motcua::dossier::lifecycle::ReturnChannel;
    use motcua::dossier::DocumentInput;
    use motcua::print::Form;
    let queue = std::env::var("MOTCUA_TEST_PRINTER").expect("MOTCUA_TEST_PRINTER names the cups-pdf queue");
    let out_dir = PathBuf::from(std::env::var("MOTCUA_TEST_PRINTER_OUT").expect("cups-pdf output folder"));
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let t = |s: &str| motcua::vntime::parse_local("t", "t", s).unwrap();
    // Facts in time order, as a PC records them.
    let a = desk
        .receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0))
        .unwrap()
        .code;
    let b = desk
        .receive(&reception("1.004873"), vn(2026, 11, 26, 9, 5))
        .unwrap()
        .code;
    let c = desk
        .receive(&reception("1.004873"), vn(2026, 11, 26, 9, 10))
        .unwrap()
        .code;
    desk.refuse(&b, "Không thuộc thẩm quyền", vn(2026, 11, 26, 9, 30))
        .unwrap();
    desk.handover(
        &a,
        "Bộ phận Một cửa",
        "Công chức Tư pháp",
        None,
        vn(2026, 11, 26, 10, 0),
    )
    .unwrap();
    desk.withdraw(&c, "Xin rút hồ sơ", vn(2026, 11, 26, 11, 0)).unwrap();
    let supplement = SupplementInput {
        reason: "Thiếu giấy tờ".into(),
        documents: vec![DocumentInput {
            name: "Giấy xác nhận cư trú".into(),
            form: "original".into(),
            count: 1,
        }],
    };
    desk.request_supplement(&a, &supplement, vn(2026, 11, 27, 9, 0))
        .unwrap();
    let mut jobs = vec![(Form::Supplement, a.clone())];
    desk.complete_supplement(&a, vn(2026, 11, 30, 9, 0)).unwrap();
    desk.extend(&a, t("2026-12-08T09:00"), "Xác minh", vn(2026, 12, 1, 9, 0))
        .unwrap();
    jobs.push((Form::Extension, a.clone()));
    desk.record_result(&a, "1/XN", "UBND xã", None, vn(2026, 12, 2, 9, 0))
        .unwrap();
    desk.return_result(
        &a,
        "Nguyễn Thị Hường",
        "004301001234",
        ReturnChannel::Counter,
        vn(2026, 12, 3, 9, 0),
    )
    .unwrap();
    jobs.push((Form::Control, a.clone()));
    jobs.push((Form::Return, a.clone()));
    jobs.push((Form::Refusal, b));
    jobs.push((Form::Stop, c));
    for (form, code) in jobs {
        let before = pdfs_in(&out_dir);
        desk.print_form(form, &code, None, Some(&queue), Paper::A4, 1, vn(2026, 12, 3, 10, 0))
            .unwrap();
        let printed = next_output(&out_dir, &before);
        assert_eq!(qr_on_page(&printed, 1), code, "{form:?} came out of the queue readable");
    }
}

fn pdfs_in(dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect()
        })
        .unwrap_or_default()
}

/// The recovery-key sheet, printed on the A4 printer chosen in settings:
/// its QR code, read off what came out of the queue, is the key itself.
#[test]
#[ignore = "needs a CUPS queue; scripts/test-all starts one"]
fn the_recovery_sheet_goes_through_the_cups_queue() {
    let queue = std::env::var("MOTCUA_TEST_PRINTER").expect("MOTCUA_TEST_PRINTER names the cups-pdf queue");
    let out_dir = PathBuf::from(std::env::var("MOTCUA_TEST_PRINTER_OUT").expect("cups-pdf output folder"));
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let key = desk.take_recovery_key().expect("shown at set-up");
    desk.choose_printer(Paper::A4, Some(&queue)).unwrap();
    let before = pdfs_in(&out_dir);
    let job = desk.print_recovery_sheet(&key, vn(2026, 11, 26, 9, 30)).unwrap();
    assert!(job.starts_with(&queue), "{job}");
    let printed = next_output(&out_dir, &before);
    assert_eq!(qr_on_page(&printed, 1), key);
    // Nothing of it stays with the program.
    assert!(desk.store().prints().unwrap().is_empty());
}
