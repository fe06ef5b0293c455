//! Stochastic synaptic release model of the Allen Institute Synaptic Physiology Dataset:
//! simulate a synapse's responses to any spike train, score recorded responses, fit the
//! mini amplitude, and search the whole parameter space fast, in parallel and in shards.
//!
//! The model (DESIGN §7): each presynaptic spike releases k of the N available vesicles,
//! k ~ Binomial(N, p), and the response is Normal(k·q, √((q·cv)²·k + σ²)); the release
//! probability p follows short-term depression and facilitation, or the vesicle pool
//! depletes (depression_amount = −1). A run's score is `exp(mean(ln(L + 0.1)))` over its
//! events. Units are SI: seconds and volts.
//!
//! # Example: simulate a synapse (the dataset tutorial)
//!
//! 500 random trials of the tutorial's spike train with the maximum-likelihood
//! parameters of a human excitatory synapse, and the mean amplitude after each spike:
//!
//! ```
//! use rand::SeedableRng;
//! use synphys_release_model::{ReleaseModel, ReleaseParams};
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let params = ReleaseParams::builder()
//!         .n_release_sites(3)
//!         .base_release_probability(0.762698585902344)
//!         .mini_amplitude(0.000333520496496931)
//!         .mini_amplitude_cv(0.251188643150958)
//!         .depression_amount(0.125)
//!         .depression_tau(0.107672015410588)
//!         .facilitation_amount(0.375)
//!         .facilitation_tau(2.56)
//!         .measurement_stdev(8.62167096775792e-05)
//!         .build()?;
//!     let model = ReleaseModel::new(params);
//!     let spike_times = [0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52];
//!
//!     let mut rng = rand_pcg::Pcg64::seed_from_u64(0);
//!     let n_trials = 500;
//!     let mut mean = vec![0.0; spike_times.len()];
//!     for _ in 0..n_trials {
//!         let run = model.random(&spike_times, &mut rng)?;
//!         for (m, a) in mean.iter_mut().zip(run.amplitudes()) {
//!             *m += a / n_trials as f64;
//!         }
//!     }
//!     for (t, m) in spike_times.iter().zip(&mean) {
//!         println!("{:5.0} ms  {:.3} mV", t * 1e3, m * 1e3);
//!     }
//!     // The first response averages n·Pr·q ≈ 0.76 mV.
//!     assert!((mean[0] - 0.763e-3).abs() < 0.05e-3);
//!     Ok(())
//! }
//! ```
//!
//! # Example: score recorded events and fit the mini amplitude
//!
//! ```
//! # use rand::SeedableRng;
//! use synphys_release_model::{ReleaseModel, ReleaseParams, train_protocol};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let truth = ReleaseParams::builder()
//!     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
//!     .mini_amplitude_cv(0.2).depression_amount(0.2).depression_tau(0.1)
//!     .facilitation_amount(0.1).facilitation_tau(0.5).measurement_stdev(0.05e-3)
//!     .build()?;
//! let times = train_protocol(&[50.0], &[0.25, 1.0], 10, 15.0);
//! let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
//! let amplitudes = ReleaseModel::new(truth).random(&times, &mut rng)?.amplitudes();
//!
//! let run = ReleaseModel::new(truth).likelihood(&times, &amplitudes)?;
//! println!("score at the truth: {:.1}", run.score().unwrap_or(f64::NAN));
//!
//! let fit = ReleaseModel::new(truth).optimize_mini_amplitude(&times, &amplitudes)?;
//! assert!((fit.params.mini_amplitude() / 0.3e-3 - 1.0).abs() < 0.1);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: search a parameter space, in shards
//!
//! ```
//! # use rand::SeedableRng;
//! use synphys_release_model::{Param, ParamSpace, ReleaseModel, ReleaseParams, Search, ShardResult};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let truth = ReleaseParams::builder()
//! #     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
//! #     .mini_amplitude_cv(0.2).depression_amount(0.0).depression_tau(0.1)
//! #     .facilitation_amount(0.0).facilitation_tau(0.5).measurement_stdev(0.05e-3)
//! #     .build()?;
//! # let times: Vec<f64> = (0..300).map(|i| i as f64).collect();
//! # let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
//! # let amplitudes = ReleaseModel::new(truth).random(&times, &mut rng)?.amplitudes();
//! // The full default grid is `ParamSpace::default_grid(measurement_stdev)`.
//! let space = ParamSpace::builder()
//!     .axis(Param::NReleaseSites, vec![1.0, 2.0, 4.0])
//!     .axis(Param::BaseReleaseProbability, vec![0.25, 0.5, 1.0])
//!     .axis(Param::MiniAmplitudeCv, vec![0.1, 0.2, 0.4])
//!     .fixed(Param::DepressionAmount, 0.0)
//!     .fixed(Param::DepressionTau, 0.1)
//!     .fixed(Param::FacilitationAmount, 0.0)
//!     .fixed(Param::FacilitationTau, 0.5)
//!     .fixed(Param::MeasurementStdev, 0.05e-3)
//!     .build()?;
//!
//! // Each machine of a cluster runs one shard and writes it to a file...
//! let dir = std::env::temp_dir();
//! let mut paths = Vec::new();
//! for i in 0..2 {
//!     let path = dir.join(format!("doc-shard-{}-{i}.bin", std::process::id()));
//!     Search::new(&space, &times, &amplitudes).run_shard(i, 2)?.write(&path)?;
//!     paths.push(path);
//! }
//! // ...and the shards merge into exactly what one run gives.
//! let shards = paths.iter().map(ShardResult::read).collect::<Result<Vec<_>, _>>()?;
//! let result = ShardResult::merge(&shards)?;
//! assert_eq!(result.score(), Search::new(&space, &times, &amplitudes).run()?.score());
//!
//! let best = result.best().ok_or("no finite score")?;
//! assert_eq!(best.params.n_release_sites(), 2);
//! let pr = result.confidence_region(Param::BaseReleaseProbability, 0.95)?;
//! assert!(pr.values.contains(&0.5));
//! # for p in paths { std::fs::remove_file(p)?; }
//! # Ok(())
//! # }
//! ```
//!
//! # Reference parity
//!
//! The semantics follow the Python package `aisynphys` (golden vectors in the
//! workspace's `fixtures/golden`): missing (NaN) events update nothing, the depletion
//! mode rounds the pool half-to-even, `missing_event_penalty` excludes events strictly
//! within that many seconds after a missing one, and the mini-amplitude fit starts where
//! the reference starts. Binomial coefficients are exact by default; the reference's
//! truncated float64 table is available as [`Coefficients::ReferenceTable`]. Unlike the
//! reference, n_release_sites may go up to [`MAX_RELEASE_SITES`] and invalid inputs are
//! errors (never NaN or an endless loop).
//!
//! # Speed
//!
//! [`Search`] exploits the structure of the problem: release-probability trajectories
//! are computed once per (Pr, depression, facilitation) and shared by every n, cv and
//! q; log-binomial weights once per (trajectory, n) and shared by every cv and q trial;
//! mixture terms that cannot change `L + 0.1` by more than 2⁻⁵⁶ of itself are skipped;
//! grid points whose trajectories are identical (an amount of 0 makes its time constant
//! irrelevant) are computed once; q follows the reference's own Nelder–Mead path (so no
//! score is below the reference's), then, outside depletion mode where the score is
//! smooth, Newton's method with the analytic derivatives of the score climbs from its
//! end point (in depletion mode the rounded vesicle count makes the score a saw-tooth);
//! the inner loop uses AVX2 + FMA when the CPU has them.
//! Its scores equal the straightforward [`ReleaseModel`] run to ~1e-12 (tested).
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod binomial;
mod density;
mod engine;
mod error;
mod kernel;
mod model;
mod optim;
mod optimize;
mod params;
mod protocol;
mod search;
mod shard;
mod simd;
mod space;
mod summary;

pub use binomial::{Coefficients, REFERENCE_TABLE_MAX_N, binomial_pmf};
pub use density::ReleaseDistribution;
pub use error::{Error, ErrorKind, Result};
pub use model::{Event, ModelState, ReleaseModel, ReleaseModelBuilder, RunResult};
pub use optimize::{MiniAmplitudeFit, OptimizationInfo, estimate_mini_amplitude};
pub use params::{MAX_RELEASE_SITES, Param, ReleaseParams, ReleaseParamsBuilder};
pub use protocol::{train_protocol, twelve_pulse_train};
pub use search::{Progress, Search};
pub use shard::ShardResult;
pub use space::{Axis, ParamSpace, ParamSpaceBuilder, linspace, logspace};
pub use summary::{BestPoint, ConfidenceRegion, Marginal, SearchResult};

#[doc(hidden)]
pub mod __private {
    //! Test hooks; not part of the public API.
    /// The reference's coefficient row, as reproduced by this crate.
    pub fn reference_table_row(n: u32) -> crate::Result<Vec<f64>> {
        crate::binomial::reference_table_row(n)
    }
}
