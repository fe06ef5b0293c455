//! Writing rows through the schema catalogue, the atomic file write, and the logical
//! digest.

use std::path::{Path, PathBuf};

use rusqlite::types::{Value as SqlValue, ValueRef};
use sha2::{Digest, Sha256};
use synphys_schema::{PER_EVENT_TABLES, Schema, StoredValue, Table, TableRow, Value};

use crate::error::{Error, ErrorKind, Result};

/// One row of a table without a typed row struct: values in catalogue column order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GenericRow(pub(crate) Vec<Value>);

impl GenericRow {
    /// A row of `table` with `id` and the named columns set, every other column null.
    pub(crate) fn new(
        table: &'static Table,
        id: i64,
        set: Vec<(&str, Value)>,
    ) -> Result<GenericRow> {
        let mut values = vec![Value::Null; table.columns.len()];
        values[0] = Value::Int(id);
        for (name, value) in set {
            let i = table
                .columns
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    ErrorKind::Invalid(format!("table {} has no column {name}", table.name))
                })?;
            values[i] = value;
        }
        Ok(GenericRow(values))
    }
}

/// Inserts rows given as values in the table's catalogue column order, each encoded by
/// its catalogue column (so nulls, JSON and arrays are spelled as the Python package
/// spells them).
pub(crate) fn insert_values<'r>(
    tx: &rusqlite::Transaction<'_>,
    table: &'static Table,
    rows: impl Iterator<Item = std::borrow::Cow<'r, [Value]>>,
) -> Result<usize> {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        // Nothing to insert, and the table may be absent (a small file's per-event tables).
        return Ok(0);
    }
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        names.join(", "),
        placeholders.join(", ")
    );
    let context = || format!("inserting into table {}", table.name);
    let mut statement = tx.prepare_cached(&sql).map_err(Error::sqlite(context()))?;
    let mut count = 0;
    let mut encoded: Vec<SqlValue> = Vec::with_capacity(names.len());
    for row in rows {
        encoded.clear();
        for (column, value) in table.columns.iter().zip(row.iter()) {
            encoded.push(match column.encode(value)? {
                StoredValue::Null => SqlValue::Null,
                StoredValue::Integer(i) => SqlValue::Integer(i),
                StoredValue::Real(r) => SqlValue::Real(r),
                StoredValue::Text(t) => SqlValue::Text(t),
                StoredValue::Blob(b) => SqlValue::Blob(b),
            });
        }
        statement
            .execute(rusqlite::params_from_iter(encoded.iter()))
            .map_err(Error::sqlite(context()))?;
        count += 1;
    }
    Ok(count)
}

/// Inserts typed rows of one table.
pub(crate) fn insert_rows<T: TableRow>(
    tx: &rusqlite::Transaction<'_>,
    rows: &[T],
) -> Result<usize> {
    let table = Schema::v22().require_table(T::TABLE)?;
    insert_values(
        tx,
        table,
        rows.iter().map(|r| std::borrow::Cow::Owned(r.to_values())),
    )
}

/// Inserts generic rows of one table.
pub(crate) fn insert_generic(
    tx: &rusqlite::Transaction<'_>,
    table: &'static Table,
    rows: &[GenericRow],
) -> Result<usize> {
    insert_values(
        tx,
        table,
        rows.iter()
            .map(|r| std::borrow::Cow::Borrowed(r.0.as_slice())),
    )
}

/// Writes a database atomically: `fill` runs on a fresh v22 database at a temporary path
/// in the target's directory, inside one transaction; the file is renamed into place only
/// when everything succeeded, and removed otherwise.
pub(crate) fn write_atomically(
    path: &Path,
    overwrite: bool,
    page_size: u32,
    with_event_tables: bool,
    fill: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<()> {
    if !overwrite && path.exists() {
        return Err(ErrorKind::Exists {
            path: path.to_path_buf(),
        }
        .into());
    }
    let temp = temp_path(path);
    if temp.exists() {
        std::fs::remove_file(&temp)
            .map_err(Error::io("removing the stale temporary file", &temp))?;
    }
    let result = write_file(&temp, page_size, with_event_tables, fill).and_then(|()| {
        std::fs::rename(&temp, path).map_err(Error::io("renaming the finished database to", path))
    });
    if result.is_err() {
        // The partial file is useless; a failure to remove it must not hide the cause.
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(
        || "demo.sqlite".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

fn write_file(
    temp: &Path,
    page_size: u32,
    with_event_tables: bool,
    fill: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<()> {
    let mut db = rusqlite::Connection::open(temp)
        .map_err(Error::sqlite(format!("creating {}", temp.display())))?;
    // A crash leaves a temporary file that is never renamed, so the journal buys nothing.
    db.execute_batch(&format!(
        "PRAGMA page_size = {page_size}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;"
    ))
        .map_err(Error::sqlite("setting up the new database"))?;
    // Like the published files, a small database has no per-event tables at all.
    let statements = Schema::v22()
        .create_statements_for(|table| with_event_tables || !PER_EVENT_TABLES.contains(&table));
    for statement in statements {
        db.execute(&statement, [])
            .map_err(Error::sqlite("creating the schema-22 tables"))?;
    }
    let tx = db
        .transaction()
        .map_err(Error::sqlite("starting the transaction"))?;
    // Pairs refer to their reciprocal pair, which is inserted after the first of the two.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")
        .map_err(Error::sqlite("deferring foreign keys"))?;
    fill(&tx)?;
    tx.commit()
        .map_err(Error::sqlite("committing (a foreign key may not resolve)"))?;
    db.close()
        .map_err(|(_, e)| Error::sqlite("closing the new database")(e))?;
    Ok(())
}

/// SHA-256 over every table's rows in id order, in hex: equal for two files with the same
/// logical content, whatever their page layout.
///
/// Tables are hashed in the schema catalogue's order; a table missing from the file is
/// hashed as absent. Each value is hashed with its SQLite storage class.
///
/// # Errors
///
/// When the file cannot be opened or read.
pub fn logical_digest(path: impl AsRef<Path>) -> Result<String> {
    let path = path.as_ref();
    let db = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(Error::sqlite(format!("opening {}", path.display())))?;
    let mut hasher = Sha256::new();
    for table in Schema::v22().tables {
        hasher.update(table.name.as_bytes());
        let exists: bool = db
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table.name],
                |row| row.get(0),
            )
            .map_err(Error::sqlite(format!("reading {}", path.display())))?;
        if !exists {
            hasher.update(b"\x00absent");
            continue;
        }
        let context = || format!("reading table {} of {}", table.name, path.display());
        let mut statement = db
            .prepare(&format!("SELECT * FROM {} ORDER BY id", table.name))
            .map_err(Error::sqlite(context()))?;
        let n = statement.column_count();
        let mut rows = statement.query([]).map_err(Error::sqlite(context()))?;
        while let Some(row) = rows.next().map_err(Error::sqlite(context()))? {
            hasher.update(b"\x01row");
            for i in 0..n {
                match row.get_ref(i).map_err(Error::sqlite(context()))? {
                    ValueRef::Null => hasher.update([0u8]),
                    ValueRef::Integer(v) => {
                        hasher.update([1u8]);
                        hasher.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        hasher.update([2u8]);
                        hasher.update(v.to_bits().to_le_bytes());
                    }
                    ValueRef::Text(t) => {
                        hasher.update([3u8]);
                        hasher.update((t.len() as u64).to_le_bytes());
                        hasher.update(t);
                    }
                    ValueRef::Blob(b) => {
                        hasher.update([4u8]);
                        hasher.update((b.len() as u64).to_le_bytes());
                        hasher.update(b);
                    }
                }
            }
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
