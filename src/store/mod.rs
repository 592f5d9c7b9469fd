//! The counter's SQLite database: one file in the data folder.
//!
//! Opened with WAL, `synchronous=FULL` (a receipt is a promise: the row is
//! on disk before the PDF exists), foreign keys and a busy timeout.
//! Migrations are embedded and applied in one transaction each, guarded by
//! `PRAGMA user_version`; a file written by a newer motcua is refused.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::accounts::Account;
use crate::calendar::{DayKind, Override};
use crate::catalog::{CatalogFile, CatalogVersion, Procedure};
use crate::dossier::{Dossier, Event};
use crate::error::{Error, Result};
use crate::keys::DataKey;
use crate::messages as msg;
use crate::office::Office;
use crate::text;

mod accounts;
mod audit;
mod sync;

pub use accounts::AccountChange;
pub use audit::{AuditReport, BadEvent, Rebuilt};
pub use sync::{AttentionItem, OutboxCounts, PhaseCounts, PulledApplied, Restored, SyncLogRow};

/// One schema step: its SQL, then (rarely) what SQL cannot do, in the same
/// transaction.
struct Migration {
    sql: &'static str,
    then: Option<fn(&rusqlite::Transaction<'_>) -> Result<()>>,
}

const fn sql(sql: &'static str) -> Migration {
    Migration { sql, then: None }
}

const MIGRATIONS: &[Migration] = &[
    sql(include_str!("migrations/0001_initial.sql")),
    sql(include_str!("migrations/0002_sync.sql")),
    sql(include_str!("migrations/0003_report.sql")),
    sql(include_str!("migrations/0004_restore.sql")),
    sql(include_str!("migrations/0005_rules.sql")),
    Migration {
        sql: include_str!("migrations/0006_chain.sql"),
        then: Some(audit::chain_existing_events),
    },
    sql(include_str!("migrations/0007_accounts.sql")),
    sql(include_str!("migrations/0008_keyring.sql")),
    sql(include_str!("migrations/0009_form_texts.sql")),
    sql(include_str!("migrations/0010_report_indexes.sql")),
];

/// The schema version this program writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub const DATABASE_FILE: &str = "motcua.sqlite3";

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::refused("serialize", e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::refused("corrupt_row", msg::corrupt_row(&e.to_string())))
}

pub use crate::dossier::rules::Numbering;

/// A print whose number is taken (see [`Store::reserve_print`]).
#[derive(Debug, Clone)]
pub struct ReservedPrint {
    pub id: i64,
    pub print_no: u32,
    pub path: PathBuf,
}

/// One row of the `prints` table.
#[derive(Debug, Clone)]
pub struct PrintRow {
    pub dossier_id: String,
    pub form: String,
    pub print_no: u32,
    pub path: PathBuf,
    /// `reserved`, `archived`, `sent` or `failed`.
    pub state: String,
}

impl Store {
    /// A database from before encryption (plain SQLite).
    pub fn open(path: &Path) -> Result<Store> {
        Store::connect(Connection::open(path)?, path, None)
    }

    /// The office's encrypted database (SQLCipher 4, raw 256-bit key). A
    /// wrong key or a file that is no database is refused before anything
    /// is read or written.
    pub fn open_keyed(path: &Path, key: &DataKey) -> Result<Store> {
        Store::connect(Connection::open(path)?, path, Some(key))
    }

    /// A store in memory: a new folder before it is set up writes nothing
    /// to disk, so a window opened and closed leaves no half-made file.
    pub fn open_in_memory() -> Result<Store> {
        Store::connect(Connection::open_in_memory()?, Path::new(":memory:"), None)
    }

    fn connect(mut conn: Connection, path: &Path, key: Option<&DataKey>) -> Result<Store> {
        if let Some(key) = key {
            // The key is the first statement the connection sees.
            conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
                .map_err(|_| Error::refused("data_key_wrong", msg::DATA_KEY_WRONG))?;
        }
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of pages kept decrypted: a report over years of dossiers
        // reads most of the file, and each page SQLite reads again from the
        // disk cache is decrypted and authenticated again.
        conn.pragma_update(None, "cache_size", -65536)?;
        backup_before_migration(&conn, path, key)?;
        migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// For invented data only (demo-data in a training office): commits
    /// stop waiting for the disk. A crash may lose the last synthetic
    /// dossiers, never real ones — a real office never calls this.
    pub fn relax_durability_for_synthetic_data(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A consistent copy of this (encrypted) database at `to`, under the
    /// same key, made with SQLite's online backup API while it stays in use.
    pub fn copy_to(&self, to: &Path, key: &DataKey) -> Result<()> {
        let mut out = Connection::open(to)?;
        out.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
        Ok(())
    }

    /// Writes this database, whole and consistent, to a new file at `to`
    /// encrypted under `key` (SQLCipher's export; the schema version goes
    /// with it). Used to seal a folder from before encryption.
    pub fn export_encrypted(&self, to: &Path, key: &DataKey) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.conn.execute(
            "ATTACH DATABASE ?1 AS sealed KEY ?2",
            params![to.to_string_lossy(), key.sqlcipher_key()],
        )?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('sealed')", [], |_| Ok(()))
            .and_then(|_| {
                self.conn
                    .execute_batch(&format!("PRAGMA sealed.user_version = {version};"))
            });
        self.conn.execute("DETACH DATABASE sealed", [])?;
        exported?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    // ---- office -------------------------------------------------------

    pub fn office(&self) -> Result<Option<Office>> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        data.map(|d| from_json(&d)).transpose()
    }

    /// Creates the office row, its first admin and their events, in one
    /// transaction; refuses when an office exists.
    pub fn create_office(&mut self, office: &Office, admin: &Account, events: &[Event], now: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM office)", [], |r| r.get(0))?;
        if exists {
            return Err(Error::refused("already_initialised", msg::ALREADY_INITIALISED));
        }
        tx.execute(
            "INSERT INTO office (id, data, created_at, updated_at) VALUES (1, ?1, ?2, ?2)",
            params![json(office)?, now],
        )?;
        accounts::insert_account(&tx, &admin.login, &admin.full_name, &admin.roles, now)?;
        for event in events {
            insert_event(&tx, event, Origin::Local, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes the office's settings with the event that records the change.
    pub fn update_office(&mut self, office: &Office, event: &Event, now: &str) -> Result<()> {
        let data = json(office)?;
        self.record_office_event(event, |tx| {
            let n = tx.execute(
                "UPDATE office SET data = ?1, updated_at = ?2 WHERE id = 1",
                params![data, now],
            )?;
            if n == 0 {
                return Err(Error::refused("not_initialised", msg::NOT_INITIALISED));
            }
            Ok(())
        })
    }

    /// Whether this PC has issued any dossier code (its identity is then fixed).
    pub fn has_issued_codes(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM dossiers)", [], |r| r.get(0))?)
    }

    // ---- catalog ------------------------------------------------------

    /// Stores a new catalog version: the file's procedures alone
    /// (`replace`), or the current ones with the file's added or replacing
    /// those of the same code.
    pub fn import_catalog(&mut self, file: &CatalogFile, replace: bool, now: &str) -> Result<CatalogVersion> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = import_catalog_in(&tx, file, replace, now)?;
        tx.commit()?;
        Ok(version)
    }
    /// Imports a catalog with the event `event_of` makes of the new
    /// version, in one transaction.
    pub fn import_catalog_recorded(
        &mut self,
        file: &CatalogFile,
        replace: bool,
        now: &str,
        event_of: impl FnOnce(&CatalogVersion) -> Event,
    ) -> Result<CatalogVersion> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = import_catalog_in(&tx, file, replace, now)?;
        let event = event_of(&version);
        check_clock(&tx, &event)?;
        insert_event(&tx, &event, Origin::Local, None)?;
        tx.commit()?;
        Ok(version)
    }

    // ---- form texts ----------------------------------------------------

    /// The newest set of each layer, province first then office.
    pub fn form_text_layers(&self) -> Result<Vec<(String, i64, crate::form_texts::TextSet)>> {
        let mut stmt = self.conn.prepare(
            "SELECT layer, version, data FROM form_texts f
              WHERE version = (SELECT MAX(version) FROM form_texts g WHERE g.layer = f.layer)
              ORDER BY CASE layer WHEN 'province' THEN 0 ELSE 1 END",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?;
        rows.map(|r| {
            let (layer, version, data) = r?;
            Ok((layer, version, from_json(&data)?))
        })
        .collect()
    }

    /// Stores the office's new overrides as the next version of its layer,
    /// with the event `event_of` makes of that version, in one transaction.
    pub fn set_office_form_texts(
        &mut self,
        set: &crate::form_texts::TextSet,
        now: &str,
        event_of: impl FnOnce(i64) -> Event,
    ) -> Result<i64> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = store_form_texts(&tx, "office", None, set, now)?;
        let event = event_of(version);
        check_clock(&tx, &event)?;
        insert_event(&tx, &event, Origin::Local, None)?;
        tx.commit()?;
        Ok(version)
    }

    pub fn current_catalog(&self) -> Result<Option<CatalogVersion>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, label, source, imported_at, procedure_count FROM catalog_versions
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(CatalogVersion {
                        id: r.get(0)?,
                        label: r.get(1)?,
                        source: r.get(2)?,
                        imported_at: r.get(3)?,
                        procedure_count: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn procedures(&self, version: i64) -> Result<Vec<Procedure>> {
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM procedures WHERE catalog_version = ?1 ORDER BY field, code")?;
        let rows = stmt.query_map([version], |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json(&r?)).collect()
    }

    pub fn procedure(&self, version: i64, code: &str) -> Result<Option<Procedure>> {
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM procedures WHERE catalog_version = ?1 AND code = ?2",
                params![version, code],
                |r| r.get(0),
            )
            .optional()?;
        data.map(|d| from_json(&d)).transpose()
    }

    // ---- dossiers -----------------------------------------------------

    /// Records a new dossier in one IMMEDIATE transaction: reads the day's
    /// last sequence number of the counter's block and the book's last
    /// number, lets `make` build the `received` event from them, appends
    /// the event and writes its projection. Nothing is stored if any step fails.
    pub fn record_new_dossier(
        &mut self,
        receipt_date: NaiveDate,
        seq_block: std::ops::RangeInclusive<u32>,
        book: &str,
        make: impl FnOnce(Numbering) -> Result<Event>,
    ) -> Result<Dossier> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = receipt_date.format("%Y-%m-%d").to_string();
        let last_seq_today: Option<u32> = tx.query_row(
            "SELECT MAX(seq) FROM dossiers WHERE receipt_date = ?1 AND seq BETWEEN ?2 AND ?3",
            params![date, seq_block.start(), seq_block.end()],
            |r| r.get(0),
        )?;
        let last_book_number: Option<u32> =
            tx.query_row("SELECT MAX(book_number) FROM dossiers WHERE book = ?1", [book], |r| {
                r.get(0)
            })?;
        let event = make(Numbering {
            last_seq_today,
            last_book_number,
        })?;
        check_clock(&tx, &event)?;
        let dossier = Dossier::apply(None, &event)?;
        insert_event(&tx, &event, Origin::Local, None)?;
        insert_projection(&tx, &dossier)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Records one lifecycle fact in one IMMEDIATE transaction: reads the
    /// dossier as it stands, lets `make` build the event from it (refusing
    /// if the rules say so), applies it, appends it and rewrites the row.
    pub fn record_event(&mut self, code: &str, make: impl FnOnce(&Dossier) -> Result<Event>) -> Result<Dossier> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let data: Option<String> = tx
            .query_row("SELECT data FROM dossiers WHERE code = ?1", [code], |r| r.get(0))
            .optional()?;
        let Some(data) = data else {
            return Err(Error::not_found("dossier_not_found", msg::dossier_unknown(code)));
        };
        let current: Dossier = from_json(&data)?;
        let mut event = make(&current)?;
        check_clock(&tx, &event)?;
        number_slip(&tx, &mut event)?;
        let next = Dossier::apply(Some(current), &event)?;
        insert_event(&tx, &event, Origin::Local, None)?;
        update_projection(&tx, &next)?;
        tx.commit()?;
        Ok(next)
    }

    /// Dossiers not yet finished (for the due board), oldest due first.
    pub fn open_dossiers(&self) -> Result<Vec<Dossier>> {
        let mut stmt = self.conn.prepare(
            "SELECT data FROM dossiers
             WHERE status NOT IN ('not_accepted', 'withdrawn', 'stopped', 'returned')
             ORDER BY due_at",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json(&r?)).collect()
    }

    /// Dossiers received in a date range (inclusive), for the tracking book.
    pub fn dossiers_received_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Dossier>> {
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM dossiers WHERE receipt_date BETWEEN ?1 AND ?2 ORDER BY book, book_number")?;
        let rows = stmt.query_map(
            [from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string()],
            |r| r.get::<_, String>(0),
        )?;
        rows.map(|r| from_json(&r?)).collect()
    }

    pub fn dossier_by_code(&self, code: &str) -> Result<Option<Dossier>> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM dossiers WHERE code = ?1", [code], |r| r.get(0))
            .optional()?;
        data.map(|d| from_json(&d)).transpose()
    }

    pub fn dossiers_received_on(&self, date: NaiveDate) -> Result<Vec<Dossier>> {
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM dossiers WHERE receipt_date = ?1 ORDER BY received_at, code")?;
        let rows = stmt.query_map([date.format("%Y-%m-%d").to_string()], |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json(&r?)).collect()
    }

    /// Dossiers whose folded search text holds every folded word of `query`.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<Dossier>> {
        let words: Vec<String> = text::fold(query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{}%", w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let clause = (1..=words.len())
            .map(|i| format!("search_text LIKE ?{i} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let sql = format!("SELECT data FROM dossiers WHERE {clause} ORDER BY received_at DESC LIMIT {limit}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json(&r?)).collect()
    }

    pub fn events_of(&self, dossier_id: &str) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, dossier_id, kind, payload, actor, device, occurred_at FROM events
             WHERE dossier_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([dossier_id], |r| event_columns(r, 0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(event_from_columns(row?)?);
        }
        Ok(out)
    }

    /// The report's facts of every dossier received on or before `to` whose
    /// processing had not ended before `from` (see `report::figures`).
    pub fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(crate::report::figures::Facts),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT procedure_code, procedure_name, field, channel, receipt_date, received_at, judged_due_at,
                    ended_at, clock_stopped, supplement_requests, flags, clock_suspect, status,
                    supplement_asked_at, supplement_done_at
               FROM dossiers
              WHERE receipt_date <= ?2 AND (ended_at IS NULL OR ended_at >= ?1)",
        )?;
        let mut rows = stmt.query([from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string()])?;
        let time = |s: String| {
            chrono::DateTime::parse_from_rfc3339(&s)
                .map_err(|e| Error::refused("corrupt_row", msg::corrupt_row(&e.to_string())))
        };
        while let Some(r) = rows.next()? {
            let receipt: String = r.get(4)?;
            each(crate::report::figures::Facts {
                procedure_code: r.get(0)?,
                procedure_name: r.get(1)?,
                field: r.get(2)?,
                channel: r.get(3)?,
                receipt_date: NaiveDate::parse_from_str(&receipt, "%Y-%m-%d")
                    .map_err(|e| Error::refused("corrupt_row", msg::corrupt_row(&e.to_string())))?,
                received_at: time(r.get(5)?)?,
                due_at: time(r.get(6)?)?,
                ended_at: r.get::<_, Option<String>>(7)?.map(time).transpose()?,
                waiting_for_supplement: r.get(8)?,
                supplement_requests: r.get(9)?,
                flags: flags_of(&r.get::<_, String>(10)?, r.get(11)?),
                with_result: [crate::dossier::Status::Processed, crate::dossier::Status::Returned]
                    .map(status_key)
                    .contains(&r.get::<_, String>(12)?),
                supplement: crate::report::figures::completed_supplement(
                    r.get::<_, Option<String>>(13)?.as_deref(),
                    r.get::<_, Option<String>>(14)?.as_deref(),
                ),
            });
        }
        Ok(())
    }

    /// Dossiers received in `from..=to` whose reception the hub acknowledged
    /// (restored ones came from the hub, so it holds them).
    pub fn synced_received(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM dossiers d
               JOIN events e ON e.dossier_id = d.id AND e.kind = 'received'
               LEFT JOIN outbox o ON o.event_seq = e.seq
              WHERE d.receipt_date BETWEEN ?1 AND ?2 AND (o.state = 'sent' OR e.origin = 'restored')",
            [from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string()],
            |r| r.get(0),
        )?)
    }

    /// Whether the hub flagged one of the dossier's events as dated by a wrong clock.
    pub fn clock_suspect(&self, dossier_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT clock_suspect FROM dossiers WHERE id = ?1", [dossier_id], |r| {
                r.get::<_, bool>(0)
            })
            .optional()?
            .unwrap_or(false))
    }

    pub fn count_events(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?)
    }

    pub fn count_dossiers(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM dossiers", [], |r| r.get(0))?)
    }

    // ---- prints -------------------------------------------------------

    /// The number the next print of `form` for a dossier gets (1 = first).
    pub fn next_print_no(&self, dossier_id: &str, form: &str) -> Result<u32> {
        let last: Option<u32> = self.conn.query_row(
            "SELECT MAX(print_no) FROM prints WHERE dossier_id = ?1 AND form = ?2",
            params![dossier_id, form],
            |r| r.get(0),
        )?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// Reserves the next print number of a dossier's form and records the
    /// print as `reserved`, in one IMMEDIATE transaction, before anything
    /// is rendered: two prints at once get two numbers, and a print cut
    /// short keeps its number (the next one is marked a reprint).
    #[allow(clippy::too_many_arguments)]
    pub fn reserve_print(
        &mut self,
        dossier_id: &str,
        form: &str,
        file_of: &dyn Fn(u32) -> PathBuf,
        paper: &str,
        copies: u32,
        printer: Option<&str>,
        now: &str,
    ) -> Result<ReservedPrint> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<u32> = tx.query_row(
            "SELECT MAX(print_no) FROM prints WHERE dossier_id = ?1 AND form = ?2",
            params![dossier_id, form],
            |r| r.get(0),
        )?;
        let print_no = last.unwrap_or(0) + 1;
        let path = file_of(print_no);
        tx.execute(
            "INSERT INTO prints (dossier_id, form, print_no, path, paper, copies, printer, printed_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'reserved')",
            params![
                dossier_id,
                form,
                print_no,
                path.to_string_lossy(),
                paper,
                copies,
                printer,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(ReservedPrint { id, print_no, path })
    }

    /// Records how far a reserved print got: `archived` (its PDF is in the
    /// archive), `sent` (spooled, with the job), or `failed`.
    pub fn print_stage(&mut self, id: i64, state: &str, job: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE prints SET state = ?2, job = COALESCE(?3, job) WHERE id = ?1",
            params![id, state, job],
        )?;
        Ok(())
    }

    /// Every print recorded: (dossier id, form, number, path, state).
    /// Points a print's row at its file's new place (the archive sealed).
    pub fn move_print(&mut self, from: &Path, to: &Path) -> Result<()> {
        self.conn.execute(
            "UPDATE prints SET path = ?2 WHERE path = ?1",
            params![from.to_string_lossy(), to.to_string_lossy()],
        )?;
        Ok(())
    }

    pub fn prints(&self) -> Result<Vec<PrintRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT dossier_id, form, print_no, path, state FROM prints ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(PrintRow {
                dossier_id: r.get(0)?,
                form: r.get(1)?,
                print_no: r.get(2)?,
                path: PathBuf::from(r.get::<_, String>(3)?),
                state: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    // ---- settings and calendar ---------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    pub fn calendar_overrides(&self) -> Result<Vec<Override>> {
        let mut stmt = self
            .conn
            .prepare("SELECT date, kind, reason FROM calendar_overrides ORDER BY date")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (date, kind, reason) = row?;
            let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                continue;
            };
            let kind = if kind == "working" {
                DayKind::Working
            } else {
                DayKind::Off
            };
            out.push(Override { date, kind, reason });
        }
        Ok(out)
    }

    /// Sets or removes an admin's mark on a day, with its event.
    pub fn set_calendar_override(
        &mut self,
        o: Option<&Override>,
        date: NaiveDate,
        event: &Event,
        now: &str,
    ) -> Result<()> {
        let d = date.format("%Y-%m-%d").to_string();
        self.record_office_event(event, |tx| {
            match o {
                Some(o) => {
                    let kind = if o.kind == DayKind::Working { "working" } else { "off" };
                    tx.execute(
                        "INSERT INTO calendar_overrides (date, kind, reason, set_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, reason = excluded.reason,
                         set_at = excluded.set_at",
                        params![d, kind, o.reason, now],
                    )?
                }
                None => tx.execute("DELETE FROM calendar_overrides WHERE date = ?1", [d])?,
            };
            Ok(())
        })
    }
}

/// The columns `id, dossier_id, kind, payload, actor, device, occurred_at` of `events`.
type EventColumns = (String, String, String, String, String, String, String);

/// Reads the seven event columns starting at column `first`.
fn event_columns(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<EventColumns> {
    let col = |i: usize| r.get::<_, String>(first + i);
    Ok((col(0)?, col(1)?, col(2)?, col(3)?, col(4)?, col(5)?, col(6)?))
}

fn event_from_columns(c: EventColumns) -> Result<Event> {
    let (id, dossier_id, kind, payload, actor, device, occurred_at) = c;
    let body = from_json(&format!(
        "{{\"kind\":{},\"payload\":{}}}",
        serde_json::Value::String(kind),
        payload
    ))?;
    Ok(Event {
        id: parse_uuid(&id)?,
        dossier_id: parse_uuid(&dossier_id)?,
        body,
        actor,
        device,
        occurred_at,
    })
}

fn parse_uuid(s: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|e| Error::refused("corrupt_row", e.to_string()))
}

fn import_catalog_in(
    tx: &rusqlite::Transaction<'_>,
    file: &CatalogFile,
    replace: bool,
    now: &str,
) -> Result<CatalogVersion> {
    let current: Option<i64> = tx
        .query_row("SELECT MAX(id) FROM catalog_versions", [], |r| r.get(0))
        .optional()?
        .flatten();
    let mut procedures: Vec<Procedure> = Vec::new();
    if let (false, Some(v)) = (replace, current) {
        let mut stmt = tx.prepare("SELECT data FROM procedures WHERE catalog_version = ?1 ORDER BY code")?;
        let rows = stmt.query_map([v], |r| r.get::<_, String>(0))?;
        for row in rows {
            let p: Procedure = from_json(&row?)?;
            if !file.procedures.iter().any(|q| q.code == p.code) {
                procedures.push(p);
            }
        }
    }
    procedures.extend(file.procedures.iter().cloned());
    procedures.sort_by(|a, b| a.code.cmp(&b.code));
    tx.execute(
        "INSERT INTO catalog_versions (catalog_id, label, source, imported_at, procedure_count)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            file.meta.id,
            file.meta.label,
            file.meta.source,
            now,
            procedures.len() as i64
        ],
    )?;
    let version = tx.last_insert_rowid();
    {
        let mut insert = tx.prepare(
            "INSERT INTO procedures (catalog_version, code, name, field, search_text, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for p in &procedures {
            let search = text::fold(&format!("{} {} {}", p.code, p.name, p.field));
            insert.execute(params![version, p.code, p.name, p.field, search, json(p)?])?;
        }
    }
    Ok(CatalogVersion {
        id: version,
        label: file.meta.label.clone(),
        source: file.meta.source.clone(),
        imported_at: now.to_string(),
        procedure_count: procedures.len() as i64,
    })
}

/// Where an event was made; only `Local` events enter the outbox (a trigger).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Made at this counter: goes to the outbox.
    Local,
    /// The province's processing, pulled from the hub.
    Hub,
    /// This counter's own event, restored from the hub onto a replacement
    /// PC: the hub already holds it, so it never enters the outbox.
    Restored,
}

/// Appends an event. A local one is chained here, after the last event
/// this PC recorded; one from the hub keeps the link the hub gave (`link`).
fn insert_event(tx: &rusqlite::Transaction<'_>, e: &Event, origin: Origin, link: Option<(&str, &str)>) -> Result<()> {
    let (prev_hash, hash) = match origin {
        Origin::Local => {
            let prev = audit::last_local_hash(tx)?;
            let hash = e.chain_hash(&prev);
            (Some(prev), Some(hash))
        }
        Origin::Hub | Origin::Restored => match link {
            Some((prev, hash)) => (Some(prev.to_string()), Some(hash.to_string())),
            None => (None, None),
        },
    };
    tx.execute(
        "INSERT INTO events (id, dossier_id, kind, payload, actor, device, occurred_at, origin, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            e.id.to_string(),
            e.dossier_id.to_string(),
            e.body.kind(),
            e.payload().to_string(),
            e.actor,
            e.device,
            e.occurred_at,
            match origin {
                Origin::Local => "local",
                Origin::Hub => "hub",
                Origin::Restored => "restored",
            },
            prev_hash,
            hash,
        ],
    )?;
    Ok(())
}

/// Writes a dossier's row the first time: at reception, or when a PC that
/// replaces a lost one restores it from the hub. The receipt date and the
/// sequence number are the code's own. A restored dossier may name a
/// catalog version this PC never had; its row then points at the newest
/// local one (the dossier keeps its own procedure snapshot either way).
fn insert_projection(tx: &rusqlite::Transaction<'_>, dossier: &Dossier) -> Result<()> {
    let Some(code) = crate::code::parse(&dossier.code) else {
        return Err(Error::refused("corrupt_row", msg::corrupt_row(&dossier.code)));
    };
    let supplement = supplement_times(dossier);
    tx.execute(
        "INSERT INTO dossiers (id, code, receipt_date, seq, counter, book, book_number, procedure_code,
            catalog_version, status, received_at, due_at, search_text, data, channel, field, procedure_name,
            ended_at, supplement_requests, judged_due_at, clock_stopped, flags,
            supplement_asked_at, supplement_done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
            COALESCE((SELECT id FROM catalog_versions WHERE id = ?9), (SELECT MAX(id) FROM catalog_versions)),
            ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        params![
            dossier.id.to_string(),
            dossier.code,
            code.date.format("%Y-%m-%d").to_string(),
            code.seq,
            dossier.counter,
            dossier.book.book,
            dossier.book.number,
            dossier.procedure.code,
            dossier.procedure.catalog_version,
            status_key(dossier.status),
            dossier.received_at,
            dossier.due_at,
            search_text(dossier),
            json(dossier)?,
            dossier.channel.key(),
            dossier.procedure.field,
            dossier.procedure.name,
            dossier.ended_at,
            dossier.supplement_requests,
            dossier.judged_due(),
            dossier.clock_stopped(),
            flags_key(dossier),
            supplement.0,
            supplement.1,
        ],
    )?;
    Ok(())
}

/// The latest supplement's request and completion times (report columns).
fn supplement_times(d: &Dossier) -> (Option<&str>, Option<&str>) {
    match &d.supplement {
        Some(s) => (Some(s.requested_at.as_str()), s.completed_at.as_deref()),
        None => (None, None),
    }
}

/// Rewrites a dossier's row after one more event.
fn update_projection(tx: &rusqlite::Transaction<'_>, next: &Dossier) -> Result<()> {
    let supplement = supplement_times(next);
    tx.execute(
        "UPDATE dossiers SET status = ?1, due_at = ?2, search_text = ?3, data = ?4, channel = ?6, field = ?7,
                procedure_name = ?8, ended_at = ?9, supplement_requests = ?10, judged_due_at = ?11,
                clock_stopped = ?12, flags = ?13, supplement_asked_at = ?14, supplement_done_at = ?15
          WHERE id = ?5",
        params![
            status_key(next.status),
            next.due_at,
            search_text(next),
            json(next)?,
            next.id.to_string(),
            next.channel.key(),
            next.procedure.field,
            next.procedure.name,
            next.ended_at,
            next.supplement_requests,
            next.judged_due(),
            next.clock_stopped(),
            flags_key(next),
            supplement.0,
            supplement.1,
        ],
    )?;
    Ok(())
}

/// The rules' flags as the `flags` column keeps them: keys joined by commas.
fn flags_key(d: &Dossier) -> String {
    d.flags.iter().map(|f| f.key()).collect::<Vec<_>>().join(",")
}

/// The flags of a row: its `flags` column and its hub clock verdict.
fn flags_of(column: &str, clock_suspect: bool) -> Vec<crate::dossier::Flag> {
    let mut flags: Vec<_> = column.split(',').filter_map(crate::dossier::Flag::parse).collect();
    if clock_suspect {
        flags.push(crate::dossier::Flag::ClockSuspect);
    }
    flags
}

/// Refuses an event dated before the last fact this PC recorded (see
/// [`crate::dossier::rules::check_clock`]), inside the transaction that
/// would append it.
fn check_clock(tx: &rusqlite::Transaction<'_>, event: &Event) -> Result<()> {
    let last: Option<String> = tx.query_row("SELECT MAX(occurred_at) FROM events WHERE origin = 'local'", [], |r| {
        r.get(0)
    })?;
    let at = crate::vntime::parse_local("occurred_at", msg::LABEL_RECEIVED_AT, &event.occurred_at)?;
    Ok(crate::dossier::rules::check_clock(last.as_deref(), at)?)
}

/// Gives a new apology slip (Mẫu 04) the next number of this counter's
/// block in the event's year, in the transaction that stores it; restored
/// and pulled events of the same counter are counted too, so a replaced PC
/// numbers on after its predecessor.
fn number_slip(tx: &rusqlite::Transaction<'_>, event: &mut Event) -> Result<()> {
    let crate::dossier::EventBody::Extended(x) = &mut event.body else {
        return Ok(());
    };
    if x.number.is_some() {
        return Ok(());
    }
    let office: String = tx.query_row("SELECT data FROM office WHERE id = 1", [], |r| r.get(0))?;
    let office: Office = from_json(&office)?;
    let block = crate::code::block(office.counter);
    let year = event.occurred_at.get(..4).unwrap_or_default();
    let last: Option<u32> = tx.query_row(
        "SELECT MAX(CAST(json_extract(payload, '$.number') AS INTEGER)) FROM events
         WHERE kind = 'extended' AND substr(occurred_at, 1, 4) = ?1
           AND CAST(json_extract(payload, '$.number') AS INTEGER) BETWEEN ?2 AND ?3",
        params![year, block.start(), block.end()],
        |r| r.get(0),
    )?;
    x.number = Some(crate::code::next_seq(office.counter, last)?);
    Ok(())
}

/// Adds a set to a layer: the province's keeps the hub's version (a set
/// already held is not stored twice), the office's numbers on.
pub(crate) fn store_form_texts(
    tx: &rusqlite::Transaction<'_>,
    layer: &str,
    version: Option<i64>,
    set: &crate::form_texts::TextSet,
    now: &str,
) -> Result<i64> {
    let version = match version {
        Some(v) => v,
        None => {
            let last: Option<i64> =
                tx.query_row("SELECT MAX(version) FROM form_texts WHERE layer = ?1", [layer], |r| {
                    r.get(0)
                })?;
            last.unwrap_or(0) + 1
        }
    };
    tx.execute(
        "INSERT OR IGNORE INTO form_texts (layer, version, label, data, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![layer, version, set.label, json(set)?, now],
    )?;
    Ok(version)
}

/// A unit enum as stored in its column: its snake_case serde name.
pub(crate) fn snake_key(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The status as stored in the `status` column.
fn status_key(s: crate::dossier::Status) -> String {
    snake_key(s)
}

fn search_text(d: &Dossier) -> String {
    text::fold(&format!(
        "{} {} {} {} {}",
        d.applicant.full_name,
        d.applicant.id_number,
        d.applicant.phone.as_deref().unwrap_or(""),
        d.code,
        d.procedure.name
    ))
}

/// Before a migration changes an existing database: a copy of it as it
/// was, under the same key, in `backups/` beside it (kept; one per
/// version step — a second try of the same step keeps the first copy).
fn backup_before_migration(conn: &Connection, path: &Path, key: Option<&DataKey>) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    let Some(dir) = path.parent().filter(|_| found > 0 && found < known && path.is_file()) else {
        return Ok(());
    };
    let folder = dir.join("backups");
    let to = folder.join(format!("motcua-v{found}-before-v{known}.sqlite3"));
    if to.exists() {
        return Ok(());
    }
    crate::files::make_private_dir(&folder)?;
    let part = folder.join(format!(".motcua-v{found}-before-v{known}.part"));
    let _ = std::fs::remove_file(&part);
    {
        let mut out = Connection::open(&part)?;
        if let Some(key) = key {
            out.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
        }
        rusqlite::backup::Backup::new(conn, &mut out)?.run_to_completion(1024, Duration::from_millis(0), None)?;
    }
    std::fs::rename(&part, &to).map_err(|e| Error::file(&to, e))?;
    tracing::info!(from = found, to = known, file = %to.display(), "database copied before its migration");
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATIONS.len() as i64;
    loop {
        // The version is read inside the exclusive transaction, so two
        // processes opening the same file never apply a migration twice.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > known {
            return Err(Error::refused("schema_too_new", msg::schema_too_new(found, known)));
        }
        let Some(step) = MIGRATIONS.get(found.max(0) as usize) else {
            return Ok(());
        };
        tx.execute_batch(step.sql)?;
        if let Some(then) = step.then {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
        tracing::info!(version = found + 1, "applied database migration");
    }
}
