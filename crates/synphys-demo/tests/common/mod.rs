//! Shared test fixtures: databases written once per test binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use synphys_demo::{DemoConfig, DemoSummary, Scale};

pub(crate) struct Written {
    _dir: tempfile::TempDir,
    pub(crate) path: PathBuf,
    pub(crate) summary: DemoSummary,
}

/// Writes a database with `config` into a fresh temporary directory.
pub(crate) fn write(config: DemoConfig) -> Written {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{}.sqlite", config.get_scale()));
    let summary = synphys_demo::write(&path, &config).unwrap();
    Written {
        _dir: dir,
        path,
        summary,
    }
}

/// The small-scale database with the default seed.
pub(crate) fn small() -> &'static Written {
    static SMALL: OnceLock<Written> = OnceLock::new();
    SMALL.get_or_init(|| write(DemoConfig::new(Scale::Small)))
}

/// The tiny-scale database with the default seed.
pub(crate) fn tiny() -> &'static Written {
    static TINY: OnceLock<Written> = OnceLock::new();
    TINY.get_or_init(|| write(DemoConfig::new(Scale::Tiny)))
}

pub(crate) fn open(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

pub(crate) fn count(db: &rusqlite::Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The workspace's `fixtures/` directory.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}
