//! Runs the Synaptic Physiology tutorial end to end on a database and writes one
//! self-contained HTML report (figures and tables inline, no script, no network) with
//! every figure and CSV beside it.
//!
//! The steps, in the tutorial's order: the first pair query (human excitatory
//! synapses), the latency matrix, the connectivity matrix with distance-adjusted
//! probabilities, the E→E and E→I lateral-distance profiles with Gaussian fits, the
//! PSP amplitude histogram, the STP box plot by layer, 500 release-model trials of one
//! synapse's maximum-likelihood parameters, and a release-model fit of one synapse's
//! events on a reduced grid ([`tutorial_fit_space`]; events simulated from that
//! synapse's parameters when the file has no per-event tables, and the report says so).
//! [`TutorialReport`] holds every number the page shows.
//!
//! # Example: the report of the committed demo fixture
//!
//! ```
//! use synphys_query::SynphysDb;
//! use synphys_report::{TutorialOptions, run_tutorial};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
//! let dir = tempfile::tempdir()?;
//! let options = TutorialOptions::new(dir.path()).trials(50);
//! let report = run_tutorial(&db, &options, |step| eprintln!("{step}"))?;
//! assert!(report.database.synthetic);
//! assert!(report.index_html.exists());
//! if let Some(q) = &report.first_query {
//!     println!("{} human excitatory synapses", q.n_synapses);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Example: the small computations behind the figures
//!
//! ```
//! let bins = synphys_report::histogram(&[0.1e-3, 0.2e-3, 0.25e-3, 0.9e-3], 4);
//! assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 4);
//! let stats = synphys_report::box_stats(&[0.1, -0.2, 0.3]).ok_or("empty")?;
//! assert_eq!(stats.median, 0.1);
//! # Ok::<(), &str>(())
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod error;
mod figures;
mod html;
mod options;
mod release;
mod report;
mod stats;
mod tutorial;

pub use error::{Error, ErrorKind, Result};
pub use figures::{connectivity_heatmap, profile_bins};
pub use options::{TUTORIAL_SPIKE_TIMES_S, TutorialOptions};
pub use release::tutorial_fit_space;
pub use report::{
    BoxStep, ConnectivityCell, ConnectivityStep, DatabaseSummary, EventSource, FirstQuery, FitStep,
    HistogramStep, LatencyMatrix, MarginalRow, ProfileBinRow, ProfileStep, SimulationStep,
    SkippedStep, TutorialReport,
};
pub use stats::{BoxStats, HistogramBin, box_stats, column_mean_std, histogram};

use synphys_query::SynphysDb;

use crate::report::SkippedStep as Skipped;
use crate::tutorial::{Runner, create_dir};

/// The number of steps [`run_tutorial`] reports progress for.
pub const STEP_COUNT: usize = 8;

/// Keeps a step's result, or records why it was skipped. A step is skipped when the
/// database lacks its data (or a table, column or class it needs); failures writing
/// the report stop the run.
fn keep<T>(skipped: &mut Vec<Skipped>, step: &str, result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::Io { .. } | ErrorKind::Plot(_) | ErrorKind::InvalidOption { .. }
            ) =>
        {
            Err(e)
        }
        Err(e) => {
            skipped.push(Skipped {
                step: step.to_string(),
                reason: e.to_string(),
            });
            Ok(None)
        }
    }
}

/// Runs the tutorial's steps in order on `db`, writes every figure (SVG), its CSV and
/// `index.html` into the options' output directory, and returns the numbers shown.
/// `progress` is told of each step as it starts (e.g. to print it on stderr).
///
/// # Errors
///
/// Invalid options, or a failure creating the directory or writing a file. A step the
/// database has no data for is skipped and listed in [`TutorialReport::skipped`] (and
/// on the page) rather than failing the run.
pub fn run_tutorial(
    db: &SynphysDb,
    options: &TutorialOptions,
    mut progress: impl FnMut(&str),
) -> Result<TutorialReport> {
    options.check()?;
    create_dir(options.out_dir())?;
    let origin = db.metadata().origin.clone();
    let database = DatabaseSummary {
        path: db.path().to_path_buf(),
        synthetic: origin.to_ascii_lowercase().contains("synthetic"),
        origin,
    };
    let mut runner = Runner {
        db,
        options,
        files: Vec::new(),
    };
    let mut skipped = Vec::new();
    let mut step = |n: usize, what: &str| progress(&format!("step {n}/{STEP_COUNT}: {what}"));

    step(1, "first query (human excitatory synapses)");
    let human = keep(&mut skipped, "1. first query", runner.human_synapses())?;
    let first_query = match &human {
        Some(frame) => keep(&mut skipped, "1. first query", runner.first_query(frame))?,
        None => None,
    };
    step(2, "latency matrix (mouse, layer 2/3 classes)");
    let latency = keep(&mut skipped, "2. latency matrix", runner.latency())?;
    step(
        3,
        "connectivity matrix (mouse, 17 classes, distance-adjusted)",
    );
    let connectivity = keep(
        &mut skipped,
        "3. connectivity matrix",
        runner.connectivity(),
    )?;
    step(4, "E→E and E→I distance profiles with Gaussian fits");
    let mut profiles = Vec::new();
    for (label, post) in [("E→E", "ex"), ("E→I", "in")] {
        let file = html::profile_file(label);
        if let Some(p) = keep(
            &mut skipped,
            &format!("4. {label} distance profile"),
            runner.profile(label, post, &file),
        )? {
            profiles.push(p);
        }
    }
    step(5, "PSP amplitude histogram");
    let amplitude_histogram = match &human {
        Some(frame) => keep(
            &mut skipped,
            "5. amplitude histogram",
            runner.amplitude_histogram(frame),
        )?,
        None => None,
    };
    step(6, "STP box plot by layer");
    let stp_by_layer = match &human {
        Some(frame) => keep(&mut skipped, "6. STP box plot", runner.stp_by_layer(frame))?,
        None => None,
    };
    step(
        7,
        "release-model simulation (trials of one synapse's ML parameters)",
    );
    // The tutorial picks a human synapse; any synapse with parameters will do after that.
    let any_synapse = keep(
        &mut skipped,
        "7. release-model simulation",
        runner.any_synapses(),
    )?;
    let frames: Vec<&synphys_query::Frame> = human.iter().chain(any_synapse.iter()).collect();
    let simulation = keep(
        &mut skipped,
        "7. release-model simulation",
        runner.simulation(&frames),
    )?;
    step(8, "release-model fit on a reduced grid");
    let fit = keep(
        &mut skipped,
        "8. release-model fit",
        runner.fit(simulation.as_ref()),
    )?;

    let index_html = options.out_dir().join("index.html");
    let mut report = TutorialReport {
        database,
        first_query,
        latency,
        connectivity,
        profiles,
        amplitude_histogram,
        stp_by_layer,
        simulation,
        fit,
        skipped,
        files: runner.files,
        index_html: index_html.clone(),
    };
    html::write_index(options.out_dir(), &report)?;
    report.files.push(index_html);
    Ok(report)
}
