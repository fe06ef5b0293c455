//! What to write (scale, seed, truth) and what was written (summary, progress).

use serde::Serialize;

use crate::truth::{Species, Truth};

/// The seed used unless another is given: the year the dataset's paper appeared.
pub const DEFAULT_SEED: u64 = 2022;

/// How much data to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// A hand-checkable handful: 7 mouse experiments (one outside the standard projects)
    /// and 2 human ones, every table filled, per-event rows for a few synapses. The scale
    /// of the committed fixture `fixtures/demo_tiny.sqlite`.
    Tiny,
    /// The order of magnitude of the public "small" file: ~1,700 mouse and ~200 human
    /// experiments, no per-event rows.
    Small,
    /// `Small` plus the per-event tables for at least 100 synapses with at least 400
    /// events each.
    Medium,
}

impl Scale {
    /// `"tiny"`, `"small"` or `"medium"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Tiny => "tiny",
            Scale::Small => "small",
            Scale::Medium => "medium",
        }
    }

    /// Experiments of a species in the standard projects, from the truth file's counts.
    pub(crate) fn experiments(self, truth: &Truth, species: Species) -> usize {
        match (self, species) {
            (Scale::Tiny, Species::Mouse) => 6,
            (Scale::Tiny, Species::Human) => 2,
            (_, s) => truth.species(s).experiments,
        }
    }

    /// Mouse experiments outside the standard projects (so filters have something to
    /// exclude).
    pub(crate) fn other_project_experiments(self) -> usize {
        match self {
            Scale::Tiny => 1,
            Scale::Small | Scale::Medium => 30,
        }
    }

    /// Whether the file has the per-event tables: like the published files, a small
    /// database leaves them out entirely.
    pub(crate) fn has_event_tables(self) -> bool {
        self != Scale::Small
    }

    /// How many synapses get per-event table rows, and the least number of
    /// current-clamp events each.
    pub(crate) fn event_tables(self) -> (usize, usize) {
        match self {
            Scale::Tiny => (3, 60),
            Scale::Small => (0, 0),
            Scale::Medium => (120, 400),
        }
    }

    /// Multiplies the gap-junction and polysynapse probabilities: at the tiny scale they
    /// are raised so the fixture has a few of each (the truth holds for the other scales).
    pub(crate) fn rare_event_boost(self) -> f64 {
        match self {
            Scale::Tiny => 10.0,
            Scale::Small | Scale::Medium => 1.0,
        }
    }

    /// SQLite page size: small pages keep the tiny fixture small (every table and index
    /// takes at least one page).
    pub(crate) fn page_size(self) -> u32 {
        match self {
            Scale::Tiny => 1024,
            Scale::Small | Scale::Medium => 4096,
        }
    }

    /// Least current-clamp events simulated for the dynamics of a synapse without
    /// per-event rows (fewer than the event tables' synapses, for speed).
    pub(crate) fn dynamics_events(self) -> usize {
        120
    }
}

impl std::fmt::Display for Scale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Scale {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Scale> {
        match s.to_ascii_lowercase().as_str() {
            "tiny" => Ok(Scale::Tiny),
            "small" => Ok(Scale::Small),
            "medium" => Ok(Scale::Medium),
            _ => Err(crate::ErrorKind::Invalid(format!(
                "scale {s:?} is not one of tiny, small, medium"
            ))
            .into()),
        }
    }
}

/// What to write: scale, seed, whether to overwrite, and the truth to draw from.
///
/// # Example
///
/// ```
/// use synphys_demo::{DemoConfig, Scale};
///
/// let config = DemoConfig::new(Scale::Small).seed(7).overwrite(true);
/// assert_eq!(config.get_seed(), 7);
/// assert_eq!(DemoConfig::new(Scale::Tiny).get_seed(), synphys_demo::DEFAULT_SEED);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    pub(crate) scale: Scale,
    pub(crate) seed: u64,
    pub(crate) overwrite: bool,
    pub(crate) truth: Truth,
}

impl DemoConfig {
    /// A configuration of `scale` with [`DEFAULT_SEED`], no overwriting and the embedded
    /// truth.
    pub fn new(scale: Scale) -> DemoConfig {
        DemoConfig {
            scale,
            seed: DEFAULT_SEED,
            overwrite: false,
            truth: Truth::default(),
        }
    }

    /// Sets the seed of every random draw.
    pub fn seed(mut self, seed: u64) -> DemoConfig {
        self.seed = seed;
        self
    }

    /// Whether an existing file at the output path may be replaced.
    pub fn overwrite(mut self, overwrite: bool) -> DemoConfig {
        self.overwrite = overwrite;
        self
    }

    /// Draws from another truth (e.g. an edited copy of the embedded file, parsed with
    /// [`Truth::from_toml`]).
    pub fn truth(mut self, truth: Truth) -> DemoConfig {
        self.truth = truth;
        self
    }

    /// The scale.
    pub fn get_scale(&self) -> Scale {
        self.scale
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// The truth drawn from.
    pub fn get_truth(&self) -> &Truth {
        &self.truth
    }
}

/// Counts of what was written, for the CLI to print.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// Slices.
    pub slices: usize,
    /// Experiments (all projects).
    pub experiments: usize,
    /// Cells.
    pub cells: usize,
    /// Ordered cell pairs.
    pub pairs: usize,
    /// Pairs probed for the presynaptic cell's type (matching test-spike count > 10).
    pub probed_pairs: usize,
    /// Chemical synapses (rows of `synapse`).
    pub synapses: usize,
    /// Electrically coupled cell pairs (unordered; each has two `has_electrical` pairs).
    pub gap_junctions: usize,
    /// Polysynaptic connections (rows of `poly_synapse`).
    pub polysynapses: usize,
    /// Synapses with per-event table rows.
    pub event_synapses: usize,
    /// Pulse responses written (rows of `pulse_response`).
    pub events: usize,
}

/// The stage a write is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Drawing slices, experiments, cells, pairs and synapses.
    Drawing,
    /// Simulating each synapse's events and computing its dynamics.
    Simulating,
    /// Inserting rows into the database.
    Writing,
    /// The file is complete and in place.
    Done,
}

/// A progress report: `done` of `total` units of `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Units done (experiments, synapses or tables).
    pub done: usize,
    /// Units in the stage.
    pub total: usize,
}
