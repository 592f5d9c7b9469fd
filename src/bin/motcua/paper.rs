//! `print`, `printers`, `book`: paper and the files that stand for it.

use std::process::ExitCode;

use serde::Serialize;

use motcua::error::Result;
use motcua::messages as msg;
use motcua::print::{Form, Paper};
use motcua::vntime;

use crate::args::PaperCommand;
use crate::Ctx;

pub fn run(ctx: &Ctx, command: PaperCommand) -> Result<ExitCode> {
    match command {
        PaperCommand::Print {
            form,
            code,
            out,
            printer,
            a5,
            copies,
        } => {
            let mut desk = ctx.desk()?;
            let form = Form::parse(&form)?;
            let paper = if a5 { Paper::A5 } else { Paper::A4 };
            let outcome = desk.print_form(form, &code, out.as_deref(), printer.as_deref(), paper, copies, ctx.now)?;
            // With `--out -` the PDF itself went to standard output: say nothing there.
            if outcome.out.as_deref() == Some("-") {
                eprintln!(
                    "{}",
                    msg::printed_summary(form, &outcome.code, outcome.pages, &outcome.archived)
                );
                return Ok(ExitCode::SUCCESS);
            }
            ctx.emit(&outcome, |o| {
                let mut s = msg::printed_summary(form, &o.code, o.pages, &o.archived);
                if let Some(out) = &o.out {
                    s.push_str(&format!("\nBản sao: {out}"));
                }
                if let Some(p) = &o.printer {
                    s.push_str(&format!("\nĐã gửi tới máy in {p} ({})", o.job.as_deref().unwrap_or("")));
                }
                s
            });
        }
        PaperCommand::Printers => {
            ctx.emit(&ctx.desk()?.printers()?, |ps| {
                if ps.is_empty() {
                    "Hệ điều hành chưa có máy in nào.".to_string()
                } else {
                    ps.join("\n")
                }
            });
        }
        PaperCommand::Book { from, to, out } => {
            let desk = ctx.desk()?;
            let from = vntime::parse_date("from", msg::LABEL_DATE, &from)?;
            let to = vntime::parse_date("to", msg::LABEL_DATE, &to)?;
            let n = desk.tracking_book(from, to, &out, ctx.now)?;
            #[derive(Serialize)]
            struct Book {
                out: String,
                rows: usize,
            }
            ctx.emit(
                &Book {
                    out: out.display().to_string(),
                    rows: n,
                },
                |b| format!("Đã ghi sổ theo dõi ({} hồ sơ): {}", b.rows, b.out),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
