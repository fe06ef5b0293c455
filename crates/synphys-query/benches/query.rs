//! The pair query into a Frame, side by side with the bare SQLite execution of the same
//! SQL (stepping every row and reading every value), on a small-scale demo database;
//! and opening a file with its metadata.
//!
//! Run with `cargo bench -p synphys-query --bench query`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use rusqlite::types::ValueRef;
use synphys_demo::{DemoConfig, Scale};
use synphys_query::{PairQuery, Preload, SynphysDb};

/// The two queries of the issue (item 7).
fn queries(db: &SynphysDb) -> [(&'static str, PairQuery<'_>); 2] {
    [
        (
            "standard multipatch, mouse, synapse_probed, preload cell",
            db.pair_query()
                .experiment_type("standard multipatch")
                .species("mouse")
                .synapse_probed(true)
                .preload(Preload::Cell),
        ),
        (
            "mouse, synapse, preload synapse + cell",
            db.pair_query()
                .species("mouse")
                .synapse(true)
                .preload(Preload::Synapse)
                .preload(Preload::Cell),
        ),
    ]
}

fn bind(values: &sea_query::Values) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value as S;
    use sea_query::Value as V;
    values
        .0
        .iter()
        .map(|v| match v {
            V::Bool(Some(b)) => S::Integer(i64::from(*b)),
            V::BigInt(Some(i)) => S::Integer(*i),
            V::Int(Some(i)) => S::Integer(i64::from(*i)),
            V::Double(Some(x)) => S::Real(*x),
            V::String(Some(s)) => S::Text(s.clone()),
            _ => S::Null,
        })
        .collect()
}

/// The same statement run on a bare read-only connection: step every row and touch
/// every value (a checksum so nothing is optimised away).
fn bare(conn: &rusqlite::Connection, sql: &str, params: &[rusqlite::types::Value]) -> (usize, u64) {
    let mut statement = conn.prepare_cached(sql).expect("prepare");
    let n = statement.column_count();
    let mut rows = statement
        .query(rusqlite::params_from_iter(params))
        .expect("query");
    let (mut n_rows, mut checksum) = (0usize, 0u64);
    while let Some(row) = rows.next().expect("step") {
        for i in 0..n {
            checksum = checksum.wrapping_add(match row.get_ref(i).expect("value") {
                ValueRef::Null => 0,
                ValueRef::Integer(v) => v as u64,
                ValueRef::Real(v) => v.to_bits(),
                ValueRef::Text(t) | ValueRef::Blob(t) => t.len() as u64,
            });
        }
        n_rows += 1;
    }
    (n_rows, checksum)
}

fn demo_database(dir: &Path) -> PathBuf {
    let path = dir.join("demo_small.sqlite");
    let summary =
        synphys_demo::write(&path, &DemoConfig::new(Scale::Small)).expect("write the demo");
    eprintln!("small demo database: {summary:?}");
    path
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = demo_database(dir.path());
    let db = SynphysDb::open(&path).expect("open");
    let uri = format!("file:{}?mode=ro&immutable=1", path.display());
    let conn = rusqlite::Connection::open_with_flags(
        uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .expect("bare connection");

    let mut group = c.benchmark_group("pair_query");
    group.sample_size(20);
    for (name, query) in queries(&db) {
        let frame = query.frame().expect("frame");
        let (sql, values) = query.sql_with_values().expect("sql");
        let params = bind(&values);
        let (n_rows, _) = bare(&conn, &sql, &params);
        assert_eq!(n_rows, frame.n_rows());
        eprintln!(
            "{name}: {} rows × {} columns",
            frame.n_rows(),
            frame.n_columns()
        );
        group.bench_function(format!("{name} / Frame"), |b| {
            b.iter(|| black_box(query.frame().expect("frame")))
        });
        group.bench_function(format!("{name} / bare SQLite"), |b| {
            b.iter(|| black_box(bare(&conn, &sql, &params)))
        });
    }
    group.finish();

    c.bench_function("open + metadata", |b| {
        b.iter(|| {
            let db = SynphysDb::open(&path).expect("open");
            black_box(db.metadata().db_version.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
