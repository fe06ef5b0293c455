//! The crate's error type.

/// An error from computing dynamics metrics.
///
/// The [`ErrorKind`] says what failed; its message names the event or parameter that
/// failed, the value it had, and what is accepted.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

/// The kinds of [`Error`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Two QC-passed current-clamp events of one recording share a pulse number, so the
    /// train's amplitudes are ambiguous.
    #[error(
        "event {index} (recording {recording_id}): pulse_number = {pulse_number} appears twice \
         among the recording's QC-passed current-clamp responses; expected each pulse number \
         at most once per recording"
    )]
    DuplicatePulse {
        /// Index of the second event in the input slice.
        index: usize,
        /// The event's recording id.
        recording_id: i64,
        /// The repeated pulse number.
        pulse_number: u32,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
