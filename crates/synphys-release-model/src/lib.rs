//! Stochastic synaptic release model: run it, fit its mini amplitude, and search its
//! parameter space fast.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod binomial;
mod density;
mod engine;
mod error;
mod kernel;
mod model;
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
