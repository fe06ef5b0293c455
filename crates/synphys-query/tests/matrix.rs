//! Class matrices and connectivity summaries, against hand-written SQL.

mod common;

use rusqlite::Connection;
use synphys_cellclass::{CellClass, ClassSet};
use synphys_connectivity::{
    ConnectionProbability, DistanceMeasure, SummaryOptions, distance_adjusted_connectivity,
};
use synphys_query::{
    Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Grouping, Preload, SynphysDb,
    pair_records,
};

fn class(name: &str, column: &str, value: &str) -> CellClass {
    CellClass::builder()
        .name(name)
        .criterion(column, value)
        .build()
        .unwrap()
}

/// Classes on `cell` columns only, so the SQL is easy to write by hand. "in" and "sst"
/// overlap: an sst cell of class "in" is in both.
fn classes() -> ClassSet {
    ClassSet::new([
        class("in", "cell_class", "in"),
        class("sst", "cre_type", "sst"),
        class("ex", "cell_class", "ex"),
    ])
    .unwrap()
}

/// The SQL condition on cell alias `c` of the class at `index` of [`classes`].
fn class_sql(index: usize, c: &str) -> String {
    match index {
        0 => format!("{c}.cell_class = 'in'"),
        1 => format!("{c}.cre_type = 'sst'"),
        _ => format!("{c}.cell_class = 'ex'"),
    }
}

/// First-match condition: in this class and in none before it.
fn first_match_sql(index: usize, c: &str) -> String {
    let mut parts = vec![class_sql(index, c)];
    for before in 0..index {
        parts.push(format!("NOT coalesce({}, 0)", class_sql(before, c)));
    }
    parts.join(" AND ")
}

fn setup() -> (tempfile::TempDir, SynphysDb, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    common::write_db(&path, 7);
    let db = SynphysDb::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    (dir, db, raw)
}

fn latencies(raw: &Connection, pre: &str, post: &str) -> Vec<f64> {
    let sql = format!(
        "SELECT s.latency FROM pair p JOIN cell a ON a.id = p.pre_cell_id JOIN cell b ON b.id = p.post_cell_id \
         JOIN synapse s ON s.pair_id = p.id WHERE ({pre}) AND ({post}) AND s.latency IS NOT NULL"
    );
    let mut statement = raw.prepare(&sql).unwrap();
    statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn class_matrices_aggregate_like_hand_written_sql() {
    let (_dir, db, raw) = setup();
    let frame = db
        .pair_query()
        .preload(Preload::Cell)
        .preload(Preload::Synapse)
        .frame()
        .unwrap();
    let set = classes();
    for grouping in [Grouping::Membership, Grouping::FirstMatch] {
        for aggregate in Aggregate::ALL {
            let matrix =
                ClassMatrix::new(&frame, &set, &set, "synapse.latency", aggregate, grouping)
                    .unwrap();
            assert_eq!(matrix.pre_names(), ["in", "sst", "ex"]);
            for i in 0..3 {
                for j in 0..3 {
                    let (pre, post) = match grouping {
                        Grouping::Membership => (class_sql(i, "a"), class_sql(j, "b")),
                        Grouping::FirstMatch => (first_match_sql(i, "a"), first_match_sql(j, "b")),
                    };
                    let values = latencies(&raw, &pre, &post);
                    let n = values.len() as f64;
                    let mean = values.iter().sum::<f64>() / n;
                    let mut sorted = values.clone();
                    sorted.sort_by(f64::total_cmp);
                    let expected = if values.is_empty() && aggregate != Aggregate::Count {
                        None
                    } else {
                        Some(match aggregate {
                            Aggregate::Count => n,
                            Aggregate::Sum => values.iter().sum(),
                            Aggregate::Mean => mean,
                            Aggregate::Min => sorted[0],
                            Aggregate::Max => sorted[sorted.len() - 1],
                            Aggregate::Median => {
                                let m = sorted.len() / 2;
                                if sorted.len() % 2 == 1 {
                                    sorted[m]
                                } else {
                                    (sorted[m - 1] + sorted[m]) / 2.0
                                }
                            }
                            Aggregate::Std if values.len() < 2 => f64::NAN,
                            Aggregate::Std => {
                                (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0))
                                    .sqrt()
                            }
                        })
                        .filter(|x| !x.is_nan())
                    };
                    assert!(
                        close(matrix.get(i, j), expected),
                        "{grouping:?} {} [{i}][{j}]: {:?} vs {expected:?}",
                        aggregate.name(),
                        matrix.get(i, j)
                    );
                    assert_eq!(matrix.count(i, j), values.len());
                }
            }
        }
    }
    // Membership counts overlapping classes twice; first match does not.
    let member = ClassMatrix::new(
        &frame,
        &set,
        &set,
        "pair.id",
        Aggregate::Count,
        Grouping::Membership,
    )
    .unwrap();
    let first = ClassMatrix::new(
        &frame,
        &set,
        &set,
        "pair.id",
        Aggregate::Count,
        Grouping::FirstMatch,
    )
    .unwrap();
    let total = |m: &ClassMatrix| m.to_rows().iter().flatten().flatten().sum::<f64>();
    assert!(total(&member) > total(&first));
    assert!(
        ClassMatrix::new(
            &frame,
            &set,
            &set,
            "pre_cell.cre_type",
            Aggregate::Mean,
            Grouping::Membership
        )
        .is_err()
    );
    let without_cells = db.pair_query().frame().unwrap();
    assert!(
        ClassMatrix::new(
            &without_cells,
            &set,
            &set,
            "pair.id",
            Aggregate::Count,
            Grouping::Membership
        )
        .is_err()
    );
}

#[test]
fn connectivity_counts_probed_pairs_by_the_presynaptic_classs_synapse_type() {
    let (_dir, db, raw) = setup();
    let frame = db.pair_query().preload(Preload::Cell).frame().unwrap();
    let set = classes();
    let options = ConnectivityOptions::new();
    let matrix = ConnectivityMatrix::new(&frame, &set, &set, &options).unwrap();
    // "in" → inhibitory test spikes; "sst" (an sst reporter) → inhibitory; "ex" → excitatory.
    let spikes = [
        "p.n_in_test_spikes",
        "p.n_in_test_spikes",
        "p.n_ex_test_spikes",
    ];
    for (i, spike_count) in spikes.iter().enumerate() {
        for j in 0..3 {
            let sql = format!(
                "SELECT p.has_synapse, p.lateral_distance FROM pair p JOIN cell a ON a.id = p.pre_cell_id \
                 JOIN cell b ON b.id = p.post_cell_id WHERE ({}) AND ({}) AND {spike_count} > 10",
                class_sql(i, "a"),
                class_sql(j, "b"),
            );
            let mut statement = raw.prepare(&sql).unwrap();
            let rows: Vec<(bool, f64)> = statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let connected: Vec<bool> = rows.iter().map(|r| r.0).collect();
            let distance: Vec<f64> = rows.iter().map(|r| r.1).collect();
            let summary = matrix.get(i, j).unwrap();
            assert_eq!(summary.key.pre, matrix.pre_names()[i]);
            let expected = ConnectionProbability::from_outcomes(&connected, 0.05).unwrap();
            let c = summary.connection;
            assert_eq!(
                (c.n_connected, c.n_probed, c.lower, c.upper),
                (
                    expected.n_connected,
                    expected.n_probed,
                    expected.lower,
                    expected.upper
                )
            );
            assert!(
                c.estimate == expected.estimate
                    || (c.estimate.is_nan() && expected.estimate.is_nan())
            );
            assert_eq!(summary.distance_measure, DistanceMeasure::Lateral);
            let adjusted =
                distance_adjusted_connectivity(&distance, &connected, 100e-6, 0.05).unwrap();
            assert_eq!(
                summary.adjusted.map(|a| (a.pmax, a.lower, a.upper)),
                adjusted.map(|a| (a.pmax, a.lower, a.upper))
            );
        }
    }
    // Options reach the summaries.
    let three_d = ConnectivityOptions::new().summary(SummaryOptions::new().alpha(0.1));
    let m = ConnectivityMatrix::new(&frame, &set, &set, &three_d).unwrap();
    assert_eq!(
        m.get(2, 2).unwrap().distance_measure,
        DistanceMeasure::Distance3d
    );
    assert!(m.get(2, 2).unwrap().adjusted.is_none());
    assert!(m.get(3, 0).is_none() && m.get(0, 3).is_none());
}

#[test]
fn pair_records_follow_the_probed_rule_and_keep_nulls_as_nan() {
    let (_dir, db, _raw) = setup();
    let frame = db.pair_query().frame().unwrap();
    let n_ex = frame.i64s("pair.n_ex_test_spikes").unwrap();
    let n_in = frame.i64s("pair.n_in_test_spikes").unwrap();
    let distance = frame.f64s("pair.distance").unwrap();
    let ex = pair_records(&frame, Some(synphys_cellclass::SynapseType::Ex)).unwrap();
    let unknown = pair_records(&frame, None).unwrap();
    assert_eq!(ex.len(), frame.n_rows());
    for r in 0..frame.n_rows() {
        let over = |n: Option<i64>| n.is_some_and(|n| n > 10);
        assert_eq!(ex[r].probed, over(n_ex[r]));
        assert_eq!(unknown[r].probed, over(n_ex[r]) && over(n_in[r]));
        assert_eq!(ex[r].distance_m.is_nan(), distance[r].is_none());
        assert!(!ex[r].gap_junction_probed);
    }
    assert!(ex.iter().any(|r| r.distance_m.is_nan()));
}
