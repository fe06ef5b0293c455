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
//!     // 500 trials × 11 spikes (volts), reproducible from the seed.
//!     let trials = model.simulate(&spike_times, 500, 0)?;
//!     let n_trials = trials.nrows() as f64;
//!     let mean: Vec<f64> = trials.columns().into_iter().map(|c| c.sum() / n_trials).collect();
//!     for (t, m) in spike_times.iter().zip(&mean) {
//!         println!("{:5.0} ms  {:.3} mV", t * 1e3, m * 1e3);
//!     }
//!     // The first response averages n·Pr·q ≈ 0.76 mV.
//!     assert!((mean[0] - 0.763e-3).abs() < 0.05e-3);
//!     Ok(())
//! }
//! ```
//!
//! # Example: one synapse, spike by spike (for network simulators)
//!
//! [`StepSynapse`] holds one synapse's state and advances it at each presynaptic
//! spike — the same numbers as a whole-train run (tested):
//!
//! ```
//! use synphys_release_model::{ReleaseModel, ReleaseParams, StepSynapse, rng};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let params = ReleaseParams::builder()
//!     .n_release_sites(3).base_release_probability(0.76).mini_amplitude(0.33e-3)
//!     .mini_amplitude_cv(0.25).depression_amount(-1.0).depression_tau(0.108)
//!     .facilitation_amount(0.375).facilitation_tau(2.56).measurement_stdev(86e-6)
//!     .build()?;
//! let spike_times = [0.1, 0.11, 0.12, 0.14, 0.2];
//! let mut synapse = StepSynapse::new(params);
//! let mut generator = rng(1);
//! let mut stepped = Vec::new();
//! for &t in &spike_times {
//!     // In a simulator: called when the presynaptic neuron fires.
//!     let out = synapse.spike_random(t, &mut generator)?;
//!     stepped.push(out.amplitude);
//! }
//! let whole = ReleaseModel::new(params).random(&spike_times, &mut rng(1))?;
//! assert_eq!(stepped, whole.amplitudes());
//! # Ok(())
//! # }
//! ```
//!
//! # Example: score recorded events and fit the mini amplitude
//!
//! ```
//! use synphys_release_model::{ReleaseModel, ReleaseParams, train_protocol};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let truth = ReleaseParams::builder()
//!     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
//!     .mini_amplitude_cv(0.2).depression_amount(0.2).depression_tau(0.1)
//!     .facilitation_amount(0.1).facilitation_tau(0.5).measurement_stdev(0.05e-3)
//!     .build()?;
//! let times = train_protocol(&[50.0], &[0.25, 1.0], 10, 15.0);
//! let mut generator = synphys_release_model::rng(1);
//! let amplitudes = ReleaseModel::new(truth).random(&times, &mut generator)?.amplitudes();
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
//! use synphys_release_model::{
//!     Param, ParamSpace, ReleaseModel, ReleaseParams, Search, SearchResult, ShardResult,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let truth = ReleaseParams::builder()
//! #     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
//! #     .mini_amplitude_cv(0.2).depression_amount(0.0).depression_tau(0.1)
//! #     .facilitation_amount(0.0).facilitation_tau(0.5).measurement_stdev(0.05e-3)
//! #     .build()?;
//! # let times: Vec<f64> = (0..300).map(|i| i as f64).collect();
//! # let amplitudes = ReleaseModel::new(truth).simulate(&times, 1, 1)?.row(0).to_vec();
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
//!
//! // A finished search saves itself, to be reloaded for marginals and plots.
//! let saved = dir.join(format!("doc-result-{}.bin", std::process::id()));
//! result.write(&saved)?;
//! assert_eq!(SearchResult::read(&saved)?.best(), result.best());
//! # std::fs::remove_file(saved)?;
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
mod step;
mod summary;

pub use binomial::{Coefficients, REFERENCE_TABLE_MAX_N, binomial_pmf};
pub use density::ReleaseDistribution;
pub use error::{Error, ErrorKind, FileProblem, Result};
pub use model::{Event, ModelState, ReleaseModel, ReleaseModelBuilder, RunResult};
pub use optimize::{MiniAmplitudeFit, OptimizationInfo, estimate_mini_amplitude};
pub use params::{MAX_RELEASE_SITES, Param, ReleaseParams, ReleaseParamsBuilder};
pub use protocol::{train_protocol, twelve_pulse_train};
pub use search::{Progress, Search};
pub use shard::{Kernel, MergeOptions, ShardResult};
pub use space::{Axis, ParamSpace, ParamSpaceBuilder, linspace, logspace};
pub use step::{StepOutcome, StepSynapse};
pub use summary::{BestPoint, ConfidenceRegion, Marginal, SearchResult};

/// The random number generator the crate's examples and [`ReleaseModel::simulate`]
/// use, re-exported so callers need no `rand_pcg` (or `rand`) of their own: make one
/// with [`rng`], pass it to [`ReleaseModel::random`] or [`StepSynapse::spike_random`].
pub use rand_pcg::Pcg64;

/// A [`Pcg64`] seeded from `seed`: the same stream as `rand_pcg::Pcg64::seed_from_u64`
/// (of this crate's `rand` version), with no trait import needed.
///
/// ```
/// let mut a = synphys_release_model::rng(3);
/// let mut b = synphys_release_model::rng(3);
/// # use rand::Rng;
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
pub fn rng(seed: u64) -> Pcg64 {
    use rand::SeedableRng;
    Pcg64::seed_from_u64(seed)
}

#[doc(hidden)]
pub mod __private {
    //! Test hooks; not part of the public API.
    /// The reference's coefficient row, as reproduced by this crate.
    pub fn reference_table_row(n: u32) -> crate::Result<Vec<f64>> {
        crate::binomial::reference_table_row(n)
    }
}
