//! Typed rows: every row type matches its table in the v22 catalogue, and survives a
//! trip through SQLite (encode, insert, select, decode) and through serde JSON unchanged.
//!
//! Row values are drawn from a seeded generator according to each field's kind, so the
//! same checks cover every table without per-table expectations.

use std::fmt::Debug;

use chrono::{NaiveDate, NaiveDateTime};
use ndarray::{ArrayD, IxDyn};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use synphys_schema::{
    ColumnKind, ErrorKind, NpyArray, ROW_TABLES, Schema, StoredValue, Table, TableRow, Value,
};

const SEED: u64 = 0x5eed_0022;

/// Generates, for each row type, a test module named after its table with the three
/// checks, and `TESTED`: the tables of all row types listed here.
macro_rules! row_tests {
    ($($module:ident: $row:ty),* $(,)?) => {
        const TESTED: &[&str] = &[$(<$row as TableRow>::TABLE),*];

        $(
            mod $module {
                #[test]
                fn matches_the_catalogue() {
                    super::matches_the_catalogue::<$row>();
                }

                #[test]
                fn survives_sqlite() {
                    super::survives_sqlite::<$row>();
                }

                #[test]
                fn survives_serde_json() {
                    super::survives_serde_json::<$row>();
                }
            }
        )*
    };
}

row_tests! {
    slice: synphys_schema::Slice,
    experiment: synphys_schema::Experiment,
    cell: synphys_schema::Cell,
    pair: synphys_schema::Pair,
    morphology: synphys_schema::Morphology,
    cortical_cell_location: synphys_schema::CorticalCellLocation,
    intrinsic: synphys_schema::Intrinsic,
    patch_seq: synphys_schema::PatchSeq,
    synapse: synphys_schema::Synapse,
    resting_state_fit: synphys_schema::RestingStateFit,
    dynamics: synphys_schema::Dynamics,
    synapse_model: synphys_schema::SynapseModel,
    synapse_prediction: synphys_schema::SynapsePrediction,
    gap_junction: synphys_schema::GapJunction,
    conductance: synphys_schema::Conductance,
    poly_synapse: synphys_schema::PolySynapse,
    sync_rec: synphys_schema::SyncRec,
    recording: synphys_schema::Recording,
    patch_clamp_recording: synphys_schema::PatchClampRecording,
    multi_patch_probe: synphys_schema::MultiPatchProbe,
    stim_pulse: synphys_schema::StimPulse,
    pulse_response: synphys_schema::PulseResponse,
    pulse_response_fit: synphys_schema::PulseResponseFit,
    baseline: synphys_schema::Baseline,
}

#[test]
fn every_row_table_is_tested_once() {
    let mut tested = TESTED.to_vec();
    tested.sort_unstable();
    tested.dedup();
    assert_eq!(tested.len(), TESTED.len(), "a row type is listed twice");
    let mut listed = ROW_TABLES.to_vec();
    listed.sort_unstable();
    assert_eq!(tested, listed);
}

fn table_of<R: TableRow>() -> &'static Table {
    Schema::v22()
        .table(R::TABLE)
        .unwrap_or_else(|| panic!("table {} is not in the v22 catalogue", R::TABLE))
}

/// The reference layout's columns of `table`: names and kind names, in order.
fn reference_columns(table: &str) -> Vec<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/schema_v22.json"
    );
    let text = std::fs::read_to_string(path).expect("fixtures/schema_v22.json is readable");
    let reference: serde_json::Value =
        serde_json::from_str(&text).expect("fixtures/schema_v22.json is JSON");
    let tables = reference["tables"].as_array().expect("tables is a list");
    let found = tables
        .iter()
        .find(|t| t["name"].as_str() == Some(table))
        .unwrap_or_else(|| panic!("row table {table} is not in the reference layout"));
    found["columns"]
        .as_array()
        .expect("columns is a list")
        .iter()
        .map(|c| {
            let name = c["name"].as_str().expect("a column has a name");
            let kind = c["kind"].as_str().expect("a column has a kind");
            (name.to_string(), kind.to_string())
        })
        .collect()
}

fn matches_the_catalogue<R: TableRow + Debug>() {
    let expected = reference_columns(R::TABLE);
    let names: Vec<&str> = expected.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(R::COLUMNS, names.as_slice(), "columns of {}", R::TABLE);
    let kinds: Vec<&str> = R::KINDS.iter().map(|k| k.name()).collect();
    let expected_kinds: Vec<&str> = expected.iter().map(|(_, kind)| kind.as_str()).collect();
    assert_eq!(kinds, expected_kinds, "kinds of {}", R::TABLE);
    // The catalogue is what the database layer reads and writes with: it must agree too.
    let table = table_of::<R>();
    let catalogued: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    assert_eq!(
        R::COLUMNS,
        catalogued.as_slice(),
        "catalogue of {}",
        R::TABLE
    );

    // Only the primary key may not be null: a row of nulls is refused for its id, and
    // accepted once the id is given.
    let mut values = vec![Value::Null; R::COLUMNS.len()];
    let err = R::from_values(values.clone()).expect_err("a null id is refused");
    assert_eq!(
        err.kind(),
        &ErrorKind::NullValue {
            column: format!("{}.id", R::TABLE)
        }
    );
    values[0] = Value::Int(1);
    R::from_values(values).expect("every column but id is optional");
}

/// Two rows of `R`, distinct ids: one with a value in every field, one with every
/// optional field null.
fn sample_rows<R: TableRow>() -> [R; 2] {
    let index = ROW_TABLES
        .iter()
        .position(|t| *t == R::TABLE)
        .expect("row table is listed");
    let mut rng = Pcg64::seed_from_u64(SEED + index as u64);
    let id = rng.random_range(1..i64::from(i32::MAX));
    let full: Vec<Value> = R::KINDS
        .iter()
        .enumerate()
        .map(|(i, &kind)| match i {
            0 => Value::Int(id),
            _ => random_value(kind, i, &mut rng),
        })
        .collect();
    let mut empty = vec![Value::Null; R::KINDS.len()];
    empty[0] = Value::Int(id + 1);
    let rows = [
        R::from_values(full).expect("full row builds"),
        R::from_values(empty).expect("null row builds"),
    ];
    assert!(
        rows[0].to_values().iter().all(|v| !v.is_null()),
        "every field of the full {} row holds a value",
        R::TABLE
    );
    rows
}

fn random_value(kind: ColumnKind, index: usize, rng: &mut Pcg64) -> Value {
    match kind {
        ColumnKind::Int => Value::Int(rng.random_range(i64::from(i32::MIN)..=i64::from(i32::MAX))),
        ColumnKind::BigInt => Value::Int(rng.random()),
        ColumnKind::Float => Value::Float(random_float(rng)),
        ColumnKind::Bool => Value::Bool(rng.random()),
        ColumnKind::Str => Value::Str(random_text(rng)),
        ColumnKind::Date => Value::Date(random_date(rng)),
        ColumnKind::DateTime => Value::DateTime(random_datetime(rng)),
        ColumnKind::Object => Value::Object(random_json(rng)),
        ColumnKind::Array => Value::Array(random_array(index, rng)),
    }
}

/// Finite floats over the magnitudes the dataset uses (picoamperes to seconds), with
/// whole numbers too: SQLite stores those as integers inside REAL columns.
fn random_float(rng: &mut Pcg64) -> f64 {
    if rng.random_bool(0.2) {
        f64::from(rng.random_range(-1000..=1000))
    } else {
        let mantissa: f64 = rng.random_range(-1.0..1.0);
        mantissa * 10f64.powi(rng.random_range(-15..=4))
    }
}

fn random_text(rng: &mut Pcg64) -> String {
    const PIECES: [&str; 8] = [
        "ex",
        "2/3",
        "whole cell",
        "µΩ ✓",
        "it's \"quoted\"",
        "null",
        "123",
        "",
    ];
    let mut text = String::new();
    for _ in 0..rng.random_range(0..4) {
        text.push_str(PIECES[rng.random_range(0..PIECES.len())]);
    }
    text
}

fn random_date(rng: &mut Pcg64) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        rng.random_range(1950..=2030),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    )
    .expect("valid date")
}

/// A date and time with a non-zero microsecond part.
fn random_datetime(rng: &mut Pcg64) -> NaiveDateTime {
    random_date(rng)
        .and_hms_micro_opt(
            rng.random_range(0..24),
            rng.random_range(0..60),
            rng.random_range(0..60),
            rng.random_range(1..1_000_000),
        )
        .expect("valid time")
}

/// JSON of the shapes the `object` columns hold: objects with nested values, coordinate
/// lists, bare numbers and strings.
fn random_json(rng: &mut Pcg64) -> serde_json::Value {
    match rng.random_range(0..4) {
        0 => json!({
            "n": rng.random_range(-100..100),
            "x": random_float(rng),
            "flags": [rng.random_bool(0.5), rng.random_bool(0.5)],
            "nested": {"text": random_text(rng), "none": null},
        }),
        1 => json!([random_float(rng), random_float(rng), random_float(rng)]),
        2 => json!(random_float(rng)),
        _ => json!(random_text(rng)),
    }
}

/// An array whose element type cycles with the column index and whose shape is random:
/// 0 to 3 dimensions, possibly empty.
fn random_array(index: usize, rng: &mut Pcg64) -> NpyArray {
    let ndim = rng.random_range(0..=3);
    let shape: Vec<usize> = (0..ndim).map(|_| rng.random_range(0..=4)).collect();
    let len: usize = shape.iter().product();
    let shape = IxDyn(&shape);
    fn build<T>(shape: IxDyn, data: Vec<T>) -> ArrayD<T> {
        ArrayD::from_shape_vec(shape, data).expect("shape fits data")
    }
    match index % 5 {
        0 => NpyArray::F64(build(shape, (0..len).map(|_| random_float(rng)).collect())),
        1 => NpyArray::F32(build(
            shape,
            (0..len).map(|_| random_float(rng) as f32).collect(),
        )),
        2 => NpyArray::I64(build(shape, (0..len).map(|_| rng.random()).collect())),
        3 => NpyArray::I32(build(shape, (0..len).map(|_| rng.random()).collect())),
        _ => NpyArray::Bool(build(shape, (0..len).map(|_| rng.random()).collect())),
    }
}

fn to_sql(value: StoredValue) -> SqlValue {
    match value {
        StoredValue::Null => SqlValue::Null,
        StoredValue::Integer(i) => SqlValue::Integer(i),
        StoredValue::Real(r) => SqlValue::Real(r),
        StoredValue::Text(t) => SqlValue::Text(t),
        StoredValue::Blob(b) => SqlValue::Blob(b),
    }
}

fn from_sql(value: SqlValue) -> StoredValue {
    match value {
        SqlValue::Null => StoredValue::Null,
        SqlValue::Integer(i) => StoredValue::Integer(i),
        SqlValue::Real(r) => StoredValue::Real(r),
        SqlValue::Text(t) => StoredValue::Text(t),
        SqlValue::Blob(b) => StoredValue::Blob(b),
    }
}

fn quoted_columns(table: &Table) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    names.join(", ")
}

fn insert<R: TableRow>(db: &Connection, table: &Table, row: &R) {
    let params: Vec<String> = (1..=table.columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ({})",
        table.name,
        quoted_columns(table),
        params.join(", ")
    );
    let stored: Vec<SqlValue> = table
        .columns
        .iter()
        .zip(row.to_values())
        .map(|(column, value)| to_sql(column.encode(&value).expect("value encodes")))
        .collect();
    db.execute(&sql, rusqlite::params_from_iter(stored))
        .unwrap_or_else(|e| panic!("insert into {}: {e}", table.name));
}

/// The stored values of the row with this id, in column order.
fn select(db: &Connection, table: &Table, id: i64) -> Vec<StoredValue> {
    let sql = format!(
        "SELECT {} FROM \"{}\" WHERE id = ?1",
        quoted_columns(table),
        table.name
    );
    db.query_row(&sql, [id], |r| {
        (0..table.columns.len())
            .map(|i| r.get::<_, SqlValue>(i).map(from_sql))
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .unwrap_or_else(|e| panic!("select from {}: {e}", table.name))
}

fn id_of<R: TableRow>(row: &R) -> i64 {
    match row.to_values().first() {
        Some(Value::Int(id)) => *id,
        other => panic!("{} row without an integer id: {other:?}", R::TABLE),
    }
}

fn survives_sqlite<R: TableRow + PartialEq + Debug>() {
    let db = Connection::open_in_memory().expect("in-memory database");
    db.execute_batch(&Schema::v22().create_sql())
        .expect("v22 schema creates");
    // The sample rows reference ids that exist nowhere; the bundled SQLite enforces
    // foreign keys by default, so switch that off for this table-by-table check.
    db.execute_batch("PRAGMA foreign_keys = OFF")
        .expect("foreign keys off");
    let table = table_of::<R>();
    let [full, empty] = sample_rows::<R>();
    insert(&db, table, &full);
    insert(&db, table, &empty);

    for row in [&full, &empty] {
        let values = table
            .columns
            .iter()
            .zip(select(&db, table, id_of(row)))
            .map(|(column, stored)| column.decode(stored))
            .collect::<Result<Vec<_>, _>>()
            .expect("stored values decode");
        let back = R::from_values(values).expect("row rebuilds");
        assert_eq!(
            &back,
            row,
            "{} row changed on its way through SQLite",
            R::TABLE
        );
    }

    // Nulls are written as the Python package writes them: JSON text `null` for objects,
    // an empty BLOB for arrays, SQL NULL for the rest.
    for (column, stored) in table
        .columns
        .iter()
        .zip(select(&db, table, id_of(&empty)))
        .skip(1)
    {
        let expected = match column.kind {
            ColumnKind::Object => StoredValue::Text("null".to_string()),
            ColumnKind::Array => StoredValue::Blob(Vec::new()),
            _ => StoredValue::Null,
        };
        assert_eq!(stored, expected, "null {}", column.qualified_name());
    }
}

fn survives_serde_json<R: TableRow + PartialEq + Debug + Serialize + DeserializeOwned>() {
    for row in sample_rows::<R>() {
        let json = serde_json::to_value(&row).expect("row serialises");
        let mut keys: Vec<&str> = json
            .as_object()
            .expect("a row serialises as a JSON object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut columns = R::COLUMNS.to_vec();
        columns.sort_unstable();
        assert_eq!(
            keys,
            columns,
            "JSON keys of {} are its column names",
            R::TABLE
        );

        let text = serde_json::to_string(&row).expect("row serialises");
        let back: R = serde_json::from_str(&text).expect("row deserialises");
        assert_eq!(
            back,
            row,
            "{} row changed on its way through JSON",
            R::TABLE
        );
    }
}
