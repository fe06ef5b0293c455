//! Opening files: the read-only guarantee, schema versions and bad files.

mod common;

use std::path::Path;

use synphys_query::{ErrorKind, OpenOptions, Preload, SizeClass, SynphysDb};
use synphys_schema::Metadata;

/// Every kind of read the crate does, so the read-only test covers them all.
fn run_everything(path: &Path) -> usize {
    let db = SynphysDb::open(path).unwrap();
    let mut seen = db.tables().unwrap().len();
    seen += db.project_names().unwrap().len() + db.species().unwrap().len();
    assert_eq!(db.size_class().unwrap(), SizeClass::Small);
    let all = [Preload::Experiment, Preload::Cell, Preload::Synapse]
        .iter()
        .fold(db.pair_query(), |q, p| q.preload(*p));
    seen += all.frame().unwrap().n_rows();
    seen += db
        .pair_query()
        .synapse_probed(true)
        .species("mouse")
        .count()
        .unwrap() as usize;
    seen += db.sql("SELECT * FROM cell").unwrap().n_rows();
    // Attempts to write are refused and leave no trace.
    assert!(db.sql("DELETE FROM pair").is_err());
    assert!(db.sql("CREATE TABLE x (id INTEGER)").is_err());
    // Whatever SQLite answers, switching an immutable file to WAL must leave no trace.
    let _ = db.sql("PRAGMA journal_mode = WAL");
    seen
}

fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

fn side_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-journal") || n.contains("-wal") || n.contains("-shm"))
        .collect()
}

#[test]
fn nothing_is_ever_written_even_in_a_read_only_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    common::write_small_db(&path, 1);
    let before = snapshot(&path);
    assert!(run_everything(&path) > 0);
    assert_eq!(snapshot(&path), before, "bytes or mtime changed");
    assert_eq!(side_files(dir.path()), Vec::<String>::new());

    // A read-only directory: no journal or lock file can be created next to the file.
    // (Tests may run as root, where permission bits do not stop writes, so the absence
    // of side files above and below is the real check.)
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let locked_path = locked.join("db.sqlite");
    std::fs::copy(&path, &locked_path).unwrap();
    let before = snapshot(&locked_path);
    set_mode(&locked_path, 0o444);
    set_mode(&locked, 0o555);
    let seen = run_everything(&locked_path);
    set_mode(&locked, 0o755);
    assert!(seen > 0);
    assert_eq!(snapshot(&locked_path).0, before.0);
    assert_eq!(snapshot(&locked_path).1, before.1);
    assert_eq!(side_files(&locked), Vec::<String>::new());
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(path: &Path, mode: u32) {
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    permissions.set_readonly(mode & 0o200 == 0);
    std::fs::set_permissions(path, permissions).unwrap();
}

#[test]
fn another_schema_version_is_refused_unless_overridden() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    common::write_db(&path, 2);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut meta = Metadata::new(
            "2019-08-29",
            "Allen Institute for Brain Science / Synaptic Physiology",
        );
        meta.db_version = "21".to_string();
        conn.execute("UPDATE metadata SET meta = ?1", [meta.to_json()])
            .unwrap();
    }
    let err = SynphysDb::open(&path).unwrap_err();
    match err.kind() {
        ErrorKind::SchemaVersion {
            found, expected, ..
        } => {
            assert_eq!(found, "21");
            assert_eq!(*expected, "22");
        }
        other => panic!("expected SchemaVersion, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("version 21") && message.contains("version 22"),
        "{message}"
    );
    assert!(message.contains("overridden"), "{message}");

    let db = SynphysDb::open_with(&path, OpenOptions::new().allow_other_version(true)).unwrap();
    assert_eq!(db.metadata().db_version, "21");
    let warning = db.version_warning().unwrap();
    assert!(
        warning.contains("21") && warning.contains("22"),
        "{warning}"
    );
    assert!(db.pair_query().count().unwrap() > 0);
}

#[test]
fn bad_files_each_get_their_own_error() {
    let dir = tempfile::tempdir().unwrap();

    let missing = dir.path().join("nope.sqlite");
    assert!(matches!(
        SynphysDb::open(&missing).unwrap_err().kind(),
        ErrorKind::Unreadable { .. }
    ));

    let text = dir.path().join("notes.sqlite");
    std::fs::write(
        &text,
        "these are not the tables you are looking for\n".repeat(10),
    )
    .unwrap();
    let err = SynphysDb::open(&text).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotADatabase { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("notes.sqlite"), "{err}");

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        SynphysDb::open(&empty).unwrap_err().kind(),
        ErrorKind::NotADatabase { .. }
    ));

    let good = dir.path().join("good.sqlite");
    common::write_db(&good, 3);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.sqlite");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = SynphysDb::open(&truncated).unwrap_err();
    match err.kind() {
        ErrorKind::Truncated {
            expected_bytes,
            found_bytes,
            ..
        } => {
            assert_eq!(*expected_bytes, bytes.len() as u64);
            assert_eq!(*found_bytes, (bytes.len() / 2) as u64);
        }
        other => panic!("expected Truncated, got {other:?}"),
    }
    assert!(err.to_string().contains("download it again"), "{err}");

    let no_metadata = dir.path().join("plain.sqlite");
    let conn = rusqlite::Connection::open(&no_metadata).unwrap();
    conn.execute_batch("CREATE TABLE pair (id INTEGER PRIMARY KEY)")
        .unwrap();
    drop(conn);
    let err = SynphysDb::open(&no_metadata).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoMetadata { .. }), "{err}");
}

#[test]
fn metadata_tables_and_missing_per_event_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let written = common::write_small_db(&path, 4);
    let db = SynphysDb::open(&path).unwrap();
    assert_eq!(db.metadata().db_version, "22");
    assert_eq!(db.size_class().unwrap(), SizeClass::Small);
    let tables = db.tables().unwrap();
    let rows = |name: &str| tables.iter().find(|t| t.name == name).map(|t| t.rows);
    assert_eq!(rows("pair"), Some(written.n_pairs as u64));
    assert_eq!(rows("cell"), Some(written.n_cells as u64));
    assert_eq!(rows("metadata"), Some(1));
    assert_eq!(
        tables.len(),
        synphys_schema::Schema::v22().tables.len() - common::PER_EVENT_TABLES.len()
    );
    let mut projects = written.projects.clone();
    projects.sort();
    assert_eq!(db.project_names().unwrap(), projects);
    assert_eq!(db.species().unwrap(), ["human", "mouse"]);

    // A small file has no synapse_prediction: the query leaves the join out, and asking
    // for its columns or filtering on them names the missing table.
    assert_eq!(db.pair_query().count().unwrap(), written.n_pairs as u64);
    let err = db
        .pair_query()
        .preload(Preload::SynapsePrediction)
        .frame()
        .unwrap_err();
    match err.kind() {
        ErrorKind::MissingTable {
            table, needed_for, ..
        } => {
            assert_eq!(table, "synapse_prediction");
            assert!(needed_for.contains("synapse_prediction."), "{needed_for}");
        }
        other => panic!("expected MissingTable, got {other:?}"),
    }
    assert!(err.to_string().contains("medium or full"), "{err}");
    let err = db
        .pair_query()
        .filter("synapse_prediction.ic_amp_mean > 0")
        .count()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MissingTable { .. }),
        "{err}"
    );
    let err = db
        .require_tables(&["pair", "pulse_response"], "load events")
        .unwrap_err();
    assert!(
        err.to_string().contains("pulse_response") && err.to_string().contains("load events"),
        "{err}"
    );

    // With the per-event tables but no data arrays, a file is medium.
    let medium = dir.path().join("medium.sqlite");
    common::write_db(&medium, 4);
    assert_eq!(
        SynphysDb::open(&medium).unwrap().size_class().unwrap(),
        SizeClass::Medium
    );
}
