//! From priors to the projections simulator exports take.

use synphys_connectivity::Projection;

use crate::error::Result;
use crate::priors::NetworkPriors;

/// One [`Projection`] per class pair with at least one probed pair: the connection rule
/// of its connectivity prior (adjusted pmax with the fixed width, else the fitted
/// profile; see `ConnectivityPrior::rule`), the median PSP amplitude as the weight
/// (signed as stored: excitatory positive, inhibitory negative) and the median latency as
/// the delay. Weight and delay are `None` when the class pair has no synapse with a value.
/// Pass the result to [`synphys_connectivity::export_network`].
///
/// ```
/// use synphys_cellclass::ClassSet;
/// use synphys_connectivity::{Simulator, export_network};
/// use synphys_priors::{PriorsBuilder, projections};
/// use synphys_query::SynphysDb;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
/// let classes = ClassSet::preset("ei")?;
/// let priors = PriorsBuilder::new(&db, &classes).build()?;
/// let nest = export_network(&projections(&priors)?, Simulator::Nest)?;
/// assert!(nest.contains("Inhib."));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// A probed class pair whose prior has neither an adjusted pmax nor a Gaussian or
/// exponential fit (the error names the classes), or an invalid rule.
pub fn projections(priors: &NetworkPriors) -> Result<Vec<Projection>> {
    priors
        .pairs
        .iter()
        .filter(|p| p.connectivity.n_probed > 0)
        .map(|p| {
            let mut projection = Projection::new(p.connectivity.rule()?);
            projection.psp_amplitude_v = p.synapse.psp_amplitude_v.median;
            projection.latency_s = p.synapse.latency_s.median;
            Ok(projection)
        })
        .collect()
}
