//! Connection probability, distance profiles, connectivity models and their
//! maximum-likelihood fits, bias corrections and network priors for the Allen Institute
//! Synaptic Physiology Dataset, on plain slices of distances (metres), outcomes and numbers.
//!
//! # Example: fit a Gaussian profile and export it for NEST
//!
//! ```
//! use rand::SeedableRng;
//! use synphys_connectivity::{
//!     ConnectionRule, ConnectivityModel, DistanceMeasure, FitOptions, GaussianModel, Kernel, Projection,
//!     Simulator, export_network,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Probed pairs at lateral distances up to 250 µm; here drawn from a known profile.
//! let truth = GaussianModel::new(0.14, 102e-6)?;
//! let x: Vec<f64> = (0..4000).map(|i| (i % 250) as f64 * 1e-6).collect();
//! let connected = truth.sample(&x, &mut rand_pcg::Pcg64::seed_from_u64(7));
//!
//! // Bounded maximum likelihood over a 5 × 5 grid of sub-boxes of the default bounds.
//! let fit = GaussianModel::fit(&x, &connected, &FitOptions::new())?;
//! println!("pmax {:.3}, σ {:.0} µm, NLL {:.2}", fit.model.pmax(), fit.model.sigma_m() * 1e6, fit.nll);
//!
//! // A projection: the rule, a 0.5 mV PSP and a 1.2 ms latency; a Python module for NEST 3.
//! let rule = ConnectionRule::new("pyr", "pvalb", Kernel::Gaussian, fit.model.pmax(), fit.model.sigma_m(), DistanceMeasure::Lateral)?;
//! let projection = Projection::new(rule).psp_amplitude_v(0.5e-3).latency_s(1.2e-3);
//! let module = export_network(&[projection], Simulator::Nest)?;
//! assert!(module.contains("def connect(populations, unit_per_m=1e6, weight_scale=1.0):"));
//! assert!(module.contains("syn_spec={'weight': 0.5 * weight_scale, 'delay': max(1.2, nest.resolution)}"));
//! # Ok(())
//! # }
//! ```
//!
//! # Example: connection probability with its Clopper–Pearson interval
//!
//! ```
//! use synphys_connectivity::ConnectionProbability;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let cp = ConnectionProbability::new(12, 32, 0.05)?; // L2/3 Sst → Vip
//! println!("{:.2} % ({:.2} – {:.2} %)", 100.0 * cp.estimate, 100.0 * cp.lower, 100.0 * cp.upper);
//! assert!(ConnectionProbability::new(3, 2, 0.05).is_err()); // more connected than probed
//! # Ok(())
//! # }
//! ```
//!
//! # Example: distance-adjusted connectivity, approximate and exact
//!
//! ```
//! use synphys_connectivity::{ExactPmax, distance_adjusted_connectivity};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let x = [15e-6, 40e-6, 60e-6, 85e-6, 120e-6, 160e-6, 210e-6, 30e-6];
//! let connected = [true, false, true, false, false, false, false, false];
//! let scaled = distance_adjusted_connectivity(&x, &connected, 100e-6, 0.05)?.ok_or("no pairs")?;
//! let exact = ExactPmax::gaussian(100e-6).estimate(&x, &connected)?.ok_or("no pairs")?;
//! println!("scaled {:.2} [{:.2}, {:.2}]", scaled.pmax, scaled.lower, scaled.upper);
//! println!("exact  {:.2} [{:.2}, {:.2}]", exact.pmax, exact.lower, exact.upper);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: the bias-correction model
//!
//! ```
//! use synphys_connectivity::{CorrectionFitOptions, CorrectionFunction, CorrectionModel};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let model = CorrectionModel::new(vec![
//!     CorrectionFunction::gaussian(100e-6)?,          // lateral distance
//!     CorrectionFunction::binary_step(200e-6, 0.5)?,  // presynaptic axon length
//! ])?;
//! let lateral = [20e-6, 50e-6, 150e-6, 80e-6, 30e-6];
//! let axon = [200e-6, 90e-6, f64::NAN, 200e-6, 200e-6]; // NaN: unknown, factor 1
//! let connected = [true, false, false, false, true];
//! let fit = model.fit(&[&lateral, &axon], &connected, &CorrectionFitOptions::new())?.ok_or("no pairs")?;
//! println!("pmax {:.2} [{:.2}, {:.2}]", fit.pmax, fit.lower, fit.upper);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: priors for a network builder, and a sampled connectome
//!
//! ```
//! use synphys_connectivity::{
//!     ClassPair, ConnectivityPrior, DistanceMeasure, PairRecord, PreferredAdjustment, SummaryOptions,
//!     PlacedCell, measure_connectivity, priors_to_csv, sample_connectome,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pairs: Vec<PairRecord> = (0..60u64)
//!     .map(|i| {
//!         let mut p = PairRecord::new(i, 1000 + i);
//!         p.probed = true;
//!         p.connected = i % 6 == 0;
//!         p.lateral_distance_m = (i % 12) as f64 * 15e-6;
//!         p
//!     })
//!     .collect();
//! let options = SummaryOptions::new().sigma(100e-6).distance(DistanceMeasure::Lateral);
//! let summaries = measure_connectivity([(ClassPair::new("pyr", "pyr"), pairs.as_slice())], &options)?;
//! let priors: Vec<ConnectivityPrior> = summaries
//!     .iter()
//!     .map(|s| ConnectivityPrior::from_summary(s, PreferredAdjustment::Exact))
//!     .collect();
//! print!("{}", priors_to_csv(&priors)?);
//!
//! let rules = priors.iter().map(|p| p.rule()).collect::<Result<Vec<_>, _>>()?;
//! let cells: Vec<PlacedCell> = (0..50)
//!     .map(|i| PlacedCell { class: "pyr".into(), position_m: [(i % 10) as f64 * 30e-6, (i / 10) as f64 * 30e-6, 0.0] })
//!     .collect();
//! let connectome = sample_connectome(&cells, &rules, 42)?;
//! assert_eq!(connectome, sample_connectome(&cells, &rules, 42)?); // seeded: reproducible
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

/// The crate README, whose example runs as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod compress;
mod correction;
mod error;
mod export;
mod fit;
mod lr;
mod models;
mod nll;
mod optim;
mod prior;
mod probability;
mod profile;
mod sample;
mod serde_nan;
mod summary;

pub use correction::{
    BinaryStepFitOptions, CorrectionFit, CorrectionFitOptions, CorrectionFunction,
    CorrectionInterval, CorrectionModel, CorrectionSpec, ErfFitOptions, FittedCorrection,
    MidpointConstraint, fit_correction, fit_correction_model,
};
pub use error::{Error, ErrorKind, Result};
pub use export::{
    Projection, SONATA_EDGE_TYPE_COLUMNS, Simulator, export_bmtk_builder, export_network,
};
pub use fit::{AnyDistanceModel, DistanceModelKind, Fit, FitOptions, SubFit};
pub use lr::likelihood_ratio_delta;
pub use models::{
    BinaryStepModel, ConnectivityModel, ErfModel, ExponentialModel, GaussianModel, Kernel,
    LinearModel, PROBABILITY_FLOOR, SphereIntersectionModel,
};
pub use prior::{
    ConnectionRule, ConnectivityPrior, PreferredAdjustment, priors_from_json, priors_to_csv,
    priors_to_json,
};
pub use probability::{
    ConnectionProbability, Outcome, OutputType, TEST_SPIKE_LIMIT, clopper_pearson, pair_was_probed,
};
pub use profile::{
    AdjustedConnectivity, AdjustmentMethod, DistanceProfile, ExactPmax, ProfileBin,
    distance_adjusted_connectivity,
};
pub use sample::{Connection, PlacedCell, sample_connectome};
pub use summary::{
    ClassPair, DistanceMeasure, GroupSummary, PairRecord, ReciprocalBin, ReciprocalProfile,
    SummaryOptions, measure_connectivity, reciprocal_connectivity,
};
