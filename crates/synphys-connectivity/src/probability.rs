//! Connection probability of a group of probed pairs and its Clopper–Pearson interval.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF};

use crate::error::{Error, ErrorKind, Result, check_alpha};

/// The number of test spikes a pair needs (strictly more than this) to count as probed.
pub const TEST_SPIKE_LIMIT: u32 = 10;

/// The synapse type a presynaptic class is expected to make (its output type; mapped
/// from `synphys_cellclass::SynapseType` by `synphys-query`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputType {
    /// Excitatory ("ex").
    Excitatory,
    /// Inhibitory ("in").
    Inhibitory,
}

/// Whether a pair was probed for the output synapse type of its presynaptic class
/// (DESIGN §6): more than [`TEST_SPIKE_LIMIT`] test spikes of that type, or of both types
/// when the type is unknown or mixed (`None`).
pub fn pair_was_probed(
    n_ex_test_spikes: u32,
    n_in_test_spikes: u32,
    synapse_type: Option<OutputType>,
) -> bool {
    match synapse_type {
        Some(OutputType::Excitatory) => n_ex_test_spikes > TEST_SPIKE_LIMIT,
        Some(OutputType::Inhibitory) => n_in_test_spikes > TEST_SPIKE_LIMIT,
        None => n_ex_test_spikes > TEST_SPIKE_LIMIT && n_in_test_spikes > TEST_SPIKE_LIMIT,
    }
}

/// The Clopper–Pearson ("exact", beta) interval of a binomial proportion at level `1 − alpha`.
///
/// Returns `(lower, upper)`. `0` probed gives `(0, 1)`; no connections gives a lower bound
/// of 0 and all connected an upper bound of 1. More connections than probed pairs is an
/// error, and so is `alpha` outside `(0, 1)`.
///
/// ```
/// use synphys_connectivity::clopper_pearson;
/// let (lower, upper) = clopper_pearson(12, 32, 0.05)?;
/// assert!((lower - 0.2110).abs() < 1e-4 && (upper - 0.5631).abs() < 1e-4);
/// # Ok::<(), synphys_connectivity::Error>(())
/// ```
pub fn clopper_pearson(n_connected: u64, n_probed: u64, alpha: f64) -> Result<(f64, f64)> {
    check_alpha(alpha)?;
    if n_connected > n_probed {
        return Err(ErrorKind::ConnectedExceedsProbed {
            connected: n_connected,
            probed: n_probed,
        }
        .into());
    }
    if n_probed == 0 {
        return Ok((0.0, 1.0));
    }
    let k = n_connected as f64;
    let n = n_probed as f64;
    let lower = if n_connected == 0 {
        0.0
    } else {
        beta_quantile(k, n - k + 1.0, alpha / 2.0)?
    };
    // The upper bound is the upper alpha/2 quantile of Beta(k+1, n-k); by symmetry of the
    // beta family it is 1 minus the lower quantile of Beta(n-k, k+1), which keeps full
    // relative precision when the bound is close to 1.
    let upper = if n_connected == n_probed {
        1.0
    } else {
        1.0 - beta_quantile(n - k, k + 1.0, alpha / 2.0)?
    };
    Ok((lower, upper))
}

fn beta_quantile(a: f64, b: f64, q: f64) -> Result<f64> {
    let dist = Beta::new(a, b).map_err(|_| Error::invalid("beta shape", a.min(b), "> 0"))?;
    Ok(dist.inverse_cdf(q))
}

/// Connections found among probed pairs, the proportion and its Clopper–Pearson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConnectionProbability {
    /// Pairs in which a connection was found.
    pub n_connected: u64,
    /// Pairs probed.
    pub n_probed: u64,
    /// The interval's level is `1 − alpha`.
    pub alpha: f64,
    /// `n_connected / n_probed`; NaN (null in JSON) when nothing was probed.
    #[serde(with = "crate::serde_nan")]
    pub estimate: f64,
    /// Lower end of the interval (0 when nothing was probed).
    pub lower: f64,
    /// Upper end of the interval (1 when nothing was probed).
    pub upper: f64,
}

impl ConnectionProbability {
    /// From counts; errors when `n_connected > n_probed` or `alpha` is not in `(0, 1)`.
    pub fn new(n_connected: u64, n_probed: u64, alpha: f64) -> Result<ConnectionProbability> {
        let (lower, upper) = clopper_pearson(n_connected, n_probed, alpha)?;
        let estimate = if n_probed == 0 {
            f64::NAN
        } else {
            n_connected as f64 / n_probed as f64
        };
        Ok(ConnectionProbability {
            n_connected,
            n_probed,
            alpha,
            estimate,
            lower,
            upper,
        })
    }

    /// From one outcome per probed pair.
    pub fn from_outcomes(connected: &[bool], alpha: f64) -> Result<ConnectionProbability> {
        let k = connected.iter().filter(|&&c| c).count() as u64;
        ConnectionProbability::new(k, connected.len() as u64, alpha)
    }

    /// True when no pair was probed (the estimate is then NaN and the interval `(0, 1)`).
    pub fn is_empty(&self) -> bool {
        self.n_probed == 0
    }
}

/// One observed outcome of a probe: connected, not connected, or missing (masked out).
///
/// Implemented for `bool` (never missing), `Option<bool>` (`None` is missing) and `f64`
/// (`1.0` connected, `0.0` not, NaN missing; any other value is an error), so the
/// binned statistics accept whichever a caller has.
pub trait Outcome: Copy {
    /// `Ok(None)` for a missing value.
    fn outcome(self) -> std::result::Result<Option<bool>, f64>;
}

impl Outcome for bool {
    fn outcome(self) -> std::result::Result<Option<bool>, f64> {
        Ok(Some(self))
    }
}

impl Outcome for Option<bool> {
    fn outcome(self) -> std::result::Result<Option<bool>, f64> {
        Ok(self)
    }
}

impl Outcome for f64 {
    fn outcome(self) -> std::result::Result<Option<bool>, f64> {
        if self.is_nan() {
            Ok(None)
        } else if self == 1.0 {
            Ok(Some(true))
        } else if self == 0.0 {
            Ok(Some(false))
        } else {
            Err(self)
        }
    }
}

pub(crate) fn read_outcome<C: Outcome>(
    what: &'static str,
    index: usize,
    c: C,
) -> Result<Option<bool>> {
    c.outcome().map_err(|value| {
        ErrorKind::InvalidObservation {
            what,
            index,
            value,
            allowed: "an outcome must be 1.0 (connected), 0.0 (not connected) or NaN (missing)",
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probed_rule_follows_design() {
        assert!(pair_was_probed(11, 0, Some(OutputType::Excitatory)));
        assert!(!pair_was_probed(10, 50, Some(OutputType::Excitatory)));
        assert!(pair_was_probed(0, 11, Some(OutputType::Inhibitory)));
        assert!(!pair_was_probed(11, 10, None));
        assert!(pair_was_probed(11, 11, None));
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            clopper_pearson(3, 2, 0.05).unwrap_err().kind(),
            ErrorKind::ConnectedExceedsProbed { .. }
        ));
        for alpha in [0.0, 1.0, -0.1, f64::NAN] {
            let err = clopper_pearson(1, 2, alpha).unwrap_err();
            assert!(err.to_string().contains("alpha"), "{err}");
        }
        assert!(read_outcome("connected", 0, 0.5).is_err());
    }

    #[test]
    fn empty_group_is_explicit() {
        let cp = ConnectionProbability::new(0, 0, 0.05).unwrap();
        assert!(cp.is_empty() && cp.estimate.is_nan());
        assert_eq!((cp.lower, cp.upper), (0.0, 1.0));
    }
}
