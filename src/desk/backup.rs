//! Backups (issue 11): the whole office — database, print archive and
//! keyring — in one file sealed under the office's data key.
//!
//! A backup file is `MOTCUA-BACKUP 1\n`, the keyring's length (4 bytes,
//! little-endian) and JSON, then a SQLCipher database made with SQLite's
//! online backup API under the same key, holding also the archived prints
//! (still sealed) in `backup_prints`. Nothing in it reads without the key;
//! the keyring lets whoever knows a password of the time (or the recovery
//! key) restore it into an empty data folder.
//!
//! Made: by `motcua backup`, daily by the window, before every migration
//! (the database alone, beside it), into `backups/` and, when set, a second
//! folder (a USB drive). Kept: the newest of each of the last 7 days, 4
//! weeks and 12 months that have one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::Serialize;

use super::Desk;
use crate::accounts::{Capability, Session};
use crate::error::{Error, Result};
use crate::files;
use crate::keys::{DataKey, Keyring};
use crate::messages as msg;
use crate::office::OfficeFact;
use crate::store::{AccountChange, Store, DATABASE_FILE};
use crate::sync;
use crate::vntime;

pub const BACKUP_DIR: &str = "backups";
const MAGIC: &[u8] = b"MOTCUA-BACKUP 1\n";
const LAST_BACKUP_KEY: &str = "backup.last_at";
const SECOND_DIR_KEY: &str = "backup.second_dir";
/// A backup file's name: `motcua-YYYY-MM-DD-HHMMSS.mcbak` (Vietnam time).
const NAME_FORMAT: &str = "motcua-%Y-%m-%d-%H%M%S.mcbak";

/// What a backup made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupMade {
    pub file: String,
    /// The same backup in the second folder, when one is set.
    pub second_copy: Option<String>,
    pub made_at: String,
    pub dossiers: i64,
    pub events: i64,
    /// The trail's full check at backup time; a broken chain is still
    /// backed up, and said.
    pub audit_ok: bool,
}

/// What a restore put in place.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub dossiers: i64,
    pub events: i64,
    pub prints: usize,
    /// The PC had enrolled with the hub: it must enroll again, and the
    /// first sync then brings back what the hub holds beyond the backup.
    pub was_enrolled: bool,
    /// Events in the backup the hub had not acknowledged when it was made:
    /// the next sync sends them (the hub keeps what it already has once).
    pub unsent: i64,
    pub message: String,
}

/// The backup's settings and state, for the settings screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupStatus {
    pub last_at: Option<String>,
    pub second_dir: Option<String>,
    pub folder: String,
}

/// Who makes the daily backup when nobody asked for one.
fn scheduler() -> Session {
    Session {
        login: "system".into(),
        full_name: msg::AUTOMATIC_BACKUP.into(),
        roles: Vec::new(),
    }
}

/// Which backups to keep, given when each was made: the newest of each of
/// the last 7 days, 4 ISO weeks and 12 months that have one.
pub fn to_keep(made: &[NaiveDateTime]) -> BTreeSet<NaiveDateTime> {
    let mut sorted: Vec<NaiveDateTime> = made.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut keep = BTreeSet::new();
    let mut newest_of = |key: &dyn Fn(&NaiveDateTime) -> (i32, u32), count: usize| {
        let mut seen = Vec::new();
        for t in &sorted {
            let k = key(t);
            if !seen.contains(&k) {
                if seen.len() == count {
                    break;
                }
                seen.push(k);
                keep.insert(*t);
            }
        }
    };
    newest_of(&|t| (t.year(), t.ordinal()), 7);
    newest_of(&|t| (t.iso_week().year(), t.iso_week().week()), 4);
    newest_of(&|t| (t.year(), t.month()), 12);
    keep
}

fn container(ring: &Keyring, db: &[u8]) -> Result<Vec<u8>> {
    let ring = serde_json::to_vec(ring).map_err(|e| Error::refused("serialize", e.to_string()))?;
    let len = u32::try_from(ring.len()).map_err(|e| Error::refused("serialize", e.to_string()))?;
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + ring.len() + db.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&ring);
    out.extend_from_slice(db);
    Ok(out)
}

/// The keyring and the database of a backup file.
fn open_container(bytes: &[u8]) -> Result<(Keyring, &[u8])> {
    let bad = || Error::invalid("backup_unreadable", "from", msg::BACKUP_UNREADABLE);
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(bad)?;
    let (len, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return Err(bad());
    }
    let (ring, db) = rest.split_at(len);
    let ring: Keyring = serde_json::from_slice(ring).map_err(|_| bad())?;
    Ok((ring, db))
}

/// A temporary file beside `near`, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl Desk {
    /// `motcua backup` (admin): a backup now, into `out` when given, else
    /// into `backups/` (and the second folder), then the old ones rotated.
    pub fn backup(&mut self, out: Option<&Path>, now: DateTime<Utc>) -> Result<BackupMade> {
        let who = self.require(Capability::Admin)?.clone();
        self.make_backup(&who, out, now)
    }

    /// The window's daily backup: made when none was made today (Vietnam
    /// date), by nobody in particular.
    pub fn backup_if_due(&mut self, now: DateTime<Utc>) -> Result<Option<BackupMade>> {
        if self.key.is_none() || self.store.office()?.is_none() {
            return Ok(None);
        }
        let today = vntime::from_utc(now).date_naive();
        let last = self
            .store
            .setting(LAST_BACKUP_KEY)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&vntime::zone()).date_naive());
        if last.is_some_and(|d| d >= today) {
            return Ok(None);
        }
        self.make_backup(&scheduler(), None, now).map(Some)
    }

    fn make_backup(&mut self, who: &Session, out: Option<&Path>, now: DateTime<Utc>) -> Result<BackupMade> {
        let key = self
            .key
            .clone()
            .ok_or_else(|| Error::refused("backup_needs_seal", msg::BACKUP_NEEDS_SEAL))?;
        let ring = Keyring::load(&self.data_dir)?.ok_or_else(|| Error::refused("keys_missing", msg::KEYS_MISSING))?;
        let at = vntime::from_utc(now);
        let name = at.format(NAME_FORMAT).to_string();
        let folder = self.data_dir.join(BACKUP_DIR);
        let target = out.map(Path::to_path_buf).unwrap_or_else(|| folder.join(&name));
        let audit_ok = self.store.audit(None)?.ok;
        if !audit_ok {
            tracing::warn!("backing up a trail that does not verify");
        }
        let (dossiers, events) = (self.store.count_dossiers()?, self.store.count_events()? + 1);
        let fact = OfficeFact::BackupMade {
            file: target.display().to_string(),
            dossiers,
            events,
            audit_ok,
        };
        let event = super::office_event(who, &self.office()?.device_id, at, fact);
        self.store
            .change_account(&event, AccountChange::Nothing, &vntime::iso(&at))?;
        files::make_private_dir(&folder)?;
        let scratch = Scratch(folder.join(format!(".{name}.db")));
        self.store.copy_to(&scratch.0, &key)?;
        let copy = rusqlite::Connection::open(&scratch.0)?;
        copy.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
        copy.execute_batch("CREATE TABLE backup_prints (path TEXT PRIMARY KEY, bytes BLOB NOT NULL);")?;
        for row in self.store.prints()? {
            let Ok(relative) = row.path.strip_prefix(&self.data_dir) else {
                continue;
            };
            if let Ok(bytes) = std::fs::read(&row.path) {
                copy.execute(
                    "INSERT OR REPLACE INTO backup_prints (path, bytes) VALUES (?1, ?2)",
                    rusqlite::params![relative.to_string_lossy(), bytes],
                )?;
            }
        }
        drop(copy);
        let db = std::fs::read(&scratch.0).map_err(|e| Error::file(&scratch.0, e))?;
        let bytes = container(&ring, &db)?;
        match out {
            Some(path) => files::write_out(path, &bytes)?,
            None => files::write_private(&target, &bytes)?,
        }
        let second_copy = match (out, self.store.setting(SECOND_DIR_KEY)?) {
            (None, Some(second)) => {
                let path = Path::new(&second).join(&name);
                match files::write_private(&path, &bytes) {
                    Ok(()) => {
                        rotate(Path::new(&second));
                        Some(path.display().to_string())
                    }
                    Err(e) => {
                        // The USB drive may be out: the main backup stands.
                        tracing::warn!("second backup copy failed: {e}");
                        None
                    }
                }
            }
            _ => None,
        };
        if out.is_none() {
            rotate(&folder);
        }
        let made_at = vntime::iso(&at);
        self.store.set_setting(LAST_BACKUP_KEY, Some(&made_at))?;
        tracing::info!(file = %target.display(), dossiers, events, audit_ok, "backup made");
        Ok(BackupMade {
            file: target.display().to_string(),
            second_copy,
            made_at,
            dossiers,
            events,
            audit_ok,
        })
    }

    pub fn backup_status(&self) -> Result<BackupStatus> {
        self.require(Capability::Admin)?;
        Ok(BackupStatus {
            last_at: self.store.setting(LAST_BACKUP_KEY)?,
            second_dir: self.store.setting(SECOND_DIR_KEY)?,
            folder: self.data_dir.join(BACKUP_DIR).display().to_string(),
        })
    }

    /// Sets (or clears, with an empty text) the second backup folder (admin).
    pub fn set_second_backup_dir(&mut self, dir: &str) -> Result<BackupStatus> {
        self.require(Capability::Admin)?;
        let dir = dir.trim();
        if !dir.is_empty() && !Path::new(dir).is_dir() {
            return Err(Error::invalid(
                "backup_dir_missing",
                "second_dir",
                msg::backup_dir_missing(dir),
            ));
        }
        self.store
            .set_setting(SECOND_DIR_KEY, Some(dir).filter(|d| !d.is_empty()))?;
        self.backup_status()
    }

    /// Restores a backup into an empty data folder, after checking it
    /// whole: the file reads, the password (of the backup's time) or the
    /// recovery key opens it, SQLite's integrity check passes and the trail
    /// verifies — only then is anything put in place. Signed in as `login`
    /// (with a password), or as the recovery key.
    pub fn restore_backup(
        data_dir: &Path,
        from: &Path,
        login: &str,
        secret: RestoreSecret<'_>,
        now: DateTime<Utc>,
    ) -> Result<(Desk, RestoreReport)> {
        if data_dir.join(DATABASE_FILE).exists() || data_dir.join(crate::keys::KEYS_FILE).exists() {
            return Err(Error::refused("restore_not_empty", msg::RESTORE_NOT_EMPTY));
        }
        let bytes = std::fs::read(from).map_err(|e| Error::file(from, e))?;
        let (ring, db) = open_container(&bytes)?;
        let login = login.trim().to_lowercase();
        let key = match secret {
            RestoreSecret::Password(p) => ring
                .unwrap(&login, p)
                .ok_or_else(|| Error::refused("sign_in_failed", msg::SIGN_IN_FAILED))?,
            RestoreSecret::RecoveryKey(k) => DataKey::from_recovery(k)?,
        };
        files::make_private_dir(data_dir)?;
        let scratch = Scratch(data_dir.join("motcua.restoring.sqlite3"));
        files::write_private(&scratch.0, db)?;
        let check = rusqlite::Connection::open(&scratch.0)?;
        check.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_key()))?;
        let integrity: String = check
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|_| Error::refused("data_key_wrong", msg::DATA_KEY_WRONG))?;
        if integrity != "ok" {
            return Err(Error::refused("backup_corrupt", msg::backup_corrupt(&integrity)));
        }
        let mut prints: Vec<(String, Vec<u8>)> = Vec::new();
        {
            let mut stmt = check.prepare("SELECT path, bytes FROM backup_prints")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            for row in rows {
                prints.push(row?);
            }
        }
        // The rows name the archive where it was; it is here now.
        for (relative, _) in &prints {
            check.execute(
                "UPDATE prints SET path = ?2 WHERE substr(path, -length(?1)) = ?1",
                rusqlite::params![relative, data_dir.join(relative).to_string_lossy()],
            )?;
        }
        check.execute_batch("DROP TABLE backup_prints;")?;
        drop(check);
        let store = Store::open_keyed(&scratch.0, &key)?;
        let audit = store.audit(None)?;
        if let Some(bad) = &audit.first_bad {
            return Err(Error::refused(
                "backup_trail_broken",
                msg::backup_trail_broken(&msg::audit_bad(&bad.reason, bad.seq, &bad.id)),
            ));
        }
        let (dossiers, events) = (store.count_dossiers()?, store.count_events()?);
        let was_enrolled = sync::enrollment(&store)?.is_some();
        let unsent = store.outbox_counts()?.pending;
        drop(store);
        // Checked: now it takes its place.
        for (relative, bytes) in &prints {
            files::write_private(&data_dir.join(relative), bytes)?;
        }
        let path = data_dir.join(DATABASE_FILE);
        std::fs::rename(&scratch.0, &path).map_err(|e| Error::file(&path, e))?;
        ring.save(data_dir)?;
        let mut desk = Desk::open_sealed(data_dir, key)?;
        let who = match secret {
            RestoreSecret::Password(_) => desk.start_session(&login)?,
            RestoreSecret::RecoveryKey(_) => Session {
                login: "recovery".into(),
                full_name: msg::RECOVERY_ACTOR.into(),
                roles: vec![crate::accounts::Role::Admin],
            },
        };
        desk.session = Some(who);
        if was_enrolled {
            desk.forget_enrollment(now)?;
        }
        let fact = OfficeFact::Restored {
            from: from.display().to_string(),
            dossiers,
            events,
        };
        desk.record_fact(fact, now)?;
        let report = RestoreReport {
            dossiers,
            events,
            prints: prints.len(),
            was_enrolled,
            unsent,
            message: msg::restored(dossiers, events, was_enrolled, unsent),
        };
        tracing::warn!(from = %from.display(), dossiers, events, "backup restored");
        Ok((desk, report))
    }
}

/// What opens a backup being restored.
#[derive(Debug, Clone, Copy)]
pub enum RestoreSecret<'a> {
    Password(&'a str),
    RecoveryKey(&'a str),
}

/// Deletes the backups of `folder` that `to_keep` does not keep (files
/// named by `NAME_FORMAT`; anything else there is left alone).
fn rotate(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let made: Vec<(NaiveDateTime, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            NaiveDateTime::parse_from_str(&name, NAME_FORMAT)
                .ok()
                .map(|t| (t, e.path()))
        })
        .collect();
    let keep = to_keep(&made.iter().map(|(t, _)| *t).collect::<Vec<_>>());
    for (t, path) in made {
        if !keep.contains(&t) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!("old backup {} not removed: {e}", path.display());
            }
        }
    }
}

impl Desk {
    /// After a restore of a PC that had enrolled: this installation takes a
    /// new device id and forgets its token — the hub holds the old device's
    /// chain beyond the backup, so this one must enroll again and start its
    /// own; the first sync after that restores what the hub has.
    fn forget_enrollment(&mut self, now: DateTime<Utc>) -> Result<()> {
        let mut office = self.office()?;
        office.device_id = uuid::Uuid::now_v7().to_string();
        let who = self
            .session
            .clone()
            .ok_or_else(|| Error::refused("not_signed_in", msg::NOT_SIGNED_IN))?;
        let at = vntime::from_utc(now);
        let fact = OfficeFact::DeviceRenewed {
            device_id: office.device_id.clone(),
        };
        let event = super::office_event(&who, &office.device_id, at, fact);
        self.store.update_office(&office, &event, &vntime::iso(&at))?;
        for key in [
            sync::TOKEN_KEY,
            sync::DEVICE_SECRET_KEY,
            sync::RESTORED_KEY,
            sync::RESTORE_AFTER_KEY,
        ] {
            self.store.set_setting(key, None)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn rotation_keeps_seven_days_four_weeks_twelve_months() {
        // Two backups a day for 400 days.
        let start = t("2025-11-01 08:00");
        let made: Vec<NaiveDateTime> = (0..800).map(|i| start + chrono::Duration::hours(12 * i)).collect();
        let keep = to_keep(&made);
        let newest = *made.last().unwrap();
        assert!(keep.contains(&newest));
        // 7 days (their newest), + older week and month representatives.
        let days: BTreeSet<_> = keep.iter().map(|t| t.date()).collect();
        assert_eq!(days.len(), keep.len(), "one per day at most");
        let recent = keep.iter().filter(|t| newest - **t < chrono::Duration::days(7)).count();
        assert_eq!(recent, 7);
        let months: BTreeSet<_> = keep.iter().map(|t| (t.year(), t.month())).collect();
        assert_eq!(months.len(), 12);
        assert!(keep.len() <= 7 + 4 + 12);
        // Nothing older than 12 months is kept.
        assert!(keep.iter().all(|t| newest - *t < chrono::Duration::days(366)));
        // The whole name round-trips.
        let name = newest.format(NAME_FORMAT).to_string();
        assert_eq!(NaiveDateTime::parse_from_str(&name, NAME_FORMAT).unwrap(), newest);
    }

    #[test]
    fn a_backup_file_reads_back_and_refuses_what_is_not_one() {
        let ring = Keyring::new(crate::keys::OfficeLabel::default());
        let bytes = container(&ring, b"database bytes").unwrap();
        let (_, db) = open_container(&bytes).unwrap();
        assert_eq!(db, b"database bytes");
        assert!(open_container(b"SQLite format 3\0").is_err());
        assert!(open_container(&bytes[..MAGIC.len() + 2]).is_err());
    }
}
