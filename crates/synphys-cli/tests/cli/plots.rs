//! `--plot FILE` on every command that draws, and `synphys tutorial`: the figures are
//! parsed (SVG) or decoded (PNG), the CSV beside each is read back.

use std::path::{Path, PathBuf};

use crate::support::{bytes, fixture, on, scratch, small_db, synphys};

/// The text of every `<text>` element of an SVG file.
fn svg_texts(path: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&source).unwrap();
    document
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

fn csv_rows(image: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(synphys_plot::csv_path(image)).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn out(name: &str) -> PathBuf {
    scratch().join(name)
}

#[test]
fn matrix_and_connectivity_plot_one_annotated_cell_per_class_pair() {
    let db = small_db();
    let matrix = out("latency.svg");
    let args = [
        "matrix",
        "--classes",
        "broad",
        "--metric",
        "synapse.latency",
        "--species",
        "mouse",
        "--synapse",
    ];
    let mut with_plot = args.to_vec();
    with_plot.extend(["--plot", matrix.to_str().unwrap(), "--format", "csv"]);
    let (_, rows) = on(db, &with_plot).csv();
    let texts = svg_texts(&matrix);
    assert!(
        texts.iter().any(|t| t == "presynaptic class")
            && texts.iter().any(|t| t == "postsynaptic class")
    );
    assert!(texts.iter().any(|t| t == "mean of synapse.latency"));
    // The CSV beside the figure has one row per class pair, with the printed values.
    let drawn = csv_rows(&matrix);
    assert_eq!(drawn.len(), 4 * 4);
    let printed: Vec<String> = rows.iter().take(4).flat_map(|r| r[1..].to_vec()).collect();
    for (cell, value) in drawn.iter().zip(&printed) {
        let (a, b) = (cell[2].parse::<f64>().ok(), value.parse::<f64>().ok());
        assert_eq!(a, b, "{cell:?} vs {value}");
    }

    let connectivity = out("connectivity.png");
    on(
        db,
        &[
            "connectivity",
            "--classes",
            "mouse-layers",
            "--species",
            "mouse",
            "--plot",
            connectivity.to_str().unwrap(),
        ],
    )
    .ok();
    let decoder = png::Decoder::new(std::fs::File::open(&connectivity).unwrap());
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1000, 900));
    let drawn = csv_rows(&connectivity);
    assert_eq!(drawn.len(), 17 * 17);
    assert!(
        drawn.iter().all(|r| r[4].contains('/')),
        "every cell annotated n/N"
    );
}

#[test]
fn profile_hist_and_box_plots_label_their_series() {
    let db = small_db();
    let profile = out("profile.svg");
    on(
        db,
        &[
            "profile",
            "--mask",
            "ei",
            "--species",
            "mouse",
            "--plot",
            profile.to_str().unwrap(),
        ],
    )
    .ok();
    let texts = svg_texts(&profile);
    assert!(
        texts.iter().any(|t| t.starts_with("gaussian fit: pmax = ")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "95 % confidence interval"));
    assert!(texts.iter().any(|t| t == "lateral distance (µm)"));
    assert_eq!(
        csv_rows(&profile).iter().filter(|r| r[0] == "bin").count(),
        25
    );

    let hist = out("hist.svg");
    let run = on(
        db,
        &[
            "hist",
            "--metric",
            "synapse.psp_amplitude",
            "--species",
            "human",
            "--synapse",
            "--format",
            "csv",
            "--plot",
            hist.to_str().unwrap(),
        ],
    );
    let (_, rows) = run.csv();
    let drawn = csv_rows(&hist);
    assert_eq!(drawn.len(), rows.len());
    assert_eq!(
        drawn.iter().map(|r| &r[2]).collect::<Vec<_>>(),
        rows.iter().map(|r| &r[2]).collect::<Vec<_>>()
    );

    let boxes = out("box.svg");
    let run = on(
        db,
        &[
            "box",
            "--metric",
            "dynamics.stp_induction_50hz",
            "--by",
            "pre_cortical_cell_location.cortical_layer",
            "--species",
            "human",
            "--synapse",
            "--format",
            "csv",
            "--plot",
            boxes.to_str().unwrap(),
        ],
    );
    let (_, rows) = run.csv();
    let drawn = csv_rows(&boxes);
    assert_eq!(
        drawn.iter().filter(|r| r[1] == "median").count(),
        rows.len()
    );
    assert!(
        svg_texts(&boxes)
            .iter()
            .any(|t| t == "pre_cortical_cell_location.cortical_layer")
    );
}

#[test]
fn release_simulate_and_fit_plot_trials_and_marginals() {
    let (params, events, _, _) = crate::release::inputs("plots");
    let trials = out("trials.svg");
    synphys(&[
        "release",
        "simulate",
        "--params",
        params.to_str().unwrap(),
        "--trials",
        "40",
        "--plot",
        trials.to_str().unwrap(),
    ])
    .ok();
    let texts = svg_texts(&trials);
    assert!(
        texts.iter().any(|t| t == "simulated trials (n = 40)")
            && texts.iter().any(|t| t == "mean amplitude")
    );
    assert_eq!(
        csv_rows(&trials).iter().filter(|r| r[0] == "trial").count(),
        40 * 11
    );

    let grid = out("plots-grid.json");
    std::fs::write(&grid, crate::release::GRID).unwrap();
    let marginals = out("marginals.svg");
    let fit = [
        "release",
        "fit",
        "--events",
        events.to_str().unwrap(),
        "--measurement-stdev",
        "86uV",
        "--grid",
        grid.to_str().unwrap(),
    ];
    let mut with_plot = fit.to_vec();
    with_plot.extend(["--plot", marginals.to_str().unwrap()]);
    synphys(&with_plot).ok();
    // One panel per grid axis (n_release_sites, base_release_probability,
    // mini_amplitude_cv, depression_amount).
    let texts = svg_texts(&marginals);
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "marginal probability")
            .count(),
        4
    );
    let mut sharded = fit.to_vec();
    let shard = out("plots-shard.bin");
    sharded.extend([
        "--shard",
        "0/2",
        "--out",
        shard.to_str().unwrap(),
        "--plot",
        marginals.to_str().unwrap(),
    ]);
    synphys(&sharded).fails_with(&["from one shard"]);
}

#[test]
fn an_unknown_image_extension_is_refused_and_nothing_is_written() {
    let db = small_db();
    let figure = out("figure.pdf");
    on(
        db,
        &[
            "matrix",
            "--classes",
            "broad",
            "--metric",
            "synapse.latency",
            "--plot",
            figure.to_str().unwrap(),
        ],
    )
    .fails_with(&["figure.pdf", ".svg or .png"]);
    assert!(!figure.exists() && !synphys_plot::csv_path(&figure).exists());
}

#[test]
fn tutorial_writes_the_report_and_prints_where_it_is() {
    let db = fixture();
    let before = bytes(db);
    let dir = out("tutorial-report");
    let run = on(
        db,
        &["tutorial", "--out", dir.to_str().unwrap(), "--trials", "30"],
    );
    let printed = run.ok().trim().to_string();
    assert_eq!(Path::new(&printed), dir.join("index.html"));
    for step in 1..=8 {
        assert!(
            run.stderr.contains(&format!("step {step}/8")),
            "progress of step {step} on stderr"
        );
    }
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains("synthetic demo database"));
    assert_eq!(html.matches("<svg").count(), 8);
    assert_eq!(bytes(db), before, "the database is not modified");
}
