//! `report` and `demo-data`: the period's figures, and invented dossiers
//! for a training office.

use std::process::ExitCode;

use motcua::error::Result;
use motcua::messages as msg;
use motcua::office::OfficeSetup;
use motcua::vntime;

use crate::args::ReportCommand;
use crate::Ctx;
use motcua::desk::Folder;

pub fn run(ctx: &Ctx, command: ReportCommand) -> Result<ExitCode> {
    match command {
        ReportCommand::Report { from, to, xlsx, pdf } => {
            let desk = ctx.desk()?;
            let from = vntime::parse_date("from", msg::LABEL_DATE, &from)?;
            let to = vntime::parse_date("to", msg::LABEL_DATE, &to)?;
            let report = desk.report(from, to, ctx.now)?;
            let files = desk.report_files(&report, xlsx.as_deref(), pdf.as_deref())?;
            ctx.emit(&report, |r| {
                let mut s = msg::report_summary(r);
                for f in [&files.xlsx, &files.pdf].into_iter().flatten() {
                    s.push_str(&format!("\nĐã ghi {f}"));
                }
                s
            });
        }
        ReportCommand::DemoData {
            from,
            to,
            dossiers,
            late_share,
            seed,
        } => {
            let plan = motcua::demo::DemoPlan {
                from: vntime::parse_date("from", msg::LABEL_DATE, &from)?,
                to: vntime::parse_date("to", msg::LABEL_DATE, &to)?,
                dossiers,
                late_share: late_share.clamp(0.0, 1.0),
                seed,
            };
            // In an empty folder: a training office with a demo admin, set up
            // the day before the period (nothing may be dated before it).
            let set_up = ctx.folder() == Folder::Sealed || ctx.unsigned_desk().is_ok();
            let (mut desk, account) = match set_up {
                true => (ctx.desk()?, None),
                false => {
                    let mut desk = ctx.new_desk()?;
                    let admin = motcua::demo::demo_admin()?;
                    let set_up = motcua::demo::set_up_time(plan.from);
                    desk.init(&demo_office(), &admin, set_up)?;
                    (desk, Some(admin))
                }
            };
            let json = ctx.json;
            let mut summary = motcua::demo::fill(&mut desk, &plan, |n| {
                if !json && n % 10_000 == 0 {
                    eprintln!("… {n} hồ sơ");
                }
            })?;
            let recovery_key = desk.take_recovery_key().unwrap_or_default();
            summary.account = account.map(|a| motcua::demo::DemoAccount {
                login: a.login,
                password: a.password,
                recovery_key,
            });
            ctx.emit(&summary, |s| {
                let mut text = format!(
                    "Đã tạo {} hồ sơ, {} sự kiện ({} bổ sung, {} gia hạn, {} rút, {} từ chối, {} có kết quả, {} quá hạn, {} đã trả, {} còn đang giải quyết).",
                    s.dossiers, s.events, s.supplements, s.extensions, s.withdrawn, s.refused, s.results,
                    s.late_results, s.returned, s.still_open
                );
                if let Some(a) = &s.account {
                    text.push_str(&format!("\nTài khoản quản trị của cơ quan dùng thử: {} / mật khẩu {}", a.login, a.password));
                }
                text
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The training office `demo-data` makes in an empty data folder.
fn demo_office() -> OfficeSetup {
    OfficeSetup {
        office_name: "Trung tâm Phục vụ hành chính công xã Dùng Thử (đào tạo)".into(),
        parent_name: Some("Ủy ban nhân dân xã Dùng Thử".into()),
        agency_code: "000.00.99.H04".into(),
        place: "Cao Bằng".into(),
        counter: 1,
        clerks: Vec::new(),
        training: true,
        ..OfficeSetup::default()
    }
}
