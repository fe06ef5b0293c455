//! The crate's single error type.

use std::fmt;
use std::path::PathBuf;

/// An error from checking a figure's data or writing its image or CSV file.
///
/// The [`ErrorKind`] says what went wrong; its message names the figure or file that
/// failed and what would be accepted.
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

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kinds of error this crate reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The output file's extension names no supported image format.
    #[error(
        "cannot plot to {path}: the file name must end in .svg or .png (the format is chosen by the extension)"
    )]
    UnknownFormat {
        /// The file asked for.
        path: PathBuf,
    },
    /// The figure's data cannot be drawn.
    #[error("cannot draw the {figure}: {reason}")]
    InvalidData {
        /// Which figure (e.g. "heatmap").
        figure: &'static str,
        /// What is wrong and what would be accepted.
        reason: String,
    },
    /// The plotting library failed while drawing or encoding the image.
    #[error("cannot draw the {figure} into {path}: {reason}")]
    Draw {
        /// Which figure.
        figure: &'static str,
        /// The image file.
        path: PathBuf,
        /// The library's message.
        reason: String,
    },
    /// The embedded font could not be registered with the plotting library.
    #[error("cannot register the embedded DejaVu Sans font for text rendering")]
    Font,
    /// Writing the CSV beside the image failed.
    #[error("cannot write {path}: {source}")]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
}
