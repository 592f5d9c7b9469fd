//! The push handler's judgement, events with any content: what the hub
//! does to each pushed event after authentication and before storing it —
//! read it, check its chain link, fold a reception, verify a step against
//! the dossier with the province's calendar (`rules::verify`, the same
//! rulebook as the counter). Never a panic; an accepted step leaves a
//! dossier that folds again from its events. (The database half of the
//! handler is fuzzed through the live hub by Schemathesis.)
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use motcua_domain::calendar::{Calendar, CalendarData, OfficeHours};
use motcua_domain::dossier::{rules, Dossier, Event, EventBody};
use motcua_domain::wire::PushRequest;

fuzz_target!(|data: &[u8]| {
    let Ok(push) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    let calendar = Calendar::new(CalendarData::bundled(), OfficeHours::default());
    let mut dossiers: HashMap<uuid::Uuid, (Dossier, Vec<Event>)> = HashMap::new();
    for e in &push.events {
        let _ = e.hash_matches();
        let Ok(event) = e.to_event() else { continue };
        match (&event.body, dossiers.get(&e.dossier_id)) {
            (EventBody::Received(_), None) => {
                if let Ok(d) = Dossier::apply(None, &event) {
                    dossiers.insert(e.dossier_id, (d, vec![event]));
                }
            }
            (_, Some((current, _))) => {
                if let Ok(next) = rules::verify(current, &event, &calendar) {
                    let (d, events) = dossiers.get_mut(&e.dossier_id).expect("present");
                    events.push(event);
                    *d = next;
                }
            }
            _ => {}
        }
    }
    for (d, events) in dossiers.values() {
        let folded = Dossier::fold(events.iter()).expect("accepted events fold");
        assert_eq!(folded.as_ref().map(|f| &f.code), Some(&d.code));
    }
});
