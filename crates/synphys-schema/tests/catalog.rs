//! The static catalogue equals the reference layout `fixtures/schema_v22.json`, column by
//! column, and the DDL generated from it creates exactly that layout in SQLite.
//!
//! Every expectation here is read from the reference file or written out literally (the
//! SQL type each kind declares, the index naming rule); none is taken from what the crate
//! computes, so a wrong catalogue or DDL cannot agree with itself.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use serde_json::Value as Json;
use synphys_schema::{ColumnKind, Metadata, Schema};

fn reference() -> Json {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/schema_v22.json"
    );
    let text = std::fs::read_to_string(path).expect("fixtures/schema_v22.json is readable");
    serde_json::from_str(&text).expect("fixtures/schema_v22.json is JSON")
}

fn tables(reference: &Json) -> &Vec<Json> {
    let tables = reference["tables"].as_array().expect("tables is a list");
    assert!(!tables.is_empty(), "the reference lists tables");
    tables
}

fn table_name(table: &Json) -> &str {
    table["name"].as_str().expect("a table has a name")
}

fn columns(table: &Json) -> &Vec<Json> {
    table["columns"].as_array().expect("columns is a list")
}

fn column_name(column: &Json) -> &str {
    column["name"].as_str().expect("a column has a name")
}

fn flag(column: &Json, key: &str) -> bool {
    column.get(key).and_then(Json::as_bool).unwrap_or(false)
}

/// Everything the reference says about one column, in a form both sides can produce.
#[derive(Debug, PartialEq, Eq)]
struct ColumnSpec {
    name: String,
    kind: String,
    primary_key: bool,
    references: Option<String>,
    index: bool,
    unique: bool,
}

/// The keys a reference column may have; an unknown key would be a property no test checks.
const COLUMN_KEYS: [&str; 6] = [
    "name",
    "kind",
    "primary_key",
    "references",
    "index",
    "unique",
];

fn reference_spec(table: &str, column: &Json) -> ColumnSpec {
    let object = column.as_object().expect("a column is an object");
    for key in object.keys() {
        assert!(
            COLUMN_KEYS.contains(&key.as_str()),
            "{table}.{}: reference key {key} is not checked",
            column_name(column)
        );
    }
    ColumnSpec {
        name: column_name(column).to_string(),
        kind: column["kind"]
            .as_str()
            .expect("a column has a kind")
            .to_string(),
        primary_key: flag(column, "primary_key"),
        references: column
            .get("references")
            .map(|r| r.as_str().expect("references is text").to_string()),
        index: flag(column, "index"),
        unique: flag(column, "unique"),
    }
}

fn crate_spec(column: &synphys_schema::Column) -> ColumnSpec {
    ColumnSpec {
        name: column.name.to_string(),
        kind: column.kind.name().to_string(),
        primary_key: column.primary_key,
        references: column.references.map(|t| format!("{t}.id")),
        index: column.index,
        unique: column.unique,
    }
}

#[test]
fn catalogue_has_exactly_the_reference_tables_in_creation_order() {
    let reference = reference();
    let schema = Schema::v22();
    assert_eq!(
        reference["schema_version"].as_str(),
        Some(schema.version),
        "schema version"
    );
    let expected: Vec<&str> = tables(&reference).iter().map(table_name).collect();
    let ours: Vec<&str> = schema.tables.iter().map(|t| t.name).collect();
    let expected_set: BTreeSet<&str> = expected.iter().copied().collect();
    let ours_set: BTreeSet<&str> = ours.iter().copied().collect();
    let missing: Vec<&&str> = expected_set.difference(&ours_set).collect();
    let extra: Vec<&&str> = ours_set.difference(&expected_set).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "tables missing from the catalogue: {missing:?}; tables the reference lacks: {extra:?}"
    );
    assert_eq!(ours, expected, "table creation order");
}

#[test]
fn catalogue_has_every_reference_column_with_its_properties_and_no_other() {
    let reference = reference();
    let schema = Schema::v22();
    let mut checked = 0;
    for ref_table in tables(&reference) {
        let name = table_name(ref_table);
        let table = schema
            .table(name)
            .unwrap_or_else(|| panic!("reference table {name} is not in the catalogue"));
        let expected: Vec<ColumnSpec> = columns(ref_table)
            .iter()
            .map(|c| reference_spec(name, c))
            .collect();
        for column in table.columns {
            assert_eq!(column.table, name, "{}", column.name);
            assert!(
                expected.iter().any(|c| c.name == column.name),
                "{name}.{} is not in the reference",
                column.name
            );
        }
        for (position, spec) in expected.iter().enumerate() {
            let column = table
                .column(&spec.name)
                .unwrap_or_else(|| panic!("{name}.{} is missing from the catalogue", spec.name));
            assert_eq!(&crate_spec(column), spec, "{name}.{}", spec.name);
            assert_eq!(
                table.columns.iter().position(|c| c.name == spec.name),
                Some(position),
                "position of {name}.{}",
                spec.name
            );
            checked += 1;
        }
        assert_eq!(table.columns.len(), expected.len(), "columns of {name}");
    }
    assert!(checked > 0, "no reference column was checked");
}

#[test]
fn reference_kinds_all_parse_and_name_themselves() {
    let reference = reference();
    let kinds: BTreeSet<&str> = tables(&reference)
        .iter()
        .flat_map(columns)
        .map(|c| c["kind"].as_str().expect("a column has a kind"))
        .collect();
    for kind in kinds {
        let parsed = ColumnKind::from_name(kind)
            .unwrap_or_else(|| panic!("reference kind {kind} is not a ColumnKind"));
        assert_eq!(parsed.name(), kind);
    }
}

#[test]
fn metadata_row_has_the_reference_keys_and_version() {
    let reference = reference();
    let row = &reference["metadata_row"];
    let table = row["table"].as_str().expect("metadata_row.table");
    assert!(
        tables(&reference).iter().any(|t| table_name(t) == table),
        "the metadata table {table} is in the reference"
    );
    let expected: BTreeSet<&str> = row["meta_keys"]
        .as_array()
        .expect("meta_keys is a list")
        .iter()
        .map(|k| k.as_str().expect("a key is text"))
        .collect();
    assert!(!expected.is_empty());
    let written: Json =
        serde_json::from_str(&Metadata::new("2026-12-08 00:00:00", "test").to_json())
            .expect("metadata JSON parses");
    let keys: BTreeSet<&str> = written
        .as_object()
        .expect("metadata is a JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, expected);
    assert_eq!(
        written["db_version"].as_str(),
        reference["schema_version"].as_str()
    );
}

#[test]
fn every_table_has_id_first_and_meta_last() {
    for table in Schema::v22().tables {
        let first = table.columns.first().expect("a table has columns");
        let last = table.columns.last().expect("a table has columns");
        assert_eq!(
            (first.name, first.kind, first.primary_key),
            ("id", ColumnKind::Int, true)
        );
        assert_eq!(
            (last.name, last.kind),
            ("meta", ColumnKind::Object),
            "{}",
            table.name
        );
    }
}

#[test]
fn deferred_columns_are_exactly_the_large_ones_design_names() {
    let deferred: BTreeSet<String> = Schema::v22()
        .tables
        .iter()
        .flat_map(|t| t.columns.iter())
        .filter(|c| c.deferred)
        .map(|c| c.qualified_name())
        .collect();
    let expected: BTreeSet<String> = [
        "dynamics.stp_all_stimuli",
        "synapse_model.parameter_space",
        "synapse_model.marginal_distributions",
        "synapse_model.confidence_intervals",
        "avg_response_fit.avg_data",
    ]
    .map(String::from)
    .into();
    assert_eq!(deferred, expected);
    let synapse_model = Schema::v22()
        .table("synapse_model")
        .expect("synapse_model exists");
    assert_eq!(
        synapse_model.default_columns().count(),
        synapse_model.columns.len() - 3
    );
}

#[test]
fn tables_only_reference_earlier_tables() {
    let schema = Schema::v22();
    for (i, table) in schema.tables.iter().enumerate() {
        for column in table.foreign_keys() {
            let target = column.references.expect("foreign key has a target");
            let position = schema.tables.iter().position(|t| t.name == target);
            let position = position.unwrap_or_else(|| panic!("{target} is not a table"));
            // A table may reference itself (pair.reciprocal_id).
            assert!(
                position <= i,
                "{} references later table {target}",
                column.qualified_name()
            );
        }
    }
}

fn created() -> Connection {
    let db = Connection::open_in_memory().expect("in-memory database opens");
    db.execute_batch(&Schema::v22().create_sql())
        .expect("the generated DDL executes");
    db
}

/// The SQL type SQLAlchemy declares for each reference kind when it creates the schema in
/// SQLite (`Integer`, `BigInteger`, `Float`, `Boolean`, `String`, `Date`, `DateTime`, the
/// package's JSON type over `String`, and its array type over `LargeBinary`).
fn declared_type(kind: &str) -> &'static str {
    match kind {
        "int" => "INTEGER",
        "bigint" => "BIGINT",
        "float" => "FLOAT",
        "bool" => "BOOLEAN",
        "str" | "object" => "VARCHAR",
        "date" => "DATE",
        "datetime" => "DATETIME",
        "array" => "BLOB",
        other => panic!("reference kind {other} has no known SQL type"),
    }
}

#[test]
fn sqlite_has_exactly_the_reference_tables() {
    let db = created();
    let mut stmt = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("sqlite_master");
    let found: BTreeSet<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("table names")
        .collect::<Result<_, _>>()
        .expect("table name rows");
    let reference = reference();
    let expected: BTreeSet<String> = tables(&reference)
        .iter()
        .map(|t| table_name(t).to_string())
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn sqlite_table_info_matches_reference() {
    let db = created();
    let mut checked = 0;
    for ref_table in tables(&reference()) {
        let name = table_name(ref_table);
        let mut stmt = db
            .prepare(&format!("PRAGMA table_info({name})"))
            .expect("pragma");
        let info: Vec<(String, String, bool, i64)> = stmt
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?)))
            .expect("table_info")
            .collect::<Result<_, _>>()
            .expect("table_info rows");
        let found: Vec<&str> = info.iter().map(|(col, ..)| col.as_str()).collect();
        let expected: Vec<&str> = columns(ref_table).iter().map(column_name).collect();
        assert_eq!(found, expected, "columns of {name} in SQLite");
        for ((col, declared, not_null, pk), ref_column) in info.iter().zip(columns(ref_table)) {
            let kind = ref_column["kind"].as_str().expect("kind");
            assert_eq!(declared, declared_type(kind), "{name}.{col} ({kind})");
            let is_pk = flag(ref_column, "primary_key");
            assert_eq!(*pk == 1, is_pk, "{name}.{col} pk");
            assert_eq!(
                *not_null, is_pk,
                "{name}.{col} only the primary key is NOT NULL"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no column was checked");
}

/// The SQLite storage class the reference's `storage` notes give for a kind (the first word
/// of the note, e.g. `"BLOB holding a NumPy .npy v1 file"`), or the plain class of the
/// kinds it does not annotate.
fn storage_class(storage: &Json, kind: &str) -> String {
    match storage.get(kind).and_then(Json::as_str) {
        Some(note) => note
            .split_whitespace()
            .next()
            .expect("a storage note names its class")
            .to_lowercase(),
        None => match kind {
            "int" | "bigint" => "integer",
            "float" => "real",
            "str" => "text",
            other => panic!("reference kind {other} has no storage note"),
        }
        .to_string(),
    }
}

/// A non-null value of each kind that SQLite's column affinity could move to another
/// storage class if the declared type were wrong (e.g. `"1"` into an INTEGER column).
fn sample_value(kind: ColumnKind) -> synphys_schema::Value {
    use synphys_schema::Value;
    match kind {
        ColumnKind::Int | ColumnKind::BigInt => Value::Int(7),
        ColumnKind::Float => Value::Float(0.25),
        ColumnKind::Bool => Value::Bool(true),
        ColumnKind::Str => Value::Str("12".into()),
        ColumnKind::Date => {
            Value::Date(chrono::NaiveDate::from_ymd_opt(2019, 6, 11).expect("valid date"))
        }
        ColumnKind::DateTime => Value::DateTime(
            chrono::NaiveDate::from_ymd_opt(2019, 6, 11)
                .and_then(|d| d.and_hms_micro_opt(14, 2, 3, 450))
                .expect("valid date and time"),
        ),
        ColumnKind::Object => Value::Object(serde_json::json!(3)),
        ColumnKind::Array => Value::Array(synphys_schema::NpyArray::F64(
            ndarray::ArrayD::from_elem(ndarray::IxDyn(&[2]), 1.5),
        )),
    }
}

#[test]
fn sqlite_stores_every_kind_in_the_reference_storage_class() {
    let db = created();
    db.execute_batch("PRAGMA foreign_keys = OFF")
        .expect("foreign keys off");
    let reference = reference();
    let storage = &reference["storage"];
    let schema = Schema::v22();
    let mut checked_kinds = BTreeMap::new();
    for ref_table in tables(&reference) {
        let name = table_name(ref_table);
        let table = schema.table(name).expect("reference table is catalogued");
        for ref_column in columns(ref_table)
            .iter()
            .filter(|c| !flag(c, "primary_key"))
        {
            let kind = ref_column["kind"].as_str().expect("kind");
            let column = table
                .column(column_name(ref_column))
                .expect("reference column is catalogued");
            let stored = match column
                .encode(&sample_value(column.kind))
                .expect("sample value encodes")
            {
                synphys_schema::StoredValue::Null => rusqlite::types::Value::Null,
                synphys_schema::StoredValue::Integer(i) => rusqlite::types::Value::Integer(i),
                synphys_schema::StoredValue::Real(r) => rusqlite::types::Value::Real(r),
                synphys_schema::StoredValue::Text(t) => rusqlite::types::Value::Text(t),
                synphys_schema::StoredValue::Blob(b) => rusqlite::types::Value::Blob(b),
            };
            db.execute(&format!("DELETE FROM \"{name}\""), [])
                .expect("delete");
            db.execute(
                &format!(
                    "INSERT INTO \"{name}\" (id, \"{}\") VALUES (1, ?1)",
                    column.name
                ),
                [stored],
            )
            .unwrap_or_else(|e| panic!("insert into {name}.{}: {e}", column.name));
            let class: String = db
                .query_row(
                    &format!("SELECT typeof(\"{}\") FROM \"{name}\"", column.name),
                    [],
                    |r| r.get(0),
                )
                .expect("typeof");
            assert_eq!(
                class,
                storage_class(storage, kind),
                "{name}.{} ({kind})",
                column.name
            );
            *checked_kinds.entry(kind.to_string()).or_insert(0) += 1;
        }
    }
    assert!(!checked_kinds.is_empty(), "no column was checked");
}

#[test]
fn sqlite_foreign_keys_match_reference() {
    let db = created();
    let mut checked = 0;
    for ref_table in tables(&reference()) {
        let name = table_name(ref_table);
        let mut stmt = db
            .prepare(&format!("PRAGMA foreign_key_list({name})"))
            .expect("pragma");
        let mut found: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(3)?, r.get(2)?, r.get(4)?)))
            .expect("foreign_key_list")
            .collect::<Result<_, _>>()
            .expect("rows");
        found.sort();
        let mut expected: Vec<(String, String, String)> = columns(ref_table)
            .iter()
            .filter_map(|c| {
                let target = c.get("references")?.as_str()?;
                let (table, column) = target
                    .split_once('.')
                    .unwrap_or_else(|| panic!("{name}: reference {target} is table.column"));
                Some((
                    column_name(c).to_string(),
                    table.to_string(),
                    column.to_string(),
                ))
            })
            .collect();
        expected.sort();
        checked += expected.len();
        assert_eq!(found, expected, "{name}");
    }
    assert!(checked > 0, "the reference has foreign keys");
}

/// One index as SQLite reports it: the indexed column, whether it is unique, and the name
/// given by `CREATE INDEX` (`None` for the automatic index of a `UNIQUE` constraint).
type IndexSpec = (String, bool, Option<String>);

#[test]
fn sqlite_indexes_match_reference() {
    let db = created();
    let mut checked = 0;
    for ref_table in tables(&reference()) {
        let name = table_name(ref_table);
        let mut stmt = db
            .prepare(&format!("PRAGMA index_list({name})"))
            .expect("pragma");
        let mut found: Vec<IndexSpec> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .expect("index_list")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
            .into_iter()
            .filter(|(_, _, origin)| origin != "pk")
            .map(|(index, unique, origin)| {
                let indexed: Vec<String> = db
                    .prepare(&format!("PRAGMA index_info({index})"))
                    .and_then(|mut s| {
                        s.query_map([], |r| r.get(2))?
                            .collect::<Result<Vec<String>, _>>()
                    })
                    .expect("index_info");
                assert_eq!(indexed.len(), 1, "{index} covers one column");
                let created = (origin == "c").then_some(index);
                (indexed[0].clone(), unique, created)
            })
            .collect();
        found.sort();
        // SQLAlchemy names the index of an indexed column `ix_<table>_<column>`; a unique
        // column without an index gets a UNIQUE constraint instead.
        let mut expected: Vec<IndexSpec> = columns(ref_table)
            .iter()
            .filter(|c| flag(c, "index") || flag(c, "unique"))
            .map(|c| {
                let column = column_name(c).to_string();
                let created = flag(c, "index").then(|| format!("ix_{name}_{column}"));
                (column, flag(c, "unique"), created)
            })
            .collect();
        expected.sort();
        checked += expected.len();
        assert_eq!(found, expected, "{name}");
    }
    assert!(checked > 0, "the reference has indexes");
}
