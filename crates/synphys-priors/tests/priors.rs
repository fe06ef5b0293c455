//! Priors against independent SQL, JSON and CSV round trips, and the JSON Schema.

use std::path::{Path, PathBuf};

use synphys_cellclass::ClassSet;
use synphys_priors::{
    ErrorKind, NetworkPriors, PriorsBuilder, SCHEMA_V1, csv_header, from_json, to_csv, to_json,
};
use synphys_query::SynphysDb;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo_tiny.sqlite")
}

/// Percentile by sorting and interpolating between neighbours (the textbook definition
/// NumPy's default uses), written independently of the crate.
fn sorted_percentile(values: &[f64], q: f64) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return None;
    }
    let h = (v.len() - 1) as f64 * q / 100.0;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-30),
        (None, None) => true,
        _ => false,
    }
}

fn ei_priors(db: &SynphysDb) -> NetworkPriors {
    let classes = ClassSet::preset("ei").unwrap();
    PriorsBuilder::new(db, &classes).build().unwrap()
}

/// `FROM … WHERE …` selecting the pairs of one `ei` class pair (the preset's rule:
/// `cell_class_nonsynaptic`), with extra `joins` after `pair p`.
fn class_pair_sql(pre: &str, post: &str, joins: &str) -> String {
    let code = |name: &str| if name == "Excit." { "ex" } else { "in" };
    format!(
        "FROM pair p {joins} JOIN cell pre ON pre.id = p.pre_cell_id \
         JOIN cell post ON post.id = p.post_cell_id \
         WHERE pre.cell_class_nonsynaptic = '{}' AND post.cell_class_nonsynaptic = '{}'",
        code(pre),
        code(post)
    )
}

fn column_values(db: &SynphysDb, sql: &str) -> Vec<f64> {
    let frame = db.sql(sql).unwrap();
    frame.f64s("v").unwrap().iter().flatten().copied().collect()
}

#[test]
fn synapse_quartiles_and_counts_match_independent_sql() {
    let db = SynphysDb::open(fixture()).unwrap();
    let priors = ei_priors(&db);
    assert_eq!(priors.pairs.len(), 4);
    let mut summarised = 0;
    for pair in &priors.pairs {
        let label = format!("{}→{}", pair.pre_class, pair.post_class);
        let from = |joins: &str| class_pair_sql(&pair.pre_class, &pair.post_class, joins);
        let n_synapses = db
            .sql(&format!(
                "SELECT count(*) AS n {} AND p.has_synapse = 1",
                from("")
            ))
            .unwrap()
            .i64s("n")
            .unwrap()[0]
            .unwrap();
        assert_eq!(pair.n_synapses, n_synapses as u64, "{label}");
        const BY_PAIR: &str = "s.pair_id = p.id";
        for (table, column, q) in [
            ("synapse", "psp_amplitude", &pair.synapse.psp_amplitude_v),
            ("synapse", "latency", &pair.synapse.latency_s),
            ("synapse", "psp_decay_tau", &pair.synapse.psp_decay_tau_s),
            (
                "dynamics",
                "stp_induction_50hz",
                &pair.dynamics.stp_induction_50hz,
            ),
            (
                "dynamics",
                "paired_pulse_ratio_50hz",
                &pair.dynamics.paired_pulse_ratio_50hz,
            ),
            (
                "synapse_model",
                "ml_base_release_probability",
                &pair.release_model.base_release_probability,
            ),
            (
                "synapse_model",
                "ml_stp_induction_50hz",
                &pair.release_model.stp_induction_50hz,
            ),
        ] {
            let values = column_values(
                &db,
                &format!(
                    "SELECT s.{column} AS v {} AND p.has_synapse = 1",
                    from(&format!("JOIN {table} s ON {BY_PAIR}"))
                ),
            );
            let label = format!("{label} {table}.{column}");
            assert_eq!(q.count, values.len() as u64, "{label}");
            assert!(
                close(q.median, sorted_percentile(&values, 50.0)),
                "{label}: {q:?}"
            );
            assert!(
                close(q.iqr_lower, sorted_percentile(&values, 25.0)),
                "{label}: {q:?}"
            );
            assert!(
                close(q.iqr_upper, sorted_percentile(&values, 75.0)),
                "{label}: {q:?}"
            );
            summarised += values.len();
        }
        // resting_state_fit joins through the synapse.
        let ic = column_values(
            &db,
            &format!(
                "SELECT r.ic_amp AS v {} AND p.has_synapse = 1",
                from(
                    "JOIN synapse s ON s.pair_id = p.id JOIN resting_state_fit r ON r.synapse_id = s.id"
                )
            ),
        );
        let q = &pair.resting_state.ic_amplitude_v;
        assert_eq!(q.count, ic.len() as u64, "{label}");
        assert!(close(q.median, sorted_percentile(&ic, 50.0)), "{label}");
        // Signs as stored: excitatory synapses positive, inhibitory negative.
        if let Some(median) = pair.synapse.psp_amplitude_v.median {
            assert_eq!(median > 0.0, pair.pre_class == "Excit.", "{label}");
        }
    }
    assert!(summarised > 0, "the fixture has synapses to summarise");
}

#[test]
fn gap_junction_probability_matches_sql() {
    let db = SynphysDb::open(fixture()).unwrap();
    let priors = ei_priors(&db);
    let mut any_probed = false;
    for pair in &priors.pairs {
        let from = class_pair_sql(&pair.pre_class, &pair.post_class, "");
        let frame = db
            .sql(&format!(
                "SELECT count(*) AS n, coalesce(sum(p.has_electrical), 0) AS k {from} \
                 AND p.id IN (SELECT pair_id FROM gap_junction)"
            ))
            .unwrap();
        let n = frame.i64s("n").unwrap()[0].unwrap() as u64;
        let k = frame.i64s("k").unwrap()[0].unwrap() as u64;
        let gap = &pair.gap_junction;
        assert_eq!((gap.n_probed, gap.n_gap_junctions), (n, k));
        if n == 0 {
            assert_eq!(
                (gap.probability, gap.ci_lower, gap.ci_upper),
                (None, 0.0, 1.0)
            );
        } else {
            any_probed = true;
            assert_eq!(gap.probability, Some(k as f64 / n as f64));
            let (lower, upper) = synphys_connectivity::clopper_pearson(k, n, 0.05).unwrap();
            assert_eq!((gap.ci_lower, gap.ci_upper), (lower, upper));
        }
    }
    assert!(any_probed, "the fixture has pairs probed for gap junctions");
}

#[test]
fn connectivity_is_the_connectivity_matrix() {
    let db = SynphysDb::open(fixture()).unwrap();
    let classes = ClassSet::preset("ei").unwrap();
    let priors = PriorsBuilder::new(&db, &classes).build().unwrap();
    let frame = db
        .pair_query()
        .preload(synphys_query::Preload::Cell)
        .frame()
        .unwrap();
    let summary = synphys_connectivity::SummaryOptions::new()
        .sigma(100e-6)
        .distance(synphys_connectivity::DistanceMeasure::Lateral)
        .fit(synphys_connectivity::DistanceModelKind::Gaussian);
    let matrix = synphys_query::ConnectivityMatrix::new(
        &frame,
        &classes,
        &classes,
        &synphys_query::ConnectivityOptions::new().summary(summary),
    )
    .unwrap();
    for (pair, group) in priors.pairs.iter().zip(matrix.summaries()) {
        let expected = synphys_connectivity::ConnectivityPrior::from_summary(
            group,
            synphys_connectivity::PreferredAdjustment::Scaled,
        );
        assert_eq!(pair.connectivity.n_probed, expected.n_probed);
        assert_eq!(pair.connectivity.n_connected, expected.n_connected);
        assert_eq!(pair.connectivity.adjusted_pmax, expected.adjusted_pmax);
        assert_eq!(pair.connectivity.fit_pmax, expected.fit_pmax);
    }
}

/// Write → read → equal, as text and as values (NaN-free records also as structs).
fn assert_round_trip(priors: &NetworkPriors) {
    let text = to_json(priors).unwrap();
    let back = from_json(&text).unwrap();
    assert_eq!(to_json(&back).unwrap(), text);
    assert_eq!(back.database, priors.database);
    assert_eq!(back.class_set, priors.class_set);
    assert_eq!(back.options, priors.options);
    for (b, p) in back.pairs.iter().zip(&priors.pairs) {
        if p.connectivity.raw_probability.is_nan() {
            assert!(b.connectivity.raw_probability.is_nan());
        } else {
            assert_eq!(b, p);
        }
    }
    assert_eq!(back.pairs.len(), priors.pairs.len());
}

fn assert_valid(priors: &NetworkPriors) {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA_V1).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let instance: serde_json::Value = serde_json::from_str(&to_json(priors).unwrap()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
}

#[test]
fn fixture_priors_round_trip_and_validate() {
    let db = SynphysDb::open(fixture()).unwrap();
    for preset in ["ei", "broad", "tutorial-l23"] {
        let classes = ClassSet::preset(preset).unwrap();
        let priors = PriorsBuilder::new(&db, &classes).build().unwrap();
        assert_eq!(
            priors.pairs.len(),
            classes.len() * classes.len(),
            "{preset}"
        );
        assert_eq!(priors.database.db_version, "22");
        assert_round_trip(&priors);
        assert_valid(&priors);
    }
}

#[test]
fn a_fresh_demo_round_trips_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    synphys_demo::write(
        &path,
        &synphys_demo::DemoConfig::new(synphys_demo::Scale::Tiny).seed(11),
    )
    .unwrap();
    let db = SynphysDb::open(&path).unwrap();
    let classes = ClassSet::preset("ei").unwrap();
    let priors = PriorsBuilder::new(&db, &classes)
        .pairs(db.pair_query().species("mouse"))
        .build()
        .unwrap();
    assert!(priors.database.origin.contains("seed 11"));
    assert!(priors.pairs.iter().any(|p| p.n_synapses > 0));
    assert_round_trip(&priors);
    assert_valid(&priors);
}

#[test]
fn an_empty_selection_gives_zero_counts_and_null_statistics() {
    let db = SynphysDb::open(fixture()).unwrap();
    let classes = ClassSet::preset("ei").unwrap();
    let priors = PriorsBuilder::new(&db, &classes)
        .pairs(db.pair_query().species("no such species"))
        .build()
        .unwrap();
    for pair in &priors.pairs {
        assert_eq!(pair.n_synapses, 0);
        assert_eq!(pair.connectivity.n_probed, 0);
        for (name, q) in pair.synapse.quantities() {
            assert_eq!(
                (q.count, q.median, q.iqr_lower, q.iqr_upper),
                (0, None, None, None),
                "{name}"
            );
        }
        assert_eq!(pair.gap_junction.probability, None);
    }
    assert_valid(&priors);
    assert_round_trip(&priors);
}

#[test]
fn csv_has_the_documented_header_and_the_json_numbers() {
    let db = SynphysDb::open(fixture()).unwrap();
    let priors = ei_priors(&db);
    let text = to_csv(&priors).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, csv_header().unwrap());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), priors.pairs.len());
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, pair) in rows.iter().zip(&priors.pairs) {
        assert_eq!(&row[at("pre_class")], pair.pre_class);
        assert_eq!(
            row[at("connectivity.n_probed")].parse::<u64>().unwrap(),
            pair.connectivity.n_probed
        );
        let median = &row[at("synapse.psp_amplitude_v.median")];
        assert_eq!(
            median.parse::<f64>().ok(),
            pair.synapse.psp_amplitude_v.median
        );
        assert_eq!(
            row[at("gap_junction.n_probed")].parse::<u64>().unwrap(),
            pair.gap_junction.n_probed
        );
        assert_eq!(
            row[at("release_model.n_release_sites.count")]
                .parse::<u64>()
                .unwrap(),
            pair.release_model.n_release_sites.count
        );
    }
}

#[test]
fn other_layouts_and_bad_options_are_refused() {
    let db = SynphysDb::open(fixture()).unwrap();
    let text = to_json(&ei_priors(&db)).unwrap();
    let newer = text.replacen("\"version\": 1", "\"version\": 2", 1);
    assert!(matches!(
        from_json(&newer).unwrap_err().kind(),
        ErrorKind::UnsupportedLayout {
            found_version: 2,
            ..
        }
    ));
    assert!(matches!(
        from_json("[]").unwrap_err().kind(),
        ErrorKind::UnsupportedLayout { .. }
    ));
    let classes = ClassSet::preset("ei").unwrap();
    let error = PriorsBuilder::new(&db, &classes)
        .alpha(1.5)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("alpha"), "{error}");
    let error = PriorsBuilder::new(&db, &classes)
        .sigma_m(-1.0)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("sigma_m"), "{error}");
}

#[test]
fn projections_carry_the_rule_and_the_median_psp_and_latency() {
    let db = SynphysDb::open(fixture()).unwrap();
    let priors = ei_priors(&db);
    let projections = synphys_priors::projections(&priors).unwrap();
    let probed: Vec<_> = priors
        .pairs
        .iter()
        .filter(|p| p.connectivity.n_probed > 0)
        .collect();
    assert_eq!(projections.len(), probed.len());
    assert!(!projections.is_empty());
    for (projection, pair) in projections.iter().zip(probed) {
        assert_eq!(projection.rule, pair.connectivity.rule().unwrap());
        assert_eq!(
            projection.psp_amplitude_v,
            pair.synapse.psp_amplitude_v.median
        );
        assert_eq!(projection.latency_s, pair.synapse.latency_s.median);
    }
    for simulator in synphys_connectivity::Simulator::all() {
        let text = synphys_connectivity::export_network(&projections, simulator).unwrap();
        assert!(text.contains("Excit."), "{simulator}: {text}");
    }
}
