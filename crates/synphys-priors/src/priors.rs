//! The priors document and its records.

use serde::{Deserialize, Serialize};
use synphys_connectivity::{
    ConnectivityPrior, DistanceMeasure, DistanceModelKind, PreferredAdjustment,
};

use crate::summary::{
    DynamicsSummary, GapJunctionPrior, ReleaseModelSummary, RestingStateSummary, SynapseSummary,
};

/// The `format` of every priors document.
pub const FORMAT: &str = "synphys-priors";

/// The layout version this crate writes and reads (`crates/synphys-priors/schema/priors-v1.schema.json`).
pub const VERSION: u32 = 1;

/// The JSON Schema (draft 2020-12) of layout version 1.
pub const SCHEMA_V1: &str = include_str!("../schema/priors-v1.schema.json");

/// Complete network priors of one database for one class set: the document that
/// [`crate::to_json`] writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPriors {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout version, [`VERSION`].
    pub version: u32,
    /// Where the numbers come from.
    pub database: DatabaseInfo,
    /// The classes the pairs are grouped by.
    pub class_set: ClassSetInfo,
    /// How the numbers were computed.
    pub options: PriorsOptions,
    /// One record per (pre class, post class), row by row (pre class), then by post class.
    pub pairs: Vec<ClassPairPrior>,
}

impl NetworkPriors {
    /// The record of `pre` → `post`, by class name.
    pub fn get(&self, pre: &str, post: &str) -> Option<&ClassPairPrior> {
        self.pairs
            .iter()
            .find(|p| p.pre_class == pre && p.post_class == post)
    }
}

/// The database the priors were computed from (its `metadata` row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseInfo {
    /// Who or what wrote the file.
    pub origin: String,
    /// Schema version of the file, e.g. `"22"`.
    pub db_version: String,
    /// When the file was created, as its writer recorded it.
    pub creation_date: String,
}

/// The class set, by name and by definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSetInfo {
    /// Class names in definition order.
    pub classes: Vec<String>,
    /// The definition as TOML (`synphys_cellclass::ClassSet::from_toml` reads it back).
    pub definition_toml: String,
}

/// How pairs are assigned to class pairs (mirrors [`synphys_query::Grouping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairGrouping {
    /// A pair counts in every class pair its cells belong to (the connectivity matrix's rule).
    #[default]
    Membership,
    /// A pair counts once, under the first class each cell matches.
    FirstMatch,
}

impl From<PairGrouping> for synphys_query::Grouping {
    fn from(g: PairGrouping) -> synphys_query::Grouping {
        match g {
            PairGrouping::Membership => synphys_query::Grouping::Membership,
            PairGrouping::FirstMatch => synphys_query::Grouping::FirstMatch,
        }
    }
}

/// The options the priors were computed with (set through [`crate::PriorsBuilder`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorsOptions {
    /// Intervals are at level `1 − alpha`.
    pub alpha: f64,
    /// Width σ of the fixed Gaussian profile of the distance adjustment, metres.
    pub sigma_m: f64,
    /// The distance the adjustment and the profile fit use.
    pub distance_measure: DistanceMeasure,
    /// The distance model fitted per class pair (null: none).
    pub fit_model: Option<DistanceModelKind>,
    /// Which adjusted estimate the connectivity records carry.
    pub adjusted_estimate: PreferredAdjustment,
    /// How pairs are grouped into class pairs.
    pub grouping: PairGrouping,
    /// Which pairs' synapses are summarised: always `"connected"` (every pair of the
    /// class pair with `pair.has_synapse`, probed or not, as the tutorial's synapse tables).
    pub synapse_pairs: String,
}

/// Everything a network builder needs for one class pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPairPrior {
    /// Presynaptic class.
    pub pre_class: String,
    /// Postsynaptic class.
    pub post_class: String,
    /// Chemical connectivity: counts, raw and distance-adjusted probability with
    /// intervals, fitted distance profile (as `synphys_connectivity` computes it).
    pub connectivity: ConnectivityPrior,
    /// Pairs with a chemical synapse (`pair.has_synapse`): the pairs the summaries cover.
    pub n_synapses: u64,
    /// Of those, synapses typed excitatory (`synapse.synapse_type = 'ex'`).
    pub n_excitatory: u64,
    /// Of those, synapses typed inhibitory (`'in'`).
    pub n_inhibitory: u64,
    /// Strength, latency and kinetics.
    pub synapse: SynapseSummary,
    /// Fits of the average response at rest.
    pub resting_state: RestingStateSummary,
    /// Measured short-term plasticity.
    pub dynamics: DynamicsSummary,
    /// Release-model parameters.
    pub release_model: ReleaseModelSummary,
    /// Electrical coupling.
    pub gap_junction: GapJunctionPrior,
}
