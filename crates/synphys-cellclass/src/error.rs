//! The crate's single error type.

use std::fmt;

use synphys_schema::ColumnKind;

use crate::CompareOp;

/// An error from defining, naming or applying cell classes.
///
/// The [`ErrorKind`] says what went wrong; its message names the input that failed and
/// what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The line (1-based) of a class file the error points at, if it came from one.
    pub fn line(&self) -> Option<usize> {
        match self.kind {
            ErrorKind::ClassFile { line, .. } => Some(line),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kinds of error this crate reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A criterion names a column that no cell table has.
    #[error(
        "unknown cell class criterion `{column}`{}: a criterion is a column of cell, \
         morphology, patch_seq, intrinsic or cortical_cell_location",
        did_you_mean(close_matches)
    )]
    UnknownColumn {
        /// The name given.
        column: String,
        /// Criterion names close to it.
        close_matches: Vec<String>,
    },
    /// A criterion names a column holding JSON or arrays, which cannot be compared.
    #[error(
        "column `{column}` holds {kind} values and cannot be a cell class criterion: use a \
         column holding numbers, booleans or text"
    )]
    UnsupportedColumn {
        /// `table.column`.
        column: String,
        /// The column's kind.
        kind: ColumnKind,
    },
    /// Two criteria for the same column (comparisons on one column combine instead).
    #[error(
        "criterion `{column}` is given twice: a class has one criterion per column \
         (comparisons on one column combine into one)"
    )]
    DuplicateCriterion {
        /// The column.
        column: String,
    },
    /// A map of alternatives names the same column twice.
    #[error("the alternatives of criterion `{criterion}` name column `{column}` twice")]
    DuplicateAlternative {
        /// The criterion holding the alternatives.
        criterion: String,
        /// The repeated column.
        column: String,
    },
    /// The same comparison operator twice on one column.
    #[error("criterion `{column}` compares with `{op}` twice: give each operator at most once")]
    DuplicateComparison {
        /// The column.
        column: String,
        /// The repeated operator.
        op: CompareOp,
    },
    /// A comparison criterion without comparisons.
    #[error("criterion `{column}` has no comparisons: give at least one of < <= > >= == !=")]
    EmptyComparison {
        /// The column.
        column: String,
    },
    /// A comparison against null.
    #[error(
        "criterion `{column}` compares with `{op}` against null: comparisons need a value \
         (to select cells whose `{column}` is null, use equality with null)"
    )]
    NullComparison {
        /// The column.
        column: String,
        /// The operator.
        op: CompareOp,
    },
    /// A NaN criterion value.
    #[error(
        "criterion `{column}` has a NaN value: NaN equals nothing; use a number, or null \
         for a missing value"
    )]
    NanValue {
        /// The column.
        column: String,
    },
    /// An ordering comparison whose value cannot be ordered against the column's values.
    #[error(
        "criterion `{column}` orders ({op}) a {kind} column against a value of type \
         {value_type}: {allowed}"
    )]
    IncomparableValue {
        /// The column.
        column: String,
        /// The column's kind.
        kind: ColumnKind,
        /// The operator.
        op: CompareOp,
        /// The value's type.
        value_type: &'static str,
        /// What the column can be ordered against.
        allowed: &'static str,
    },
    /// A `cell_class` or `cell_class_nonsynaptic` criterion other than ex, in or mixed,
    /// met while inferring whether a class is excitatory.
    #[error(
        "criterion `{column}` is {value}: to infer excitatory/inhibitory it must be 'ex', \
         'in' or 'mixed'"
    )]
    InvalidCellClass {
        /// `cell_class` or `cell_class_nonsynaptic`.
        column: &'static str,
        /// The criterion as Python prints it.
        value: String,
    },
    /// A class without an explicit name whose `target_layer` criterion is not a string,
    /// so no name can be generated.
    #[error(
        "cannot name the class: its target_layer criterion is {value}, and a generated \
         name needs it to be a string (give the class a name, or target_layer as text)"
    )]
    UnnamableTargetLayer {
        /// The criterion as Python prints it.
        value: String,
    },
    /// Two classes of a set with the same name.
    #[error("two classes are named {name:?}: names in a class set must differ")]
    DuplicateClassName {
        /// The name.
        name: String,
    },
    /// A row of pair results without a column that a class needs.
    #[error(
        "pair row {row} has no column `{column}`: load the cell tables with the pairs \
         (preload `cell`) to classify them"
    )]
    MissingFrameColumn {
        /// The full column name, e.g. `pre_cell.cre_type`.
        column: String,
        /// The row's index.
        row: usize,
    },
    /// A preset name that does not exist.
    #[error("unknown class preset `{name}`: the presets are {}", available.join(", "))]
    UnknownPreset {
        /// The name given.
        name: String,
        /// The preset names.
        available: Vec<&'static str>,
    },
    /// A class file that cannot be read.
    #[error("class file line {line}, column {column}: {reason}")]
    ClassFile {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong and what was expected.
        reason: String,
    },
}

fn did_you_mean(candidates: &[String]) -> String {
    if candidates.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", candidates.join(", "))
    }
}
