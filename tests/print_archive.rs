//! Print numbers and the archive stay in step when `motcua print` is
//! killed at any point, and when two prints of one dossier run at once.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{desk_in, reception, vn};

fn print(dir: &Path, code: &str) -> std::process::Child {
    common::motcua_as_admin(env!("CARGO_BIN_EXE_motcua"), dir)
        .args(["print", "receipt", code, "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("motcua runs")
}

/// Every finished, sealed PDF in the archive (temporary `.part` files are not).
fn archived(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(p: &Path, out: &mut BTreeSet<PathBuf>) {
        for entry in std::fs::read_dir(p).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.to_string_lossy().ends_with(".pdf.enc") {
                out.insert(path);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&dir.join("prints"), &mut out);
    out
}

/// The archive and the `prints` table agree: every archived PDF has its
/// row (same number in its name), numbers are never shared, and every row
/// that says its PDF was archived has it.
fn assert_agree(dir: &Path) -> Vec<motcua::store::PrintRow> {
    let rows = common::store_of(dir).prints().unwrap();
    let numbers: BTreeSet<u32> = rows.iter().map(|r| r.print_no).collect();
    assert_eq!(numbers.len(), rows.len(), "a number given twice: {rows:?}");
    for file in archived(dir) {
        let row = rows.iter().find(|r| r.path == file);
        let row = row.unwrap_or_else(|| panic!("{} is in the archive but not in the table", file.display()));
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            name.ends_with(&format!("-{}.pdf.enc", row.print_no)),
            "{name} vs {}",
            row.print_no
        );
        // Sealed, complete: it opens with the key, whole.
        let bytes = common::data_key(dir).unseal(&std::fs::read(&file).unwrap()).unwrap();
        assert!(bytes.starts_with(b"%PDF-") && String::from_utf8_lossy(&bytes).trim_end().ends_with("%%EOF"));
    }
    for row in &rows {
        if row.state == "archived" || row.state == "sent" {
            assert!(row.path.is_file(), "row {} says archived, file missing", row.print_no);
        }
    }
    rows
}

/// An office with one dossier received; its code.
fn one_dossier(dir: &Path) -> String {
    let mut desk = desk_in(dir, 1);
    desk.receive(&reception("1.004873"), vn(2026, 11, 26, 9, 0))
        .unwrap()
        .code
}

#[test]
fn killing_print_at_random_points_leaves_archive_and_table_agreeing() {
    let dir = tempfile::tempdir().unwrap();
    let code = one_dossier(dir.path());
    // How long a whole print takes here: the kills land anywhere within it.
    let started = std::time::Instant::now();
    assert!(print(dir.path(), &code).wait().unwrap().success());
    let whole = started.elapsed().as_micros() as u64;
    let mut rng = fastrand::Rng::with_seed(7);
    let mut killed = 0;
    for _ in 0..60 {
        let mut child = print(dir.path(), &code);
        std::thread::sleep(Duration::from_micros(rng.u64(0..=whole)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
            child.kill().unwrap();
        }
        child.wait().unwrap();
        assert_agree(dir.path());
    }
    let states: Vec<String> = assert_agree(dir.path()).into_iter().map(|r| r.state).collect();
    eprintln!("killed {killed} of 60; rows by state: {states:?}");
    assert!(
        killed >= 15,
        "only {killed} of 60 prints were cut short: the test proved little"
    );
    // After all that, a print completes and is marked as the reprint it is.
    let last = common::motcua_as_admin(env!("CARGO_BIN_EXE_motcua"), dir.path())
        .args(["print", "receipt", &code, "--json"])
        .output()
        .unwrap();
    assert!(last.status.success(), "{}", String::from_utf8_lossy(&last.stderr));
    let v: serde_json::Value = serde_json::from_slice(&last.stdout).unwrap();
    let rows = assert_agree(dir.path());
    let top = rows.iter().map(|r| r.print_no).max().unwrap();
    assert_eq!(v["print_no"], top, "the newest number, never one used before");
    let text = common::pdftotext(&common::unsealed_pdf(dir.path(), v["archived"].as_str().unwrap()));
    assert!(text.contains(&format!("Bản in lại lần {}", top - 1)), "{text}");
}

#[test]
fn two_prints_of_one_dossier_at_once_both_succeed_with_their_own_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let code = one_dossier(dir.path());
    for _ in 0..5 {
        let (a, b) = (print(dir.path(), &code), print(dir.path(), &code));
        assert!(a.wait_with_output().unwrap().status.success());
        assert!(b.wait_with_output().unwrap().status.success());
    }
    let rows = assert_agree(dir.path());
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.state == "archived"), "{rows:?}");
    assert_eq!(archived(dir.path()).len(), 10);
}
