//! Opening a database file read-only and what can be learned about it without a query.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use synphys_schema::{Metadata, SCHEMA_VERSION, StoredValue};

use crate::error::{ErrorKind, Result};

/// How a database file is opened.
///
/// # Example
///
/// ```no_run
/// use synphys_query::{OpenOptions, SynphysDb};
///
/// # fn main() -> Result<(), synphys_query::Error> {
/// // An older file, read anyway (the mismatch is reported by `SynphysDb::version_warning`).
/// let db = SynphysDb::open_with("synphys_r1.0_small.sqlite", OpenOptions::new().allow_other_version(true))?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    allow_other_version: bool,
}

impl OpenOptions {
    /// The defaults: the schema version must be the one this crate reads.
    pub fn new() -> OpenOptions {
        OpenOptions::default()
    }

    /// Opens files whose schema version differs from [`SCHEMA_VERSION`] instead of
    /// refusing them; queries may then fail on columns the file lacks.
    pub fn allow_other_version(mut self, allow: bool) -> OpenOptions {
        self.allow_other_version = allow;
        self
    }
}

/// Which of the published sizes a file is, judged from its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    /// No per-event tables.
    Small,
    /// Per-event tables without the recorded data arrays.
    Medium,
    /// Everything, including the data arrays.
    Full,
}

impl std::fmt::Display for SizeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Full => "full",
        })
    }
}

/// A table of the file and its number of rows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableInfo {
    /// The table's name.
    pub name: String,
    /// Its number of rows.
    pub rows: u64,
}

/// A Synaptic Physiology database, opened strictly read-only.
///
/// The file is opened with SQLite's read-only and `immutable` flags: nothing is ever
/// written, no journal or lock file is created (so files in read-only directories open),
/// and the file's bytes and modification time stay as they were.
#[derive(Debug)]
pub struct SynphysDb {
    path: PathBuf,
    conn: Connection,
    metadata: Metadata,
}

impl SynphysDb {
    /// Opens `path` read-only and checks its schema version.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unreadable`] when the file cannot be read, [`ErrorKind::NotADatabase`]
    /// when it is not SQLite (or is corrupt), [`ErrorKind::Truncated`] when it is shorter
    /// than its header says, [`ErrorKind::NoMetadata`] without a metadata table,
    /// [`ErrorKind::SchemaVersion`] for another schema version.
    pub fn open(path: impl AsRef<Path>) -> Result<SynphysDb> {
        SynphysDb::open_with(path, OpenOptions::new())
    }

    /// Opens `path` read-only with `options`.
    ///
    /// # Errors
    ///
    /// As [`SynphysDb::open`].
    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<SynphysDb> {
        let path = path.as_ref().to_path_buf();
        // Fail on a missing or unreadable file ourselves: SQLite's message is vaguer.
        let file = std::fs::File::open(&path).map_err(|source| ErrorKind::Unreadable {
            path: path.clone(),
            source,
        })?;
        check_header(file, &path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(immutable_uri(&path), flags).map_err(|e| {
            ErrorKind::NotADatabase {
                path: path.clone(),
                reason: e.to_string(),
            }
        })?;
        // Opening is lazy: the first read tells whether this is a database at all.
        let has_metadata: bool =
            conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'metadata'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map_err(|e| ErrorKind::NotADatabase {
                path: path.clone(),
                reason: e.to_string(),
            })? > 0;
        if !has_metadata {
            return Err(ErrorKind::NoMetadata { path }.into());
        }
        let metadata = read_metadata(&conn, &path)?;
        if metadata.db_version != SCHEMA_VERSION && !options.allow_other_version {
            return Err(ErrorKind::SchemaVersion {
                path,
                found: metadata.db_version,
                expected: SCHEMA_VERSION,
            }
            .into());
        }
        Ok(SynphysDb {
            path,
            conn,
            metadata,
        })
    }

    /// The file this database was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's metadata row (schema version, creation date, origin).
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// A warning to show when the file's schema version is not [`SCHEMA_VERSION`]
    /// (only possible with [`OpenOptions::allow_other_version`]).
    pub fn version_warning(&self) -> Option<String> {
        (self.metadata.db_version != SCHEMA_VERSION).then(|| {
            format!(
                "{} has schema version {}, synphys reads {}: results may be incomplete",
                self.path.display(),
                self.metadata.db_version,
                SCHEMA_VERSION
            )
        })
    }

    /// Whether the file has table `name`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`] when the file cannot be read.
    pub fn has_table(&self, name: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(ErrorKind::sqlite("looking up a table"))
    }

    /// Checks that every table in `tables` exists; `needed_for` says what for in the error.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingTable`] naming the first missing table.
    pub fn require_tables(&self, tables: &[&str], needed_for: &str) -> Result<()> {
        for table in tables {
            if !self.has_table(table)? {
                return Err(ErrorKind::MissingTable {
                    path: self.path.clone(),
                    table: (*table).to_string(),
                    needed_for: needed_for.to_string(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// The file's tables with their row counts, by name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`] when the file cannot be read.
    pub fn tables(&self) -> Result<Vec<TableInfo>> {
        let context = "listing tables";
        let mut statement = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .map_err(ErrorKind::sqlite(context))?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(ErrorKind::sqlite(context))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(ErrorKind::sqlite(context))?;
        names
            .into_iter()
            .map(|name| {
                // The name comes from sqlite_master, not from a user; quoting keeps any
                // odd name intact.
                let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
                let rows = self
                    .conn
                    .query_row(&sql, [], |row| row.get::<_, i64>(0))
                    .map_err(ErrorKind::sqlite(format!("counting rows of {name}")))?;
                Ok(TableInfo {
                    name,
                    rows: u64::try_from(rows).unwrap_or(0),
                })
            })
            .collect()
    }

    /// The file's size class: small without per-event tables, medium with them but
    /// without recorded data arrays, full with the arrays.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`] when the file cannot be read.
    pub fn size_class(&self) -> Result<SizeClass> {
        if !self.has_table("pulse_response")? {
            return Ok(SizeClass::Small);
        }
        let has_data: i64 = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pulse_response WHERE length(data) > 0)",
                [],
                |row| row.get(0),
            )
            .map_err(ErrorKind::sqlite("checking for recorded data arrays"))?;
        Ok(if has_data != 0 {
            SizeClass::Full
        } else {
            SizeClass::Medium
        })
    }

    /// Distinct non-null values of `experiment.project_name`, sorted.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`] when the file cannot be read.
    pub fn project_names(&self) -> Result<Vec<String>> {
        self.distinct_text(
            "SELECT DISTINCT project_name FROM experiment WHERE project_name IS NOT NULL ORDER BY 1",
            "listing project names",
        )
    }

    /// Distinct non-null values of `slice.species`, sorted.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`] when the file cannot be read.
    pub fn species(&self) -> Result<Vec<String>> {
        self.distinct_text(
            "SELECT DISTINCT species FROM slice WHERE species IS NOT NULL ORDER BY 1",
            "listing species",
        )
    }

    fn distinct_text(&self, sql: &str, context: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(sql).map_err(ErrorKind::sqlite(context))?;
        statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(ErrorKind::sqlite(context))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(ErrorKind::sqlite(context))
    }

    /// The underlying read-only connection, for the query modules of this crate.
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn read_metadata(conn: &Connection, path: &Path) -> Result<Metadata> {
    let context = format!("reading the metadata of {}", path.display());
    let mut statement = conn
        .prepare(Metadata::SELECT_SQL)
        .map_err(ErrorKind::sqlite(context.clone()))?;
    let rows = statement
        .query_map([], |row| Ok(stored_value(row.get_ref(0)?)))
        .map_err(ErrorKind::sqlite(context.clone()))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(ErrorKind::sqlite(context))?;
    Ok(Metadata::from_rows(&rows)?)
}

/// Checks the 100-byte SQLite header: the magic string, and that the file is as long as
/// the header's page size × page count (a truncated download otherwise opens and fails
/// later with a vague "malformed" error, or silently reads fewer rows).
fn check_header(mut file: std::fs::File, path: &Path) -> Result<()> {
    use std::io::Read;
    let not_a_database = |reason: &str| -> crate::Error {
        ErrorKind::NotADatabase {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
        .into()
    };
    let unreadable = |source| -> crate::Error {
        ErrorKind::Unreadable {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    let found_bytes = file.metadata().map_err(unreadable)?.len();
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(unreadable)? {
            0 => break,
            n => read += n,
        }
    }
    if read == 0 {
        return Err(not_a_database("the file is empty"));
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(not_a_database("it does not start with the SQLite header"));
    }
    // Page size: 2 bytes big-endian at offset 16, where 1 means 65536.
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let page_count = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The page count is valid only when the change counter (offset 24) equals the
    // "version-valid-for" number (offset 92), as every SQLite since 3.7.0 writes it.
    let counts_valid = header[24..28] == header[92..96];
    let expected_bytes = page_size * page_count;
    if counts_valid && page_count > 0 && found_bytes < expected_bytes {
        return Err(ErrorKind::Truncated {
            path: path.to_path_buf(),
            expected_bytes,
            found_bytes,
        }
        .into());
    }
    Ok(())
}

/// An SQLite value as the schema crate's storage class (text decoded lossily: the
/// dataset's text is UTF-8, and a stray byte must not abort a read).
pub(crate) fn stored_value(value: rusqlite::types::ValueRef<'_>) -> StoredValue {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => StoredValue::Null,
        ValueRef::Integer(i) => StoredValue::Integer(i),
        ValueRef::Real(r) => StoredValue::Real(r),
        ValueRef::Text(t) => StoredValue::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => StoredValue::Blob(b.to_vec()),
    }
}

/// A `file:` URI opening `path` read-only and immutable (no locks, no journal).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            // SQLite decodes %XX escapes back into bytes, so any byte may be escaped.
            b'%' | b'?' | b'#' | 0x80.. => uri.push_str(&format!("%{byte:02X}")),
            _ => uri.push(char::from(byte)),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}
