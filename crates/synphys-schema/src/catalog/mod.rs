//! The column catalogue: every table and column of the database layout, as static data.

mod v22;

use std::fmt;

/// How a column's values are stored in SQLite and what they mean.
///
/// The kinds are those of the Python package's schema definitions; [`ColumnKind::sql_type`]
/// gives the declared SQL type it creates for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// 32-bit integer, stored as `INTEGER`.
    Int,
    /// 64-bit integer, stored as `BIGINT`.
    BigInt,
    /// Double-precision float, stored as `FLOAT`. SQLite cannot store NaN: it reads back as null.
    Float,
    /// Boolean, stored as `INTEGER` 0 or 1 in a `BOOLEAN` column.
    Bool,
    /// Text, stored as `VARCHAR`.
    Str,
    /// Calendar date, stored as text `YYYY-MM-DD`.
    Date,
    /// Date and time, stored as text `YYYY-MM-DD HH:MM:SS[.ffffff]`.
    DateTime,
    /// Any JSON value, stored as JSON text in a `VARCHAR` column (`null` text means null).
    Object,
    /// An n-dimensional array, stored as a NumPy `.npy` file in a `BLOB` (empty means null).
    Array,
}

impl Column {
    /// The qualified name `table.column`, as used in query results and error messages.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.table, self.name)
    }
}

impl ColumnKind {
    /// Every kind, in declaration order.
    pub const ALL: [ColumnKind; 9] = [
        ColumnKind::Int,
        ColumnKind::BigInt,
        ColumnKind::Float,
        ColumnKind::Bool,
        ColumnKind::Str,
        ColumnKind::Date,
        ColumnKind::DateTime,
        ColumnKind::Object,
        ColumnKind::Array,
    ];

    /// The name the schema description uses for this kind (`"int"`, `"float"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Int => "int",
            ColumnKind::BigInt => "bigint",
            ColumnKind::Float => "float",
            ColumnKind::Bool => "bool",
            ColumnKind::Str => "str",
            ColumnKind::Date => "date",
            ColumnKind::DateTime => "datetime",
            ColumnKind::Object => "object",
            ColumnKind::Array => "array",
        }
    }

    /// Parses a kind name as written in the schema description.
    pub fn from_name(name: &str) -> Option<ColumnKind> {
        ColumnKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The SQL type declared for this kind in `CREATE TABLE`, as the Python package's
    /// SQLAlchemy types render it for SQLite.
    pub fn sql_type(self) -> &'static str {
        match self {
            ColumnKind::Int => "INTEGER",
            ColumnKind::BigInt => "BIGINT",
            ColumnKind::Float => "FLOAT",
            ColumnKind::Bool => "BOOLEAN",
            ColumnKind::Str | ColumnKind::Object => "VARCHAR",
            ColumnKind::Date => "DATE",
            ColumnKind::DateTime => "DATETIME",
            ColumnKind::Array => "BLOB",
        }
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Name of the table the column belongs to, e.g. `"pair"`.
    pub table: &'static str,
    /// Column name, e.g. `"pre_cell_id"`.
    pub name: &'static str,
    /// Storage kind.
    pub kind: ColumnKind,
    /// Whether this is the table's primary key (only `id` is).
    pub primary_key: bool,
    /// The referenced table for a foreign key (always its `id` column), e.g. `Some("cell")`.
    pub references: Option<&'static str>,
    /// Whether the column has an index `ix_<table>_<column>`.
    pub index: bool,
    /// Whether values must be unique (a unique index when indexed).
    pub unique: bool,
    /// Whether the column is large and left out of default query results
    /// (DESIGN §4); it is still returned when asked for by name.
    pub deferred: bool,
}

/// One table: its name and its columns in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// Table name, e.g. `"pair"`.
    pub name: &'static str,
    /// Columns in declaration order; `id` first, `meta` last.
    pub columns: &'static [Column],
}

impl Table {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Columns returned by default from a query: all but the deferred ones.
    pub fn default_columns(&self) -> impl Iterator<Item = &'static Column> + use<> {
        self.columns.iter().filter(|c| !c.deferred)
    }

    /// The table's foreign-key columns.
    pub fn foreign_keys(&self) -> impl Iterator<Item = &'static Column> + use<> {
        self.columns.iter().filter(|c| c.references.is_some())
    }
}

/// A version of the database layout: every table in creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The schema version stored in the `metadata` row, e.g. `"22"`.
    pub version: &'static str,
    /// Tables in creation order (a table only references tables before it).
    pub tables: &'static [Table],
}

impl Schema {
    /// The layout of schema version 22, used by the current public release files.
    pub fn v22() -> &'static Schema {
        &v22::SCHEMA
    }

    /// The table with this name.
    pub fn table(&self, name: &str) -> Option<&'static Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The table with this name, or an error that lists the tables with similar names.
    pub fn require_table(&self, name: &str) -> crate::Result<&'static Table> {
        self.table(name).ok_or_else(|| {
            crate::Error::new(crate::ErrorKind::UnknownTable {
                table: name.to_string(),
                close_matches: close_matches(name, self.tables.iter().map(|t| t.name)),
            })
        })
    }

    /// The column `table.column`, or an error naming what is unknown and similar names.
    pub fn require_column(&self, table: &str, column: &str) -> crate::Result<&'static Column> {
        let t = self.require_table(table)?;
        t.column(column).ok_or_else(|| {
            crate::Error::new(crate::ErrorKind::UnknownColumn {
                table: table.to_string(),
                column: column.to_string(),
                close_matches: close_matches(column, t.columns.iter().map(|c| c.name)),
            })
        })
    }
}

/// Up to five candidates closest to `name` by edit distance (or containing it), best first.
///
/// Used by error messages across the workspace so a typo names what was probably meant.
pub fn close_matches<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(&lower, &c.to_ascii_lowercase());
            let related = d <= limit || (lower.len() >= 3 && c.contains(lower.as_str()));
            related.then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(5)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("cre_type", "cre_type"), 0);
    }

    #[test]
    fn close_matches_suggests_the_intended_column() {
        let pair = Schema::v22().table("pair").unwrap();
        let got = close_matches("has_synapes", pair.columns.iter().map(|c| c.name));
        assert_eq!(got.first().map(String::as_str), Some("has_synapse"));
    }

    #[test]
    fn kinds_round_trip_through_names() {
        for kind in ColumnKind::ALL {
            assert_eq!(ColumnKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ColumnKind::from_name("decimal"), None);
    }
}
