//! Complete network priors per pair of cell classes (connectivity, synapse strength and
//! kinetics, short-term plasticity, release-model parameters, gap-junction probability)
//! from a Synaptic Physiology database, as versioned JSON and CSV.
//!
//! [`PriorsBuilder`] reads the pairs, groups them by class pair and summarises each:
//! the [`synphys_connectivity::ConnectivityPrior`], per-quantity [`Quartiles`] of the
//! connected pairs' `synapse`, `resting_state_fit`, `dynamics` and `synapse_model`
//! values, and a [`GapJunctionPrior`]. [`to_json`] / [`from_json`] and [`to_csv`] write
//! and read layout [`VERSION`] 1, whose JSON Schema is [`SCHEMA_V1`]. The crate README
//! describes the layout and what the numbers mean.
//!
//! # Example
//!
//! ```
//! use synphys_cellclass::ClassSet;
//! use synphys_priors::{PriorsBuilder, from_json, to_json};
//! use synphys_query::SynphysDb;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
//! let classes = ClassSet::preset("ei")?;
//! let priors = PriorsBuilder::new(&db, &classes).build()?;
//! let inhib = priors.get("Inhib.", "Inhib.").ok_or("no Inhib. → Inhib.")?;
//! println!(
//!     "Inhib. → Inhib.: PSP median {:?} V over {} synapses, gap junctions in {} of {} probed pairs",
//!     inhib.synapse.psp_amplitude_v.median, inhib.synapse.psp_amplitude_v.count,
//!     inhib.gap_junction.n_gap_junctions, inhib.gap_junction.n_probed,
//! );
//! let text = to_json(&priors)?;
//! assert_eq!(from_json(&text)?.pairs.len(), 4);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod build;
mod error;
mod export;
mod priors;
mod projection;
mod summary;

pub use build::PriorsBuilder;
pub use error::{Error, ErrorKind, Result};
pub use export::{csv_header, from_json, to_csv, to_json};
pub use priors::{
    ClassPairPrior, ClassSetInfo, DatabaseInfo, FORMAT, NetworkPriors, PairGrouping, PriorsOptions,
    SCHEMA_V1, VERSION,
};
pub use projection::projections;
pub use summary::{
    DynamicsSummary, GapJunctionPrior, Quartiles, ReleaseModelSummary, RestingStateSummary,
    SynapseSummary,
};

// The README's example is compiled and run as a doc test so it cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
