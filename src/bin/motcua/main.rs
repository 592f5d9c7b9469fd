//! `motcua`: the headless CLI over the same core the app uses. Each command
//! group has its own small module; all of them end in `Desk` calls.

mod accounts;
mod args;
mod audit;
mod backups;
mod dossiers;
mod lifecycle;
mod paper;
mod pure;
mod reports;
mod setup;
mod sync;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Parser;
use serde::Serialize;

use motcua::desk::{Desk, Folder};
use motcua::dossier::Dossier;
use motcua::error::{Error, ErrorReport, Result};
use motcua::messages as msg;
use motcua::vntime;

use args::{Cli, Command, SetupCommand};

/// What every command runs with: the data folder, the output form, the
/// moment, and who signs in.
pub struct Ctx {
    data_dir: Option<PathBuf>,
    json: bool,
    now: DateTime<Utc>,
    /// `--now` was given (a training office replaying time).
    replayed: bool,
    user: Option<String>,
}

impl Ctx {
    fn dir(&self) -> PathBuf {
        Desk::resolve_data_dir(self.data_dir.clone())
    }

    /// The office's desk, signed in as `--user` (password from
    /// MOTCUA_PASSWORD or asked on the terminal); refuses a folder where no
    /// office was set up (nothing is created there).
    fn desk(&self) -> Result<Desk> {
        let dir = self.dir();
        if Folder::of(&dir) != Folder::Sealed {
            // No keyring: no office here, or one from before accounts.
            let desk = self.unsigned_desk()?;
            if desk.needs_first_admin()? {
                return Err(Error::refused("not_signed_in", msg::NO_ACCOUNTS_YET));
            }
        }
        let login = self
            .user
            .clone()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::refused("not_signed_in", msg::USER_MISSING))?;
        let password = accounts::password("MOTCUA_PASSWORD", msg::PASSWORD_MISSING, false)?;
        let desk = Desk::unlock(&dir, &login, &password, self.now)?;
        if self.replayed && !desk.office()?.training {
            return Err(Error::refused("now_needs_training", msg::NOW_NEEDS_TRAINING));
        }
        Ok(desk)
    }

    /// The desk of a folder with nobody signed in: one from before
    /// encryption (a sealed one refuses).
    fn unsigned_desk(&self) -> Result<Desk> {
        Desk::open_existing(&self.dir())
    }

    /// What is in the data folder, by its files.
    fn folder(&self) -> Folder {
        Folder::of(&self.dir())
    }

    /// The desk of a folder that may be new (`init`, `demo-data`).
    fn new_desk(&self) -> Result<Desk> {
        Desk::open(&self.dir())
    }

    fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
        } else {
            println!("{}", human(value));
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("MOTCUA_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    match clock(&cli).and_then(|now| run(cli, now)) {
        Ok(code) => code,
        Err(e) => {
            if json {
                let report = ErrorReport::from(&e);
                eprintln!(
                    "{}",
                    serde_json::to_string(&serde_json::json!({ "error": report })).unwrap_or_default()
                );
            } else {
                eprintln!("Lỗi: {e}");
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

/// 2: bad input; 3: the dossier (or thing) asked for does not exist;
/// 8: not signed in (no user, wrong password, locked, disabled); 9: the
/// role may not do this; 1: anything else refused or failed.
fn exit_code(e: &Error) -> u8 {
    match e.code() {
        "not_signed_in" | "sign_in_failed" | "account_locked" | "account_disabled" => 8,
        "forbidden" => 9,
        _ if e.is_invalid_input() => 2,
        _ if e.is_not_found() => 3,
        _ => 1,
    }
}

fn run(cli: Cli, now: DateTime<Utc>) -> Result<ExitCode> {
    let ctx = Ctx {
        data_dir: cli.data_dir,
        json: cli.json,
        now,
        replayed: cli.now.is_some(),
        user: cli.user,
    };
    match cli.command {
        Command::Setup(c) => setup::run(&ctx, c),
        Command::Dossier(c) => dossiers::run(&ctx, c),
        Command::Lifecycle(c) => lifecycle::run(&ctx, c),
        Command::Paper(c) => paper::run(&ctx, c),
        Command::Pure(c) => pure::run(&ctx, c),
        Command::Sync(c) => sync::run(&ctx, c),
        Command::Report(c) => reports::run(&ctx, c),
        Command::Audit(c) => audit::run(&ctx, c),
        Command::User(c) => accounts::user(&ctx, c),
        Command::Office(c) => accounts::office(&ctx, c),
        Command::Backup(c) => backups::run(&ctx, c),
    }
}

/// The moment the command runs at: now, or `--now` in a training office
/// (a trainer replays a month in minutes). A real office refuses `--now`.
fn clock(cli: &Cli) -> Result<DateTime<Utc>> {
    let Some(at) = &cli.now else {
        return Ok(Utc::now());
    };
    let dir = Desk::resolve_data_dir(cli.data_dir.clone());
    let allowed = match &cli.command {
        Command::Setup(SetupCommand::Init(a)) => a.training,
        // The keyring's label says so before the data is open; `Ctx::desk`
        // checks the office itself once it is.
        _ => match Folder::of(&dir) {
            Folder::Sealed => motcua::keys::Keyring::load(&dir)?.is_some_and(|r| r.office.training),
            _ => Desk::open_existing(&dir)
                .and_then(|d| d.office())
                .map(|o| o.training)
                .unwrap_or(false),
        },
    };
    if !allowed {
        return Err(Error::refused("now_needs_training", msg::NOW_NEEDS_TRAINING));
    }
    Ok(vntime::parse_local("now", "--now", at)?.with_timezone(&Utc))
}

/// A JSON input file (or `-`, standard input) read as `T`.
fn read_json<T: serde::de::DeserializeOwned>(spec: &str) -> Result<T> {
    let mut raw = String::new();
    if spec == "-" {
        std::io::stdin()
            .read_to_string(&mut raw)
            .map_err(|e| Error::file("-", e))?;
    } else {
        raw = std::fs::read_to_string(spec).map_err(|e| Error::file(spec, e))?;
    }
    serde_json::from_str(&raw).map_err(|e| {
        Error::invalid(
            "input_json",
            "input",
            msg::input_json(e.line(), e.column(), &e.to_string()),
        )
    })
}

fn dossier_line(d: &Dossier) -> String {
    format!(
        "{}  {}  {}  hẹn trả {}  [{}]",
        d.code,
        d.applicant.full_name,
        d.procedure.name,
        d.due_at,
        d.status.label()
    )
}

fn dossier_lines(ds: &[Dossier], empty: String) -> String {
    if ds.is_empty() {
        empty
    } else {
        ds.iter().map(dossier_line).collect::<Vec<_>>().join("\n")
    }
}
