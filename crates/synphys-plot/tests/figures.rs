//! Every figure written as SVG (parsed, its text elements checked) and PNG (decoded, its
//! size checked), with the CSV beside it.

use std::path::Path;

use synphys_plot::{
    BoxGroup, BoxPlot, ColourScale, DistanceProfilePlot, ErrorKind, FittedCurve, Format, Heatmap,
    Histogram, HistogramBin, MarginalPanel, Marginals, ProfileBin, ReleaseTrials, Unit, Written,
    csv_path,
};

/// The text content of every `<text>` element of an SVG file.
fn svg_texts(path: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&source).unwrap();
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

/// The number of elements named `tag` in an SVG file.
fn svg_count(path: &Path, tag: &str) -> usize {
    let source = std::fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&source).unwrap();
    document
        .descendants()
        .filter(|n| n.tag_name().name() == tag)
        .count()
}

/// Width and height of a PNG file, decoded.
fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    // Text was drawn: not every pixel of the image is the background white.
    let data = &buffer[..frame.buffer_size()];
    assert!(
        data.iter().any(|b| *b < 128),
        "{} has no dark pixel",
        path.display()
    );
    (frame.width, frame.height)
}

fn csv_rows(written: &Written) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(&written.csv).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn has(texts: &[String], needle: &str) -> bool {
    texts.iter().any(|t| t.contains(needle))
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("class{i}")).collect()
}

fn connectivity_heatmap(n: usize) -> Heatmap {
    let mut values = Vec::new();
    let mut notes = Vec::new();
    for i in 0..n {
        let mut row = Vec::new();
        let mut note = Vec::new();
        for j in 0..n {
            let probed = (i * 7 + j * 3) % 11;
            let connected = (i + j) % 3 % (probed + 1);
            row.push((probed > 0).then(|| connected as f64 / probed as f64));
            note.push(format!("{connected}/{probed}"));
        }
        values.push(row);
        notes.push(note);
    }
    Heatmap::new("Connection probability", names(n), names(n), values)
        .annotations(notes)
        .colour_scale(ColourScale::Log)
        .range(0.01, 1.0)
        .colour_label("connection probability")
}

#[test]
fn heatmap_svg_has_title_axes_one_annotation_per_class_pair_and_a_colour_bar() {
    let dir = tempfile::tempdir().unwrap();
    for n in [1, 4, 17] {
        let path = dir.path().join(format!("connectivity{n}.svg"));
        let written = synphys_plot::write_heatmap(&path, &connectivity_heatmap(n)).unwrap();
        assert_eq!(written.format, Format::Svg);
        let texts = svg_texts(&path);
        assert!(has(&texts, "Connection probability"));
        assert!(has(&texts, "presynaptic class") && has(&texts, "postsynaptic class"));
        let annotations = texts
            .iter()
            .filter(|t| t.split('/').count() == 2 && t.split('/').all(|p| p.parse::<u32>().is_ok()))
            .count();
        assert_eq!(annotations, n * n, "one n/N annotation per class pair");
        for name in names(n) {
            assert_eq!(
                texts.iter().filter(|t| **t == name).count(),
                2,
                "{name} labels a row and a column"
            );
        }
        // Log colour bar over 0.01..1: decade ticks and its label.
        assert!(has(&texts, "0.01") && texts.iter().any(|t| t == "1"));
        assert!(has(&texts, "connection probability"));
        let rows = csv_rows(&written);
        assert_eq!(rows.len(), n * n);
        // Unprobed (0/0) cells have no value and no colour: grey.
        for row in &rows {
            if row[4].ends_with("/0") {
                assert_eq!((row[2].as_str(), row[3].as_str()), ("", ""));
            }
        }
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(
            n == 1 || svg.contains("#C8C8C8"),
            "grey cells for unprobed pairs"
        );
    }
}

#[test]
fn metric_heatmap_annotates_values_in_display_units() {
    let dir = tempfile::tempdir().unwrap();
    let values = vec![vec![Some(1.5e-3), None], vec![Some(2.0e-3), Some(f64::NAN)]];
    let heatmap = Heatmap::new("Latency", names(2), names(2), values)
        .unit(Unit::millisecond())
        .colour_label("latency");
    let written = synphys_plot::write_heatmap(dir.path().join("latency.svg"), &heatmap).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "1.5") && has(&texts, "2"));
    assert_eq!(
        texts.iter().filter(|t| *t == "–").count(),
        2,
        "the None and NaN cells"
    );
    assert!(has(&texts, "latency (ms)"));
    let rows = csv_rows(&written);
    assert_eq!(rows[0][2], "1.5");
    assert_eq!(rows[1][2], "");
}

#[test]
fn every_figure_renders_as_png_of_its_size_with_text_from_the_embedded_font() {
    let dir = tempfile::tempdir().unwrap();
    let written = synphys_plot::write_heatmap(
        dir.path().join("m.png"),
        &connectivity_heatmap(5).size(640, 480),
    )
    .unwrap();
    assert_eq!(written.format, Format::Png);
    assert_eq!(png_size(&written.image), (640, 480));
    let written =
        synphys_plot::write_distance_profile(dir.path().join("p.PNG"), &profile()).unwrap();
    assert_eq!(png_size(&written.image), (900, 560));
    let written = synphys_plot::write_histogram(dir.path().join("h.png"), &histogram()).unwrap();
    assert_eq!(png_size(&written.image), (900, 520));
    let written = synphys_plot::write_box_plot(dir.path().join("b.png"), &box_plot()).unwrap();
    assert_eq!(png_size(&written.image), (900, 560));
    let written =
        synphys_plot::write_release_trials(dir.path().join("t.png"), &trials(20)).unwrap();
    assert_eq!(png_size(&written.image), (1000, 480));
    let written = synphys_plot::write_marginals(dir.path().join("g.png"), &marginals(7)).unwrap();
    assert_eq!(png_size(&written.image), (1050, 60 + 300 * 3));
}

fn profile() -> DistanceProfilePlot {
    let bins: Vec<ProfileBin> = (0..10)
        .map(|i| {
            let p = 0.3 * (-(i as f64) / 4.0).exp();
            ProfileBin {
                lower_m: i as f64 * 20e-6,
                upper_m: (i + 1) as f64 * 20e-6,
                probability: if i == 7 { f64::NAN } else { p },
                ci_lower: if i == 7 { 0.0 } else { p * 0.5 },
                ci_upper: if i == 7 { 1.0 } else { p * 1.6 },
            }
        })
        .collect();
    let x_m: Vec<f64> = (0..60).map(|i| (i % 20) as f64 * 10e-6).collect();
    let connected: Vec<bool> = (0..60).map(|i| i % 7 == 0).collect();
    let fit = FittedCurve::sample("Gaussian fit: pmax = 0.30, σ = 80 µm", 200e-6, 100, |x| {
        0.3 * (-x * x / (2.0 * 80e-6 * 80e-6)).exp()
    });
    DistanceProfilePlot::new("E→I connectivity", bins, x_m, connected).fit(fit)
}

#[test]
fn profile_svg_has_band_steps_fit_raster_and_a_legend_of_five_series() {
    let dir = tempfile::tempdir().unwrap();
    let written =
        synphys_plot::write_distance_profile(dir.path().join("p.svg"), &profile()).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "E→I connectivity"));
    assert!(has(&texts, "lateral distance (µm)") && has(&texts, "connection probability"));
    let legend = [
        "95 % confidence interval",
        "connected / probed per bin",
        "Gaussian fit: pmax = 0.30, σ = 80 µm",
        "probed pairs (n = 60)",
        "connected pairs (n = 9)",
    ];
    for entry in legend {
        assert_eq!(
            texts.iter().filter(|t| *t == entry).count(),
            1,
            "legend entry {entry}"
        );
    }
    // One band polygon per bin with pairs (bin 7 has none).
    assert_eq!(svg_count(&written.image, "polygon"), 9);
    let rows = csv_rows(&written);
    let count = |series: &str| rows.iter().filter(|r| r[0] == series).count();
    assert_eq!(
        (
            count("bin"),
            count("fit"),
            count("probed"),
            count("connected")
        ),
        (10, 100, 51, 9)
    );
    assert_eq!(rows[0][1], "0");
    assert_eq!(rows[0][2], "20");
}

fn histogram() -> Histogram {
    let bins = (0..8)
        .map(|i| HistogramBin {
            lower: i as f64 * 0.25e-3,
            upper: (i + 1) as f64 * 0.25e-3,
            count: (i * 5) % 7,
        })
        .collect();
    Histogram::new(
        "PSP amplitude of human excitatory synapses",
        "synapse.psp_amplitude",
        bins,
    )
    .unit(Unit::millivolt())
}

#[test]
fn histogram_svg_has_one_bar_per_bin_and_labelled_axes() {
    let dir = tempfile::tempdir().unwrap();
    let written = synphys_plot::write_histogram(dir.path().join("h.svg"), &histogram()).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "PSP amplitude of human excitatory synapses"));
    assert!(has(&texts, "synapse.psp_amplitude (mV)") && texts.iter().any(|t| t == "count"));
    let rows = csv_rows(&written);
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[1], vec!["0.25", "0.5", "5"]);
    // Each bar is a filled rect plus its outline; the background is one more.
    assert!(svg_count(&written.image, "rect") >= 16);
}

fn box_plot() -> BoxPlot {
    let group = |name: &str, values: Vec<f64>| {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        BoxGroup {
            name: name.into(),
            whisker_low: sorted[0],
            q1: sorted[1],
            median: sorted[2],
            q3: sorted[3],
            whisker_high: sorted[4],
            values,
        }
    };
    BoxPlot::new(
        "STP by presynaptic layer",
        "dynamics.stp_induction_50hz",
        "presynaptic layer",
    )
    .group(group("2", vec![0.1, -0.2, 0.3, 0.0, 0.5]))
    .group(group("3", vec![-0.4, -0.1, -0.3, 0.0, 0.2]))
    .group(group("5", vec![0.05, 0.1, 0.2, 0.15, 0.3]))
}

#[test]
fn box_plot_svg_has_each_group_labelled_with_its_count_and_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let written = synphys_plot::write_box_plot(dir.path().join("b.svg"), &box_plot()).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "STP by presynaptic layer"));
    assert!(has(&texts, "presynaptic layer") && has(&texts, "dynamics.stp_induction_50hz"));
    for g in ["2 (n = 5)", "3 (n = 5)", "5 (n = 5)"] {
        assert!(texts.iter().any(|t| t == g), "{g}");
    }
    assert_eq!(svg_count(&written.image, "circle"), 15);
    let rows = csv_rows(&written);
    assert_eq!(rows.iter().filter(|r| r[1] == "median").count(), 3);
    assert_eq!(rows.iter().filter(|r| r[1] == "point").count(), 15);
}

fn trials(n: usize) -> ReleaseTrials {
    let spikes = vec![0.1, 0.11, 0.12, 0.14, 0.2];
    let trials: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..spikes.len())
                .map(|k| 1e-3 * ((i * 3 + k * 5) % 9) as f64 / 9.0)
                .collect()
        })
        .collect();
    let mean: Vec<f64> = (0..spikes.len())
        .map(|k| trials.iter().map(|t| t[k]).sum::<f64>() / n as f64)
        .collect();
    ReleaseTrials::new("Release model: simulated trials", spikes, trials, mean)
}

#[test]
fn trials_svg_draws_every_trial_the_mean_and_the_spikes_with_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let written =
        synphys_plot::write_release_trials(dir.path().join("t.svg"), &trials(500)).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "spike time (ms)") && has(&texts, "PSP amplitude (mV)"));
    for entry in [
        "presynaptic spike",
        "simulated trials (n = 500)",
        "mean amplitude",
    ] {
        assert!(texts.iter().any(|t| t == entry), "{entry}");
    }
    // 500 faint trial lines (opacity 10 / 500), one bold mean line (width 4) and its
    // legend sample.
    let source = std::fs::read_to_string(&written.image).unwrap();
    let document = roxmltree::Document::parse(&source).unwrap();
    let lines = |attribute: &str, value: &str| {
        document
            .descendants()
            .filter(|n| n.tag_name().name() == "polyline" && n.attribute(attribute) == Some(value))
            .count()
    };
    assert_eq!(lines("opacity", "0.02"), 500);
    assert_eq!(lines("stroke-width", "4"), 2);
    let rows = csv_rows(&written);
    assert_eq!(rows.iter().filter(|r| r[0] == "trial").count(), 500 * 5);
    assert_eq!(rows.iter().filter(|r| r[0] == "mean").count(), 5);
}

fn marginals(n: usize) -> Marginals {
    let panels = (0..n)
        .map(|i| {
            let values: Vec<f64> = if i % 2 == 0 {
                (0..6).map(|k| 0.01 * 10f64.powf(k as f64 * 0.4)).collect()
            } else {
                (0..5).map(|k| k as f64 * 0.25).collect()
            };
            let probability: Vec<f64> = (0..values.len()).map(|k| (k + 1) as f64).collect();
            let total: f64 = probability.iter().sum();
            MarginalPanel {
                parameter: format!("param{i}"),
                unit: if i == 1 {
                    Unit::millisecond()
                } else {
                    Unit::none()
                },
                best: Some(values[values.len() - 1]),
                probability: probability.iter().map(|p| p / total).collect(),
                values,
            }
        })
        .collect();
    Marginals::new("Release-model fit: marginal likelihood", panels)
}

#[test]
fn marginals_svg_has_one_panel_per_parameter_axis() {
    let dir = tempfile::tempdir().unwrap();
    let written = synphys_plot::write_marginals(dir.path().join("g.svg"), &marginals(7)).unwrap();
    let texts = svg_texts(&written.image);
    assert!(has(&texts, "Release-model fit: marginal likelihood"));
    for i in 0..7 {
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("param{i} (best"))),
            "panel {i}"
        );
    }
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "marginal probability")
            .count(),
        7
    );
    assert!(has(&texts, "value (log axis)") && has(&texts, "value (ms)"));
    let rows = csv_rows(&written);
    assert_eq!(rows.len(), 4 * 6 + 3 * 5);
    assert_eq!(rows.iter().filter(|r| r[4] == "true").count(), 7);
}

#[test]
fn bad_input_is_refused_with_what_would_be_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let err = synphys_plot::write_histogram(dir.path().join("h.pdf"), &histogram()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownFormat { .. }));
    assert!(err.to_string().contains(".svg or .png"));

    let ragged = Heatmap::new(
        "x",
        names(2),
        names(2),
        vec![vec![Some(1.0)], vec![None, None]],
    );
    let err = synphys_plot::write_heatmap(dir.path().join("m.svg"), &ragged).unwrap_err();
    assert!(err.to_string().contains("2 rows of 2"), "{err}");
    let bad_range = connectivity_heatmap(2).range(0.0, 1.0);
    assert!(synphys_plot::write_heatmap(dir.path().join("m.svg"), &bad_range).is_err());

    let mismatched = DistanceProfilePlot::new("x", Vec::new(), vec![1e-5], Vec::new());
    let err =
        synphys_plot::write_distance_profile(dir.path().join("p.svg"), &mismatched).unwrap_err();
    assert!(
        err.to_string().contains("1 distances but 0 outcomes"),
        "{err}"
    );

    let empty = Histogram::new("x", "y", Vec::new());
    assert!(synphys_plot::write_histogram(dir.path().join("h.svg"), &empty).is_err());
    let short = ReleaseTrials::new("x", vec![0.1, 0.2], vec![vec![1e-3]], vec![1e-3, 1e-3]);
    assert!(synphys_plot::write_release_trials(dir.path().join("t.svg"), &short).is_err());
    assert!(
        synphys_plot::write_marginals(dir.path().join("g.svg"), &Marginals::new("x", Vec::new()))
            .is_err()
    );
    // Nothing is written for refused data.
    assert!(!dir.path().join("m.svg").exists() && !csv_path(dir.path().join("m.svg")).exists());
}
