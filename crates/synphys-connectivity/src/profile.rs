//! Connection probability against distance: binned profiles and distance-adjusted pmax.

use serde::{Deserialize, Serialize};

use crate::error::{
    ErrorKind, Result, check_alpha, check_finite_values, check_positive, check_same_len,
};
use crate::lr::{ScaledBernoulli, likelihood_ratio_delta};
use crate::models::Kernel;
use crate::probability::{ConnectionProbability, Outcome, clopper_pearson, read_outcome};

/// One distance bin `[lower_edge_m, upper_edge_m)` of a [`DistanceProfile`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProfileBin {
    /// Inclusive lower edge (metres).
    pub lower_edge_m: f64,
    /// Exclusive upper edge (metres).
    pub upper_edge_m: f64,
    /// Counts, proportion and interval of the pairs in this bin (NaN proportion and
    /// interval `(0, 1)` for an empty bin).
    pub probability: ConnectionProbability,
}

/// Connection probability in distance bins, each with its Clopper–Pearson interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistanceProfile {
    /// The bins, in order of distance.
    pub bins: Vec<ProfileBin>,
}

impl DistanceProfile {
    /// Bins probed pairs by distance.
    ///
    /// Bins are half-open `[lo, hi)`; pairs below the first edge or at or beyond the last
    /// are dropped, and so are pairs whose distance is not finite or whose outcome is
    /// missing (see [`Outcome`]). `bin_edges_m` must be finite and strictly increasing,
    /// at least two of them.
    pub fn new<C: Outcome>(
        connected: &[C],
        distance_m: &[f64],
        bin_edges_m: &[f64],
        alpha: f64,
    ) -> Result<DistanceProfile> {
        check_alpha(alpha)?;
        check_same_len("distance_m", connected.len(), distance_m.len())?;
        check_edges(bin_edges_m)?;
        let n_bins = bin_edges_m.len() - 1;
        let mut probed = vec![0u64; n_bins];
        let mut found = vec![0u64; n_bins];
        let first = bin_edges_m[0];
        let last = bin_edges_m[n_bins];
        for (i, (&c, &d)) in connected.iter().zip(distance_m).enumerate() {
            let Some(c) = read_outcome("connected", i, c)? else {
                continue;
            };
            if !d.is_finite() || d < first || d >= last {
                continue;
            }
            let bin = bin_edges_m.partition_point(|&e| e <= d) - 1;
            probed[bin] += 1;
            found[bin] += u64::from(c);
        }
        let bins = (0..n_bins)
            .map(|b| {
                Ok(ProfileBin {
                    lower_edge_m: bin_edges_m[b],
                    upper_edge_m: bin_edges_m[b + 1],
                    probability: ConnectionProbability::new(found[b], probed[b], alpha)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DistanceProfile { bins })
    }

    /// Connected proportion per bin (NaN for an empty bin).
    pub fn proportions(&self) -> Vec<f64> {
        self.bins.iter().map(|b| b.probability.estimate).collect()
    }
}

pub(crate) fn check_edges(edges: &[f64]) -> Result<()> {
    if edges.len() < 2 {
        return Err(ErrorKind::InvalidBinEdges {
            reason: format!("need at least 2 edges, got {}", edges.len()),
        }
        .into());
    }
    for (i, pair) in edges.windows(2).enumerate() {
        if !(pair[0].is_finite() && pair[1].is_finite() && pair[0] < pair[1]) {
            return Err(ErrorKind::InvalidBinEdges {
                reason: format!(
                    "edges must be finite and strictly increasing; edge {i} = {} is followed by {}",
                    pair[0], pair[1]
                ),
            }
            .into());
        }
    }
    Ok(())
}

/// How a distance-adjusted pmax and its interval were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentMethod {
    /// The raw proportion and its Clopper–Pearson interval divided by the mean kernel
    /// value over the probed distances (the Python reference's approximation).
    ScaledBinomial,
    /// Maximum-likelihood pmax under the fixed-width profile, with the profile
    /// likelihood-ratio interval (`ΔNLL = χ²₁(1 − alpha)/2`).
    LikelihoodRatio,
}

/// pmax of a fixed-width distance profile, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdjustedConnectivity {
    /// Probability at distance 0. Not clipped: the scaled approximation can exceed 1.
    pub pmax: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval (can exceed 1 for the scaled approximation).
    pub upper: f64,
    /// The interval's level is `1 − alpha`.
    pub alpha: f64,
    /// How it was computed.
    pub method: AdjustmentMethod,
    /// The profile's kernel.
    pub kernel: Kernel,
    /// Kernel width (σ or λ) in metres.
    pub scale_m: f64,
    /// Mean kernel value over the probed distances.
    pub mean_kernel: f64,
    /// Pairs probed.
    pub n_probed: u64,
    /// Connections found.
    pub n_connected: u64,
    /// Negative log-likelihood at `pmax` (likelihood-ratio method only).
    #[serde(with = "crate::serde_nan")]
    pub nll: f64,
}

fn kernel_values(x: &[f64], kernel: Kernel, scale_m: f64) -> Vec<f64> {
    x.iter().map(|&x| kernel.value(x, scale_m)).collect()
}

/// The Python reference's distance-adjusted connectivity: with a Gaussian profile of
/// fixed width σ, pmax ≈ (k/n) / mean(exp(−x²/2σ²)), and the Clopper–Pearson interval is
/// scaled by the same factor. Values are not clipped (they can exceed 1).
///
/// Returns `Ok(None)` for no probed pairs.
pub fn distance_adjusted_connectivity(
    x_probed_m: &[f64],
    connected: &[bool],
    sigma_m: f64,
    alpha: f64,
) -> Result<Option<AdjustedConnectivity>> {
    scaled_adjustment(x_probed_m, connected, Kernel::Gaussian, sigma_m, alpha)
}

pub(crate) fn scaled_adjustment(
    x_probed_m: &[f64],
    connected: &[bool],
    kernel: Kernel,
    scale_m: f64,
    alpha: f64,
) -> Result<Option<AdjustedConnectivity>> {
    check_alpha(alpha)?;
    check_positive("sigma_m", scale_m)?;
    check_same_len("connected", x_probed_m.len(), connected.len())?;
    check_finite_values("x_probed_m", x_probed_m, true)?;
    if x_probed_m.is_empty() {
        return Ok(None);
    }
    let n = x_probed_m.len() as u64;
    let k = connected.iter().filter(|&&c| c).count() as u64;
    let mean_kernel = x_probed_m
        .iter()
        .map(|&x| kernel.value(x, scale_m))
        .sum::<f64>()
        / n as f64;
    let (lower, upper) = clopper_pearson(k, n, alpha)?;
    Ok(Some(AdjustedConnectivity {
        pmax: (k as f64 / n as f64) / mean_kernel,
        lower: lower / mean_kernel,
        upper: upper / mean_kernel,
        alpha,
        method: AdjustmentMethod::ScaledBinomial,
        kernel,
        scale_m,
        mean_kernel,
        n_probed: n,
        n_connected: k,
        nll: f64::NAN,
    }))
}

/// Exact inference on pmax under a fixed-width distance profile: the maximum-likelihood
/// pmax and its likelihood-ratio interval, which the scaled approximation of
/// [`distance_adjusted_connectivity`] only approximates.
///
/// ```
/// use synphys_connectivity::ExactPmax;
/// let x = [20e-6, 60e-6, 90e-6, 150e-6, 40e-6, 220e-6];
/// let connected = [true, false, true, false, false, false];
/// let fit = ExactPmax::gaussian(100e-6).alpha(0.05).estimate(&x, &connected)?.expect("data");
/// assert!(fit.lower < fit.pmax && fit.pmax < fit.upper && fit.upper <= 1.0);
/// # Ok::<(), synphys_connectivity::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExactPmax {
    kernel: Kernel,
    scale_m: f64,
    alpha: f64,
    upper_bound: f64,
}

impl ExactPmax {
    /// Gaussian profile `pmax·exp(−x²/2σ²)` of width `sigma_m` (metres).
    pub fn gaussian(sigma_m: f64) -> ExactPmax {
        ExactPmax {
            kernel: Kernel::Gaussian,
            scale_m: sigma_m,
            alpha: 0.05,
            upper_bound: 1.0,
        }
    }

    /// Exponential profile `pmax·exp(−x/λ)` of length `lambda_m` (metres).
    pub fn exponential(lambda_m: f64) -> ExactPmax {
        ExactPmax {
            kernel: Kernel::Exponential,
            ..ExactPmax::gaussian(lambda_m)
        }
    }

    /// Interval level `1 − alpha` (default 0.05).
    pub fn alpha(mut self, alpha: f64) -> ExactPmax {
        self.alpha = alpha;
        self
    }

    /// Largest pmax considered (default 1: pmax is a probability).
    pub fn pmax_upper_bound(mut self, upper: f64) -> ExactPmax {
        self.upper_bound = upper;
        self
    }

    /// Estimates pmax from probed pairs at distances `x_probed_m` with outcomes
    /// `connected`. `Ok(None)` when nothing was probed.
    pub fn estimate(
        &self,
        x_probed_m: &[f64],
        connected: &[bool],
    ) -> Result<Option<AdjustedConnectivity>> {
        check_alpha(self.alpha)?;
        check_positive("sigma_m", self.scale_m)?;
        check_positive("pmax_upper_bound", self.upper_bound)?;
        check_same_len("connected", x_probed_m.len(), connected.len())?;
        check_finite_values("x_probed_m", x_probed_m, true)?;
        if x_probed_m.is_empty() {
            return Ok(None);
        }
        let factors = kernel_values(x_probed_m, self.kernel, self.scale_m);
        let model = ScaledBernoulli::new(&factors, connected);
        let (pmax, nll) = model.mle(0.0, self.upper_bound)?;
        let delta = likelihood_ratio_delta(self.alpha)?;
        let (lower, upper) = model.lr_interval(pmax, nll, delta, 0.0, self.upper_bound);
        let n = x_probed_m.len() as u64;
        Ok(Some(AdjustedConnectivity {
            pmax,
            lower,
            upper,
            alpha: self.alpha,
            method: AdjustmentMethod::LikelihoodRatio,
            kernel: self.kernel,
            scale_m: self.scale_m,
            mean_kernel: factors.iter().sum::<f64>() / n as f64,
            n_probed: n,
            n_connected: model.n_connected() as u64,
            nll,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_half_open_and_masks_apply() {
        let conn = [1.0, 0.0, f64::NAN, 1.0, 0.0];
        let dist = [0.0, 10e-6, 5e-6, 20e-6, f64::NAN];
        let p = DistanceProfile::new(&conn, &dist, &[0.0, 10e-6, 20e-6], 0.05).unwrap();
        assert_eq!(p.bins[0].probability.n_probed, 1);
        assert_eq!(p.bins[1].probability.n_probed, 1);
        assert_eq!(p.proportions(), vec![1.0, 0.0]);
    }

    #[test]
    fn bad_edges_are_reported() {
        let err = DistanceProfile::new(&[true], &[1.0], &[0.0, 2.0, 1.0], 0.05).unwrap_err();
        assert!(err.to_string().contains("strictly increasing"), "{err}");
        assert!(DistanceProfile::new(&[true], &[1.0], &[0.0], 0.05).is_err());
    }

    #[test]
    fn exact_and_scaled_agree_roughly_on_easy_data() {
        let x: Vec<f64> = (0..400).map(|i| (i % 20) as f64 * 10e-6).collect();
        let conn: Vec<bool> = (0..400).map(|i| i % 7 == 0).collect();
        let exact = ExactPmax::gaussian(100e-6)
            .estimate(&x, &conn)
            .unwrap()
            .unwrap();
        let scaled = distance_adjusted_connectivity(&x, &conn, 100e-6, 0.05)
            .unwrap()
            .unwrap();
        assert!(
            (exact.pmax - scaled.pmax).abs() < 0.05 * scaled.pmax,
            "{exact:?} {scaled:?}"
        );
        assert!(exact.lower < exact.pmax && exact.pmax < exact.upper);
    }
}
