//! A small database written here, row by row, the way the Python package writes files
//! (booleans 0/1, date/times as text, null JSON as the text `null`, null arrays as empty
//! BLOBs), so tests do not depend on the demo generator.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rand::{RngExt, SeedableRng};
use rusqlite::Connection;
use synphys_schema::{Metadata, NpyArray, Schema, StoredValue, Value};

/// The fixture committed by the demo generator (when present).
pub(crate) fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo_tiny.sqlite")
}

fn sqlite(value: StoredValue) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match value {
        StoredValue::Null => S::Null,
        StoredValue::Integer(i) => S::Integer(i),
        StoredValue::Real(x) => S::Real(x),
        StoredValue::Text(t) => S::Text(t),
        StoredValue::Blob(b) => S::Blob(b),
    }
}

/// Inserts a row of `table` with the given columns; every other column gets the
/// Python package's spelling of null for its kind.
pub(crate) fn insert(conn: &Connection, table: &str, values: &[(&str, Value)]) {
    let t = Schema::v22().require_table(table).unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
    let stored: Vec<rusqlite::types::Value> = t
        .columns
        .iter()
        .map(|c| {
            let v = values
                .iter()
                .find(|(n, _)| *n == c.name)
                .map_or(Value::Null, |(_, v)| v.clone());
            sqlite(c.encode(&v).unwrap())
        })
        .collect();
    for (n, _) in values {
        assert!(names.contains(n), "{table} has no column {n}");
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        vec!["?"; names.len()].join(", ")
    );
    conn.execute(&sql, rusqlite::params_from_iter(stored))
        .unwrap();
}

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

/// What was written, for checks that do not go through SQL.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub(crate) n_pairs: usize,
    pub(crate) n_cells: usize,
    pub(crate) projects: Vec<String>,
}

/// Writes a hand-made database at `path`: 8 experiments across four projects, 3–6 cells
/// each, every ordered pair, random synapses; some cells lack morphology / location /
/// intrinsic / patch-seq rows, one experiment lacks a slice.
pub(crate) fn write_db(path: &Path, seed: u64) -> Written {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&Schema::v22().create_sql()).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    conn.execute(
        Metadata::INSERT_SQL,
        [Metadata::new("2026-11-29", "synphys-query tests").to_json()],
    )
    .unwrap();
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let projects = [
        ("mouse V1 coarse matrix", "mouse"),
        ("mouse V1 pre-production", "mouse"),
        ("human coarse matrix", "human"),
        ("mouse V1 opto", "mouse"),
    ];
    let cre = ["sst", "pvalb", "vip", "tlx3", "rorb", "unknown"];
    let layers = ["2/3", "4", "5", "6a"];
    let acsf = ["2mM Ca & Mg", "1.3mM Ca & 1mM Mg"];
    let internal = ["Standard K-Gluc", "K-Gluc -EGTA", "PatchSeq"];
    let mut written = Written {
        projects: projects.iter().map(|p| p.0.to_string()).collect(),
        ..Written::default()
    };
    let (mut cell_id, mut pair_id, mut synapse_id, mut other_id) = (0i64, 0i64, 0i64, 0i64);
    for e in 0..8i64 {
        let (project, species) = projects[(e % 4) as usize];
        let slice_id = e + 1;
        // Experiment 7 has no slice row: outer joins must keep its pairs.
        let has_slice = e != 7;
        if has_slice {
            insert(
                &conn,
                "slice",
                &[
                    ("id", Value::Int(slice_id)),
                    ("ext_id", s(&format!("slice-{e}"))),
                    ("species", s(species)),
                    (
                        "age",
                        if e == 3 {
                            Value::Null
                        } else {
                            Value::Int(30 + 10 * e)
                        },
                    ),
                    (
                        "date_of_birth",
                        Value::DateTime(
                            chrono::NaiveDate::from_ymd_opt(2019, 1, 1 + e as u32)
                                .unwrap()
                                .and_hms_micro_opt(12, 30, 5, 250)
                                .unwrap(),
                        ),
                    ),
                    (
                        "slice_conditions",
                        Value::Object(serde_json::json!({"cut": "fresh"})),
                    ),
                ],
            );
        }
        insert(
            &conn,
            "experiment",
            &[
                ("id", Value::Int(e + 1)),
                ("ext_id", s(&format!("15258295{e:02}.548"))),
                (
                    "slice_id",
                    if has_slice {
                        Value::Int(slice_id)
                    } else {
                        Value::Null
                    },
                ),
                ("project_name", s(project)),
                ("acsf", s(acsf[(e % 2) as usize])),
                ("internal", s(internal[(e % 3) as usize])),
                ("acq_timestamp", Value::Float(1.5e9 + e as f64)),
                ("target_temperature", Value::Float(32.0)),
            ],
        );
        let n_cells = rng.random_range(3..=6);
        let first_cell = cell_id + 1;
        let mut positions = Vec::new();
        for c in 0..n_cells {
            cell_id += 1;
            let class = match rng.random_range(0..3) {
                0 => Value::Null,
                1 => s("ex"),
                _ => s("in"),
            };
            let pos = [
                rng.random_range(0.0..300e-6),
                rng.random_range(0.0..300e-6),
                rng.random_range(20e-6..80e-6),
            ];
            positions.push(pos);
            insert(
                &conn,
                "cell",
                &[
                    ("id", Value::Int(cell_id)),
                    ("experiment_id", Value::Int(e + 1)),
                    ("ext_id", s(&(c + 1).to_string())),
                    (
                        "cre_type",
                        if species == "human" {
                            Value::Null
                        } else {
                            s(cre[rng.random_range(0..cre.len())])
                        },
                    ),
                    ("target_layer", s(layers[rng.random_range(0..layers.len())])),
                    ("position", Value::Object(serde_json::json!(pos))),
                    ("depth", Value::Float(pos[2])),
                    ("cell_class", class.clone()),
                    ("cell_class_nonsynaptic", class),
                ],
            );
            if rng.random_bool(0.7) {
                other_id += 1;
                insert(
                    &conn,
                    "morphology",
                    &[
                        ("id", Value::Int(other_id)),
                        ("cell_id", Value::Int(cell_id)),
                        (
                            "dendrite_type",
                            s(["spiny", "aspiny", "sparsely spiny"][rng.random_range(0..3)]),
                        ),
                        ("pyramidal", Value::Bool(rng.random_bool(0.5))),
                    ],
                );
            }
            if rng.random_bool(0.8) {
                other_id += 1;
                insert(
                    &conn,
                    "cortical_cell_location",
                    &[
                        ("id", Value::Int(other_id)),
                        ("cell_id", Value::Int(cell_id)),
                        (
                            "cortical_layer",
                            s(layers[rng.random_range(0..layers.len())]),
                        ),
                        (
                            "fractional_layer_depth",
                            Value::Float(rng.random_range(0.0..1.0)),
                        ),
                    ],
                );
            }
            if rng.random_bool(0.5) {
                other_id += 1;
                insert(
                    &conn,
                    "intrinsic",
                    &[
                        ("id", Value::Int(other_id)),
                        ("cell_id", Value::Int(cell_id)),
                        ("rheobase", Value::Float(rng.random_range(50e-12..300e-12))),
                    ],
                );
            }
            if rng.random_bool(0.3) {
                other_id += 1;
                insert(
                    &conn,
                    "patch_seq",
                    &[
                        ("id", Value::Int(other_id)),
                        ("cell_id", Value::Int(cell_id)),
                        ("t_type", s("Sst Calb2")),
                        ("reseal", Value::Bool(true)),
                    ],
                );
            }
        }
        written.n_cells += n_cells as usize;
        for a in 0..n_cells {
            for b in 0..n_cells {
                if a == b {
                    continue;
                }
                pair_id += 1;
                let (pa, pb) = (positions[a as usize], positions[b as usize]);
                let lateral = ((pa[0] - pb[0]).powi(2) + (pa[1] - pb[1]).powi(2)).sqrt();
                let distance = (lateral.powi(2) + (pa[2] - pb[2]).powi(2)).sqrt();
                let connected = rng.random_bool(0.3);
                let spikes = |rng: &mut rand_pcg::Pcg64| -> Value {
                    match rng.random_range(0..10) {
                        0 => Value::Null,
                        k => Value::Int(k * 5),
                    }
                };
                insert(
                    &conn,
                    "pair",
                    &[
                        ("id", Value::Int(pair_id)),
                        ("experiment_id", Value::Int(e + 1)),
                        ("pre_cell_id", Value::Int(first_cell + a)),
                        ("post_cell_id", Value::Int(first_cell + b)),
                        ("has_synapse", Value::Bool(connected)),
                        ("has_electrical", Value::Bool(rng.random_bool(0.1))),
                        ("n_ex_test_spikes", spikes(&mut rng)),
                        ("n_in_test_spikes", spikes(&mut rng)),
                        (
                            "distance",
                            if pair_id % 11 == 0 {
                                Value::Null
                            } else {
                                Value::Float(distance)
                            },
                        ),
                        ("lateral_distance", Value::Float(lateral)),
                        ("vertical_distance", Value::Float((pa[2] - pb[2]).abs())),
                    ],
                );
                written.n_pairs += 1;
                if connected {
                    synapse_id += 1;
                    let kind = ["ex", "in", "mixed"][rng.random_range(0..3)];
                    insert(
                        &conn,
                        "synapse",
                        &[
                            ("id", Value::Int(synapse_id)),
                            ("pair_id", Value::Int(pair_id)),
                            ("synapse_type", s(kind)),
                            ("latency", Value::Float(rng.random_range(0.5e-3..2.5e-3))),
                            ("psp_amplitude", Value::Float(rng.random_range(-1e-3..1e-3))),
                        ],
                    );
                    if synapse_id % 2 == 0 {
                        let avg = NpyArray::F64(ndarray::arr1(&[1e-3, 2e-3, 1.5e-3]).into_dyn());
                        insert(
                            &conn,
                            "resting_state_fit",
                            &[
                                ("id", Value::Int(synapse_id)),
                                ("synapse_id", Value::Int(synapse_id)),
                                ("ic_amp", Value::Float(1e-4)),
                                ("ic_avg_data", Value::Array(avg)),
                            ],
                        );
                    }
                    if synapse_id % 3 != 0 {
                        insert(
                            &conn,
                            "dynamics",
                            &[
                                ("id", Value::Int(synapse_id)),
                                ("pair_id", Value::Int(pair_id)),
                                ("stp_initial_50hz", Value::Float(-0.2)),
                                ("qc_pass", Value::Bool(true)),
                                (
                                    "stp_all_stimuli",
                                    Value::Object(serde_json::json!({"50": [1, 2]})),
                                ),
                            ],
                        );
                        insert(
                            &conn,
                            "synapse_model",
                            &[
                                ("id", Value::Int(synapse_id)),
                                ("pair_id", Value::Int(pair_id)),
                                ("n_source_events", Value::Int(120)),
                            ],
                        );
                    }
                }
                if pair_id % 4 == 0 {
                    insert(
                        &conn,
                        "synapse_prediction",
                        &[
                            ("id", Value::Int(pair_id)),
                            ("pair_id", Value::Int(pair_id)),
                            ("ic_crosstalk_mean", Value::Float(1e-5)),
                        ],
                    );
                }
            }
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    written
}

pub(crate) use synphys_schema::PER_EVENT_TABLES;

/// As [`write_db`], laid out as a published small file: without the per-event tables.
pub(crate) fn write_small_db(path: &Path, seed: u64) -> Written {
    let written = write_db(path, seed);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for table in PER_EVENT_TABLES {
        conn.execute_batch(&format!("DROP TABLE {table}")).unwrap();
    }
    written
}
