//! The wire protocol between a counter and the provincial hub, version 1.
//!
//! HTTP + JSON under `/v1`, bodies gzip-compressed in both directions
//! (`Content-Encoding: gzip` on requests, `Accept-Encoding: gzip` on
//! answers). Every answer that is not 2xx carries an [`ApiError`]. These
//! types are the single definition of the protocol: the hub serves them,
//! the counter sends them, and `hub/openapi.json` is generated from them
//! (a test fails when the committed document and the code differ).
//!
//! Idempotency: an event is identified by the UUIDv7 the counter made when
//! it recorded the fact. The hub stores each id at most once, so a page may
//! be sent again after any failure and is answered `duplicate` for what
//! already arrived.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dossier::Event;
use crate::error::{Error, Result};

/// Raised when a change would break an older counter; the hub answers
/// 426 to a counter speaking another version. 2: pulls carry the
/// province's form texts (`Change::FormTexts`).
pub const PROTOCOL_VERSION: u32 = 2;

/// The most events a counter sends in one push, and the most changes the
/// hub returns in one pull.
pub const MAX_PAGE: usize = 500;

/// The largest request body the hub reads, after decompression: a full
/// page of [`MAX_PAGE`] events at up to 32 KiB each (a reception with many
/// documents and fees, long names and notes is about 4 KiB). Larger is
/// answered 413, and the counter splits its page.
pub const MAX_BODY_BYTES: usize = MAX_PAGE * 32 * 1024;

/// Header naming the protocol version a counter speaks.
pub const PROTOCOL_HEADER: &str = "x-motcua-protocol";

/// `GET /v1/health`: unauthenticated; used as the cheap reachability probe
/// and for the clock check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// `ok` when the hub and its database answer.
    pub status: String,
    pub protocol: u32,
    /// The hub's clock, RFC 3339 in UTC.
    pub server_time: String,
    pub version: String,
}

/// `POST /v1/enroll`: exchanges a one-time enrollment code for a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EnrollRequest {
    /// The one-time code the provincial admin gave the commune.
    #[schemars(length(min = 1, max = 100))]
    pub code: String,
    /// The device id the counter made at set-up (UUIDv7); kept as text,
    /// so it holds no NUL character.
    #[schemars(length(min = 1, max = 100), regex(pattern = r"^[^\u0000]*$"))]
    pub device_id: String,
    /// A random secret the counter made and kept before asking. A retry
    /// after a lost answer presents the same code, id and secret and is
    /// given the same token again (it is derived from the secret and the
    /// code); any other device presenting a spent code is refused.
    #[schemars(length(min = 32, max = 200))]
    pub device_secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EnrollResponse {
    /// Bearer token for every other call; the hub keeps only its hash.
    pub token: String,
    pub agency_code: String,
    pub office_name: String,
    pub counter: u32,
}

/// The `device` of every event the province records on the hub itself
/// (hand-over, supplement request, result …).
pub const PROVINCE_DEVICE: &str = "hub";

/// One event as it travels: the local event plus the dossier code (so the
/// hub can check codes stay unique across the province).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WireEvent {
    pub id: Uuid,
    pub dossier_id: Uuid,
    pub dossier_code: String,
    /// `received`, `handed_over`, `supplement_requested`, … (see `EventBody`).
    pub kind: String,
    pub payload: serde_json::Value,
    pub actor: String,
    pub device: String,
    /// RFC 3339 with the +07:00 offset.
    pub occurred_at: String,
    /// The hash of the event before this one in its device's chain (`""`
    /// for the first; see `chain`). Absent on events stored before the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_hash: Option<String>,
    /// `chain::hash(prev_hash, this event)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl WireEvent {
    /// What the chain hashes of this event.
    pub fn content(&self) -> crate::chain::Content<'_> {
        crate::chain::Content {
            id_text: self.id.to_string(),
            dossier_id_text: self.dossier_id.to_string(),
            kind: &self.kind,
            payload: &self.payload,
            actor: &self.actor,
            device: &self.device,
            occurred_at: &self.occurred_at,
        }
    }

    /// Whether the event carries a hash that matches its content and its
    /// stated predecessor (false when it carries none).
    pub fn hash_matches(&self) -> bool {
        match (&self.prev_hash, &self.hash) {
            (Some(prev), Some(hash)) => crate::chain::hash(prev, &self.content()) == *hash,
            _ => false,
        }
    }

    pub fn from_event(e: &Event, dossier_code: &str) -> Result<WireEvent> {
        let body = serde_json::to_value(&e.body).map_err(|err| Error::refused("serialize", err.to_string()))?;
        Ok(WireEvent {
            id: e.id,
            dossier_id: e.dossier_id,
            dossier_code: dossier_code.to_string(),
            kind: e.body.kind().to_string(),
            payload: body.get("payload").cloned().unwrap_or(serde_json::Value::Null),
            actor: e.actor.clone(),
            device: e.device.clone(),
            occurred_at: e.occurred_at.clone(),
            prev_hash: None,
            hash: None,
        })
    }

    /// The core event, or why this is not one (unknown kind, bad payload).
    pub fn to_event(&self) -> std::result::Result<Event, String> {
        let mut tagged = serde_json::Map::new();
        tagged.insert("kind".into(), serde_json::Value::String(self.kind.clone()));
        if !self.payload.is_null() {
            tagged.insert("payload".into(), self.payload.clone());
        }
        let body = serde_json::from_value(serde_json::Value::Object(tagged)).map_err(|e| e.to_string())?;
        Ok(Event {
            id: self.id,
            dossier_id: self.dossier_id,
            body,
            actor: self.actor.clone(),
            device: self.device.clone(),
            occurred_at: self.occurred_at.clone(),
        })
    }
}

/// `POST /v1/push`: a page of events in the counter's creation order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PushRequest {
    pub events: Vec<WireEvent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now.
    Accepted,
    /// Already stored by an earlier push (an answer that was lost).
    Duplicate,
    /// Not stored; `code` and `reason` say why. Sending it again will not help.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EventAck {
    pub id: Uuid,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Stored, but dated more than two minutes after it arrived, or before
    /// an event this device pushed earlier: the PC's clock is suspect
    /// (`dossier::rules::clock_suspect`). Absent means false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clock_suspect: bool,
}

/// One answer per event of the request, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PushResponse {
    pub results: Vec<EventAck>,
}

/// `GET /v1/pull?cursor=N&limit=M`: what changed for the device's office
/// after `cursor` (0 the first time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass this as `cursor` next time; it never goes backwards.
    pub cursor: i64,
    /// More changes wait after this page.
    pub more: bool,
}

/// `GET /v1/restore?after=ID&limit=M`: the dossiers this device's counter
/// received, as the hub holds them, for a PC that replaces a lost one.
/// Dossiers come in id order (UUIDv7, so reception order); pass the last
/// one's id as `after` for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RestorePage {
    pub dossiers: Vec<RestoredDossier>,
    /// More dossiers wait after this page.
    pub more: bool,
}

/// One dossier with every event the hub holds for it (the counter's and
/// the province's), in the order the hub stored them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RestoredDossier {
    pub id: Uuid,
    pub code: String,
    pub events: Vec<WireEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A fact the province recorded on one of this counter's dossiers.
    DossierEvent { seq: i64, event: WireEvent },
    /// A new version of the procedure catalog (the catalog file format).
    Catalog {
        seq: i64,
        version: i64,
        label: String,
        catalog: serde_json::Value,
    },
    /// The official holiday schedule of one year (the schedule file format).
    Calendar {
        seq: i64,
        year: i32,
        version: i64,
        schedule: serde_json::Value,
    },
    /// A new version of the province's form texts (`form_texts` set format).
    FormTexts {
        seq: i64,
        version: i64,
        label: String,
        texts: serde_json::Value,
    },
}

impl Change {
    pub fn seq(&self) -> i64 {
        match self {
            Change::DossierEvent { seq, .. }
            | Change::Catalog { seq, .. }
            | Change::Calendar { seq, .. }
            | Change::FormTexts { seq, .. } => *seq,
        }
    }
}

/// `GET /v1/whoami`: which office and counter a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WhoAmI {
    pub agency_code: String,
    pub office_name: String,
    pub counter: u32,
    pub device_id: String,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApiError {
    /// Stable code (`auth_invalid`, `enroll_code_spent`, …).
    pub code: String,
    /// Vietnamese, for the person at the counter or the admin.
    pub message: String,
}
