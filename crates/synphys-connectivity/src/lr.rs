//! Maximum likelihood and likelihood-ratio intervals for a scale factor θ with
//! `p_i = min(θ·c_i, 1)`: the Gaussian pmax at fixed σ (`c_i` the kernel values) and the
//! correction model's pmax (`c_i` the products of correction factors).
//!
//! The negative log-likelihood is convex in θ (each term is `−ln min(θc, 1)` or
//! `−ln(1 − θc)`), so the estimate is the unique root of its derivative and each end of
//! the interval is the unique crossing of `NLL(θ̂) + Δ` on its side.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::error::{Error, ErrorKind, Result};
use crate::optim::monotone_root;

/// `ΔNLL` of a likelihood-ratio interval at level `1 − alpha`: `χ²₁(1 − alpha) / 2`
/// (1.92 for 95 %).
pub fn likelihood_ratio_delta(alpha: f64) -> Result<f64> {
    crate::error::check_alpha(alpha)?;
    let chi2 =
        ChiSquared::new(1.0).map_err(|_| Error::invalid("degrees of freedom", 1.0, "> 0"))?;
    Ok(chi2.inverse_cdf(1.0 - alpha) / 2.0)
}

pub(crate) struct ScaledBernoulli {
    connected: Vec<f64>,
    unconnected: Vec<f64>,
    /// θ at which some unconnected pair reaches probability 1 (NLL = ∞ from there on).
    limit: f64,
}

impl ScaledBernoulli {
    /// `factors[i]` must be finite and `>= 0` (checked by callers).
    pub(crate) fn new(factors: &[f64], connected: &[bool]) -> ScaledBernoulli {
        let mut con = Vec::new();
        let mut unc = Vec::new();
        for (&c, &y) in factors.iter().zip(connected) {
            if y {
                con.push(c);
            } else {
                unc.push(c);
            }
        }
        let cmax = unc.iter().copied().fold(0.0f64, f64::max);
        ScaledBernoulli {
            connected: con,
            unconnected: unc,
            limit: if cmax > 0.0 {
                1.0 / cmax
            } else {
                f64::INFINITY
            },
        }
    }

    pub(crate) fn n_connected(&self) -> usize {
        self.connected.len()
    }

    pub(crate) fn nll(&self, theta: f64) -> f64 {
        self.eval(theta).0
    }

    /// NLL with its first and second derivatives, in one pass.
    fn eval(&self, theta: f64) -> (f64, f64, f64) {
        if theta >= self.limit {
            return (f64::INFINITY, f64::INFINITY, f64::INFINITY);
        }
        let (mut f, mut d1, mut d2) = (0.0, 0.0, 0.0);
        let mut below = 0.0;
        for &c in &self.connected {
            let p = theta * c;
            if p < 1.0 {
                f -= p.ln();
                below += 1.0;
            }
        }
        if below > 0.0 {
            d1 -= below / theta;
            d2 += below / (theta * theta);
        }
        for &c in &self.unconnected {
            let tc = theta * c;
            f -= (-tc).ln_1p();
            let r = c / (1.0 - tc);
            d1 += r;
            d2 += r * r;
        }
        (f, d1, d2)
    }

    /// First and second derivative of the NLL (no logarithms needed).
    fn derivatives(&self, theta: f64) -> (f64, f64) {
        if theta >= self.limit {
            return (f64::INFINITY, f64::INFINITY);
        }
        let mut d1 = 0.0;
        let mut d2 = 0.0;
        let below = self.connected.iter().filter(|&&c| theta * c < 1.0).count() as f64;
        if below > 0.0 {
            d1 -= below / theta;
            d2 += below / (theta * theta);
        }
        for &c in &self.unconnected {
            let r = c / (1.0 - theta * c);
            d1 += r;
            d2 += r * r;
        }
        (d1, d2)
    }

    /// Maximum-likelihood θ in `[lo, hi]` and the NLL there.
    pub(crate) fn mle(&self, lo: f64, hi: f64) -> Result<(f64, f64)> {
        if self.connected.contains(&0.0) {
            return Err(ErrorKind::DegenerateLikelihood {
                reason: "a connected pair has correction factor 0 (probability 0 for every pmax)"
                    .into(),
            }
            .into());
        }
        if lo >= self.limit {
            return Err(ErrorKind::DegenerateLikelihood {
                reason: format!(
                    "pmax lower bound {lo} already gives probability 1 to an unconnected pair"
                ),
            }
            .into());
        }
        let theta = if self.connected.is_empty() {
            lo
        } else if hi < self.limit && self.derivatives(hi).0 <= 0.0 {
            hi
        } else if lo > 0.0 && self.derivatives(lo).0 >= 0.0 {
            lo
        } else {
            let upper = hi.min(self.limit);
            // The scaled estimate k / Σc is close to the root when probabilities are small.
            let total: f64 = self.connected.iter().chain(&self.unconnected).sum();
            let guess = self.connected.len() as f64 / total;
            monotone_root(lo, upper, guess, true, |t| self.derivatives(t))
        };
        Ok((theta, self.nll(theta)))
    }

    /// The set `{θ in [lo, hi] : NLL(θ) ≤ NLL(θ̂) + delta}`.
    ///
    /// Each end is found by Newton's method on `NLL(θ) − NLL(θ̂) − delta`, started from the
    /// quadratic approximation `θ̂ ∓ √(2·delta / NLL''(θ̂))`.
    pub(crate) fn lr_interval(
        &self,
        theta_hat: f64,
        nll_hat: f64,
        delta: f64,
        lo: f64,
        hi: f64,
    ) -> (f64, f64) {
        let target = nll_hat + delta;
        let excess = |t: f64| {
            let (f, d1, _) = self.eval(t);
            (f - target, d1)
        };
        let curvature = self.derivatives(theta_hat).1;
        let step = if curvature > 0.0 && curvature.is_finite() {
            (2.0 * delta / curvature).sqrt()
        } else {
            f64::NAN
        };
        // NLL(0) is infinite when there are connections: no pass needed to see that.
        let lower_end_inside = (lo == 0.0 && !self.connected.is_empty()) || self.nll(lo) > target;
        let lower = if theta_hat <= lo || !lower_end_inside {
            lo
        } else {
            monotone_root(lo, theta_hat, theta_hat - step, false, excess)
        };
        let upper_end = hi.min(self.limit);
        let upper = if theta_hat >= hi || (hi < self.limit && self.nll(hi) <= target) {
            hi
        } else {
            monotone_root(theta_hat, upper_end, theta_hat + step, true, excess)
        };
        (lower, upper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_is_half_the_chi_square_quantile() {
        let d = likelihood_ratio_delta(0.05).unwrap();
        assert!((d - 1.920_729_410_347_062).abs() < 1e-12, "{d}");
    }

    #[test]
    fn constant_factors_reduce_to_the_binomial() {
        // With c_i = 1 the MLE is k/n and the interval crosses NLL + delta on both sides.
        let conn: Vec<bool> = (0..40).map(|i| i % 4 == 0).collect();
        let model = ScaledBernoulli::new(&vec![1.0; 40], &conn);
        let (theta, nll) = model.mle(0.0, 1.0).unwrap();
        assert!((theta - 0.25).abs() < 1e-12);
        let (lo, hi) = model.lr_interval(theta, nll, 1.92, 0.0, 1.0);
        assert!((model.nll(lo) - nll - 1.92).abs() < 1e-9);
        assert!((model.nll(hi) - nll - 1.92).abs() < 1e-9);
        assert!(lo < 0.25 && hi > 0.25);
    }

    #[test]
    fn zero_factor_on_a_connection_is_degenerate() {
        let model = ScaledBernoulli::new(&[0.0, 1.0], &[true, false]);
        assert!(model.mle(0.0, 1.0).is_err());
    }
}
