//! `id-qr parse`, `due`, `calendar`, `lunar`: answers that need no office.
//! Where a data folder holds an office, `due` and `calendar show` use its
//! hours and marks; elsewhere the bundled calendar with default hours.
//! Nothing is created in the folder.

use std::process::ExitCode;

use serde::Serialize;

use motcua::calendar::{lunar, Calendar, CalendarData, DayKind, OfficeHours, TimeRule};
use motcua::desk::{self, Desk};
use motcua::error::Result;
use motcua::messages as msg;
use motcua::vntime;

use crate::args::{CalendarCommand, IdQrCommand, PureCommand};
use crate::Ctx;
use motcua::desk::Folder;

/// The office's calendar when the folder holds one that can be read (a
/// sealed one when `--user` signs in), else the bundled one.
fn calendar(ctx: &Ctx) -> Result<Calendar> {
    let bundled = || Ok(Calendar::new(CalendarData::bundled(), OfficeHours::default()));
    match ctx.folder() {
        Folder::Sealed if ctx.user.is_some() => ctx.desk()?.calendar(),
        Folder::Sealed | Folder::New => bundled(),
        Folder::Plain => match ctx.unsigned_desk() {
            Ok(desk) => desk.calendar(),
            Err(e) if e.code() == "not_initialised" => bundled(),
            Err(e) => Err(e),
        },
    }
}

pub fn run(ctx: &Ctx, command: PureCommand) -> Result<ExitCode> {
    match command {
        PureCommand::IdQr(IdQrCommand::Parse { string }) => {
            let q = Desk::parse_id_qr(&string)?;
            ctx.emit(&q, |q| {
                format!(
                    "{} — {} — sinh {} — {} — {}",
                    q.id_number,
                    q.full_name,
                    vntime::date_vn(q.date_of_birth),
                    q.sex.label(),
                    q.address
                )
            });
        }
        PureCommand::Due(a) => {
            let received = vntime::parse_local("received", msg::LABEL_RECEIVED_AT, &a.received)?;
            let rule = match (a.working_days, a.calendar_days, a.hours) {
                (Some(n), _, _) => TimeRule::WorkingDays(n),
                (_, Some(n), _) => TimeRule::CalendarDays(n),
                (_, _, Some(n)) => TimeRule::Hours(n),
                _ => TimeRule::SameDay,
            };
            let due = calendar(ctx)?.due(received, rule);
            #[derive(Serialize)]
            struct Due {
                due_at: String,
            }
            ctx.emit(
                &Due {
                    due_at: vntime::iso_minutes(&due),
                },
                |d| d.due_at.clone(),
            );
        }
        PureCommand::Calendar(c) => calendar_command(ctx, c)?,
        PureCommand::Lunar { date } => {
            let d = vntime::parse_date("date", msg::LABEL_DATE, &date)?;
            ctx.emit(&lunar::to_lunar(d), |l| {
                format!(
                    "Ngày {} tháng {}{} năm {} (âm lịch)",
                    l.day,
                    l.month,
                    if l.leap { " (nhuận)" } else { "" },
                    l.year
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `calendar show` (no office needed) and the admin's own marks.
fn calendar_command(ctx: &Ctx, command: CalendarCommand) -> Result<()> {
    let date_of = |s: &str| vntime::parse_date("date", msg::LABEL_DATE, s);
    let (date, kind, reason) = match command {
        CalendarCommand::Show { year } => {
            ctx.emit(&desk::calendar_year(&calendar(ctx)?, year), |y| {
                let mut s = format!(
                    "Năm {}; Tết Nguyên đán: {}",
                    y.year,
                    y.tet.map(vntime::date_vn).unwrap_or_default()
                );
                for d in &y.days_off {
                    s.push_str(&format!("\nnghỉ     {}  {}", vntime::date_vn(d.date), d.reason));
                }
                for d in &y.working_days {
                    s.push_str(&format!("\nlàm việc {}  {}", vntime::date_vn(d.date), d.reason));
                }
                s
            });
            return Ok(());
        }
        CalendarCommand::SetOff { date, reason } => (date, Some(DayKind::Off), reason),
        CalendarCommand::SetWorking { date, reason } => (date, Some(DayKind::Working), reason),
        CalendarCommand::Unset { date } => (date, None, String::new()),
    };
    ctx.desk()?.set_calendar_day(date_of(&date)?, kind, &reason, ctx.now)?;
    println!(
        "{}",
        match kind {
            Some(DayKind::Off) => format!("Đã đặt ngày {date} là ngày nghỉ."),
            Some(DayKind::Working) => format!("Đã đặt ngày {date} là ngày làm việc."),
            None => format!("Đã bỏ điều chỉnh của ngày {date}."),
        }
    );
    Ok(())
}
