//! The crate's error type.

use std::path::PathBuf;

/// An error from building, running, fitting or searching the release model.
///
/// The [`ErrorKind`] says what failed; its message names the input that failed, the
/// value it had, and what is allowed.
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

/// The kinds of [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A model parameter is outside its domain.
    #[error("invalid {name} = {value}: {allowed}")]
    InvalidParameter {
        /// Parameter name (as in [`crate::Param::name`]).
        name: &'static str,
        /// The rejected value.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A parameter was not given to a builder.
    #[error("missing parameter {name}: every model parameter must be set")]
    MissingParameter {
        /// Parameter name.
        name: &'static str,
    },
    /// A parameter name is not one of the nine model parameters.
    #[error("unknown parameter name {name:?}: expected one of {expected}")]
    UnknownParameter {
        /// The unknown name.
        name: String,
        /// The accepted names.
        expected: String,
    },
    /// A spike time is not finite or the spike times are not in ascending order.
    #[error("invalid spike time {value} at index {index}: {reason}")]
    InvalidSpikeTime {
        /// Index of the offending spike.
        index: usize,
        /// Its value in seconds.
        value: f64,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// The spike train is empty.
    #[error("empty spike train: at least one spike time is needed")]
    EmptySpikeTrain,
    /// Spike times and amplitudes have different lengths.
    #[error(
        "{spike_times} spike times but {amplitudes} amplitudes: one amplitude (or NaN) per spike is needed"
    )]
    LengthMismatch {
        /// Number of spike times.
        spike_times: usize,
        /// Number of amplitudes.
        amplitudes: usize,
    },
    /// An amplitude is infinite (NaN marks a missing event; infinities are not allowed).
    #[error(
        "invalid amplitude {value} at index {index}: amplitudes must be finite, or NaN for a missing event"
    )]
    InvalidAmplitude {
        /// Index of the offending amplitude.
        index: usize,
        /// Its value in volts.
        value: f64,
    },
    /// A density was asked for at a NaN amplitude.
    #[error("amplitude is NaN: a density needs a number")]
    NanAmplitude,
    /// No event has a finite amplitude, so there is nothing to fit.
    #[error("no measured event: every amplitude is NaN")]
    NoMeasuredEvents,
    /// The initial mini-amplitude estimate is undefined for these inputs.
    #[error("cannot estimate mini_amplitude: {reason}")]
    MiniAmplitudeEstimate {
        /// Why the estimate is undefined.
        reason: String,
    },
    /// The reference coefficient table only covers n ≤ 66.
    #[error(
        "n_release_sites = {n} needs a binomial coefficient beyond the reference table (n ≤ {max}); use Coefficients::Exact"
    )]
    ReferenceTableLimit {
        /// The requested number of sites.
        n: u32,
        /// The largest supported n.
        max: u32,
    },
    /// A parameter-space axis is invalid.
    #[error("invalid parameter-space axis {name}: {reason}")]
    InvalidAxis {
        /// Axis (parameter) name.
        name: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A shard specification `i/n` is invalid.
    #[error("invalid shard {index}/{count}: need count ≥ 1 and index < count")]
    InvalidShard {
        /// Shard index.
        index: usize,
        /// Number of shards.
        count: usize,
    },
    /// A shard or search-result file is truncated, corrupt, malformed or not one.
    #[error("bad search file {path} ({problem}): {reason}")]
    ShardFormat {
        /// The file.
        path: PathBuf,
        /// What kind of problem it has.
        problem: FileProblem,
        /// What is wrong with it.
        reason: String,
    },
    /// Shards cannot be merged into one result.
    #[error("cannot merge shards: {reason}")]
    ShardMerge {
        /// Why not.
        reason: String,
    },
    /// Shards computed by different inner-loop kernels were merged without
    /// [`MergeOptions::allow_mixed_kernels`](crate::MergeOptions::allow_mixed_kernels).
    #[error(
        "cannot merge shards: shard {first_shard} was computed by the {first} kernel but shard {other_shard} by the {other} kernel (their scores may differ in the last bits); allow it with MergeOptions::allow_mixed_kernels"
    )]
    MixedKernels {
        /// Index of the first shard given.
        first_shard: usize,
        /// Its kernel(s).
        first: String,
        /// Index of the shard that differs.
        other_shard: usize,
        /// Its kernel(s).
        other: String,
    },
    /// Reading or writing a file failed.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A search was cancelled through its cancellation flag.
    #[error("search cancelled after {completed} of {total} points")]
    Cancelled {
        /// Points finished before the cancellation was seen.
        completed: u64,
        /// Points in the search.
        total: u64,
    },
    /// The worker thread pool could not be started.
    #[error("cannot start {threads} worker threads: {reason}")]
    ThreadPool {
        /// Requested number of threads.
        threads: usize,
        /// Why not.
        reason: String,
    },
    /// A confidence level is outside (0, 1).
    #[error("invalid confidence level {level}: must be in (0, 1)")]
    InvalidLevel {
        /// The rejected level.
        level: f64,
    },
}

/// What is wrong with a file that [`ErrorKind::ShardFormat`] rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileProblem {
    /// Shorter than its header says (e.g. a copy cut short).
    Truncated,
    /// Its checksum does not match its bytes.
    Corrupt,
    /// Not a file of this format or version at all.
    WrongFormat,
    /// The right format but inconsistent content (bad header fields, extra bytes, a
    /// shard where a whole result is expected).
    Malformed,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileProblem::Truncated => "truncated",
            FileProblem::Corrupt => "corrupt",
            FileProblem::WrongFormat => "wrong format",
            FileProblem::Malformed => "malformed",
        })
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
