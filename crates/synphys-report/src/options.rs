//! What [`crate::run_tutorial`] computes and where it writes.

use std::path::{Path, PathBuf};

/// The tutorial's spike train for the release-model simulation (seconds).
pub const TUTORIAL_SPIKE_TIMES_S: [f64; 11] = [
    0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52,
];

/// Options of [`crate::run_tutorial`], built from the output directory.
///
/// ```
/// use synphys_report::TutorialOptions;
///
/// let options = TutorialOptions::new("report").seed(7).trials(100).threads(2);
/// assert_eq!(options.out_dir(), std::path::Path::new("report"));
/// assert_eq!(options.trial_count(), 100);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TutorialOptions {
    out_dir: PathBuf,
    seed: u64,
    trials: usize,
    histogram_bins: usize,
    profile_bin_m: f64,
    profile_max_m: f64,
    threads: usize,
    png: bool,
}

impl TutorialOptions {
    /// Writes the report into `out_dir` (created when missing): 500 simulated trials,
    /// seed 0, 20 histogram bins, 20 µm profile bins up to 500 µm, all cores for the fit.
    pub fn new(out_dir: impl Into<PathBuf>) -> TutorialOptions {
        TutorialOptions {
            out_dir: out_dir.into(),
            seed: 0,
            trials: 500,
            histogram_bins: 20,
            profile_bin_m: 20e-6,
            profile_max_m: 500e-6,
            threads: 0,
            png: false,
        }
    }

    /// Seed of every random draw (simulated trials; simulated events when the file has
    /// none).
    pub fn seed(mut self, seed: u64) -> TutorialOptions {
        self.seed = seed;
        self
    }

    /// Number of release-model trials simulated (the tutorial's 500).
    pub fn trials(mut self, trials: usize) -> TutorialOptions {
        self.trials = trials;
        self
    }

    /// Number of bins of the amplitude histogram.
    pub fn histogram_bins(mut self, bins: usize) -> TutorialOptions {
        self.histogram_bins = bins;
        self
    }

    /// Width and extent (metres) of the distance-profile bins; pairs farther apart
    /// laterally than `max_m` are left out, as in the tutorial.
    pub fn profile_bins(mut self, width_m: f64, max_m: f64) -> TutorialOptions {
        self.profile_bin_m = width_m;
        self.profile_max_m = max_m;
        self
    }

    /// Threads of the release-model fit (0: all cores).
    pub fn threads(mut self, threads: usize) -> TutorialOptions {
        self.threads = threads;
        self
    }

    /// Also write every figure as PNG (beside its SVG; the page inlines the SVG).
    pub fn png(mut self, png: bool) -> TutorialOptions {
        self.png = png;
        self
    }

    /// The output directory.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The seed.
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    /// The number of simulated trials.
    pub fn trial_count(&self) -> usize {
        self.trials
    }

    pub(crate) fn writes_png(&self) -> bool {
        self.png
    }

    pub(crate) fn histogram_bin_count(&self) -> usize {
        self.histogram_bins
    }

    /// Profile bin edges (metres): 0, width, 2·width, … up to the extent.
    pub(crate) fn profile_edges_m(&self) -> Vec<f64> {
        let n = (self.profile_max_m / self.profile_bin_m).round().max(1.0) as usize;
        (0..=n).map(|i| i as f64 * self.profile_bin_m).collect()
    }

    pub(crate) fn profile_max_m(&self) -> f64 {
        self.profile_max_m
    }

    pub(crate) fn thread_count(&self) -> usize {
        self.threads
    }

    pub(crate) fn check(&self) -> crate::Result<()> {
        let invalid = |option: &'static str, reason: &str| -> crate::Error {
            crate::ErrorKind::InvalidOption {
                option,
                reason: reason.to_string(),
            }
            .into()
        };
        if self.trials == 0 {
            return Err(invalid(
                "trials",
                "give at least one trial (the tutorial runs 500)",
            ));
        }
        if self.histogram_bins == 0 {
            return Err(invalid(
                "histogram_bins",
                "give at least one bin (default 20)",
            ));
        }
        if !(self.profile_bin_m > 0.0 && self.profile_max_m >= self.profile_bin_m) {
            return Err(invalid(
                "profile_bins",
                "give a positive bin width no larger than the extent (default 20 µm up to 500 µm)",
            ));
        }
        Ok(())
    }
}
