//! Connectivity priors for network builders: one record per class pair, exported as JSON
//! or CSV, and the connection rule a simulator needs.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};
use crate::fit::DistanceModelKind;
use crate::models::Kernel;
use crate::profile::{AdjustedConnectivity, AdjustmentMethod};
use crate::summary::{DistanceMeasure, GroupSummary};

/// What a network builder needs to connect one class pair: counts, raw and
/// distance-adjusted probability with intervals, the kernel and its width, and the
/// fitted profile. Distances are in metres (field names say so).
///
/// `adjusted_pmax` is kept as estimated, even above 1; `pmax_clamped` says so, and
/// [`ConnectivityPrior::rule`] then uses 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectivityPrior {
    /// Presynaptic class.
    pub pre_class: String,
    /// Postsynaptic class.
    pub post_class: String,
    /// Pairs probed.
    pub n_probed: u64,
    /// Connections found.
    pub n_connected: u64,
    /// Intervals are at level `1 − alpha`.
    pub alpha: f64,
    /// `n_connected / n_probed` (null when nothing was probed).
    #[serde(with = "crate::serde_nan")]
    pub raw_probability: f64,
    /// Clopper–Pearson lower bound of the raw probability.
    pub raw_ci_lower: f64,
    /// Clopper–Pearson upper bound of the raw probability.
    pub raw_ci_upper: f64,
    /// Which distance the profile is on.
    pub distance_measure: DistanceMeasure,
    /// The profile's kernel.
    pub kernel: Kernel,
    /// Width of the fixed profile used for the adjustment (σ or λ), metres.
    pub sigma_m: Option<f64>,
    /// Distance-adjusted pmax, unclamped.
    pub adjusted_pmax: Option<f64>,
    /// Lower end of its interval.
    pub adjusted_ci_lower: Option<f64>,
    /// Upper end of its interval.
    pub adjusted_ci_upper: Option<f64>,
    /// How the adjusted pmax and interval were computed.
    pub adjusted_method: Option<AdjustmentMethod>,
    /// True when the adjusted pmax exceeds 1 (rules use 1).
    pub pmax_clamped: bool,
    /// Model of the fitted distance profile.
    pub fit_model: Option<DistanceModelKind>,
    /// Fitted pmax.
    pub fit_pmax: Option<f64>,
    /// Fitted size (σ, λ, reach or radius), metres.
    pub fit_size_m: Option<f64>,
    /// Negative log-likelihood of the fit.
    pub fit_nll: Option<f64>,
}

/// Which adjusted estimate a prior carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreferredAdjustment {
    /// The exact likelihood-ratio estimate when present, else the scaled approximation.
    Exact,
    /// The scaled approximation (the Python reference's numbers).
    Scaled,
}

impl ConnectivityPrior {
    /// From a group summary, carrying the adjusted estimate `preferred`.
    pub fn from_summary(
        summary: &GroupSummary,
        preferred: PreferredAdjustment,
    ) -> ConnectivityPrior {
        let adjusted: Option<&AdjustedConnectivity> = match preferred {
            PreferredAdjustment::Exact => summary
                .adjusted_exact
                .as_ref()
                .or(summary.adjusted.as_ref()),
            PreferredAdjustment::Scaled => summary.adjusted.as_ref(),
        };
        let c = &summary.connection;
        let fit = summary.fit.as_ref();
        ConnectivityPrior {
            pre_class: summary.key.pre.clone(),
            post_class: summary.key.post.clone(),
            n_probed: c.n_probed,
            n_connected: c.n_connected,
            alpha: c.alpha,
            raw_probability: c.estimate,
            raw_ci_lower: c.lower,
            raw_ci_upper: c.upper,
            distance_measure: summary.distance_measure,
            kernel: adjusted
                .map(|a| a.kernel)
                .or_else(|| fit.and_then(|f| f.model.kernel()))
                .unwrap_or(Kernel::Gaussian),
            sigma_m: adjusted.map(|a| a.scale_m),
            adjusted_pmax: adjusted.map(|a| a.pmax),
            adjusted_ci_lower: adjusted.map(|a| a.lower),
            adjusted_ci_upper: adjusted.map(|a| a.upper),
            adjusted_method: adjusted.map(|a| a.method),
            pmax_clamped: adjusted.is_some_and(|a| a.pmax > 1.0),
            fit_model: fit.map(|f| f.model.kind()),
            fit_pmax: fit.map(|f| f.model.pmax()),
            fit_size_m: fit.map(|f| f.model.size_m()),
            fit_nll: fit.map(|f| f.nll),
        }
    }

    /// The connection rule for simulators: the adjusted pmax (clamped to 1) with the
    /// fixed width, or else a Gaussian or exponential fit.
    pub fn rule(&self) -> Result<ConnectionRule> {
        let incomplete = |reason| {
            ErrorKind::IncompletePrior {
                pre: self.pre_class.clone(),
                post: self.post_class.clone(),
                reason,
            }
            .into()
        };
        let (kernel, pmax, scale_m) = match (self.adjusted_pmax, self.sigma_m) {
            (Some(p), Some(s)) if p.is_finite() => (self.kernel, p, s),
            _ => match (self.fit_model, self.fit_pmax, self.fit_size_m) {
                (Some(DistanceModelKind::Gaussian), Some(p), Some(s)) => (Kernel::Gaussian, p, s),
                (Some(DistanceModelKind::Exponential), Some(p), Some(s)) => {
                    (Kernel::Exponential, p, s)
                }
                (Some(_), ..) => {
                    return Err(incomplete(
                        "simulator rules need a Gaussian or exponential profile; the fitted profile is neither and there is no adjusted pmax",
                    ));
                }
                _ => return Err(incomplete("no adjusted pmax and no fitted profile")),
            },
        };
        ConnectionRule::new(
            &self.pre_class,
            &self.post_class,
            kernel,
            pmax,
            scale_m,
            self.distance_measure,
        )
    }
}

/// `p(d) = pmax · kernel(d; scale)` between two classes, ready for a simulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionRule {
    /// Presynaptic class.
    pub pre_class: String,
    /// Postsynaptic class.
    pub post_class: String,
    /// Gaussian or exponential.
    pub kernel: Kernel,
    /// Probability at distance 0, at most 1.
    pub pmax: f64,
    /// The estimate before clamping.
    pub unclamped_pmax: f64,
    /// σ or λ in metres.
    pub scale_m: f64,
    /// Which distance the kernel applies to.
    pub distance_measure: DistanceMeasure,
}

impl ConnectionRule {
    /// A rule `pmax · kernel(d; scale_m)`: pmax finite and `>= 0` (kept as given and
    /// clamped to 1 for use), `scale_m` (metres) finite and `> 0`.
    pub fn new(
        pre_class: impl Into<String>,
        post_class: impl Into<String>,
        kernel: Kernel,
        pmax: f64,
        scale_m: f64,
        distance_measure: DistanceMeasure,
    ) -> Result<ConnectionRule> {
        crate::error::check_range("pmax", pmax, 0.0, f64::MAX, "finite and >= 0")?;
        crate::error::check_positive("scale_m", scale_m)?;
        Ok(ConnectionRule {
            pre_class: pre_class.into(),
            post_class: post_class.into(),
            kernel,
            pmax: pmax.min(1.0),
            unclamped_pmax: pmax,
            scale_m,
            distance_measure,
        })
    }

    /// Whether pmax was clamped to 1.
    pub fn clamped(&self) -> bool {
        self.unclamped_pmax > self.pmax
    }

    /// Connection probability at distance `d_m` (metres).
    pub fn probability(&self, d_m: f64) -> f64 {
        self.pmax * self.kernel.value(d_m, self.scale_m)
    }
}

fn export_error(format: &'static str, e: impl std::fmt::Display) -> crate::Error {
    ErrorKind::Export {
        format,
        message: e.to_string(),
    }
    .into()
}

/// Priors as a pretty-printed JSON array (NaN as null).
pub fn priors_to_json(priors: &[ConnectivityPrior]) -> Result<String> {
    serde_json::to_string_pretty(priors).map_err(|e| export_error("JSON", e))
}

/// Priors from JSON written by [`priors_to_json`].
pub fn priors_from_json(text: &str) -> Result<Vec<ConnectivityPrior>> {
    serde_json::from_str(text).map_err(|e| export_error("JSON", e))
}

/// Priors as CSV with a header row: the same field names as the JSON, and an empty cell
/// for an absent value (an undefined raw probability included).
pub fn priors_to_csv(priors: &[ConnectivityPrior]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for p in priors {
        writer.serialize(p).map_err(|e| export_error("CSV", e))?;
    }
    let bytes = writer.into_inner().map_err(|e| export_error("CSV", e))?;
    String::from_utf8(bytes).map_err(|e| export_error("CSV", e))
}
