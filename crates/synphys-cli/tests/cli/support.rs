//! Running the binary, and the databases the tests share.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What a run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub(crate) fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "synphys failed: {}", self.stderr);
        &self.stdout
    }

    /// Asserts failure with a one-line message containing every `needle`; returns it.
    #[track_caller]
    pub(crate) fn fails_with(&self, needles: &[&str]) -> &str {
        assert_ne!(
            self.code, 0,
            "synphys succeeded unexpectedly: {}",
            self.stdout
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("synphys: error: "))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "expected one error line, got: {}",
            self.stderr
        );
        for needle in needles {
            assert!(
                lines[0].contains(needle),
                "error {:?} lacks {needle:?}",
                lines[0]
            );
        }
        lines[0]
    }

    /// The stdout as JSON.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// The stdout as CSV rows of (header, records).
    #[track_caller]
    pub(crate) fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(self.ok().as_bytes());
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    }
}

/// A directory for this test process's files, inside cargo's target directory.
pub(crate) fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap())
        .path()
}

/// An empty cache directory, so no test sees the user's downloads.
pub(crate) fn empty_cache() -> PathBuf {
    let dir = scratch().join("empty-cache");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `synphys args…` with an empty cache and no `SYNPHYS_DB`, plus `env`.
pub(crate) fn synphys_env(args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synphys"));
    command
        .args(args)
        .env_remove("SYNPHYS_DB")
        .env("SYNPHYS_CACHE", empty_cache());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `synphys args…` (see [`synphys_env`]).
pub(crate) fn synphys(args: &[&str]) -> Run {
    synphys_env(args, &[])
}

/// Runs `synphys --db DB args…`.
pub(crate) fn on(db: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    synphys(&all)
}

/// A small-scale demo database (default seed), written once by `synphys db demo`, and
/// the JSON report that command printed.
pub(crate) fn small_demo() -> &'static (PathBuf, serde_json::Value) {
    static DEMO: OnceLock<(PathBuf, serde_json::Value)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let path = scratch().join("demo-small.sqlite");
        let run = synphys(&[
            "db",
            "demo",
            "--out",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        (path, run.json())
    })
}

/// The small demo database's path.
pub(crate) fn small_db() -> &'static Path {
    &small_demo().0
}

/// The committed tiny fixture with per-event tables (`cargo xtask fixtures` writes it).
pub(crate) fn fixture() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo_tiny.sqlite");
        assert!(
            path.is_file(),
            "{} is missing; run `cargo xtask fixtures`",
            path.display()
        );
        path
    })
}

/// A copy of `db` that a test may alter.
pub(crate) fn copy_of(db: &Path, name: &str) -> PathBuf {
    let path = scratch().join(name);
    std::fs::copy(db, &path).unwrap();
    path
}

/// The file's bytes, to check that nothing was written.
pub(crate) fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// An `EXPT:PRE:POST` of a pair with events in `db`, and its pair id.
pub(crate) fn pair_with_events(db: &Path) -> (String, i64) {
    let run = on(
        db,
        &[
            "sql",
            "SELECT e.ext_id AS e, pc.ext_id AS pre, qc.ext_id AS post, pair.id AS id FROM pair \
             JOIN experiment e ON e.id = pair.experiment_id JOIN cell pc ON pc.id = pair.pre_cell_id \
             JOIN cell qc ON qc.id = pair.post_cell_id \
             WHERE pair.id IN (SELECT pair_id FROM pulse_response) ORDER BY pair.id LIMIT 1",
            "--format",
            "json",
        ],
    );
    let rows = run.json();
    let row = &rows[0];
    let text = |k: &str| {
        row[k]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| row[k].to_string())
    };
    (
        format!("{}:{}:{}", text("e"), text("pre"), text("post")),
        row["id"].as_i64().unwrap(),
    )
}
