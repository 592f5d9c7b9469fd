//! `motcua`: the headless CLI over the same core the app uses.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use motcua::calendar::{lunar, DayKind, TimeRule};
use motcua::desk::{Desk, SupplementInput};
use motcua::dossier::lifecycle::ReturnChannel;
use motcua::dossier::{Dossier, ReceptionInput};
use motcua::error::{Error, ErrorReport, Result};
use motcua::messages as msg;
use motcua::office::OfficeSetup;
use motcua::print::{Form, Paper};
use motcua::sync::run::{RunOutcome, SyncOptions, SyncReport, Trigger};
use motcua::vntime;

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "Bộ phận Một cửa cấp xã: tiếp nhận hồ sơ, cấp mã, in giấy hẹn — không cần mạng"
)]
struct Cli {
    /// Thư mục dữ liệu (mặc định: MOTCUA_DATA_DIR hoặc thư mục dữ liệu ứng dụng của hệ điều hành)
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// In kết quả dạng JSON
    #[arg(long, global = true)]
    json: bool,
    /// Chạy lệnh như thể đang ở thời điểm này (giờ Việt Nam) — chỉ cho cơ quan dùng thử
    #[arg(long, global = true, value_name = "YYYY-MM-DDTHH:MM")]
    now: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Thiết lập cơ quan và quầy lần đầu (kèm danh mục thủ tục mặc định)
    Init(InitArgs),
    /// Danh mục thủ tục hành chính
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Tiếp nhận một hồ sơ từ tệp JSON (hoặc "-" cho đầu vào chuẩn)
    Receive {
        #[arg(long, value_name = "FILE|-")]
        input: String,
        /// Công chức tiếp nhận (mặc định: người đang trực quầy)
        #[arg(long)]
        clerk: Option<String>,
    },
    /// Xem một hồ sơ và lịch sử của nó
    Show { code: String },
    /// Tìm hồ sơ theo mã, họ tên (không cần dấu), số định danh, số điện thoại
    Search { query: String },
    /// Danh sách hồ sơ tiếp nhận trong một ngày (mặc định hôm nay)
    List {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// In phiếu: receipt, supplement, refusal, extension, stop, control, return
    Print {
        form: String,
        code: String,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        printer: Option<String>,
        #[arg(long)]
        a5: bool,
        #[arg(long, default_value_t = 1)]
        copies: u32,
    },
    /// Mã QR trên thẻ căn cước
    #[command(subcommand, name = "id-qr")]
    IdQr(IdQrCommand),
    /// Tính ngày hẹn trả
    Due(DueArgs),
    /// Lịch làm việc, ngày nghỉ lễ
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Đổi ngày dương lịch sang âm lịch
    Lunar {
        #[arg(value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// Các máy in hệ điều hành biết
    Printers,
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (tệp JSON: {reason, documents: [{name, form, count}]})
    Supplement {
        code: String,
        #[arg(long, value_name = "FILE|-")]
        input: String,
    },
    /// Người dân đã nộp đủ hồ sơ bổ sung: tính lại thời hạn từ đầu
    SupplementComplete { code: String },
    /// Từ chối giải quyết hồ sơ, ghi rõ lý do
    Refuse {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Gia hạn, hẹn lại ngày trả kết quả (một lần)
    Extend {
        code: String,
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        new_due: String,
        #[arg(long)]
        reason: String,
    },
    /// Dừng giải quyết theo đề nghị của người nộp (rút hồ sơ)
    Stop {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Bàn giao hồ sơ giữa Bộ phận Một cửa và cơ quan giải quyết
    Handover {
        code: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Ghi nhận đã có kết quả giải quyết
    Result {
        code: String,
        #[arg(long)]
        number: String,
        #[arg(long)]
        issuer: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        issued_on: Option<String>,
    },
    /// Trả kết quả cho người đến nhận (đã đối chiếu giấy tờ tùy thân)
    Return {
        code: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        id_number: String,
        /// Trả qua bưu chính thay vì tại quầy
        #[arg(long)]
        post: bool,
    },
    /// Kết thúc hồ sơ quá 15 ngày không bổ sung
    CloseUnsupplemented { code: String },
    /// Kết quả có sai sót của cơ quan: ghi nhận yêu cầu đính chính (trong 3 ngày làm việc)
    Correct {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Đã đính chính kết quả (số văn bản mới)
    CorrectionDone {
        code: String,
        #[arg(long)]
        number: String,
    },
    /// Bảng việc cần làm: quá hạn, đến hạn hôm nay, ngày mai, chờ bổ sung, chờ trả
    Board,
    /// Đồng bộ với máy chủ tỉnh (một lần). Mã thoát: 0 xong; 4 xong nhưng có mục cần xử lý;
    /// 5 không kết nối được hoặc máy chủ lỗi (sẽ thử lại sau); 6 máy chủ không chấp nhận quầy (đăng ký lại);
    /// 7 quầy chưa đăng ký
    Sync {
        #[command(subcommand)]
        what: Option<SyncCommand>,
    },
    /// Đăng ký quầy này với máy chủ tỉnh bằng mã một lần
    Enroll {
        #[arg(long, value_name = "URL")]
        hub: String,
        #[arg(long)]
        code: String,
    },
    /// Số liệu giải quyết TTHC của một kỳ (Biểu 06, chỉ số Quyết định 766)
    Report {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// Ghi bảng ra tệp .xlsx
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Ghi bảng ra tệp .pdf
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// Tạo dữ liệu mẫu (chỉ trong cơ quan dùng thử) qua đúng các thao tác của công chức
    DemoData {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        #[arg(long)]
        dossiers: u64,
        /// Tỷ lệ hồ sơ có kết quả quá hạn (0–1)
        #[arg(long, default_value_t = 0.05)]
        late_share: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Sổ theo dõi hồ sơ của một khoảng thời gian, ra tệp .pdf hoặc .xlsx
    Book {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum SyncCommand {
    /// Số sự kiện chờ gửi, bị từ chối, lần đồng bộ thành công gần nhất, con trỏ
    Status,
    /// Nhật ký đồng bộ (mỗi giai đoạn một dòng)
    Log {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Danh sách cần xử lý: sự kiện tỉnh từ chối, thông tin tỉnh gửi chưa áp dụng được
    Attention,
    /// Gửi lại các sự kiện bị từ chối ở lần đồng bộ sau
    RetryRejected,
    /// Giờ đồng bộ cuối ngày (HH:MM)
    DayEnd { at: String },
}

#[derive(Args)]
struct InitArgs {
    #[arg(long)]
    office_name: String,
    #[arg(long)]
    agency_code: String,
    #[arg(long)]
    place: String,
    #[arg(long)]
    counter: i64,
    /// Tên công chức tiếp nhận (lặp lại cho nhiều người)
    #[arg(long, required = true)]
    clerk: Vec<String>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    morning: Option<String>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    afternoon: Option<String>,
    /// Quầy tiếp nhận cả sáng thứ Bảy
    #[arg(long)]
    saturday_morning: bool,
    /// Giờ chốt của thủ tục giải quyết trong ngày (mặc định 15:00)
    #[arg(long, value_name = "HH:MM")]
    same_day_cutoff: Option<String>,
    /// Cơ quan dùng thử để đào tạo, trình diễn: mọi phiếu in có dòng "BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ",
    /// không bao giờ đồng bộ với tỉnh, được dùng --now
    #[arg(long)]
    training: bool,
}

#[derive(Subcommand)]
enum CatalogCommand {
    List,
    Show {
        code: String,
    },
    Import {
        file: PathBuf,
        /// Thay toàn bộ danh mục (mặc định: bổ sung, thay các thủ tục trùng mã)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
enum IdQrCommand {
    Parse { string: String },
}

#[derive(Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("rule").required(true).multiple(false)))]
struct DueArgs {
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
    received: String,
    #[arg(long, group = "rule")]
    working_days: Option<u32>,
    #[arg(long, group = "rule")]
    calendar_days: Option<u32>,
    #[arg(long, group = "rule")]
    hours: Option<u32>,
    #[arg(long, group = "rule")]
    same_day: bool,
}

#[derive(Subcommand)]
enum CalendarCommand {
    Show {
        year: i32,
    },
    SetOff {
        date: String,
        #[arg(long)]
        reason: String,
    },
    SetWorking {
        date: String,
        #[arg(long)]
        reason: String,
    },
    Unset {
        date: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("MOTCUA_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    match clock(&cli).and_then(|now| run(cli, now)) {
        Ok(code) => code,
        Err(e) => {
            if json {
                let report = ErrorReport::from(&e);
                eprintln!(
                    "{}",
                    serde_json::to_string(&serde_json::json!({ "error": report })).unwrap_or_default()
                );
            } else {
                eprintln!("Lỗi: {e}");
            }
            match e {
                Error::Invalid { .. } | Error::InvalidMany(_) => ExitCode::from(2),
                Error::NotFound { .. } => ExitCode::from(3),
                _ => ExitCode::from(1),
            }
        }
    }
}

/// The moment the command runs at: now, or `--now` in a training office
/// (a trainer replays a month in minutes). A real office refuses `--now`.
fn clock(cli: &Cli) -> Result<DateTime<Utc>> {
    let Some(at) = &cli.now else {
        return Ok(Utc::now());
    };
    let allowed = match &cli.command {
        Command::Init(a) => a.training,
        _ => open(&cli.data_dir)?.office().map(|o| o.training).unwrap_or(false),
    };
    if !allowed {
        return Err(Error::refused("now_needs_training", msg::NOW_NEEDS_TRAINING));
    }
    Ok(vntime::parse_local("now", "--now", at)?.with_timezone(&Utc))
}

fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", human(value));
    }
}

fn open(cli_dir: &Option<PathBuf>) -> Result<Desk> {
    Desk::open(&Desk::resolve_data_dir(cli_dir.clone()))
}

fn read_input(spec: &str) -> Result<String> {
    let mut s = String::new();
    if spec == "-" {
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::file("-", e))?;
    } else {
        s = std::fs::read_to_string(spec).map_err(|e| Error::file(spec, e))?;
    }
    Ok(s)
}

/// After an action: the dossier as `show` prints it.
fn show_after(desk: &Desk, json: bool, code: &str, now: DateTime<Utc>) -> Result<()> {
    emit(json, &desk.show(code, now)?, |v| {
        format!("{} — {}", dossier_line(&v.dossier), v.timeliness.label())
    });
    Ok(())
}

fn dossier_line(d: &Dossier) -> String {
    format!(
        "{}  {}  {}  hẹn trả {}  [{}]",
        d.code,
        d.applicant.full_name,
        d.procedure.name,
        d.due_at,
        d.status.label()
    )
}

fn run(cli: Cli, now: DateTime<Utc>) -> Result<ExitCode> {
    let json = cli.json;
    match cli.command {
        Command::Sync { what } => return sync_command(&cli.data_dir, json, what),
        Command::Enroll { hub, code } => {
            let mut desk = open(&cli.data_dir)?;
            let answer = desk.enroll(&hub, &code)?;
            #[derive(Serialize)]
            struct Enrolled {
                hub: String,
                agency_code: String,
                office_name: String,
                counter: u32,
            }
            emit(
                json,
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
        }
        Command::Init(a) => {
            let mut desk = open(&cli.data_dir)?;
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
                now,
            )?;
            emit(json, &office, |o| {
                format!(
                    "Đã thiết lập {} (mã {}), quầy số {} tại {}",
                    o.name,
                    o.agency_code,
                    o.counter,
                    desk.data_dir().display()
                )
            });
        }
        Command::Catalog(c) => {
            let mut desk = open(&cli.data_dir)?;
            match c {
                CatalogCommand::List => emit(json, &desk.procedures()?, |ps| {
                    let cutoff = desk.office().map(|o| o.hours.same_day_cutoff).unwrap_or_default();
                    ps.iter()
                        .map(|p| format!("{:<24} {}  [{}; {}]", p.code, p.name, p.field, p.time.describe(cutoff)))
                        .collect::<Vec<_>>()
                        .join("\n")
                }),
                CatalogCommand::Show { code } => emit(json, &desk.procedure(&code)?, |p| {
                    serde_json::to_string_pretty(p).unwrap_or_default()
                }),
                CatalogCommand::Import { file, replace } => {
                    let source = std::fs::read_to_string(&file).map_err(|e| Error::file(&file, e))?;
                    let v = desk.import_catalog(&source, replace, now)?;
                    emit(json, &v, |v| {
                        format!(
                            "Đã nhập danh mục “{}”: phiên bản {}, {} thủ tục.",
                            v.label, v.id, v.procedure_count
                        )
                    });
                }
            }
        }
        Command::Receive { input, clerk } => {
            let mut desk = open(&cli.data_dir)?;
            let raw = read_input(&input)?;
            let parsed: ReceptionInput = serde_json::from_str(&raw).map_err(|e| {
                Error::invalid(
                    "input_json",
                    "input",
                    msg::input_json(e.line(), e.column(), &e.to_string()),
                )
            })?;
            let d = desk.receive(&parsed, clerk.as_deref(), now)?;
            emit(json, &d, |d| format!("Đã tiếp nhận: {}", dossier_line(d)));
        }
        Command::Show { code } => {
            let desk = open(&cli.data_dir)?;
            emit(json, &desk.show(&code, now)?, |v| {
                let mut s = dossier_line(&v.dossier);
                for e in &v.events {
                    s.push_str(&format!("\n  {}  {}  {}", e.occurred_at, e.kind, e.actor));
                }
                s
            });
        }
        Command::Search { query } => {
            let desk = open(&cli.data_dir)?;
            emit(json, &desk.search(&query)?, |ds| {
                if ds.is_empty() {
                    "Không tìm thấy hồ sơ nào.".to_string()
                } else {
                    ds.iter().map(dossier_line).collect::<Vec<_>>().join("\n")
                }
            });
        }
        Command::List { date } => {
            let desk = open(&cli.data_dir)?;
            let day = match date {
                Some(d) => vntime::parse_date("date", msg::LABEL_DATE, &d)?,
                None => vntime::from_utc(now).date_naive(),
            };
            emit(json, &desk.received_on(day)?, |ds| {
                if ds.is_empty() {
                    format!("Không có hồ sơ nào tiếp nhận ngày {}.", vntime::date_vn(day))
                } else {
                    ds.iter().map(dossier_line).collect::<Vec<_>>().join("\n")
                }
            });
        }
        Command::Print {
            form,
            code,
            out,
            printer,
            a5,
            copies,
        } => {
            let mut desk = open(&cli.data_dir)?;
            let form = Form::parse(&form)?;
            let paper = if a5 { Paper::A5 } else { Paper::A4 };
            let outcome = desk.print_form(form, &code, out.as_deref(), printer.as_deref(), paper, copies, now)?;
            emit(json, &outcome, |o| {
                let mut s = format!(
                    "Đã lưu {} {} ({} trang): {}",
                    msg::form_label(form),
                    o.code,
                    o.pages,
                    o.archived
                );
                if let Some(out) = &o.out {
                    s.push_str(&format!("\nBản sao: {out}"));
                }
                if let Some(p) = &o.printer {
                    s.push_str(&format!("\nĐã gửi tới máy in {p} ({})", o.job.as_deref().unwrap_or("")));
                }
                s
            });
        }
        Command::IdQr(IdQrCommand::Parse { string }) => {
            let q = Desk::parse_id_qr(&string)?;
            emit(json, &q, |q| {
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
        Command::Due(a) => {
            let desk = open(&cli.data_dir)?;
            let received = vntime::parse_local("received", msg::LABEL_RECEIVED_AT, &a.received)?;
            let rule = match (a.working_days, a.calendar_days, a.hours) {
                (Some(n), _, _) => TimeRule::WorkingDays(n),
                (_, Some(n), _) => TimeRule::CalendarDays(n),
                (_, _, Some(n)) => TimeRule::Hours(n),
                _ => TimeRule::SameDay,
            };
            let due = desk.due(received, rule)?;
            #[derive(Serialize)]
            struct Due {
                due_at: String,
            }
            emit(
                json,
                &Due {
                    due_at: vntime::iso_minutes(&due),
                },
                |d| d.due_at.clone(),
            );
        }
        Command::Calendar(c) => {
            let mut desk = open(&cli.data_dir)?;
            let date_of = |s: &str| vntime::parse_date("date", msg::LABEL_DATE, s);
            match c {
                CalendarCommand::Show { year } => {
                    emit(json, &desk.calendar_year(year)?, |y| {
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
                }
                CalendarCommand::SetOff { date, reason } => {
                    desk.set_calendar_day(date_of(&date)?, Some(DayKind::Off), &reason, now)?;
                    println!("Đã đặt ngày {date} là ngày nghỉ.");
                }
                CalendarCommand::SetWorking { date, reason } => {
                    desk.set_calendar_day(date_of(&date)?, Some(DayKind::Working), &reason, now)?;
                    println!("Đã đặt ngày {date} là ngày làm việc.");
                }
                CalendarCommand::Unset { date } => {
                    desk.set_calendar_day(date_of(&date)?, None, "", now)?;
                    println!("Đã bỏ điều chỉnh của ngày {date}.");
                }
            }
        }
        Command::Lunar { date } => {
            let d = vntime::parse_date("date", msg::LABEL_DATE, &date)?;
            emit(json, &lunar::to_lunar(d), |l| {
                format!(
                    "Ngày {} tháng {}{} năm {} (âm lịch)",
                    l.day,
                    l.month,
                    if l.leap { " (nhuận)" } else { "" },
                    l.year
                )
            });
        }
        Command::Supplement { code, input } => {
            let mut desk = open(&cli.data_dir)?;
            let raw = read_input(&input)?;
            let parsed: SupplementInput = serde_json::from_str(&raw).map_err(|e| {
                Error::invalid(
                    "input_json",
                    "input",
                    msg::input_json(e.line(), e.column(), &e.to_string()),
                )
            })?;
            let d = desk.request_supplement(&code, &parsed, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::SupplementComplete { code } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.complete_supplement(&code, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Refuse { code, reason } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.refuse(&code, &reason, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Extend { code, new_due, reason } => {
            let mut desk = open(&cli.data_dir)?;
            let new_due = vntime::parse_local("new_due", msg::LABEL_NEW_DUE, &new_due)?;
            let outcome = desk.extend(&code, new_due, &reason, now)?;
            for w in &outcome.warnings {
                eprintln!("{w}");
            }
            show_after(&desk, json, &outcome.dossier.code, now)?;
        }
        Command::Stop { code, reason } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.withdraw(&code, &reason, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Handover { code, from, to, note } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.handover(&code, &from, &to, note.as_deref(), now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Result {
            code,
            number,
            issuer,
            issued_on,
        } => {
            let mut desk = open(&cli.data_dir)?;
            let on = issued_on
                .map(|s| vntime::parse_date("issued_on", msg::LABEL_DATE, &s))
                .transpose()?;
            let d = desk.record_result(&code, &number, &issuer, on, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Return {
            code,
            to,
            id_number,
            post,
        } => {
            let mut desk = open(&cli.data_dir)?;
            let how = if post {
                ReturnChannel::Post
            } else {
                ReturnChannel::Counter
            };
            let d = desk.return_result(&code, &to, &id_number, how, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Correct { code, reason } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.request_correction(&code, &reason, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::CorrectionDone { code, number } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.correction_done(&code, &number, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::CloseUnsupplemented { code } => {
            let mut desk = open(&cli.data_dir)?;
            let d = desk.close_unsupplemented(&code, now)?;
            show_after(&desk, json, &d.code, now)?;
        }
        Command::Book { from, to, out } => {
            let desk = open(&cli.data_dir)?;
            let from = vntime::parse_date("from", msg::LABEL_DATE, &from)?;
            let to = vntime::parse_date("to", msg::LABEL_DATE, &to)?;
            let n = desk.tracking_book(from, to, &out, now)?;
            #[derive(Serialize)]
            struct Book {
                out: String,
                rows: usize,
            }
            emit(
                json,
                &Book {
                    out: out.display().to_string(),
                    rows: n,
                },
                |b| format!("Đã ghi sổ theo dõi ({} hồ sơ): {}", b.rows, b.out),
            );
        }
        Command::Report { from, to, xlsx, pdf } => {
            let desk = open(&cli.data_dir)?;
            let from = vntime::parse_date("from", msg::LABEL_DATE, &from)?;
            let to = vntime::parse_date("to", msg::LABEL_DATE, &to)?;
            let report = desk.report(from, to, now)?;
            let files = desk.report_files(&report, xlsx.as_deref(), pdf.as_deref())?;
            emit(json, &report, |r| {
                let mut s = msg::report_summary(r);
                for f in [&files.xlsx, &files.pdf].into_iter().flatten() {
                    s.push_str(&format!("\nĐã ghi {f}"));
                }
                s
            });
        }
        Command::DemoData {
            from,
            to,
            dossiers,
            late_share,
            seed,
        } => {
            let mut desk = open(&cli.data_dir)?;
            if desk.store().office()?.is_none() {
                desk.init(&demo_office(), now)?;
            }
            let plan = motcua::demo::DemoPlan {
                from: vntime::parse_date("from", msg::LABEL_DATE, &from)?,
                to: vntime::parse_date("to", msg::LABEL_DATE, &to)?,
                dossiers,
                late_share: late_share.clamp(0.0, 1.0),
                seed,
            };
            let summary = motcua::demo::fill(&mut desk, &plan, |n| {
                if !json && n % 10_000 == 0 {
                    eprintln!("… {n} hồ sơ");
                }
            })?;
            emit(json, &summary, |s| {
                format!(
                    "Đã tạo {} hồ sơ, {} sự kiện ({} bổ sung, {} gia hạn, {} rút, {} từ chối, {} có kết quả, {} quá hạn, {} đã trả, {} còn đang giải quyết).",
                    s.dossiers, s.events, s.supplements, s.extensions, s.withdrawn, s.refused, s.results,
                    s.late_results, s.returned, s.still_open
                )
            });
        }
        Command::Board => {
            let desk = open(&cli.data_dir)?;
            emit(json, &desk.due_board(now)?, |b| {
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
        Command::Printers => {
            let desk = open(&cli.data_dir)?;
            emit(json, &desk.printers()?, |ps| {
                if ps.is_empty() {
                    "Hệ điều hành chưa có máy in nào.".to_string()
                } else {
                    ps.join("\n")
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The training office `demo-data` makes in an empty data folder.
fn demo_office() -> OfficeSetup {
    OfficeSetup {
        office_name: "UBND xã Dùng Thử (đào tạo)".into(),
        agency_code: "000.00.99.H04".into(),
        place: "Cao Bằng".into(),
        counter: 1,
        clerks: vec!["Nông Thị Lan".into(), "Hoàng Văn Minh".into()],
        training: true,
        ..OfficeSetup::default()
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

fn sync_command(data_dir: &Option<PathBuf>, json: bool, what: Option<SyncCommand>) -> Result<ExitCode> {
    let mut desk = open(data_dir)?;
    match what {
        None => {
            let options = SyncOptions::new(Trigger::Cli);
            let report = match desk.sync(&options, &Utc::now, &mut |_| {}) {
                Ok(r) => r,
                Err(e) if e.code() == "not_enrolled" => {
                    eprintln!("{e}");
                    return Ok(ExitCode::from(7));
                }
                Err(e) => return Err(e),
            };
            emit(json, &report, |r| {
                let mut s = format!(
                    "Đã gửi {} sự kiện (mới {}, đã có {}, bị từ chối {}); nhận {} thay đổi, áp dụng {}.",
                    r.pushed.sent,
                    r.pushed.accepted,
                    r.pushed.duplicate,
                    r.pushed.rejected,
                    r.pulled.changes,
                    r.pulled.applied
                );
                if r.restored.added + r.restored.refused > 0 {
                    s.push('\n');
                    s.push_str(&msg::restored_summary(r.restored.added, r.restored.refused));
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
        Some(SyncCommand::Status) => {
            let st = desk.sync_status()?;
            #[derive(Serialize)]
            struct Status {
                pending: i64,
                rejected: i64,
                last_success_at: Option<String>,
                cursor: i64,
            }
            emit(
                json,
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
            Ok(ExitCode::SUCCESS)
        }
        Some(SyncCommand::Log { limit }) => {
            emit(json, &desk.sync_log(limit)?, |rows| {
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
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(SyncCommand::Attention) => {
            emit(json, &desk.needs_attention()?, |items| {
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
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(SyncCommand::RetryRejected) => {
            let n = desk.retry_rejected()?;
            emit(json, &serde_json::json!({ "requeued": n }), |_| {
                format!("{n} sự kiện sẽ được gửi lại ở lần đồng bộ sau.")
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(SyncCommand::DayEnd { at }) => {
            let t = desk.set_day_end(&at)?;
            emit(json, &serde_json::json!({ "day_end_at": t }), |_| {
                format!("Đồng bộ cuối ngày lúc {t}.")
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}
