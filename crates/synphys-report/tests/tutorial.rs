//! The tutorial report on the committed fixture and on a small demo database: every
//! number shown equals the library call that computes it, every figure is inline and
//! parses, and the page is self-contained.

use std::path::Path;

use rand::SeedableRng;
use synphys_cellclass::{ClassSet, SynapseType};
use synphys_connectivity::{DistanceProfile, FitOptions, GaussianModel};
use synphys_query::{
    Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Frame, Grouping, PairRef,
    Preload, SynphysDb, pair_records,
};
use synphys_release_model::{ReleaseModel, Search};
use synphys_report::{
    EventSource, TUTORIAL_SPIKE_TIMES_S, TutorialOptions, TutorialReport, run_tutorial,
};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/demo_tiny.sqlite"
);

fn synapses(db: &SynphysDb, species: &str) -> Frame {
    db.pair_query()
        .experiment_type("standard multipatch")
        .species(species)
        .synapse(true)
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
        .frame()
        .unwrap()
}

fn probed_mouse_pairs(db: &SynphysDb) -> Frame {
    db.pair_query()
        .experiment_type("standard multipatch")
        .species("mouse")
        .synapse_probed(true)
        .preload(Preload::Cell)
        .frame()
        .unwrap()
}

/// Every number of the report against the direct library calls.
fn check_numbers(db: &SynphysDb, report: &TutorialReport, options: &TutorialOptions) {
    let human = synapses(db, "human");
    let human = human.filter(|r| r.str("synapse.synapse_type") == Some("ex"));
    let first = report.first_query.as_ref().unwrap();
    assert_eq!(first.n_synapses, human.n_rows());
    assert_eq!(first.preview_rows.len(), human.n_rows().min(5));

    let mouse = synapses(db, "mouse");
    let l23 = ClassSet::preset("tutorial-l23").unwrap();
    let latency = ClassMatrix::new(
        &mouse,
        &l23,
        &l23,
        "synapse.latency",
        Aggregate::Mean,
        Grouping::FirstMatch,
    )
    .unwrap();
    let step = report.latency.as_ref().unwrap();
    assert_eq!(step.n_synapses, mouse.n_rows());
    assert_eq!(step.mean_latency_s, latency.to_rows());
    assert_eq!(step.pre_names, latency.pre_names());

    let pairs = probed_mouse_pairs(db);
    let classes = ClassSet::preset("mouse-layers").unwrap();
    let matrix =
        ConnectivityMatrix::new(&pairs, &classes, &classes, &ConnectivityOptions::new()).unwrap();
    let step = report.connectivity.as_ref().unwrap();
    assert_eq!(step.cells.len(), 17 * 17);
    for (cell, summary) in step.cells.iter().zip(matrix.summaries()) {
        assert_eq!(
            (cell.pre.as_str(), cell.post.as_str()),
            (summary.key.pre.as_str(), summary.key.post.as_str())
        );
        assert_eq!(
            (cell.n_connected, cell.n_probed),
            (summary.connection.n_connected, summary.connection.n_probed)
        );
        assert_eq!(
            cell.adjusted,
            summary
                .adjusted
                .as_ref()
                .map(|a| [a.pmax, a.lower, a.upper])
        );
    }

    // Profiles: the masks applied to the probed pairs by hand.
    assert_eq!(report.profiles.len(), 2);
    for (profile, post) in report.profiles.iter().zip(["ex", "in"]) {
        let masked = pairs.filter(|r| {
            r.str("pre_cell.cell_class") == Some("ex")
                && r.str("post_cell.cell_class") == Some(post)
                && r.f64("pair.lateral_distance").is_some_and(|d| d < 500e-6)
        });
        let (x, connected): (Vec<f64>, Vec<bool>) = pair_records(&masked, Some(SynapseType::Ex))
            .unwrap()
            .iter()
            .filter(|r| r.probed && r.lateral_distance_m.is_finite())
            .map(|r| (r.lateral_distance_m, r.connected))
            .unzip();
        assert_eq!(profile.n_probed, x.len());
        let fit = GaussianModel::fit(&x, &connected, &FitOptions::new()).unwrap();
        assert_eq!(
            (profile.pmax, profile.sigma_m, profile.nll),
            (fit.model.pmax(), fit.model.sigma_m(), fit.nll)
        );
        let edges: Vec<f64> = (0..=25).map(|i| i as f64 * 20e-6).collect();
        let binned = DistanceProfile::new(&connected, &x, &edges, 0.05).unwrap();
        let counts: Vec<(u64, u64)> = binned
            .bins
            .iter()
            .map(|b| (b.probability.n_connected, b.probability.n_probed))
            .collect();
        let shown: Vec<(u64, u64)> = profile
            .bins
            .iter()
            .map(|b| (b.n_connected, b.n_probed))
            .collect();
        assert_eq!(shown, counts);
    }

    let amplitudes: Vec<f64> = human
        .numbers("synapse.psp_amplitude")
        .unwrap()
        .iter()
        .flatten()
        .copied()
        .collect();
    let step = report.amplitude_histogram.as_ref().unwrap();
    assert_eq!(step.n_values, amplitudes.len());
    assert_eq!(step.bins, synphys_report::histogram(&amplitudes, 20));
    assert_eq!(
        step.bins.iter().map(|b| b.count).sum::<usize>(),
        amplitudes.len()
    );

    let step = report.stp_by_layer.as_ref().unwrap();
    for (layer, stats) in &step.groups {
        let values: Vec<f64> = human
            .rows()
            .filter(|r| r.str("pre_cortical_cell_location.cortical_layer") == Some(layer.as_str()))
            .filter_map(|r| r.f64("dynamics.stp_induction_50hz"))
            .collect();
        assert_eq!(
            Some(*stats),
            synphys_report::box_stats(&values),
            "layer {layer}"
        );
    }

    // The simulation: the same parameters and seed give the same mean.
    let sim = report.simulation.as_ref().unwrap();
    assert_eq!(sim.spike_times_s, TUTORIAL_SPIKE_TIMES_S);
    let model = ReleaseModel::new(sim.params);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(options.seed_value());
    let trials: Vec<Vec<f64>> = (0..options.trial_count())
        .map(|_| {
            model
                .random(&TUTORIAL_SPIKE_TIMES_S, &mut rng)
                .unwrap()
                .amplitudes()
        })
        .collect();
    // The mean trace, computed here independently of the report's helper.
    let independent_mean: Vec<f64> = (0..TUTORIAL_SPIKE_TIMES_S.len())
        .map(|j| trials.iter().map(|t| t[j]).sum::<f64>() / trials.len() as f64)
        .collect();
    assert_eq!(sim.mean_amplitude_v.len(), independent_mean.len());
    for (ours, theirs) in sim.mean_amplitude_v.iter().zip(&independent_mean) {
        assert!(
            (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1e-9),
            "{ours} vs {theirs}"
        );
    }
    // The parameters are the pair's stored ones.
    let stored = db
        .sql(&format!("SELECT ml_base_release_probability, ml_mini_amplitude FROM synapse_model WHERE pair_id = {}", sim.pair_id))
        .unwrap();
    assert_eq!(
        stored.f64s("ml_base_release_probability").unwrap()[0],
        Some(sim.params.base_release_probability())
    );
    assert_eq!(
        stored.f64s("ml_mini_amplitude").unwrap()[0],
        Some(sim.params.mini_amplitude())
    );
}

/// The fit against a search of the same events on the same grid.
fn check_fit(db: &SynphysDb, report: &TutorialReport) {
    let fit = report.fit.as_ref().unwrap();
    let (times, amplitudes, stdev) = match fit.source {
        EventSource::Database => {
            let events = db.synapse_events(&PairRef::Id(fit.pair_id)).unwrap();
            (
                events.spike_times_s,
                events.amplitudes_v,
                events.measurement_stdev_v,
            )
        }
        EventSource::Simulated => {
            let sim = report.simulation.as_ref().unwrap();
            assert_eq!(fit.pair_id, sim.pair_id);
            let times = synphys_release_model::train_protocol(
                &[10.0, 20.0, 50.0, 100.0],
                &[0.25, 1.0],
                2,
                15.0,
            );
            let mut rng = rand_pcg::Pcg64::seed_from_u64(sim.seed + 1);
            let amplitudes = ReleaseModel::new(sim.params)
                .random(&times, &mut rng)
                .unwrap()
                .amplitudes();
            (times, amplitudes, sim.params.measurement_stdev())
        }
    };
    assert_eq!(
        (fit.n_events, fit.measurement_stdev_v),
        (times.len(), stdev)
    );
    let space = synphys_report::tutorial_fit_space(stdev).unwrap();
    assert_eq!(fit.grid_points, space.len());
    let result = Search::new(&space, &times, &amplitudes).run().unwrap();
    let best = result.best().unwrap();
    assert_eq!((fit.best, fit.best_score), (best.params, best.score));
    assert_eq!(fit.marginals.len(), space.axes().len());
    for row in &fit.marginals {
        let total: f64 = row.probability.iter().sum();
        assert!(
            (total - 1.0).abs() < 1e-9,
            "{} marginal sums to {total}",
            row.parameter
        );
    }
}

/// The page: self-contained, every figure inline, every SVG file a parsable figure.
fn check_page(dir: &Path, report: &TutorialReport, database_words: &str) {
    let html = std::fs::read_to_string(&report.index_html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(
        html.contains(database_words),
        "the page says which database: {database_words}"
    );
    assert!(!html.contains("<script"));
    // No network: the only URL is the SVG namespace.
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    let svgs: Vec<_> = report
        .files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert_eq!(
        svgs.len(),
        8,
        "latency, connectivity, two profiles, histogram, box, trials, marginals"
    );
    assert_eq!(html.matches("<svg").count(), svgs.len());
    for svg in &svgs {
        let text = std::fs::read_to_string(svg).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let texts = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .count();
        assert!(
            texts > 5,
            "{} has its title, labels and ticks",
            svg.display()
        );
        assert!(synphys_plot::csv_path(svg).exists());
        let name = svg.file_name().unwrap().to_string_lossy().to_string();
        assert!(html.contains(&format!("href=\"{name}\"")));
    }
    for file in &report.files {
        assert!(file.starts_with(dir) && file.exists(), "{}", file.display());
    }
    // The connectivity heatmap annotates every class pair.
    let matrix = std::fs::read_to_string(dir.join("connectivity_matrix.svg")).unwrap();
    let doc = roxmltree::Document::parse(&matrix).unwrap();
    let annotations = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text())
        .filter(|t| {
            let parts: Vec<&str> = t.trim().split('/').collect();
            parts.len() == 2 && parts.iter().all(|p| p.parse::<u64>().is_ok())
        })
        .count();
    assert_eq!(annotations, 17 * 17);
}

#[test]
fn report_on_the_fixture_shows_the_library_numbers() {
    let db = SynphysDb::open(FIXTURE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = TutorialOptions::new(dir.path()).trials(40).seed(3);
    let mut steps = Vec::new();
    let report = run_tutorial(&db, &options, |s| steps.push(s.to_string())).unwrap();
    assert_eq!(steps.len(), synphys_report::STEP_COUNT);
    assert!(steps[0].starts_with("step 1/8"));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert!(report.database.synthetic);
    check_numbers(&db, &report, &options);
    // The fixture has per-event tables for a few synapses: the fit uses recorded events.
    assert_eq!(report.fit.as_ref().unwrap().source, EventSource::Database);
    check_fit(&db, &report);
    check_page(dir.path(), &report, "synthetic demo database");
}

#[test]
fn report_on_a_small_demo_shows_the_library_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    synphys_demo::write(
        &path,
        &synphys_demo::DemoConfig::new(synphys_demo::Scale::Small).seed(11),
    )
    .unwrap();
    let db = SynphysDb::open(&path).unwrap();
    let out = dir.path().join("report");
    let options = TutorialOptions::new(&out).trials(30);
    let report = run_tutorial(&db, &options, |_| {}).unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    check_numbers(&db, &report, &options);
    check_fit(&db, &report);
    check_page(&out, &report, "synthetic demo database");
    if report.fit.as_ref().unwrap().source == EventSource::Simulated {
        let html = std::fs::read_to_string(&report.index_html).unwrap();
        assert!(html.contains("because the file has no per-event tables"));
    }
}

#[test]
fn options_out_of_range_are_refused_before_anything_is_written() {
    let db = SynphysDb::open(FIXTURE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = run_tutorial(&db, &TutorialOptions::new(dir.path()).trials(0), |_| {}).unwrap_err();
    assert!(err.to_string().contains("trials"), "{err}");
    let err = run_tutorial(
        &db,
        &TutorialOptions::new(dir.path()).profile_bins(0.0, 1e-4),
        |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("profile_bins"), "{err}");
    // Nothing written for refused options.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
