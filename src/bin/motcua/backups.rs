//! `backup` and `restore`: the whole office in one sealed file, and back.

use std::process::ExitCode;

use motcua::desk::{Desk, RestoreSecret};
use motcua::error::{Error, Result};
use motcua::messages as msg;

use crate::args::BackupCommand;
use crate::Ctx;

pub fn run(ctx: &Ctx, command: BackupCommand) -> Result<ExitCode> {
    match command {
        BackupCommand::Backup {
            out,
            if_due,
            second_dir,
        } => {
            let mut desk = ctx.desk()?;
            if let Some(dir) = second_dir {
                let status = desk.set_second_backup_dir(&dir)?;
                if out.is_none() && !if_due {
                    ctx.emit(&status, |s| msg::backup_second_dir_set(s.second_dir.as_deref()));
                    return Ok(ExitCode::SUCCESS);
                }
            }
            let made = if if_due {
                desk.backup_status()?;
                desk.backup_if_due(ctx.now)?
            } else {
                Some(desk.backup(out.as_deref(), ctx.now)?)
            };
            match made {
                Some(m) => ctx.emit(&m, |m| msg::backup_made(&m.file, m.dossiers, m.events, m.audit_ok)),
                None => ctx.emit(&serde_json::json!({ "made": false }), |_| {
                    msg::BACKUP_NOT_DUE.to_string()
                }),
            }
        }
        BackupCommand::Restore { from, recovery_key } => {
            let login = ctx.user.clone().unwrap_or_default();
            let password;
            let secret = match &recovery_key {
                Some(k) => RestoreSecret::RecoveryKey(k),
                None => {
                    if login.trim().is_empty() {
                        return Err(Error::refused("not_signed_in", msg::USER_MISSING));
                    }
                    password = crate::accounts::password("MOTCUA_PASSWORD", msg::PASSWORD_MISSING, false)?;
                    RestoreSecret::Password(&password)
                }
            };
            let (_, report) = Desk::restore_backup(&ctx.dir(), &from, &login, secret, ctx.now)?;
            ctx.emit(&report, |r| r.message.clone());
        }
    }
    Ok(ExitCode::SUCCESS)
}
