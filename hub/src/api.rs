//! The HTTP face of the hub: `/v1/...` routes over [`crate::register`].

use std::future::Future;
use std::net::SocketAddr;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use motcua_domain::wire::{
    EnrollRequest, EnrollResponse, Health, PullResponse, PushRequest, PushResponse, RestorePage, WhoAmI, MAX_PAGE,
    PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde::Deserialize;
use sqlx::PgPool;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::auth::authenticate;
use crate::{register, HubError};

/// Every route the hub serves: `(method, path)`. The OpenAPI document
/// lists exactly these (a test checks both ways).
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/v1/health"),
    ("post", "/v1/enroll"),
    ("get", "/v1/whoami"),
    ("post", "/v1/push"),
    ("get", "/v1/pull"),
    ("get", "/v1/restore"),
];

/// The largest request body, after decompression.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/enroll", post(enroll))
        .route("/v1/whoami", get(whoami))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/restore", get(restore))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(AppState { pool })
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

async fn health(State(state): State<AppState>) -> Result<Json<Health>, HubError> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
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

async fn whoami(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<WhoAmI>, HubError> {
    check_protocol(&headers)?;
    let device = authenticate(&state.pool, &headers).await?;
    Ok(Json(WhoAmI {
        agency_code: device.office,
        office_name: device.office_name,
        counter: device.counter,
        device_id: device.device_id,
    }))
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<PushRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<PushResponse>, HubError> {
    check_protocol(&headers)?;
    let device = authenticate(&state.pool, &headers).await?;
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
    limit: Option<usize>,
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, HubError> {
    check_protocol(&headers)?;
    let device = authenticate(&state.pool, &headers).await?;
    let Query(q) = query.map_err(bad_query)?;
    Ok(Json(
        register::pull(&state.pool, &device, q.cursor.max(0), q.limit.unwrap_or(MAX_PAGE)).await?,
    ))
}

#[derive(Deserialize)]
struct RestoreQuery {
    #[serde(default)]
    after: Option<uuid::Uuid>,
    #[serde(default)]
    limit: Option<usize>,
}

async fn restore(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<RestoreQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<RestorePage>, HubError> {
    check_protocol(&headers)?;
    let device = authenticate(&state.pool, &headers).await?;
    let Query(q) = query.map_err(bad_query)?;
    let page = register::restore(&state.pool, &device, q.after, q.limit.unwrap_or(MAX_PAGE)).await?;
    tracing::info!(
        office = %device.office, counter = device.counter, dossiers = page.dossiers.len(), "restore"
    );
    Ok(Json(page))
}

fn bad_query(e: axum::extract::rejection::QueryRejection) -> HubError {
    HubError::api(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
}

fn bad_body(e: axum::extract::rejection::JsonRejection) -> HubError {
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
    axum::serve(
        listener,
        router(pool).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
