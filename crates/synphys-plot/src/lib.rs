//! Figures of the Synaptic Physiology tutorial — class × class heatmaps, distance
//! profiles, histograms, box plots, release-model trials and fit marginals — drawn from
//! plain numbers as SVG or PNG (chosen by the file extension), each written with the CSV
//! of exactly what it draws.
//!
//! Text in PNGs is rendered with an embedded DejaVu Sans, so no system font is needed;
//! in SVGs it stays selectable `<text>`. Inputs are SI (metres, seconds, volts); a
//! [`Unit`] says how an axis shows them. Beside every image `FILE` the figure writes
//! `FILE.csv` ([`csv_path`]).
//!
//! # Example: a connectivity heatmap
//!
//! ```
//! use synphys_plot::{ColourScale, Heatmap};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let classes = vec!["Excit.".to_string(), "Pvalb".to_string(), "Sst".to_string()];
//! let (connected, probed) = ([[3, 5, 1], [8, 12, 2], [4, 3, 0]], [[60, 40, 20], [30, 25, 10], [20, 15, 0]]);
//! let mut values = Vec::new();
//! let mut notes = Vec::new();
//! for (c, n) in connected.iter().zip(&probed) {
//!     values.push(c.iter().zip(n).map(|(c, n)| (*n > 0).then(|| *c as f64 / *n as f64)).collect());
//!     notes.push(c.iter().zip(n).map(|(c, n)| format!("{c}/{n}")).collect());
//! }
//! let heatmap = Heatmap::new("Connection probability (mouse)", classes.clone(), classes, values)
//!     .annotations(notes)
//!     .colour_scale(ColourScale::Log)
//!     .range(0.01, 1.0)
//!     .colour_label("connection probability");
//! let dir = tempfile::tempdir()?;
//! for name in ["matrix.svg", "matrix.png"] {
//!     let written = synphys_plot::write_heatmap(dir.path().join(name), &heatmap)?;
//!     assert!(written.image.exists() && written.csv.exists());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Example: 500 release-model trials
//!
//! ```
//! use synphys_plot::ReleaseTrials;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spikes_s = vec![0.1, 0.11, 0.12, 0.14];
//! let trials_v: Vec<Vec<f64>> = (0..500)
//!     .map(|i| spikes_s.iter().enumerate().map(|(k, _)| 1e-3 * ((i * 7 + k * 3) % 10) as f64 / 10.0).collect())
//!     .collect();
//! let mean_v: Vec<f64> = (0..spikes_s.len())
//!     .map(|k| trials_v.iter().map(|t| t[k]).sum::<f64>() / trials_v.len() as f64)
//!     .collect();
//! let figure = ReleaseTrials::new("Release model: 500 trials", spikes_s, trials_v, mean_v);
//! let dir = tempfile::tempdir()?;
//! synphys_plot::write_release_trials(dir.path().join("trials.svg"), &figure)?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod boxplot;
mod canvas;
mod error;
mod heatmap;
mod histogram;
mod marginals;
mod profile;
mod style;
mod trials;

pub use boxplot::{BoxGroup, BoxPlot, write_box_plot};
pub use canvas::{Format, Written, csv_path};
pub use error::{Error, ErrorKind, Result};
pub use heatmap::{ColourScale, Heatmap, write_heatmap};
pub use histogram::{Histogram, HistogramBin, write_histogram};
pub use marginals::{MarginalPanel, Marginals, write_marginals};
pub use profile::{DistanceProfilePlot, FittedCurve, ProfileBin, write_distance_profile};
pub use style::Unit;
pub use trials::{ReleaseTrials, write_release_trials};
