//! The counter's desk: one opened data folder and every action a clerk can
//! take. The app's commands and the CLI's subcommands are thin calls into
//! these methods, so both do exactly the same thing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::accounts::{Capability, Role, Session};
use crate::calendar::{Calendar, CalendarData, DayKind, Override, TimeRule};
use crate::catalog::{self, CatalogVersion, Procedure};
use crate::citizen_id::{self, IdCardQr};
use crate::code;
use crate::dossier::lifecycle::{ReturnChannel, SUPPLEMENT_WAIT_DAYS};
use crate::dossier::rules::{self, Stamp};
use crate::dossier::Event;
use crate::dossier::{Action, Dossier, Flag, ReceptionInput, Status, Timeliness};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::office::{Office, OfficeFact, OfficeSetup};
use crate::print::{self, Form, Paper, PrintOptions};
use crate::store::Store;
use crate::sync;
use crate::text::{self, Charset};
use crate::vntime::{self, VnTime};

pub use crate::dossier::rules::{ActionRequest, SupplementInput};

mod backup;
mod folder;
pub use backup::{to_keep, BackupMade, BackupStatus, RestoreReport, RestoreSecret, BACKUP_DIR};
pub use folder::{Folder, SetUp};

/// How many of this PC's latest events the window's start-up check reads.
/// Where the idle lock's minutes are kept, and the default: a counter PC
/// left for 10 minutes locks itself.
const IDLE_LOCK_KEY: &str = "idle_lock_minutes";
const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

const QUICK_AUDIT_EVENTS: usize = 500;

fn printer_setting(paper: Paper) -> String {
    format!("printer.{}", paper.name())
}

/// What the status line shows.
/// One layer of form texts in use (`motcua forms show`).
#[derive(Debug, Clone, Serialize)]
pub struct FormTextLayer {
    /// `province` or `office`.
    pub layer: String,
    pub version: i64,
    pub label: String,
    /// How many texts the layer sets.
    pub texts: usize,
}

impl FormTextLayer {
    fn of(layer: String, version: i64, set: &crate::form_texts::TextSet) -> FormTextLayer {
        FormTextLayer {
            layer,
            version,
            label: set.label.clone(),
            texts: set.forms.values().map(|f| f.len()).sum(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeskStatus {
    pub data_dir: String,
    pub office: Option<Office>,
    /// The signed-in person's full name.
    pub clerk: Option<String>,
    pub session: Option<Session>,
    /// An office set up before accounts: its first admin is still to be made.
    pub needs_first_admin: bool,
    /// A sealed folder nobody has opened yet: what the sign-in screen shows.
    pub locked_office: Option<crate::keys::OfficeLabel>,
    /// Minutes without a key or click after which the window locks (0: never).
    pub idle_lock_minutes: u32,
    pub catalog: Option<CatalogVersion>,
    /// "not_configured" until the sync issue enrolls the counter.
    pub sync: String,
    pub sync_label: String,
}

/// A dossier with its history, its timeliness now and what may be done next.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DossierView {
    #[serde(flatten)]
    pub dossier: Dossier,
    pub timeliness: Timeliness,
    pub actions: Vec<Action>,
    /// The forms that may be printed for the dossier as it stands.
    pub forms: Vec<Form>,
    pub events: Vec<EventSummary>,
}

/// A recorded action and anything the clerk should be warned about.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ActionOutcome {
    pub dossier: Dossier,
    pub warnings: Vec<String>,
}

/// The home screen's board: what needs the clerk today.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DueBoard {
    pub overdue: Vec<Dossier>,
    pub due_today: Vec<Dossier>,
    pub due_tomorrow: Vec<Dossier>,
    /// Waiting for a supplement for 12 days or more (closable from day 15).
    pub supplement_expiring: Vec<Dossier>,
    pub awaiting_collection: Vec<Dossier>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EventSummary {
    pub id: String,
    pub kind: String,
    pub actor: String,
    pub device: String,
    pub occurred_at: String,
}

/// One office fact as the admin's history lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficeHistoryRow {
    pub occurred_at: String,
    /// "Full name (login)".
    pub actor: String,
    /// What changed, in Vietnamese.
    pub what: String,
}

/// Where a printed form went.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PrintOutcome {
    pub code: String,
    pub archived: String,
    pub out: Option<String>,
    pub printer: Option<String>,
    pub job: Option<String>,
    pub print_no: u32,
    pub pages: u32,
}

/// One day of a year's calendar as the CLI and the settings screen show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CalendarDay {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date: NaiveDate,
    pub reason: String,
    pub source: String,
    /// Set by the office admin (and so removable); absent for official days.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(type = "boolean | undefined", optional))]
    pub by_admin: bool,
}

/// `motcua calendar show YEAR --json`: the year's Tết, its days off and its
/// swapped working days, each with its reason and source.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CalendarYear {
    pub year: i32,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub tet: Option<NaiveDate>,
    pub days_off: Vec<CalendarDay>,
    pub working_days: Vec<CalendarDay>,
}

/// The printers the OS knows and the one chosen for each paper size.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PrinterChoice {
    pub available: Vec<String>,
    pub a4: Option<String>,
    pub a5: Option<String>,
}

/// A year's Tết, days off and swapped working days by `calendar`, each
/// with its reason and source.
pub fn calendar_year(calendar: &Calendar, year: i32) -> CalendarYear {
    let (tet, off, working) = calendar.year_listing(year);
    let days = |marks: Vec<crate::calendar::DayMark>| {
        marks
            .into_iter()
            .map(|m| CalendarDay {
                by_admin: m.source == crate::calendar::holidays::ADMIN_SOURCE,
                date: m.date,
                reason: m.reason,
                source: m.source,
            })
            .collect()
    };
    CalendarYear {
        year,
        tet,
        days_off: days(off),
        working_days: days(working),
    }
}

pub struct Desk {
    store: Store,
    data_dir: PathBuf,
    /// Who is signed in here; every action but reading the status needs one.
    session: Option<Session>,
    /// The data key, once the folder is sealed and unlocked (None: a new
    /// folder not yet set up, or one from before encryption).
    key: Option<crate::keys::DataKey>,
    /// The recovery key of an office just set up, until it is taken to be
    /// shown (once).
    recovery_key: Option<String>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("data_dir", &self.data_dir)
            .field("session", &self.session)
            .field("sealed", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// `explicit` (the `--data-dir` flag), else `MOTCUA_DATA_DIR`, else the
    /// OS application-data folder.
    pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
        explicit
            .or_else(|| std::env::var_os("MOTCUA_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("motcua"))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    // ---- office ---------------------------------------------------------

    pub fn office(&self) -> Result<Office> {
        self.store
            .office()?
            .ok_or_else(|| Error::refused("not_initialised", msg::NOT_INITIALISED))
    }

    /// Settings screen and `office set` (admin): changes the office. The
    /// device id and training flag stay; the agency code and the counter
    /// number stay too once a code was issued or the PC enrolled — another
    /// counter is another data folder.
    pub fn update_office(&mut self, setup: &OfficeSetup, now: DateTime<Utc>) -> Result<Office> {
        self.require(Capability::Admin)?;
        let old = self.office()?;
        let mut office = setup.validate(old.device_id.clone())?;
        office.training = old.training;
        let identity_changes = office.agency_code != old.agency_code || office.counter != old.counter;
        if identity_changes && (self.store.has_issued_codes()? || sync::enrollment(&self.store)?.is_some()) {
            return Err(Error::refused("identity_locked", msg::IDENTITY_LOCKED));
        }
        let event = self.office_event(OfficeFact::OfficeSet(Box::new(office.clone())), now)?;
        self.store
            .update_office(&office, &event, &vntime::iso(&vntime::from_utc(now)))?;
        self.relabel(&office)?;
        Ok(office)
    }

    /// The status of a sealed folder before anyone signed in: only what
    /// its keyring says of the office.
    pub fn locked_status(data_dir: &Path) -> Result<DeskStatus> {
        Ok(DeskStatus {
            data_dir: data_dir.display().to_string(),
            office: None,
            clerk: None,
            session: None,
            needs_first_admin: false,
            locked_office: crate::keys::Keyring::load(data_dir)?.map(|r| r.office),
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
            catalog: None,
            sync: "not_configured".into(),
            sync_label: String::new(),
        })
    }

    pub fn status(&self) -> Result<DeskStatus> {
        let office = self.store.office()?;
        let enrolled = sync::enrollment(&self.store)?.is_some();
        Ok(DeskStatus {
            data_dir: self.data_dir.display().to_string(),
            office,
            clerk: self.session.as_ref().map(|s| s.full_name.clone()),
            session: self.session.clone(),
            needs_first_admin: self.needs_first_admin()?,
            locked_office: None,
            idle_lock_minutes: self.idle_lock_minutes()?,
            catalog: self.store.current_catalog()?,
            sync: if enrolled { "enrolled" } else { "not_configured" }.to_string(),
            sync_label: if enrolled {
                msg::SYNC_ENROLLED
            } else {
                msg::SYNC_NOT_CONFIGURED
            }
            .to_string(),
        })
    }

    // ---- calendar -------------------------------------------------------

    pub fn calendar(&self) -> Result<Calendar> {
        let hours = self.store.office()?.map(|o| o.hours).unwrap_or_default();
        let mut data = CalendarData::bundled();
        // The province's published schedules replace the shipped ones, year by year.
        for schedule in self.store.published_schedules()? {
            data.schedules.insert(schedule.year, schedule);
        }
        data.overrides = self.store.calendar_overrides()?;
        Ok(Calendar::new(data, hours))
    }

    pub fn due(&self, received: VnTime, rule: TimeRule) -> Result<VnTime> {
        Ok(self.calendar()?.due(received, rule))
    }

    pub fn calendar_year(&self, year: i32) -> Result<CalendarYear> {
        Ok(calendar_year(&self.calendar()?, year))
    }

    /// Marks a day off or working, or removes the mark (admin); an event.
    pub fn set_calendar_day(
        &mut self,
        date: NaiveDate,
        kind: Option<DayKind>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.require(Capability::Admin)?;
        let stamp = vntime::iso(&vntime::from_utc(now));
        match kind {
            Some(kind) => {
                let reason = text::clean_required("reason", msg::LABEL_REASON, reason, Charset::Line, 200)?;
                let day = if kind == DayKind::Working { "working" } else { "off" };
                let event = self.office_event(
                    OfficeFact::CalendarMarked {
                        date,
                        day: day.to_string(),
                        reason: reason.clone(),
                    },
                    now,
                )?;
                self.store
                    .set_calendar_override(Some(&Override { date, kind, reason }), date, &event, &stamp)
            }
            None => {
                let event = self.office_event(OfficeFact::CalendarUnmarked { date }, now)?;
                self.store.set_calendar_override(None, date, &event, &stamp)
            }
        }
    }

    // ---- catalog ----------------------------------------------------------

    fn catalog_version(&self) -> Result<CatalogVersion> {
        self.store
            .current_catalog()?
            .ok_or_else(|| Error::refused("no_catalog", msg::NO_CATALOG))
    }

    pub fn procedures(&self) -> Result<Vec<Procedure>> {
        self.store.procedures(self.catalog_version()?.id)
    }

    pub fn procedure(&self, code: &str) -> Result<Procedure> {
        let code = code.trim();
        self.store
            .procedure(self.catalog_version()?.id, code)?
            .ok_or_else(|| Error::invalid("procedure_unknown", "procedure_code", msg::procedure_unknown(code)))
    }

    /// Imports a catalog file (admin); the new version is an event.
    pub fn import_catalog(&mut self, source: &str, replace: bool, now: DateTime<Utc>) -> Result<CatalogVersion> {
        self.require(Capability::Admin)?;
        let file = catalog::parse(source)?;
        let session = self.require(Capability::Admin)?.clone();
        let device = self.office()?.device_id;
        let at = vntime::from_utc(now);
        self.store
            .import_catalog_recorded(&file, replace, &vntime::iso(&at), |version| {
                office_event(
                    &session,
                    &device,
                    at,
                    OfficeFact::CatalogImported {
                        label: version.label.clone(),
                        version: version.id,
                        procedures: version.procedure_count,
                    },
                )
            })
    }

    // ---- reception -------------------------------------------------------

    /// Receives a dossier: validates everything, issues the code and the due
    /// date (by [`rules::receive`]), and commits the `received` event with
    /// its projection in one durable transaction. On any error nothing is stored.
    pub fn receive(&mut self, input: &ReceptionInput, now: DateTime<Utc>) -> Result<Dossier> {
        let session = self.require(Capability::Counter)?.clone();
        let office = self.office()?;
        let at = vntime::from_utc(now);
        let valid = input.validate(at.date_naive())?;
        let version = self.catalog_version()?;
        let procedure = self.procedure(&valid.procedure_code)?;
        let received_by = session.full_name.clone();
        let calendar = self.calendar()?;
        let date = at.date_naive();
        let stamp = Stamp {
            event_id: Uuid::now_v7(),
            actor: session.actor(),
            device: office.device_id.clone(),
            at,
        };
        let dossier = self.store.record_new_dossier(
            date,
            code::block(office.counter),
            &rules::book_of(office.counter, date),
            |numbering| {
                Ok(rules::receive(
                    &valid,
                    &procedure,
                    version.id,
                    &office,
                    &received_by,
                    numbering,
                    &calendar,
                    Uuid::now_v7(),
                    &stamp,
                )?)
            },
        )?;
        tracing::info!(code = %dossier.code, "dossier received");
        Ok(dossier)
    }

    pub fn dossier(&self, code: &str) -> Result<Dossier> {
        self.require(Capability::Counter)?;
        let key = code.trim().to_uppercase();
        self.store
            .dossier_by_code(&key)?
            .ok_or_else(|| Error::not_found("dossier_not_found", msg::dossier_unknown(code.trim())))
    }

    /// A dossier with its history, its timeliness now, the actions and
    /// forms its state allows, and every flag (the rules' and the hub's).
    pub fn show(&self, code: &str, now: DateTime<Utc>) -> Result<DossierView> {
        let mut dossier = self.dossier(code)?;
        let id = dossier.id.to_string();
        if self.store.clock_suspect(&id)? && !dossier.flags.contains(&Flag::ClockSuspect) {
            dossier.flags.push(Flag::ClockSuspect);
        }
        let timeliness = dossier.timeliness(&vntime::from_utc(now));
        let actions = dossier.actions().to_vec();
        let forms = Form::available_for(&dossier);
        let events = self
            .store
            .events_of(&id)?
            .into_iter()
            .map(|e| EventSummary {
                id: e.id.to_string(),
                kind: e.body.kind().to_string(),
                actor: e.actor,
                device: e.device,
                occurred_at: e.occurred_at,
            })
            .collect();
        Ok(DossierView {
            dossier,
            timeliness,
            actions,
            forms,
            events,
        })
    }

    // ---- lifecycle -------------------------------------------------------

    /// Performs one action on a dossier, decided by the rulebook
    /// ([`rules::decide`]) on the dossier as it stands inside the
    /// transaction that appends the event: refused with a Vietnamese
    /// message and nothing stored, or recorded with any warning.
    pub fn perform(&mut self, code: &str, request: &ActionRequest, now: DateTime<Utc>) -> Result<ActionOutcome> {
        let actor = self.require(Capability::Counter)?.actor();
        let office = self.office()?;
        let calendar = self.calendar()?;
        let stamp = Stamp {
            event_id: Uuid::now_v7(),
            actor,
            device: office.device_id.clone(),
            at: vntime::from_utc(now),
        };
        let key = code.trim().to_uppercase();
        let mut warnings = Vec::new();
        let dossier = self.store.record_event(&key, |d| {
            let decision = rules::decide(d, request, &calendar, &stamp)?;
            warnings = decision.warnings;
            Ok(decision.event)
        })?;
        tracing::info!(code = %dossier.code, status = dossier.status_code, "dossier updated");
        Ok(ActionOutcome { dossier, warnings })
    }

    fn act(&mut self, code: &str, request: ActionRequest, now: DateTime<Utc>) -> Result<Dossier> {
        Ok(self.perform(code, &request, now)?.dossier)
    }

    pub fn handover(
        &mut self,
        code: &str,
        from: &str,
        to: &str,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let (from, to, note) = (from.to_string(), to.to_string(), note.map(str::to_string));
        let step_due = None;
        self.act(
            code,
            ActionRequest::Handover {
                from,
                to,
                note,
                step_due,
            },
            now,
        )
    }

    pub fn request_supplement(&mut self, code: &str, input: &SupplementInput, now: DateTime<Utc>) -> Result<Dossier> {
        self.act(code, ActionRequest::Supplement(input.clone()), now)
    }

    /// The supplement is complete: the processing time restarts from zero.
    pub fn complete_supplement(&mut self, code: &str, now: DateTime<Utc>) -> Result<Dossier> {
        self.act(code, ActionRequest::SupplementComplete, now)
    }

    pub fn refuse(&mut self, code: &str, reason: &str, now: DateTime<Utc>) -> Result<Dossier> {
        let reason = reason.to_string();
        self.act(code, ActionRequest::Refuse { reason }, now)
    }

    /// Moves the due date once (see the rulebook for when it counts).
    pub fn extend(&mut self, code: &str, new_due: VnTime, reason: &str, now: DateTime<Utc>) -> Result<ActionOutcome> {
        let request = ActionRequest::Extend {
            new_due: vntime::iso(&new_due),
            reason: reason.to_string(),
        };
        self.perform(code, &request, now)
    }

    /// The citizen asks to stop: the dossier is withdrawn (status 7).
    pub fn withdraw(&mut self, code: &str, reason: &str, now: DateTime<Utc>) -> Result<Dossier> {
        let reason = reason.to_string();
        self.act(code, ActionRequest::Withdraw { reason }, now)
    }

    pub fn request_financial_obligation(&mut self, code: &str, note: &str, now: DateTime<Utc>) -> Result<Dossier> {
        let note = note.to_string();
        self.act(code, ActionRequest::FinancialObligation { note }, now)
    }

    pub fn financial_obligation_met(&mut self, code: &str, now: DateTime<Utc>) -> Result<Dossier> {
        self.act(code, ActionRequest::FinancialObligationMet, now)
    }

    pub fn record_result(
        &mut self,
        code: &str,
        number: &str,
        issuer: &str,
        issued_on: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let request = ActionRequest::Result {
            number: number.to_string(),
            issuer: issuer.to_string(),
            issued_on: issued_on.map(|d| d.format("%Y-%m-%d").to_string()),
        };
        self.act(code, request, now)
    }

    /// The result is handed to `to_name`, whose ID number the clerk checked.
    pub fn return_result(
        &mut self,
        code: &str,
        to_name: &str,
        id_number: &str,
        how: ReturnChannel,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let request = ActionRequest::Return {
            to_name: to_name.to_string(),
            id_number: id_number.to_string(),
            how,
        };
        self.act(code, request, now)
    }

    /// The result holds an error of the authority: correct it within
    /// three working days (Decree 118 Art. 23).
    pub fn request_correction(&mut self, code: &str, reason: &str, now: DateTime<Utc>) -> Result<Dossier> {
        let reason = reason.to_string();
        self.act(code, ActionRequest::CorrectResult { reason }, now)
    }

    pub fn correction_done(&mut self, code: &str, number: &str, now: DateTime<Utc>) -> Result<Dossier> {
        let number = number.to_string();
        self.act(code, ActionRequest::CorrectionDone { number }, now)
    }

    /// Closes a dossier whose supplement has not come after the wait.
    pub fn close_unsupplemented(&mut self, code: &str, now: DateTime<Utc>) -> Result<Dossier> {
        self.act(code, ActionRequest::CloseUnsupplemented, now)
    }

    /// What needs the clerk: overdue, due today and tomorrow, supplements
    /// running out, results waiting to be collected.
    pub fn due_board(&self, now: DateTime<Utc>) -> Result<DueBoard> {
        self.require(Capability::Counter)?;
        let at = vntime::from_utc(now);
        let today = at.date_naive();
        let tomorrow = self.calendar()?.next_working_day(today);
        let mut board = DueBoard {
            overdue: Vec::new(),
            due_today: Vec::new(),
            due_tomorrow: Vec::new(),
            supplement_expiring: Vec::new(),
            awaiting_collection: Vec::new(),
        };
        // A date that does not read (a damaged row) puts the dossier where it
        // is seen first — overdue, or closable — rather than hiding it.
        let unreadable = |d: &Dossier, what: &str| tracing::warn!(code = %d.code, what, "unreadable date on the board");
        for d in self.store.open_dossiers()? {
            match d.status {
                Status::Processed => board.awaiting_collection.push(d),
                Status::SupplementRequested => {
                    let requested = d
                        .supplement
                        .as_ref()
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s.requested_at).ok());
                    match requested {
                        Some(r) if (today - r.date_naive()).num_days() < SUPPLEMENT_WAIT_DAYS - 3 => {}
                        Some(_) => board.supplement_expiring.push(d),
                        None => {
                            unreadable(&d, "requested_at");
                            board.supplement_expiring.push(d);
                        }
                    }
                }
                _ => match chrono::DateTime::parse_from_rfc3339(&d.due_at).ok() {
                    Some(due) if due < at => board.overdue.push(d),
                    Some(due) if due.date_naive() == today => board.due_today.push(d),
                    Some(due) if due.date_naive() <= tomorrow => board.due_tomorrow.push(d),
                    Some(_) => {}
                    None => {
                        unreadable(&d, "due_at");
                        board.overdue.push(d);
                    }
                },
            }
        }
        Ok(board)
    }

    /// Verifies the trail (see `store::audit`): the last `recent` events of
    /// this PC and their dossiers, or everything.
    /// The trail's check (admin; the quick check at start is everyone's).
    pub fn audit(&self, recent: Option<usize>) -> Result<crate::store::AuditReport> {
        self.require(Capability::Admin)?;
        self.store.audit(recent)
    }

    /// The quick check the window runs at start (the last 500 events of
    /// this PC and their dossiers): what to tell the admin, if anything.
    pub fn audit_warning(&self) -> Result<Option<String>> {
        let report = self.store.audit(Some(QUICK_AUDIT_EVENTS))?;
        Ok(report.first_bad.map(|b| msg::audit_bad(&b.reason, b.seq, &b.id)))
    }

    /// Writes the `dossiers` rows again from the events.
    pub fn audit_rebuild(&mut self) -> Result<crate::store::Rebuilt> {
        self.require(Capability::Admin)?;
        let rebuilt = self.store.rebuild_projection()?;
        tracing::warn!(
            rows = rebuilt.rebuilt,
            refused = rebuilt.refused.len(),
            "projection rebuilt from the events"
        );
        Ok(rebuilt)
    }

    pub fn search(&self, query: &str) -> Result<Vec<Dossier>> {
        self.require(Capability::Counter)?;
        if text::fold(query).is_empty() {
            return Err(Error::invalid("search_empty", "query", msg::SEARCH_EMPTY));
        }
        self.store.search(query, 200)
    }

    pub fn received_on(&self, date: NaiveDate) -> Result<Vec<Dossier>> {
        self.require(Capability::Counter)?;
        self.store.dossiers_received_on(date)
    }

    pub fn parse_id_qr(raw: &str) -> Result<IdCardQr> {
        Ok(citizen_id::parse_qr(raw)?)
    }

    // ---- printing ----------------------------------------------------------

    /// Options of the next print of a dossier's form (its reprint number included).
    fn print_options(&self, dossier: &Dossier, form: Form, paper: Paper, copies: u32) -> Result<PrintOptions> {
        check_copies(copies)?;
        Ok(PrintOptions {
            paper,
            copies,
            print_no: self.store.next_print_no(&dossier.id.to_string(), form.key())?,
        })
    }

    /// The texts forms print: the shipped ones, the province's newest set
    /// over them, the office's own over both.
    pub fn form_sheets(&self) -> Result<crate::form_texts::Sheets> {
        let layers = self.store.form_text_layers()?;
        let sets: Vec<&crate::form_texts::TextSet> = layers.iter().map(|(_, _, set)| set).collect();
        Ok(crate::form_texts::layered(&sets)?)
    }

    /// Which sets are in use, layer by layer (`forms show`).
    pub fn form_text_layers(&self) -> Result<Vec<FormTextLayer>> {
        Ok(self
            .store
            .form_text_layers()?
            .into_iter()
            .map(|(layer, version, set)| FormTextLayer::of(layer, version, &set))
            .collect())
    }

    /// `forms set FILE` (admin): the office's own texts over the province's.
    /// A broken set is refused whole with its reasons; the one in use stays.
    pub fn set_form_texts(&mut self, source: &str, now: DateTime<Utc>) -> Result<FormTextLayer> {
        let session = self.require(Capability::Admin)?.clone();
        let set = crate::form_texts::parse_set(source)?;
        let device = self.office()?.device_id;
        let at = vntime::from_utc(now);
        let label = set.label.clone();
        let version = self.store.set_office_form_texts(&set, &vntime::iso(&at), |version| {
            office_event(&session, &device, at, OfficeFact::FormTextsSet { label, version })
        })?;
        Ok(FormTextLayer::of("office".into(), version, &set))
    }

    /// A form as SVG pages, exactly as it will print next.
    pub fn form_preview(&self, form: Form, code: &str, paper: Paper, copies: u32) -> Result<Vec<String>> {
        let dossier = self.dossier(code)?;
        let opts = self.print_options(&dossier, form, paper, copies)?;
        print::svg_of(form, &self.form_sheets()?, &self.office()?, &dossier, opts)
    }

    pub fn receipt_preview(&self, code: &str, paper: Paper, copies: u32) -> Result<Vec<String>> {
        self.form_preview(Form::Receipt, code, paper, copies)
    }

    /// Produces a form's PDF and keeps it: the print's number is reserved
    /// first (one transaction, so two prints at once never share a number
    /// and an interrupted print never has its number reused), then the PDF
    /// is rendered and archived durably in the data folder, copied to `out`
    /// if asked (`-` is standard output), and sent to `printer`; the print's
    /// row records each stage (reserved, archived, sent).
    #[allow(clippy::too_many_arguments)]
    pub fn print_form(
        &mut self,
        form: Form,
        code: &str,
        out: Option<&Path>,
        printer: Option<&str>,
        paper: Paper,
        copies: u32,
        now: DateTime<Utc>,
    ) -> Result<PrintOutcome> {
        let dossier = self.dossier(code)?;
        let office = self.office()?;
        check_copies(copies)?;
        if !form.applies_to(&dossier) {
            return Err(Error::refused(
                "form_not_applicable",
                msg::form_not_applicable(msg::form_label(form), dossier.status),
            ));
        }
        let at = vntime::from_utc(now);
        let dir = self
            .data_dir
            .join("prints")
            .join(at.format("%Y").to_string())
            .join(at.format("%m").to_string());
        // Sealed under the data key when the folder is (citizens' names and
        // ID numbers are on every form).
        let suffix = if self.key.is_some() { ".pdf.enc" } else { ".pdf" };
        let file_of = |no: u32| dir.join(format!("{}-{}-{}{suffix}", dossier.code, form.key(), no));
        let id = dossier.id.to_string();
        let reserved = self.store.reserve_print(
            &id,
            form.key(),
            &file_of,
            paper.name(),
            copies,
            printer,
            &vntime::iso(&at),
        )?;
        let opts = PrintOptions {
            paper,
            copies,
            print_no: reserved.print_no,
        };
        let title = msg::form_document_title(form, &dossier.code);
        let sheets = self.form_sheets()?;
        let made = print::pages(form, &sheets, &office, &dossier, opts).and_then(|pages| {
            let bytes = print::pdf::render(&title, &pages)?;
            match &self.key {
                Some(key) => crate::files::write_private(&reserved.path, &key.seal(&bytes)?)?,
                None => crate::files::write_durably(&reserved.path, &bytes)?,
            }
            Ok((pages.len(), bytes))
        });
        let (pages, bytes) = match made {
            Ok(m) => m,
            Err(e) => {
                self.store.print_stage(reserved.id, "failed", None)?;
                return Err(e);
            }
        };
        self.store.print_stage(reserved.id, "archived", None)?;
        if let Some(out) = out {
            crate::files::write_out(out, &bytes)?;
        }
        let job = match printer {
            Some(p) => {
                let job = print::spool::send(p, &bytes, 1, paper, &title)?;
                self.store.print_stage(reserved.id, "sent", Some(&job))?;
                Some(job)
            }
            None => None,
        };
        Ok(PrintOutcome {
            code: dossier.code,
            archived: reserved.path.display().to_string(),
            out: out.map(|p| p.display().to_string()),
            printer: printer.map(str::to_string),
            job,
            print_no: reserved.print_no,
            pages: pages as u32,
        })
    }

    /// An archived print as a PDF: unsealed in memory when the archive is
    /// sealed (a reprint of the very paper, an inspection).
    pub fn read_archived(&self, path: &Path) -> Result<Vec<u8>> {
        self.require(Capability::Counter)?;
        let bytes = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        match (&self.key, crate::keys::is_sealed(&bytes)) {
            (Some(key), true) => key.unseal(&bytes),
            (None, true) => Err(Error::refused("sealed_unreadable", msg::SEALED_UNREADABLE)),
            (_, false) => Ok(bytes),
        }
    }

    pub fn print_receipt(
        &mut self,
        code: &str,
        out: Option<&Path>,
        printer: Option<&str>,
        paper: Paper,
        copies: u32,
        now: DateTime<Utc>,
    ) -> Result<PrintOutcome> {
        self.print_form(Form::Receipt, code, out, printer, paper, copies, now)
    }

    /// Writes the tracking book of the dossiers received from `from` to
    /// `to` (inclusive) as PDF or xlsx, chosen by the file's extension.
    pub fn tracking_book(&self, from: NaiveDate, to: NaiveDate, out: &Path, now: DateTime<Utc>) -> Result<usize> {
        self.require(Capability::Reports)?;
        if from > to {
            return Err(Error::invalid("bad_range", "from", msg::BOOK_RANGE));
        }
        let ext = out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        let office = self.office()?;
        let dossiers = self.store.dossiers_received_between(from, to)?;
        let rows = crate::report::book::rows(&dossiers, &vntime::from_utc(now));
        let bytes = match ext.as_str() {
            "pdf" => crate::report::book::pdf(&self.form_sheets()?, &office, &rows, from, to)?,
            "xlsx" => crate::report::book::xlsx(&self.form_sheets()?, &office, &rows, from, to)?,
            _ => {
                return Err(Error::invalid(
                    "bad_extension",
                    "out",
                    msg::book_extension(&out.display().to_string()),
                ))
            }
        };
        crate::files::write_out(out, &bytes)?;
        Ok(rows.len())
    }

    pub fn printers(&self) -> Result<Vec<String>> {
        print::spool::printers()
    }

    pub fn printer_choice(&self) -> Result<PrinterChoice> {
        Ok(PrinterChoice {
            available: self.printers()?,
            a4: self.chosen_printer(Paper::A4)?,
            a5: self.chosen_printer(Paper::A5)?,
        })
    }

    pub fn chosen_printer(&self, paper: Paper) -> Result<Option<String>> {
        self.store.setting(&printer_setting(paper))
    }

    pub fn choose_printer(&mut self, paper: Paper, name: Option<&str>) -> Result<()> {
        self.require(Capability::Counter)?;
        self.store.set_setting(&printer_setting(paper), name)
    }
}

/// An office event by `session` on `device` at `at` (its dossier id is nil).
fn office_event(session: &Session, device: &str, at: VnTime, fact: OfficeFact) -> Event {
    Event {
        id: Uuid::now_v7(),
        dossier_id: Uuid::nil(),
        body: crate::dossier::EventBody::Office(fact),
        actor: session.actor(),
        device: device.to_string(),
        occurred_at: vntime::iso(&at),
    }
}

/// A validation error as its list of single problems.
fn split_invalid(e: crate::error::RuleError) -> Vec<crate::error::RuleError> {
    match e {
        crate::error::RuleError::InvalidMany(all) => all,
        other => vec![other],
    }
}

fn check_copies(copies: u32) -> Result<()> {
    if !(1..=2).contains(&copies) {
        return Err(Error::invalid("bad_copies", "copies", msg::copies_range(copies)));
    }
    Ok(())
}

// ---- sync with the province ----------------------------------------------------

impl Desk {
    pub fn sync_status(&self) -> Result<sync::SyncStatus> {
        sync::status(&self.store)
    }

    /// Enrolls this counter with the hub (admin; settings screen, `motcua
    /// enroll`); the enrollment is an event. A plain `http://` hub is
    /// refused unless `transport` allows it (tests only).
    pub fn enroll(
        &mut self,
        hub_url: &str,
        code: &str,
        transport: sync::http::Transport,
        now: DateTime<Utc>,
    ) -> Result<sync::wire::EnrollResponse> {
        self.require(Capability::Admin)?;
        let office = self.office()?;
        let answer = sync::enroll(
            &mut self.store,
            &office,
            hub_url,
            code,
            transport,
            &sync::run::RetryPolicy::default(),
            sync::http::Timeouts::default(),
        )?;
        let event = self.office_event(
            OfficeFact::Enrolled {
                hub_url: sync::enrollment(&self.store)?.map(|e| e.hub_url).unwrap_or_default(),
                agency_code: answer.agency_code.clone(),
                counter: answer.counter,
            },
            now,
        )?;
        self.store.record_office_event(&event, |_| Ok(()))?;
        Ok(answer)
    }

    /// One sync run (see [`sync::run::run`]). `clock` is read as the run goes.
    pub fn sync(
        &mut self,
        options: &sync::run::SyncOptions,
        clock: &dyn Fn() -> DateTime<Utc>,
        progress: &mut dyn FnMut(sync::run::Progress),
    ) -> Result<sync::run::SyncReport> {
        let office = self.office()?;
        if office.training {
            return Err(Error::refused("training_no_sync", msg::TRAINING_NO_SYNC));
        }
        let enrollment =
            sync::enrollment(&self.store)?.ok_or_else(|| Error::refused("not_enrolled", msg::NOT_ENROLLED))?;
        sync::run::run(&mut self.store, &enrollment, options, clock, progress)
    }

    pub fn needs_attention(&self) -> Result<Vec<crate::store::AttentionItem>> {
        self.store.needs_attention()
    }

    pub fn sync_log(&self, limit: u32) -> Result<Vec<crate::store::SyncLogRow>> {
        self.store.sync_log(limit)
    }

    /// Sends the refused events again at the next run (after the province fixed the cause).
    pub fn retry_rejected(&mut self) -> Result<usize> {
        self.require(Capability::Counter)?;
        self.store.retry_rejected()
    }

    /// Sets the time of the day's-end batch (HH:MM).
    pub fn set_day_end(&mut self, at: &str) -> Result<String> {
        self.require(Capability::Admin)?;
        let t = chrono::NaiveTime::parse_from_str(at.trim(), "%H:%M")
            .map_err(|_| Error::invalid("day_end_invalid", "day_end_at", msg::DAY_END_INVALID))?;
        let text = t.format("%H:%M").to_string();
        self.store.set_setting(sync::DAY_END_KEY, Some(&text))?;
        Ok(text)
    }

    /// Minutes without a key or click after which the window locks itself
    /// on a shared counter PC; 0 turns the lock off.
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self
            .store
            .setting(IDLE_LOCK_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
    }

    /// Sets the idle lock (admin): 0 (never) to 240 minutes.
    pub fn set_idle_lock_minutes(&mut self, minutes: u32) -> Result<u32> {
        self.require(Capability::Admin)?;
        if minutes > 240 {
            return Err(Error::invalid(
                "idle_lock_invalid",
                "idle_lock_minutes",
                msg::IDLE_LOCK_INVALID,
            ));
        }
        self.store.set_setting(IDLE_LOCK_KEY, Some(&minutes.to_string()))?;
        Ok(minutes)
    }

    /// A warning to show before issuing a receipt when the PC clock is
    /// earlier than the last fact recorded here (the clock was set back).
    pub fn clock_warning(&self, now: DateTime<Utc>) -> Result<Option<String>> {
        let Some(last) = self.store.last_local_event_at()? else {
            return Ok(None);
        };
        let Ok(last_t) = DateTime::parse_from_rfc3339(&last) else {
            return Ok(None);
        };
        Ok((now < last_t.with_timezone(&Utc)).then(|| msg::clock_behind_last_event(&vntime::spoken(&last_t))))
    }
}

// ---- reports --------------------------------------------------------------------

/// The labels the window shows, all from the message catalog: keyed by the
/// snake_case names the bindings use.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Vocabulary {
    pub statuses: BTreeMap<String, String>,
    pub timeliness: BTreeMap<String, String>,
    pub forms: BTreeMap<String, String>,
    pub flags: BTreeMap<String, String>,
    pub events: BTreeMap<String, String>,
    pub channels: BTreeMap<String, String>,
    pub roles: BTreeMap<String, String>,
}

pub fn vocabulary() -> Vocabulary {
    fn map<T: Copy>(
        all: &[T],
        key: impl Fn(T) -> &'static str,
        label: impl Fn(T) -> &'static str,
    ) -> BTreeMap<String, String> {
        all.iter()
            .map(|&v| (key(v).to_string(), label(v).to_string()))
            .collect()
    }
    use crate::dossier::Channel;
    Vocabulary {
        statuses: map(&Status::ALL, Status::key, Status::label),
        timeliness: map(&Timeliness::ALL, Timeliness::key, Timeliness::label),
        forms: map(&Form::ALL, Form::key, Form::label),
        flags: map(&Flag::ALL, Flag::key, Flag::label),
        events: map(&crate::dossier::EventBody::KINDS, |k| k, msg::event_label),
        channels: map(&Channel::ALL, Channel::key, msg::channel_short_label),
        roles: map(&Role::ALL, Role::key, Role::label),
    }
}

/// One term of the "Cách tính" page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Definition {
    pub term: String,
    pub text: String,
}

/// Every definition the reports screen relies on: the table's, then each indicator's.
pub fn report_definitions() -> Vec<Definition> {
    let mut out: Vec<Definition> = msg::REPORT_DEFINITIONS
        .iter()
        .map(|(term, text)| Definition {
            term: term.to_string(),
            text: text.to_string(),
        })
        .collect();
    for code in crate::report::figures::INDICATORS {
        let (name, text) = msg::indicator_text(code);
        out.push(Definition {
            term: format!("{code} {name}"),
            text: text.to_string(),
        });
    }
    out
}

/// Where `report --xlsx/--pdf` and the reports screen wrote their files.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReportFiles {
    pub xlsx: Option<String>,
    pub pdf: Option<String>,
}

impl Desk {
    /// The figures of `from..=to` (see `report::figures` for every definition).
    pub fn report(&self, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<crate::report::figures::Report> {
        self.require(Capability::Reports)?;
        if to < from {
            return Err(Error::invalid("period_invalid", "to", msg::PERIOD_INVALID));
        }
        let as_of = crate::report::figures::as_of(to, now);
        let mut facts = Vec::new();
        self.store.report_facts(from, to, |f| facts.push(f))?;
        let calendar = self.calendar()?;
        let context = crate::report::figures::Context {
            synced_received: match sync::enrollment(&self.store)? {
                Some(_) => Some(self.store.synced_received(from, to)?),
                None => None,
            },
            calendar: &calendar,
        };
        Ok(crate::report::figures::compute(facts, from, to, as_of, &context))
    }

    /// Writes the period's table as xlsx and/or PDF.
    pub fn report_files(
        &self,
        report: &crate::report::figures::Report,
        xlsx: Option<&Path>,
        pdf: Option<&Path>,
    ) -> Result<ReportFiles> {
        let office = self.office()?;
        let sheets = self.form_sheets()?;
        let write = |path: &Path, bytes: Vec<u8>| -> Result<String> {
            crate::files::write_out(path, &bytes)?;
            Ok(path.display().to_string())
        };
        Ok(ReportFiles {
            xlsx: xlsx
                .map(|p| write(p, crate::report::table::xlsx(&sheets, &office, report)?))
                .transpose()?,
            pdf: pdf
                .map(|p| write(p, crate::report::table::pdf(&sheets, &office, report)?))
                .transpose()?,
        })
    }

    /// The reports screen's export: both files in `exports/` of the data folder.
    pub fn export_report(&self, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<ReportFiles> {
        let report = self.report(from, to, now)?;
        let dir = self.data_dir.join("exports");
        let stem = format!("bao-cao-{}-{}", from.format("%Y%m%d"), to.format("%Y%m%d"));
        self.report_files(
            &report,
            Some(&dir.join(format!("{stem}.xlsx"))),
            Some(&dir.join(format!("{stem}.pdf"))),
        )
    }
}
