//! `user …` and `office show|set`, and how the CLI reads a password.

use std::process::ExitCode;

use motcua::accounts::NewAccount;
use motcua::error::{Error, Result};
use motcua::messages as msg;
use motcua::office::OfficeSetup;

use crate::args::{OfficeCommand, UserCommand};
use crate::Ctx;
use motcua::desk::Folder;

/// A password from the environment variable `var`, else asked on the
/// terminal (twice when it is a new one); never echoed.
pub fn password(var: &str, missing: &str, new: bool) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|_| Error::refused("not_signed_in", missing.to_string()))
    };
    let first = ask(if new { "Mật khẩu mới: " } else { "Mật khẩu: " }).map_err(|e| {
        if new {
            Error::invalid("password_missing", "password", missing.to_string())
        } else {
            e
        }
    })?;
    if new && ask("Nhập lại mật khẩu mới: ")? != first {
        return Err(Error::invalid("passwords_differ", "password", msg::PASSWORDS_DIFFER));
    }
    Ok(first)
}

pub fn user(ctx: &Ctx, command: UserCommand) -> Result<ExitCode> {
    // An office set up before accounts existed makes its first admin
    // without signing in (nobody could).
    let first_admin = matches!(command, UserCommand::Add { .. })
        && ctx.folder() == Folder::Plain
        && ctx.unsigned_desk()?.needs_first_admin()?;
    let mut desk = if first_admin { ctx.unsigned_desk()? } else { ctx.desk()? };
    let account = match command {
        UserCommand::List => {
            ctx.emit(&desk.users()?, |all| {
                all.iter()
                    .map(|a| {
                        let roles = a.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
                        let state = if a.disabled {
                            " [vô hiệu hóa]"
                        } else if a.locked_until.is_some() {
                            " [đang khóa]"
                        } else {
                            ""
                        };
                        format!("{:<16} {} — {roles}{state}", a.login, a.full_name)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            return Ok(ExitCode::SUCCESS);
        }
        UserCommand::Add { login, name, role } => {
            let password = password("MOTCUA_NEW_PASSWORD", msg::NEW_PASSWORD_MISSING, true)?;
            let new = NewAccount {
                login,
                full_name: name,
                roles: role,
                password,
            };
            desk.add_user(&new, ctx.now)?
        }
        UserCommand::Disable { login } => desk.set_user_enabled(&login, false, ctx.now)?,
        UserCommand::Enable { login } => desk.set_user_enabled(&login, true, ctx.now)?,
        UserCommand::Password { login } => {
            let password = password("MOTCUA_NEW_PASSWORD", msg::NEW_PASSWORD_MISSING, true)?;
            desk.set_password(&login, &password, ctx.now)?
        }
        UserCommand::Unlock { login } => desk.unlock_user(&login, ctx.now)?,
    };
    ctx.emit(&account, |a| {
        format!("Tài khoản {} — {}: đã lưu.", a.login, a.full_name)
    });
    Ok(ExitCode::SUCCESS)
}

pub fn office(ctx: &Ctx, command: OfficeCommand) -> Result<ExitCode> {
    let mut desk = ctx.desk()?;
    let office =
        match command {
            OfficeCommand::History { limit } => {
                ctx.emit(&desk.office_history(limit)?, |rows| {
                    rows.iter()
                        .map(|r| format!("{}  {}  {}", r.occurred_at, r.actor, r.what))
                        .collect::<Vec<_>>()
                        .join("\n")
                });
                return Ok(ExitCode::SUCCESS);
            }
            OfficeCommand::Show => desk.office()?,
            OfficeCommand::Set(a) => {
                let o = desk.office()?;
                let hhmm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
                let setup =
                    OfficeSetup {
                        office_name: a.office_name.unwrap_or(o.name),
                        parent_name: a.contact.parent_name.or(o.parent_name),
                        phone: a.contact.phone.or(o.phone),
                        email: a.contact.email.or(o.email),
                        address: a.contact.address.or(o.address),
                        agency_code: a.agency_code.unwrap_or(o.agency_code),
                        place: a.place.unwrap_or(o.place),
                        counter: a.counter.unwrap_or(i64::from(o.counter)),
                        clerks: o.clerks,
                        morning: Some(a.morning.unwrap_or_else(|| {
                            format!("{}-{}", hhmm(o.hours.morning_open), hhmm(o.hours.morning_close))
                        })),
                        afternoon: Some(a.afternoon.unwrap_or_else(|| {
                            format!("{}-{}", hhmm(o.hours.afternoon_open), hhmm(o.hours.afternoon_close))
                        })),
                        saturday_morning: a.saturday_morning.unwrap_or(o.hours.saturday_morning),
                        same_day_cutoff: Some(a.same_day_cutoff.unwrap_or_else(|| hhmm(o.hours.same_day_cutoff))),
                        training: o.training,
                    };
                desk.update_office(&setup, ctx.now)?
            }
        };
    ctx.emit(&office, |o| {
        format!(
            "{} (mã {}), quầy số {} — {}{}",
            o.name,
            o.agency_code,
            o.counter,
            o.place,
            if o.training { " — cơ quan dùng thử" } else { "" }
        )
    });
    Ok(ExitCode::SUCCESS)
}
