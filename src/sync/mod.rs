//! Sync with the provincial hub.
//!
//! Each counter (device) enrolls once with a one-time code and keeps the
//! token it gets. Every local event enters the outbox in the transaction
//! that records it (a trigger, see `migrations/0002_sync.sql`). A run
//! ([`run::run`]) checks the hub and the clock, pushes pending events in
//! pages in creation order, then pulls what the province changed since the
//! cursor and applies it (rules in `store/sync.rs`). The hub stores each
//! event id at most once, so any page can be sent again after any failure;
//! nothing is deleted locally, and an event is `sent` only after the hub
//! answered for it.

pub use motcua_domain::dvcqg;
pub mod http;
pub mod run;
pub mod schedule;
pub use motcua_domain::wire;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::office::Office;
use crate::store::Store;
use http::{HubLink, LinkError, Timeouts, Transport};
use run::{with_retry, RetryPolicy};
use wire::{EnrollRequest, EnrollResponse};

pub const HUB_URL_KEY: &str = "sync.hub_url";
/// "1" when the enrollment allowed a plain `http://` hub (tests only).
pub const PLAIN_HTTP_KEY: &str = "sync.plain_http";
pub const TOKEN_KEY: &str = "sync.token";
pub const DEVICE_SECRET_KEY: &str = "sync.device_secret";
pub const LAST_SUCCESS_KEY: &str = "sync.last_success_at";
pub const CLOCK_SKEW_KEY: &str = "sync.clock_skew_seconds";
pub const DAY_END_KEY: &str = "sync.day_end_at";
/// Set when this enrollment's restore from the hub has finished (see [`run::run`]).
pub const RESTORED_KEY: &str = "sync.restored_at";
/// The last dossier of the last restore page applied, while a restore is
/// under way: a run cut short (link lost, hub pacing) goes on from there.
pub const RESTORE_AFTER_KEY: &str = "sync.restore_after";

/// The default time of the day's-end batch (before the afternoon closes).
pub const DEFAULT_DAY_END: &str = "16:30";

/// Where this counter syncs to and its token.
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub hub_url: String,
    pub token: String,
    /// Plain HTTP allowed, as asked for at enrollment (tests only).
    pub transport: Transport,
}

/// A sync failure as it reaches the clerk: a stable code and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncError {
    pub code: &'static str,
    pub message: String,
}

impl SyncError {
    pub fn new(code: &'static str, message: impl Into<String>) -> SyncError {
        SyncError {
            code,
            message: message.into(),
        }
    }

    pub fn from_link(e: &LinkError) -> SyncError {
        match e {
            LinkError::Unreachable(detail) => SyncError::new("hub_unreachable", msg::hub_unreachable(detail)),
            LinkError::Server { status, detail, .. } | LinkError::TooLarge { status, detail } => {
                SyncError::new("hub_unavailable", msg::hub_unavailable(*status, detail))
            }
            LinkError::Auth(err) => SyncError::new("sync_auth", msg::sync_auth_refused(&err.code, &err.message)),
            LinkError::Refused { status, error } => {
                SyncError::new("sync_refused", msg::sync_request_refused(*status, &error.message))
            }
            LinkError::Insecure => SyncError::new("hub_url_insecure", msg::HUB_URL_INSECURE.to_string()),
        }
    }

    pub fn into_error(self) -> Error {
        Error::Sync {
            code: self.code,
            message: self.message,
        }
    }
}

/// `motcua sync status --json`, and the status area's numbers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncStatus {
    pub pending: i64,
    pub rejected: i64,
    pub last_success_at: Option<String>,
    pub cursor: i64,
    pub enrolled: bool,
    pub hub_url: Option<String>,
    /// Province events waiting for this counter's own events to be sent first.
    pub held: i64,
    /// Items on the needs-attention list.
    pub attention: i64,
    pub clock_skew_seconds: Option<i64>,
    pub clock_warning: Option<String>,
    /// HH:MM of the day's-end batch.
    pub day_end_at: String,
}

pub fn enrollment(store: &Store) -> Result<Option<Enrollment>> {
    let transport = match store.setting(PLAIN_HTTP_KEY)?.as_deref() {
        Some("1") => Transport::PlainHttpAllowed,
        _ => Transport::TlsOnly,
    };
    Ok(match (store.setting(HUB_URL_KEY)?, store.setting(TOKEN_KEY)?) {
        (Some(hub_url), Some(token)) => Some(Enrollment {
            hub_url,
            token,
            transport,
        }),
        _ => None,
    })
}

pub fn status(store: &Store) -> Result<SyncStatus> {
    let counts = store.outbox_counts()?;
    let skew: Option<i64> = store.setting(CLOCK_SKEW_KEY)?.and_then(|s| s.parse().ok());
    let attention = store.needs_attention()?.len() as i64;
    Ok(SyncStatus {
        pending: counts.pending,
        rejected: counts.rejected,
        last_success_at: store.setting(LAST_SUCCESS_KEY)?,
        cursor: store.sync_cursor()?,
        enrolled: enrollment(store)?.is_some(),
        hub_url: store.setting(HUB_URL_KEY)?,
        held: store.held_count()?,
        attention,
        clock_skew_seconds: skew,
        clock_warning: skew
            .filter(|s| s.abs() > run::CLOCK_TOLERANCE_SECONDS)
            .map(msg::clock_skew_warning),
        day_end_at: store
            .setting(DAY_END_KEY)?
            .unwrap_or_else(|| DEFAULT_DAY_END.to_string()),
    })
}

/// The hub address as typed: `https://host[:port][/path]` (or `http://`
/// when `transport` allows it), no trailing slash.
pub fn normalise_hub_url(raw: &str, transport: Transport) -> Result<String> {
    let raw = raw.trim().trim_end_matches('/');
    // The scheme is case-blind (RFC 3986); it is kept in lower case.
    let url = match raw.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => raw.to_string(),
    };
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(' '));
    if !ok {
        return Err(Error::invalid("hub_url_invalid", "hub_url", msg::HUB_URL_INVALID));
    }
    if !transport.admits(&url) {
        return Err(Error::invalid("hub_url_insecure", "hub_url", msg::HUB_URL_INSECURE));
    }
    Ok(url)
}

/// Exchanges a one-time code for a token and keeps it. The device secret
/// is made once and stored before the first request, so a retry after a
/// lost answer proves it is the same device.
pub fn enroll(
    store: &mut Store,
    office: &Office,
    hub_url: &str,
    code: &str,
    transport: Transport,
    retry: &RetryPolicy,
    timeouts: Timeouts,
) -> Result<EnrollResponse> {
    if office.training {
        return Err(Error::refused("training_no_sync", msg::TRAINING_NO_SYNC));
    }
    let hub_url = normalise_hub_url(hub_url, transport)?;
    let code = code.trim().to_string();
    if code.is_empty() {
        return Err(Error::invalid("enroll_code_missing", "code", msg::ENROLL_CODE_MISSING));
    }
    let secret = match store.setting(DEVICE_SECRET_KEY)? {
        Some(s) => s,
        None => {
            let s = random_secret()?;
            store.set_setting(DEVICE_SECRET_KEY, Some(&s))?;
            s
        }
    };
    let link = HubLink::new(&hub_url, None, timeouts, transport).map_err(|e| SyncError::from_link(&e).into_error())?;
    let request = EnrollRequest {
        code,
        device_id: office.device_id.clone(),
        device_secret: secret,
    };
    let mut retries = 0;
    let answer = with_retry(retry, &mut retries, || link.enroll(&request)).map_err(|e| match e {
        LinkError::Auth(err) | LinkError::Refused { error: err, .. } => Error::Sync {
            code: "enroll_refused",
            message: msg::enroll_refused(&err.code, &err.message),
        },
        other => SyncError::from_link(&other).into_error(),
    })?;
    if answer.agency_code != office.agency_code || answer.counter != office.counter {
        return Err(Error::refused(
            "enroll_mismatch",
            msg::enroll_mismatch(&answer.agency_code, answer.counter, &office.agency_code, office.counter),
        ));
    }
    store.set_setting(HUB_URL_KEY, Some(&hub_url))?;
    store.set_setting(
        PLAIN_HTTP_KEY,
        (transport == Transport::PlainHttpAllowed).then_some("1"),
    )?;
    store.set_setting(TOKEN_KEY, Some(&answer.token))?;
    store.set_setting(RESTORED_KEY, None)?;
    store.set_setting(RESTORE_AFTER_KEY, None)?;
    tracing::info!(hub = %hub_url, agency = %answer.agency_code, counter = answer.counter, "enrolled with the hub");
    Ok(answer)
}

/// 32 random bytes, hex.
pub fn random_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::refused("random_unavailable", e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
