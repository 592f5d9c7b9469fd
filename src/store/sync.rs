//! The store's side of sync: the outbox, the inbox of pulled changes, the
//! sync log and the published calendar schedules.
//!
//! # Applying what the hub sends (the rule)
//! Pulled changes are applied page by page, each page and the new cursor in
//! one transaction, so a cut link never leaves half a page applied.
//! - A province event already present (same id) is skipped.
//! - A province event for a dossier that still has local events the hub has
//!   not acknowledged is **held**, not applied: the counter's own facts go
//!   first, local changes are never overwritten. Held events are tried again
//!   at the next run, after the push.
//! - A province event the dossier's current state does not allow, or for a
//!   dossier this counter does not have, goes to the needs-attention list
//!   with the reason; nothing is changed.
//! - A catalog version becomes the current catalog (the province's list is
//!   the whole list). A year's holiday schedule replaces the one shipped with
//!   the program for that year, when its version is newer than the one held.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::{
    event_columns, event_from_columns, from_json, import_catalog_in, insert_event, insert_projection, json,
    update_projection, Origin, Store,
};
use crate::calendar::holidays::YearSchedule;
use crate::dossier::{Dossier, Event};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::sync::wire::{Change, EventAck, Outcome, RestoredDossier, WireEvent, PROVINCE_DEVICE};

const CURSOR_KEY: &str = "sync.cursor";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OutboxCounts {
    /// Waiting to be sent (including those on the way now).
    pub pending: i64,
    pub rejected: i64,
    pub sent: i64,
}

/// One thing a person has to look at: an event the hub refused, or a
/// change from the hub that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AttentionItem {
    /// `rejected_event`, `pulled_change` or `restore`.
    pub source: String,
    pub dossier_code: Option<String>,
    pub event_kind: String,
    pub code: String,
    pub message: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncLogRow {
    pub run_id: String,
    pub trigger: String,
    pub phase: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub outcome: String,
    pub sent: i64,
    pub accepted: i64,
    pub duplicate: i64,
    pub rejected: i64,
    pub pulled: i64,
    pub applied: i64,
    pub retries: i64,
    pub error_code: Option<String>,
    pub error_text: Option<String>,
}

/// Counts of one applied page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PulledApplied {
    pub applied: i64,
    pub held: i64,
    pub attention: i64,
    pub skipped: i64,
}

/// What restoring one dossier from the hub did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// Not here before; now here with every event the hub holds.
    Added,
    /// Already here: left as it is (this PC's own record wins; the normal
    /// push and pull reconcile it).
    AlreadyHere,
    /// Already here, from a backup: the events the hub holds after this
    /// PC's last were added.
    Completed { events: i64 },
    /// Not restored; kept in the needs-attention list.
    Refused { code: &'static str, message: String },
}

/// Counts a sync phase adds to its log row.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseCounts {
    pub sent: i64,
    pub accepted: i64,
    pub duplicate: i64,
    pub rejected: i64,
    pub pulled: i64,
    pub applied: i64,
    pub retries: i64,
}

impl Store {
    /// Events left `sending` by a run that did not finish (the program
    /// stopped) are pending again.
    pub fn release_sending(&mut self) -> Result<usize> {
        Ok(self
            .conn
            .execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'", [])?)
    }

    /// The next page of pending events in creation order, marked `sending`
    /// in the same transaction. Returns `(event seq, event)` pairs.
    pub fn take_outbox_page(&mut self, limit: usize, now: &str) -> Result<Vec<(i64, WireEvent)>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut page = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT e.seq, COALESCE(d.code, ''), e.id, e.dossier_id, e.kind, e.payload, e.actor, e.device,
                        e.occurred_at, e.prev_hash, e.hash
                   FROM outbox o JOIN events e ON e.seq = o.event_seq
                   LEFT JOIN dossiers d ON d.id = e.dossier_id
                  WHERE o.state = 'pending'
                  ORDER BY o.event_seq LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    event_columns(r, 2)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })?;
            for row in rows {
                let (seq, code, columns, prev_hash, hash) = row?;
                let event = event_from_columns(columns)?;
                let mut wire = WireEvent::from_event(&event, &code)?;
                wire.prev_hash = prev_hash;
                wire.hash = hash;
                page.push((seq, wire));
            }
            let mut mark = tx.prepare(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2 WHERE event_seq = ?1",
            )?;
            for (seq, _) in &page {
                mark.execute(params![seq, now])?;
            }
        }
        tx.commit()?;
        Ok(page)
    }

    /// Records the hub's answers to a page. Accepted and duplicate events are
    /// `sent` — unless their dossier changed meanwhile (then they stay
    /// pending and are sent again, to be answered `duplicate`). Rejected ones
    /// go to the needs-attention list. Events the answer does not mention
    /// are pending again.
    pub fn record_acks(&mut self, page: &[(i64, WireEvent)], acks: &[EventAck], now: &str) -> Result<PhaseCounts> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = PhaseCounts {
            sent: page.len() as i64,
            ..PhaseCounts::default()
        };
        for (seq, event) in page {
            match acks.iter().find(|a| a.id == event.id) {
                Some(ack) if ack.outcome == Outcome::Rejected => {
                    counts.rejected += 1;
                    tx.execute(
                        "UPDATE outbox SET state = 'rejected', error_code = ?2, error_text = ?3, updated_at = ?4
                          WHERE event_seq = ?1",
                        params![seq, ack.code, ack.reason, now],
                    )?;
                }
                Some(ack) => {
                    if ack.outcome == Outcome::Accepted {
                        counts.accepted += 1;
                    } else {
                        counts.duplicate += 1;
                    }
                    tx.execute(
                        "UPDATE outbox SET state = 'sent', error_code = NULL, error_text = NULL, updated_at = ?2
                          WHERE event_seq = ?1 AND state = 'sending'",
                        params![seq, now],
                    )?;
                    if ack.clock_suspect {
                        tx.execute(
                            "UPDATE dossiers SET clock_suspect = 1 WHERE id = ?1",
                            [event.dossier_id.to_string()],
                        )?;
                    }
                }
                None => {
                    tx.execute(
                        "UPDATE outbox SET state = 'pending' WHERE event_seq = ?1 AND state = 'sending'",
                        [seq],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(counts)
    }

    /// A whole page the hub refused as a request (a 4xx that is not about
    /// authentication): its events need a person.
    pub fn reject_page(&mut self, page: &[(i64, WireEvent)], code: &str, text: &str, now: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (seq, _) in page {
            tx.execute(
                "UPDATE outbox SET state = 'rejected', error_code = ?2, error_text = ?3, updated_at = ?4
                  WHERE event_seq = ?1",
                params![seq, code, text, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The page goes back to pending (the push failed; it will be sent again).
    pub fn unsend_page(&mut self, page: &[(i64, WireEvent)]) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (seq, _) in page {
            tx.execute(
                "UPDATE outbox SET state = 'pending' WHERE event_seq = ?1 AND state = 'sending'",
                [seq],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A rejected event is sent again (after the admin fixed the cause on the hub).
    pub fn retry_rejected(&mut self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE outbox SET state = 'pending', error_code = NULL, error_text = NULL WHERE state = 'rejected'",
            [],
        )?)
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let mut counts = OutboxCounts::default();
        let mut stmt = self.conn.prepare("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            match state.as_str() {
                "pending" | "sending" => counts.pending += n,
                "rejected" => counts.rejected += n,
                _ => counts.sent += n,
            }
        }
        Ok(counts)
    }

    /// Ids of every local event, for checking against the hub.
    pub fn local_event_ids(&self) -> Result<Vec<uuid::Uuid>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM events WHERE origin = 'local' ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| super::parse_uuid(&r?)).collect()
    }

    /// When the last fact was recorded here (RFC 3339, +07:00): a PC clock
    /// earlier than this has been set back.
    pub fn last_local_event_at(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT MAX(occurred_at) FROM events WHERE origin = 'local'", [], |r| {
                r.get(0)
            })?)
    }

    pub fn sync_cursor(&self) -> Result<i64> {
        Ok(self.setting(CURSOR_KEY)?.and_then(|c| c.parse().ok()).unwrap_or(0))
    }

    /// Applies one pulled page and moves the cursor, in one transaction
    /// (see the module's rule). Held events of earlier runs are tried first.
    pub fn apply_pulled(&mut self, changes: &[Change], cursor: i64, now: &str) -> Result<PulledApplied> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = PulledApplied::default();
        for change in changes {
            let already: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM inbox WHERE hub_seq = ?1)",
                [change.seq()],
                |r| r.get(0),
            )?;
            if already {
                counts.skipped += 1;
                continue;
            }
            let outcome = apply_change(&tx, change, now)?;
            record_inbox(&tx, change, &outcome, now)?;
            match outcome {
                ChangeOutcome::Applied => counts.applied += 1,
                ChangeOutcome::Skipped => counts.skipped += 1,
                ChangeOutcome::Held => counts.held += 1,
                ChangeOutcome::Attention { .. } => counts.attention += 1,
            }
        }
        let current: i64 = tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [CURSOR_KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![CURSOR_KEY, current.max(cursor).to_string()],
        )?;
        tx.commit()?;
        Ok(counts)
    }

    /// Tries the held province events again (after a push emptied the outbox
    /// of their dossiers), oldest first.
    pub fn apply_held(&mut self, now: &str) -> Result<PulledApplied> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = PulledApplied::default();
        let held: Vec<String> = {
            let mut stmt = tx.prepare("SELECT data FROM inbox WHERE state = 'held' ORDER BY hub_seq")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for data in held {
            let change: Change = from_json(&data)?;
            let outcome = apply_change(&tx, &change, now)?;
            match outcome {
                ChangeOutcome::Held => counts.held += 1,
                ChangeOutcome::Applied => counts.applied += 1,
                ChangeOutcome::Skipped => counts.skipped += 1,
                ChangeOutcome::Attention { .. } => counts.attention += 1,
            }
            record_inbox(&tx, &change, &outcome, now)?;
        }
        tx.commit()?;
        Ok(counts)
    }

    /// Restores one dossier of this counter from the hub onto this PC (one
    /// that replaces a lost or broken one), in one transaction: its events
    /// folded by the same lifecycle rules as here, stored as `restored`
    /// (this counter's own, already on the hub, so never pushed again) or
    /// `hub` (the province's), and its row. A dossier already here is never
    /// touched. Because its code comes back with it, the next dossier
    /// received today continues after it: no code is issued twice.
    pub fn restore_dossier(&mut self, restored: &RestoredDossier, now: &str) -> Result<Restored> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let here: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = ?1)",
            [restored.id.to_string()],
            |r| r.get(0),
        )?;
        if here {
            return complete_dossier(tx, restored);
        }
        let folded = match fold_restored(restored) {
            Ok((dossier, _)) if code_taken(&tx, &dossier.code)? => {
                Err(("restore_code_taken", msg::restore_code_taken(&dossier.code)))
            }
            other => other,
        };
        let (dossier, events) = match folded {
            Ok(folded) => folded,
            Err((code, message)) => {
                tx.execute(
                    "INSERT INTO restore_refusals (dossier_id, dossier_code, event_kind, error_code, error_text, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(dossier_id) DO UPDATE SET error_code = excluded.error_code,
                        error_text = excluded.error_text, at = excluded.at",
                    params![
                        restored.id.to_string(),
                        restored.code,
                        restored.events.first().map(|e| e.kind.as_str()).unwrap_or("received"),
                        code,
                        message,
                        now
                    ],
                )?;
                tx.commit()?;
                return Ok(Restored::Refused { code, message });
            }
        };
        insert_restored_events(&tx, &events, &restored.events)?;
        insert_projection(&tx, &dossier)?;
        tx.execute(
            "DELETE FROM restore_refusals WHERE dossier_id = ?1",
            [restored.id.to_string()],
        )?;
        tx.commit()?;
        Ok(Restored::Added)
    }

    /// Everything that needs a person: refused events, unapplied changes.
    pub fn needs_attention(&self) -> Result<Vec<AttentionItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT 'rejected_event', COALESCE(d.code, ''), e.kind, o.error_code, o.error_text, o.updated_at, 0, o.event_seq
               FROM outbox o JOIN events e ON e.seq = o.event_seq LEFT JOIN dossiers d ON d.id = e.dossier_id
              WHERE o.state = 'rejected'
             UNION ALL
             SELECT 'pulled_change', dossier_code, kind, error_code, error_text, updated_at, 1, hub_seq
               FROM inbox WHERE state = 'attention'
             UNION ALL
             SELECT 'restore', dossier_code, event_kind, error_code, error_text, at, 2, rowid
               FROM restore_refusals
             ORDER BY 7, 8",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AttentionItem {
                source: r.get(0)?,
                dossier_code: r.get(1)?,
                event_kind: r.get(2)?,
                code: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                message: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                at: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?;
        rows.map(|r| r.map_err(Error::from)).collect()
    }

    pub fn held_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM inbox WHERE state = 'held'", [], |r| r.get(0))?)
    }

    // ---- sync log -------------------------------------------------------

    pub fn log_phase_start(&mut self, run_id: &str, trigger: &str, phase: &str, now: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO sync_log (run_id, trigger, phase, started_at, outcome) VALUES (?1, ?2, ?3, ?4, 'running')",
            params![run_id, trigger, phase, now],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn log_phase_end(
        &mut self,
        id: i64,
        counts: &PhaseCounts,
        error: Option<(&str, &str)>,
        now: &str,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_log SET ended_at = ?2, outcome = ?3, sent = ?4, accepted = ?5, duplicate = ?6,
                    rejected = ?7, pulled = ?8, applied = ?9, retries = ?10, error_code = ?11, error_text = ?12
              WHERE id = ?1",
            params![
                id,
                now,
                if error.is_some() { "failed" } else { "ok" },
                counts.sent,
                counts.accepted,
                counts.duplicate,
                counts.rejected,
                counts.pulled,
                counts.applied,
                counts.retries,
                error.map(|e| e.0),
                error.map(|e| e.1),
            ],
        )?;
        Ok(())
    }

    /// The latest log rows, newest first.
    pub fn sync_log(&self, limit: u32) -> Result<Vec<SyncLogRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT run_id, trigger, phase, started_at, ended_at, outcome, sent, accepted, duplicate, rejected,
                    pulled, applied, retries, error_code, error_text
               FROM sync_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(SyncLogRow {
                run_id: r.get(0)?,
                trigger: r.get(1)?,
                phase: r.get(2)?,
                started_at: r.get(3)?,
                ended_at: r.get(4)?,
                outcome: r.get(5)?,
                sent: r.get(6)?,
                accepted: r.get(7)?,
                duplicate: r.get(8)?,
                rejected: r.get(9)?,
                pulled: r.get(10)?,
                applied: r.get(11)?,
                retries: r.get(12)?,
                error_code: r.get(13)?,
                error_text: r.get(14)?,
            })
        })?;
        rows.map(|r| r.map_err(Error::from)).collect()
    }

    /// Runs that finished without error, newest first: `ended_at` of the latest.
    pub fn last_successful_sync(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT MAX(ended_at) FROM sync_log WHERE phase = 'run' AND outcome = 'ok'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    // ---- published calendar schedules -------------------------------------

    pub fn published_schedules(&self) -> Result<Vec<YearSchedule>> {
        let mut stmt = self.conn.prepare("SELECT data FROM calendar_schedules ORDER BY year")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json(&r?)).collect()
    }
}

enum ChangeOutcome {
    Applied,
    Skipped,
    Held,
    Attention { code: &'static str, message: String },
}

/// A restored dossier with its events, or the refusal's code and message.
type Folded = std::result::Result<(Dossier, Vec<Event>), (&'static str, String)>;

/// Folds a restored dossier's events by the lifecycle rules, or says why
/// it cannot be restored here (an unreadable event, a fold the rules refuse,
/// its code already given to another dossier on this PC).
fn fold_restored(restored: &RestoredDossier) -> Folded {
    let mut folded: Option<Dossier> = None;
    let mut events = Vec::with_capacity(restored.events.len());
    for wire in &restored.events {
        if altered(wire) {
            return Err(("bad_event", msg::pulled_event_unreadable("hash")));
        }
        let event = match wire.to_event() {
            Ok(e) if e.dossier_id == restored.id => e,
            Ok(_) => return Err(("bad_event", msg::pulled_event_unreadable("dossier_id"))),
            Err(reason) => return Err(("bad_event", msg::pulled_event_unreadable(&reason))),
        };
        match Dossier::apply(folded.take(), &event) {
            Ok(d) => folded = Some(d),
            Err(e) => return Err(("conflict", msg::pulled_event_conflict(&e.to_string()))),
        }
        events.push(event);
    }
    match folded {
        Some(dossier) => Ok((dossier, events)),
        None => Err(("bad_event", msg::pulled_event_unreadable("no events"))),
    }
}

fn code_taken(tx: &rusqlite::Transaction<'_>, code: &str) -> Result<bool> {
    Ok(
        tx.query_row("SELECT EXISTS(SELECT 1 FROM dossiers WHERE code = ?1)", [code], |r| {
            r.get(0)
        })?,
    )
}

/// Stores events brought back from the hub: the province's as `hub`, this
/// counter's (of this PC or the one before it) as `restored`.
fn insert_restored_events(tx: &rusqlite::Transaction<'_>, events: &[Event], wires: &[WireEvent]) -> Result<()> {
    for (event, wire) in events.iter().zip(wires) {
        let origin = if wire.device == PROVINCE_DEVICE {
            Origin::Hub
        } else {
            Origin::Restored
        };
        insert_event(tx, event, origin, link_of(wire))?;
    }
    Ok(())
}

/// A dossier already here, restored from a backup: when the hub holds every
/// event this PC has, in the same order, and more after them (recorded by
/// the PC before, or the province, after the backup was made), the rest is
/// added and the row folded again. Otherwise this PC's record stands.
fn complete_dossier(tx: rusqlite::Transaction<'_>, restored: &RestoredDossier) -> Result<Restored> {
    let here: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM events WHERE dossier_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([restored.id.to_string()], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let continues = restored.events.len() > here.len()
        && here
            .iter()
            .zip(&restored.events)
            .all(|(id, wire)| *id == wire.id.to_string());
    if !continues {
        return Ok(Restored::AlreadyHere);
    }
    let Ok((dossier, events)) = fold_restored(restored) else {
        // The hub's longer history does not fold: this PC's record stands.
        return Ok(Restored::AlreadyHere);
    };
    let n = here.len();
    insert_restored_events(&tx, &events[n..], &restored.events[n..])?;
    update_projection(&tx, &dossier)?;
    tx.commit()?;
    Ok(Restored::Completed {
        events: (events.len() - n) as i64,
    })
}

/// The chain link an event from the hub carries, if any.
fn link_of(wire: &WireEvent) -> Option<(&str, &str)> {
    wire.prev_hash.as_deref().zip(wire.hash.as_deref())
}

/// An event from the hub whose hash does not match its content was changed
/// on the way or on the hub: it is not applied.
fn altered(wire: &WireEvent) -> bool {
    wire.hash.is_some() && !wire.hash_matches()
}

fn apply_change(tx: &rusqlite::Transaction<'_>, change: &Change, now: &str) -> Result<ChangeOutcome> {
    match change {
        Change::DossierEvent { event, .. } => {
            let known: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM events WHERE id = ?1)",
                [event.id.to_string()],
                |r| r.get(0),
            )?;
            if known {
                return Ok(ChangeOutcome::Skipped);
            }
            let data: Option<String> = tx
                .query_row(
                    "SELECT data FROM dossiers WHERE id = ?1",
                    [event.dossier_id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(data) = data else {
                return Ok(ChangeOutcome::Attention {
                    code: "dossier_unknown",
                    message: msg::pulled_dossier_unknown(&event.dossier_code),
                });
            };
            let unsent: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM outbox o JOIN events e ON e.seq = o.event_seq
                  WHERE e.dossier_id = ?1 AND o.state IN ('pending', 'sending'))",
                [event.dossier_id.to_string()],
                |r| r.get(0),
            )?;
            if unsent {
                return Ok(ChangeOutcome::Held);
            }
            if altered(event) {
                return Ok(ChangeOutcome::Attention {
                    code: "bad_event",
                    message: msg::pulled_event_unreadable("hash"),
                });
            }
            let core = match event.to_event() {
                Ok(e) => e,
                Err(reason) => {
                    return Ok(ChangeOutcome::Attention {
                        code: "bad_event",
                        message: msg::pulled_event_unreadable(&reason),
                    })
                }
            };
            let current: Dossier = from_json(&data)?;
            match Dossier::apply(Some(current), &core) {
                Ok(next) => {
                    insert_event(tx, &core, Origin::Hub, link_of(event))?;
                    update_projection(tx, &next)?;
                    Ok(ChangeOutcome::Applied)
                }
                Err(e) => Ok(ChangeOutcome::Attention {
                    code: "conflict",
                    message: msg::pulled_event_conflict(&e.to_string()),
                }),
            }
        }
        Change::Catalog { catalog, .. } => {
            let file = match crate::catalog::parse(&catalog.to_string()) {
                Ok(f) => f,
                Err(e) => {
                    return Ok(ChangeOutcome::Attention {
                        code: "bad_catalog",
                        message: e.to_string(),
                    })
                }
            };
            import_catalog_in(tx, &file, true, now)?;
            Ok(ChangeOutcome::Applied)
        }
        Change::FormTexts { version, texts, .. } => {
            // Checked as a hand-typed set is: a broken one never replaces
            // the texts in use, and the clerk's list says why.
            match crate::form_texts::parse_set(&texts.to_string()) {
                Ok(set) => {
                    super::store_form_texts(tx, "province", Some(*version), &set, now)?;
                    Ok(ChangeOutcome::Applied)
                }
                Err(e) => Ok(ChangeOutcome::Attention {
                    code: "bad_form_texts",
                    message: msg::pulled_form_texts_unreadable(*version, &e.to_string()),
                }),
            }
        }
        Change::Calendar {
            year,
            version,
            schedule,
            ..
        } => {
            let parsed = match serde_json::from_value::<YearSchedule>(schedule.clone()) {
                Ok(s) if s.year == *year => s,
                Ok(_) | Err(_) => {
                    return Ok(ChangeOutcome::Attention {
                        code: "bad_calendar",
                        message: msg::pulled_calendar_unreadable(*year),
                    })
                }
            };
            let held: Option<i64> = tx
                .query_row("SELECT version FROM calendar_schedules WHERE year = ?1", [year], |r| {
                    r.get(0)
                })
                .optional()?;
            if held.is_some_and(|v| v >= *version) {
                return Ok(ChangeOutcome::Skipped);
            }
            tx.execute(
                "INSERT INTO calendar_schedules (year, version, data, received_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(year) DO UPDATE SET version = excluded.version, data = excluded.data,
                 received_at = excluded.received_at",
                params![year, version, json(&parsed)?, now],
            )?;
            Ok(ChangeOutcome::Applied)
        }
    }
}

fn record_inbox(tx: &rusqlite::Transaction<'_>, change: &Change, outcome: &ChangeOutcome, now: &str) -> Result<()> {
    let (state, code, message) = match outcome {
        ChangeOutcome::Applied => ("applied", None, None),
        ChangeOutcome::Skipped => ("dismissed", None, None),
        ChangeOutcome::Held => ("held", None, None),
        ChangeOutcome::Attention { code, message } => ("attention", Some(*code), Some(message.as_str())),
    };
    let (kind, dossier_code) = match change {
        Change::DossierEvent { event, .. } => (event.kind.clone(), Some(event.dossier_code.clone())),
        Change::Catalog { .. } => ("catalog".to_string(), None),
        Change::Calendar { .. } => ("calendar".to_string(), None),
        Change::FormTexts { .. } => ("form_texts".to_string(), None),
    };
    tx.execute(
        "INSERT INTO inbox (hub_seq, kind, dossier_code, data, state, error_code, error_text, received_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT(hub_seq) DO UPDATE SET state = excluded.state, error_code = excluded.error_code,
         error_text = excluded.error_text, updated_at = excluded.updated_at",
        params![
            change.seq(),
            kind,
            dossier_code,
            json(change)?,
            state,
            code,
            message,
            now
        ],
    )?;
    Ok(())
}
