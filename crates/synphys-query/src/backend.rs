//! Where queries run: a small trait so the pair query does not care which database
//! engine executes it, and its SQLite implementation.

use std::path::Path;

use rusqlite::types::ValueRef;
use sea_query::{SelectStatement, SqliteQueryBuilder, Values};
use synphys_schema::Schema;

use crate::SynphysDb;
use crate::error::{ErrorKind, Result};
use crate::frame::{ColumnSpec, Frame, FrameBuilder, FrameKind, Stored};

/// A database engine that runs the pair query's SELECT statements.
///
/// The pair query builds a sea-query [`SelectStatement`]; a backend renders it in its
/// SQL dialect and reads the rows into a [`Frame`]. [`SynphysDb`] is the SQLite
/// backend; a PostgreSQL backend implements the same methods.
pub trait QueryBackend {
    /// The statement as SQL text in this engine's dialect with `?`/`$n` placeholders,
    /// and the values bound to them.
    fn render(&self, select: &SelectStatement) -> (String, Values);

    /// Runs rendered SQL and reads one column per entry of `columns`, in order;
    /// `rows_hint` is the number of rows expected at most (columns are allocated for it
    /// up front, which saves copying them as they grow).
    ///
    /// # Errors
    ///
    /// When the engine reports an error or a value does not fit its column's kind.
    fn fetch(
        &self,
        sql: &str,
        values: &Values,
        columns: &[ColumnSpec],
        rows_hint: usize,
    ) -> Result<Frame>;

    /// A cheap upper bound on the rows of `table` (its largest id), for
    /// [`QueryBackend::fetch`]'s hint.
    ///
    /// # Errors
    ///
    /// When the engine reports an error.
    fn rows_hint(&self, table: &str) -> Result<usize>;

    /// Runs rendered SQL whose single result is a count.
    ///
    /// # Errors
    ///
    /// When the engine reports an error.
    fn count(&self, sql: &str, values: &Values) -> Result<u64>;

    /// Whether the database has table `name` (small files lack the per-event tables,
    /// among them `synapse_prediction`).
    ///
    /// # Errors
    ///
    /// When the engine reports an error.
    fn has_table(&self, name: &str) -> Result<bool>;

    /// The distinct `experiment.project_name` values (to validate project filters).
    ///
    /// # Errors
    ///
    /// When the engine reports an error.
    fn project_names(&self) -> Result<Vec<String>>;

    /// Where the data comes from, for error messages.
    fn source(&self) -> &Path;
}

/// A bound value as SQLite takes it.
fn sqlite_value(value: &sea_query::Value) -> Result<rusqlite::types::Value> {
    use rusqlite::types::Value as S;
    use sea_query::Value as V;
    Ok(match value {
        V::Bool(b) => b.map_or(S::Null, |b| S::Integer(i64::from(b))),
        V::TinyInt(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::SmallInt(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::Int(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::BigInt(i) => i.map_or(S::Null, S::Integer),
        V::TinyUnsigned(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::SmallUnsigned(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::Unsigned(i) => i.map_or(S::Null, |i| S::Integer(i64::from(i))),
        V::BigUnsigned(i) => match i {
            None => S::Null,
            Some(i) => S::Integer(i64::try_from(*i).map_err(|_| ErrorKind::InvalidFilter {
                what: "value",
                given: i.to_string(),
                reason: "integers must fit in 64 signed bits".to_string(),
            })?),
        },
        V::Float(x) => x.map_or(S::Null, |x| S::Real(f64::from(x))),
        V::Double(x) => x.map_or(S::Null, S::Real),
        V::String(s) => s.clone().map_or(S::Null, S::Text),
        V::Char(c) => c.map_or(S::Null, |c| S::Text(c.to_string())),
        V::Bytes(b) => b.clone().map_or(S::Null, S::Blob),
        other => {
            return Err(ErrorKind::InvalidFilter {
                what: "value",
                given: format!("{other:?}"),
                reason: "only numbers, booleans, text and bytes can be bound".to_string(),
            }
            .into());
        }
    })
}

fn stored(value: ValueRef<'_>) -> Stored<'_> {
    match value {
        ValueRef::Null => Stored::Null,
        ValueRef::Integer(i) => Stored::Integer(i),
        ValueRef::Real(x) => Stored::Real(x),
        ValueRef::Text(t) => Stored::Text(t),
        ValueRef::Blob(b) => Stored::Blob(b),
    }
}

fn bind(values: &Values) -> Result<Vec<rusqlite::types::Value>> {
    values.0.iter().map(sqlite_value).collect()
}

/// Steps through every row of `statement`, reading each column into the frame.
fn read_rows(
    statement: &mut rusqlite::Statement<'_>,
    params: &[rusqlite::types::Value],
    columns: &[ColumnSpec],
    rows_hint: usize,
    context: &str,
) -> Result<Frame> {
    // The error is built only on failure: `ErrorKind::sqlite(context)` allocates, and
    // per value that cost as much as reading the value.
    let fail = |e| ErrorKind::sqlite(context)(e);
    let mut builder = FrameBuilder::with_capacity(columns, rows_hint);
    let n = builder.n_columns();
    let mut rows = statement
        .query(rusqlite::params_from_iter(params))
        .map_err(fail)?;
    while let Some(row) = rows.next().map_err(fail)? {
        for i in 0..n {
            let value = row.get_ref(i).map_err(fail)?;
            builder.push(i, stored(value))?;
        }
        builder.end_row();
    }
    builder.finish()
}

impl QueryBackend for SynphysDb {
    fn render(&self, select: &SelectStatement) -> (String, Values) {
        select.build(SqliteQueryBuilder)
    }

    fn fetch(
        &self,
        sql: &str,
        values: &Values,
        columns: &[ColumnSpec],
        rows_hint: usize,
    ) -> Result<Frame> {
        let context = "running the pair query";
        let params = bind(values)?;
        let mut statement = self
            .connection()
            .prepare_cached(sql)
            .map_err(ErrorKind::sqlite(context))?;
        read_rows(&mut statement, &params, columns, rows_hint, context)
    }

    fn count(&self, sql: &str, values: &Values) -> Result<u64> {
        let context = "counting pairs";
        let params = bind(values)?;
        let n: i64 = self
            .connection()
            .query_row(sql, rusqlite::params_from_iter(&params), |row| row.get(0))
            .map_err(ErrorKind::sqlite(context))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn has_table(&self, name: &str) -> Result<bool> {
        SynphysDb::has_table(self, name)
    }

    fn rows_hint(&self, table: &str) -> Result<usize> {
        // max(id) is one index lookup; count(*) would scan the table.
        let sql = format!("SELECT max(id) FROM \"{}\"", table.replace('"', "\"\""));
        let max: Option<i64> = self
            .connection()
            .query_row(&sql, [], |row| row.get(0))
            .map_err(ErrorKind::sqlite(format!("sizing {table}")))?;
        Ok(max.and_then(|n| usize::try_from(n).ok()).unwrap_or(0))
    }

    fn project_names(&self) -> Result<Vec<String>> {
        SynphysDb::project_names(self)
    }

    fn source(&self) -> &Path {
        self.path()
    }
}

/// Shortens a statement for an error message.
fn excerpt(sql: &str) -> String {
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(80).collect::<String>())
    } else {
        one_line
    }
}

impl SynphysDb {
    /// Runs one read-only SQL statement (a SELECT, possibly with a `WITH` clause) and
    /// returns its rows as a [`Frame`].
    ///
    /// Result columns keep the names SQLite gives them (the column name, or the `AS`
    /// alias). A result column that is a plain column of a table the catalogue knows
    /// is typed by the catalogue (booleans, JSON, arrays, date/times); any other is
    /// typed from its values (integers, floats when any value is a float, else text).
    ///
    /// ```
    /// # fn main() -> Result<(), synphys_query::Error> {
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite");
    /// let db = synphys_query::SynphysDb::open(path)?;
    /// let frame = db.sql("SELECT has_synapse, count(*) AS n FROM pair GROUP BY has_synapse ORDER BY 1")?;
    /// assert_eq!(frame.column_names().collect::<Vec<_>>(), ["has_synapse", "n"]);
    /// assert!(frame.bools("has_synapse").is_ok()); // typed from the catalogue
    /// assert!(db.sql("DELETE FROM pair").is_err()); // read-only
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotReadOnly`] for a statement that would write or for several
    /// statements; [`ErrorKind::Sqlite`] for SQL errors.
    pub fn sql(&self, sql: &str) -> Result<Frame> {
        let refuse = |reason: &str| -> crate::Error {
            ErrorKind::NotReadOnly {
                statement: excerpt(sql),
                reason: reason.to_string(),
            }
            .into()
        };
        let context = format!("running `{}`", excerpt(sql));
        let mut statement = match self.connection().prepare(sql) {
            Ok(statement) => statement,
            Err(rusqlite::Error::MultipleStatement) => {
                return Err(refuse("it holds more than one statement"));
            }
            Err(e) => return Err(ErrorKind::sqlite(context)(e)),
        };
        // SQLite knows whether a prepared statement can write; refuse before running it.
        if !statement.readonly() {
            return Err(refuse("it would modify the database"));
        }
        if statement.column_count() == 0 {
            return Err(refuse("it returns no rows"));
        }
        let schema = Schema::v22();
        let columns: Vec<ColumnSpec> = statement
            .columns_with_metadata()
            .map(|c| ColumnSpec {
                name: c.name().to_string(),
                kind: c
                    .table_name()
                    .zip(c.origin_name())
                    .and_then(|(t, col)| schema.table(t)?.column(col))
                    .map(|col| FrameKind::of(col.kind)),
            })
            .collect();
        read_rows(&mut statement, &[], &columns, 0, &context)
    }
}
