//! Printing through a real CUPS queue (cups-pdf). `scripts/test-all` starts
//! cupsd, creates the queue and runs these with `--ignored`, naming the
//! queue in MOTCUA_TEST_PRINTER and its output folder in MOTCUA_TEST_PRINTER_OUT.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{desk_in, reception, vn};
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

    let before: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
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
        let new: Vec<PathBuf> = std::fs::read_dir(&out_dir)
            .map(|r| r.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !before.contains(p) && p.extension().is_some_and(|e| e == "pdf"))
            .collect();
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
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&d.code), "the printed page carries the code: {text}");
    assert!(text.contains("Liên 2"), "{text}");
}
