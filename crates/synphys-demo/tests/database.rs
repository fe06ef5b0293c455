//! Structure of written demo databases: layout, keys, links, counts, metadata, atomic
//! and deterministic writes, and the committed fixture.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{count, fixtures, open, small, tiny};
use synphys_demo::{DemoConfig, ErrorKind, Scale};
use synphys_schema::{ColumnKind, Metadata, StoredValue};

#[test]
fn layout_equals_the_schema_json() {
    let text = std::fs::read_to_string(fixtures().join("schema_v22.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
    let db = open(&tiny().path);
    let mut tables_in_file: BTreeSet<String> = BTreeSet::new();
    let mut statement = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap();
    for name in statement.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        tables_in_file.insert(name.unwrap());
    }
    let tables = expected["tables"].as_array().unwrap();
    let expected_names: BTreeSet<String> = tables
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(tables_in_file, expected_names);

    for table in tables {
        let name = table["name"].as_str().unwrap();
        let mut info = db.prepare(&format!("PRAGMA table_info({name})")).unwrap();
        let columns: Vec<(String, String)> = info
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let wanted: Vec<(String, String)> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let kind = ColumnKind::from_name(c["kind"].as_str().unwrap()).unwrap();
                (
                    c["name"].as_str().unwrap().to_string(),
                    kind.sql_type().to_string(),
                )
            })
            .collect();
        assert_eq!(columns, wanted, "columns of {name}");

        let mut list = db.prepare(&format!("PRAGMA index_list({name})")).unwrap();
        let indexes: BTreeSet<String> = list
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
            .filter(|n| !n.starts_with("sqlite_autoindex"))
            .collect();
        let wanted: BTreeSet<String> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["index"].as_bool() == Some(true))
            .map(|c| format!("ix_{name}_{}", c["name"].as_str().unwrap()))
            .collect();
        assert_eq!(indexes, wanted, "indexes of {name}");
    }
}

#[test]
fn small_scale_leaves_out_the_per_event_tables_like_the_published_small_file() {
    let db = open(&small().path);
    for table in synphys_schema::PER_EVENT_TABLES {
        let present = count(
            &db,
            &format!(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            ),
        );
        assert_eq!(present, 0, "small demo has per-event table {table}");
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ),
        19
    );
    // The tiny fixture keeps them, with rows, for the event loaders' tests.
    let tiny_db = open(&tiny().path);
    assert!(count(&tiny_db, "SELECT count(*) FROM pulse_response") > 0);
}

#[test]
fn every_foreign_key_resolves() {
    for written in [tiny(), small()] {
        let db = open(&written.path);
        let mut check = db.prepare("PRAGMA foreign_key_check").unwrap();
        let broken: Vec<(String, i64, String)> = check
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .take(5)
            .collect();
        assert!(
            broken.is_empty(),
            "dangling foreign keys (table, rowid, parent): {broken:?}"
        );
    }
}

#[test]
fn reciprocal_links_are_symmetric() {
    let db = open(&small().path);
    let pairs = count(&db, "SELECT count(*) FROM pair");
    assert!(pairs > 1000);
    let symmetric = count(
        &db,
        "SELECT count(*) FROM pair p JOIN pair r ON r.id = p.reciprocal_id
         WHERE r.reciprocal_id = p.id AND r.pre_cell_id = p.post_cell_id
           AND r.post_cell_id = p.pre_cell_id AND r.experiment_id = p.experiment_id",
    );
    assert_eq!(symmetric, pairs);
    // Every ordered pair of cells of an experiment is there once.
    let expected = count(
        &db,
        "SELECT sum(n * (n - 1)) FROM (SELECT count(*) AS n FROM cell GROUP BY experiment_id)",
    );
    assert_eq!(pairs, expected);
    let electrical_asymmetric = count(
        &db,
        "SELECT count(*) FROM pair p JOIN pair r ON r.id = p.reciprocal_id
         WHERE p.has_electrical != r.has_electrical",
    );
    assert_eq!(electrical_asymmetric, 0);
}

#[test]
fn exactly_one_synapse_row_per_connected_pair() {
    let db = open(&small().path);
    let connected = count(&db, "SELECT count(*) FROM pair WHERE has_synapse = 1");
    assert!(connected > 1000, "{connected} connected pairs");
    assert_eq!(count(&db, "SELECT count(*) FROM synapse"), connected);
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT pair_id) FROM synapse s JOIN pair p ON p.id = s.pair_id WHERE p.has_synapse = 1"
        ),
        connected
    );
    for table in ["dynamics", "synapse_model"] {
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(DISTINCT t.pair_id) FROM {table} t JOIN pair p ON p.id = t.pair_id WHERE p.has_synapse = 1"
                )
            ),
            connected,
            "{table}"
        );
        assert_eq!(
            count(&db, &format!("SELECT count(*) FROM {table}")),
            connected,
            "{table}"
        );
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM resting_state_fit"),
        connected
    );
    // Polysynaptic rows only where the flag is set; gap-junction flags have rows.
    assert_eq!(
        count(&db, "SELECT count(*) FROM poly_synapse"),
        count(&db, "SELECT count(*) FROM pair WHERE has_polysynapse = 1")
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pair p WHERE has_electrical = 1 AND NOT EXISTS (SELECT 1 FROM gap_junction g WHERE g.pair_id = p.id)"
        ),
        0
    );
}

#[test]
fn synapse_type_agrees_with_the_presynaptic_class() {
    let db = open(&small().path);
    let disagree = count(
        &db,
        "SELECT count(*) FROM synapse s JOIN pair p ON p.id = s.pair_id
         JOIN cell c ON c.id = p.pre_cell_id
         WHERE c.cell_class IS NOT NULL AND c.cell_class != s.synapse_type",
    );
    assert_eq!(disagree, 0);
    let inhibitory_positive = count(
        &db,
        "SELECT count(*) FROM synapse WHERE (synapse_type = 'in' AND psp_amplitude > 0)
         OR (synapse_type = 'ex' AND psp_amplitude < 0)",
    );
    assert_eq!(inhibitory_positive, 0);
}

#[test]
fn small_scale_counts_are_those_of_the_public_small_file() {
    let summary = &small().summary;
    let db = open(&small().path);
    let mouse = |sql: &str| count(&db, &sql.replace("SPECIES", "mouse"));
    let human = |sql: &str| count(&db, &sql.replace("SPECIES", "human"));
    let experiments = "SELECT count(*) FROM experiment e JOIN slice s ON s.id = e.slice_id WHERE s.species = 'SPECIES'";
    assert!((1600..=1800).contains(&mouse(experiments)));
    assert!((180..=240).contains(&human(experiments)));
    // Probed for the presynaptic type (DESIGN §4's synapse_probed on cell_class).
    let probed = "SELECT count(*) FROM pair p JOIN cell c ON c.id = p.pre_cell_id
        JOIN experiment e ON e.id = p.experiment_id JOIN slice s ON s.id = e.slice_id
        WHERE s.species = 'SPECIES' AND ((c.cell_class = 'ex' AND p.n_ex_test_spikes > 10)
        OR (c.cell_class = 'in' AND p.n_in_test_spikes > 10))";
    let mouse_probed = mouse(probed);
    assert!(
        (19_000..=26_000).contains(&mouse_probed),
        "{mouse_probed} probed mouse pairs"
    );
    let synapses = "SELECT count(*) FROM synapse y JOIN pair p ON p.id = y.pair_id
        JOIN experiment e ON e.id = p.experiment_id JOIN slice s ON s.id = e.slice_id
        WHERE s.species = 'SPECIES'";
    let (m, h) = (mouse(synapses), human(synapses));
    assert!((1500..=3000).contains(&m), "{m} mouse synapses");
    assert!((200..=450).contains(&h), "{h} human synapses");
    assert!(
        (90..=250).contains(&summary.gap_junctions),
        "{} gap junctions",
        summary.gap_junctions
    );
    // Some pairs are not probed, some experiments are outside the standard projects.
    assert!(
        count(
            &db,
            "SELECT count(*) FROM pair WHERE n_ex_test_spikes <= 10 AND n_in_test_spikes <= 10"
        ) > 1000
    );
    assert!(
        count(
            &db,
            "SELECT count(*) FROM experiment WHERE project_name = 'mouse V1 opto'"
        ) > 0
    );
    assert_eq!(summary.synapses as i64, m + h);
    assert_eq!(
        summary.pairs as i64,
        count(&db, "SELECT count(*) FROM pair")
    );
    assert_eq!(summary.events, 0);
}

#[test]
fn values_follow_the_dataset_conventions() {
    let db = open(&small().path);
    // ext ids are unique and look like acquisition timestamps.
    assert_eq!(
        count(&db, "SELECT count(DISTINCT ext_id) FROM experiment"),
        count(&db, "SELECT count(*) FROM experiment")
    );
    let ext_id: String = db
        .query_row("SELECT ext_id FROM experiment LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let (whole, fraction) = ext_id.split_once('.').unwrap();
    assert_eq!((whole.len(), fraction.len()), (10, 3), "{ext_id}");
    // Cells: electrode numbers, classes, layers and cre types from the documented sets.
    let distinct = |sql: &str| -> BTreeSet<Option<String>> {
        let mut s = db.prepare(sql).unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let ext_ids = distinct("SELECT DISTINCT ext_id FROM cell");
    assert!(ext_ids.iter().all(|e| matches!(
        e.as_deref(),
        Some("1" | "2" | "3" | "4" | "5" | "6" | "7" | "8")
    )));
    let classes = distinct("SELECT DISTINCT cell_class FROM cell");
    assert_eq!(
        classes,
        [None, Some("ex".into()), Some("in".into())]
            .into_iter()
            .collect()
    );
    let mouse_layers = distinct(
        "SELECT DISTINCT l.cortical_layer FROM cortical_cell_location l JOIN cell c ON c.id = l.cell_id
         JOIN experiment e ON e.id = c.experiment_id JOIN slice s ON s.id = e.slice_id WHERE s.species = 'mouse'",
    );
    for layer in &mouse_layers {
        assert!(
            matches!(
                layer.as_deref(),
                Some("1" | "2/3" | "4" | "5" | "6a" | "6b")
            ),
            "{layer:?}"
        );
    }
    assert!(mouse_layers.contains(&Some("6b".into())));
    let human_layers = distinct(
        "SELECT DISTINCT l.cortical_layer FROM cortical_cell_location l JOIN cell c ON c.id = l.cell_id
         JOIN experiment e ON e.id = c.experiment_id JOIN slice s ON s.id = e.slice_id WHERE s.species = 'human'",
    );
    for layer in &human_layers {
        assert!(
            matches!(layer.as_deref(), Some("1" | "2" | "3" | "4" | "5" | "6")),
            "{layer:?}"
        );
    }
    let dendrites = distinct("SELECT DISTINCT dendrite_type FROM morphology");
    assert_eq!(
        dendrites,
        ["spiny", "aspiny", "sparsely spiny", "NEI"]
            .into_iter()
            .map(|s| Some(s.to_string()))
            .collect()
    );
    for cre in distinct(
        "SELECT DISTINCT cre_type FROM cell c JOIN experiment e ON e.id = c.experiment_id JOIN slice s ON s.id = e.slice_id WHERE s.species = 'mouse'",
    ) {
        let cre = cre.unwrap();
        assert!(
            [
                "pvalb", "sst", "vip", "tlx3", "sim1", "nr5a1", "ntsr1", "unknown"
            ]
            .contains(&cre.as_str()),
            "{cre}"
        );
    }
    // Distances in metres; a null object column is the JSON text `null`, as the Python
    // package writes it.
    let max_distance: f64 = db
        .query_row("SELECT max(distance) FROM pair", [], |r| r.get(0))
        .unwrap();
    assert!(
        max_distance > 100e-6 && max_distance < 3e-3,
        "{max_distance}"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pair WHERE meta IS NULL"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pair WHERE meta = 'null'"),
        count(&db, "SELECT count(*) FROM pair")
    );
    // Probed projects and solutions.
    let projects = distinct("SELECT DISTINCT project_name FROM experiment");
    let want: BTreeSet<Option<String>> = [
        "mouse V1 coarse matrix",
        "mouse V1 pre-production",
        "human coarse matrix",
        "mouse V1 opto",
    ]
    .into_iter()
    .map(|s| Some(s.to_string()))
    .collect();
    assert_eq!(projects, want);
    let internals = distinct("SELECT DISTINCT internal FROM experiment");
    assert!(
        internals.contains(&Some("Standard K-Gluc".into()))
            && internals.contains(&Some("PatchSeq".into()))
    );
    assert!(
        count(
            &db,
            "SELECT count(*) FROM patch_seq WHERE t_type IS NOT NULL"
        ) > 10
    );
}

#[test]
fn metadata_names_the_file_synthetic() {
    let db = open(&tiny().path);
    let meta: String = db
        .query_row(Metadata::SELECT_SQL, [], |r| r.get(0))
        .unwrap();
    let meta = Metadata::from_rows(&[StoredValue::Text(meta)]).unwrap();
    meta.check_version().unwrap();
    assert!(meta.origin.contains("synthetic"), "{}", meta.origin);
    assert!(
        meta.origin
            .contains(&format!("seed {}", synphys_demo::DEFAULT_SEED))
    );
    assert!(meta.origin.contains(synphys_demo::GENERATOR_VERSION));
    assert_eq!(meta.creation_date, synphys_demo::CREATION_DATE);
}

#[test]
fn tiny_scale_fills_every_table_of_the_issue() {
    let db = open(&tiny().path);
    let mut empty = Vec::new();
    for table in [
        "slice",
        "experiment",
        "cortical_site",
        "electrode",
        "cell",
        "morphology",
        "cortical_cell_location",
        "intrinsic",
        "patch_seq",
        "pair",
        "synapse",
        "resting_state_fit",
        "synapse_model",
        "dynamics",
        "conductance",
        "gap_junction",
        "sync_rec",
        "recording",
        "patch_clamp_recording",
        "multi_patch_probe",
        "stim_pulse",
        "pulse_response",
        "pulse_response_fit",
        "baseline",
    ] {
        if count(&db, &format!("SELECT count(*) FROM {table}")) == 0 {
            empty.push(table);
        }
    }
    assert!(
        empty.is_empty(),
        "empty tables in the tiny database: {empty:?}"
    );
    let summary = &tiny().summary;
    assert!((2..=4).contains(&summary.event_synapses));
    assert_eq!(summary.experiments, 9);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT pair_id) FROM pulse_response") as usize,
        summary.event_synapses
    );
    assert!(std::fs::metadata(&tiny().path).unwrap().len() < 1_000_000);
}

#[test]
fn same_config_same_content_and_seeds_differ() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    let c = dir.path().join("c.sqlite");
    synphys_demo::write(&a, &DemoConfig::new(Scale::Tiny).seed(11)).unwrap();
    synphys_demo::write(&b, &DemoConfig::new(Scale::Tiny).seed(11)).unwrap();
    synphys_demo::write(&c, &DemoConfig::new(Scale::Tiny).seed(12)).unwrap();
    let digest = |p| synphys_demo::logical_digest(p).unwrap();
    assert_eq!(digest(&a), digest(&b));
    assert_ne!(digest(&a), digest(&c));
    assert_eq!(digest(&a).len(), 64);
}

#[test]
fn existing_files_are_kept_unless_overwrite_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.sqlite");
    std::fs::write(&path, b"precious").unwrap();
    let err = synphys_demo::write(&path, &DemoConfig::new(Scale::Tiny)).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Exists { .. }), "{err}");
    assert!(err.to_string().contains("keep.sqlite") && err.to_string().contains("overwrite"));
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");

    synphys_demo::write(&path, &DemoConfig::new(Scale::Tiny).overwrite(true)).unwrap();
    assert_ne!(std::fs::read(&path).unwrap(), b"precious");
}

#[test]
fn a_failed_write_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a non-empty directory: the final rename fails.
    let path = dir.path().join("occupied");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("x"), b"x").unwrap();
    let err =
        synphys_demo::write(&path, &DemoConfig::new(Scale::Tiny).overwrite(true)).unwrap_err();
    assert!(err.to_string().contains("occupied"), "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["occupied".to_string()], "leftovers: {names:?}");
}

#[test]
fn the_committed_tiny_fixture_is_current() {
    let committed = fixtures().join("demo_tiny.sqlite");
    assert!(
        committed.exists(),
        "fixtures/demo_tiny.sqlite is missing: run `cargo xtask fixtures`"
    );
    let fresh = synphys_demo::logical_digest(&tiny().path).unwrap();
    let stored = synphys_demo::logical_digest(&committed).unwrap();
    assert_eq!(
        stored, fresh,
        "fixtures/demo_tiny.sqlite differs from what the generator writes now: run `cargo xtask fixtures` (and bump GENERATOR_VERSION if the output changed on purpose)"
    );
}

#[test]
fn cells_carry_their_truth_class() {
    let db = open(&tiny().path);
    let truth = synphys_demo::Truth::default();
    let mut statement = db
        .prepare("SELECT c.meta, s.species FROM cell c JOIN experiment e ON e.id = c.experiment_id JOIN slice s ON s.id = e.slice_id")
        .unwrap();
    let mut per_class: BTreeMap<String, usize> = BTreeMap::new();
    for row in statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (meta, species) = row.unwrap();
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        let class = meta["demo_class"].as_str().unwrap().to_string();
        let species = if species == "mouse" {
            synphys_demo::Species::Mouse
        } else {
            synphys_demo::Species::Human
        };
        truth.class(species, &class).unwrap();
        assert!(meta["baseline_noise_v"].as_f64().unwrap() > 0.0);
        *per_class.entry(class).or_default() += 1;
    }
    assert!(per_class.len() >= 4, "{per_class:?}");
}
