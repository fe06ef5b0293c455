//! The crate's single error type.

use std::fmt;
use std::path::PathBuf;

/// An error from running the tutorial or writing its report.
///
/// The [`ErrorKind`] says what went wrong; its message names the step, file or input
/// that failed and what would be accepted.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
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
        std::error::Error::source(&*self.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
        }
    }
}

macro_rules! wrap_errors {
    ($($source:ty => $variant:ident),* $(,)?) => {
        $(impl From<$source> for Error {
            fn from(source: $source) -> Error {
                ErrorKind::$variant(source).into()
            }
        })*
    };
}

wrap_errors! {
    synphys_query::Error => Query,
    synphys_cellclass::Error => CellClass,
    synphys_connectivity::Error => Connectivity,
    synphys_release_model::Error => ReleaseModel,
    synphys_plot::Error => Plot,
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kinds of error this crate reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the database failed.
    #[error(transparent)]
    Query(synphys_query::Error),
    /// A class definition failed.
    #[error(transparent)]
    CellClass(synphys_cellclass::Error),
    /// A connectivity statistic failed.
    #[error(transparent)]
    Connectivity(synphys_connectivity::Error),
    /// A release-model run or search failed.
    #[error(transparent)]
    ReleaseModel(synphys_release_model::Error),
    /// Drawing a figure failed.
    #[error(transparent)]
    Plot(synphys_plot::Error),
    /// The database has no data for a step.
    #[error("tutorial step \"{step}\": {reason}")]
    NoData {
        /// The step.
        step: &'static str,
        /// What is missing and what the step needs.
        reason: String,
    },
    /// An option is out of range.
    #[error("tutorial option {option}: {reason}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// What would be accepted.
        reason: String,
    },
    /// Reading or writing a report file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// An I/O error naming `path`.
pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| ErrorKind::Io { path, source }.into()
}
