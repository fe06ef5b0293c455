//! The dataset tutorial's steps in order, each checked against the library calls that
//! compute the same numbers.

use synphys_cellclass::ClassSet;
use synphys_connectivity::{DistanceModelKind, FitOptions};
use synphys_query::{
    Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Grouping, Preload, SynphysDb,
    pair_records,
};

use crate::support::{Run, bytes, on, small_db};

fn number(text: &str) -> Option<f64> {
    (!text.is_empty()).then(|| text.parse().unwrap())
}

/// `synphys matrix` printed as CSV, against `ClassMatrix` with first-match grouping.
fn check_matrix(run: &Run, expected: &ClassMatrix) {
    let (header, rows) = run.csv();
    assert_eq!(header[0], "pre_class");
    assert_eq!(&header[1..], expected.post_names());
    assert_eq!(rows.len(), expected.pre_names().len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], expected.pre_names()[i]);
        for j in 0..expected.post_names().len() {
            assert_eq!(number(&row[j + 1]), expected.get(i, j), "cell ({i}, {j})");
        }
    }
}

#[test]
fn the_tutorial_walk() {
    let path = small_db();
    let before = bytes(path);
    let db = SynphysDb::open(path).unwrap();

    // In [1]: human excitatory synapses with synapse and cell columns.
    let run = step(
        path,
        &["pairs"],
        &[
            "--species",
            "human",
            "--synapse",
            "--synapse-type",
            "ex",
            "--preload",
            "synapse,cell",
            "--format",
            "csv",
        ],
    );
    let (header, rows) = run.csv();
    let human = db
        .pair_query()
        .experiment_type("standard multipatch")
        .species("human")
        .synapse(true)
        .synapse_type("ex")
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
        .frame()
        .unwrap();
    assert!(human.n_rows() > 10);
    assert_eq!(rows.len(), human.n_rows());
    assert_eq!(header, human.column_names().collect::<Vec<_>>());

    // In [3]: the amplitude histogram counts every non-null amplitude.
    let hist = step(
        path,
        &["hist", "--metric", "synapse.psp_amplitude"],
        &[
            "--species",
            "human",
            "--synapse",
            "--synapse-type",
            "ex",
            "--format",
            "json",
        ],
    )
    .json();
    let total: u64 = hist
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    let amplitudes = human.numbers("synapse.psp_amplitude").unwrap();
    assert_eq!(total as usize, amplitudes.iter().flatten().count());

    // In [4]: STP by presynaptic layer; medians as pandas computes them.
    let boxes = step(
        path,
        &[
            "box",
            "--metric",
            "dynamics.stp_induction_50hz",
            "--by",
            "pre_cortical_cell_location.cortical_layer",
        ],
        &[
            "--species",
            "human",
            "--synapse",
            "--synapse-type",
            "ex",
            "--format",
            "json",
        ],
    )
    .json();
    let stp = human.numbers("dynamics.stp_induction_50hz").unwrap();
    let layers = human
        .strs("pre_cortical_cell_location.cortical_layer")
        .unwrap();
    for group in boxes.as_array().unwrap() {
        let layer = group["group"].as_str();
        let values: Vec<f64> = (0..human.n_rows())
            .filter(|&r| layers.get(r) == layer)
            .filter_map(|r| stp[r])
            .collect();
        assert_eq!(
            group["n"].as_u64(),
            Some(values.len() as u64),
            "layer {layer:?}"
        );
        assert_eq!(
            group["median"].as_f64(),
            Aggregate::Median.apply(&values),
            "layer {layer:?}"
        );
    }

    // In [6]–[8]: mouse synapses, the four layer 2/3 classes, the latency pivot table.
    let mouse = db
        .pair_query()
        .experiment_type("standard multipatch")
        .species("mouse")
        .synapse(true)
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
        .frame()
        .unwrap();
    let l23 = ClassSet::preset("tutorial-l23").unwrap();
    let run = step(
        path,
        &[
            "matrix",
            "--classes",
            "tutorial-l23",
            "--metric",
            "synapse.latency",
        ],
        &["--species", "mouse", "--synapse", "--format", "csv"],
    );
    check_matrix(
        &run,
        &ClassMatrix::new(
            &mouse,
            &l23,
            &l23,
            "synapse.latency",
            Aggregate::Mean,
            Grouping::FirstMatch,
        )
        .unwrap(),
    );

    // In [10]–[11]: three metrics over the broad classes.
    let broad = ClassSet::preset("broad").unwrap();
    for metric in [
        "dynamics.pulse_amp_90th_percentile",
        "dynamics.stp_induction_50hz",
        "synapse.psc_rise_time",
    ] {
        let run = step(
            path,
            &[
                "matrix",
                "--classes",
                "broad",
                "--metric",
                metric,
                "--agg",
                "median",
            ],
            &["--species", "mouse", "--synapse", "--format", "csv"],
        );
        check_matrix(
            &run,
            &ClassMatrix::new(
                &mouse,
                &broad,
                &broad,
                metric,
                Aggregate::Median,
                Grouping::FirstMatch,
            )
            .unwrap(),
        );
    }

    // In [10] (connectivity): probed mouse pairs, and the connectivity matrix by layer.
    let probed = db
        .pair_query()
        .experiment_type("standard multipatch")
        .species("mouse")
        .synapse_probed(true)
        .preload(Preload::Cell)
        .frame()
        .unwrap();
    let (_, rows) = step(
        path,
        &["pairs", "--columns", "pair.id"],
        &["--species", "mouse", "--synapse-probed", "--format", "csv"],
    )
    .csv();
    assert_eq!(rows.len(), probed.n_rows());
    let layers = ClassSet::preset("mouse-layers").unwrap();
    let expected =
        ConnectivityMatrix::new(&probed, &layers, &layers, &ConnectivityOptions::new()).unwrap();
    let (header, rows) = step(
        path,
        &["connectivity", "--classes", "mouse-layers"],
        &["--species", "mouse", "--synapse-probed", "--format", "csv"],
    )
    .csv();
    assert_eq!(
        header,
        [
            "pre_class",
            "post_class",
            "n_probed",
            "n_connected",
            "probability",
            "ci_lower",
            "ci_upper",
            "adjusted_probability",
            "adjusted_ci_lower",
            "adjusted_ci_upper"
        ]
    );
    assert_eq!(rows.len(), expected.summaries().len());
    for (row, s) in rows.iter().zip(expected.summaries()) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str()),
            (s.key.pre.as_str(), s.key.post.as_str())
        );
        assert_eq!(row[2], s.connection.n_probed.to_string());
        assert_eq!(row[3], s.connection.n_connected.to_string());
        let estimate = number(&row[4]);
        assert_eq!(
            estimate,
            Some(s.connection.estimate).filter(|e| !e.is_nan())
        );
        assert_eq!(number(&row[7]), s.adjusted.map(|a| a.pmax));
        assert_eq!(number(&row[9]), s.adjusted.map(|a| a.upper));
    }
    assert!(
        rows.iter().any(|r| r[3] != "0"),
        "no connection found: a weak check"
    );

    // In [16]: E→I and E→E Gaussian fits on lateral distance under 500 µm.
    for (mask, pre, post) in [("ei", "ex", "in"), ("ee", "ex", "ex")] {
        let json = step(
            path,
            &["profile", "--mask", mask],
            &["--species", "mouse", "--synapse-probed", "--format", "json"],
        )
        .json();
        let frame = db
            .pair_query()
            .experiment_type("standard multipatch")
            .species("mouse")
            .synapse_probed(true)
            .filter(&format!("pre_cell.cell_class == '{pre}'"))
            .filter(&format!("post_cell.cell_class == '{post}'"))
            .filter("pair.lateral_distance < 500e-6")
            .frame()
            .unwrap();
        let output = Some(synphys_cellclass::SynapseType::Ex);
        let (x, y): (Vec<f64>, Vec<bool>) = pair_records(&frame, output)
            .unwrap()
            .iter()
            .filter(|r| r.probed && r.lateral_distance_m.is_finite())
            .map(|r| (r.lateral_distance_m, r.connected))
            .unzip();
        let fit = DistanceModelKind::Gaussian
            .fit(&x, &y, &FitOptions::new())
            .unwrap();
        assert_eq!(
            json["fit"]["pmax"].as_f64(),
            Some(fit.model.pmax()),
            "{mask}"
        );
        assert_eq!(
            json["fit"]["size"].as_f64(),
            Some(fit.model.size_m()),
            "{mask}"
        );
        assert_eq!(json["fit"]["n_pairs"].as_u64(), Some(x.len() as u64));
        let in_bins: u64 = json["bins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["n_probed"].as_u64().unwrap())
            .sum();
        assert_eq!(in_bins as usize, x.iter().filter(|&&d| d < 500e-6).count());
    }

    // In [17]–[19]: a human synapse's model parameters, 500 random trials.
    let (pair, params) = human_model_pair(&db);
    let json = on(
        path,
        &[
            "release", "simulate", "--pair", &pair, "--trials", "500", "--seed", "3", "--format",
            "json",
        ],
    )
    .json();
    let model = synphys_release_model::ReleaseModel::new(params);
    let spikes = [
        0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52,
    ];
    use rand::SeedableRng;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
    let trials: Vec<Vec<f64>> = (0..500)
        .map(|_| model.random(&spikes, &mut rng).unwrap().amplitudes())
        .collect();
    assert_eq!(json["amplitudes"], serde_json::to_value(&trials).unwrap());
    let mean0 = trials.iter().map(|t| t[0]).sum::<f64>() / 500.0;
    let printed = json["events"][0]["mean_amplitude"].as_f64().unwrap();
    assert!(
        (printed - mean0).abs() <= 1e-15 * mean0.abs(),
        "{printed} vs {mean0}"
    );

    assert_eq!(bytes(path), before, "the database was modified");
}

/// Runs a tutorial step: `command`, the multipatch filter, then `rest`.
fn step(path: &std::path::Path, command: &[&str], rest: &[&str]) -> Run {
    on(
        path,
        &[command, &["--experiment-type", "standard multipatch"], rest].concat(),
    )
}

/// The first human synapse with stored model parameters, as `EXPT:PRE:POST`.
fn human_model_pair(db: &SynphysDb) -> (String, synphys_release_model::ReleaseParams) {
    let frame = db
        .pair_query()
        .species("human")
        .synapse(true)
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
        .preload(Preload::Experiment)
        .filter("synapse_model.ml_n_release_sites is not null")
        .frame()
        .unwrap();
    assert!(frame.n_rows() > 0, "no human synapse has model parameters");
    let text = |c: &str| frame.strs(c).unwrap().get(0).unwrap().to_string();
    let pair = format!(
        "{}:{}:{}",
        text("experiment.ext_id"),
        text("pre_cell.ext_id"),
        text("post_cell.ext_id")
    );
    let mut builder = synphys_release_model::ReleaseParams::builder();
    for p in synphys_release_model::Param::ALL {
        builder.set(
            p,
            frame
                .numbers(&format!("synapse_model.ml_{}", p.name()))
                .unwrap()[0]
                .unwrap(),
        );
    }
    (pair, builder.build().unwrap())
}
