//! The amplitude distribution of one release event: a binomial mixture of Gaussians.

use crate::binomial::{CoefficientTable, Coefficients};
use crate::error::{Error, ErrorKind, Result};
use crate::params::{MAX_RELEASE_SITES, Param};
use rand::Rng;
use rand_distr::{Binomial, Distribution, Normal};

/// Normal density, written as the reference writes it.
#[inline]
pub(crate) fn normal_pdf(mu: f64, sigma: f64, x: f64) -> f64 {
    let var = sigma * sigma;
    (1.0 / (2.0 * std::f64::consts::PI * var)).sqrt() * (-((x - mu) * (x - mu)) / (2.0 * var)).exp()
}

/// Σₖ pmf[k] · Normal(x; k·q, √((q·cv)²·k + σ²)): the straightforward mixture density.
pub(crate) fn mixture_density(x: f64, pmf: &[f64], q: f64, cv: f64, sigma: f64) -> f64 {
    let qcv2 = (q * cv) * (q * cv);
    let s2 = sigma * sigma;
    pmf.iter()
        .enumerate()
        .map(|(k, &w)| {
            let kf = k as f64;
            w * normal_pdf(kf * q, (qcv2 * kf + s2).sqrt(), x)
        })
        .sum()
}

/// Draws one amplitude: k ~ Binomial(available, p), then Normal(k·q, √((q·cv)²·k + σ²)).
pub(crate) fn sample_amplitude<R: Rng + ?Sized>(
    available: u32,
    p: f64,
    q: f64,
    cv: f64,
    sigma: f64,
    rng: &mut R,
) -> f64 {
    let p = p.clamp(0.0, 1.0);
    let k = match Binomial::new(u64::from(available), p) {
        Ok(b) => b.sample(rng) as f64,
        Err(_) => 0.0,
    };
    let sd = ((q * cv) * (q * cv) * k + sigma * sigma).sqrt();
    match Normal::new(k * q, sd) {
        Ok(n) => n.sample(rng),
        Err(_) => k * q,
    }
}

/// The distribution of a response amplitude when `available_sites` vesicles may be
/// released, each with probability `release_probability`: Σₖ Binom(k; N, p) ·
/// Normal(k·q, √((q·cv)²·k + σ²)).
///
/// ```
/// use synphys_release_model::{Coefficients, ReleaseDistribution};
/// let d = ReleaseDistribution::new(3, 0.5, 0.3e-3, 0.25, 0.08e-3, Coefficients::Exact)?;
/// let at_one_quantum = d.density(0.3e-3)?;
/// assert!(at_one_quantum > d.density(2.0e-3)?);
/// assert!((d.mean() - 0.45e-3).abs() < 1e-15);
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReleaseDistribution {
    available_sites: u32,
    release_probability: f64,
    mini_amplitude: f64,
    mini_amplitude_cv: f64,
    measurement_stdev: f64,
    pmf: Vec<f64>,
}

impl ReleaseDistribution {
    /// Validates the arguments (volts for amplitudes) and precomputes the binomial pmf.
    ///
    /// `measurement_stdev` must be > 0: with no noise the zero-release component is a
    /// point mass and the density is undefined (the reference fails there too).
    pub fn new(
        available_sites: u32,
        release_probability: f64,
        mini_amplitude: f64,
        mini_amplitude_cv: f64,
        measurement_stdev: f64,
        coefficients: Coefficients,
    ) -> Result<ReleaseDistribution> {
        if available_sites > MAX_RELEASE_SITES {
            return Err(Error::new(ErrorKind::InvalidParameter {
                name: "available_sites",
                value: f64::from(available_sites),
                allowed: "must be at most 1024",
            }));
        }
        if !(0.0..=1.0).contains(&release_probability) {
            return Err(Error::new(ErrorKind::InvalidParameter {
                name: "release_probability",
                value: release_probability,
                allowed: "must be a probability in [0, 1]",
            }));
        }
        Param::MiniAmplitude.validate(mini_amplitude)?;
        Param::MiniAmplitudeCv.validate(mini_amplitude_cv)?;
        Param::MeasurementStdev.validate(measurement_stdev)?;
        let table = CoefficientTable::new(available_sites, coefficients)?;
        let mut pmf = Vec::new();
        table.pmf_into(available_sites, release_probability, &mut pmf);
        Ok(ReleaseDistribution {
            available_sites,
            release_probability,
            mini_amplitude,
            mini_amplitude_cv,
            measurement_stdev,
            pmf,
        })
    }

    /// Probability density (per volt) at `amplitude`; NaN is an error.
    pub fn density(&self, amplitude: f64) -> Result<f64> {
        if amplitude.is_nan() {
            return Err(Error::new(ErrorKind::NanAmplitude));
        }
        Ok(mixture_density(
            amplitude,
            &self.pmf,
            self.mini_amplitude,
            self.mini_amplitude_cv,
            self.measurement_stdev,
        ))
    }

    /// The probabilities of releasing k = 0..=N vesicles.
    pub fn release_pmf(&self) -> &[f64] {
        &self.pmf
    }

    /// Expected amplitude N·p·q.
    pub fn mean(&self) -> f64 {
        f64::from(self.available_sites) * self.release_probability * self.mini_amplitude
    }

    /// Draws one amplitude.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        sample_amplitude(
            self.available_sites,
            self.release_probability,
            self.mini_amplitude,
            self.mini_amplitude_cv,
            self.measurement_stdev,
            rng,
        )
    }
}
