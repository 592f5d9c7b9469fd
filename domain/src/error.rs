//! The domain's error: what the rules refuse and why. Every variant has a
//! stable `code` that the UI, scripts and the hub match on, and a
//! Vietnamese message that tells the clerk what to do next. It knows
//! nothing of files, databases or networks; the core and the hub wrap it.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// The rules or the state refuse the action (illegal transition, a
    /// second supplement, a clock set back …).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
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

    /// The stable code the UI matches on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { code, .. } | Error::NotFound { code, .. } | Error::Refused { code, .. } => code,
            Error::InvalidMany(_) => "invalid_input",
        }
    }

    /// Field-level details of validation errors.
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
