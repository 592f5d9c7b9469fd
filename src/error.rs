//! The one error type of the core. Every variant has a stable `code` that the
//! UI and scripts can match on, and a Vietnamese message that tells the clerk
//! what to do next.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the clerk, a file or a command line. `field` names the
    /// input field (dotted path, e.g. `applicant.phone`) when there is one.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        field: Option<String>,
        message: String,
    },
    /// Several validation errors at once (a form, a catalog file).
    #[error("{}", join_messages(.0))]
    InvalidMany(Vec<Error>),
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// A state of the data folder that refuses the action (not initialised,
    /// written by a newer version, code block exhausted …).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
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

fn join_messages(errors: &[Error]) -> String {
    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn invalid(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Error::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Error::NotFound {
            code,
            message: message.into(),
        }
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
            Error::Invalid { code, .. }
            | Error::NotFound { code, .. }
            | Error::Refused { code, .. }
            | Error::Print { code, .. }
            | Error::Sync { code, .. } => code,
            Error::InvalidMany(_) => "invalid_input",
            Error::Database(_) => "database",
            Error::File { .. } => "file",
        }
    }

    /// Field-level details of validation errors: `(field, code, message)`.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Error::Invalid { code, field, message } => vec![FieldError {
                field: field.clone(),
                code: (*code).to_string(),
                message: message.clone(),
            }],
            Error::InvalidMany(all) => all.iter().flat_map(Error::fields).collect(),
            _ => Vec::new(),
        }
    }

    /// Collapses a list of validation errors: none → Ok, one → itself.
    pub fn collect(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::InvalidMany(errors)),
        }
    }
}

/// One validation problem, as it crosses to the UI.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldError {
    pub field: Option<String>,
    pub code: String,
    pub message: String,
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
