//! Writers (CSV, JSON lines, JSON) and `sql()`.

mod common;

use synphys_query::{ColumnData, ErrorKind, Frame, FrameColumn, Preload, SynphysDb};

fn open() -> (tempfile::TempDir, SynphysDb) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    common::write_db(&path, 99);
    let db = SynphysDb::open(&path).unwrap();
    (dir, db)
}

/// A frame with one column of every kind and nulls in each.
fn every_kind() -> Frame {
    let (_dir, db) = open();
    let sql = "SELECT p.id, p.distance, p.has_synapse, c.cre_type, s.date_of_birth, c.position, \
               r.ic_avg_data FROM pair p JOIN cell c ON c.id = p.pre_cell_id \
               JOIN experiment e ON e.id = p.experiment_id LEFT JOIN slice s ON s.id = e.slice_id \
               LEFT JOIN synapse y ON y.pair_id = p.id LEFT JOIN resting_state_fit r ON r.synapse_id = y.id \
               ORDER BY p.id";
    db.sql(sql).unwrap()
}

#[test]
fn sql_types_table_columns_from_the_catalogue() {
    let frame = every_kind();
    let kinds: Vec<_> = frame.columns().iter().map(|c| c.kind().name()).collect();
    assert_eq!(
        kinds,
        ["int", "float", "bool", "text", "datetime", "JSON", "array"]
    );
    assert_eq!(
        frame.column_names().collect::<Vec<_>>(),
        [
            "id",
            "distance",
            "has_synapse",
            "cre_type",
            "date_of_birth",
            "position",
            "ic_avg_data"
        ]
    );
    // Each kind holds nulls somewhere.
    for column in frame.columns() {
        assert!(
            (0..frame.n_rows()).any(|r| column.data().is_null(r))
                || column.name() == "id"
                || column.name() == "has_synapse"
                || column.name() == "position"
        );
    }
}

#[test]
fn sql_infers_computed_columns_and_refuses_writes() {
    let (_dir, db) = open();
    let frame = db
        .sql("SELECT count(*) AS n, avg(distance) AS mean_m, 'x' || id AS label FROM pair GROUP BY experiment_id ORDER BY experiment_id")
        .unwrap();
    assert!(frame.i64s("n").is_ok());
    assert!(frame.f64s("mean_m").is_ok());
    assert_eq!(
        frame
            .strs("label")
            .unwrap()
            .get(0)
            .map(|s| s.starts_with('x')),
        Some(true)
    );
    let total: i64 = frame.i64s("n").unwrap().iter().flatten().sum();
    assert_eq!(total as u64, db.pair_query().count().unwrap());

    for statement in [
        "DELETE FROM pair",
        "UPDATE pair SET distance = 0",
        "INSERT INTO metadata (id, meta) VALUES (2, 'null')",
        "DROP TABLE pair",
        "SELECT 1; DELETE FROM pair",
    ] {
        let err = db.sql(statement).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::NotReadOnly { .. }),
            "{statement}: {err}"
        );
        assert!(err.to_string().contains("read-only"), "{err}");
    }
    let err = db.sql("SELECT nope FROM pair").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Sqlite { .. }), "{err}");
    assert_eq!(
        db.sql("WITH x AS (SELECT 2 AS v) SELECT v FROM x")
            .unwrap()
            .i64s("v")
            .unwrap(),
        [Some(2)]
    );
}

#[test]
fn csv_spells_nulls_booleans_floats_and_json_as_documented() {
    let frame = every_kind();
    let mut out = Vec::new();
    frame.write_csv(&mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, frame.column_names().collect::<Vec<_>>());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), frame.n_rows());
    let distance = frame.f64s("distance").unwrap();
    let synapse = frame.bools("has_synapse").unwrap();
    let position = frame.json("position").unwrap();
    let arrays = frame.arrays("ic_avg_data").unwrap();
    for (row, record) in records.iter().enumerate() {
        // Floats round-trip exactly; null is an empty field.
        match distance[row] {
            Some(d) => assert_eq!(record[1].parse::<f64>().unwrap(), d),
            None => assert_eq!(&record[1], ""),
        }
        assert_eq!(
            &record[2],
            if synapse[row].unwrap() {
                "true"
            } else {
                "false"
            }
        );
        // JSON is compact JSON text.
        let json: serde_json::Value = serde_json::from_str(&record[5]).unwrap();
        assert_eq!(Some(json), position[row]);
        assert!(!record[5].contains(' '), "{}", &record[5]);
        match &arrays[row] {
            Some(_) => {
                let values: Vec<f64> = serde_json::from_str(&record[6]).unwrap();
                assert_eq!(values, [1e-3, 2e-3, 1.5e-3]);
            }
            None => assert_eq!(&record[6], ""),
        }
    }
    let dob: Vec<&str> = records
        .iter()
        .map(|r| r.get(4).unwrap())
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        dob.iter().all(|d| d.ends_with(" 12:30:05.000250")),
        "{dob:?}"
    );
}

#[test]
fn json_lines_and_json_keep_column_order_and_nulls() {
    let frame = every_kind();
    let mut lines = Vec::new();
    frame.write_jsonl(&mut lines).unwrap();
    let text = String::from_utf8(lines).unwrap();
    assert_eq!(text.lines().count(), frame.n_rows());
    let mut whole = Vec::new();
    frame.write_json(&mut whole).unwrap();
    let array: Vec<serde_json::Value> = serde_json::from_slice(&whole).unwrap();
    assert_eq!(array.len(), frame.n_rows());
    let distance = frame.f64s("distance").unwrap();
    for (row, line) in text.lines().enumerate() {
        let object: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(object, array[row]);
        // Keys in column order.
        let first_key = line.split('"').nth(1).unwrap();
        assert_eq!(first_key, "id");
        match distance[row] {
            Some(d) => assert_eq!(object["distance"].as_f64(), Some(d)),
            None => assert!(object["distance"].is_null()),
        }
        assert!(object["has_synapse"].is_boolean());
    }
}

#[test]
fn frames_built_by_hand_check_lengths_and_names() {
    let int = |v: Vec<Option<i64>>| ColumnData::Int(v);
    assert!(
        Frame::new(vec![
            FrameColumn::new("a", int(vec![Some(1)])),
            FrameColumn::new("b", int(vec![]))
        ])
        .is_err()
    );
    assert!(
        Frame::new(vec![
            FrameColumn::new("a", int(vec![Some(1)])),
            FrameColumn::new("a", int(vec![None]))
        ])
        .is_err()
    );
    let mut frame = Frame::new(vec![FrameColumn::new("a", int(vec![Some(1), None]))]).unwrap();
    frame
        .push_column(FrameColumn::new(
            "b",
            ColumnData::Float(vec![Some(0.5), None]),
        ))
        .unwrap();
    assert!(
        frame
            .push_column(FrameColumn::new("c", ColumnData::Float(vec![None])))
            .is_err()
    );
    assert_eq!(frame.n_columns(), 2);
    let mut out = Vec::new();
    frame.write_csv(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "a,b\n1,0.5\n,\n");
}

#[test]
fn the_tutorial_query_writes_as_csv() {
    let (_dir, db) = open();
    let frame = db
        .pair_query()
        .species("human")
        .synapse_type("ex")
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
        .frame()
        .unwrap();
    let mut out = Vec::new();
    frame.write_csv(&mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(reader.headers().unwrap().len(), frame.n_columns());
    assert_eq!(reader.records().count(), frame.n_rows());
}

#[cfg(feature = "parquet")]
#[test]
fn a_full_pair_query_writes_as_parquet() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let (_dir, db) = open();
    let frame = Preload::ALL
        .iter()
        .fold(db.pair_query(), |q, p| q.preload(*p))
        .frame()
        .unwrap();
    let file = tempfile::tempfile().unwrap();
    frame.write_parquet(file.try_clone().unwrap()).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let metadata = reader.metadata().file_metadata();
    assert_eq!(metadata.num_rows() as usize, frame.n_rows());
    assert_eq!(metadata.schema_descr().num_columns(), frame.n_columns());
}
