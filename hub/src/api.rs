//! The HTTP face of the hub: `/v1/...` routes over [`crate::register`].

use std::future::Future;
use std::net::SocketAddr;

use std::time::Duration;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::Utc;
use motcua_domain::wire::{
    EnrollRequest, EnrollResponse, Health, PullResponse, PushRequest, PushResponse, RestorePage, WhoAmI,
    MAX_BODY_BYTES, MAX_PAGE, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde::Deserialize;
use sqlx::PgPool;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{authenticate, Device};
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
    ]
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

/// How long one request may take, body included, before it is answered
/// 408 and its connection freed: a slow or stalled client holds nothing
/// for ever. The counter takes a 408 as "send less" and halves its page.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

pub fn router(pool: PgPool) -> Router {
    router_with(pool, REQUEST_TIMEOUT)
}

pub fn router_with(pool: PgPool, request_timeout: Duration) -> Router {
    let state = AppState { pool };
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
            request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The protocol and the token, from the headers alone: a request from
/// nobody is answered before its body is read or decompressed.
async fn authenticated(State(state): State<AppState>, mut request: Request, next: Next) -> Result<Response, HubError> {
    check_protocol(request.headers())?;
    let device = authenticate(&state.pool, request.headers()).await?;
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
    body: Result<Json<EnrollRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<EnrollResponse>, HubError> {
    check_protocol(&headers)?;
    let Json(request) = body.map_err(bad_body)?;
    Ok(Json(register::enroll(&state.pool, &request, Utc::now()).await?))
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
    body: Result<Json<PushRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<PushResponse>, HubError> {
    let Json(request) = body.map_err(bad_body)?;
    if request.events.len() > MAX_PAGE {
        return Err(HubError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "page_too_large",
            format!("Mỗi lần gửi tối đa {MAX_PAGE} sự kiện."),
        ));
    }
    let results = register::ingest(&state.pool, &device, &request.events, Utc::now()).await?;
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
    register::renew_token(&state.pool, &device, Utc::now()).await?;
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
) -> Result<Json<RestorePage>, HubError> {
    let Query(q) = query.map_err(bad_query)?;
    let page = register::restore(&state.pool, &device, q.after, page_limit(q.limit)?).await?;
    tracing::info!(
        office = %device.office, counter = device.counter, dossiers = page.dossiers.len(), "restore"
    );
    Ok(Json(page))
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

/// Serves plain HTTP on `listener` until `shutdown` resolves, finishing
/// the requests under way.
pub async fn serve(
    pool: PgPool,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(router(pool), listener, shutdown).await
}

/// `serve` with a router of one's own (a test's shorter timeout).
pub async fn serve_router(
    router: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
