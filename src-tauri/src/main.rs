//! The motcua window: each command maps to one core call; no SQL, no
//! business rules here. Errors cross to the UI as `{code, message, fields}`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::Utc;
use tauri::State;

use chrono::Datelike;
use motcua::calendar::DayKind;
use motcua::catalog::Procedure;
use motcua::citizen_id::IdCardQr;
use motcua::desk::{
    ActionOutcome, ActionRequest, CalendarYear, Desk, DeskStatus, DossierView, DueBoard, PrintOutcome, PrinterChoice,
};
use motcua::dossier::{Dossier, ReceptionInput};
use motcua::error::{Error, ErrorReport};
use motcua::messages as msg;
use motcua::office::{Office, OfficeSetup};
use motcua::print::{Form, Paper};
use motcua::vntime;

type Answer<T> = Result<T, ErrorReport>;

/// The opened data folder, or why it could not be opened (shown on screen).
struct App {
    desk: Result<Mutex<Desk>, ErrorReport>,
}

fn with_desk<T>(app: &App, f: impl FnOnce(&mut Desk) -> Result<T, Error>) -> Answer<T> {
    let desk = app.desk.as_ref().map_err(Clone::clone)?;
    let mut guard = desk.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut guard).map_err(|e| {
        tracing::warn!(code = e.code(), "command refused: {e}");
        ErrorReport::from(&e)
    })
}

#[tauri::command]
fn status(app: State<App>) -> Answer<DeskStatus> {
    with_desk(&app, |d| d.status())
}

#[tauri::command]
fn init_office(app: State<App>, setup: OfficeSetup) -> Answer<Office> {
    with_desk(&app, |d| d.init(&setup, Utc::now()))
}

#[tauri::command]
fn update_office(app: State<App>, setup: OfficeSetup) -> Answer<Office> {
    with_desk(&app, |d| d.update_office(&setup, Utc::now()))
}

#[tauri::command]
fn set_clerk(app: State<App>, name: String) -> Answer<String> {
    with_desk(&app, |d| d.set_current_clerk(&name))
}

#[tauri::command]
fn procedures(app: State<App>) -> Answer<Vec<Procedure>> {
    with_desk(&app, |d| d.procedures())
}

#[tauri::command]
fn parse_id_qr(raw: String) -> Answer<IdCardQr> {
    Desk::parse_id_qr(&raw).map_err(|e| ErrorReport::from(&e))
}

#[tauri::command]
fn receive(app: State<App>, input: ReceptionInput) -> Answer<Dossier> {
    with_desk(&app, |d| d.receive(&input, None, Utc::now()))
}

#[tauri::command]
fn dossiers_today(app: State<App>) -> Answer<Vec<Dossier>> {
    with_desk(&app, |d| d.received_on(vntime::from_utc(Utc::now()).date_naive()))
}

#[tauri::command]
fn search(app: State<App>, query: String) -> Answer<Vec<Dossier>> {
    with_desk(&app, |d| d.search(&query))
}

#[tauri::command]
fn show(app: State<App>, code: String) -> Answer<DossierView> {
    with_desk(&app, |d| d.show(&code, Utc::now()))
}

#[tauri::command]
fn printers(app: State<App>) -> Answer<PrinterChoice> {
    with_desk(&app, |d| d.printer_choice())
}

#[tauri::command]
fn choose_printer(app: State<App>, paper: Paper, name: Option<String>) -> Answer<()> {
    with_desk(&app, |d| {
        d.choose_printer(paper, name.as_deref().filter(|n| !n.is_empty()))
    })
}

#[tauri::command]
fn due_board(app: State<App>) -> Answer<DueBoard> {
    with_desk(&app, |d| d.due_board(Utc::now()))
}

#[tauri::command]
fn perform(app: State<App>, code: String, request: ActionRequest) -> Answer<ActionOutcome> {
    with_desk(&app, |d| d.perform(&code, &request, Utc::now()))
}

#[tauri::command]
fn form_preview(app: State<App>, form: Form, code: String, paper: Paper, copies: u32) -> Answer<Vec<String>> {
    with_desk(&app, |d| d.form_preview(form, &code, paper, copies))
}

#[tauri::command]
fn print_form(app: State<App>, form: Form, code: String, paper: Paper, copies: u32) -> Answer<PrintOutcome> {
    with_desk(&app, |d| {
        let printer = d.chosen_printer(paper)?;
        d.print_form(form, &code, None, printer.as_deref(), paper, copies, Utc::now())
    })
}

#[tauri::command]
fn calendar_year(app: State<App>, year: i32) -> Answer<CalendarYear> {
    with_desk(&app, |d| d.calendar_year(year))
}

/// `kind`: "off", "working", or null to remove the admin's mark.
#[tauri::command]
fn set_calendar_day(app: State<App>, date: String, kind: Option<DayKind>, reason: String) -> Answer<CalendarYear> {
    with_desk(&app, |d| {
        let day = vntime::parse_date("date", msg::LABEL_DATE, &date)?;
        d.set_calendar_day(day, kind, &reason, Utc::now())?;
        d.calendar_year(day.year())
    })
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
    let desk = Desk::open(&dir).map(Mutex::new).map_err(|e| ErrorReport::from(&e));
    let result = tauri::Builder::default()
        .manage(App { desk })
        .invoke_handler(tauri::generate_handler![
            status,
            init_office,
            update_office,
            set_clerk,
            procedures,
            parse_id_qr,
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
            print_form
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        tracing::error!("the window could not start: {e}");
        std::process::exit(1);
    }
}
