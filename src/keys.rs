//! The data key and the keyring (issue 11).
//!
//! One random 256-bit key encrypts the office's database (SQLCipher 4) and
//! its print archive. It is never stored as it is: `keys.json`, beside the
//! database, holds it once per account, sealed (AES-256-GCM) under a key
//! derived from that account's password with Argon2id (OWASP: 19 MiB, 2
//! passes, 1 lane; a random salt per wrap). Signing in is unsealing one's
//! wrap: a wrong password cannot open it, so the keyring is also where the
//! password is checked, and where wrong attempts are counted (the database
//! cannot be opened to count them). The key itself, as 64 hex digits, is
//! the recovery key shown once at set-up: SQLCipher opens the file with it
//! (`PRAGMA key = "x'<hex>'"`, default settings).
//!
//! Invariants: the keyring is written whole (temporary file, fsync, rename)
//! and readable by its owner only; a wrap is bound to its login (the login
//! is the AES-GCM associated data), so a wrap copied to another login does
//! not open.

use std::collections::BTreeMap;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const KEYS_FILE: &str = "keys.json";

/// What sealed data starts with (then a 12-byte nonce, then the ciphertext).
const SEALED_MAGIC: &[u8; 8] = b"MOTCUA1\0";

/// The office's data key. Never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::refused("random_unavailable", e.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

impl DataKey {
    pub fn random() -> Result<DataKey> {
        Ok(DataKey(random()?))
    }

    /// The recovery key as typed: 64 hex digits, spaces and dashes allowed.
    pub fn from_recovery(text: &str) -> Result<DataKey> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        unhex(&digits.to_ascii_lowercase())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(DataKey)
            .ok_or_else(|| {
                Error::invalid(
                    "recovery_key_invalid",
                    "recovery_key",
                    crate::messages::RECOVERY_KEY_INVALID,
                )
            })
    }

    /// The recovery key: the raw key as 64 hex digits.
    pub fn recovery(&self) -> String {
        hex(&self.0)
    }

    /// The value of SQLCipher's `PRAGMA key` for this raw key.
    pub fn sqlcipher_key(&self) -> String {
        format!("x'{}'", hex(&self.0))
    }

    fn cipher(&self) -> Result<Aes256Gcm> {
        Aes256Gcm::new_from_slice(&self.0).map_err(|e| Error::refused("cipher", e.to_string()))
    }

    /// `plain` sealed under this key (a file of the print archive, a backup).
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        let nonce: [u8; 12] = random()?;
        let sealed = self
            .cipher()?
            .encrypt(Nonce::from_slice(&nonce), plain)
            .map_err(|e| Error::refused("cipher", e.to_string()))?;
        let mut out = Vec::with_capacity(SEALED_MAGIC.len() + nonce.len() + sealed.len());
        out.extend_from_slice(SEALED_MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plain bytes of what `seal` made, or a refusal when they were
    /// made under another key or altered.
    pub fn unseal(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        let bad = || Error::refused("sealed_unreadable", crate::messages::SEALED_UNREADABLE);
        let rest = sealed.strip_prefix(SEALED_MAGIC.as_slice()).ok_or_else(bad)?;
        if rest.len() < 12 {
            return Err(bad());
        }
        let (nonce, body) = rest.split_at(12);
        self.cipher()?
            .decrypt(Nonce::from_slice(nonce), body)
            .map_err(|_| bad())
    }
}

/// Whether bytes look like something `DataKey::seal` made.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(SEALED_MAGIC)
}

/// The key a password seals the data key with.
fn password_key(password: &str, salt: &[u8]) -> Result<[u8; 32]> {
    let params = Params::new(19 * 1024, 2, 1, Some(32)).map_err(|e| Error::refused("password_hash", e.to_string()))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| Error::refused("password_hash", e.to_string()))?;
    Ok(out)
}

/// The data key sealed by one account's password.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Wrap {
    salt: String,
    nonce: String,
    sealed: String,
}

/// Wrong passwords in a row, and the lock they brought.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attempts {
    pub failed: u32,
    /// RFC 3339.
    pub locked_until: Option<String>,
}

/// A lock that happened while the database could not be opened (a wrong
/// password at a cold start): recorded as an event at the next opening.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLock {
    pub login: String,
    pub until: String,
    /// RFC 3339, when the fifth wrong password was typed.
    pub at: String,
}

/// What the sign-in screen may show before anything is unlocked.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficeLabel {
    pub name: String,
    pub agency_code: String,
    pub counter: u32,
    pub training: bool,
}

/// `keys.json`: the wraps, the attempts, the pending locks, the office's label.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Keyring {
    version: u32,
    #[serde(default)]
    pub office: OfficeLabel,
    #[serde(default)]
    wraps: BTreeMap<String, Wrap>,
    #[serde(default)]
    attempts: BTreeMap<String, Attempts>,
    #[serde(default)]
    pub pending_locks: Vec<PendingLock>,
}

impl Keyring {
    pub fn new(office: OfficeLabel) -> Keyring {
        Keyring {
            version: 1,
            office,
            ..Keyring::default()
        }
    }

    /// The folder's keyring, or `None` where there is none (a new folder, or
    /// one from before encryption).
    pub fn load(dir: &Path) -> Result<Option<Keyring>> {
        let path = dir.join(KEYS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::file(&path, e)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::refused("keys_unreadable", crate::messages::keys_unreadable(&e.to_string())))
    }

    /// Writes the keyring whole, readable by its owner only.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::refused("serialize", e.to_string()))?;
        crate::files::write_private(&dir.join(KEYS_FILE), text.as_bytes())
    }

    /// Seals `key` under `password` for `login` (a new account, a new password).
    pub fn wrap(&mut self, login: &str, password: &str, key: &DataKey) -> Result<()> {
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 12] = random()?;
        let kek = password_key(password, &salt)?;
        let sealed = Aes256Gcm::new_from_slice(&kek)
            .map_err(|e| Error::refused("cipher", e.to_string()))?
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &key.0,
                    aad: login.as_bytes(),
                },
            )
            .map_err(|e| Error::refused("cipher", e.to_string()))?;
        self.wraps.insert(
            login.to_string(),
            Wrap {
                salt: hex(&salt),
                nonce: hex(&nonce),
                sealed: hex(&sealed),
            },
        );
        Ok(())
    }

    /// The data key, when `password` is `login`'s. An unknown login costs
    /// the same work as a wrong password.
    pub fn unwrap(&self, login: &str, password: &str) -> Option<DataKey> {
        let Some(w) = self.wraps.get(login) else {
            let _ = password_key(password, &[0u8; 16]);
            return None;
        };
        let (salt, nonce, sealed) = (unhex(&w.salt)?, unhex(&w.nonce)?, unhex(&w.sealed)?);
        let kek = password_key(password, &salt).ok()?;
        let plain = Aes256Gcm::new_from_slice(&kek)
            .ok()?
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: login.as_bytes(),
                },
            )
            .ok()?;
        <[u8; 32]>::try_from(plain).ok().map(DataKey)
    }

    pub fn has_wrap(&self, login: &str) -> bool {
        self.wraps.contains_key(login)
    }

    pub fn attempts(&self, login: &str) -> Attempts {
        self.attempts.get(login).cloned().unwrap_or_default()
    }

    pub fn set_attempts(&mut self, login: &str, attempts: Attempts) {
        if attempts == Attempts::default() {
            self.attempts.remove(login);
        } else {
            self.attempts.insert(login.to_string(), attempts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrap_opens_with_its_password_and_login_only() {
        let key = DataKey::random().unwrap();
        let mut ring = Keyring::new(OfficeLabel::default());
        ring.wrap("lan.nt", "mật khẩu đủ dài", &key).unwrap();
        assert_eq!(ring.unwrap("lan.nt", "mật khẩu đủ dài"), Some(key.clone()));
        assert_eq!(ring.unwrap("lan.nt", "mật khẩu đủ dài "), None);
        assert_eq!(ring.unwrap("khong.co", "mật khẩu đủ dài"), None);
        // A wrap moved to another login does not open there.
        let moved = ring.wraps["lan.nt"].clone();
        ring.wraps.insert("minh.hv".into(), moved);
        assert_eq!(ring.unwrap("minh.hv", "mật khẩu đủ dài"), None);
    }

    #[test]
    fn sealed_bytes_open_with_their_key_and_unaltered_only() {
        let key = DataKey::random().unwrap();
        let sealed = key.seal(b"%PDF-1.7 ...").unwrap();
        assert!(is_sealed(&sealed));
        assert_eq!(key.unseal(&sealed).unwrap(), b"%PDF-1.7 ...");
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(key.unseal(&altered).is_err());
        assert!(DataKey::random().unwrap().unseal(&sealed).is_err());
    }

    #[test]
    fn the_recovery_key_reads_back_as_the_key() {
        let key = DataKey::random().unwrap();
        let text = key.recovery();
        assert_eq!(text.len(), 64);
        assert_eq!(DataKey::from_recovery(&text).unwrap(), key);
        let spaced: String = text
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap().to_uppercase())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(DataKey::from_recovery(&spaced).unwrap(), key);
        assert!(DataKey::from_recovery("abc").is_err());
    }
}
