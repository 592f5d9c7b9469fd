//! Tokens and one-time codes. Only SHA-256 hashes are stored.

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::HubError;

/// The device a token belongs to.
#[derive(Debug, Clone)]
pub struct Device {
    pub device_id: String,
    pub office: String,
    pub office_name: String,
    pub counter: u32,
}

pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_bytes<const N: usize>() -> Result<[u8; N], HubError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| HubError::api(StatusCode::INTERNAL_SERVER_ERROR, "random_unavailable", e.to_string()))?;
    Ok(bytes)
}

/// The token an enrollment with `code` gives the device holding
/// `device_secret`: derived from both, so an enrollment asked twice — a
/// retry after a lost answer, a request a link delivered twice, two hub
/// processes answering the same request — is given the same token, never
/// a second one that silently replaces the token the counter kept. The
/// secret is the counter's own random (at least 32 characters, checked
/// before), sent only at enrollment; the hub keeps hashes only, from which
/// the token cannot be made.
pub fn enrollment_token(device_secret: &str, code: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"motcua enrollment token\0")
        .chain_update(canonical_code(code).as_bytes())
        .chain_update(b"\0")
        .chain_update(device_secret.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// Twelve letters and digits a person can read over the phone (no 0/O,
/// 1/I/L), in groups of four: `K7QX-3MWA-PZ9C` (≈ 60 bits).
pub fn new_enrollment_code() -> Result<String, HubError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let bytes = random_bytes::<12>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Codes are compared without case, spaces or dashes (typed by a person).
pub fn canonical_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn unauthorized() -> HubError {
    HubError::api(
        StatusCode::UNAUTHORIZED,
        "auth_invalid",
        "Mã truy cập không hợp lệ hoặc đã bị thu hồi. Hãy đăng ký lại quầy bằng mã đăng ký mới.",
    )
}

fn revoked() -> HubError {
    HubError::api(
        StatusCode::UNAUTHORIZED,
        "auth_revoked",
        "Máy này đã bị thu hồi quyền đồng bộ (thay bằng máy khác, hoặc do quản trị viên tỉnh). \
Hãy xin quản trị viên tỉnh một mã đăng ký mới rồi đăng ký lại.",
    )
}

fn expired() -> HubError {
    HubError::api(
        StatusCode::UNAUTHORIZED,
        "auth_expired",
        "Mã truy cập của máy này đã hết hạn (đã lâu không đồng bộ với máy chủ tỉnh). \
Hãy xin quản trị viên tỉnh một mã đăng ký mới rồi đăng ký lại.",
    )
}

/// The device behind `Authorization: Bearer …`, if the token is current.
pub async fn authenticate(pool: &PgPool, headers: &HeaderMap) -> Result<Device, HubError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorized)?;
    let row: Option<(String, String, i32, String)> = sqlx::query_as(
        "UPDATE devices d SET last_seen_at = now()
           FROM offices o
          WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND d.expires_at > now() AND o.agency_code = d.office
         RETURNING d.device_id, d.office, d.counter, o.name",
    )
    .bind(hash(token))
    .fetch_optional(pool)
    .await?;
    let Some((device_id, office, counter, office_name)) = row else {
        // Said apart, so the clerk knows why: the counter asks for a new
        // enrollment in every case.
        let state: Option<(bool, bool)> =
            sqlx::query_as("SELECT revoked_at IS NOT NULL, expires_at <= now() FROM devices WHERE token_hash = $1")
                .bind(hash(token))
                .fetch_optional(pool)
                .await?;
        return Err(match state {
            Some((true, _)) => revoked(),
            Some((false, true)) => expired(),
            _ => unauthorized(),
        });
    };
    Ok(Device {
        device_id,
        office,
        office_name,
        counter: counter as u32,
    })
}
