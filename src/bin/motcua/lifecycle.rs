//! Every step after reception: each subcommand is one [`ActionRequest`],
//! decided by the rulebook through `Desk::perform`, then shown as `show` shows it.

use std::process::ExitCode;

use motcua::desk::{ActionRequest, SupplementInput};
use motcua::dossier::lifecycle::ReturnChannel;
use motcua::error::Result;

use crate::args::LifecycleCommand;
use crate::{dossiers, read_json, Ctx};

pub fn run(ctx: &Ctx, command: LifecycleCommand) -> Result<ExitCode> {
    let (code, request) = request_of(command)?;
    let mut desk = ctx.desk()?;
    let outcome = desk.perform(&code, &request, ctx.now)?;
    for w in &outcome.warnings {
        eprintln!("{w}");
    }
    dossiers::show(ctx, &desk, &outcome.dossier.code)?;
    Ok(ExitCode::SUCCESS)
}

fn request_of(command: LifecycleCommand) -> Result<(String, ActionRequest)> {
    use LifecycleCommand as C;
    Ok(match command {
        C::Supplement { code, input } => {
            let input: SupplementInput = read_json(&input)?;
            (code, ActionRequest::Supplement(input))
        }
        C::SupplementComplete { code } => (code, ActionRequest::SupplementComplete),
        C::Refuse { code, reason } => (code, ActionRequest::Refuse { reason }),
        C::Extend { code, new_due, reason } => (code, ActionRequest::Extend { new_due, reason }),
        C::Stop { code, reason } => (code, ActionRequest::Withdraw { reason }),
        C::Handover {
            code,
            from,
            to,
            note,
            step_due,
        } => (
            code,
            ActionRequest::Handover {
                from,
                to,
                note,
                step_due,
            },
        ),
        C::Result {
            code,
            number,
            issuer,
            issued_on,
        } => (
            code,
            ActionRequest::Result {
                number,
                issuer,
                issued_on,
            },
        ),
        C::Return {
            code,
            to,
            id_number,
            post,
        } => (
            code,
            ActionRequest::Return {
                to_name: to,
                id_number,
                how: if post {
                    ReturnChannel::Post
                } else {
                    ReturnChannel::Counter
                },
            },
        ),
        C::CloseUnsupplemented { code } => (code, ActionRequest::CloseUnsupplemented),
        C::Correct { code, reason } => (code, ActionRequest::CorrectResult { reason }),
        C::CorrectionDone { code, number } => (code, ActionRequest::CorrectionDone { number }),
    })
}
