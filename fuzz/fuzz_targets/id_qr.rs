//! The ID-card QR string as a keyboard-wedge scanner types it: any text.
//! Never a panic; what it accepts holds together (a 12-digit number whose
//! century and sex digits match the birth date and sex, and it reads the
//! same when typed again).
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_domain::citizen_id::parse_qr;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(card) = parse_qr(text) else { return };
    assert_eq!(card.id_number.len(), 12);
    assert!(card.id_number.chars().all(|c| c.is_ascii_digit()));
    let again = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        card.id_number,
        card.old_id_number.clone().unwrap_or_default(),
        card.full_name,
        card.date_of_birth.format("%d%m%Y"),
        card.sex.label(),
        card.address,
        card.issued_on.format("%d%m%Y"),
    );
    let reread = parse_qr(&again).expect("a card the parser accepted reads again");
    assert_eq!(reread, card);
});
