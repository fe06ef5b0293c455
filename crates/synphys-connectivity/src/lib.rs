//! Connection probability, distance profiles, connectivity models and their fits.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod compress;
mod correction;
mod error;
mod fit;
mod lr;
mod models;
mod nll;
mod optim;
mod probability;
mod profile;
mod serde_nan;

pub use correction::{
    BinaryStepFitOptions, CorrectionFit, CorrectionFitOptions, CorrectionFunction,
    CorrectionInterval, CorrectionModel, CorrectionSpec, ErfFitOptions, FittedCorrection,
    MidpointConstraint, ModelFit, fit_correction, fit_correction_model,
};
pub use error::{Error, ErrorKind, Result};
pub use fit::{AnyDistanceModel, DistanceModelKind, Fit, FitOptions, SubFit};
pub use lr::likelihood_ratio_delta;
pub use models::{
    BinaryStepModel, ConnectivityModel, ErfModel, ExponentialModel, GaussianModel, Kernel,
    LinearModel, PROBABILITY_FLOOR, SphereIntersectionModel,
};
pub use probability::{
    ConnectionProbability, Outcome, SynapseType, TEST_SPIKE_LIMIT, clopper_pearson, pair_was_probed,
};
pub use profile::{
    AdjustedConnectivity, AdjustmentMethod, DistanceProfile, ExactPmax, ProfileBin,
    distance_adjusted_connectivity,
};
