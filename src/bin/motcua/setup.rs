//! `init` and `catalog`: the office and the procedures it receives.

use std::process::ExitCode;

use motcua::accounts::NewAccount;
use motcua::error::{Error, Result};
use motcua::messages as msg;
use motcua::office::OfficeSetup;

use crate::args::{CatalogCommand, SetupCommand};
use crate::Ctx;

pub fn run(ctx: &Ctx, command: SetupCommand) -> Result<ExitCode> {
    match command {
        SetupCommand::Init(a) => {
            let mut desk = ctx.new_desk()?;
            let password = crate::accounts::password("MOTCUA_PASSWORD", msg::NEW_PASSWORD_MISSING, true)?;
            let admin = NewAccount {
                login: a.admin,
                full_name: a.admin_name,
                roles: vec!["admin".into()],
                password,
            };
            let office = desk.init(
                &OfficeSetup {
                    office_name: a.office_name,
                    agency_code: a.agency_code,
                    place: a.place,
                    counter: a.counter,
                    clerks: a.clerk,
                    morning: a.morning,
                    afternoon: a.afternoon,
                    saturday_morning: a.saturday_morning,
                    same_day_cutoff: a.same_day_cutoff,
                    training: a.training,
                },
                &admin,
                ctx.now,
            )?;
            ctx.emit(&office, |o| {
                format!(
                    "Đã thiết lập {} (mã {}), quầy số {} tại {}",
                    o.name,
                    o.agency_code,
                    o.counter,
                    desk.data_dir().display()
                )
            });
        }
        SetupCommand::Catalog(c) => {
            let mut desk = ctx.desk()?;
            match c {
                CatalogCommand::List => ctx.emit(&desk.procedures()?, |ps| {
                    let cutoff = desk.office().map(|o| o.hours.same_day_cutoff).unwrap_or_default();
                    ps.iter()
                        .map(|p| format!("{:<24} {}  [{}; {}]", p.code, p.name, p.field, p.time.describe(cutoff)))
                        .collect::<Vec<_>>()
                        .join("\n")
                }),
                CatalogCommand::Show { code } => ctx.emit(&desk.procedure(&code)?, |p| {
                    serde_json::to_string_pretty(p).unwrap_or_default()
                }),
                CatalogCommand::Import { file, replace } => {
                    let source = std::fs::read_to_string(&file).map_err(|e| Error::file(&file, e))?;
                    let v = desk.import_catalog(&source, replace, ctx.now)?;
                    ctx.emit(&v, |v| {
                        format!(
                            "Đã nhập danh mục “{}”: phiên bản {}, {} thủ tục.",
                            v.label, v.id, v.procedure_count
                        )
                    });
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
