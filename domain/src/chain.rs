//! The tamper-evident trail: every event carries `prev_hash` and `hash`,
//! `hash = SHA-256(prev_hash, "\n", the event's canonical bytes)`, one chain
//! per device in the order the device recorded its events. An edited event
//! no longer matches its hash; a deleted, inserted or moved one breaks the
//! link of the next. Counter and hub compute it with this one function, so
//! the hub can check that a push continues the device's chain — after a
//! sync, a PC's history cannot be rewritten.
//!
//! Canonical bytes (version 1), fields joined by `\n`: the tag
//! `motcua-event-v1`, id, dossier id, kind, the payload as JSON with object
//! keys sorted at every level and no white space, actor, device, time as
//! recorded. The first event of a device has the empty previous hash.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The previous hash of a device's first event.
pub const GENESIS: &str = "";

/// What is hashed of an event (its content, as it travels).
pub struct Content<'a> {
    /// The event's id, hyphenated lower-case UUID.
    pub id_text: String,
    pub dossier_id_text: String,
    pub kind: &'a str,
    pub payload: &'a Value,
    pub actor: &'a str,
    pub device: &'a str,
    pub occurred_at: &'a str,
}

/// The hash of an event that follows `prev_hash` in its device's chain
/// (lower-case hex, 64 digits).
pub fn hash(prev_hash: &str, c: &Content<'_>) -> String {
    let mut bytes = String::with_capacity(512);
    bytes.push_str(prev_hash);
    bytes.push('\n');
    bytes.push_str("motcua-event-v1");
    for part in [c.id_text.as_str(), c.dossier_id_text.as_str(), c.kind] {
        bytes.push('\n');
        bytes.push_str(part);
    }
    bytes.push('\n');
    canonical_json(c.payload, &mut bytes);
    for part in [c.actor, c.device, c.occurred_at] {
        bytes.push('\n');
        bytes.push_str(part);
    }
    Sha256::digest(bytes.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// JSON with object keys sorted at every level and no white space, whatever
/// order the value's map keeps.
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            out.push('{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(payload: &'a Value, actor: &'a str) -> Content<'a> {
        Content {
            id_text: "0190e0a0-0000-7000-8000-000000000001".into(),
            dossier_id_text: "0190e0a0-0000-7000-8000-000000000002".into(),
            kind: "refused",
            payload,
            actor,
            device: "pc-1",
            occurred_at: "2026-11-30T09:00:00+07:00",
        }
    }

    #[test]
    fn the_same_content_gives_the_same_hash_whatever_the_key_order() {
        let a: Value = serde_json::from_str(r#"{"reason":"Không thuộc thẩm quyền","x":{"b":1,"a":[2,3]}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"x":{"a":[2,3],"b":1},"reason":"Không thuộc thẩm quyền"}"#).unwrap();
        assert_eq!(hash(GENESIS, &content(&a, "Lan")), hash(GENESIS, &content(&b, "Lan")));
        assert_eq!(hash(GENESIS, &content(&a, "Lan")).len(), 64);
    }

    #[test]
    fn any_change_or_another_predecessor_changes_the_hash() {
        let p: Value = serde_json::json!({"reason": "Không thuộc thẩm quyền"});
        let q: Value = serde_json::json!({"reason": "Không thuộc thẩm quyền."});
        let base = hash(GENESIS, &content(&p, "Lan"));
        assert_ne!(base, hash(GENESIS, &content(&q, "Lan")));
        assert_ne!(base, hash(GENESIS, &content(&p, "Minh")));
        assert_ne!(base, hash(&base, &content(&p, "Lan")));
    }
}
