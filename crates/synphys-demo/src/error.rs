//! The crate's error type.

use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The output file exists and overwriting was not asked for.
    #[error(
        "{path} already exists; choose another path or ask to overwrite it (DemoConfig::overwrite(true))"
    )]
    Exists {
        /// The output path.
        path: PathBuf,
    },
    /// A file could not be created, renamed, removed or read.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "creating".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// SQLite refused a statement.
    #[error("SQLite error while {context}: {source}")]
    Sqlite {
        /// What was being done, e.g. "inserting into table pair".
        context: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The truth file could not be parsed or holds an invalid value.
    #[error("demo truth file: {key}: {message}")]
    Truth {
        /// The key (TOML path) that failed, e.g. `class_pair[3].release`.
        key: String,
        /// What is wrong and what would be accepted.
        message: String,
    },
    /// A class name not defined in the truth file.
    #[error("unknown {species} cell class {name:?}; the truth file defines: {known}")]
    UnknownClass {
        /// The species searched.
        species: &'static str,
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// A value did not fit a column of the schema (a generator bug; the message names
    /// the column).
    #[error("schema: {0}")]
    Schema(synphys_schema::Error),
    /// The release model rejected a parameter set.
    #[error("release model: {0}")]
    ReleaseModel(synphys_release_model::Error),
    /// The dynamics computation failed for a synapse.
    #[error("dynamics of pair {pair_id}: {source}")]
    Dynamics {
        /// The pair whose events were analysed.
        pair_id: i64,
        /// The dynamics crate's error.
        source: synphys_dynamics::Error,
    },
    /// A synapse handed to the event simulation has an invalid property.
    #[error("invalid event synapse: {parameter} = {value}; {accepted}")]
    InvalidEventSynapse {
        /// The property.
        parameter: &'static str,
        /// Its value.
        value: f64,
        /// What would be accepted.
        accepted: &'static str,
    },
    /// A value from a database being digested could not be read.
    #[error("{0}")]
    Invalid(String),
}

/// The error of every fallible function of this crate.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    pub(crate) fn sqlite(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let context = context.into();
        move |source| ErrorKind::Sqlite { context, source }.into()
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| {
            ErrorKind::Io {
                action,
                path,
                source,
            }
            .into()
        }
    }

    pub(crate) fn truth(key: impl Into<String>, message: impl Into<String>) -> Error {
        ErrorKind::Truth {
            key: key.into(),
            message: message.into(),
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

impl From<synphys_schema::Error> for Error {
    fn from(e: synphys_schema::Error) -> Error {
        ErrorKind::Schema(e).into()
    }
}

impl From<synphys_release_model::Error> for Error {
    fn from(e: synphys_release_model::Error) -> Error {
        ErrorKind::ReleaseModel(e).into()
    }
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
