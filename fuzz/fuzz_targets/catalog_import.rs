//! A catalog file as an admin imports it or the province publishes it: any
//! text. Never a panic; a catalog accepted once is accepted again, the
//! same, after it is written back out (what the hub does when it publishes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_domain::catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(file) = catalog::parse(text) else { return };
    assert!(file.procedures.iter().all(|p| catalog::is_valid_code(&p.code)));
    let written = serde_json::json!({ "catalog": file.meta, "procedures": file.procedures }).to_string();
    let again = catalog::parse(&written).expect("an accepted catalog, written out, is accepted again");
    assert_eq!(again.procedures, file.procedures);
});
