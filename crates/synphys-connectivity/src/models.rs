//! Models of connection probability as a function of one variable (usually distance).

use libm::erfc;
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_positive, check_range, check_same_len};

/// Probability floor of the clipped models (linear and sphere intersection): lets a few
/// connections occur past the model's reach, without which fitting becomes impossible.
pub const PROBABILITY_FLOOR: f64 = 0.005;

/// A model of the probability that a probed pair is connected, given one variable `x`
/// (distance in metres for the distance models).
///
/// The log-likelihood of observations is `Σ y ln p(x) + (1 − y) ln(1 − p(x))`.
pub trait ConnectivityModel {
    /// Probability of a connection at `x`.
    fn connection_probability(&self, x: f64) -> f64;

    /// `ln p(x)`. Models whose probability can underflow while its logarithm stays finite
    /// (Gaussian, exponential) override this to return the exact value.
    fn ln_connection_probability(&self, x: f64) -> f64 {
        self.connection_probability(x).ln()
    }

    /// Log-likelihood of outcomes `connected` observed at `x` (same lengths). It can be
    /// `-inf` (a connection where the model gives probability 0, or none where it gives 1).
    fn log_likelihood(&self, x: &[f64], connected: &[bool]) -> Result<f64> {
        check_same_len("connected", x.len(), connected.len())?;
        Ok(x.iter()
            .zip(connected)
            .map(|(&x, &c)| {
                if c {
                    self.ln_connection_probability(x)
                } else {
                    (-self.connection_probability(x)).ln_1p()
                }
            })
            .sum())
    }

    /// Draws one outcome per `x` from the model with the given (seeded) generator.
    fn sample<R: Rng + ?Sized>(&self, x: &[f64], rng: &mut R) -> Vec<bool>
    where
        Self: Sized,
    {
        x.iter()
            .map(|&x| rng.random::<f64>() < self.connection_probability(x))
            .collect()
    }
}

fn check_pmax(pmax: f64) -> Result<f64> {
    check_range("pmax", pmax, 0.0, 1.0, "a probability in [0, 1]")
}

/// Gaussian fall-off: `p(x) = pmax · exp(−x² / 2σ²)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GaussianModel {
    pmax: f64,
    sigma_m: f64,
}

impl GaussianModel {
    /// `pmax` in `[0, 1]`, `sigma_m` (metres) finite and `> 0`.
    pub fn new(pmax: f64, sigma_m: f64) -> Result<GaussianModel> {
        Ok(GaussianModel {
            pmax: check_pmax(pmax)?,
            sigma_m: check_positive("sigma_m", sigma_m)?,
        })
    }
    /// Probability at distance 0.
    pub fn pmax(&self) -> f64 {
        self.pmax
    }
    /// Width σ in metres.
    pub fn sigma_m(&self) -> f64 {
        self.sigma_m
    }
}

impl ConnectivityModel for GaussianModel {
    fn connection_probability(&self, x: f64) -> f64 {
        self.pmax * (-x * x / (2.0 * self.sigma_m * self.sigma_m)).exp()
    }
    fn ln_connection_probability(&self, x: f64) -> f64 {
        self.pmax.ln() - x * x / (2.0 * self.sigma_m * self.sigma_m)
    }
}

/// Exponential fall-off: `p(x) = pmax · exp(−x / λ)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExponentialModel {
    pmax: f64,
    lambda_m: f64,
}

impl ExponentialModel {
    /// `pmax` in `[0, 1]`, `lambda_m` (metres) finite and `> 0`.
    pub fn new(pmax: f64, lambda_m: f64) -> Result<ExponentialModel> {
        Ok(ExponentialModel {
            pmax: check_pmax(pmax)?,
            lambda_m: check_positive("lambda_m", lambda_m)?,
        })
    }
    /// Probability at distance 0.
    pub fn pmax(&self) -> f64 {
        self.pmax
    }
    /// Decay length λ in metres.
    pub fn lambda_m(&self) -> f64 {
        self.lambda_m
    }
}

impl ConnectivityModel for ExponentialModel {
    fn connection_probability(&self, x: f64) -> f64 {
        self.pmax * (-x / self.lambda_m).exp()
    }
    fn ln_connection_probability(&self, x: f64) -> f64 {
        self.pmax.ln() - x / self.lambda_m
    }
}

/// Linear fall-off: `p(x) = clip(pmax · (s − x) / s, 0.005, 1)`.
///
/// The floor ([`PROBABILITY_FLOOR`]) keeps a few connections possible beyond `s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinearModel {
    pmax: f64,
    reach_m: f64,
}

impl LinearModel {
    /// `pmax` in `[0, 1]`; `reach_m`, the distance (metres) at which the line reaches 0,
    /// finite and `> 0`.
    pub fn new(pmax: f64, reach_m: f64) -> Result<LinearModel> {
        Ok(LinearModel {
            pmax: check_pmax(pmax)?,
            reach_m: check_positive("reach_m", reach_m)?,
        })
    }
    /// Probability at distance 0 (before clipping).
    pub fn pmax(&self) -> f64 {
        self.pmax
    }
    /// Distance (metres) at which the unclipped line reaches 0.
    pub fn reach_m(&self) -> f64 {
        self.reach_m
    }
}

impl ConnectivityModel for LinearModel {
    fn connection_probability(&self, x: f64) -> f64 {
        (self.pmax * (self.reach_m - x) / self.reach_m).clamp(PROBABILITY_FLOOR, 1.0)
    }
}

/// How a [`SphereIntersectionModel`] was specified.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
enum SphereScale {
    Pmax(f64),
    DensityPerM3(f64),
}

/// Connection probability from the overlap volume `V(x)` of two spheres of radius `r`
/// whose centres are `x` apart: synapses are a Poisson process of density `ρ` in the
/// overlap, so `p(x) = clip(1 − exp(−ρ·V(x)), 0.005, 1)`.
///
/// Either `pmax` (the probability at `x = 0`) or the density `ρ` (synapses per m³) fixes
/// the scale; the other follows from `pmax = 1 − exp(−ρ·4πr³/3)`. With `pmax = 1` the
/// density is infinite and `p = 1` wherever the spheres overlap; where they do not
/// (`x ≥ 2r`) `p` is the floor 0.005, the limit of `pmax → 1` (the Python reference
/// returns NaN there).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SphereIntersectionModel {
    radius_m: f64,
    scale: SphereScale,
}

impl SphereIntersectionModel {
    /// From the probability at distance 0 (`pmax` in `[0, 1]`) and the radius (metres).
    pub fn with_pmax(pmax: f64, radius_m: f64) -> Result<SphereIntersectionModel> {
        Ok(SphereIntersectionModel {
            radius_m: check_positive("radius_m", radius_m)?,
            scale: SphereScale::Pmax(check_pmax(pmax)?),
        })
    }

    /// From the synapse density (synapses per m³, finite and `≥ 0`) and the radius (metres).
    pub fn with_density(density_per_m3: f64, radius_m: f64) -> Result<SphereIntersectionModel> {
        let density = check_range(
            "density_per_m3",
            density_per_m3,
            0.0,
            f64::MAX,
            "finite and >= 0 (synapses per cubic metre)",
        )?;
        Ok(SphereIntersectionModel {
            radius_m: check_positive("radius_m", radius_m)?,
            scale: SphereScale::DensityPerM3(density),
        })
    }

    /// Radius of one cell's sphere (metres); the overlap reaches `2r`.
    pub fn radius_m(&self) -> f64 {
        self.radius_m
    }

    /// Volume of one sphere.
    fn full_volume(&self) -> f64 {
        4.0 / 3.0 * std::f64::consts::PI * self.radius_m.powi(3)
    }

    /// Synapse density (synapses per m³); infinite when `pmax = 1`.
    pub fn density_per_m3(&self) -> f64 {
        match self.scale {
            SphereScale::DensityPerM3(d) => d,
            SphereScale::Pmax(p) => -(-p).ln_1p() / self.full_volume(),
        }
    }

    /// Probability at distance 0 (clipped like every value of this model).
    pub fn pmax(&self) -> f64 {
        match self.scale {
            SphereScale::Pmax(p) => p,
            SphereScale::DensityPerM3(_) => self.connection_probability(0.0),
        }
    }

    /// Overlap volume (m³) of the two spheres at centre distance `x`.
    pub fn volume_overlap(&self, x: f64) -> f64 {
        let r = self.radius_m;
        if x < 2.0 * r {
            4.0 * std::f64::consts::PI / 3.0 * r.powi(3)
                - std::f64::consts::PI * x * (r * r - x * x / 12.0)
        } else {
            0.0
        }
    }

    /// `ln(1 − p)` before clipping, i.e. `−ρ·V(x)`.
    fn ln_miss(&self, x: f64) -> f64 {
        match self.scale {
            SphereScale::DensityPerM3(d) => -d * self.volume_overlap(x),
            SphereScale::Pmax(p) => {
                let fraction = sphere_overlap_fraction(x / self.radius_m);
                if fraction == 0.0 {
                    0.0
                } else {
                    (-p).ln_1p() * fraction
                }
            }
        }
    }
}

/// `V(x)/V(0)` for spheres of radius `r` at distance `x = u·r`.
pub(crate) fn sphere_overlap_fraction(u: f64) -> f64 {
    if u < 2.0 {
        1.0 - 0.75 * u + u * u * u / 16.0
    } else {
        0.0
    }
}

impl ConnectivityModel for SphereIntersectionModel {
    fn connection_probability(&self, x: f64) -> f64 {
        (-self.ln_miss(x).exp_m1()).clamp(PROBABILITY_FLOOR, 1.0)
    }
}

/// Error-function rise: `p(x) = pmax · ½(1 + erf((x − μ) / (√2·σ)))`.
///
/// Used as a correction for pair depth in the slice and for detection power.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErfModel {
    pmax: f64,
    width: f64,
    midpoint: f64,
}

impl ErfModel {
    /// `pmax` in `[0, 1]`, `width` σ finite `> 0`, `midpoint` μ finite (units of `x`).
    pub fn new(pmax: f64, width: f64, midpoint: f64) -> Result<ErfModel> {
        if !midpoint.is_finite() {
            return Err(Error::invalid("midpoint", midpoint, "finite"));
        }
        Ok(ErfModel {
            pmax: check_pmax(pmax)?,
            width: check_positive("width", width)?,
            midpoint,
        })
    }
    /// The plateau probability.
    pub fn pmax(&self) -> f64 {
        self.pmax
    }
    /// σ of the integrated Gaussian.
    pub fn width(&self) -> f64 {
        self.width
    }
    /// μ, where the probability is half the plateau.
    pub fn midpoint(&self) -> f64 {
        self.midpoint
    }
}

/// `½(1 + erf(z/√2))`, computed with `erfc` so the lower tail keeps relative precision.
pub(crate) fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

impl ConnectivityModel for ErfModel {
    fn connection_probability(&self, x: f64) -> f64 {
        self.pmax * normal_cdf((x - self.midpoint) / self.width)
    }
}

/// Step adjustment: `p(x) = pmax · adjustment` below `threshold`, `pmax` at or above it.
///
/// Used as a correction for presynaptic axon length (truncated axons connect less).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BinaryStepModel {
    pmax: f64,
    threshold: f64,
    adjustment: f64,
}

impl BinaryStepModel {
    /// `pmax` and `adjustment` in `[0, 1]`, `threshold` finite (units of `x`).
    pub fn new(pmax: f64, threshold: f64, adjustment: f64) -> Result<BinaryStepModel> {
        if !threshold.is_finite() {
            return Err(Error::invalid("threshold", threshold, "finite"));
        }
        Ok(BinaryStepModel {
            pmax: check_pmax(pmax)?,
            threshold,
            adjustment: check_range("adjustment", adjustment, 0.0, 1.0, "a factor in [0, 1]")?,
        })
    }
    /// Probability at or above the threshold.
    pub fn pmax(&self) -> f64 {
        self.pmax
    }
    /// Values below this are adjusted.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }
    /// Factor applied below the threshold.
    pub fn adjustment(&self) -> f64 {
        self.adjustment
    }
}

impl ConnectivityModel for BinaryStepModel {
    fn connection_probability(&self, x: f64) -> f64 {
        if x < self.threshold {
            self.pmax * self.adjustment
        } else {
            self.pmax
        }
    }
}

/// The distance kernel of a profile: how probability falls with distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// `exp(−x²/2σ²)`.
    Gaussian,
    /// `exp(−x/λ)`.
    Exponential,
}

impl Kernel {
    /// Kernel value at distance `x` for width `scale_m` (σ or λ), both in metres.
    pub fn value(self, x: f64, scale_m: f64) -> f64 {
        match self {
            Kernel::Gaussian => (-x * x / (2.0 * scale_m * scale_m)).exp(),
            Kernel::Exponential => (-x / scale_m).exp(),
        }
    }

    /// Lower-case name, as written in exports ("gaussian" / "exponential").
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Gaussian => "gaussian",
            Kernel::Exponential => "exponential",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_parameters_name_the_parameter() {
        let err = GaussianModel::new(1.5, 1e-4).unwrap_err();
        assert!(err.to_string().contains("pmax = 1.5"), "{err}");
        let err = ExponentialModel::new(0.1, -1.0).unwrap_err();
        assert!(err.to_string().contains("lambda_m"), "{err}");
        assert!(SphereIntersectionModel::with_density(f64::NAN, 1e-4).is_err());
        assert!(BinaryStepModel::new(0.5, 1e-4, 1.2).is_err());
        assert!(ErfModel::new(0.5, 0.0, 1.0).is_err());
    }

    #[test]
    fn sphere_parametrisations_agree() {
        let by_pmax = SphereIntersectionModel::with_pmax(0.3, 80e-6).unwrap();
        let by_density =
            SphereIntersectionModel::with_density(by_pmax.density_per_m3(), 80e-6).unwrap();
        for x in [0.0, 10e-6, 90e-6, 150e-6, 170e-6] {
            let (a, b) = (
                by_pmax.connection_probability(x),
                by_density.connection_probability(x),
            );
            assert!((a - b).abs() <= 1e-14, "{x}: {a} vs {b}");
        }
        assert!((by_density.pmax() - 0.3).abs() < 1e-14);
    }

    #[test]
    fn sphere_with_pmax_one_has_the_limit_value_beyond_reach() {
        let m = SphereIntersectionModel::with_pmax(1.0, 100e-6).unwrap();
        assert_eq!(m.connection_probability(50e-6), 1.0);
        assert_eq!(m.connection_probability(250e-6), PROBABILITY_FLOOR);
        assert!(m.density_per_m3().is_infinite());
    }
}
