//! Model parameters and their validation.

use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// Largest supported `n_release_sites`.
///
/// Every binomial coefficient C(n, k) with n ≤ 1024 is representable in `f64`; the
/// binomial probabilities themselves are computed in log space, so nothing overflows or
/// underflows early.
pub const MAX_RELEASE_SITES: u32 = 1024;

/// One of the nine model parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// Number of release sites (integer ≥ 1).
    NReleaseSites,
    /// Resting-state release probability per site, in [0, 1].
    BaseReleaseProbability,
    /// Mean amplitude evoked by one released vesicle (volts; negative for inhibitory synapses).
    MiniAmplitude,
    /// Coefficient of variation of the single-vesicle amplitude (≥ 0).
    MiniAmplitudeCv,
    /// Depression per spike in [0, 1], or exactly −1 for vesicle depletion.
    DepressionAmount,
    /// Recovery time constant of depression or of the vesicle pool (seconds, > 0).
    DepressionTau,
    /// Facilitation per spike, in [0, 1].
    FacilitationAmount,
    /// Decay time constant of facilitation (seconds, > 0).
    FacilitationTau,
    /// Standard deviation of the measurement noise (volts, > 0).
    MeasurementStdev,
}

impl Param {
    /// All parameters in the reference's order.
    pub const ALL: [Param; 9] = [
        Param::NReleaseSites,
        Param::BaseReleaseProbability,
        Param::MiniAmplitude,
        Param::MiniAmplitudeCv,
        Param::DepressionAmount,
        Param::DepressionTau,
        Param::FacilitationAmount,
        Param::FacilitationTau,
        Param::MeasurementStdev,
    ];

    /// The parameter's name as used by the reference (`n_release_sites`, …).
    pub fn name(self) -> &'static str {
        match self {
            Param::NReleaseSites => "n_release_sites",
            Param::BaseReleaseProbability => "base_release_probability",
            Param::MiniAmplitude => "mini_amplitude",
            Param::MiniAmplitudeCv => "mini_amplitude_cv",
            Param::DepressionAmount => "depression_amount",
            Param::DepressionTau => "depression_tau",
            Param::FacilitationAmount => "facilitation_amount",
            Param::FacilitationTau => "facilitation_tau",
            Param::MeasurementStdev => "measurement_stdev",
        }
    }

    /// Position in [`Param::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Checks one value against this parameter's domain.
    pub fn validate(self, value: f64) -> Result<()> {
        let bad = |allowed: &'static str| -> Result<()> {
            Err(Error::new(ErrorKind::InvalidParameter {
                name: self.name(),
                value,
                allowed,
            }))
        };
        match self {
            Param::NReleaseSites => {
                if !(value >= 1.0 && value <= f64::from(MAX_RELEASE_SITES) && value.fract() == 0.0)
                {
                    return bad("must be an integer from 1 to 1024");
                }
            }
            Param::BaseReleaseProbability | Param::FacilitationAmount => {
                if !(0.0..=1.0).contains(&value) {
                    return bad("must be a probability in [0, 1]");
                }
            }
            Param::MiniAmplitude => {
                if !value.is_finite() || value == 0.0 {
                    return bad("must be finite and non-zero (volts; negative for inhibitory)");
                }
            }
            Param::MiniAmplitudeCv => {
                if !(value.is_finite() && value >= 0.0) {
                    return bad("must be finite and ≥ 0");
                }
            }
            Param::DepressionAmount => {
                if !((0.0..=1.0).contains(&value) || value == -1.0) {
                    return bad("must be in [0, 1], or exactly -1 for vesicle depletion");
                }
            }
            Param::DepressionTau | Param::FacilitationTau => {
                if !(value.is_finite() && value > 0.0) {
                    return bad("must be a finite time constant > 0 s");
                }
            }
            Param::MeasurementStdev => {
                if !(value.is_finite() && value > 0.0) {
                    return bad("must be finite and > 0 (volts)");
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Param {
    type Err = Error;

    fn from_str(s: &str) -> Result<Param> {
        Param::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                Error::new(ErrorKind::UnknownParameter {
                    name: s.to_string(),
                    expected: Param::ALL.map(Param::name).join(", "),
                })
            })
    }
}

/// A validated set of the nine release-model parameters (SI units).
///
/// Build one with [`ReleaseParams::builder`]; every parameter must be given and is
/// checked against its domain (see [`Param`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReleaseParams {
    n_release_sites: u32,
    base_release_probability: f64,
    mini_amplitude: f64,
    mini_amplitude_cv: f64,
    depression_amount: f64,
    depression_tau: f64,
    facilitation_amount: f64,
    facilitation_tau: f64,
    measurement_stdev: f64,
}

impl ReleaseParams {
    /// Starts a builder with no parameter set.
    pub fn builder() -> ReleaseParamsBuilder {
        ReleaseParamsBuilder::default()
    }

    /// Builds parameters from values in [`Param::ALL`] order.
    pub fn from_values(values: [f64; 9]) -> Result<ReleaseParams> {
        for (p, v) in Param::ALL.into_iter().zip(values) {
            p.validate(v)?;
        }
        Ok(ReleaseParams::from_valid(values))
    }

    /// Values already validated by [`Param::validate`].
    pub(crate) fn from_valid(v: [f64; 9]) -> ReleaseParams {
        ReleaseParams {
            n_release_sites: v[0] as u32,
            base_release_probability: v[1],
            mini_amplitude: v[2],
            mini_amplitude_cv: v[3],
            depression_amount: v[4],
            depression_tau: v[5],
            facilitation_amount: v[6],
            facilitation_tau: v[7],
            measurement_stdev: v[8],
        }
    }

    /// All values in [`Param::ALL`] order (`n_release_sites` as a float).
    pub fn values(&self) -> [f64; 9] {
        [
            f64::from(self.n_release_sites),
            self.base_release_probability,
            self.mini_amplitude,
            self.mini_amplitude_cv,
            self.depression_amount,
            self.depression_tau,
            self.facilitation_amount,
            self.facilitation_tau,
            self.measurement_stdev,
        ]
    }

    /// The value of one parameter.
    pub fn get(&self, param: Param) -> f64 {
        self.values()[param.index()]
    }

    /// A copy with one parameter changed (validated).
    pub fn with(&self, param: Param, value: f64) -> Result<ReleaseParams> {
        param.validate(value)?;
        let mut v = self.values();
        v[param.index()] = value;
        Ok(ReleaseParams::from_valid(v))
    }

    /// Number of release sites.
    pub fn n_release_sites(&self) -> u32 {
        self.n_release_sites
    }
    /// Resting-state release probability.
    pub fn base_release_probability(&self) -> f64 {
        self.base_release_probability
    }
    /// Single-vesicle amplitude (volts).
    pub fn mini_amplitude(&self) -> f64 {
        self.mini_amplitude
    }
    /// Coefficient of variation of the single-vesicle amplitude.
    pub fn mini_amplitude_cv(&self) -> f64 {
        self.mini_amplitude_cv
    }
    /// Depression per spike, or −1 for vesicle depletion.
    pub fn depression_amount(&self) -> f64 {
        self.depression_amount
    }
    /// Depression / pool recovery time constant (seconds).
    pub fn depression_tau(&self) -> f64 {
        self.depression_tau
    }
    /// Facilitation per spike.
    pub fn facilitation_amount(&self) -> f64 {
        self.facilitation_amount
    }
    /// Facilitation decay time constant (seconds).
    pub fn facilitation_tau(&self) -> f64 {
        self.facilitation_tau
    }
    /// Measurement noise standard deviation (volts).
    pub fn measurement_stdev(&self) -> f64 {
        self.measurement_stdev
    }
    /// Whether vesicle depletion (depression_amount = −1) is on.
    pub fn vesicle_depletion(&self) -> bool {
        self.depression_amount == -1.0
    }
}

impl<'de> Deserialize<'de> for ReleaseParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            n_release_sites: f64,
            base_release_probability: f64,
            mini_amplitude: f64,
            mini_amplitude_cv: f64,
            depression_amount: f64,
            depression_tau: f64,
            facilitation_amount: f64,
            facilitation_tau: f64,
            measurement_stdev: f64,
        }
        let r = Raw::deserialize(d)?;
        ReleaseParams::from_values([
            r.n_release_sites,
            r.base_release_probability,
            r.mini_amplitude,
            r.mini_amplitude_cv,
            r.depression_amount,
            r.depression_tau,
            r.facilitation_amount,
            r.facilitation_tau,
            r.measurement_stdev,
        ])
        .map_err(serde::de::Error::custom)
    }
}

/// Builder for [`ReleaseParams`]; [`build`](ReleaseParamsBuilder::build) validates.
#[derive(Debug, Clone, Default)]
pub struct ReleaseParamsBuilder {
    values: [Option<f64>; 9],
}

macro_rules! setter {
    ($(#[$doc:meta] $name:ident => $param:ident),* $(,)?) => {
        $(
            #[$doc]
            pub fn $name(&mut self, value: f64) -> &mut Self {
                self.values[Param::$param.index()] = Some(value);
                self
            }
        )*
    };
}

impl ReleaseParamsBuilder {
    /// Sets the number of release sites.
    pub fn n_release_sites(&mut self, n: u32) -> &mut Self {
        self.values[Param::NReleaseSites.index()] = Some(f64::from(n));
        self
    }

    setter! {
        /// Sets the resting-state release probability.
        base_release_probability => BaseReleaseProbability,
        /// Sets the single-vesicle amplitude (volts).
        mini_amplitude => MiniAmplitude,
        /// Sets the single-vesicle amplitude CV.
        mini_amplitude_cv => MiniAmplitudeCv,
        /// Sets the depression per spike (−1 for vesicle depletion).
        depression_amount => DepressionAmount,
        /// Sets the depression recovery time constant (seconds).
        depression_tau => DepressionTau,
        /// Sets the facilitation per spike.
        facilitation_amount => FacilitationAmount,
        /// Sets the facilitation decay time constant (seconds).
        facilitation_tau => FacilitationTau,
        /// Sets the measurement noise standard deviation (volts).
        measurement_stdev => MeasurementStdev,
    }

    /// Sets any parameter by [`Param`] (`n_release_sites` as a float).
    pub fn set(&mut self, param: Param, value: f64) -> &mut Self {
        self.values[param.index()] = Some(value);
        self
    }

    /// Validates and returns the parameters.
    pub fn build(&self) -> Result<ReleaseParams> {
        let mut v = [0.0; 9];
        for (i, p) in Param::ALL.into_iter().enumerate() {
            v[i] = self.values[i]
                .ok_or_else(|| Error::new(ErrorKind::MissingParameter { name: p.name() }))?;
        }
        ReleaseParams::from_values(v)
    }
}
