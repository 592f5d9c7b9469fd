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
    let d = desk
        .receive(&reception("1.004873"), None, vn(2026, 11, 26, 9, 30))
        .unwrap();
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
