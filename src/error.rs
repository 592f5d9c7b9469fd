//! The one error type of the core: what the rules refuse (the domain's
//! [`motcua_domain::Error`]) plus what can go wrong with the database, files,
//! printers and the hub. Every variant has a stable `code` that the UI and
//! scripts can match on, and a Vietnamese message that tells the clerk what
//! to do next.

use std::path::PathBuf;

pub use motcua_domain::error::FieldError;
pub use motcua_domain::Error as RuleError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input or an action the rules refuse (see [`RuleError`]).
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("Lỗi cơ sở dữ liệu: {0}. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.")]
    Database(#[from] rusqlite::Error),
    #[error("Không đọc hoặc ghi được tệp {}: {source}. Kiểm tra đường dẫn và quyền ghi.", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{message}")]
    Print { code: &'static str, message: String },
    /// Sync with the hub failed (no link, hub error, refused).
    #[error("{message}")]
    Sync { code: &'static str, message: String },
}

impl Error {
    /// SQLite found no database in the file (SQLCipher: encrypted, or the
    /// wrong key).
    pub fn is_not_a_database(&self) -> bool {
        matches!(
            self,
            Error::Database(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase
        )
    }

    pub fn invalid(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Rule(RuleError::invalid(code, field, message))
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Error::Rule(RuleError::refused(code, message))
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Error::Rule(RuleError::not_found(code, message))
    }

    pub fn file(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::File {
            path: path.into(),
            source,
        }
    }

    /// The stable code the UI matches on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Rule(e) => e.code(),
            Error::Print { code, .. } | Error::Sync { code, .. } => code,
            Error::Database(_) => "database",
            Error::File { .. } => "file",
        }
    }

    /// Field-level details of validation errors.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Error::Rule(e) => e.fields(),
            _ => Vec::new(),
        }
    }

    /// Bad input (as opposed to a refusal, a missing thing or a fault).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::Rule(RuleError::Invalid { .. } | RuleError::InvalidMany(_)))
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Rule(RuleError::NotFound { .. }))
    }
}

/// The shape every error takes when it leaves the core (UI, CLI `--json`).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        ErrorReport {
            code: e.code().to_string(),
            message: e.to_string(),
            fields: e.fields(),
        }
    }
}
