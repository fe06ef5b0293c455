//! The numbers the report shows, step by step (SI units).

use std::path::PathBuf;

use serde::Serialize;
use synphys_release_model::ReleaseParams;

use crate::stats::{BoxStats, HistogramBin};

/// Everything [`crate::run_tutorial`] computed and wrote. Steps without data in the
/// database are `None` and listed in [`TutorialReport::skipped`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TutorialReport {
    /// The database the tutorial ran on.
    pub database: DatabaseSummary,
    /// Step 1: human excitatory synapses (the tutorial's first query).
    pub first_query: Option<FirstQuery>,
    /// Step 2: mean latency by class pair (mouse synapses, layer 2/3 classes).
    pub latency: Option<LatencyMatrix>,
    /// Step 3: connection probability by class pair (mouse probed pairs, 17 classes).
    pub connectivity: Option<ConnectivityStep>,
    /// Step 4: E→E and E→I lateral-distance profiles with Gaussian fits.
    pub profiles: Vec<ProfileStep>,
    /// Step 5: histogram of the human excitatory synapses' PSP amplitudes.
    pub amplitude_histogram: Option<HistogramStep>,
    /// Step 6: 50 Hz STP induction of the human excitatory synapses by presynaptic layer.
    pub stp_by_layer: Option<BoxStep>,
    /// Step 7: release-model trials of one synapse's maximum-likelihood parameters.
    pub simulation: Option<SimulationStep>,
    /// Step 8: a release-model fit on one synapse's events, on a reduced grid.
    pub fit: Option<FitStep>,
    /// Steps that had no data, with the reason.
    pub skipped: Vec<SkippedStep>,
    /// Every file written (figures, their CSVs, tables), `index.html` last.
    pub files: Vec<PathBuf>,
    /// The report page.
    pub index_html: PathBuf,
}

/// Which database the tutorial ran on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseSummary {
    /// The file.
    pub path: PathBuf,
    /// The metadata row's `origin`.
    pub origin: String,
    /// Whether the metadata says the data are synthetic (a demo database).
    pub synthetic: bool,
}

/// A step left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedStep {
    /// The step's title.
    pub step: String,
    /// Why (the library's message).
    pub reason: String,
}

/// Step 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstQuery {
    /// Rows of the query (ordered pairs with an excitatory synapse, human, standard
    /// multipatch).
    pub n_synapses: usize,
    /// Columns of the preview table.
    pub preview_columns: Vec<String>,
    /// The first rows as shown.
    pub preview_rows: Vec<Vec<String>>,
}

/// Step 2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyMatrix {
    /// Rows of the mouse synapse query.
    pub n_synapses: usize,
    /// Presynaptic classes (rows).
    pub pre_names: Vec<String>,
    /// Postsynaptic classes (columns).
    pub post_names: Vec<String>,
    /// Mean `synapse.latency` (seconds) per class pair, `None` without values.
    pub mean_latency_s: Vec<Vec<Option<f64>>>,
    /// Number of latencies averaged per class pair.
    pub counts: Vec<Vec<usize>>,
}

/// One class pair of step 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectivityCell {
    /// Presynaptic class.
    pub pre: String,
    /// Postsynaptic class.
    pub post: String,
    /// Probed pairs.
    pub n_probed: u64,
    /// Connected pairs.
    pub n_connected: u64,
    /// Connected / probed (NaN when none probed).
    pub probability: f64,
    /// 95 % Clopper–Pearson interval, lower end.
    pub ci_lower: f64,
    /// 95 % Clopper–Pearson interval, upper end.
    pub ci_upper: f64,
    /// Distance-adjusted probability (Gaussian, σ = 100 µm, lateral distance) and its
    /// interval, when the pairs have distances.
    pub adjusted: Option<[f64; 3]>,
}

/// Step 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectivityStep {
    /// Rows of the mouse probed-pair query.
    pub n_pairs: usize,
    /// Presynaptic classes (rows).
    pub pre_names: Vec<String>,
    /// Postsynaptic classes (columns).
    pub post_names: Vec<String>,
    /// Every class pair, row by row.
    pub cells: Vec<ConnectivityCell>,
}

/// One bin of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProfileBinRow {
    /// Lower edge (m).
    pub lower_m: f64,
    /// Upper edge (m).
    pub upper_m: f64,
    /// Probed pairs in the bin.
    pub n_probed: u64,
    /// Connected pairs in the bin.
    pub n_connected: u64,
    /// Connected / probed (NaN when none).
    pub probability: f64,
    /// 95 % interval, lower end.
    pub ci_lower: f64,
    /// 95 % interval, upper end.
    pub ci_upper: f64,
}

/// Step 4, for one cell-class mask.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileStep {
    /// `E→E` or `E→I`.
    pub label: String,
    /// Probed pairs with a lateral distance below the extent.
    pub n_probed: usize,
    /// Of which connected.
    pub n_connected: usize,
    /// Fitted Gaussian pmax.
    pub pmax: f64,
    /// Fitted Gaussian σ (m).
    pub sigma_m: f64,
    /// Negative log-likelihood of the fit.
    pub nll: f64,
    /// The binned profile.
    pub bins: Vec<ProfileBinRow>,
}

/// Step 5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistogramStep {
    /// The column (`synapse.psp_amplitude`, volts).
    pub column: String,
    /// Finite values counted.
    pub n_values: usize,
    /// The bins (volts).
    pub bins: Vec<HistogramBin>,
}

/// Step 6.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxStep {
    /// The metric column.
    pub column: String,
    /// The grouping column.
    pub by: String,
    /// Each group (layer) with values, in label order.
    pub groups: Vec<(String, BoxStats)>,
}

/// Step 7.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationStep {
    /// The pair whose `synapse_model.ml_*` parameters were used.
    pub pair_id: i64,
    /// The parameters.
    pub params: ReleaseParams,
    /// The spike train (s).
    pub spike_times_s: Vec<f64>,
    /// Trials simulated.
    pub n_trials: usize,
    /// Seed of the trials.
    pub seed: u64,
    /// Mean amplitude after each spike (V).
    pub mean_amplitude_v: Vec<f64>,
}

/// Where the fitted events came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventSource {
    /// The database's per-event tables (DESIGN §7a).
    Database,
    /// Simulated from the step-7 synapse's parameters, because the file has no
    /// per-event tables.
    Simulated,
}

/// Step 8.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitStep {
    /// The pair whose events (or parameters) were used.
    pub pair_id: i64,
    /// Where the events came from.
    pub source: EventSource,
    /// Events fitted.
    pub n_events: usize,
    /// Measurement noise (V) fixed in the grid.
    pub measurement_stdev_v: f64,
    /// Grid points searched.
    pub grid_points: usize,
    /// The best point (mini amplitude as optimised).
    pub best: ReleaseParams,
    /// Its score.
    pub best_score: f64,
    /// Marginal probability per axis value.
    pub marginals: Vec<MarginalRow>,
    /// Wall time of the search (seconds; informative only).
    pub seconds: f64,
}

/// The marginal distribution of one grid axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginalRow {
    /// Parameter name.
    pub parameter: String,
    /// Grid values.
    pub values: Vec<f64>,
    /// Marginal probability of each.
    pub probability: Vec<f64>,
}
