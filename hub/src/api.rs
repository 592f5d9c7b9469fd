//! The HTTP face of the hub: `/v1/...` routes over [`crate::register`],
//! `/metrics` for the province's monitoring, and the limits that keep one
//! client (or a national day's-end rush) from taking the hub down.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::Utc;
use motcua_domain::wire::{
    ApiError, EnrollRequest, EnrollResponse, Health, PullResponse, PushRequest, PushResponse, WhoAmI, MAX_BODY_BYTES,
    MAX_PAGE, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use sqlx::PgPool;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{authenticate, Device};
use crate::metrics::{Gauges, Metrics};
use crate::{register, HubError};

/// One route the hub serves. The router is built from [`routes`] and
/// nothing else, so the OpenAPI test can compare the document with what
/// is really served.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    /// Needs a device token, checked before the body is read.
    pub authenticated: bool,
    handler: axum::routing::MethodRouter<AppState>,
}

/// Every route the hub serves.
pub fn routes() -> Vec<Route> {
    let route = |method, path, authenticated, handler| Route {
        method,
        path,
        authenticated,
        handler,
    };
    vec![
        route("get", "/v1/health", false, get(health)),
        route("post", "/v1/enroll", false, post(enroll)),
        route("get", "/v1/whoami", true, get(whoami)),
        route("post", "/v1/push", true, post(push)),
        route("get", "/v1/pull", true, get(pull)),
        route("get", "/v1/restore", true, get(restore)),
        route("get", "/metrics", false, get(metrics)),
    ]
}

/// Routes a load balancer or a monitor calls: never shed, so an
/// overloaded hub still says it is alive and what it is doing.
const NEVER_SHED: [&str; 2] = ["/v1/health", "/metrics"];

/// How a hub process serves: its timeouts, its limits and its tokens'
/// lifetime. Every process behind one load balancer should be given the
/// same settings; none of them is needed for correctness.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long one request may take, body included, before it is answered
    /// 408 and its connection freed: a slow or stalled client holds nothing
    /// for ever. The counter takes a 408 as "send less" and halves its page.
    pub request_timeout: Duration,
    /// How long a connection may take to send a request's headers (and a
    /// TLS handshake to finish) before it is closed unanswered.
    pub header_timeout: Duration,
    /// Requests answered at once by this process; more are answered 503
    /// with Retry-After, and the counters back off and retry.
    pub max_in_flight: usize,
    /// Requests of one device answered at once; more are answered 429.
    pub per_device: usize,
    /// Restore pages one device may be given per `restore_window` (every
    /// hub on the database counts together); more are answered 429 with
    /// Retry-After, which the counter honours, then goes on.
    pub restore_pages_per_minute: i64,
    /// The window the restore pace is counted over: a minute, shorter in tests.
    pub restore_window: Duration,
    /// A token's life after its enrollment or its last successful sync.
    pub token_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            request_timeout: Duration::from_secs(120),
            header_timeout: Duration::from_secs(30),
            max_in_flight: 512,
            per_device: 4,
            restore_pages_per_minute: 60,
            restore_window: Duration::from_secs(60),
            token_days: register::DEFAULT_TOKEN_DAYS,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    settings: Arc<Settings>,
    metrics: Arc<Metrics>,
    /// One permit per request being answered (routes outside [`NEVER_SHED`]).
    admission: Arc<Semaphore>,
    /// Requests under way per device.
    busy_devices: Arc<Mutex<HashMap<String, usize>>>,
}

pub fn router(pool: PgPool) -> Router {
    router_with(pool, Settings::default())
}

pub fn router_with(pool: PgPool, settings: Settings) -> Router {
    let state = AppState {
        pool,
        admission: Arc::new(Semaphore::new(settings.max_in_flight.max(1))),
        settings: Arc::new(settings.clone()),
        metrics: Arc::new(Metrics::default()),
        busy_devices: Arc::default(),
    };
    routes()
        .into_iter()
        .fold(Router::new(), |r, route| {
            let handler = match route.authenticated {
                true => route
                    .handler
                    .route_layer(middleware::from_fn_with_state(state.clone(), authenticated)),
                false => route.handler,
            };
            r.route(route.path, handler)
        })
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), admit))
        .layer(middleware::from_fn_with_state(state.clone(), measure))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Counts every answer, by route and status, with its time.
async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", |p| p.as_str())
        .to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .request(&route, response.status().as_u16(), started.elapsed());
    response
}

/// A refusal by a limit: the counter retries after `retry_after` seconds.
fn shed(status: StatusCode, code: &str, message: String, retry_after: u64) -> Response {
    let mut response = (
        status,
        Json(ApiError {
            code: code.to_string(),
            message,
        }),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// Sheds load past [`Settings::max_in_flight`] before any work is done.
async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if NEVER_SHED.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(_permit) = state.admission.clone().try_acquire_owned() else {
        state.metrics.shed("busy");
        tracing::warn!(path = %request.uri().path(), "shed: too many requests in flight");
        return shed(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Máy chủ tỉnh đang bận (nhiều quầy đồng bộ cùng lúc); quầy sẽ tự thử lại.".to_string(),
            5,
        );
    };
    next.run(request).await
}

/// A device's place among the requests under way; given back when dropped.
struct DeviceSlot {
    busy: Arc<Mutex<HashMap<String, usize>>>,
    device: String,
}

impl DeviceSlot {
    fn take(busy: &Arc<Mutex<HashMap<String, usize>>>, device: &str, limit: usize) -> Option<DeviceSlot> {
        let mut map = busy.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(device.to_string()).or_default();
        if *n >= limit.max(1) {
            return None;
        }
        *n += 1;
        Some(DeviceSlot {
            busy: busy.clone(),
            device: device.to_string(),
        })
    }
}

impl Drop for DeviceSlot {
    fn drop(&mut self) {
        let mut map = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.device) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.device);
            }
        }
    }
}

/// The protocol and the token, from the headers alone: a request from
/// nobody is answered before its body is read or decompressed.
async fn authenticated(State(state): State<AppState>, mut request: Request, next: Next) -> Result<Response, HubError> {
    check_protocol(request.headers())?;
    let device = authenticate(&state.pool, request.headers()).await?;
    let Some(_slot) = DeviceSlot::take(&state.busy_devices, &device.device_id, state.settings.per_device) else {
        state.metrics.shed("device");
        tracing::warn!(device = %device.device_id, "shed: too many requests from one device");
        return Ok(shed(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            format!(
                "Máy này đang có {} yêu cầu chưa xong; quầy sẽ tự thử lại.",
                state.settings.per_device
            ),
            1,
        ));
    };
    request.extensions_mut().insert(device);
    Ok(next.run(request).await)
}

/// A counter speaking another protocol version is told to update.
fn check_protocol(headers: &HeaderMap) -> Result<(), HubError> {
    match headers.get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok()) {
        Some(v) if v.trim() != PROTOCOL_VERSION.to_string() => Err(HubError::api(
            StatusCode::UPGRADE_REQUIRED,
            "protocol_mismatch",
            format!("Máy chủ tỉnh dùng giao thức phiên bản {PROTOCOL_VERSION}; hãy cập nhật chương trình motcua."),
        )),
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
struct HealthQuery {
    #[serde(default)]
    deep: Option<String>,
}

/// The counters' reachability probe (every 20 s while offline): cheap, no
/// database, unless `?deep=1` asks whether the database answers too.
async fn health(
    State(state): State<AppState>,
    query: Result<Query<HealthQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Health>, HubError> {
    let Query(q) = query.map_err(bad_query)?;
    let deep = match q.deep.as_deref() {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(other) => {
            return Err(HubError::api(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("deep phải là 1 hoặc 0, không phải «{other}»."),
            ))
        }
    };
    if deep {
        sqlx::query("SELECT 1").execute(&state.pool).await?;
    }
    Ok(Json(Health {
        status: "ok".to_string(),
        protocol: PROTOCOL_VERSION,
        server_time: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }))
}

async fn enroll(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Box<RawValue>>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<EnrollResponse>, HubError> {
    check_protocol(&headers)?;
    let request: EnrollRequest = object_body(body)?;
    Ok(Json(
        register::enroll(&state.pool, &request, state.settings.token_days, Utc::now()).await?,
    ))
}

async fn whoami(Extension(device): Extension<Device>) -> Result<Json<WhoAmI>, HubError> {
    Ok(Json(WhoAmI {
        agency_code: device.office,
        office_name: device.office_name,
        counter: device.counter,
        device_id: device.device_id,
    }))
}

async fn push(
    State(state): State<AppState>,
    Extension(device): Extension<Device>,
    body: Result<Json<Box<RawValue>>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<PushResponse>, HubError> {
    let request: PushRequest = object_body(body)?;
    if request.events.len() > MAX_PAGE {
        return Err(HubError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "page_too_large",
            format!("Mỗi lần gửi tối đa {MAX_PAGE} sự kiện."),
        ));
    }
    let results = register::ingest(&state.pool, &device, &request.events, Utc::now()).await?;
    state.metrics.ingested(&results);
    tracing::info!(
        office = %device.office, counter = device.counter, events = request.events.len(), "push"
    );
    Ok(Json(PushResponse { results }))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    cursor: i64,
    #[serde(default)]
    limit: Option<i64>,
}

/// `limit` as the document states it: 1 to [`MAX_PAGE`], [`MAX_PAGE`] when absent.
fn page_limit(limit: Option<i64>) -> Result<usize, HubError> {
    match limit {
        None => Ok(MAX_PAGE),
        Some(n) if (1..=MAX_PAGE as i64).contains(&n) => Ok(n as usize),
        Some(n) => Err(HubError::api(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("limit phải từ 1 đến {MAX_PAGE}, không phải {n}."),
        )),
    }
}

async fn pull(
    State(state): State<AppState>,
    Extension(device): Extension<Device>,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, HubError> {
    let Query(q) = query.map_err(bad_query)?;
    if q.cursor < 0 {
        return Err(HubError::api(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "cursor phải từ 0 trở lên.",
        ));
    }
    let limit = page_limit(q.limit)?;
    let page = register::pull(&state.pool, &device, q.cursor, limit).await?;
    // Every sync ends with a pull: one that got here keeps the token alive.
    register::renew_token(&state.pool, &device, state.settings.token_days, Utc::now()).await?;
    Ok(Json(page))
}

#[derive(Deserialize)]
struct RestoreQuery {
    #[serde(default)]
    after: Option<uuid::Uuid>,
    #[serde(default)]
    limit: Option<i64>,
}

async fn restore(
    State(state): State<AppState>,
    Extension(device): Extension<Device>,
    query: Result<Query<RestoreQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, HubError> {
    let Query(q) = query.map_err(bad_query)?;
    let limit = page_limit(q.limit)?;
    // A PC replacing a lost one reads its counter's whole history: paced
    // per device across every hub on the database, and every page kept.
    let per_minute = state.settings.restore_pages_per_minute;
    let window = state.settings.restore_window;
    if register::restore_pages_within(&state.pool, &device, window).await? >= per_minute {
        register::log_restore(&state.pool, &device, q.after, None).await?;
        state.metrics.shed("restore");
        tracing::warn!(office = %device.office, counter = device.counter, device = %device.device_id, "restore paced");
        return Ok(shed(
            StatusCode::TOO_MANY_REQUESTS,
            "restore_rate_limited",
            format!("Mỗi phút một máy được tải lại tối đa {per_minute} trang hồ sơ; quầy sẽ tự tiếp tục."),
            window.as_secs().max(1),
        ));
    }
    let page = register::restore(&state.pool, &device, q.after, limit).await?;
    register::log_restore(&state.pool, &device, q.after, Some(page.dossiers.len())).await?;
    tracing::info!(
        office = %device.office, counter = device.counter, device = %device.device_id,
        dossiers = page.dossiers.len(), "restore"
    );
    Ok(Json(page).into_response())
}

/// The process's figures in Prometheus text format.
async fn metrics(State(state): State<AppState>) -> Response {
    // A database that does not answer leaves the gauge out, not the scrape.
    let devices_seen_today = register::devices_seen_today(&state.pool, Utc::now()).await;
    if let Err(e) = &devices_seen_today {
        tracing::warn!(error = %e, "metrics: devices seen today unavailable");
    }
    let gauges = Gauges {
        in_flight: state.settings.max_in_flight.max(1) - state.admission.available_permits(),
        devices_seen_today: devices_seen_today.ok(),
        pool_size: state.pool.size(),
        pool_idle: state.pool.num_idle(),
    };
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(&gauges),
    )
        .into_response()
}

/// A request body as the document states it: a JSON object of that shape.
/// (serde would also read a struct from an array of its fields, `[[]]`
/// for a push; the protocol has no such form.) The body is checked as JSON
/// once, without building a tree, then read into its type.
fn object_body<T: serde::de::DeserializeOwned>(
    body: Result<Json<Box<RawValue>>, axum::extract::rejection::JsonRejection>,
) -> Result<T, HubError> {
    let Json(raw) = body.map_err(bad_body)?;
    let refused = |detail: String| {
        HubError::api(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("Yêu cầu không đúng định dạng: {detail}"),
        )
    };
    if !raw.get().trim_start().starts_with('{') {
        return Err(refused("phải là một đối tượng JSON.".to_string()));
    }
    serde_json::from_str(raw.get()).map_err(|e| refused(e.to_string()))
}

fn bad_query(e: axum::extract::rejection::QueryRejection) -> HubError {
    HubError::api(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
}

/// A body that is not the JSON asked for is 400; one over the limit is
/// 413 (the counter then splits its page), whatever layer noticed it.
fn bad_body(e: axum::extract::rejection::JsonRejection) -> HubError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return HubError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "Yêu cầu lớn hơn {} MiB; hãy gửi ít sự kiện hơn mỗi lần.",
                MAX_BODY_BYTES >> 20
            ),
        );
    }
    HubError::api(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("Yêu cầu không đúng định dạng: {}", e.body_text()),
    )
}

/// Serves plain HTTP on `listener` with the default settings until
/// `shutdown` resolves, finishing the requests under way.
pub async fn serve(
    pool: PgPool,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(pool, Settings::default(), listener, None, shutdown).await
}

/// Serves on `listener`, over TLS when `tls` is given, until `shutdown`
/// resolves; requests under way get 30 s to finish. A connection that does
/// not finish its TLS handshake or its request headers within
/// [`Settings::header_timeout`] is closed.
pub async fn serve_with(
    pool: PgPool,
    settings: Settings,
    listener: tokio::net::TcpListener,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_timeout = settings.header_timeout;
    let app = router_with(pool, settings).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(30)));
    });
    let mut server = axum_server::Server::<SocketAddr>::from_listener(listener)
        .handle(handle)
        .first_request_timeout(header_timeout);
    server.http_builder().http1().header_read_timeout(header_timeout);
    match tls {
        None => server.serve(app).await,
        Some(config) => {
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(config).handshake_timeout(header_timeout);
            server.acceptor(acceptor).serve(app).await
        }
    }
}
