//! Text rules shared by storing, searching and printing: everything is NFC,
//! and search compares a folded form without diacritics.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::messages as msg;

pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Lower-case, no diacritics, `đ` → `d`, runs of white space as one space.
/// `"Nguyễn Thị Hường"` and `"nguyen thi huong"` fold to the same string.
/// A number as Vietnamese paper writes it, with a decimal comma: "93,33".
pub fn vn_number(v: f64, places: usize) -> String {
    format!("{v:.places$}").replace('.', ",")
}

pub fn fold(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What kind of characters a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Letters, spaces, apostrophe and hyphen (personal names: "H'Mông", "Lò Văn A").
    Name,
    /// Any printable text on one line (addresses, document names).
    Line,
    /// Printable text, line breaks allowed (notes, reasons).
    Multiline,
}

/// Cleans one text field: NFC, trimmed, inner white space collapsed (except
/// line breaks in multi-line text), length and characters checked. Returns
/// an error naming the field in Vietnamese.
pub fn clean(field: &str, label: &str, value: &str, charset: Charset, max_chars: usize) -> Result<String> {
    let normal = nfc(value);
    if let Some(bad) = normal.chars().find(|c| !allowed(*c, charset)) {
        return Err(Error::invalid(
            "invalid_characters",
            field,
            msg::bad_characters(label, bad),
        ));
    }
    let cleaned = if charset == Charset::Multiline {
        normal
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    } else {
        normal.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let count = cleaned.chars().count();
    if count > max_chars {
        return Err(Error::invalid(
            "too_long",
            field,
            msg::too_long(label, max_chars, count),
        ));
    }
    Ok(cleaned)
}

/// Like [`clean`] but the field may not be empty.
pub fn clean_required(field: &str, label: &str, value: &str, charset: Charset, max_chars: usize) -> Result<String> {
    let cleaned = clean(field, label, value, charset, max_chars)?;
    if cleaned.is_empty() {
        return Err(Error::invalid("required", field, msg::required(label)));
    }
    Ok(cleaned)
}

fn allowed(c: char, charset: Charset) -> bool {
    if c == '\n' || c == '\r' {
        return charset == Charset::Multiline;
    }
    if c.is_whitespace() {
        return c == ' ' || c == '\t' || c == '\u{a0}';
    }
    if c.is_control() || is_emoji_or_symbol_block(c) || is_combining_mark(c) && !charset_allows_marks(charset) {
        return false;
    }
    match charset {
        Charset::Name => c.is_alphabetic() || c == '\'' || c == '’' || c == '-' || c == '.',
        Charset::Line | Charset::Multiline => !is_private_or_unassigned(c),
    }
}

/// After NFC, Vietnamese needs no free-standing combining marks; a stray one
/// is a broken keyboard layout or pasted garbage.
fn charset_allows_marks(_charset: Charset) -> bool {
    false
}

fn is_emoji_or_symbol_block(c: char) -> bool {
    let cp = c as u32;
    matches!(cp,
        0x1F000..=0x1FAFF   // emoji, pictographs, cards, mahjong
        | 0x2600..=0x27BF   // misc symbols, dingbats
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x200B..=0x200F   // zero-width, direction marks
        | 0x202A..=0x202E
        | 0x2060..=0x206F
        | 0xFEFF
        | 0xE0000..=0xE007F)
}

fn is_private_or_unassigned(c: char) -> bool {
    let cp = c as u32;
    matches!(cp, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFF0..=0xFFFF)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_print_with_a_decimal_comma() {
        assert_eq!(super::vn_number(93.333, 2), "93,33");
        assert_eq!(super::vn_number(4.7, 1), "4,7");
        assert_eq!(super::vn_number(100.0, 2), "100,00");
    }

    use super::*;

    #[test]
    fn fold_removes_marks_and_d_stroke() {
        assert_eq!(fold("Nguyễn Thị  Hường"), "nguyen thi huong");
        assert_eq!(fold("ĐẶNG Văn Đức"), "dang van duc");
        let nfd: String = "Hường".nfd().collect();
        assert_eq!(fold(&nfd), "huong");
    }

    #[test]
    fn clean_normalises_to_nfc_and_collapses_spaces() {
        let nfd: String = "  Nguyễn   Thị Hường ".nfd().collect();
        let out = clean("f", "Họ tên", &nfd, Charset::Name, 100).unwrap();
        assert_eq!(out, "Nguyễn Thị Hường");
        assert!(out.chars().count() < nfd.chars().count());
    }

    #[test]
    fn clean_rejects_nul_emoji_and_digits_in_names() {
        assert!(clean("f", "Họ tên", "An\0", Charset::Name, 100).is_err());
        assert!(clean("f", "Họ tên", "An 😀", Charset::Name, 100).is_err());
        assert!(clean("f", "Họ tên", "An 2", Charset::Name, 100).is_err());
        assert!(clean("f", "Địa chỉ", "Số 2, tổ 😀", Charset::Line, 100).is_err());
        assert!(clean("f", "Địa chỉ", "Số 2, tổ 5, phường Thục Phán", Charset::Line, 100).is_ok());
        assert!(clean("f", "Họ tên", "Hầu A Lử", Charset::Name, 100).is_ok());
        assert!(clean("f", "Họ tên", "Giàng Thị H'Mông", Charset::Name, 100).is_ok());
    }

    #[test]
    fn clean_limits_length_in_characters() {
        let long = "a".repeat(10_000);
        let err = clean("f", "Địa chỉ", &long, Charset::Line, 300).unwrap_err();
        assert_eq!(err.code(), "too_long");
        assert!(clean_required("f", "Họ tên", "   ", Charset::Name, 10).is_err());
    }
}
