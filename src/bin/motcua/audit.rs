//! `audit verify` and `audit rebuild`: the tamper-evident trail.

use std::process::ExitCode;

use motcua::error::Result;
use motcua::messages as msg;

use crate::args::AuditCommand;
use crate::Ctx;

pub fn run(ctx: &Ctx, command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Verify => {
            let report = ctx.desk()?.audit(None)?;
            ctx.emit(&report, |r| match &r.first_bad {
                None => msg::audit_ok(r.events),
                Some(b) => msg::audit_bad(&b.reason, b.seq, &b.id),
            });
            Ok(if report.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCommand::Rebuild => {
            let rebuilt = ctx.desk()?.audit_rebuild()?;
            ctx.emit(&rebuilt, |r| msg::audit_rebuilt(r.rebuilt, r.refused.len()));
            Ok(ExitCode::SUCCESS)
        }
    }
}
