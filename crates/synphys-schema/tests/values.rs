//! Value codecs: what the Python package writes decodes to the right typed value, and what
//! we encode is what it writes.

use chrono::{DateTime, NaiveDateTime};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use synphys_schema::{Column, ErrorKind, Schema, StoredValue, Value};

fn column(table: &str, name: &str) -> &'static Column {
    Schema::v22()
        .require_column(table, name)
        .expect("column exists")
}

#[test]
fn nulls_in_every_spelling_decode_to_null() {
    let meta = column("pair", "meta");
    let data = column("pulse_response", "data");
    for (col, stored) in [
        (meta, StoredValue::Null),
        (meta, StoredValue::Text("null".into())),
        (meta, StoredValue::Text(" null ".into())),
        (data, StoredValue::Null),
        (data, StoredValue::Blob(vec![])),
        (column("pair", "distance"), StoredValue::Null),
    ] {
        assert_eq!(
            col.decode(stored.clone()).expect("decodes"),
            Value::Null,
            "{stored:?}"
        );
    }
}

#[test]
fn nulls_encode_as_the_python_package_writes_them() {
    assert_eq!(
        column("pair", "meta").encode(&Value::Null).unwrap(),
        StoredValue::Text("null".into())
    );
    assert_eq!(
        column("pulse_response", "data")
            .encode(&Value::Null)
            .unwrap(),
        StoredValue::Blob(vec![])
    );
    assert_eq!(
        column("pair", "distance").encode(&Value::Null).unwrap(),
        StoredValue::Null
    );
    assert_eq!(
        column("pair", "distance")
            .encode(&Value::Float(f64::NAN))
            .unwrap(),
        StoredValue::Null
    );
}

#[test]
fn booleans_are_integers_zero_and_one_only() {
    let col = column("pair", "has_synapse");
    assert_eq!(
        col.encode(&Value::Bool(true)).unwrap(),
        StoredValue::Integer(1)
    );
    assert_eq!(
        col.decode(StoredValue::Integer(0)).unwrap(),
        Value::Bool(false)
    );
    let err = col.decode(StoredValue::Integer(2)).unwrap_err();
    assert!(err.to_string().contains("pair.has_synapse"), "{err}");
    assert!(matches!(err.kind(), ErrorKind::StoredValueMismatch { .. }));
}

#[test]
fn mismatched_values_name_the_column() {
    let err = column("pair", "distance")
        .decode(StoredValue::Text("far".into()))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "column pair.distance holds TEXT \"far\", which cannot be read as its kind `float`"
    );
    let err = column("cell", "cre_type")
        .encode(&Value::Int(3))
        .unwrap_err();
    assert!(err.to_string().contains("cell.cre_type"), "{err}");
    let err = column("cell", "position")
        .decode(StoredValue::Text("[1, 2".into()))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidJson { .. }), "{err}");
    let err = column("experiment", "date")
        .decode(StoredValue::Text("31/12/2019".into()))
        .unwrap_err();
    assert!(err.to_string().contains("31/12/2019"), "{err}");
}

#[test]
fn datetimes_are_written_with_microseconds() {
    let col = column("experiment", "date");
    let t = NaiveDateTime::parse_from_str("2019-06-11 14:02:03.000450", "%Y-%m-%d %H:%M:%S%.f")
        .unwrap();
    assert_eq!(
        col.encode(&Value::DateTime(t)).unwrap(),
        StoredValue::Text("2019-06-11 14:02:03.000450".into())
    );
    assert_eq!(
        col.decode(StoredValue::Text("2019-06-11 14:02:03".into()))
            .unwrap(),
        Value::DateTime(
            NaiveDateTime::parse_from_str("2019-06-11 14:02:03", "%Y-%m-%d %H:%M:%S").unwrap()
        )
    );
}

fn to_sql(v: StoredValue) -> SqlValue {
    match v {
        StoredValue::Null => SqlValue::Null,
        StoredValue::Integer(i) => SqlValue::Integer(i),
        StoredValue::Real(r) => SqlValue::Real(r),
        StoredValue::Text(t) => SqlValue::Text(t),
        StoredValue::Blob(b) => SqlValue::Blob(b),
    }
}

fn from_sql(v: SqlValue) -> StoredValue {
    match v {
        SqlValue::Null => StoredValue::Null,
        SqlValue::Integer(i) => StoredValue::Integer(i),
        SqlValue::Real(r) => StoredValue::Real(r),
        SqlValue::Text(t) => StoredValue::Text(t),
        SqlValue::Blob(b) => StoredValue::Blob(b),
    }
}

/// Writes a value through SQLite into its column and reads it back.
fn through_sqlite(db: &Connection, col: &Column, value: &Value) -> Value {
    let stored = col.encode(value).expect("encodes");
    db.execute(&format!("DELETE FROM {}", col.table), [])
        .expect("delete");
    db.execute(
        &format!(
            "INSERT INTO {} (id, {}) VALUES (1, ?1)",
            col.table, col.name
        ),
        [to_sql(stored)],
    )
    .expect("insert");
    let back: SqlValue = db
        .query_row(
            &format!("SELECT {} FROM {}", col.name, col.table),
            [],
            |r| r.get(0),
        )
        .expect("select");
    col.decode(from_sql(back)).expect("decodes")
}

fn database() -> Connection {
    let db = Connection::open_in_memory().expect("opens");
    db.execute_batch(&Schema::v22().create_sql())
        .expect("schema");
    db
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e9f64..1e9).prop_map(serde_json::Value::from),
        "[a-z0-9 ./]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn datetimes_keep_microseconds_through_sqlite(seconds in 0i64..4_102_444_800, micros in 0u32..1_000_000) {
        let db = database();
        let t = DateTime::from_timestamp(seconds, micros * 1000).expect("in range").naive_utc();
        let back = through_sqlite(&db, column("pipeline", "finish_time"), &Value::DateTime(t));
        prop_assert_eq!(back, Value::DateTime(t));
    }

    #[test]
    fn floats_ints_bools_and_text_survive_sqlite(x in any::<f64>().prop_filter("finite", |x| x.is_finite()),
                                                  i in any::<i64>(), b in any::<bool>(), s in ".{0,40}") {
        let db = database();
        prop_assert_eq!(through_sqlite(&db, column("pair", "distance"), &Value::Float(x)), Value::Float(x));
        prop_assert_eq!(through_sqlite(&db, column("pair", "n_ex_test_spikes"), &Value::Int(i)), Value::Int(i));
        prop_assert_eq!(through_sqlite(&db, column("pair", "has_synapse"), &Value::Bool(b)), Value::Bool(b));
        prop_assert_eq!(through_sqlite(&db, column("cell", "cre_type"), &Value::Str(s.clone())), Value::Str(s));
    }

    #[test]
    fn json_survives_sqlite(v in json_value()) {
        let db = database();
        let back = through_sqlite(&db, column("cell", "position"), &Value::Object(v.clone()));
        prop_assert_eq!(back, Value::Object(v));
    }
}
