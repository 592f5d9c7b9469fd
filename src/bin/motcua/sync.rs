//! `sync` (with its status, log, attention list …) and `enroll`.

use std::process::ExitCode;

use chrono::Utc;
use serde::Serialize;

use motcua::desk::Desk;
use motcua::error::Result;
use motcua::messages as msg;
use motcua::sync::http::Transport;
use motcua::sync::run::{RunOutcome, SyncOptions, SyncReport, Trigger};

use crate::args::{SyncCommand, SyncGroupCommand};
use crate::Ctx;

pub fn run(ctx: &Ctx, command: SyncGroupCommand) -> Result<ExitCode> {
    let mut desk = ctx.desk()?;
    match command {
        SyncGroupCommand::Enroll {
            hub,
            code,
            insecure_http,
        } => {
            let transport = match insecure_http {
                true => Transport::PlainHttpAllowed,
                false => Transport::TlsOnly,
            };
            let answer = desk.enroll(&hub, &code, transport, ctx.now)?;
            #[derive(Serialize)]
            struct Enrolled {
                hub: String,
                agency_code: String,
                office_name: String,
                counter: u32,
            }
            ctx.emit(
                &Enrolled {
                    hub: desk.sync_status()?.hub_url.unwrap_or_default(),
                    agency_code: answer.agency_code,
                    office_name: answer.office_name,
                    counter: answer.counter,
                },
                |e| {
                    format!(
                        "Đã đăng ký quầy {} của {} ({}) với {}",
                        e.counter, e.office_name, e.agency_code, e.hub
                    )
                },
            );
            Ok(ExitCode::SUCCESS)
        }
        SyncGroupCommand::Sync { what: None } => sync_once(ctx, &mut desk),
        SyncGroupCommand::Sync { what: Some(what) } => {
            sync_command(ctx, &mut desk, what)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Exit codes of `motcua sync` (documented in `--help` and the README).
fn sync_exit(report: &SyncReport) -> u8 {
    match (report.outcome, report.error.as_ref().map(|e| e.code)) {
        (RunOutcome::Done, _) => 0,
        (RunOutcome::Attention, _) => 4,
        (RunOutcome::Failed, Some("sync_auth")) => 6,
        (RunOutcome::Failed, _) => 5,
    }
}

fn sync_once(ctx: &Ctx, desk: &mut Desk) -> Result<ExitCode> {
    let options = SyncOptions::new(Trigger::Cli);
    let report = match desk.sync(&options, &Utc::now, &mut |_| {}) {
        Ok(r) => r,
        Err(e) if e.code() == "not_enrolled" => {
            eprintln!("{e}");
            return Ok(ExitCode::from(7));
        }
        Err(e) => return Err(e),
    };
    ctx.emit(&report, |r| {
        let mut s = format!(
            "Đã gửi {} sự kiện (mới {}, đã có {}, bị từ chối {}); nhận {} thay đổi, áp dụng {}.",
            r.pushed.sent, r.pushed.accepted, r.pushed.duplicate, r.pushed.rejected, r.pulled.changes, r.pulled.applied
        );
        if r.restored.added + r.restored.completed + r.restored.refused > 0 {
            s.push('\n');
            s.push_str(&msg::restored_summary(
                r.restored.added,
                r.restored.completed,
                r.restored.completed_events,
                r.restored.refused,
            ));
        }
        if let Some(w) = &r.clock_warning {
            s.push_str(&format!("\nCẢNH BÁO: {w}"));
        }
        if let Some(e) = &r.error {
            s.push_str(&format!("\nChưa xong ({}): {}", e.code, e.message));
        }
        if r.outcome == RunOutcome::Attention {
            s.push_str("\nCó mục cần xử lý: xem «motcua sync attention».");
        }
        s
    });
    Ok(ExitCode::from(sync_exit(&report)))
}

fn sync_command(ctx: &Ctx, desk: &mut Desk, what: SyncCommand) -> Result<()> {
    match what {
        SyncCommand::Status => {
            let st = desk.sync_status()?;
            #[derive(Serialize)]
            struct Status {
                pending: i64,
                rejected: i64,
                last_success_at: Option<String>,
                cursor: i64,
            }
            ctx.emit(
                &Status {
                    pending: st.pending,
                    rejected: st.rejected,
                    last_success_at: st.last_success_at.clone(),
                    cursor: st.cursor,
                },
                |s| {
                    format!(
                        "Chờ gửi: {}; bị từ chối: {}; đồng bộ thành công gần nhất: {}; con trỏ: {}{}",
                        s.pending,
                        s.rejected,
                        s.last_success_at.as_deref().unwrap_or("chưa có"),
                        s.cursor,
                        st.clock_warning
                            .as_deref()
                            .map(|w| format!("\nCẢNH BÁO: {w}"))
                            .unwrap_or_default()
                    )
                },
            );
        }
        SyncCommand::Log { limit } => ctx.emit(&desk.sync_log(limit)?, |rows| {
            rows.iter()
                .map(|r| {
                    format!(
                        "{} {:<5} {:<7} {:<6} gửi {} nhận {} từ chối {} thử lại {} {}",
                        r.started_at,
                        r.phase,
                        r.trigger,
                        r.outcome,
                        r.sent,
                        r.pulled,
                        r.rejected,
                        r.retries,
                        r.error_text.as_deref().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        SyncCommand::Attention => ctx.emit(&desk.needs_attention()?, |items| {
            if items.is_empty() {
                return "Không có mục nào cần xử lý.".to_string();
            }
            items
                .iter()
                .map(|i| {
                    format!(
                        "{}  {}  {}: {}",
                        i.dossier_code.as_deref().unwrap_or("-"),
                        i.event_kind,
                        i.code,
                        i.message
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        SyncCommand::RetryRejected => {
            let n = desk.retry_rejected()?;
            ctx.emit(&serde_json::json!({ "requeued": n }), |_| {
                format!("{n} sự kiện sẽ được gửi lại ở lần đồng bộ sau.")
            });
        }
        SyncCommand::DayEnd { at } => {
            let t = desk.set_day_end(&at)?;
            ctx.emit(&serde_json::json!({ "day_end_at": t }), |_| {
                format!("Đồng bộ cuối ngày lúc {t}.")
            });
        }
    }
    Ok(())
}
