//! `receive`, `show`, `search`, `list`, `board`: taking dossiers in and finding them.

use std::process::ExitCode;

use motcua::dossier::ReceptionInput;
use motcua::error::Result;
use motcua::messages as msg;
use motcua::vntime;

use crate::args::DossierCommand;
use crate::{dossier_line, dossier_lines, read_json, Ctx};

pub fn run(ctx: &Ctx, command: DossierCommand) -> Result<ExitCode> {
    match command {
        DossierCommand::Receive { input, clerk } => {
            let mut desk = ctx.desk()?;
            // The receiving clerk is whoever signed in; `--clerk` may only name them.
            if let (Some(clerk), Some(s)) = (clerk.as_deref(), desk.session()) {
                let named = motcua::text::nfc(clerk.trim());
                if named != s.full_name && named.to_lowercase() != s.login {
                    return Err(motcua::error::Error::invalid(
                        "clerk_not_signed_in",
                        "clerk",
                        msg::clerk_not_signed_in(&named, &s.full_name),
                    ));
                }
            }
            let parsed: ReceptionInput = read_json(&input)?;
            let d = desk.receive(&parsed, ctx.now)?;
            ctx.emit(&d, |d| format!("Đã tiếp nhận: {}", dossier_line(d)));
        }
        DossierCommand::Show { code } => show(ctx, &ctx.desk()?, &code)?,
        DossierCommand::Search { query } => {
            let found = ctx.desk()?.search(&query)?;
            ctx.emit(&found, |ds| dossier_lines(ds, "Không tìm thấy hồ sơ nào.".to_string()));
        }
        DossierCommand::List { date } => {
            let desk = ctx.desk()?;
            let day = match date {
                Some(d) => vntime::parse_date("date", msg::LABEL_DATE, &d)?,
                None => vntime::from_utc(ctx.now).date_naive(),
            };
            ctx.emit(&desk.received_on(day)?, |ds| {
                dossier_lines(
                    ds,
                    format!("Không có hồ sơ nào tiếp nhận ngày {}.", vntime::date_vn(day)),
                )
            });
        }
        DossierCommand::Board => {
            ctx.emit(&ctx.desk()?.due_board(ctx.now)?, |b| {
                let mut s = String::new();
                for (title, list) in [
                    ("Quá hạn", &b.overdue),
                    ("Đến hạn hôm nay", &b.due_today),
                    ("Đến hạn ngày làm việc tới", &b.due_tomorrow),
                    ("Sắp hết hạn chờ bổ sung", &b.supplement_expiring),
                    ("Có kết quả, chờ người dân đến nhận", &b.awaiting_collection),
                ] {
                    s.push_str(&format!("{title}: {}\n", list.len()));
                    for d in list.iter() {
                        s.push_str(&format!("  {}\n", dossier_line(d)));
                    }
                }
                s
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A dossier as `show` prints it: its line, its flags, its history.
pub fn show(ctx: &Ctx, desk: &motcua::desk::Desk, code: &str) -> Result<()> {
    ctx.emit(&desk.show(code, ctx.now)?, |v| {
        let mut s = format!("{} — {}", dossier_line(&v.dossier), v.timeliness.label());
        for f in &v.dossier.flags {
            s.push_str(&format!("\n  ! {}", f.label()));
        }
        for e in &v.events {
            s.push_str(&format!("\n  {}  {}  {}", e.occurred_at, e.kind, e.actor));
        }
        s
    });
    Ok(())
}
