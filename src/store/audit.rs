//! Checking the trail: each event's hash against its content, this PC's
//! chain link by link, and each `dossiers` row against the fold of its
//! events (`motcua audit verify`); rebuilding the rows from the events
//! (`motcua audit rebuild`).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{event_columns, event_from_columns, from_json, insert_projection, json, search_text, EventColumns, Store};
use crate::chain;
use crate::dossier::Dossier;
use crate::error::Result;

/// The first thing found wrong. `reason`: `edited` (an event no longer
/// matches its hash), `broken_link` (an event of this PC was deleted,
/// inserted or moved before this one), `missing_hash`, `row_differs` (a
/// `dossiers` row is not the fold of its events), `row_without_events`,
/// `row_missing` (events of a dossier with no row), `events_refused` (the
/// events do not fold). For a row, `id` is the dossier's and `seq` its last
/// event's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BadEvent {
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seq: Option<i64>,
    pub id: String,
    pub reason: String,
}

/// `motcua audit verify --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditReport {
    pub ok: bool,
    /// Events checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: i64,
    pub first_bad: Option<BadEvent>,
}

/// `motcua audit rebuild --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rebuilt {
    /// Rows written again from their events.
    pub rebuilt: i64,
    /// Dossiers whose events do not fold, left as they were.
    pub refused: Vec<BadEvent>,
}

/// An event row as the audit reads it: its columns, origin and link.
struct Row {
    seq: i64,
    columns: EventColumns,
    origin: String,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl Row {
    /// The hash of this row's content after `prev`, from the payload as stored.
    fn hash_after(&self, prev: &str) -> Result<String> {
        let (id, dossier_id, kind, payload, actor, device, occurred_at) = &self.columns;
        let payload: serde_json::Value = from_json(payload)?;
        Ok(chain::hash(
            prev,
            &chain::Content {
                id_text: id.clone(),
                dossier_id_text: dossier_id.clone(),
                kind,
                payload: &payload,
                actor,
                device,
                occurred_at,
            },
        ))
    }

    fn bad(&self, reason: &str) -> BadEvent {
        BadEvent {
            seq: Some(self.seq),
            id: self.columns.0.clone(),
            reason: reason.to_string(),
        }
    }
}

const ROW_COLUMNS: &str = "seq, id, dossier_id, kind, payload, actor, device, occurred_at, origin, prev_hash, hash";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        seq: r.get(0)?,
        columns: event_columns(r, 1)?,
        origin: r.get(8)?,
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}

/// The hash the next event of this PC follows.
pub(super) fn last_local_hash(tx: &rusqlite::Connection) -> Result<String> {
    let last: Option<Option<String>> = tx
        .query_row(
            "SELECT hash FROM events WHERE origin = 'local' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(last.flatten().unwrap_or_else(|| chain::GENESIS.to_string()))
}

/// Migration step: chains the events this PC recorded before the chain
/// existed, in the order it recorded them. The append-only triggers are
/// lifted for this one transaction and put back.
pub(super) fn chain_existing_events(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DROP TRIGGER IF EXISTS events_are_append_only_update;
         DROP TRIGGER IF EXISTS events_are_append_only_delete;",
    )?;
    let rows: Vec<Row> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT {ROW_COLUMNS} FROM events WHERE origin = 'local' ORDER BY seq"
        ))?;
        let rows = stmt.query_map([], read_row)?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut prev = chain::GENESIS.to_string();
    for row in rows {
        let hash = row.hash_after(&prev)?;
        tx.execute(
            "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![row.seq, prev, hash],
        )?;
        prev = hash;
    }
    tx.execute_batch(
        "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
         CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
         BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",
    )?;
    Ok(())
}

impl Store {
    /// The hash the next event of this PC will follow (its chain's head).
    pub fn chain_head(&self) -> Result<String> {
        last_local_hash(&self.conn)
    }

    /// Verifies the trail. `recent`: only the last that many events of this
    /// PC and the dossiers they touch (the quick check at start); `None`:
    /// everything (the full check).
    pub fn audit(&self, recent: Option<usize>) -> Result<AuditReport> {
        let from: i64 = match recent {
            None => 0,
            Some(n) => self
                .conn
                .query_row(
                    "SELECT seq FROM events WHERE origin = 'local' ORDER BY seq DESC LIMIT 1 OFFSET ?1",
                    [n.saturating_sub(1) as i64],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0),
        };
        let mut events = 0;
        let mut touched: Vec<String> = Vec::new();
        let mut first_bad = None;
        {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {ROW_COLUMNS} FROM events WHERE seq >= ?1 ORDER BY seq"
            ))?;
            let mut rows = stmt.query([from])?;
            // The first local event of a partial check starts where it starts.
            let mut chain_at: Option<String> = if from == 0 {
                Some(chain::GENESIS.to_string())
            } else {
                None
            };
            while let Some(r) = rows.next()? {
                let row = read_row(r)?;
                events += 1;
                if recent.is_some() && row.columns.2 != "office" {
                    touched.push(row.columns.1.clone());
                }
                let local = row.origin == "local";
                let (prev, hash) = match (&row.prev_hash, &row.hash) {
                    (Some(p), Some(h)) => (p, h),
                    (None, None) if !local => continue,
                    _ => {
                        first_bad = Some(row.bad("missing_hash"));
                        break;
                    }
                };
                if row.hash_after(prev)? != *hash {
                    first_bad = Some(row.bad("edited"));
                    break;
                }
                if local {
                    if chain_at.as_ref().is_some_and(|expected| expected != prev) {
                        first_bad = Some(row.bad("broken_link"));
                        break;
                    }
                    chain_at = Some(hash.clone());
                }
            }
        }
        if first_bad.is_none() {
            touched.sort();
            touched.dedup();
            first_bad = self.check_rows(recent.map(|_| touched.as_slice()))?;
        }
        Ok(AuditReport {
            ok: first_bad.is_none(),
            events,
            first_bad,
        })
    }

    /// Compares `dossiers` rows with the fold of their events: all of them,
    /// or the given dossier ids. Rows and events are read in dossier-id
    /// order side by side, so a million dossiers need no memory for them.
    fn check_rows(&self, only: Option<&[String]>) -> Result<Option<BadEvent>> {
        let mut bad = None;
        self.each_dossier(only, |id, row, events| {
            let last_seq = events.last().map(|(seq, _)| *seq);
            let reason = match (row, events.is_empty()) {
                (None, false) => Some("row_missing"),
                (Some(_), true) => Some("row_without_events"),
                (None, true) => None,
                (Some(data), false) => {
                    let folded = Dossier::fold(events.iter().map(|(_, e)| e));
                    let stored: Option<Dossier> = serde_json::from_str(data).ok();
                    match folded {
                        Ok(Some(d)) if stored.as_ref() == Some(&d) => None,
                        Ok(_) => Some("row_differs"),
                        Err(_) => Some("events_refused"),
                    }
                }
            };
            if let Some(reason) = reason {
                bad = Some(BadEvent {
                    seq: last_seq,
                    id: id.to_string(),
                    reason: reason.to_string(),
                });
                return false;
            }
            true
        })?;
        Ok(bad)
    }

    /// Calls `each(dossier id, its row's data, its events in order)` for
    /// every dossier that has a row or events (or only those of `only`),
    /// until it returns false. Office facts belong to no dossier.
    fn each_dossier(
        &self,
        only: Option<&[String]>,
        mut each: impl FnMut(&str, Option<&str>, &[(i64, crate::dossier::Event)]) -> bool,
    ) -> Result<()> {
        let ids: Vec<String> = match only {
            Some(ids) => ids.to_vec(),
            None => {
                let mut stmt = self.conn.prepare(
                    "SELECT id FROM dossiers UNION SELECT dossier_id FROM events WHERE kind <> 'office' ORDER BY 1",
                )?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut row_stmt = self.conn.prepare("SELECT data FROM dossiers WHERE id = ?1")?;
        let mut event_stmt = self.conn.prepare(
            "SELECT seq, id, dossier_id, kind, payload, actor, device, occurred_at FROM events
              WHERE dossier_id = ?1 ORDER BY seq",
        )?;
        for id in ids {
            let row: Option<String> = row_stmt.query_row([&id], |r| r.get(0)).optional()?;
            let mut events = Vec::new();
            let mut rows = event_stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                events.push((r.get::<_, i64>(0)?, event_from_columns(event_columns(r, 1)?)?));
            }
            if !each(&id, row.as_deref(), &events) {
                break;
            }
        }
        Ok(())
    }

    /// Writes every `dossiers` row again as the fold of its events, in one
    /// transaction. Dossiers whose events do not fold are left as they are
    /// and listed. The hub's clock verdict on a row is kept.
    pub fn rebuild_projection(&mut self) -> Result<Rebuilt> {
        let mut folded: Vec<Dossier> = Vec::new();
        let mut refused = Vec::new();
        self.each_dossier(None, |id, _, events| {
            match Dossier::fold(events.iter().map(|(_, e)| e)) {
                Ok(Some(d)) => folded.push(d),
                Ok(None) => {}
                Err(_) => refused.push(BadEvent {
                    seq: events.last().map(|(seq, _)| *seq),
                    id: id.to_string(),
                    reason: "events_refused".into(),
                }),
            }
            true
        })?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for d in &folded {
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = ?1)",
                [d.id.to_string()],
                |r| r.get(0),
            )?;
            if exists {
                let code = crate::code::parse(&d.code);
                tx.execute(
                    "UPDATE dossiers SET code = ?2, receipt_date = ?3, seq = ?4, counter = ?5, book = ?6,
                            book_number = ?7, procedure_code = ?8, received_at = ?9, search_text = ?10, data = ?11
                      WHERE id = ?1",
                    params![
                        d.id.to_string(),
                        d.code,
                        code.as_ref().map(|c| c.date.format("%Y-%m-%d").to_string()),
                        code.as_ref().map(|c| c.seq),
                        d.counter,
                        d.book.book,
                        d.book.number,
                        d.procedure.code,
                        d.received_at,
                        search_text(d),
                        json(d)?,
                    ],
                )?;
                super::update_projection(&tx, d)?;
            } else {
                insert_projection(&tx, d)?;
            }
        }
        tx.execute(
            "DELETE FROM dossiers WHERE id NOT IN (SELECT dossier_id FROM events)
               AND id NOT IN (SELECT dossier_id FROM prints)",
            [],
        )?;
        tx.commit()?;
        Ok(Rebuilt {
            rebuilt: folded.len() as i64,
            refused,
        })
    }
}
