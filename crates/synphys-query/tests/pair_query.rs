//! The pair query's filters, preloads and columns, each checked against hand-written SQL
//! run directly on the same file.

mod common;

use std::sync::OnceLock;

use rusqlite::Connection;
use synphys_cellclass::{CellClass, CompareOp};
use synphys_query::{ErrorKind, PairQuery, Preload, SynphysDb};
use synphys_schema::{Schema, StoredValue, Value};

struct TestDb {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    written: common::Written,
}

fn test_db() -> &'static TestDb {
    static DB: OnceLock<TestDb> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hand.sqlite");
        let written = common::write_db(&path, 20261129);
        TestDb {
            _dir: dir,
            path,
            written,
        }
    })
}

fn open_path(path: &std::path::Path) -> (SynphysDb, Connection) {
    let db = SynphysDb::open(path).unwrap();
    let raw =
        Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    (db, raw)
}

fn open() -> (SynphysDb, Connection) {
    open_path(&test_db().path)
}

/// A small-scale demo database, written once per test run.
fn small_demo() -> (SynphysDb, Connection) {
    static DEMO: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo_small.sqlite");
        synphys_demo::write(
            &path,
            &synphys_demo::DemoConfig::new(synphys_demo::Scale::Small).seed(5),
        )
        .unwrap();
        (dir, path)
    });
    open_path(path)
}

/// The committed fixture of the demo generator.
fn fixture() -> (SynphysDb, Connection) {
    open_path(&common::fixture_path())
}

fn distinct(raw: &Connection, sql: &str) -> Vec<String> {
    let mut statement = raw.prepare(sql).unwrap();
    statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Pair ids selected by hand-written SQL: `where` is a condition on `pair AS p`.
fn expected_ids(raw: &Connection, condition: &str) -> Vec<i64> {
    let sql = format!("SELECT p.id FROM pair p WHERE {condition} ORDER BY p.id");
    let mut statement = raw.prepare(&sql).unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap()
}

fn ids_of(query: &PairQuery<'_>) -> Vec<i64> {
    let frame = query.frame().unwrap();
    frame
        .i64s("pair.id")
        .unwrap()
        .iter()
        .map(|id| id.unwrap())
        .collect()
}

fn pre(column: &str) -> String {
    format!("(SELECT {column} FROM cell WHERE cell.id = p.pre_cell_id)")
}

fn check(query: PairQuery<'_>, raw: &Connection, condition: &str) {
    let expected = expected_ids(raw, condition);
    let got = ids_of(&query);
    assert_eq!(
        got,
        expected,
        "filter {condition}\nSQL: {}",
        query.sql().unwrap()
    );
    assert_eq!(
        query.count().unwrap(),
        expected.len() as u64,
        "count of {condition}"
    );
}

#[test]
fn every_filter_selects_what_hand_written_sql_selects() {
    let (db, raw) = open();
    every_filter(&db, &raw);
}

#[test]
fn every_filter_selects_what_hand_written_sql_selects_on_the_fixture() {
    let (db, raw) = fixture();
    every_filter(&db, &raw);
}

#[test]
fn every_filter_selects_what_hand_written_sql_selects_on_a_small_demo() {
    let (db, raw) = small_demo();
    every_filter(&db, &raw);
}

fn every_filter(db: &SynphysDb, raw: &Connection) {
    let projects = db.project_names().unwrap();
    let acsf = distinct(
        raw,
        "SELECT DISTINCT acsf FROM experiment WHERE acsf IS NOT NULL ORDER BY 1",
    );
    let internal = distinct(
        raw,
        "SELECT DISTINCT internal FROM experiment WHERE internal IS NOT NULL ORDER BY 1",
    );
    assert!(projects.len() >= 2 && !acsf.is_empty() && internal.len() >= 2);
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let q = || db.pair_query();
    let slice = |column: &str| {
        format!(
            "(SELECT s.{column} FROM experiment e JOIN slice s ON s.id = e.slice_id WHERE e.id = p.experiment_id)"
        )
    };
    let experiment =
        |column: &str| format!("(SELECT {column} FROM experiment e WHERE e.id = p.experiment_id)");
    let probed = format!(
        "(({c} = 'ex' AND p.n_ex_test_spikes > 10) OR ({c} = 'in' AND p.n_in_test_spikes > 10) \
         OR (p.n_ex_test_spikes > 10 AND p.n_in_test_spikes > 10))",
        c = pre("cell_class")
    );
    let cases: Vec<(PairQuery<'_>, String)> = vec![
        (q(), "1".into()),
        (q().synapse(true), "p.has_synapse = 1".into()),
        (q().synapse(false), "p.has_synapse = 0".into()),
        (
            q().synapse_type("ex"),
            "EXISTS (SELECT 1 FROM synapse s WHERE s.pair_id = p.id AND s.synapse_type = 'ex')".into(),
        ),
        (
            q().synapse_type(synphys_cellclass::SynapseType::In.as_str()),
            "EXISTS (SELECT 1 FROM synapse s WHERE s.pair_id = p.id AND s.synapse_type = 'in')".into(),
        ),
        (
            q().synapse_type("mixed"),
            "EXISTS (SELECT 1 FROM synapse s WHERE s.pair_id = p.id AND s.synapse_type = 'mixed')".into(),
        ),
        (q().synapse_probed(true), probed.clone()),
        (q().synapse_probed(false), "1".into()),
        (q().electrical(true), "p.has_electrical = 1".into()),
        (q().electrical(false), "p.has_electrical = 0".into()),
        (
            q().experiment_type("standard multipatch"),
            format!(
                "{} IN ('mouse V1 coarse matrix', 'mouse V1 pre-production', 'human coarse matrix')",
                experiment("project_name")
            ),
        ),
        (
            q().project_names(&projects[projects.len() - 1..]),
            format!("{} = {}", experiment("project_name"), quoted(&projects[projects.len() - 1..])),
        ),
        (
            q().project_names(&projects[..2]),
            format!("{} IN ({})", experiment("project_name"), quoted(&projects[..2])),
        ),
        (q().acsf(&acsf[..1]), format!("{} = {}", experiment("acsf"), quoted(&acsf[..1]))),
        (
            q().internal(&internal[..2]),
            format!("{} IN ({})", experiment("internal"), quoted(&internal[..2])),
        ),
        (q().age(Some(40.0), Some(70.0)), format!("{a} >= 40 AND {a} <= 70", a = slice("age"))),
        (q().age(None, Some(50.0)), format!("{} <= 50", slice("age"))),
        (q().age(Some(60.0), None), format!("{} >= 60", slice("age"))),
        (
            q().distance_m(Some(50e-6), Some(150e-6)),
            "p.distance >= 50e-6 AND p.distance <= 150e-6".into(),
        ),
        (q().distance_m(None, Some(100e-6)), "p.distance <= 100e-6".into()),
        (q().species("human"), format!("{} = 'human'", slice("species"))),
        (q().filter("pair.lateral_distance < 1e-4"), "p.lateral_distance < 1e-4".into()),
        (
            q().filter("pre_cortical_cell_location.cortical_layer == '2/3'"),
            "(SELECT cortical_layer FROM cortical_cell_location l WHERE l.cell_id = p.pre_cell_id) = '2/3'".into(),
        ),
        (
            q().filter("synapse.latency is not null"),
            "EXISTS (SELECT 1 FROM synapse s WHERE s.pair_id = p.id AND s.latency IS NOT NULL)".into(),
        ),
        (
            q().filter("pre_cell.cre_type is null"),
            format!("{} IS NULL", pre("cre_type")),
        ),
        (
            q().filter_expr("post_morphology.dendrite_type", CompareOp::Eq, "aspiny"),
            "(SELECT dendrite_type FROM morphology m WHERE m.cell_id = p.post_cell_id) = 'aspiny'".into(),
        ),
        (
            q().filter_expr("pair.n_ex_test_spikes", CompareOp::Ge, 20),
            "p.n_ex_test_spikes >= 20".into(),
        ),
        (
            q().filter("pair.has_electrical != true"),
            "p.has_electrical != 1".into(),
        ),
        // Filters combine with AND.
        (
            q().species("mouse").synapse(true).synapse_probed(true).distance_m(None, Some(200e-6)),
            format!(
                "{} = 'mouse' AND p.has_synapse = 1 AND {probed} AND p.distance <= 200e-6",
                slice("species")
            ),
        ),
    ];
    for (query, condition) in cases {
        check(query, raw, &condition);
    }
}

fn class(criteria: &[(&str, &str)]) -> CellClass {
    let mut builder = CellClass::builder();
    for (column, value) in criteria {
        builder.criterion(*column, *value);
    }
    builder.build().unwrap()
}

#[test]
fn class_filters_use_the_aliased_cell_tables() {
    let (db, raw) = open();
    let sst_l23 = class(&[("cre_type", "sst"), ("cortical_layer", "2/3")]);
    let aspiny = class(&[("dendrite_type", "aspiny")]);
    let sst_l23_sql = |side: &str| {
        format!(
            "(SELECT cre_type FROM cell WHERE id = p.{side}_cell_id) = 'sst' AND \
             (SELECT cortical_layer FROM cortical_cell_location WHERE cell_id = p.{side}_cell_id) = '2/3'"
        )
    };
    let aspiny_sql = |side: &str| {
        format!(
            "(SELECT dendrite_type FROM morphology WHERE cell_id = p.{side}_cell_id) = 'aspiny'"
        )
    };
    check(
        db.pair_query().pre_class(&sst_l23),
        &raw,
        &sst_l23_sql("pre"),
    );
    check(
        db.pair_query().post_class(&sst_l23),
        &raw,
        &sst_l23_sql("post"),
    );
    check(
        db.pair_query().pre_class(&aspiny).post_class(&sst_l23),
        &raw,
        &format!("{} AND {}", aspiny_sql("pre"), sst_l23_sql("post")),
    );
    // Classifying the frame in memory agrees with filtering in the database.
    let frame = db.pair_query().preload(Preload::Cell).frame().unwrap();
    let set = synphys_cellclass::ClassSet::new([sst_l23.clone()]).unwrap();
    let classified = set.classify_pairs(frame.rows()).unwrap();
    let by_memory: Vec<i64> = classified
        .iter()
        .zip(frame.i64s("pair.id").unwrap())
        .filter(|((pre, _), _)| pre.is_some())
        .map(|(_, id)| id.unwrap())
        .collect();
    assert_eq!(by_memory, ids_of(&db.pair_query().pre_class(&sst_l23)));
}

#[test]
fn invalid_filters_are_errors_naming_the_filter() {
    let (db, _) = open();
    let err = db
        .pair_query()
        .synapse_type("excitatory")
        .frame()
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidFilter {
                what: "synapse_type",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("\"ex\", \"in\" or \"mixed\""),
        "{err}"
    );

    let err = db
        .pair_query()
        .experiment_type("standard multipatch")
        .project_names(["human coarse matrix"])
        .count()
        .unwrap_err();
    assert!(err.to_string().contains("not both"), "{err}");

    let err = db
        .pair_query()
        .project_names(["mouse V1 coarse matrx"])
        .frame()
        .unwrap_err();
    match err.kind() {
        ErrorKind::UnknownProject {
            name, available, ..
        } => {
            assert_eq!(name, "mouse V1 coarse matrx");
            assert_eq!(available.len(), test_db().written.projects.len());
        }
        other => panic!("expected UnknownProject, got {other:?}"),
    }
    assert!(err.to_string().contains("mouse V1 coarse matrix"), "{err}");

    let err = db
        .pair_query()
        .filter("pair.distanse < 1")
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("did you mean distance"), "{err}");
    let err = db
        .pair_query()
        .filter("pre_cel.cre_type == 'sst'")
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("did you mean pre_cell"), "{err}");
    let err = db
        .pair_query()
        .filter("pre_cell.cre_type > 3")
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("holds str values"), "{err}");
    let err = db
        .pair_query()
        .filter("pair.meta == 3")
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("cannot be compared"), "{err}");
    let err = db.pair_query().filter("pair.distance").frame().unwrap_err();
    assert!(err.to_string().contains("alias.column op value"), "{err}");
    let err = db
        .pair_query()
        .filter("pair.distance < abc")
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("is not a value"), "{err}");
    let err = db
        .pair_query()
        .distance_m(Some(f64::NAN), None)
        .frame()
        .unwrap_err();
    assert!(err.to_string().contains("NaN"), "{err}");
    assert!(Preload::parse("cells").is_err());
    assert_eq!(
        Preload::parse("synapse_prediction").unwrap(),
        Preload::SynapsePrediction
    );
}

#[test]
fn values_are_bound_never_spliced_into_the_sql() {
    let (db, _) = open();
    let hostile = "x'); DROP TABLE pair; --";
    let query = db.pair_query().species(hostile).acsf([hostile]);
    let (sql, values) = query.sql_with_values().unwrap();
    assert!(!sql.contains("DROP"), "{sql}");
    assert_eq!(values.0.len(), 2);
    assert_eq!(query.count().unwrap(), 0);
}

/// `alias.column` for every default column of the tables under `aliases`, from the
/// catalogue.
fn catalogue_columns(aliases: &[(&str, &str)]) -> Vec<String> {
    let schema = Schema::v22();
    aliases
        .iter()
        .flat_map(|(alias, table)| {
            schema
                .table(table)
                .unwrap()
                .columns
                .iter()
                .filter(|c| !c.deferred)
                .map(move |c| format!("{alias}.{}", c.name))
        })
        .collect()
}

#[test]
fn each_preload_adds_its_tables_columns_and_never_drops_a_pair() {
    let (db, raw) = open();
    let n_pairs: i64 = raw
        .query_row("SELECT count(*) FROM pair", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n_pairs as usize, test_db().written.n_pairs);
    every_preload(&db, &raw);
}

#[test]
fn each_preload_adds_its_tables_columns_and_never_drops_a_pair_on_the_fixture() {
    let (db, raw) = fixture();
    every_preload(&db, &raw);
}

#[test]
fn each_preload_adds_its_tables_columns_and_never_drops_a_pair_on_a_small_demo() {
    let (db, raw) = small_demo();
    every_preload(&db, &raw);
}

fn every_preload(db: &SynphysDb, raw: &Connection) {
    let n_pairs: i64 = raw
        .query_row("SELECT count(*) FROM pair", [], |r| r.get(0))
        .unwrap();
    let pair = [("pair", "pair")];
    let experiment = [("experiment", "experiment"), ("slice", "slice")];
    let cell = [
        ("pre_cell", "cell"),
        ("post_cell", "cell"),
        ("pre_morphology", "morphology"),
        ("post_morphology", "morphology"),
        ("pre_patch_seq", "patch_seq"),
        ("post_patch_seq", "patch_seq"),
        ("pre_intrinsic", "intrinsic"),
        ("post_intrinsic", "intrinsic"),
        ("pre_cortical_cell_location", "cortical_cell_location"),
        ("post_cortical_cell_location", "cortical_cell_location"),
    ];
    let synapse = [
        ("synapse", "synapse"),
        ("resting_state_fit", "resting_state_fit"),
        ("dynamics", "dynamics"),
        ("synapse_model", "synapse_model"),
    ];
    let prediction = [("synapse_prediction", "synapse_prediction")];
    // (preloads, the (alias, table) pairs whose columns come back, in order)
    type Case<'a> = (Vec<Preload>, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case<'_>> = vec![
        (vec![], pair.to_vec()),
        (vec![Preload::Experiment], [&pair[..], &experiment].concat()),
        (vec![Preload::Cell], [&pair[..], &cell].concat()),
        (vec![Preload::Synapse], [&pair[..], &synapse].concat()),
        (
            vec![Preload::SynapsePrediction],
            [&pair[..], &prediction].concat(),
        ),
        (
            // Order given does not matter: columns come in the documented order.
            vec![
                Preload::SynapsePrediction,
                Preload::Synapse,
                Preload::Cell,
                Preload::Experiment,
            ],
            [&pair[..], &experiment, &cell, &synapse, &prediction].concat(),
        ),
    ];
    let has_prediction = db.has_table("synapse_prediction").unwrap();
    for (preloads, aliases) in cases {
        let query = preloads.iter().fold(db.pair_query(), |q, p| q.preload(*p));
        if !has_prediction && preloads.contains(&Preload::SynapsePrediction) {
            // A small file: the preload names the table it lacks.
            let err = query.frame().unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::MissingTable { .. }),
                "{err}"
            );
            continue;
        }
        let frame = query.frame().unwrap();
        let expected = catalogue_columns(&aliases);
        let names: Vec<&str> = frame.column_names().collect();
        assert_eq!(names, expected, "columns of preloads {preloads:?}");
        assert_eq!(query.column_names().unwrap(), expected);
        assert_eq!(
            frame.n_rows() as i64,
            n_pairs,
            "rows of preloads {preloads:?}"
        );
    }
    // The Python package's column count for pair + cell (233) holds for our catalogue.
    let frame = db.pair_query().preload(Preload::Cell).frame().unwrap();
    assert_eq!(frame.n_columns(), 233);
}

#[test]
fn deferred_columns_come_only_on_request() {
    let (db, raw) = open();
    let plain = db.pair_query().preload(Preload::Synapse).frame().unwrap();
    for deferred in [
        "dynamics.stp_all_stimuli",
        "synapse_model.parameter_space",
        "synapse_model.marginal_distributions",
        "synapse_model.confidence_intervals",
    ] {
        assert!(!plain.has_column(deferred), "{deferred} should be deferred");
    }
    let with = db
        .pair_query()
        .preload(Preload::Synapse)
        .with_deferred("dynamics.stp_all_stimuli")
        .frame()
        .unwrap();
    assert_eq!(with.n_columns(), plain.n_columns() + 1);
    let stp = with.json("dynamics.stp_all_stimuli").unwrap();
    let n_written: i64 = raw
        .query_row(
            "SELECT count(*) FROM dynamics WHERE stp_all_stimuli != 'null'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stp.iter().flatten().count() as i64, n_written);
    assert!(
        stp.iter()
            .flatten()
            .all(|v| *v == serde_json::json!({"50": [1, 2]}))
    );
    // Without its preload, a deferred column is appended after the others.
    let alone = db
        .pair_query()
        .with_deferred("synapse_model.parameter_space")
        .frame()
        .unwrap();
    assert_eq!(
        alone.column_names().last(),
        Some("synapse_model.parameter_space")
    );
    assert_eq!(alone.n_columns(), 16);
    // Only deferred columns can be asked for, and only of joined tables.
    assert!(
        db.pair_query()
            .with_deferred("pair.distance")
            .frame()
            .is_err()
    );
    assert!(
        db.pair_query()
            .with_deferred("avg_response_fit.avg_data")
            .frame()
            .is_err()
    );
    assert!(
        db.pair_query()
            .with_deferred("dynamics.stp_all_stimulus")
            .frame()
            .is_err()
    );
}

/// Decodes a raw SQLite value with the schema crate's codec (independent of the frame).
fn decode(table: &str, column: &str, value: rusqlite::types::Value) -> Value {
    let stored = match value {
        rusqlite::types::Value::Null => StoredValue::Null,
        rusqlite::types::Value::Integer(i) => StoredValue::Integer(i),
        rusqlite::types::Value::Real(x) => StoredValue::Real(x),
        rusqlite::types::Value::Text(t) => StoredValue::Text(t),
        rusqlite::types::Value::Blob(b) => StoredValue::Blob(b),
    };
    Schema::v22()
        .require_column(table, column)
        .unwrap()
        .decode(stored)
        .unwrap()
}

#[test]
fn every_value_equals_the_schema_codecs_reading_of_the_file() {
    let (db, raw) = open();
    every_value(&db, &raw);
}

#[test]
fn every_value_equals_the_schema_codecs_reading_of_the_fixture() {
    let (db, raw) = fixture();
    every_value(&db, &raw);
}

fn every_value(db: &SynphysDb, raw: &Connection) {
    let frame = Preload::ALL
        .iter()
        .fold(db.pair_query(), |q, p| q.preload(*p))
        .frame()
        .unwrap();
    let ids: Vec<i64> = frame
        .i64s("pair.id")
        .unwrap()
        .iter()
        .map(|x| x.unwrap())
        .collect();
    // Per alias: the table and how to reach its row from a pair id.
    let reach = |alias: &str| -> (&str, String) {
        let cell_row = |table: &'static str, side: &str| {
            (
                table,
                format!(
                    "SELECT t.{{col}} FROM pair p LEFT JOIN {table} t ON t.cell_id = p.{side}_cell_id WHERE p.id = ?1"
                ),
            )
        };
        match alias {
            "pair" => ("pair", "SELECT t.{col} FROM pair t WHERE t.id = ?1".into()),
            "experiment" => ("experiment", "SELECT t.{col} FROM pair p JOIN experiment t ON t.id = p.experiment_id WHERE p.id = ?1".into()),
            "slice" => ("slice", "SELECT t.{col} FROM pair p JOIN experiment e ON e.id = p.experiment_id LEFT JOIN slice t ON t.id = e.slice_id WHERE p.id = ?1".into()),
            "pre_cell" => ("cell", "SELECT t.{col} FROM pair p JOIN cell t ON t.id = p.pre_cell_id WHERE p.id = ?1".into()),
            "post_cell" => ("cell", "SELECT t.{col} FROM pair p JOIN cell t ON t.id = p.post_cell_id WHERE p.id = ?1".into()),
            "synapse" | "dynamics" | "synapse_model" | "synapse_prediction" => {
                let table: &str = Schema::v22().table(alias).unwrap().name;
                (table, format!("SELECT t.{{col}} FROM pair p LEFT JOIN {alias} t ON t.pair_id = p.id WHERE p.id = ?1"))
            }
            "resting_state_fit" => ("resting_state_fit", "SELECT t.{col} FROM pair p LEFT JOIN synapse s ON s.pair_id = p.id LEFT JOIN resting_state_fit t ON t.synapse_id = s.id WHERE p.id = ?1".into()),
            other => {
                let (side, table) = other.split_once('_').unwrap();
                let table: &'static str = Schema::v22().table(table).unwrap().name;
                cell_row(table, side)
            }
        }
    };
    let mut checked = 0;
    for column in frame.columns() {
        let (alias, name) = column.name().split_once('.').unwrap();
        let (table, template) = reach(alias);
        let sql = template.replace("{col}", name);
        let mut statement = raw.prepare(&sql).unwrap();
        for (row, id) in ids.iter().enumerate() {
            let stored: rusqlite::types::Value = statement.query_row([id], |r| r.get(0)).unwrap();
            let expected = decode(table, name, stored);
            assert_eq!(
                column.value(row).unwrap(),
                expected,
                "{} of pair {id}",
                column.name()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, frame.n_columns() * frame.n_rows());
    assert!(frame.n_rows() > 100);
}

#[test]
fn nulls_stay_null_whatever_their_spelling() {
    let (db, raw) = open();
    let frame = db
        .pair_query()
        .preload(Preload::Experiment)
        .preload(Preload::Cell)
        .preload(Preload::Synapse)
        .frame()
        .unwrap();
    // Experiment 8 has no slice row: its pairs are kept, with null slice columns.
    let experiment = frame.i64s("pair.experiment_id").unwrap();
    let species = frame.strs("slice.species").unwrap();
    let age = frame.i64s("slice.age").unwrap();
    for row in 0..frame.n_rows() {
        if experiment[row] == Some(8) {
            assert_eq!(species.get(row), None);
            assert_eq!(age[row], None);
            assert!(frame.row(row).is_null("slice.date_of_birth"));
        } else {
            assert!(species.get(row).is_some());
        }
    }
    // Null floats are None, never NaN or 0.
    let distance = frame.f64s("pair.distance").unwrap();
    let n_null: i64 = raw
        .query_row(
            "SELECT count(*) FROM pair WHERE distance IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(n_null > 0);
    assert_eq!(
        distance.iter().filter(|d| d.is_none()).count() as i64,
        n_null
    );
    assert!(distance.iter().flatten().all(|d| d.is_finite() && *d > 0.0));
    // JSON `null` text (every unset meta) reads as null; real JSON is parsed.
    let meta_text: String = raw
        .query_row("SELECT meta FROM pair LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meta_text, "null");
    assert!(frame.json("pair.meta").unwrap().iter().all(Option::is_none));
    assert!(
        frame
            .json("pre_cell.position")
            .unwrap()
            .iter()
            .all(|p| p.as_ref().is_some_and(|v| v.is_array()))
    );
    // An empty BLOB reads as a null array; a stored array decodes.
    let arrays = frame.arrays("resting_state_fit.ic_avg_data").unwrap();
    let n_arrays: i64 = raw
        .query_row(
            "SELECT count(*) FROM resting_state_fit WHERE length(ic_avg_data) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(arrays.iter().flatten().count() as i64, n_arrays);
    assert!(arrays.iter().flatten().all(|a| a.shape() == [3]));
    assert!(
        frame
            .arrays("resting_state_fit.vc_avg_data")
            .unwrap()
            .iter()
            .all(Option::is_none)
    );
    // Booleans stored 0/1; date/times stored as text with microseconds.
    assert!(
        frame
            .bools("pair.has_synapse")
            .unwrap()
            .iter()
            .all(Option::is_some)
    );
    let born = frame.datetimes("slice.date_of_birth").unwrap();
    let first = born.iter().flatten().next().unwrap();
    assert_eq!(first.format("%H:%M:%S%.6f").to_string(), "12:30:05.000250");
    // A missing per-cell row gives nulls in every column of that table.
    let morph_id = frame.i64s("pre_morphology.id").unwrap();
    let dendrite = frame.strs("pre_morphology.dendrite_type").unwrap();
    let missing = (0..frame.n_rows())
        .filter(|&r| morph_id[r].is_none())
        .count();
    assert!(missing > 0);
    assert!((0..frame.n_rows()).all(|r| morph_id[r].is_some() == dendrite.get(r).is_some()));
}

#[test]
fn typed_accessors_name_the_column_and_its_kind() {
    let (db, _) = open();
    let frame = db.pair_query().frame().unwrap();
    let err = frame.f64s("pair.has_synapse").unwrap_err().to_string();
    assert!(
        err.contains("`pair.has_synapse` holds bool values, not float"),
        "{err}"
    );
    let err = frame.column("pair.has_synapes").unwrap_err().to_string();
    assert!(err.contains("did you mean pair.has_synapse"), "{err}");
    assert!(frame.strs("pair.id").is_err());
    assert_eq!(
        frame.numbers("pair.has_synapse").unwrap().len(),
        frame.n_rows()
    );
    // Row views read typed values.
    let row = frame.row(0);
    assert_eq!(row.i64("pair.id"), frame.i64s("pair.id").unwrap()[0]);
    assert_eq!(
        row.bool("pair.has_synapse"),
        frame.bools("pair.has_synapse").unwrap()[0]
    );
    assert_eq!(
        row.get("pair.id").unwrap(),
        Value::Int(frame.i64s("pair.id").unwrap()[0].unwrap())
    );
}

#[test]
fn frames_select_and_filter() {
    let (db, raw) = open();
    let frame = db.pair_query().preload(Preload::Synapse).frame().unwrap();
    let small = frame.select(&["synapse.latency", "pair.id"]).unwrap();
    assert_eq!(
        small.column_names().collect::<Vec<_>>(),
        ["synapse.latency", "pair.id"]
    );
    assert_eq!(small.n_rows(), frame.n_rows());
    assert!(frame.select(&["pair.nope"]).is_err());

    let connected = frame.filter(|row| row.bool("pair.has_synapse") == Some(true));
    assert_eq!(
        connected
            .i64s("pair.id")
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .collect::<Vec<_>>(),
        expected_ids(&raw, "p.has_synapse = 1")
    );
    let mask: Vec<bool> = frame
        .bools("pair.has_synapse")
        .unwrap()
        .iter()
        .map(|b| *b == Some(true))
        .collect();
    assert_eq!(frame.filter_mask(&mask).unwrap(), connected);
    assert!(frame.filter_mask(&mask[1..]).is_err());
    // Text columns survive row selection intact.
    let types = connected.strs("synapse.synapse_type").unwrap();
    assert!(
        types
            .iter()
            .all(|t| matches!(t, Some("ex" | "in" | "mixed")))
    );
}
