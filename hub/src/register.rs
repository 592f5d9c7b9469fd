//! The province-wide register: every write the hub makes.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::calendar::{Calendar, CalendarData, OfficeHours, YearSchedule};
use motcua_domain::dossier::rules::{self, ActionRequest, Stamp};
use motcua_domain::dossier::{Dossier, Event, EventBody};
use motcua_domain::wire::{
    Change, EnrollRequest, EnrollResponse, EventAck, Outcome, PullResponse, RestorePage, RestoredDossier, WireEvent,
};
use sqlx::{PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

use crate::auth::{self, Device};
use crate::db::CHANGES_LOCK;
use crate::HubError;

/// Days an enrollment code stays valid unless told otherwise.
pub const ENROLLMENT_CODE_DAYS: i64 = 7;
/// A device's token lives this long after its enrollment or its last
/// successful sync, unless `serve --token-days` says otherwise; then the
/// counter must enroll again.
pub const DEFAULT_TOKEN_DAYS: i64 = 180;

fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> HubError {
    HubError::api(status, code, message)
}

fn office_lock_key(office: &str) -> i64 {
    // FNV-1a of the agency code: one lock per office serialises its pushes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in office.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// Takes a transaction-scoped advisory lock (released at commit or rollback).
pub async fn lock(tx: &mut Transaction<'_, Postgres>, key: i64) -> Result<(), HubError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---- offices and enrollment -------------------------------------------------

pub async fn add_office(pool: &PgPool, agency_code: &str, name: &str) -> Result<(), HubError> {
    if !motcua_domain::office::is_valid_agency_code(agency_code) {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "agency_code_invalid",
            format!("Mã cơ quan «{agency_code}» không đúng dạng 000.00.00.H14 (QĐ 20/2020/QĐ-TTg)."),
        ));
    }
    let name = motcua_domain::text::nfc(name.trim());
    if name.is_empty() {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "office_name_missing",
            "Hãy ghi tên cơ quan.",
        ));
    }
    sqlx::query(
        "INSERT INTO offices (agency_code, name) VALUES ($1, $2)
         ON CONFLICT (agency_code) DO UPDATE SET name = excluded.name",
    )
    .bind(agency_code)
    .bind(&name)
    .execute(pool)
    .await?;
    Ok(())
}

/// Makes a one-time code for one counter of an office; only its hash is kept.
pub async fn make_enrollment_code(
    pool: &PgPool,
    office: &str,
    counter: u32,
    valid_days: i64,
    now: DateTime<Utc>,
) -> Result<String, HubError> {
    if !(1..=motcua_domain::office::MAX_COUNTER).contains(&counter) {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "counter_invalid",
            "Số quầy phải từ 1 đến 9.",
        ));
    }
    let exists: bool = sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM offices WHERE agency_code = $1)")
        .bind(office)
        .fetch_one(pool)
        .await?;
    if !exists {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "office_unknown",
            format!("Chưa có cơ quan {office}; hãy thêm bằng «motcua-hub office add» trước."),
        ));
    }
    let code = auth::new_enrollment_code()?;
    sqlx::query("INSERT INTO enrollment_codes (code_hash, office, counter, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(auth::hash(&auth::canonical_code(&code)))
        .bind(office)
        .bind(counter as i32)
        .bind(now + chrono::Duration::days(valid_days.max(1)))
        .execute(pool)
        .await?;
    Ok(code)
}

fn code_spent() -> HubError {
    refused(
        StatusCode::FORBIDDEN,
        "enroll_code_spent",
        "Mã đăng ký này đã được một máy khác dùng. Hãy xin quản trị viên tỉnh mã mới.",
    )
}

/// Exchanges a one-time code for a token (see `EnrollRequest` for the
/// lost-answer rule). Enrolling a counter revokes the PC that held it before.
pub async fn enroll(
    pool: &PgPool,
    request: &EnrollRequest,
    token_days: i64,
    now: DateTime<Utc>,
) -> Result<EnrollResponse, HubError> {
    // Exactly the bounds the OpenAPI document states for EnrollRequest.
    let chars = |s: &str| s.chars().count();
    // The code and the secret are only hashed; the device id is kept as
    // text, which PostgreSQL cannot hold with a NUL in it.
    if request.device_id.contains('\0')
        || !(1..=100).contains(&chars(&request.code))
        || !(1..=100).contains(&chars(&request.device_id))
        || !(32..=200).contains(&chars(&request.device_secret))
    {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "enroll_request_invalid",
            "Yêu cầu đăng ký thiếu mã thiết bị hoặc khóa thiết bị.",
        ));
    }
    let mut tx = pool.begin().await?;
    let row = sqlx::query(
        "SELECT c.office, c.counter, c.expires_at, c.spent_at, c.spent_by_device, c.device_secret_hash, o.name
           FROM enrollment_codes c JOIN offices o ON o.agency_code = c.office
          WHERE c.code_hash = $1 FOR UPDATE OF c",
    )
    .bind(auth::hash(&auth::canonical_code(&request.code)))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "enroll_code_unknown",
            "Mã đăng ký không đúng. Hãy kiểm tra lại từng ký tự, hoặc xin quản trị viên tỉnh mã mới.",
        ));
    };
    let office: String = row.try_get("office")?;
    let counter: i32 = row.try_get("counter")?;
    let office_name: String = row.try_get("name")?;
    let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
    let spent_at: Option<DateTime<Utc>> = row.try_get("spent_at")?;
    let spent_by: Option<String> = row.try_get("spent_by_device")?;
    let secret_hash: Option<String> = row.try_get("device_secret_hash")?;
    let token = auth::enrollment_token(&request.device_secret, &request.code);
    if spent_at.is_some() {
        let same_device = spent_by.as_deref() == Some(request.device_id.as_str())
            && secret_hash.as_deref() == Some(auth::hash(&request.device_secret).as_str());
        if !same_device {
            return Err(code_spent());
        }
        // The same PC asking again (its first answer was lost, or the
        // request came twice): it is given the same token again, and the
        // token's life starts anew.
        let updated = sqlx::query(
            "UPDATE devices SET token_hash = $2, expires_at = $5 WHERE device_id = $1 AND office = $3 AND counter = $4
               AND revoked_at IS NULL",
        )
        .bind(&request.device_id)
        .bind(auth::hash(&token))
        .bind(&office)
        .bind(counter)
        .bind(now + chrono::Duration::days(token_days))
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(code_spent());
        }
    } else {
        if expires_at < now {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "enroll_code_expired",
                "Mã đăng ký đã hết hạn. Hãy xin quản trị viên tỉnh mã mới.",
            ));
        }
        sqlx::query(
            "UPDATE devices SET revoked_at = now(), revoked_by = 'thay bằng máy đăng ký mới'
              WHERE office = $1 AND counter = $2 AND revoked_at IS NULL AND device_id <> $3",
        )
        .bind(&office)
        .bind(counter)
        .bind(&request.device_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO devices (device_id, office, counter, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (device_id) DO UPDATE SET office = excluded.office, counter = excluded.counter,
                 token_hash = excluded.token_hash, enrolled_at = now(), revoked_at = NULL, revoked_by = NULL,
                 expires_at = excluded.expires_at",
        )
        .bind(&request.device_id)
        .bind(&office)
        .bind(counter)
        .bind(auth::hash(&token))
        .bind(now + chrono::Duration::days(token_days))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE enrollment_codes SET spent_at = now(), spent_by_device = $2, device_secret_hash = $3
              WHERE code_hash = $1",
        )
        .bind(auth::hash(&auth::canonical_code(&request.code)))
        .bind(&request.device_id)
        .bind(auth::hash(&request.device_secret))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(office = %office, counter, device = %request.device_id, "device enrolled");
    Ok(EnrollResponse {
        token,
        agency_code: office,
        office_name,
        counter: counter as u32,
    })
}

// ---- push ---------------------------------------------------------------------

fn rejected(id: Uuid, code: &str, reason: impl Into<String>) -> EventAck {
    EventAck {
        id,
        outcome: Outcome::Rejected,
        code: Some(code.to_string()),
        reason: Some(reason.into()),
        clock_suspect: false,
    }
}

fn ack(id: Uuid, outcome: Outcome) -> EventAck {
    EventAck {
        id,
        outcome,
        code: None,
        reason: None,
        clock_suspect: false,
    }
}

/// A refusal of the rulebook as the hub answers it: bad input 400, a
/// missing thing 404, a refused step 409.
pub fn rule_refusal(e: motcua_domain::Error) -> HubError {
    use motcua_domain::Error as E;
    let status = match &e {
        E::Invalid { .. } | E::InvalidMany(_) => StatusCode::BAD_REQUEST,
        E::NotFound { .. } => StatusCode::NOT_FOUND,
        E::Refused { .. } => StatusCode::CONFLICT,
    };
    refused(status, e.code(), e.to_string())
}

/// The province's calendar: the bundled official schedules, replaced year
/// by year by the newest one the province published, with default office
/// hours (the hub judges days, not a commune's sessions).
pub async fn province_calendar<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<Calendar, HubError> {
    let published: Vec<sqlx::types::Json<YearSchedule>> =
        sqlx::query_scalar("SELECT DISTINCT ON (year) data FROM calendar_schedules ORDER BY year, version DESC")
            .fetch_all(db)
            .await?;
    let mut data = CalendarData::bundled();
    for schedule in published {
        data.schedules.insert(schedule.0.year, schedule.0);
    }
    Ok(Calendar::new(data, OfficeHours::default()))
}

/// What a push page is judged with: the province's calendar, when the
/// page arrived, and the latest time the pushing device dated an event.
struct PushContext {
    calendar: Calendar,
    arrived: DateTime<FixedOffset>,
    device_latest: Option<DateTime<FixedOffset>>,
}

impl PushContext {
    /// Whether an event dated `occurred` is clock-suspect (after its
    /// arrival, or before what the device pushed earlier); it then counts
    /// as the device's latest.
    fn clock_verdict(&mut self, occurred: DateTime<FixedOffset>) -> bool {
        let suspect = rules::clock_suspect(occurred, self.arrived, self.device_latest);
        self.device_latest = Some(self.device_latest.map_or(occurred, |l| l.max(occurred)));
        suspect
    }
}

/// Whether any text of a pushed event holds a NUL character, which
/// PostgreSQL cannot keep in text or jsonb: such an event is refused
/// (`bad_event`) before the database sees it, never its whole page failed
/// — a failed page is sent again by its counter for ever. (Found by the
/// `push_handler` fuzz target.)
fn holds_nul(e: &WireEvent) -> bool {
    fn in_value(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().any(in_value),
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || in_value(v)),
            _ => false,
        }
    }
    [&e.dossier_code, &e.kind, &e.actor, &e.device, &e.occurred_at]
        .iter()
        .any(|s| s.contains('\0'))
        || [&e.prev_hash, &e.hash]
            .iter()
            .any(|s| s.as_deref().is_some_and(|s| s.contains('\0')))
        || in_value(&e.payload)
}

/// The core event a pushed one stands for, or the refusal to answer with.
fn readable(e: &WireEvent) -> Result<Event, EventAck> {
    e.to_event()
        .map_err(|reason| rejected(e.id, "bad_event", format!("Sự kiện không đọc được: {reason}")))
}

/// Stores a page of a counter's events in one transaction and answers for
/// each: every event is re-checked, in order, by the same rulebook the
/// counter used (`rules::verify`, with the province's calendar) and refused
/// (`conflict` / `bad_event`) when the rules refuse it. Each stored event
/// keeps its arrival time `now`, the pushing device (from the token) and
/// the clock verdict. Pushes of one office are serialised by an advisory
/// lock, so the same page arriving twice at once is answered `duplicate`
/// the second time.
///
/// The page is read in a few queries up front and written in a few at the
/// end ([`Page`]); in between, the events are judged one by one against
/// what the page holds, exactly as if each were stored before the next is
/// judged.
pub async fn ingest(
    pool: &PgPool,
    device: &Device,
    events: &[WireEvent],
    now: DateTime<Utc>,
) -> Result<Vec<EventAck>, HubError> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, office_lock_key(&device.office)).await?;
    let latest: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT MAX(occurred_utc) FROM events WHERE pushed_by = $1")
        .bind(&device.device_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut context = PushContext {
        calendar: province_calendar(&mut *tx).await?,
        arrived: now.fixed_offset(),
        device_latest: latest.map(|t| t.fixed_offset()),
    };
    let mut page = Page::read(&mut tx, device, events).await?;
    let mut acks = Vec::with_capacity(events.len());
    for e in events {
        acks.push(ingest_one(&mut tx, &mut page, device, e, &mut context).await?);
    }
    page.write(&mut tx).await?;
    tx.commit().await?;
    Ok(acks)
}

/// A dossier as the page holds it while its events are judged.
struct HeldDossier {
    office: String,
    counter: i32,
    dossier: Dossier,
    /// Received in this page: inserted at the end.
    new: bool,
    /// Changed by this page: written at the end.
    changed: bool,
}

/// What judging one page reads once (the events, links, chain heads and
/// dossiers it names) and writes once (new dossiers, changed ones, events,
/// links, heads). Every lookup sees the events of the page judged before.
struct Page {
    /// Events already stored (dossier events and office facts): their hash.
    stored: HashMap<Uuid, Option<String>>,
    /// Chain links already kept, by event: their hash.
    links: HashMap<Uuid, String>,
    /// Each chain's head as it stands after the events judged so far.
    heads: HashMap<String, Option<String>>,
    /// Heads moved by this page: (hash, event) per chain.
    moved: HashMap<String, (String, Uuid)>,
    /// Whether a device is a revoked predecessor of the pushing one.
    predecessors: HashMap<String, bool>,
    dossiers: HashMap<Uuid, HeldDossier>,
    /// Codes held by any dossier (stored or received in this page).
    codes: HashSet<String>,
    /// Order in which new dossiers were received (inserted in that order).
    received: Vec<Uuid>,
    new_events: Vec<EventRow>,
    new_links: Vec<(Uuid, String, String, String)>,
}

impl Page {
    async fn read(tx: &mut Transaction<'_, Postgres>, device: &Device, events: &[WireEvent]) -> Result<Page, HubError> {
        let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
        // Only text PostgreSQL can compare: the rest is refused one by one.
        let events: Vec<&WireEvent> = events.iter().filter(|e| !holds_nul(e)).collect();
        let stored: HashMap<Uuid, Option<String>> = sqlx::query_as::<_, (Uuid, Option<String>)>(
            "SELECT id, hash FROM events WHERE id = ANY($1)
             UNION ALL SELECT id, hash FROM office_events WHERE id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
        let links: HashMap<Uuid, String> =
            sqlx::query_as::<_, (Uuid, String)>("SELECT event_id, hash FROM chain_links WHERE event_id = ANY($1)")
                .bind(&ids)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .collect();
        let mut chains: Vec<String> = events.iter().map(|e| e.device.clone()).collect();
        chains.push(device.device_id.clone());
        chains.sort();
        chains.dedup();
        let mut heads: HashMap<String, Option<String>> = chains.iter().map(|c| (c.clone(), None)).collect();
        for (chain, hash) in
            sqlx::query_as::<_, (String, String)>("SELECT device, hash FROM chain_heads WHERE device = ANY($1)")
                .bind(&chains)
                .fetch_all(&mut **tx)
                .await?
        {
            heads.insert(chain, Some(hash));
        }
        let dossier_ids: Vec<Uuid> = events
            .iter()
            .filter(|e| !e.dossier_id.is_nil())
            .map(|e| e.dossier_id)
            .collect();
        let codes: Vec<&str> = events.iter().map(|e| e.dossier_code.as_str()).collect();
        // Locked in id order, so two pages never wait on each other in a circle.
        let rows: Vec<(Uuid, String, String, i32, sqlx::types::Json<Dossier>)> = sqlx::query_as(
            "SELECT id, code, office, counter, data FROM dossiers
              WHERE id = ANY($1) OR code = ANY($2)
              ORDER BY id FOR UPDATE",
        )
        .bind(&dossier_ids)
        .bind(&codes)
        .fetch_all(&mut **tx)
        .await?;
        let mut page = Page {
            stored,
            links,
            heads,
            moved: HashMap::new(),
            predecessors: HashMap::new(),
            dossiers: HashMap::with_capacity(rows.len()),
            codes: HashSet::with_capacity(rows.len()),
            received: Vec::new(),
            new_events: Vec::with_capacity(events.len()),
            new_links: Vec::with_capacity(events.len()),
        };
        for (id, code, office, counter, data) in rows {
            page.codes.insert(code);
            page.dossiers.insert(
                id,
                HeldDossier {
                    office,
                    counter,
                    dossier: data.0,
                    new: false,
                    changed: false,
                },
            );
        }
        Ok(page)
    }

    /// Whether `other` is a PC this counter had before `device` (see
    /// [`is_predecessor`]), asked once per page.
    async fn is_predecessor(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        device: &Device,
        other: &str,
    ) -> Result<bool, HubError> {
        if let Some(known) = self.predecessors.get(other) {
            return Ok(*known);
        }
        let answer = is_predecessor(tx, device, other).await?;
        self.predecessors.insert(other.to_string(), answer);
        Ok(answer)
    }

    fn keep_link(&mut self, event: Uuid, chain: &str, prev: &str, hash: &str) {
        self.links.insert(event, hash.to_string());
        self.heads.insert(chain.to_string(), Some(hash.to_string()));
        self.moved.insert(chain.to_string(), (hash.to_string(), event));
        self.new_links
            .push((event, chain.to_string(), prev.to_string(), hash.to_string()));
    }

    /// Writes what the page changed: dossiers first (events refer to them).
    async fn write(self, tx: &mut Transaction<'_, Postgres>) -> Result<(), HubError> {
        let json = |d: &Dossier| {
            serde_json::to_string(d)
                .map_err(|e| HubError::api(StatusCode::INTERNAL_SERVER_ERROR, "serialize", e.to_string()))
        };
        let (mut ids, mut codes, mut offices, mut counters, mut data) = (vec![], vec![], vec![], vec![], vec![]);
        for id in &self.received {
            if let Some(h) = self.dossiers.get(id) {
                ids.push(*id);
                codes.push(h.dossier.code.clone());
                offices.push(h.office.clone());
                counters.push(h.counter);
                data.push(json(&h.dossier)?);
            }
        }
        if !ids.is_empty() {
            sqlx::query(
                "INSERT INTO dossiers (id, code, office, counter, data)
                 SELECT id, code, office, counter, data::jsonb
                   FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::int4[], $5::text[])
                        WITH ORDINALITY AS r(id, code, office, counter, data, n)
                  ORDER BY n",
            )
            .bind(&ids)
            .bind(&codes)
            .bind(&offices)
            .bind(&counters)
            .bind(&data)
            .execute(&mut **tx)
            .await?;
        }
        let (mut ids, mut data) = (vec![], vec![]);
        for (id, h) in &self.dossiers {
            if h.changed && !h.new {
                ids.push(*id);
                data.push(json(&h.dossier)?);
            }
        }
        if !ids.is_empty() {
            sqlx::query(
                "UPDATE dossiers d SET data = r.data::jsonb, updated_at = now()
                   FROM UNNEST($1::uuid[], $2::text[]) AS r(id, data)
                  WHERE d.id = r.id",
            )
            .bind(&ids)
            .bind(&data)
            .execute(&mut **tx)
            .await?;
        }
        insert_events(tx, &self.new_events).await?;
        if !self.new_links.is_empty() {
            let mut columns: (Vec<Uuid>, Vec<String>, Vec<String>, Vec<String>) = Default::default();
            for (event, chain, prev, hash) in self.new_links {
                columns.0.push(event);
                columns.1.push(chain);
                columns.2.push(prev);
                columns.3.push(hash);
            }
            sqlx::query(
                "INSERT INTO chain_links (event_id, device, prev_hash, hash)
                 SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[])",
            )
            .bind(&columns.0)
            .bind(&columns.1)
            .bind(&columns.2)
            .bind(&columns.3)
            .execute(&mut **tx)
            .await?;
        }
        for (chain, (hash, event)) in &self.moved {
            set_head(tx, chain, hash, *event).await?;
        }
        Ok(())
    }
}

/// Why a pushed event does not continue its device's chain.
#[derive(Debug, Clone, Copy)]
enum Break {
    /// It carries no hash.
    Missing,
    /// Its hash does not match its content.
    Altered,
    /// Its predecessor is not the last event the device sent.
    Gap,
    /// The hub already holds it (or its link) with another hash.
    Rewritten,
}

impl Break {
    fn key(self) -> &'static str {
        match self {
            Break::Missing => "missing",
            Break::Altered => "altered",
            Break::Gap => "gap",
            Break::Rewritten => "rewritten",
        }
    }
}

/// Refuses an event that breaks its device's chain, and keeps the break
/// for the province's admin (`motcua-hub audit breaks`).
async fn break_chain(
    tx: &mut Transaction<'_, Postgres>,
    device: &Device,
    e: &WireEvent,
    why: Break,
) -> Result<EventAck, HubError> {
    sqlx::query(
        "INSERT INTO chain_breaks (device, office, event_id, dossier_code, reason) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&device.device_id)
    .bind(&device.office)
    .bind(e.id)
    .bind(&e.dossier_code)
    .bind(why.key())
    .execute(&mut **tx)
    .await?;
    tracing::warn!(device = %device.device_id, event = %e.id, reason = why.key(), "chain broken");
    Ok(rejected(
        e.id,
        "chain_broken",
        motcua_domain::messages::chain_broken(why.key()),
    ))
}

/// One pushed event: stored once (a repeat is `duplicate`, unless its hash
/// says the device's history was rewritten), its chain link checked
/// against the device's head, then judged by the rules; the link of every
/// event judged — accepted or refused by the rules — moves the head on.
async fn ingest_one(
    tx: &mut Transaction<'_, Postgres>,
    page: &mut Page,
    device: &Device,
    e: &WireEvent,
    context: &mut PushContext,
) -> Result<EventAck, HubError> {
    if holds_nul(e) {
        return Ok(rejected(
            e.id,
            "bad_event",
            "Sự kiện chứa ký tự NUL (\\0), máy chủ tỉnh không lưu được.",
        ));
    }
    if let Some(stored) = page.stored.get(&e.id) {
        if let (Some(held), Some(sent)) = (stored, &e.hash) {
            if held != sent {
                return break_chain(tx, device, e, Break::Rewritten).await;
            }
        }
        return Ok(ack(e.id, Outcome::Duplicate));
    }
    // An office fact belongs to the pushing device's office by construction.
    let agency = match is_office_fact(e) {
        true => Some(device.office.clone()),
        false => motcua_domain::code::parse(&e.dossier_code).map(|c| c.agency),
    };
    if agency.as_deref() != Some(device.office.as_str()) {
        return Ok(rejected(
            e.id,
            "wrong_office",
            format!(
                "Hồ sơ {} không thuộc cơ quan {} của quầy này.",
                e.dossier_code, device.office
            ),
        ));
    }
    // Whose chain the event extends: the pushing PC's, or — restored from
    // a backup onto a PC enrolled in its place — its predecessor's at this
    // counter, which it may only continue link by link.
    let chain_device = if e.device == device.device_id {
        device.device_id.clone()
    } else if page.is_predecessor(tx, device, &e.device).await? {
        e.device.clone()
    } else {
        return Ok(rejected(
            e.id,
            "bad_event",
            motcua_domain::messages::EVENT_OF_ANOTHER_DEVICE,
        ));
    };
    let fresh = match page.links.get(&e.id) {
        // Sent before and refused by the rules; its link is already kept.
        Some(held) if e.hash.as_deref() == Some(held.as_str()) => false,
        Some(_) => return break_chain(tx, device, e, Break::Rewritten).await,
        None => {
            if e.hash.is_none() {
                return break_chain(tx, device, e, Break::Missing).await;
            }
            if !e.hash_matches() {
                return break_chain(tx, device, e, Break::Altered).await;
            }
            // A device's first link the hub sees may follow events sent
            // before the chain existed: it starts the chain here.
            let head = page.heads.get(&chain_device).cloned().flatten();
            if head.is_some_and(|h| Some(h.as_str()) != e.prev_hash.as_deref()) {
                return break_chain(tx, device, e, Break::Gap).await;
            }
            true
        }
    };
    let answer = match is_office_fact(e) {
        true => keep_office_fact(tx, device, e, context).await?,
        false => judge(page, device, e, context)?,
    };
    if answer.outcome == Outcome::Accepted {
        page.stored.insert(e.id, e.hash.clone());
    }
    if let (true, Some(prev), Some(hash)) = (fresh, &e.prev_hash, &e.hash) {
        page.keep_link(e.id, &chain_device, prev, hash);
    }
    Ok(answer)
}

/// Whether `other` is a PC this counter had before `device`: enrolled for
/// the same office and counter, and revoked (enrolling `device` revoked it).
async fn is_predecessor(tx: &mut Transaction<'_, Postgres>, device: &Device, other: &str) -> Result<bool, HubError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM devices
                        WHERE device_id = $1 AND office = $2 AND counter = $3 AND revoked_at IS NOT NULL)",
    )
    .bind(other)
    .bind(&device.office)
    .bind(device.counter as i32)
    .fetch_one(&mut **tx)
    .await?)
}

async fn set_head(tx: &mut Transaction<'_, Postgres>, device: &str, hash: &str, event: Uuid) -> Result<(), HubError> {
    sqlx::query(
        "INSERT INTO chain_heads (device, hash, event_id) VALUES ($1, $2, $3)
         ON CONFLICT (device) DO UPDATE SET hash = excluded.hash, event_id = excluded.event_id, updated_at = now()",
    )
    .bind(device)
    .bind(hash)
    .bind(event)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a pushed event is one of the office's own facts (accounts,
/// settings, calendar, enrollment …) rather than a dossier's.
fn is_office_fact(e: &WireEvent) -> bool {
    e.kind == "office" || e.dossier_id.is_nil()
}

/// Stores an office fact whose chain link holds. It changes no dossier, so
/// the rulebook has nothing to judge; it must read as an office fact and
/// name no dossier.
async fn keep_office_fact(
    tx: &mut Transaction<'_, Postgres>,
    device: &Device,
    e: &WireEvent,
    context: &mut PushContext,
) -> Result<EventAck, HubError> {
    let event = match readable(e) {
        Ok(ev) => ev,
        Err(refusal) => return Ok(refusal),
    };
    if !matches!(event.body, EventBody::Office(_)) || !e.dossier_id.is_nil() {
        return Ok(rejected(
            e.id,
            "bad_event",
            motcua_domain::messages::OFFICE_EVENT_NOT_DOSSIER,
        ));
    }
    let Ok(occurred) = DateTime::parse_from_rfc3339(&event.occurred_at) else {
        return Ok(rejected(
            e.id,
            "bad_event",
            motcua_domain::messages::bad_event_time(&event.occurred_at),
        ));
    };
    let suspect = context.clock_verdict(occurred);
    sqlx::query(
        "INSERT INTO office_events (id, office, kind, payload, actor, device, occurred_at, occurred_utc, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.id)
    .bind(&device.office)
    .bind(&e.kind)
    .bind(sqlx::types::Json(&e.payload))
    .bind(&e.actor)
    .bind(&e.device)
    .bind(&e.occurred_at)
    .bind(occurred.with_timezone(&Utc))
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut **tx)
    .await?;
    Ok(EventAck {
        clock_suspect: suspect,
        ..ack(e.id, Outcome::Accepted)
    })
}

/// The rules' verdict on a pushed event whose chain link holds; the page
/// keeps it (and the dossier it changes) when accepted.
fn judge(page: &mut Page, device: &Device, e: &WireEvent, context: &mut PushContext) -> Result<EventAck, HubError> {
    let event = match readable(e) {
        Ok(ev) => ev,
        Err(refusal) => return Ok(refusal),
    };
    let next = match &event.body {
        EventBody::Received(r) => {
            if r.code != e.dossier_code {
                return Ok(rejected(e.id, "bad_event", "Mã hồ sơ trong sự kiện không khớp."));
            }
            if r.counter != device.counter {
                return Ok(rejected(
                    e.id,
                    "wrong_counter",
                    format!(
                        "Hồ sơ do quầy {} tiếp nhận, nhưng mã truy cập là của quầy {}.",
                        r.counter, device.counter
                    ),
                ));
            }
            // A counter issues codes from its own block only: two counters
            // can then never give one code (domain::code::block).
            let block = motcua_domain::code::block(device.counter);
            let seq = motcua_domain::code::parse(&e.dossier_code).map(|c| c.seq);
            if !seq.is_some_and(|n| block.contains(&n)) {
                return Ok(rejected(
                    e.id,
                    "code_out_of_block",
                    format!(
                        "Mã hồ sơ {} nằm ngoài dải số của quầy {} ({:04}–{:04}).",
                        e.dossier_code,
                        device.counter,
                        block.start(),
                        block.end()
                    ),
                ));
            }
            if page.codes.contains(&e.dossier_code) || page.dossiers.contains_key(&e.dossier_id) {
                return Ok(rejected(
                    e.id,
                    "code_taken",
                    format!(
                        "Mã hồ sơ {} đã được dùng cho một hồ sơ khác trong tỉnh. Hãy báo quản trị viên tỉnh.",
                        e.dossier_code
                    ),
                ));
            }
            let d = match Dossier::apply(None, &event) {
                Ok(d) => d,
                Err(err) => return Ok(rejected(e.id, "bad_event", err.to_string())),
            };
            page.codes.insert(d.code.clone());
            page.received.push(d.id);
            page.dossiers.insert(
                d.id,
                HeldDossier {
                    office: device.office.clone(),
                    counter: d.counter as i32,
                    dossier: d.clone(),
                    new: true,
                    changed: true,
                },
            );
            d
        }
        _ => {
            let Some(held) = page.dossiers.get_mut(&e.dossier_id) else {
                return Ok(rejected(
                    e.id,
                    "dossier_unknown",
                    format!(
                        "Máy chủ tỉnh chưa có hồ sơ {}; sự kiện tiếp nhận phải đến trước.",
                        e.dossier_code
                    ),
                ));
            };
            if held.office != device.office {
                return Ok(rejected(
                    e.id,
                    "wrong_office",
                    "Hồ sơ không thuộc cơ quan của quầy này.",
                ));
            }
            // A counter acts only on the dossiers it holds.
            if held.counter as u32 != device.counter {
                return Ok(rejected(
                    e.id,
                    "wrong_counter",
                    format!(
                        "Hồ sơ {} do quầy {} giữ; quầy {} không ghi bước xử lý cho nó.",
                        e.dossier_code, held.counter, device.counter
                    ),
                ));
            }
            let next = match rules::verify(&held.dossier, &event, &context.calendar) {
                Ok(d) => d,
                Err(err) => return Ok(rejected(e.id, "conflict", err.to_string())),
            };
            held.dossier = next.clone();
            held.changed = true;
            next
        }
    };
    // apply() checked that the time parses.
    let occurred = DateTime::parse_from_rfc3339(&event.occurred_at).unwrap_or(context.arrived);
    let suspect = context.clock_verdict(occurred);
    let stored = Stored {
        code: &next.code,
        office: &device.office,
        origin: "counter",
        pushed_by: Some(&device.device_id),
        clock_suspect: suspect,
        link: e.prev_hash.as_deref().zip(e.hash.as_deref()),
    };
    page.new_events.push(EventRow::new(&event, occurred, &stored)?);
    if suspect {
        tracing::warn!(event = %e.id, device = %device.device_id, occurred_at = %event.occurred_at, "clock suspect");
    }
    Ok(EventAck {
        clock_suspect: suspect,
        ..ack(e.id, Outcome::Accepted)
    })
}

/// Where a stored event came from, beside the event itself.
struct Stored<'a> {
    code: &'a str,
    office: &'a str,
    /// `counter` (pushed) or `province` (recorded on the hub).
    origin: &'a str,
    /// The device whose token pushed it.
    pushed_by: Option<&'a str>,
    clock_suspect: bool,
    /// Its chain link: (previous hash, hash).
    link: Option<(&'a str, &'a str)>,
}

/// One row of `events`, ready to insert.
struct EventRow {
    wire: WireEvent,
    payload: String,
    office: String,
    origin: String,
    pushed_by: Option<String>,
    occurred_utc: DateTime<Utc>,
    clock_suspect: bool,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl EventRow {
    fn new(event: &Event, occurred: DateTime<FixedOffset>, stored: &Stored<'_>) -> Result<EventRow, HubError> {
        let serialize =
            |e: motcua_domain::Error| HubError::api(StatusCode::INTERNAL_SERVER_ERROR, "serialize", e.to_string());
        let wire = WireEvent::from_event(event, stored.code).map_err(serialize)?;
        let payload = serde_json::to_string(&wire.payload)
            .map_err(|e| HubError::api(StatusCode::INTERNAL_SERVER_ERROR, "serialize", e.to_string()))?;
        Ok(EventRow {
            payload,
            wire,
            office: stored.office.to_string(),
            origin: stored.origin.to_string(),
            pushed_by: stored.pushed_by.map(str::to_string),
            occurred_utc: occurred.with_timezone(&Utc),
            clock_suspect: stored.clock_suspect,
            prev_hash: stored.link.map(|l| l.0.to_string()),
            hash: stored.link.map(|l| l.1.to_string()),
        })
    }
}

/// Inserts events in the order given (their `hub_seq` follows it), in one
/// statement.
async fn insert_events(tx: &mut Transaction<'_, Postgres>, rows: &[EventRow]) -> Result<(), HubError> {
    if rows.is_empty() {
        return Ok(());
    }
    let column = |f: &dyn Fn(&EventRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let optional = |f: &dyn Fn(&EventRow) -> Option<String>| rows.iter().map(f).collect::<Vec<Option<String>>>();
    sqlx::query(
        "INSERT INTO events (id, dossier_id, office, kind, payload, actor, device, occurred_at, origin,
                             pushed_by, occurred_utc, clock_suspect, prev_hash, hash)
         SELECT id, dossier_id, office, kind, payload::jsonb, actor, device, occurred_at, origin,
                pushed_by, occurred_utc, clock_suspect, prev_hash, hash
           FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::bool[], $13::text[], $14::text[])
                WITH ORDINALITY AS r(id, dossier_id, office, kind, payload, actor, device, occurred_at, origin,
                                     pushed_by, occurred_utc, clock_suspect, prev_hash, hash, n)
          ORDER BY n",
    )
    .bind(rows.iter().map(|r| r.wire.id).collect::<Vec<Uuid>>())
    .bind(rows.iter().map(|r| r.wire.dossier_id).collect::<Vec<Uuid>>())
    .bind(column(&|r| r.office.clone()))
    .bind(column(&|r| r.wire.kind.clone()))
    .bind(column(&|r| r.payload.clone()))
    .bind(column(&|r| r.wire.actor.clone()))
    .bind(column(&|r| r.wire.device.clone()))
    .bind(column(&|r| r.wire.occurred_at.clone()))
    .bind(column(&|r| r.origin.clone()))
    .bind(optional(&|r| r.pushed_by.clone()))
    .bind(rows.iter().map(|r| r.occurred_utc).collect::<Vec<DateTime<Utc>>>())
    .bind(rows.iter().map(|r| r.clock_suspect).collect::<Vec<bool>>())
    .bind(optional(&|r| r.prev_hash.clone()))
    .bind(optional(&|r| r.hash.clone()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---- the province's own processing ---------------------------------------------

/// Records a fact the province established on a dossier (hand-over,
/// supplement request, result, refusal …), decided by the same rulebook
/// as the counter's (`rules::decide`, with the province's calendar), and
/// queues it for the counter that received the dossier. Refused, storing
/// nothing, when the rules or the dossier's state do not allow it.
pub async fn record_province_event(
    pool: &PgPool,
    code: &str,
    request: &ActionRequest,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Dossier, HubError> {
    let actor = motcua_domain::text::nfc(actor.trim());
    if actor.is_empty() {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "actor_missing",
            "Hãy ghi người ghi nhận (--actor).",
        ));
    }
    let mut tx = pool.begin().await?;
    lock(&mut tx, CHANGES_LOCK).await?;
    let row: Option<(Uuid, String, i32, sqlx::types::Json<Dossier>)> =
        sqlx::query_as("SELECT id, office, counter, data FROM dossiers WHERE code = $1 FOR UPDATE")
            .bind(code.trim().to_uppercase())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, office, counter, current)) = row else {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "dossier_unknown",
            format!("Không có hồ sơ {code} trên máy chủ tỉnh (quầy chưa đồng bộ?)."),
        ));
    };
    let calendar = province_calendar(&mut *tx).await?;
    let at = motcua_domain::vntime::from_utc(now);
    let stamp = Stamp {
        event_id: Uuid::now_v7(),
        actor,
        device: motcua_domain::wire::PROVINCE_DEVICE.to_string(),
        at,
    };
    let decision = rules::decide(&current.0, request, &calendar, &stamp).map_err(rule_refusal)?;
    let next = decision.dossier;
    // The province's own chain, under CHANGES_LOCK like every province event.
    let prev: String = sqlx::query_scalar("SELECT hash FROM chain_heads WHERE device = $1")
        .bind(motcua_domain::wire::PROVINCE_DEVICE)
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_else(|| motcua_domain::chain::GENESIS.to_string());
    let hash = decision.event.chain_hash(&prev);
    set_head(&mut tx, motcua_domain::wire::PROVINCE_DEVICE, &hash, decision.event.id).await?;
    sqlx::query("UPDATE dossiers SET data = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(sqlx::types::Json(&next))
        .execute(&mut *tx)
        .await?;
    let stored = Stored {
        code: &next.code,
        office: &office,
        origin: "province",
        pushed_by: None,
        clock_suspect: false,
        link: Some((&prev, &hash)),
    };
    insert_events(&mut tx, &[EventRow::new(&decision.event, at.fixed_offset(), &stored)?]).await?;
    sqlx::query("INSERT INTO changes (office, counter, kind, event_id) VALUES ($1, $2, 'dossier_event', $3)")
        .bind(&office)
        .bind(counter)
        .bind(decision.event.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    for w in &decision.warnings {
        tracing::warn!(code = %next.code, "{w}");
    }
    Ok(next)
}

// ---- catalog and calendar ---------------------------------------------------------

/// Publishes a catalog file to every office (validated as counters validate it).
pub async fn publish_catalog(pool: &PgPool, source: &str) -> Result<i64, HubError> {
    let file = motcua_domain::catalog::parse(source)
        .map_err(|e| refused(StatusCode::BAD_REQUEST, "catalog_invalid", e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(source).map_err(|e| refused(StatusCode::BAD_REQUEST, "catalog_invalid", e.to_string()))?;
    let mut tx = pool.begin().await?;
    lock(&mut tx, CHANGES_LOCK).await?;
    let version: i64 =
        sqlx::query_scalar("INSERT INTO catalog_versions (label, data) VALUES ($1, $2) RETURNING version")
            .bind(&file.meta.label)
            .bind(sqlx::types::Json(&value))
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO changes (kind, catalog_version) VALUES ('catalog', $1)")
        .bind(version)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(version)
}

/// Publishes the province's form texts to every office (checked as a
/// counter checks them: a broken set is refused with its reasons).
pub async fn publish_form_texts(pool: &PgPool, source: &str) -> Result<i64, HubError> {
    let set = motcua_domain::form_texts::parse_set(source)
        .map_err(|e| refused(StatusCode::BAD_REQUEST, "form_texts_invalid", e.to_string()))?;
    let mut tx = pool.begin().await?;
    lock(&mut tx, CHANGES_LOCK).await?;
    let version: i64 = sqlx::query_scalar("INSERT INTO form_text_sets (label, data) VALUES ($1, $2) RETURNING version")
        .bind(&set.label)
        .bind(sqlx::types::Json(&set))
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO changes (kind, form_texts_version) VALUES ('form_texts', $1)")
        .bind(version)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(version)
}

/// Publishes one year's official holiday schedule to every office. The
/// version is the file's, raised above any version published before.
pub async fn publish_calendar(pool: &PgPool, source: &str) -> Result<(i32, i64), HubError> {
    let mut schedule: motcua_domain::calendar::YearSchedule = serde_json::from_str(source).map_err(|e| {
        refused(
            StatusCode::BAD_REQUEST,
            "calendar_invalid",
            format!("Tệp lịch không đúng định dạng (year, version, notices): {e}"),
        )
    })?;
    let mut tx = pool.begin().await?;
    lock(&mut tx, CHANGES_LOCK).await?;
    let previous: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM calendar_schedules WHERE year = $1")
        .bind(schedule.year)
        .fetch_one(&mut *tx)
        .await?;
    let version = i64::from(schedule.version).max(previous.unwrap_or(0) + 1);
    schedule.version = u32::try_from(version).unwrap_or(u32::MAX);
    let id: i64 =
        sqlx::query_scalar("INSERT INTO calendar_schedules (year, version, data) VALUES ($1, $2, $3) RETURNING id")
            .bind(schedule.year)
            .bind(version)
            .bind(sqlx::types::Json(&schedule))
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO changes (kind, calendar_id) VALUES ('calendar', $1)")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((schedule.year, version))
}

// ---- pull -----------------------------------------------------------------------------

pub async fn pull(pool: &PgPool, device: &Device, cursor: i64, limit: usize) -> Result<PullResponse, HubError> {
    let limit = limit.clamp(1, motcua_domain::wire::MAX_PAGE);
    let rows = sqlx::query(
        "SELECT c.seq, c.kind,
                e.id AS event_id, e.dossier_id, d.code, e.kind AS event_kind, e.payload, e.actor, e.device,
                e.occurred_at, e.prev_hash, e.hash,
                cv.version AS catalog_version, cv.label, cv.data AS catalog,
                cs.year, cs.version AS calendar_version, cs.data AS schedule,
                ft.version AS texts_version, ft.label AS texts_label, ft.data AS texts
           FROM changes c
           LEFT JOIN events e ON e.id = c.event_id
           LEFT JOIN dossiers d ON d.id = e.dossier_id
           LEFT JOIN catalog_versions cv ON cv.version = c.catalog_version
           LEFT JOIN calendar_schedules cs ON cs.id = c.calendar_id
           LEFT JOIN form_text_sets ft ON ft.version = c.form_texts_version
          WHERE c.seq > $1
            AND (c.office IS NULL OR (c.office = $2 AND (c.counter IS NULL OR c.counter = $3)))
          ORDER BY c.seq
          LIMIT $4",
    )
    .bind(cursor)
    .bind(&device.office)
    .bind(device.counter as i32)
    .bind(limit as i64 + 1)
    .fetch_all(pool)
    .await?;
    let more = rows.len() > limit;
    let mut changes = Vec::with_capacity(limit);
    for row in rows.iter().take(limit) {
        let seq: i64 = row.try_get("seq")?;
        let kind: String = row.try_get("kind")?;
        let change = match kind.as_str() {
            "dossier_event" => Change::DossierEvent {
                seq,
                event: WireEvent {
                    id: row.try_get("event_id")?,
                    dossier_id: row.try_get("dossier_id")?,
                    dossier_code: row.try_get("code")?,
                    kind: row.try_get("event_kind")?,
                    payload: row.try_get::<sqlx::types::Json<serde_json::Value>, _>("payload")?.0,
                    actor: row.try_get("actor")?,
                    device: row.try_get("device")?,
                    occurred_at: row.try_get("occurred_at")?,
                    prev_hash: row.try_get("prev_hash")?,
                    hash: row.try_get("hash")?,
                },
            },
            "catalog" => Change::Catalog {
                seq,
                version: row.try_get("catalog_version")?,
                label: row.try_get("label")?,
                catalog: row.try_get::<sqlx::types::Json<serde_json::Value>, _>("catalog")?.0,
            },
            "form_texts" => Change::FormTexts {
                seq,
                version: row.try_get("texts_version")?,
                label: row.try_get("texts_label")?,
                texts: row.try_get::<sqlx::types::Json<serde_json::Value>, _>("texts")?.0,
            },
            _ => Change::Calendar {
                seq,
                year: row.try_get("year")?,
                version: row.try_get("calendar_version")?,
                schedule: row.try_get::<sqlx::types::Json<serde_json::Value>, _>("schedule")?.0,
            },
        };
        changes.push(change);
    }
    let next = changes.last().map(Change::seq).unwrap_or(cursor);
    Ok(PullResponse {
        changes,
        cursor: next,
        more,
    })
}

/// The dossiers the device's counter received, after `after` in id order,
/// each with every event the hub holds for it in the order the hub stored
/// (and folded) them — what a PC replacing a lost one needs to go on.
pub async fn restore(
    pool: &PgPool,
    device: &Device,
    after: Option<Uuid>,
    limit: usize,
) -> Result<RestorePage, HubError> {
    let limit = limit.clamp(1, motcua_domain::wire::MAX_PAGE);
    let mut dossiers: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, code FROM dossiers
          WHERE office = $1 AND counter = $2 AND ($3::uuid IS NULL OR id > $3)
          ORDER BY id
          LIMIT $4",
    )
    .bind(&device.office)
    .bind(device.counter as i32)
    .bind(after)
    .bind(limit as i64 + 1)
    .fetch_all(pool)
    .await?;
    let more = dossiers.len() > limit;
    dossiers.truncate(limit);
    let ids: Vec<Uuid> = dossiers.iter().map(|(id, _)| *id).collect();
    let rows = sqlx::query(
        "SELECT id, dossier_id, kind, payload, actor, device, occurred_at, prev_hash, hash
           FROM events WHERE dossier_id = ANY($1)
          ORDER BY hub_seq",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let mut page: Vec<RestoredDossier> = dossiers
        .into_iter()
        .map(|(id, code)| RestoredDossier {
            id,
            code,
            events: Vec::new(),
        })
        .collect();
    let position: std::collections::HashMap<Uuid, usize> = page.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    for row in rows {
        let dossier_id: Uuid = row.try_get("dossier_id")?;
        let Some(d) = position.get(&dossier_id).map(|&i| &mut page[i]) else {
            continue;
        };
        d.events.push(WireEvent {
            id: row.try_get("id")?,
            dossier_id,
            dossier_code: d.code.clone(),
            kind: row.try_get("kind")?,
            payload: row.try_get::<sqlx::types::Json<serde_json::Value>, _>("payload")?.0,
            actor: row.try_get("actor")?,
            device: row.try_get("device")?,
            occurred_at: row.try_get("occurred_at")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        });
    }
    Ok(RestorePage { dossiers: page, more })
}

/// The office's figures for `from..=to` from the province-wide register,
/// computed by the same rules as the counter's reports screen, over every
/// counter of the office. Indicator 1.4 (share synced) has no data here:
/// the hub cannot see what a counter has not sent.
pub async fn office_report(
    pool: &PgPool,
    office: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<motcua_domain::figures::Report, HubError> {
    use motcua_domain::figures::{self, Facts};
    if to < from {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "period_invalid",
            motcua_domain::messages::PERIOD_INVALID,
        ));
    }
    let known: bool = sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM offices WHERE agency_code = $1)")
        .bind(office)
        .fetch_one(pool)
        .await?;
    if !known {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "office_unknown",
            format!("Không có cơ quan {office} trên máy chủ tỉnh."),
        ));
    }
    let dossiers: Vec<(sqlx::types::Json<Dossier>, bool)> = sqlx::query_as(
        "SELECT d.data, EXISTS(SELECT 1 FROM events e WHERE e.dossier_id = d.id AND e.clock_suspect)
           FROM dossiers d WHERE d.office = $1",
    )
    .bind(office)
    .fetch_all(pool)
    .await?;
    let facts = dossiers
        .iter()
        .map(|(d, suspect)| {
            let mut facts = Facts::of(&d.0)?;
            if *suspect {
                facts.flags.push(motcua_domain::dossier::Flag::ClockSuspect);
            }
            Ok(facts)
        })
        .collect::<motcua_domain::error::Result<Vec<_>>>()
        .map_err(|e| refused(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()))?;
    let calendar = province_calendar(pool).await?;
    let context = figures::Context {
        synced_received: None,
        calendar: &calendar,
    };
    Ok(figures::compute(facts, from, to, figures::as_of(to, now), &context))
}

// ---- reading ------------------------------------------------------------------------------

/// Every event id the hub holds from an office — its dossiers' events,
/// then its office facts (for checks and tests).
pub async fn event_ids(pool: &PgPool, office: &str) -> Result<Vec<Uuid>, HubError> {
    let mut ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM events WHERE office = $1 ORDER BY hub_seq")
        .bind(office)
        .fetch_all(pool)
        .await?;
    ids.extend(office_fact_ids(pool, office).await?);
    Ok(ids)
}

/// The office facts (accounts, settings, calendar, enrollment …) the hub
/// holds from an office, oldest first.
pub async fn office_fact_ids(pool: &PgPool, office: &str) -> Result<Vec<Uuid>, HubError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM office_events WHERE office = $1 ORDER BY occurred_utc, id")
            .bind(office)
            .fetch_all(pool)
            .await?,
    )
}

pub async fn dossier(pool: &PgPool, code: &str) -> Result<Option<Dossier>, HubError> {
    let row: Option<sqlx::types::Json<Dossier>> = sqlx::query_scalar("SELECT data FROM dossiers WHERE code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|j| j.0))
}

/// Dossiers changed since `since`, with whether each was exported before.
/// Nothing is marked: the caller writes its file first, then calls
/// [`mark_exported`], so a failed write never hides a dossier from the
/// next export.
pub async fn dossiers_changed_since(pool: &PgPool, since: DateTime<Utc>) -> Result<Vec<(Dossier, bool)>, HubError> {
    let rows: Vec<(sqlx::types::Json<Dossier>, bool)> = sqlx::query_as(
        "SELECT d.data, x.dossier_id IS NOT NULL
           FROM dossiers d LEFT JOIN dvcqg_exports x ON x.dossier_id = d.id
          WHERE d.updated_at >= $1 ORDER BY d.code",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(d, seen)| (d.0, seen)).collect())
}

/// Marks dossiers exported at `now` (after their file is safely written).
pub async fn mark_exported(pool: &PgPool, ids: &[Uuid], now: DateTime<Utc>) -> Result<(), HubError> {
    sqlx::query(
        "INSERT INTO dvcqg_exports (dossier_id, first_at, last_at) SELECT id, $2, $2 FROM UNNEST($1::uuid[]) AS id
         ON CONFLICT (dossier_id) DO UPDATE SET last_at = excluded.last_at",
    )
    .bind(ids)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// A push that broke its device's chain (`motcua-hub audit breaks`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainBreak {
    pub device: String,
    pub office: String,
    pub event_id: Uuid,
    pub dossier_code: String,
    /// `missing`, `altered`, `gap` or `rewritten`.
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Every chain break the hub refused, newest first (of one office, or all).
pub async fn chain_breaks(pool: &PgPool, office: Option<&str>) -> Result<Vec<ChainBreak>, HubError> {
    let rows: Vec<(String, String, Uuid, String, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT device, office, event_id, dossier_code, reason, at FROM chain_breaks
          WHERE $1::text IS NULL OR office = $1 ORDER BY id DESC",
    )
    .bind(office)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(device, office, event_id, dossier_code, reason, at)| ChainBreak {
            device,
            office,
            event_id,
            dossier_code,
            reason,
            at,
        })
        .collect())
}

// ---- devices and the admin log ---------------------------------------------------

/// A device as the province's IT admin sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeviceRow {
    pub device_id: String,
    pub office: String,
    pub counter: u32,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
    /// `active`, `revoked` or `expired` (at the time asked).
    pub state: String,
}

fn device_row(row: &sqlx::postgres::PgRow, now: DateTime<Utc>) -> Result<DeviceRow, HubError> {
    let revoked_at: Option<DateTime<Utc>> = row.try_get("revoked_at")?;
    let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
    let state = match (revoked_at, expires_at <= now) {
        (Some(_), _) => "revoked",
        (None, true) => "expired",
        (None, false) => "active",
    };
    Ok(DeviceRow {
        device_id: row.try_get("device_id")?,
        office: row.try_get("office")?,
        counter: row.try_get::<i32, _>("counter")? as u32,
        enrolled_at: row.try_get("enrolled_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at,
        revoked_at,
        revoked_by: row.try_get("revoked_by")?,
        state: state.to_string(),
    })
}

/// Every device enrolled (of one office when given), by office and counter.
pub async fn devices(pool: &PgPool, office: Option<&str>, now: DateTime<Utc>) -> Result<Vec<DeviceRow>, HubError> {
    let rows = sqlx::query(
        "SELECT * FROM devices WHERE $1::text IS NULL OR office = $1 ORDER BY office, counter, enrolled_at",
    )
    .bind(office)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| device_row(r, now)).collect()
}

/// Revokes a device's token at once: its next request gets 401
/// (`auth_revoked`) and the counter asks for a new enrollment.
pub async fn revoke_device(
    pool: &PgPool,
    device_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<DeviceRow, HubError> {
    let row = sqlx::query(
        "UPDATE devices SET revoked_at = $3, revoked_by = $2 WHERE device_id = $1 AND revoked_at IS NULL
         RETURNING *",
    )
    .bind(device_id)
    .bind(by)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(r) => {
            tracing::warn!(device = %device_id, by = %by, "device revoked");
            device_row(&r, now)
        }
        None => {
            let known: bool = sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM devices WHERE device_id = $1)")
                .bind(device_id)
                .fetch_one(pool)
                .await?;
            Err(match known {
                true => refused(
                    StatusCode::CONFLICT,
                    "already_revoked",
                    format!("Máy {device_id} đã bị thu hồi từ trước."),
                ),
                false => refused(
                    StatusCode::NOT_FOUND,
                    "device_unknown",
                    format!("Không có máy nào mã {device_id}. Xem danh sách: motcua-hub device list."),
                ),
            })
        }
    }
}

/// A successful sync keeps the device's token alive another `token_days`.
pub async fn renew_token(pool: &PgPool, device: &Device, token_days: i64, now: DateTime<Utc>) -> Result<(), HubError> {
    sqlx::query("UPDATE devices SET expires_at = $2 WHERE device_id = $1 AND revoked_at IS NULL")
        .bind(&device.device_id)
        .bind(now + chrono::Duration::days(token_days))
        .execute(pool)
        .await?;
    Ok(())
}

/// One admin command, as the log keeps it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdminLogRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub command: String,
    pub detail: serde_json::Value,
}

/// Records an admin command that changed something: who, when, what.
pub async fn log_admin(
    pool: &PgPool,
    actor: &str,
    command: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    sqlx::query("INSERT INTO admin_log (at, actor, command, detail) VALUES ($1, $2, $3, $4)")
        .bind(now)
        .bind(actor)
        .bind(command)
        .bind(sqlx::types::Json(&detail))
        .execute(pool)
        .await?;
    tracing::info!(actor = %actor, command = %command, detail = %detail, "admin command");
    Ok(())
}

/// The newest admin commands first.
pub async fn admin_log(pool: &PgPool, limit: i64) -> Result<Vec<AdminLogRow>, HubError> {
    let rows = sqlx::query("SELECT at, actor, command, detail FROM admin_log ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AdminLogRow {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                command: r.try_get("command")?,
                detail: r.try_get::<sqlx::types::Json<serde_json::Value>, _>("detail")?.0,
            })
        })
        .collect()
}

// ---- restore pages and the day's devices ------------------------------------------

/// Restore pages the device was given within the last `window`, on every hub.
pub async fn restore_pages_within(
    pool: &PgPool,
    device: &Device,
    window: std::time::Duration,
) -> Result<i64, HubError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM restore_requests
          WHERE device = $1 AND NOT refused AND at > now() - make_interval(secs => $2)",
    )
    .bind(&device.device_id)
    .bind(window.as_secs_f64())
    .fetch_one(pool)
    .await?)
}

/// Keeps one restore page asked for: `dossiers` is None when it was
/// refused for pace.
pub async fn log_restore(
    pool: &PgPool,
    device: &Device,
    after: Option<Uuid>,
    dossiers: Option<usize>,
) -> Result<(), HubError> {
    sqlx::query(
        "INSERT INTO restore_requests (device, office, counter, after_id, dossiers, refused)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&device.device_id)
    .bind(&device.office)
    .bind(device.counter as i32)
    .bind(after)
    .bind(dossiers.unwrap_or(0) as i32)
    .bind(dossiers.is_none())
    .execute(pool)
    .await?;
    Ok(())
}

/// One restore page as the admin sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RestoreLogRow {
    pub at: DateTime<Utc>,
    pub device_id: String,
    pub office: String,
    pub counter: u32,
    pub dossiers: i32,
    pub refused: bool,
}

/// The latest restore pages, newest first.
pub async fn restore_log(pool: &PgPool, office: Option<&str>, limit: i64) -> Result<Vec<RestoreLogRow>, HubError> {
    let rows = sqlx::query(
        "SELECT at, device, office, counter, dossiers, refused FROM restore_requests
          WHERE ($1::text IS NULL OR office = $1)
          ORDER BY id DESC LIMIT $2",
    )
    .bind(office)
    .bind(limit.max(1))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RestoreLogRow {
                at: row.try_get("at")?,
                device_id: row.try_get("device")?,
                office: row.try_get("office")?,
                counter: row.try_get::<i32, _>("counter")? as u32,
                dossiers: row.try_get("dossiers")?,
                refused: row.try_get("refused")?,
            })
        })
        .collect()
}

/// Devices that reached any hub on this database since midnight, Vietnam time.
pub async fn devices_seen_today(pool: &PgPool, now: DateTime<Utc>) -> Result<i64, HubError> {
    let today = motcua_domain::vntime::from_utc(now).date_naive();
    let midnight = motcua_domain::vntime::at(today.and_time(chrono::NaiveTime::MIN)).with_timezone(&Utc);
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM devices WHERE last_seen_at >= $1")
            .bind(midnight)
            .fetch_one(pool)
            .await?,
    )
}
