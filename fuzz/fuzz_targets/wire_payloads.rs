//! What crosses the wire, as either side reads it: a push page (the hub
//! reads it), a pull page and a restore page (the counter reads them).
//! Never a panic; every event that reads as a core event travels back to
//! the same wire form, and its chain hash is checked without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_domain::wire::{PullResponse, PushRequest, RestorePage, WireEvent};

fn check(e: &WireEvent) {
    let _ = e.hash_matches();
    if let Ok(event) = e.to_event() {
        let back = WireEvent::from_event(&event, &e.dossier_code).expect("a read event writes back");
        let again = back.to_event().expect("a written event reads again");
        assert_eq!(again, event);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(push) = serde_json::from_slice::<PushRequest>(data) {
        push.events.iter().for_each(check);
    }
    if let Ok(pull) = serde_json::from_slice::<PullResponse>(data) {
        for change in &pull.changes {
            let _ = change.seq();
        }
    }
    if let Ok(page) = serde_json::from_slice::<RestorePage>(data) {
        page.dossiers.iter().flat_map(|d| &d.events).for_each(check);
    }
});
