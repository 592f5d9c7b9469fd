//! `motcua-hub`: the provincial server and its admin commands.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use motcua_domain::dossier::{ActionRequest, DocumentInput, SupplementInput};
use motcua_hub::{api, db, openapi, register, HubError};

#[derive(Parser)]
#[command(
    name = "motcua-hub",
    version,
    about = "Máy chủ tỉnh của motcua: sổ hồ sơ toàn tỉnh và đồng bộ với các quầy"
)]
struct Cli {
    /// postgres://user@host:port/db
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Print results as JSON
    #[arg(long, global = true)]
    json: bool,
    /// Who runs this admin command, for the admin log (default: the OS user)
    #[arg(long, global = true)]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Chạy máy chủ đồng bộ
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Database connections in the pool
        #[arg(long, default_value_t = 16)]
        pool_size: u32,
        /// Days a device's token lives after its enrollment or last sync
        #[arg(long, default_value_t = register::DEFAULT_TOKEN_DAYS, value_parser = clap::value_parser!(i64).range(1..=3650))]
        token_days: i64,
        /// Seconds one request may take, body included (then 408)
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
        request_timeout: u64,
        /// Seconds a connection may take to send its headers (and finish TLS)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout: u64,
        /// Requests answered at once by this process (more: 503, retried)
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
        max_in_flight: u64,
        /// Requests of one device answered at once (more: 429, retried)
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..))]
        per_device: u64,
        /// Restore pages one device may ask for per minute
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(i64).range(1..))]
        restore_pages_per_minute: i64,
    },
    /// Tạo hoặc cập nhật bảng cơ sở dữ liệu rồi thoát
    Migrate,
    /// Cơ quan (xã, phường)
    #[command(subcommand)]
    Office(OfficeCommand),
    /// Cấp mã đăng ký một lần cho một quầy
    EnrollCode {
        #[arg(long)]
        office: String,
        #[arg(long)]
        counter: u32,
        /// Số ngày mã còn hiệu lực
        #[arg(long, default_value_t = register::ENROLLMENT_CODE_DAYS)]
        valid_days: i64,
    },
    /// Danh mục thủ tục hành chính
    #[command(subcommand)]
    Catalog(PublishCommand),
    /// Lịch nghỉ lễ chính thức của một năm
    #[command(subcommand)]
    Calendar(PublishCommand),
    /// Chữ in trên các phiếu của tỉnh (đè lên bộ của chương trình; cơ quan có thể đè tiếp)
    #[command(subcommand)]
    Forms(PublishCommand),
    /// Ghi nhận xử lý của tỉnh trên một hồ sơ (gửi về quầy khi đồng bộ)
    /// (người ghi nhận: --actor, mặc định «Bộ phận xử lý cấp tỉnh»)
    Dossier {
        code: String,
        #[command(subcommand)]
        action: ProvinceAction,
    },
    /// Xuất hồ sơ theo định dạng đồng bộ của Cổng DVC quốc gia (DongBoHoSoMC)
    ExportDvcqg {
        /// YYYY-MM-DD or RFC 3339: dossiers changed since then
        #[arg(long)]
        since: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Số liệu của một cơ quan (mọi quầy) trong kỳ, như màn hình Báo cáo của quầy
    Report {
        #[arg(long)]
        office: String,
        /// YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// YYYY-MM-DD
        #[arg(long)]
        to: String,
    },
    /// In tài liệu OpenAPI của giao thức đồng bộ
    Openapi,
    /// Nhật ký chống sửa đổi của các quầy
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Các máy quầy đã đăng ký: xem, thu hồi
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Nhật ký lệnh quản trị (ai, lúc nào, làm gì), mới nhất trước
    AdminLog {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Các trang hồ sơ máy quầy đã tải lại (khôi phục máy mất), mới nhất trước
    RestoreLog {
        #[arg(long)]
        office: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Danh sách máy (mã máy, cơ quan, quầy, ngày đăng ký, lần cuối đồng bộ, trạng thái)
    List {
        #[arg(long)]
        office: Option<String>,
    },
    /// Thu hồi quyền đồng bộ của một máy ngay (máy mất, hỏng, bị lấy cắp)
    Revoke { id: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Các lần một quầy gửi sự kiện không nối tiếp chuỗi của nó (bị từ chối, mới nhất trước)
    Breaks {
        #[arg(long)]
        office: Option<String>,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    Add {
        #[arg(long)]
        agency_code: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum PublishCommand {
    Publish { file: PathBuf },
}

#[derive(Subcommand)]
enum ProvinceAction {
    /// Bàn giao hồ sơ
    Handover {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        note: Option<String>,
        /// Hạn xử lý của bước này (bên nhận phải xong trước ngày này), in trên phiếu kiểm soát
        #[arg(long, value_name = "YYYY-MM-DD")]
        step_due: Option<String>,
    },
    /// Yêu cầu bổ sung hồ sơ (một lần)
    Supplement {
        #[arg(long)]
        reason: String,
        /// Giấy tờ cần bổ sung (lặp lại)
        #[arg(long = "document")]
        documents: Vec<String>,
    },
    /// Đã có kết quả giải quyết
    Result {
        #[arg(long)]
        number: String,
        #[arg(long)]
        issuer: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        issued_on: Option<String>,
    },
    /// Từ chối giải quyết
    Refuse {
        #[arg(long)]
        reason: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let serving = matches!(cli.command, Command::Serve { .. });
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(if serving { "info" } else { "warn" }));
    // Structured logs (one JSON object per line) for the service; readable ones for admin commands.
    if serving {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Không khởi động được: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = cli.json;
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } })
                );
            } else {
                eprintln!("Lỗi ({}): {e}", e.code());
            }
            ExitCode::from(match e {
                HubError::Api { status, .. } if status.is_client_error() => 2,
                _ => 1,
            })
        }
    }
}

fn missing_database() -> HubError {
    HubError::api(
        axum::http::StatusCode::BAD_REQUEST,
        "database_url_missing",
        "Thiếu địa chỉ cơ sở dữ liệu: dùng --database-url hoặc biến DATABASE_URL.",
    )
}

fn read(path: &PathBuf) -> Result<String, HubError> {
    std::fs::read_to_string(path).map_err(|source| HubError::File {
        path: path.display().to_string(),
        source,
    })
}

async fn run(cli: Cli) -> Result<(), HubError> {
    if let Command::Openapi = cli.command {
        print!("{}", openapi::document_text());
        return Ok(());
    }
    let url = cli.database_url.clone().ok_or_else(missing_database)?;
    let pool_size = match &cli.command {
        Command::Serve { pool_size, .. } => *pool_size,
        _ => 2,
    };
    let pool = db::connect(&url, pool_size).await?;
    db::migrate(&pool).await?;
    let now = Utc::now();
    let who = cli.actor.clone().unwrap_or_else(os_user);
    let log = |command: &'static str, detail: serde_json::Value| {
        let (pool, who) = (pool.clone(), who.clone());
        async move { register::log_admin(&pool, &who, command, detail, now).await }
    };
    let say = |json: serde_json::Value, text: String| {
        if cli.json {
            println!("{json}");
        } else {
            println!("{text}");
        }
    };
    match cli.command {
        Command::Openapi | Command::Migrate => {}
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            token_days,
            request_timeout,
            header_timeout,
            max_in_flight,
            per_device,
            restore_pages_per_minute,
            ..
        } => {
            let settings = api::Settings {
                request_timeout: std::time::Duration::from_secs(request_timeout),
                header_timeout: std::time::Duration::from_secs(header_timeout),
                max_in_flight: max_in_flight as usize,
                per_device: per_device as usize,
                restore_pages_per_minute,
                restore_window: std::time::Duration::from_secs(60),
                token_days,
            };
            serve(pool, settings, listen, tls_cert.zip(tls_key)).await?
        }
        Command::Office(OfficeCommand::Add { agency_code, name }) => {
            register::add_office(&pool, &agency_code, &name).await?;
            log(
                "office add",
                serde_json::json!({ "agency_code": agency_code, "name": name }),
            )
            .await?;
            say(
                serde_json::json!({ "agency_code": agency_code, "name": name }),
                format!("Đã thêm cơ quan {agency_code} — {name}"),
            );
        }
        Command::EnrollCode {
            office,
            counter,
            valid_days,
        } => {
            let code = register::make_enrollment_code(&pool, &office, counter, valid_days, now).await?;
            // The code itself is a secret: the log says for whom it was made.
            log(
                "enroll-code",
                serde_json::json!({ "office": office, "counter": counter, "valid_days": valid_days }),
            )
            .await?;
            say(serde_json::json!({ "code": code }), code.clone());
        }
        Command::Catalog(PublishCommand::Publish { file }) => {
            let version = register::publish_catalog(&pool, &read(&file)?).await?;
            log(
                "catalog publish",
                serde_json::json!({ "version": version, "file": file }),
            )
            .await?;
            say(
                serde_json::json!({ "version": version }),
                format!("Đã công bố danh mục, phiên bản {version}"),
            );
        }
        Command::Forms(PublishCommand::Publish { file }) => {
            let version = register::publish_form_texts(&pool, &read(&file)?).await?;
            log("forms publish", serde_json::json!({ "version": version, "file": file })).await?;
            say(
                serde_json::json!({ "version": version }),
                format!("Đã công bố bộ chữ trên phiếu, phiên bản {version}"),
            );
        }
        Command::Calendar(PublishCommand::Publish { file }) => {
            let (year, version) = register::publish_calendar(&pool, &read(&file)?).await?;
            log(
                "calendar publish",
                serde_json::json!({ "year": year, "version": version, "file": file }),
            )
            .await?;
            say(
                serde_json::json!({ "year": year, "version": version }),
                format!("Đã công bố lịch nghỉ năm {year}, phiên bản {version}"),
            );
        }
        Command::Dossier { code, action } => {
            let request = province_request(action);
            let actor = cli
                .actor
                .clone()
                .unwrap_or_else(|| "Bộ phận xử lý cấp tỉnh".to_string());
            let d = register::record_province_event(&pool, &code, &request, &actor, now).await?;
            log(
                "dossier",
                serde_json::json!({ "code": d.code, "request": request, "recorded_as": actor }),
            )
            .await?;
            say(
                serde_json::json!({ "code": d.code, "status": d.status, "status_code": d.status_code }),
                format!("Đã ghi nhận; hồ sơ {} đang ở trạng thái: {}", d.code, d.status.label()),
            );
        }
        Command::ExportDvcqg { since, out } => {
            let since = parse_since(&since)?;
            let dossiers = register::dossiers_changed_since(&pool, since).await?;
            let records = dossiers.len();
            let text =
                serde_json::to_string_pretty(&motcua_domain::dvcqg::batch(&dossiers)).unwrap_or_else(|_| "[]".into());
            // The file is whole on disk before any dossier counts as exported.
            write_whole(&out, text.as_bytes()).map_err(|source| HubError::File {
                path: out.display().to_string(),
                source,
            })?;
            let ids: Vec<uuid::Uuid> = dossiers.iter().map(|(d, _)| d.id).collect();
            register::mark_exported(&pool, &ids, now).await?;
            log(
                "export-dvcqg",
                serde_json::json!({ "dossiers": records, "out": out, "since": since }),
            )
            .await?;
            say(
                serde_json::json!({ "dossiers": records, "out": out }),
                format!("Đã xuất {} hồ sơ vào {}", records, out.display()),
            );
        }
        Command::Audit(AuditCommand::Breaks { office }) => {
            let breaks = register::chain_breaks(&pool, office.as_deref().map(str::trim)).await?;
            say(
                serde_json::to_value(&breaks).unwrap_or_default(),
                if breaks.is_empty() {
                    "Không có lần nào chuỗi sự kiện bị đứt.".to_string()
                } else {
                    breaks
                        .iter()
                        .map(|b| {
                            format!(
                                "{}  {}  quầy-máy {}  hồ sơ {}  sự kiện {}: {}",
                                motcua_domain::vntime::iso(&motcua_domain::vntime::from_utc(b.at)),
                                b.office,
                                b.device,
                                b.dossier_code,
                                b.event_id,
                                b.reason
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
        Command::Device(DeviceCommand::List { office }) => {
            let devices = register::devices(&pool, office.as_deref().map(str::trim), now).await?;
            say(
                serde_json::to_value(&devices).unwrap_or_default(),
                if devices.is_empty() {
                    "Chưa có máy nào đăng ký.".to_string()
                } else {
                    devices.iter().map(device_line).collect::<Vec<_>>().join("\n")
                },
            );
        }
        Command::Device(DeviceCommand::Revoke { id }) => {
            let device = register::revoke_device(&pool, id.trim(), &who, now).await?;
            log("device revoke", serde_json::json!({ "device_id": device.device_id })).await?;
            say(
                serde_json::to_value(&device).unwrap_or_default(),
                format!(
                    "Đã thu hồi máy {} (quầy {} của {}). Lần đồng bộ tới của máy đó bị từ chối; quầy cần mã đăng ký mới.",
                    device.device_id, device.counter, device.office
                ),
            );
        }
        Command::AdminLog { limit } => {
            let rows = register::admin_log(&pool, limit.clamp(1, 10_000)).await?;
            say(
                serde_json::to_value(&rows).unwrap_or_default(),
                rows.iter()
                    .map(|r| {
                        format!(
                            "{}  {}  {}  {}",
                            motcua_domain::vntime::iso(&motcua_domain::vntime::from_utc(r.at)),
                            r.actor,
                            r.command,
                            r.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        Command::RestoreLog { office, limit } => {
            let rows = register::restore_log(&pool, office.as_deref(), limit.clamp(1, 10_000)).await?;
            say(
                serde_json::to_value(&rows).unwrap_or_default(),
                rows.iter()
                    .map(|r| {
                        format!(
                            "{}  {}  quầy {}  máy {}  {}",
                            motcua_domain::vntime::iso(&motcua_domain::vntime::from_utc(r.at)),
                            r.office,
                            r.counter,
                            r.device_id,
                            match r.refused {
                                true => "từ chối (quá nhanh)".to_string(),
                                false => format!("{} hồ sơ", r.dossiers),
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        Command::Report { office, from, to } => {
            let date = |field: &str, s: &str| {
                motcua_domain::vntime::parse_date(field, motcua_domain::messages::LABEL_DATE, s)
                    .map_err(|e| bad_input(e.code(), e.to_string()))
            };
            let (from, to) = (date("from", &from)?, date("to", &to)?);
            let report = register::office_report(&pool, office.trim(), from, to, now).await?;
            say(
                serde_json::to_value(&report).unwrap_or_default(),
                motcua_domain::messages::report_summary(&report),
            );
        }
    }
    Ok(())
}

/// Who runs an admin command when `--actor` does not say: the OS user.
fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn device_line(d: &register::DeviceRow) -> String {
    let time = |t: &chrono::DateTime<Utc>| motcua_domain::vntime::iso(&motcua_domain::vntime::from_utc(*t));
    let state = match d.state.as_str() {
        "active" => "đang dùng",
        "revoked" => "đã thu hồi",
        _ => "hết hạn",
    };
    format!(
        "{}  {} quầy {}  đăng ký {}  đồng bộ cuối {}  hết hạn {}  {}",
        d.device_id,
        d.office,
        d.counter,
        time(&d.enrolled_at),
        d.last_seen_at.as_ref().map(time).unwrap_or_else(|| "chưa".to_string()),
        time(&d.expires_at),
        state
    )
}

fn bad_input(code: &'static str, message: String) -> HubError {
    HubError::api(axum::http::StatusCode::BAD_REQUEST, code, message)
}

fn parse_since(s: &str) -> Result<DateTime<Utc>, HubError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        bad_input(
            "since_invalid",
            format!("«{s}» không phải ngày YYYY-MM-DD hay thời điểm RFC 3339."),
        )
    })?;
    Ok(motcua_domain::vntime::at(d.and_hms_opt(0, 0, 0).unwrap_or_default()).with_timezone(&Utc))
}

/// The province's action as the rulebook takes it (it checks every field).
fn province_request(action: ProvinceAction) -> ActionRequest {
    match action {
        ProvinceAction::Handover {
            from,
            to,
            note,
            step_due,
        } => ActionRequest::Handover {
            from,
            to,
            note,
            step_due,
        },
        ProvinceAction::Supplement { reason, documents } => ActionRequest::Supplement(SupplementInput {
            reason,
            documents: documents
                .into_iter()
                .map(|name| DocumentInput {
                    name,
                    form: "original".to_string(),
                    count: 1,
                })
                .collect(),
        }),
        ProvinceAction::Result {
            number,
            issuer,
            issued_on,
        } => ActionRequest::Result {
            number,
            issuer,
            issued_on,
        },
        ProvinceAction::Refuse { reason } => ActionRequest::Refuse { reason },
    }
}

/// Writes `bytes` so the file is complete or absent: a temporary file beside
/// it, flushed to disk, renamed over it, and the folder flushed too.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    #[cfg(unix)]
    std::fs::File::open(folder.unwrap_or(std::path::Path::new(".")))?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing requests under way");
}

async fn serve(
    pool: sqlx::PgPool,
    settings: api::Settings,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<(), HubError> {
    let io = |e: std::io::Error| HubError::File {
        path: listen.to_string(),
        source: e,
    };
    let config = match &tls {
        None => None,
        Some((cert, key)) => Some(
            axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|source| HubError::File {
                    path: cert.display().to_string(),
                    source,
                })?,
        ),
    };
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(io)?;
    tracing::info!(
        addr = %listener.local_addr().map_err(io)?, tls = config.is_some(), settings = ?settings,
        "motcua-hub listening"
    );
    api::serve_with(pool, settings, listener, config, shutdown_signal())
        .await
        .map_err(io)
}
