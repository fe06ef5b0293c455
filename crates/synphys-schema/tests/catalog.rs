//! The static catalogue equals the reference layout `fixtures/schema_v22.json`, column by
//! column, and the DDL generated from it creates exactly that layout in SQLite.

use std::collections::BTreeSet;

use rusqlite::Connection;
use serde_json::Value as Json;
use synphys_schema::{ColumnKind, Schema, index_name};

fn reference() -> Json {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/schema_v22.json"
    );
    let text = std::fs::read_to_string(path).expect("fixtures/schema_v22.json is readable");
    serde_json::from_str(&text).expect("fixtures/schema_v22.json is JSON")
}

fn tables(reference: &Json) -> &Vec<Json> {
    reference["tables"].as_array().expect("tables is a list")
}

fn flag(column: &Json, key: &str) -> bool {
    column.get(key).and_then(Json::as_bool).unwrap_or(false)
}

#[test]
fn catalogue_equals_reference_for_every_table_and_column() {
    let reference = reference();
    let schema = Schema::v22();
    assert_eq!(reference["schema_version"].as_str(), Some(schema.version));
    let ref_tables = tables(&reference);
    assert_eq!(ref_tables.len(), 32);
    assert_eq!(schema.tables.len(), ref_tables.len());
    let known_keys: BTreeSet<&str> = [
        "name",
        "kind",
        "primary_key",
        "references",
        "index",
        "unique",
    ]
    .into();
    for (table, ref_table) in schema.tables.iter().zip(ref_tables) {
        assert_eq!(Some(table.name), ref_table["name"].as_str());
        let ref_columns = ref_table["columns"].as_array().expect("columns is a list");
        assert_eq!(
            table.columns.len(),
            ref_columns.len(),
            "column count of {}",
            table.name
        );
        for (column, ref_column) in table.columns.iter().zip(ref_columns) {
            let what = format!("{}.{}", table.name, column.name);
            for key in ref_column.as_object().expect("column is an object").keys() {
                assert!(
                    known_keys.contains(key.as_str()),
                    "{what}: unexpected key {key}"
                );
            }
            assert_eq!(column.table, table.name, "{what}");
            assert_eq!(Some(column.name), ref_column["name"].as_str(), "{what}");
            assert_eq!(
                Some(column.kind.name()),
                ref_column["kind"].as_str(),
                "{what}"
            );
            assert_eq!(
                column.primary_key,
                flag(ref_column, "primary_key"),
                "{what}"
            );
            assert_eq!(column.index, flag(ref_column, "index"), "{what}");
            assert_eq!(column.unique, flag(ref_column, "unique"), "{what}");
            let references = column.references.map(|t| format!("{t}.id"));
            assert_eq!(
                references.as_deref(),
                ref_column["references"].as_str(),
                "{what}"
            );
        }
    }
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

#[test]
fn sqlite_table_info_matches_reference() {
    let db = created();
    for ref_table in tables(&reference()) {
        let name = ref_table["name"].as_str().expect("table name");
        let mut stmt = db
            .prepare(&format!("PRAGMA table_info({name})"))
            .expect("pragma");
        let info: Vec<(String, String, bool, i64)> = stmt
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?)))
            .expect("table_info")
            .collect::<Result<_, _>>()
            .expect("table_info rows");
        let ref_columns = ref_table["columns"].as_array().expect("columns");
        assert_eq!(info.len(), ref_columns.len(), "{name}");
        for ((col, declared, not_null, pk), ref_column) in info.iter().zip(ref_columns) {
            let kind = ColumnKind::from_name(ref_column["kind"].as_str().expect("kind"))
                .expect("known kind");
            assert_eq!(Some(col.as_str()), ref_column["name"].as_str(), "{name}");
            assert_eq!(declared, kind.sql_type(), "{name}.{col}");
            let is_pk = flag(ref_column, "primary_key");
            assert_eq!(*pk == 1, is_pk, "{name}.{col} pk");
            assert_eq!(
                *not_null, is_pk,
                "{name}.{col} only the primary key is NOT NULL"
            );
        }
    }
}

#[test]
fn sqlite_foreign_keys_match_reference() {
    let db = created();
    for ref_table in tables(&reference()) {
        let name = ref_table["name"].as_str().expect("table name");
        let mut stmt = db
            .prepare(&format!("PRAGMA foreign_key_list({name})"))
            .expect("pragma");
        let mut found: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(3)?, r.get(2)?, r.get(4)?)))
            .expect("foreign_key_list")
            .collect::<Result<_, _>>()
            .expect("rows");
        found.sort();
        let mut expected: Vec<(String, String, String)> = ref_table["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .filter_map(|c| {
                let target = c.get("references")?.as_str()?;
                let (table, column) = target.split_once('.')?;
                Some((
                    c["name"].as_str()?.to_string(),
                    table.to_string(),
                    column.to_string(),
                ))
            })
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn sqlite_indexes_match_reference() {
    let db = created();
    for ref_table in tables(&reference()) {
        let name = ref_table["name"].as_str().expect("table name");
        let mut stmt = db
            .prepare(&format!("PRAGMA index_list({name})"))
            .expect("pragma");
        let mut found: Vec<(String, bool, String)> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))
            .expect("index_list")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
            .into_iter()
            .map(|(index, unique)| {
                let column: String = db
                    .query_row(&format!("PRAGMA index_info({index})"), [], |r| r.get(2))
                    .expect("index_info has one column");
                (index, unique, column)
            })
            .collect();
        found.sort();
        let mut expected: Vec<(String, bool, String)> = ref_table["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .filter(|c| flag(c, "index") || flag(c, "unique"))
            .map(|c| {
                let column = c["name"].as_str().expect("name").to_string();
                (index_name(name, &column), flag(c, "unique"), column)
            })
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{name}");
    }
}
