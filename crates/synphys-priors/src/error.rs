//! The crate's single error type.

use std::fmt;

/// An error from building, writing or reading network priors.
///
/// The [`ErrorKind`] says what went wrong; its message names the input that failed.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

impl From<synphys_query::Error> for Error {
    fn from(e: synphys_query::Error) -> Error {
        ErrorKind::Query(e).into()
    }
}

impl From<synphys_connectivity::Error> for Error {
    fn from(e: synphys_connectivity::Error) -> Error {
        ErrorKind::Connectivity(e).into()
    }
}

impl From<synphys_cellclass::Error> for Error {
    fn from(e: synphys_cellclass::Error) -> Error {
        ErrorKind::ClassSet(e).into()
    }
}

/// The kinds of error this crate reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the database failed (missing column, unreadable file…).
    #[error("reading the database for priors: {0}")]
    Query(#[source] synphys_query::Error),
    /// A connectivity statistic failed.
    #[error("computing connectivity for priors: {0}")]
    Connectivity(#[source] synphys_connectivity::Error),
    /// A class of the class set could not be used.
    #[error("using the class set for priors: {0}")]
    ClassSet(#[source] synphys_cellclass::Error),
    /// An option is outside its domain.
    #[error("invalid priors option {name} = {value}: must be {allowed}")]
    InvalidOption {
        /// The option's name, as the builder method.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// Priors text could not be written or parsed in a format.
    #[error("priors {format}: {message}")]
    Format {
        /// `"JSON"` or `"CSV"`.
        format: &'static str,
        /// What went wrong, as the parser or writer said.
        message: String,
    },
    /// A JSON document is not synphys priors, or of a layout version this crate cannot read.
    #[error(
        "the JSON document has format {found_format:?} version {found_version}; this crate reads format \"synphys-priors\" version {supported}"
    )]
    UnsupportedLayout {
        /// The document's `format`.
        found_format: String,
        /// The document's `version`.
        found_version: u64,
        /// The version this crate reads and writes.
        supported: u32,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
