//! The motcua window: each command maps to one core call; no SQL, no
//! business rules here. Errors cross to the UI as `{code, message, fields}`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod background_sync;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tauri::State;

use chrono::Datelike;
use motcua::accounts::{Account, NewAccount, Session};
use motcua::calendar::DayKind;
use motcua::catalog::Procedure;
use motcua::citizen_id::IdCardQr;
use motcua::desk::{
    ActionOutcome, ActionRequest, CalendarYear, Desk, DeskStatus, DossierView, DueBoard, PrintOutcome, PrinterChoice,
};
use motcua::desk::{BackupMade, BackupStatus, Definition, Folder, ReportFiles, SetUp, Vocabulary};
use motcua::dossier::{Dossier, ReceptionInput};
use motcua::error::{Error, ErrorReport};
use motcua::messages as msg;
use motcua::office::{Office, OfficeSetup};
use motcua::print::{Form, Paper};
use motcua::report::figures::Report;
use motcua::store::{AttentionItem, SyncLogRow};
use motcua::sync::schedule::SyncOverview;
use motcua::sync::wire::EnrollResponse;
use motcua::vntime;

type Answer<T> = Result<T, ErrorReport>;

/// The data folder: open (a new one, one from before encryption, or a
/// sealed one once someone signed in), still sealed (`None`), or why it
/// could not be opened (shown on screen).
struct App {
    desk: Result<Arc<Mutex<Option<Desk>>>, ErrorReport>,
    data_dir: PathBuf,
    sync: Arc<background_sync::SyncWorker>,
}

fn refusal(e: &Error) -> ErrorReport {
    tracing::warn!(code = e.code(), "command refused: {e}");
    ErrorReport::from(e)
}

/// Runs `f` on the desk on a blocking thread, so the window never waits
/// for the database, a PDF, the printer or the hub.
async fn with_desk<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&mut Desk) -> Result<T, Error> + Send + 'static,
) -> Answer<T> {
    let desk = app.desk.as_ref().map_err(Clone::clone)?.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = desk.lock().unwrap_or_else(|e| e.into_inner());
        let desk = guard
            .as_mut()
            .ok_or_else(|| refusal(&Error::refused("not_signed_in", msg::DATA_LOCKED)))?;
        f(desk).map_err(|e| refusal(&e))
    })
    .await
    .map_err(|e| refusal(&Error::refused("internal", e.to_string())))?
}

/// The desk's status; a sealed folder nobody opened yet tells only its label.
#[tauri::command]
async fn status(app: State<'_, App>) -> Answer<DeskStatus> {
    let sealed = app
        .desk
        .as_ref()
        .map_err(Clone::clone)?
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_none();
    if sealed {
        return Desk::locked_status(&app.data_dir).map_err(|e| refusal(&e));
    }
    with_desk(&app, |d| d.status()).await
}

/// Sets up the office with its first admin, who is then signed in.
#[tauri::command]
async fn init_office(app: State<'_, App>, setup: OfficeSetup, admin: NewAccount) -> Answer<SetUp> {
    let made = with_desk(&app, move |d| {
        let office = d.init(&setup, &admin, Utc::now())?;
        Ok(SetUp {
            office,
            recovery_key: d.take_recovery_key().unwrap_or_default(),
        })
    })
    .await?;
    app.sync.hand_over(with_desk(&app, |d| d.sibling()).await?);
    Ok(made)
}

// ---- accounts and the lock screen ------------------------------------------------

/// Signs in: the first time, unsealing the folder; after, at the lock screen.
#[tauri::command]
async fn sign_in(app: State<'_, App>, login: String, password: String) -> Answer<Session> {
    let slot = app.desk.as_ref().map_err(Clone::clone)?.clone();
    let dir = app.data_dir.clone();
    let (session, opened) = tauri::async_runtime::spawn_blocking(move || {
        let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
        let mut signed = || -> Result<(Session, Option<Desk>), Error> {
            match guard.as_mut() {
                Some(desk) => desk.sign_in(&login, &password, Utc::now()).map(|s| (s, None)),
                None => {
                    let desk = Desk::unlock(&dir, &login, &password, Utc::now())?;
                    let session = desk
                        .session()
                        .cloned()
                        .ok_or_else(|| Error::refused("not_signed_in", msg::NOT_SIGNED_IN))?;
                    let sibling = desk.sibling()?;
                    *guard = Some(desk);
                    Ok((session, Some(sibling)))
                }
            }
        };
        signed().map_err(|e| refusal(&e))
    })
    .await
    .map_err(|e| refusal(&Error::refused("internal", e.to_string())))??;
    if let Some(sibling) = opened {
        app.sync.hand_over(sibling);
    }
    Ok(session)
}

/// The lock screen (Ctrl+L, or idle): nobody is signed in until someone signs in.
#[tauri::command]
async fn sign_out(app: State<'_, App>) -> Answer<()> {
    with_desk(&app, |d| {
        d.sign_out();
        Ok(())
    })
    .await
}

#[tauri::command]
async fn users(app: State<'_, App>) -> Answer<Vec<Account>> {
    with_desk(&app, |d| d.users()).await
}

/// Adds an account; the first admin of an office from before encryption
/// seals it, and the worker then needs a connection to the sealed file.
#[tauri::command]
async fn add_user(app: State<'_, App>, account: NewAccount) -> Answer<Account> {
    let added = with_desk(&app, move |d| d.add_user(&account, Utc::now())).await?;
    app.sync.hand_over(with_desk(&app, |d| d.sibling()).await?);
    Ok(added)
}

/// The recovery key of a folder just sealed by its first admin, once.
#[tauri::command]
async fn take_recovery_key(app: State<'_, App>) -> Answer<Option<String>> {
    with_desk(&app, |d| Ok(d.take_recovery_key())).await
}

/// Prints the recovery-key sheet of the key just shown (admin).
#[tauri::command]
async fn print_recovery_sheet(app: State<'_, App>, key: String) -> Answer<String> {
    with_desk(&app, move |d| d.print_recovery_sheet(&key, Utc::now())).await
}

#[tauri::command]
async fn set_user_enabled(app: State<'_, App>, login: String, enabled: bool) -> Answer<Account> {
    with_desk(&app, move |d| d.set_user_enabled(&login, enabled, Utc::now())).await
}

#[tauri::command]
async fn set_password(app: State<'_, App>, login: String, password: String) -> Answer<Account> {
    with_desk(&app, move |d| d.set_password(&login, &password, Utc::now())).await
}

#[tauri::command]
async fn unlock_user(app: State<'_, App>, login: String) -> Answer<Account> {
    with_desk(&app, move |d| d.unlock_user(&login, Utc::now())).await
}

#[tauri::command]
async fn backup_now(app: State<'_, App>) -> Answer<BackupMade> {
    with_desk(&app, |d| d.backup(None, Utc::now())).await
}

#[tauri::command]
async fn backup_status(app: State<'_, App>) -> Answer<BackupStatus> {
    with_desk(&app, |d| d.backup_status()).await
}

#[tauri::command]
async fn set_second_backup_dir(app: State<'_, App>, dir: String) -> Answer<BackupStatus> {
    with_desk(&app, move |d| d.set_second_backup_dir(&dir)).await
}

#[tauri::command]
async fn set_idle_lock(app: State<'_, App>, minutes: u32) -> Answer<u32> {
    with_desk(&app, move |d| d.set_idle_lock_minutes(minutes)).await
}

#[tauri::command]
async fn update_office(app: State<'_, App>, setup: OfficeSetup) -> Answer<Office> {
    with_desk(&app, move |d| d.update_office(&setup, Utc::now())).await
}

#[tauri::command]
async fn procedures(app: State<'_, App>) -> Answer<Vec<Procedure>> {
    with_desk(&app, |d| d.procedures()).await
}

#[tauri::command]
async fn parse_id_qr(raw: String) -> Answer<IdCardQr> {
    Desk::parse_id_qr(&raw).map_err(|e| refusal(&e))
}

/// Labels of statuses, timeliness, forms, flags, event kinds and channels,
/// from the core's message catalog: the window keeps no copy of its own.
#[tauri::command]
async fn vocabulary() -> Vocabulary {
    motcua::desk::vocabulary()
}

#[tauri::command]
async fn receive(app: State<'_, App>, input: ReceptionInput) -> Answer<Dossier> {
    let sync = app.sync.clone();
    let d = with_desk(&app, move |d| d.receive(&input, Utc::now())).await?;
    sync.nudge();
    Ok(d)
}

#[tauri::command]
async fn dossiers_today(app: State<'_, App>) -> Answer<Vec<Dossier>> {
    with_desk(&app, |d| d.received_on(vntime::from_utc(Utc::now()).date_naive())).await
}

#[tauri::command]
async fn search(app: State<'_, App>, query: String) -> Answer<Vec<Dossier>> {
    with_desk(&app, move |d| d.search(&query)).await
}

#[tauri::command]
async fn show(app: State<'_, App>, code: String) -> Answer<DossierView> {
    with_desk(&app, move |d| d.show(&code, Utc::now())).await
}

#[tauri::command]
async fn printers(app: State<'_, App>) -> Answer<PrinterChoice> {
    with_desk(&app, |d| d.printer_choice()).await
}

#[tauri::command]
async fn choose_printer(app: State<'_, App>, paper: Paper, name: Option<String>) -> Answer<()> {
    with_desk(&app, move |d| {
        d.choose_printer(paper, name.as_deref().filter(|n| !n.is_empty()))
    })
    .await
}

#[tauri::command]
async fn due_board(app: State<'_, App>) -> Answer<DueBoard> {
    with_desk(&app, |d| d.due_board(Utc::now())).await
}

#[tauri::command]
async fn perform(app: State<'_, App>, code: String, request: ActionRequest) -> Answer<ActionOutcome> {
    let sync = app.sync.clone();
    let outcome = with_desk(&app, move |d| d.perform(&code, &request, Utc::now())).await?;
    sync.nudge();
    Ok(outcome)
}

#[tauri::command]
async fn form_preview(app: State<'_, App>, form: Form, code: String, paper: Paper, copies: u32) -> Answer<Vec<String>> {
    with_desk(&app, move |d| d.form_preview(form, &code, paper, copies)).await
}

#[tauri::command]
async fn print_form(app: State<'_, App>, form: Form, code: String, paper: Paper, copies: u32) -> Answer<PrintOutcome> {
    with_desk(&app, move |d| {
        let printer = d.chosen_printer(paper)?;
        d.print_form(form, &code, None, printer.as_deref(), paper, copies, Utc::now())
    })
    .await
}

#[tauri::command]
async fn calendar_year(app: State<'_, App>, year: i32) -> Answer<CalendarYear> {
    with_desk(&app, move |d| d.calendar_year(year)).await
}

/// `kind`: "off", "working", or null to remove the admin's mark.
#[tauri::command]
async fn set_calendar_day(
    app: State<'_, App>,
    date: String,
    kind: Option<DayKind>,
    reason: String,
) -> Answer<CalendarYear> {
    with_desk(&app, move |d| {
        let day = vntime::parse_date("date", msg::LABEL_DATE, &date)?;
        d.set_calendar_day(day, kind, &reason, Utc::now())?;
        d.calendar_year(day.year())
    })
    .await
}

// ---- reports ------------------------------------------------------------------------

fn period(from: &str, to: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), Error> {
    Ok((
        vntime::parse_date("from", msg::LABEL_DATE, from)?,
        vntime::parse_date("to", msg::LABEL_DATE, to)?,
    ))
}

#[tauri::command]
async fn report(app: State<'_, App>, from: String, to: String) -> Answer<Report> {
    with_desk(&app, move |d| {
        let (from, to) = period(&from, &to)?;
        d.report(from, to, Utc::now())
    })
    .await
}

#[tauri::command]
async fn export_report(app: State<'_, App>, from: String, to: String) -> Answer<ReportFiles> {
    with_desk(&app, move |d| {
        let (from, to) = period(&from, &to)?;
        d.export_report(from, to, Utc::now())
    })
    .await
}

#[tauri::command]
async fn report_definitions() -> Vec<Definition> {
    motcua::desk::report_definitions()
}

// ---- sync with the province ---------------------------------------------------

#[tauri::command]
async fn sync_overview(app: State<'_, App>) -> Answer<SyncOverview> {
    let live = app.sync.snapshot();
    with_desk(&app, move |d| {
        Ok(SyncOverview {
            status: d.sync_status()?,
            live,
        })
    })
    .await
}

#[tauri::command]
async fn sync_now(app: State<'_, App>) -> Answer<()> {
    with_desk(&app, |d| {
        let office = d.office()?;
        if office.training {
            return Err(Error::refused("training_no_sync", msg::TRAINING_NO_SYNC));
        }
        if motcua::sync::enrollment(d.store())?.is_none() {
            return Err(Error::refused("not_enrolled", msg::NOT_ENROLLED));
        }
        Ok(())
    })
    .await?;
    app.sync.request_now();
    Ok(())
}

#[tauri::command]
async fn sync_log(app: State<'_, App>) -> Answer<Vec<SyncLogRow>> {
    with_desk(&app, |d| d.sync_log(60)).await
}

#[tauri::command]
async fn needs_attention(app: State<'_, App>) -> Answer<Vec<AttentionItem>> {
    with_desk(&app, |d| d.needs_attention()).await
}

#[tauri::command]
async fn retry_rejected(app: State<'_, App>) -> Answer<usize> {
    let n = with_desk(&app, |d| d.retry_rejected()).await?;
    app.sync.request_now();
    Ok(n)
}

/// Talks to the hub on its own connection to the data folder, so the
/// window's desk stays free while the hub answers; that connection acts
/// as the person signed in at the window.
#[tauri::command]
async fn enroll(app: State<'_, App>, hub_url: String, code: String) -> Answer<EnrollResponse> {
    let mut sibling = with_desk(&app, |d| {
        d.session()
            .ok_or_else(|| Error::refused("not_signed_in", msg::NOT_SIGNED_IN))?;
        d.sibling()
    })
    .await?;
    // Plain http:// only for the window's own tests on one machine.
    let transport = match std::env::var("MOTCUA_INSECURE_HTTP").as_deref() {
        Ok("1") => motcua::sync::http::Transport::PlainHttpAllowed,
        _ => motcua::sync::http::Transport::TlsOnly,
    };
    let answer = tauri::async_runtime::spawn_blocking(move || sibling.enroll(&hub_url, &code, transport, Utc::now()))
        .await
        .map_err(|e| refusal(&Error::refused("internal", e.to_string())))?
        .map_err(|e| refusal(&e))?;
    app.sync.request_now();
    Ok(answer)
}

#[tauri::command]
async fn set_day_end(app: State<'_, App>, at: String) -> Answer<String> {
    with_desk(&app, move |d| d.set_day_end(&at)).await
}

/// The trail's quick check at start: a broken chain is shown, not hidden.
#[tauri::command]
async fn audit_warning(app: State<'_, App>) -> Answer<Option<String>> {
    with_desk(&app, |d| d.audit_warning()).await
}

#[tauri::command]
async fn clock_warning(app: State<'_, App>) -> Answer<Option<String>> {
    with_desk(&app, |d| d.clock_warning(Utc::now())).await
}

/// `--data-dir DIR` on the command line, else `MOTCUA_DATA_DIR`, else the OS default.
fn data_dir_from_args() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("MOTCUA_LOG"))
        .init();
    let dir = Desk::resolve_data_dir(data_dir_from_args());
    tracing::info!(data_dir = %dir.display(), "opening data folder");
    // A sealed folder waits for the first sign-in; the others open now.
    let desk = match Folder::of(&dir) {
        Folder::Sealed => Ok(None),
        _ => Desk::open(&dir).map(Some),
    }
    .map(|d| Arc::new(Mutex::new(d)))
    .map_err(|e| ErrorReport::from(&e));
    let worker = Arc::new(background_sync::SyncWorker::default());
    background_sync::spawn(worker.clone());
    let result = tauri::Builder::default()
        .manage(App {
            desk,
            data_dir: dir,
            sync: worker,
        })
        .invoke_handler(tauri::generate_handler![
            status,
            init_office,
            update_office,
            sign_in,
            sign_out,
            users,
            add_user,
            set_user_enabled,
            set_password,
            unlock_user,
            set_idle_lock,
            take_recovery_key,
            print_recovery_sheet,
            backup_now,
            backup_status,
            set_second_backup_dir,
            procedures,
            parse_id_qr,
            vocabulary,
            receive,
            dossiers_today,
            search,
            show,
            printers,
            choose_printer,
            calendar_year,
            set_calendar_day,
            due_board,
            perform,
            form_preview,
            print_form,
            sync_overview,
            sync_now,
            sync_log,
            needs_attention,
            retry_rejected,
            enroll,
            set_day_end,
            clock_warning,
            audit_warning,
            report,
            export_report,
            report_definitions
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        tracing::error!("the window could not start: {e}");
        std::process::exit(1);
    }
}
