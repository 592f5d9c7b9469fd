//! Hub errors: each becomes an HTTP status plus an `ApiError` body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use motcua_domain::wire::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    /// A refusal with its status, stable code and Vietnamese message.
    #[error("{message}")]
    Api {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("tệp {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl HubError {
    pub fn api(status: StatusCode, code: &'static str, message: impl Into<String>) -> HubError {
        HubError::Api {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            HubError::Database(_) => "database",
            HubError::Api { code, .. } => code,
            HubError::File { .. } => "file",
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            HubError::Database(e) => {
                tracing::error!(error = %e, "database error");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database",
                    "Máy chủ tỉnh tạm thời không ghi được dữ liệu; hãy thử lại sau.".to_string(),
                )
            }
            HubError::Api { status, code, message } => (*status, *code, message.clone()),
            HubError::File { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "file", self.to_string()),
        };
        (
            status,
            Json(ApiError {
                code: code.to_string(),
                message,
            }),
        )
            .into_response()
    }
}
