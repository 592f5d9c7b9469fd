//! `init` and `catalog`: the office and the procedures it receives.

use std::process::ExitCode;

use motcua::accounts::NewAccount;
use motcua::desk::Desk;
use motcua::error::{Error, Result};
use motcua::messages as msg;
use motcua::office::OfficeSetup;

use crate::args::{CatalogCommand, FormsCommand, SetupCommand};
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
                    parent_name: a.contact.parent_name,
                    phone: a.contact.phone,
                    email: a.contact.email,
                    address: a.contact.address,
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
            let recovery_key = desk.take_recovery_key().unwrap_or_default();
            if let Some(path) = &a.recovery_sheet {
                motcua::files::write_private(path, &desk.recovery_sheet(&recovery_key, ctx.now)?)?;
                eprintln!("{}", msg::recovery_sheet_written(&path.display().to_string()));
            }
            let mut made = serde_json::to_value(&office).map_err(|e| Error::refused("serialize", e.to_string()))?;
            if let Some(o) = made.as_object_mut() {
                o.insert("recovery_key".into(), recovery_key.clone().into());
            }
            ctx.emit(&made, |_| {
                format!(
                    "Đã thiết lập {} (mã {}), quầy số {} tại {}\n\n{}",
                    office.name,
                    office.agency_code,
                    office.counter,
                    desk.data_dir().display(),
                    msg::recovery_sheet(&recovery_key)
                )
            });
        }
        SetupCommand::Recover { recovery_key, login } => {
            let password = crate::accounts::password("MOTCUA_NEW_PASSWORD", msg::NEW_PASSWORD_MISSING, true)?;
            let desk = Desk::recover(&ctx.dir(), &recovery_key, &login, &password, ctx.now)?;
            let who = desk.session().map(|s| s.actor()).unwrap_or_default();
            ctx.emit(
                &serde_json::json!({ "login": login.trim().to_lowercase(), "recovered": true }),
                |_| msg::recovered(&who),
            );
        }
        SetupCommand::Forms(c) => {
            let mut desk = ctx.desk()?;
            match c {
                FormsCommand::Show => ctx.emit(&desk.form_text_layers()?, |layers| {
                    if layers.is_empty() {
                        msg::FORM_TEXTS_SHIPPED_ONLY.to_string()
                    } else {
                        layers
                            .iter()
                            .map(|l| msg::form_text_layer(&l.layer, l.version, &l.label, l.texts))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                }),
                FormsCommand::Set { file } => {
                    let source = std::fs::read_to_string(&file).map_err(|e| Error::file(&file, e))?;
                    let layer = desk.set_form_texts(&source, ctx.now)?;
                    ctx.emit(&layer, |l| msg::form_text_layer(&l.layer, l.version, &l.label, l.texts));
                }
            }
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
