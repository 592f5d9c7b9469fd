//! Opening a data folder and who works in it: set-up, signing in (which is
//! unsealing the data key, see `keys`), the lock, recovery, accounts.
//!
//! A folder is in one of three states: new (nothing on disk until the
//! office is set up), sealed (`keys.json` + an encrypted database: nothing
//! is readable until someone signs in), or from before encryption (a plain
//! database: its first admin seals it).

use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{office_event, split_invalid, Desk, OfficeHistoryRow};
use crate::accounts::{self, Account, Capability, NewAccount, Role, Session};
use crate::catalog;
use crate::dossier::Event;
use crate::error::{Error, Result};
use crate::files;
use crate::keys::{Attempts, DataKey, Keyring, OfficeLabel, PendingLock};
use crate::messages as msg;
use crate::office::{Office, OfficeFact, OfficeSetup};
use crate::store::{AccountChange, Store, DATABASE_FILE};
use crate::vntime::{self, VnTime};

/// Where a folder from before encryption is sealed into, before it takes
/// the database's name.
const SEALING_FILE: &str = "motcua.sealing.sqlite3";

/// What set-up answers the window: the office, and its recovery key to
/// show once (to be written down or printed, and kept away from the counter).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SetUp {
    pub office: Office,
    pub recovery_key: String,
}

/// What is on disk in a data folder, by its files alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// Nothing yet: the office is to be set up.
    New,
    /// A database from before encryption.
    Plain,
    /// A keyring and an encrypted database: sign in to open.
    Sealed,
}

impl Folder {
    pub fn of(dir: &Path) -> Folder {
        if dir.join(crate::keys::KEYS_FILE).is_file() {
            Folder::Sealed
        } else if dir.join(DATABASE_FILE).is_file() {
            Folder::Plain
        } else {
            Folder::New
        }
    }
}

impl OfficeLabel {
    fn of(office: &Office) -> OfficeLabel {
        OfficeLabel {
            name: office.name.clone(),
            agency_code: office.agency_code.clone(),
            counter: office.counter,
            training: office.training,
        }
    }
}

fn sign_in_failed() -> Error {
    Error::refused("sign_in_failed", msg::SIGN_IN_FAILED)
}

fn locked_until(until: DateTime<chrono::FixedOffset>) -> Error {
    Error::refused(
        "account_locked",
        msg::account_locked(&vntime::spoken(&until.with_timezone(&vntime::zone()))),
    )
}

/// Checks `password` for `login` against the folder's keyring: the data key
/// when it is right. A wrong one is counted; the fifth in a row locks the
/// account for 15 minutes, kept as a pending lock until the database can
/// record it. An unknown login is refused like a wrong password, after the
/// same work.
fn open_wrap(dir: &Path, login: &str, password: &str, at: VnTime) -> Result<DataKey> {
    let mut ring = Keyring::load(dir)?.ok_or_else(|| Error::refused("keys_missing", msg::KEYS_MISSING))?;
    let attempts = ring.attempts(login);
    let lock = attempts
        .locked_until
        .as_deref()
        .and_then(|u| DateTime::parse_from_rfc3339(u).ok());
    if let Some(until) = lock.filter(|u| *u > at) {
        return Err(locked_until(until));
    }
    if let Some(key) = ring.unwrap(login, password) {
        if attempts != Attempts::default() {
            ring.set_attempts(login, Attempts::default());
            ring.save(dir)?;
        }
        return Ok(key);
    }
    if !ring.has_wrap(login) {
        return Err(sign_in_failed());
    }
    let (failed, lock) = accounts::after_failure(attempts.failed, at.fixed_offset());
    let until_text = lock.map(|u| vntime::iso(&u.with_timezone(&vntime::zone())));
    if let Some(until) = &until_text {
        ring.pending_locks.push(PendingLock {
            login: login.to_string(),
            until: until.clone(),
            at: vntime::iso(&at),
        });
        tracing::warn!(login, "account locked after wrong passwords");
    }
    ring.set_attempts(
        login,
        Attempts {
            failed,
            locked_until: until_text,
        },
    );
    ring.save(dir)?;
    Err(lock.map_or_else(sign_in_failed, locked_until))
}

impl Desk {
    /// Opens a data folder that is new or from before encryption. A new
    /// folder stays in memory until the office is set up; a sealed one
    /// needs `unlock`.
    pub fn open(data_dir: &Path) -> Result<Desk> {
        let store = match Folder::of(data_dir) {
            Folder::Sealed => return Err(Error::refused("not_signed_in", msg::DATA_LOCKED)),
            // A file that is not SQLite beside no keyring: a sealed
            // database whose keys.json was lost.
            Folder::Plain => Store::open(&data_dir.join(DATABASE_FILE)).map_err(|e| match e.is_not_a_database() {
                true => Error::refused("keys_missing", msg::KEYS_MISSING),
                false => e,
            })?,
            Folder::New => Store::open_in_memory()?,
        };
        Ok(Desk {
            store,
            data_dir: data_dir.to_path_buf(),
            session: None,
            key: None,
            recovery_key: None,
        })
    }

    /// `open` for an office that was set up; refuses (and creates nothing)
    /// where there is none — a mistyped `--data-dir` must not look like an
    /// office with no dossiers.
    pub fn open_existing(data_dir: &Path) -> Result<Desk> {
        let no_office = || Error::refused("not_initialised", msg::no_office_in(&data_dir.display().to_string()));
        if Folder::of(data_dir) == Folder::New {
            return Err(no_office());
        }
        let desk = Desk::open(data_dir)?;
        if desk.store.office()?.is_none() {
            return Err(no_office());
        }
        Ok(desk)
    }

    /// Signs in to a sealed folder: the password unseals the data key,
    /// which opens the database. Locks that happened while it was closed
    /// are recorded now.
    pub fn unlock(data_dir: &Path, login: &str, password: &str, now: DateTime<Utc>) -> Result<Desk> {
        let login = login.trim().to_lowercase();
        if Folder::of(data_dir) != Folder::Sealed {
            let desk = Desk::open_existing(data_dir)?;
            if desk.needs_first_admin()? {
                return Err(Error::refused("not_signed_in", msg::NO_ACCOUNTS_YET));
            }
            return Err(Error::refused("keys_missing", msg::KEYS_MISSING));
        }
        let key = open_wrap(data_dir, &login, password, vntime::from_utc(now))?;
        let mut desk = Desk::open_sealed(data_dir, key)?;
        desk.record_pending_locks()?;
        desk.start_session(&login)?;
        Ok(desk)
    }

    pub(super) fn open_sealed(data_dir: &Path, key: DataKey) -> Result<Desk> {
        finish_sealing(data_dir)?;
        Ok(Desk {
            store: Store::open_keyed(&data_dir.join(DATABASE_FILE), &key)?,
            data_dir: data_dir.to_path_buf(),
            session: None,
            key: Some(key),
            recovery_key: None,
        })
    }

    /// When every admin forgot their password: the recovery key opens the
    /// data, and `login` (an admin) gets `new_password`; signed in as them.
    pub fn recover(
        data_dir: &Path,
        recovery_key: &str,
        login: &str,
        new_password: &str,
        now: DateTime<Utc>,
    ) -> Result<Desk> {
        let key = DataKey::from_recovery(recovery_key)?;
        accounts::check_new_password("password", new_password)?;
        if !data_dir.join(DATABASE_FILE).is_file() {
            return Err(Error::refused(
                "not_initialised",
                msg::no_office_in(&data_dir.display().to_string()),
            ));
        }
        let mut desk = Desk::open_sealed(data_dir, key.clone())?;
        let login = login.trim().to_lowercase();
        let account = desk
            .store
            .account(&login)?
            .filter(|a| a.roles.contains(&Role::Admin) && !a.disabled)
            .ok_or_else(|| Error::invalid("recover_not_admin", "login", msg::RECOVER_NOT_ADMIN))?;
        let office = desk.office()?;
        let mut ring = Keyring::load(data_dir)?.unwrap_or_else(|| Keyring::new(OfficeLabel::of(&office)));
        ring.wrap(&login, new_password, &key)?;
        ring.set_attempts(&login, Attempts::default());
        ring.save(data_dir)?;
        desk.session = Some(session_of(&account));
        desk.record_pending_locks()?;
        desk.record_fact(OfficeFact::PasswordSet { login: login.clone() }, now)?;
        tracing::warn!(login = %login, "data opened with the recovery key; new password set");
        Ok(desk)
    }

    /// Another connection to the same folder, with the same key and the
    /// same person signed in (the window's sync worker, its enrollment).
    pub fn sibling(&self) -> Result<Desk> {
        Ok(Desk {
            store: self.open_store()?,
            data_dir: self.data_dir.clone(),
            session: self.session.clone(),
            key: self.key.clone(),
            recovery_key: None,
        })
    }

    /// Another connection to this folder's database.
    pub fn open_store(&self) -> Result<Store> {
        let path = self.data_dir.join(DATABASE_FILE);
        match &self.key {
            Some(key) => Store::open_keyed(&path, key),
            None => Store::open(&path),
        }
    }

    /// The recovery key of the office just set up (or sealed), once: the
    /// CLI prints it and the window shows it to be written down.
    pub fn take_recovery_key(&mut self) -> Option<String> {
        self.recovery_key.take()
    }

    /// The recovery-key sheet as a PDF (admin), for this folder's own key
    /// only — the one just shown; nothing of it is kept.
    pub fn recovery_sheet(&self, recovery_key: &str, now: DateTime<Utc>) -> Result<Vec<u8>> {
        self.require(Capability::Admin)?;
        let key = DataKey::from_recovery(recovery_key)?;
        if self.key.as_ref() != Some(&key) {
            return Err(Error::invalid(
                "recovery_key_wrong",
                "recovery_key",
                msg::RECOVERY_KEY_NOT_THIS,
            ));
        }
        crate::print::recovery::pdf(&self.office()?, &key, vntime::from_utc(now))
    }

    /// Prints the recovery-key sheet on the A4 printer chosen in settings,
    /// else the first the system knows; the print job's id.
    pub fn print_recovery_sheet(&self, recovery_key: &str, now: DateTime<Utc>) -> Result<String> {
        let pdf = self.recovery_sheet(recovery_key, now)?;
        let printer = match self.chosen_printer(crate::print::Paper::A4)? {
            Some(p) => p,
            None => crate::print::spool::printers()?
                .into_iter()
                .next()
                .ok_or_else(|| Error::refused("no_printer", msg::NO_PRINTER_FOR_SHEET))?,
        };
        crate::print::spool::send(&printer, &pdf, 1, crate::print::Paper::A4, msg::RECOVERY_SHEET_TITLE)
    }

    /// First-run set-up: the office with its first admin (signed in at
    /// once), and the bundled catalog when none is loaded. The data is
    /// sealed from the first byte: a fresh data key, wrapped by the admin's
    /// password, its recovery key kept for `take_recovery_key`.
    pub fn init(&mut self, setup: &OfficeSetup, admin: &NewAccount, now: DateTime<Utc>) -> Result<Office> {
        let mut errors = Vec::new();
        let office = setup
            .validate(Uuid::now_v7().to_string())
            .map_err(|e| errors.push(e))
            .ok();
        let account = accounts::check_new_account(admin).map_err(|e| errors.push(e)).ok();
        crate::error::RuleError::collect(errors.into_iter().flat_map(split_invalid).collect())?;
        let (Some(office), Some((login, full_name, mut roles))) = (office, account) else {
            return Err(Error::invalid("invalid_input", "office_name", msg::NOT_INITIALISED));
        };
        if self.store.office()?.is_some() {
            return Err(Error::refused("already_initialised", msg::ALREADY_INITIALISED));
        }
        if !roles.contains(&Role::Admin) {
            roles.push(Role::Admin);
        }
        let first = Account {
            login: login.clone(),
            full_name,
            roles,
            disabled: false,
            locked_until: None,
            created_at: String::new(),
        };
        let session = session_of(&first);
        // The keyring first: nothing is written under a key nobody could unseal.
        let key = match &self.key {
            Some(k) => k.clone(),
            None => DataKey::random()?,
        };
        let mut ring = Keyring::load(&self.data_dir)?.unwrap_or_else(|| Keyring::new(OfficeLabel::of(&office)));
        ring.office = OfficeLabel::of(&office);
        ring.wrap(&login, &admin.password, &key)?;
        files::make_private_dir(&self.data_dir)?;
        ring.save(&self.data_dir)?;
        if self.key.is_none() {
            // A plain database here holds no office (checked above): it is replaced.
            self.store = Store::open_in_memory()?;
            remove_database_files(&self.data_dir.join(DATABASE_FILE))?;
            self.store = Store::open_keyed(&self.data_dir.join(DATABASE_FILE), &key)?;
            self.key = Some(key.clone());
        }
        let at = vntime::from_utc(now);
        let events: Vec<Event> = [
            OfficeFact::OfficeSet(Box::new(office.clone())),
            OfficeFact::UserAdded {
                login: login.clone(),
                full_name: first.full_name.clone(),
                roles: first.roles.clone(),
            },
        ]
        .into_iter()
        .map(|f| office_event(&session, &office.device_id, at, f))
        .collect();
        let stamp = vntime::iso(&at);
        self.store.create_office(&office, &first, &events, &stamp)?;
        self.session = Some(session);
        self.recovery_key = Some(key.recovery());
        if self.store.current_catalog()?.is_none() {
            self.store.import_catalog(&catalog::bundled()?, true, &stamp)?;
        }
        tracing::info!(agency = %office.agency_code, counter = office.counter, admin = %login, "office initialised");
        Ok(office)
    }

    /// Signs in at an open desk (the window's lock screen): the same check
    /// as `unlock`, against the keyring. Every refusal has code
    /// `sign_in_failed`, `account_locked` or `account_disabled`.
    pub fn sign_in(&mut self, login: &str, password: &str, now: DateTime<Utc>) -> Result<Session> {
        self.session = None;
        let login = login.trim().to_lowercase();
        let Some(key) = self.key.clone() else {
            return Err(match self.needs_first_admin()? {
                true => Error::refused("not_signed_in", msg::NO_ACCOUNTS_YET),
                false => sign_in_failed(),
            });
        };
        let opened = open_wrap(&self.data_dir, &login, password, vntime::from_utc(now));
        self.record_pending_locks()?;
        if opened? != key {
            return Err(Error::refused("data_key_wrong", msg::DATA_KEY_WRONG));
        }
        self.start_session(&login)
    }

    /// The account behind a right password, if it may work: signed in.
    pub(super) fn start_session(&mut self, login: &str) -> Result<Session> {
        let account = self.store.account(login)?.ok_or_else(sign_in_failed)?;
        if account.disabled {
            return Err(Error::refused("account_disabled", msg::ACCOUNT_DISABLED));
        }
        let session = session_of(&account);
        self.session = Some(session.clone());
        tracing::info!(login = %session.login, "signed in");
        Ok(session)
    }

    /// Records the locks the keyring noted while the database was closed,
    /// each at its own time, then forgets them.
    fn record_pending_locks(&mut self) -> Result<()> {
        let Some(mut ring) = Keyring::load(&self.data_dir)? else {
            return Ok(());
        };
        if ring.pending_locks.is_empty() {
            return Ok(());
        }
        let device = self.office()?.device_id;
        for lock in &ring.pending_locks {
            let who = match self.store.account(&lock.login)? {
                Some(a) => session_of(&a),
                None => continue,
            };
            let at = DateTime::parse_from_rfc3339(&lock.at)
                .map(|t| t.with_timezone(&vntime::zone()))
                .map_err(|_| Error::refused("keys_unreadable", msg::keys_unreadable(&lock.at)))?;
            let fact = OfficeFact::AccountLocked {
                login: lock.login.clone(),
                until: lock.until.clone(),
            };
            self.store
                .record_past_office_fact(&office_event(&who, &device, at, fact))?;
        }
        ring.pending_locks.clear();
        ring.save(&self.data_dir)
    }

    /// Locks the desk: nobody is signed in until someone signs in again.
    pub fn sign_out(&mut self) {
        self.session = None;
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Takes on a session signed in elsewhere without its password:
    /// demo-data switching between a training office's clerks.
    pub fn assume_session(&mut self, session: Session) {
        self.session = Some(session);
    }

    /// The signed-in person, if they may do what `needs` names.
    pub(super) fn require(&self, needs: Capability) -> Result<&Session> {
        let session = self
            .session
            .as_ref()
            .ok_or_else(|| Error::refused("not_signed_in", msg::NOT_SIGNED_IN))?;
        if !session.may(needs) {
            return Err(Error::refused("forbidden", msg::forbidden(needs.least())));
        }
        Ok(session)
    }

    /// An office event by the signed-in person.
    pub(super) fn office_event(&self, fact: OfficeFact, now: DateTime<Utc>) -> Result<Event> {
        let session = self
            .session
            .as_ref()
            .ok_or_else(|| Error::refused("not_signed_in", msg::NOT_SIGNED_IN))?;
        Ok(office_event(
            session,
            &self.office()?.device_id,
            vntime::from_utc(now),
            fact,
        ))
    }

    /// Records, as the signed-in person, an office fact that changes no
    /// account row — only the trail: a password set, a lock lifted, a restore.
    pub(super) fn record_fact(&mut self, fact: OfficeFact, now: DateTime<Utc>) -> Result<()> {
        let event = self.office_event(fact, now)?;
        self.store
            .change_account(&event, AccountChange::Nothing, &vntime::iso(&vntime::from_utc(now)))
    }

    /// Keeps the sign-in screen's label of the office in step with its settings.
    pub(super) fn relabel(&self, office: &Office) -> Result<()> {
        if let Some(mut ring) = Keyring::load(&self.data_dir)? {
            ring.office = OfficeLabel::of(office);
            ring.save(&self.data_dir)?;
        }
        Ok(())
    }

    /// Who changed the office's settings, accounts, calendar, catalog and
    /// enrollment, and when: the newest `limit` facts, newest first (admin).
    pub fn office_history(&self, limit: usize) -> Result<Vec<OfficeHistoryRow>> {
        self.require(Capability::Admin)?;
        let events = self.store.events_of(&Uuid::nil().to_string())?;
        Ok(events
            .iter()
            .rev()
            .take(limit)
            .filter_map(|e| match &e.body {
                crate::dossier::EventBody::Office(fact) => Some(OfficeHistoryRow {
                    occurred_at: e.occurred_at.clone(),
                    actor: e.actor.clone(),
                    what: fact.describe(),
                }),
                _ => None,
            })
            .collect())
    }

    /// Every account with its lock, if any (admin).
    pub fn users(&self) -> Result<Vec<Account>> {
        self.require(Capability::Admin)?;
        self.with_locks(self.store.accounts()?)
    }

    fn with_locks(&self, mut list: Vec<Account>) -> Result<Vec<Account>> {
        if let Some(ring) = Keyring::load(&self.data_dir)? {
            for a in &mut list {
                a.locked_until = ring.attempts(&a.login).locked_until;
            }
        }
        Ok(list)
    }

    /// Whether this office was set up before accounts existed and has none
    /// yet: the next `add_user` then needs no sign-in and must make an admin.
    /// An office nobody can sign in to: set up before accounts, or before
    /// encryption (its accounts' passwords, if any, were in the database;
    /// signing in is now unsealing the key). Its first admin seals it.
    pub fn needs_first_admin(&self) -> Result<bool> {
        Ok(self.store.office()?.is_some() && (self.key.is_none() || self.store.accounts()?.is_empty()))
    }

    /// Adds an account (admin): its password wraps the data key. An office
    /// from before accounts has none: its first account is added without
    /// signing in, must be an admin, is signed in, and seals the folder.
    pub fn add_user(&mut self, new: &NewAccount, now: DateTime<Utc>) -> Result<Account> {
        let first = self.session.is_none() && self.needs_first_admin()?;
        if !first {
            self.require(Capability::Admin)?;
        }
        let (login, full_name, roles) = accounts::check_new_account(new)?;
        if first && !roles.contains(&Role::Admin) {
            return Err(Error::invalid("first_account_admin", "roles", msg::FIRST_ACCOUNT_ADMIN));
        }
        if self.store.account(&login)?.is_some() {
            return Err(Error::invalid("login_taken", "login", msg::login_taken(&login)));
        }
        let fact = OfficeFact::UserAdded {
            login: login.clone(),
            full_name: full_name.clone(),
            roles: roles.clone(),
        };
        let newcomer = Session {
            login: login.clone(),
            full_name: full_name.clone(),
            roles: roles.clone(),
        };
        let event = match first {
            true => office_event(&newcomer, &self.office()?.device_id, vntime::from_utc(now), fact),
            false => self.office_event(fact, now)?,
        };
        // The wrap before the account: an account nobody can sign in to is
        // worse than a wrap for an account that is not there.
        if let Some(key) = &self.key {
            let mut ring =
                Keyring::load(&self.data_dir)?.ok_or_else(|| Error::refused("keys_missing", msg::KEYS_MISSING))?;
            ring.wrap(&login, &new.password, key)?;
            ring.save(&self.data_dir)?;
        }
        let change = AccountChange::Add {
            login: &login,
            full_name: &full_name,
            roles: &roles,
        };
        self.store
            .change_account(&event, change, &vntime::iso(&vntime::from_utc(now)))?;
        if first {
            tracing::warn!(login = %login, "first admin of an office set up before accounts");
            self.session = Some(newcomer);
            if self.key.is_none() {
                self.seal(&login, &new.password)?;
            }
        }
        self.known_account(&login)
    }

    /// Encrypts a folder from before encryption: a fresh data key wrapped
    /// by `login`'s password; the database exported under it and checked,
    /// the keyring written, then the sealed copy takes the database's place
    /// and the plain one is gone.
    fn seal(&mut self, login: &str, password: &str) -> Result<()> {
        let key = DataKey::random()?;
        let office = self.office()?;
        let dir = self.data_dir.clone();
        let sealing = dir.join(SEALING_FILE);
        remove_database_files(&sealing)?;
        self.store.export_encrypted(&sealing, &key)?;
        let copy = Store::open_keyed(&sealing, &key)?;
        if (copy.count_events()?, copy.count_dossiers()?) != (self.store.count_events()?, self.store.count_dossiers()?)
        {
            return Err(Error::refused("seal_failed", msg::SEAL_FAILED));
        }
        drop(copy);
        let mut ring = Keyring::new(OfficeLabel::of(&office));
        ring.wrap(login, password, &key)?;
        files::make_private_dir(&dir)?;
        ring.save(&dir)?;
        // Sealed from here: the plain connection closes, the copy moves in.
        self.store = Store::open_in_memory()?;
        finish_sealing(&dir)?;
        self.store = Store::open_keyed(&dir.join(DATABASE_FILE), &key)?;
        self.recovery_key = Some(key.recovery());
        self.key = Some(key);
        self.seal_archive()?;
        tracing::warn!("data folder from before encryption sealed");
        Ok(())
    }

    /// Seals the prints archived before the folder was: each sealed copy
    /// written durably and its row pointed at it before the plain one goes.
    fn seal_archive(&mut self) -> Result<()> {
        let Some(key) = self.key.clone() else {
            return Ok(());
        };
        for row in self.store.prints()? {
            let plain = row.path;
            if plain.extension().is_none_or(|e| e != "pdf") || !plain.is_file() {
                continue;
            }
            let bytes = std::fs::read(&plain).map_err(|e| Error::file(&plain, e))?;
            let mut name = plain.as_os_str().to_os_string();
            name.push(".enc");
            let sealed = std::path::PathBuf::from(name);
            files::write_private(&sealed, &key.seal(&bytes)?)?;
            self.store.move_print(&plain, &sealed)?;
            std::fs::remove_file(&plain).map_err(|e| Error::file(&plain, e))?;
        }
        Ok(())
    }

    pub(super) fn known_account(&self, login: &str) -> Result<Account> {
        let login = login.trim().to_lowercase();
        let account = self
            .store
            .account(&login)?
            .ok_or_else(|| Error::not_found("user_unknown", msg::user_unknown(&login)))?;
        Ok(self.with_locks(vec![account])?.remove(0))
    }

    /// Disables or enables an account (admin). The last active admin stays.
    pub fn set_user_enabled(&mut self, login: &str, enabled: bool, now: DateTime<Utc>) -> Result<Account> {
        self.require(Capability::Admin)?;
        let account = self.known_account(login)?;
        if !enabled && account.roles.contains(&Role::Admin) && !account.disabled && self.store.active_admins()? <= 1 {
            return Err(Error::refused("last_admin", msg::LAST_ADMIN));
        }
        let login = account.login.clone();
        let fact = if enabled {
            OfficeFact::UserEnabled { login: login.clone() }
        } else {
            OfficeFact::UserDisabled { login: login.clone() }
        };
        let event = self.office_event(fact, now)?;
        let change = AccountChange::Disabled {
            login: &login,
            disabled: !enabled,
        };
        self.store
            .change_account(&event, change, &vntime::iso(&vntime::from_utc(now)))?;
        if !enabled && self.session.as_ref().is_some_and(|s| s.login == login) {
            self.session = None;
        }
        self.known_account(&login)
    }

    /// Sets a new password: an admin for anyone, anyone for themself. The
    /// data key is wrapped again by it; a lock is lifted.
    pub fn set_password(&mut self, login: &str, password: &str, now: DateTime<Utc>) -> Result<Account> {
        let own = self
            .session
            .as_ref()
            .is_some_and(|s| s.login == login.trim().to_lowercase());
        if !own {
            self.require(Capability::Admin)?;
        }
        let account = self.known_account(login)?;
        accounts::check_new_password("password", password)?;
        self.rewrite_keyring(|ring, key| {
            ring.wrap(&account.login, password, key)?;
            ring.set_attempts(&account.login, Attempts::default());
            Ok(())
        })?;
        self.record_fact(
            OfficeFact::PasswordSet {
                login: account.login.clone(),
            },
            now,
        )?;
        self.known_account(&account.login)
    }

    /// Lifts a lock after too many wrong passwords (admin).
    pub fn unlock_user(&mut self, login: &str, now: DateTime<Utc>) -> Result<Account> {
        self.require(Capability::Admin)?;
        let account = self.known_account(login)?;
        self.rewrite_keyring(|ring, _| {
            ring.set_attempts(&account.login, Attempts::default());
            Ok(())
        })?;
        self.record_fact(
            OfficeFact::AccountUnlocked {
                login: account.login.clone(),
            },
            now,
        )?;
        self.known_account(&account.login)
    }

    fn rewrite_keyring(&self, change: impl FnOnce(&mut Keyring, &DataKey) -> Result<()>) -> Result<()> {
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| Error::refused("keys_missing", msg::KEYS_MISSING))?;
        let mut ring =
            Keyring::load(&self.data_dir)?.ok_or_else(|| Error::refused("keys_missing", msg::KEYS_MISSING))?;
        change(&mut ring, key)?;
        ring.save(&self.data_dir)
    }
}

fn session_of(a: &Account) -> Session {
    Session {
        login: a.login.clone(),
        full_name: a.full_name.clone(),
        roles: a.roles.clone(),
    }
}

/// Removes a database file and its WAL companions (a plain file being
/// replaced must not leave a journal the sealed one would read).
fn remove_database_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let p = std::path::PathBuf::from(name);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::file(&p, e)),
        }
    }
    Ok(())
}

/// Completes a sealing cut short after its keyring was written: the
/// checked, sealed copy replaces the plain database.
fn finish_sealing(dir: &Path) -> Result<()> {
    let sealing = dir.join(SEALING_FILE);
    if !sealing.is_file() || Folder::of(dir) != Folder::Sealed {
        return Ok(());
    }
    let path = dir.join(DATABASE_FILE);
    remove_database_files(&path)?;
    std::fs::rename(&sealing, &path).map_err(|e| Error::file(&path, e))?;
    files::sync_folder(dir)
}
