//! The crate's single error type.

use std::fmt;
use std::path::PathBuf;

/// An error from opening or reading a database, running a query, or fetching a file.
///
/// The [`ErrorKind`] says what went wrong; its message names the file, table, column or
/// pair that failed and what to do about it.
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
    synphys_schema::Error => Schema,
    synphys_cellclass::Error => CellClass,
    synphys_connectivity::Error => Connectivity,
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kinds of error this crate reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file does not exist or cannot be read.
    #[error("cannot open database {}: {source}; check the path and its permissions", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not an SQLite database (or is truncated or corrupt).
    #[error("{} is not a readable SQLite database ({reason}); is it a complete download of a synphys .sqlite file?", path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// The database has no `metadata` table (so no schema version).
    #[error("{} has no metadata table: it is not a Synaptic Physiology database", path.display())]
    NoMetadata {
        /// The file.
        path: PathBuf,
    },
    /// The database's schema version is not the one this crate reads.
    #[error("{} has schema version {found}, but synphys reads version {expected}; download a current file (`synphys db download small`) or open it with the version check overridden", path.display())]
    SchemaVersion {
        /// The file.
        path: PathBuf,
        /// The version the file declares.
        found: String,
        /// The version this crate reads.
        expected: &'static str,
    },
    /// An operation needs a table that this file does not have (a small file lacks the
    /// per-event tables).
    #[error("{} has no table `{table}`, needed to {needed_for}; use a medium or full file (`synphys db download medium`)", path.display())]
    MissingTable {
        /// The file.
        path: PathBuf,
        /// The missing table.
        table: String,
        /// What it was needed for.
        needed_for: String,
    },
    /// SQLite reported an error while running a statement.
    #[error("database error in {context}: {source}")]
    Sqlite {
        /// What was being done.
        context: String,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored value could not be decoded into its column's kind.
    #[error(transparent)]
    Schema(#[from] synphys_schema::Error),
    /// A cell class could not be used.
    #[error(transparent)]
    CellClass(#[from] synphys_cellclass::Error),
    /// A connectivity computation failed.
    #[error(transparent)]
    Connectivity(#[from] synphys_connectivity::Error),
    // Further kinds are added by each module below this line.
    // --- the catalogue, the cache and downloads ---
    /// A name that is neither a size (`small`, `medium`, `full`) nor a published file.
    #[error("`{name}` is not a published database file{}; accepted names: {}", suggestion(close_matches), available.join(", "))]
    UnknownFile {
        /// The name given.
        name: String,
        /// Accepted names that look like it, closest first.
        close_matches: Vec<String>,
        /// Every accepted name.
        available: Vec<String>,
    },
    /// A catalogue of published files could not be read.
    #[error("invalid catalogue of published files: {reason}")]
    Catalog {
        /// What is wrong with it.
        reason: String,
    },
    /// Neither `SYNPHYS_CACHE` nor a platform cache directory is available.
    #[error(
        "no cache directory: set SYNPHYS_CACHE to a writable directory for downloaded databases"
    )]
    NoCacheDir,
    /// A file or directory of the cache cannot be read or written.
    #[error("cache file {}: {source}; check its permissions and free space, or set SYNPHYS_CACHE to another directory", path.display())]
    Cache {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server answered with an error status.
    #[error(
        "{url} answered HTTP {status} {reason}; check the name with `synphys db list`, or try again later if the server is failing"
    )]
    HttpStatus {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The status's standard reason phrase (may be empty).
        reason: String,
    },
    /// The server could not be reached, or the connection broke during the transfer.
    #[error("downloading {url} failed: {reason}; run the download again to resume it")]
    Download {
        /// The URL requested.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The file's size is not the size announced or expected; nothing was installed.
    #[error(
        "downloading {url}: expected {expected_bytes} bytes, {what} {found_bytes}; nothing was installed (a shorter partial file is kept for resuming, a longer one was removed): try again, and if this repeats the server's file is not the one expected"
    )]
    WrongSize {
        /// The URL requested.
        url: String,
        /// The size the file must have.
        expected_bytes: u64,
        /// The size announced or received.
        found_bytes: u64,
        /// Where `found_bytes` comes from (`the server announced`, `the connection closed after`…).
        what: String,
    },
    /// The download was stopped through its cancel flag.
    #[error("download of {url} cancelled after {bytes} bytes; {} is kept and the next download resumes it", partial.display())]
    DownloadCancelled {
        /// The URL requested.
        url: String,
        /// The partial file kept for resuming.
        partial: PathBuf,
        /// Bytes it holds.
        bytes: u64,
    },
    /// Another download of the same file is running (it holds the partial file's lock).
    #[error("{} is being written by another download; wait for it to finish", partial.display())]
    DownloadInProgress {
        /// The partial file.
        partial: PathBuf,
    },
    // --- frames, the pair query and `sql()` (query core) ---
    /// The file is shorter than its SQLite header says (an incomplete download or copy).
    #[error("{} is truncated: its header describes {expected_bytes} bytes but the file has {found_bytes}; download it again (`synphys db download`)", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The size the header describes (page size × page count).
        expected_bytes: u64,
        /// The file's size.
        found_bytes: u64,
    },
    /// A frame has no column of that name.
    #[error(
        "no column `{column}` in the result{}; columns are named `table.column` (e.g. `pair.distance`)",
        suggestion(close_matches)
    )]
    NoSuchColumn {
        /// The name asked for.
        column: String,
        /// Similar column names of the frame.
        close_matches: Vec<String>,
    },
    /// A frame column was read as a type it does not hold.
    #[error("column `{column}` holds {kind} values, not {wanted}")]
    ColumnType {
        /// The column.
        column: String,
        /// What it holds.
        kind: crate::FrameKind,
        /// What was asked for.
        wanted: &'static str,
    },
    /// A value read from the database does not fit its column's kind.
    #[error("row {row} of column `{column}`: {found} cannot be read as {kind}")]
    BadValue {
        /// The column.
        column: String,
        /// The row (0-based, in result order).
        row: usize,
        /// The column's kind.
        kind: crate::FrameKind,
        /// What was found (storage class and an excerpt).
        found: String,
    },
    /// A pair-query filter or preload is invalid.
    #[error("invalid pair-query {what} `{given}`: {reason}")]
    InvalidFilter {
        /// Which filter (e.g. `synapse_type`, `filter expression`).
        what: &'static str,
        /// What was given.
        given: String,
        /// Why it is refused and what is accepted.
        reason: String,
    },
    /// A project name that no experiment of the database has.
    #[error("project name `{name}` is not in {}; its projects are: {}", path.display(), available.join(", "))]
    UnknownProject {
        /// The database file.
        path: PathBuf,
        /// The name given.
        name: String,
        /// The project names the database has.
        available: Vec<String>,
    },
    /// A statement given to `sql()` would write, or is not a single SELECT.
    #[error(
        "refused statement `{statement}`: {reason}; databases are opened read-only, so only SELECT (and WITH … SELECT) statements run"
    )]
    NotReadOnly {
        /// The statement (possibly shortened).
        statement: String,
        /// Why.
        reason: String,
    },
    /// A mask, class list or other argument has the wrong length.
    #[error("{what} has {found} entries but the frame has {expected} rows")]
    LengthMismatch {
        /// What was given.
        what: &'static str,
        /// Its length.
        found: usize,
        /// The frame's number of rows.
        expected: usize,
    },
    /// Writing a frame failed.
    #[error("cannot write the frame as {format}: {source}")]
    Write {
        /// The output format.
        format: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A pair reference (`EXPERIMENT:PRE_CELL:POST_CELL` or `id:N`) could not be read.
    #[error(
        "cannot read pair `{text}`: {reason}; write EXPERIMENT:PRE_CELL:POST_CELL with external ids (e.g. 1525829536.548:7:2) or id:N with a pair id (e.g. id:123)"
    )]
    InvalidPairRef {
        /// The text given.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No pair of the database matches a pair reference.
    #[error("{} has no pair {pair}: {reason}", path.display())]
    PairNotFound {
        /// The file.
        path: PathBuf,
        /// The pair asked for.
        pair: String,
        /// What was missing, and what exists instead.
        reason: String,
    },
    /// A pair has no events to load (DESIGN §7a).
    #[error("pair {pair} in {} has no events: no current-clamp pulse response with a baseline, a stimulus pulse and recordings; pick a pair with a synapse that was probed in current clamp", path.display())]
    NoEvents {
        /// The file.
        path: PathBuf,
        /// The pair.
        pair: String,
    },
    /// None of a pair's events has a fitted amplitude (DESIGN §7a).
    #[error("pair {pair} in {}: none of its {n_events} events has a finite fitted amplitude (pulse_response_fit.dec_fit_reconv_amp); pick a pair whose responses were fitted", path.display())]
    NoEventAmplitudes {
        /// The file.
        path: PathBuf,
        /// The pair.
        pair: String,
        /// How many events were loaded.
        n_events: usize,
    },
    /// A computation needs the synapse's sign, but its type is not `ex` or `in`.
    #[error("pair {pair} has synapse type {}, but {needed_for} needs a synapse of type `ex` or `in`", synapse_type.as_deref().map_or_else(|| "none (no synapse row)".to_string(), |t| format!("`{t}`")))]
    UnsignedSynapse {
        /// The pair.
        pair: String,
        /// Its `synapse.synapse_type`, if any.
        synapse_type: Option<String>,
        /// What needed the sign.
        needed_for: &'static str,
    },
    /// The short-term dynamics of a pair's events could not be computed.
    #[error("dynamics of pair {pair}: {source}")]
    PairDynamics {
        /// The pair.
        pair: String,
        /// Why.
        #[source]
        source: synphys_dynamics::Error,
    },
}

impl ErrorKind {
    /// Wraps an SQLite error with what was being done.
    pub(crate) fn sqlite(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let context = context.into();
        move |source| ErrorKind::Sqlite { context, source }.into()
    }
}

/// ` (did you mean a, b?)` or nothing.
fn suggestion(close_matches: &[String]) -> String {
    if close_matches.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close_matches.join(", "))
    }
}
