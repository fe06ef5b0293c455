use std::fmt;

use crate::ColumnKind;

/// An error from reading or writing the database layout or its values.
///
/// Every message names the input that failed (the table, column, file or value) and,
/// where it can, what would have been accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A table name that the schema does not have.
    UnknownTable {
        /// The name asked for.
        table: String,
        /// Table names close to it.
        close_matches: Vec<String>,
    },
    /// A column name that the table does not have.
    UnknownColumn {
        /// The table searched.
        table: String,
        /// The name asked for.
        column: String,
        /// Column names of the table close to it.
        close_matches: Vec<String>,
    },
    /// A stored value whose SQLite storage class cannot hold the column's kind
    /// (for example text in a `float` column).
    StoredValueMismatch {
        /// `table.column`.
        column: String,
        /// The column's kind.
        kind: ColumnKind,
        /// What was found: SQLite storage class and a short excerpt.
        found: String,
    },
    /// A value of the wrong type given for a column when encoding.
    ValueMismatch {
        /// `table.column`.
        column: String,
        /// The column's kind.
        kind: ColumnKind,
        /// The value's type.
        found: &'static str,
    },
    /// A null value for a field that cannot be null (a table's `id`).
    NullValue {
        /// `table.column`.
        column: String,
    },
    /// A typed row built from the wrong number of values.
    ColumnCount {
        /// The table.
        table: &'static str,
        /// Its number of columns.
        expected: usize,
        /// The number of values given.
        found: usize,
    },
    /// Text in a JSON (`object`) column that is not valid JSON.
    InvalidJson {
        /// `table.column`, or where the text came from.
        column: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Text in a `date` or `datetime` column that is not `YYYY-MM-DD[ HH:MM:SS[.ffffff]]`.
    InvalidDateTime {
        /// `table.column`, or where the text came from.
        column: String,
        /// The text that failed to parse.
        text: String,
    },
    /// Bytes that are not a NumPy `.npy` file this crate can read.
    InvalidNpy {
        /// What was being read (`table.column` or a file name).
        source: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `.npy` element type outside f64, f32, i64, i32 and bool.
    UnsupportedDtype {
        /// What was being read.
        source: String,
        /// The `.npy` type descriptor found, e.g. `'<u2'`.
        descriptor: String,
    },
    /// The database's `metadata` table is missing, empty, has several rows, or its `meta`
    /// JSON lacks a field.
    InvalidMetadata {
        /// What is wrong.
        reason: String,
    },
    /// The database has a different schema version than this crate reads.
    SchemaVersionMismatch {
        /// The `db_version` found in the file.
        found: String,
        /// The version this crate reads.
        expected: String,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

fn suggestions(f: &mut fmt::Formatter<'_>, close: &[String]) -> fmt::Result {
    if !close.is_empty() {
        write!(f, "; did you mean {}?", close.join(", "))?;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::UnknownTable {
                table,
                close_matches,
            } => {
                write!(f, "unknown table {table:?} in schema v22")?;
                suggestions(f, close_matches)
            }
            ErrorKind::UnknownColumn {
                table,
                column,
                close_matches,
            } => {
                write!(f, "table {table:?} has no column {column:?}")?;
                suggestions(f, close_matches)
            }
            ErrorKind::StoredValueMismatch {
                column,
                kind,
                found,
            } => write!(
                f,
                "column {column} holds {found}, which cannot be read as its kind `{kind}`"
            ),
            ErrorKind::ValueMismatch {
                column,
                kind,
                found,
            } => write!(
                f,
                "cannot store a {found} value in column {column} of kind `{kind}`"
            ),
            ErrorKind::NullValue { column } => {
                write!(f, "column {column} is null, but it must hold a value")
            }
            ErrorKind::ColumnCount {
                table,
                expected,
                found,
            } => write!(
                f,
                "a {table} row needs {expected} values, one per column, but {found} were given"
            ),
            ErrorKind::InvalidJson { column, message } => {
                write!(f, "column {column} holds invalid JSON: {message}")
            }
            ErrorKind::InvalidDateTime { column, text } => write!(
                f,
                "column {column}: {text:?} is not a date/time of the form \
                 YYYY-MM-DD HH:MM:SS[.ffffff]"
            ),
            ErrorKind::InvalidNpy { source, reason } => {
                write!(f, "{source}: not a readable NumPy .npy array: {reason}")
            }
            ErrorKind::UnsupportedDtype { source, descriptor } => write!(
                f,
                "{source}: .npy element type {descriptor} is not supported \
                 (supported: float64, float32, int64, int32, bool)"
            ),
            ErrorKind::InvalidMetadata { reason } => {
                write!(f, "invalid metadata table: {reason}")
            }
            ErrorKind::SchemaVersionMismatch { found, expected } => write!(
                f,
                "database schema version is {found}, but this version of synphys reads \
                 schema version {expected}: use a release file with schema {expected} \
                 (see the file catalogue), or override the check to read it at your own risk"
            ),
        }
    }
}
