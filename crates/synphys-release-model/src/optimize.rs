//! Mini-amplitude optimisation at one parameter point.

use crate::engine::{
    DepletionTable, FixedTable, LnCoefficients, Shape, Synapse, Trajectory, U_BOUNDS, Work,
    optimise_point, raw_estimate, release_probabilities, starting_point,
};
use crate::error::{Error, ErrorKind, Result};
use crate::model::ReleaseModel;
use crate::params::{Param, ReleaseParams};
use serde::Serialize;

/// The reference's starting point for the optimisation (its `optimization_info`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptimizationInfo {
    /// `corrected_amp / ratio`: the raw estimate, or less when the cap applied.
    pub init_amp: f64,
    /// Mean amplitude / mean expected amplitude of a run at the raw estimate.
    pub ratio: f64,
    /// Raw estimate × ratio, capped at the mean amplitude: where the search starts.
    pub corrected_amp: f64,
    /// Score of the run at the raw estimate.
    pub init_likelihood: Option<f64>,
}

/// Result of [`ReleaseModel::optimize_mini_amplitude`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MiniAmplitudeFit {
    /// The model parameters with the optimised mini amplitude.
    pub params: ReleaseParams,
    /// The score `exp(mean(ln(L + 0.1)))` at the optimum.
    pub score: f64,
    /// The starting point.
    pub info: OptimizationInfo,
    /// The search interval [0.01, 100] × `corrected_amp`, sorted.
    pub bounds: (f64, f64),
    /// Number of score evaluations (each one model run, with derivatives).
    pub evaluations: u32,
}

/// The reference's initial estimate of the mini amplitude: mean amplitude / (n·Pr),
/// halved until its magnitude is at most the mean amplitude's.
///
/// Errors when the estimate is undefined (no finite amplitude, Pr = 0, or a zero
/// mean amplitude) instead of looping forever as the reference does at Pr = 0.
///
/// ```
/// // mean 2 mV over n·Pr = 0.5 expected quanta: 4 mV, halved until ≤ 2 mV.
/// let q = synphys_release_model::estimate_mini_amplitude(&[1e-3, f64::NAN, 3e-3], 2, 0.25)?;
/// assert!((q - 2e-3).abs() < 1e-15);
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
pub fn estimate_mini_amplitude(
    amplitudes: &[f64],
    n_release_sites: u32,
    base_release_probability: f64,
) -> Result<f64> {
    Param::NReleaseSites.validate(f64::from(n_release_sites))?;
    Param::BaseReleaseProbability.validate(base_release_probability)?;
    let measured: Vec<f64> = amplitudes.iter().copied().filter(|a| !a.is_nan()).collect();
    if measured.is_empty() {
        return Err(Error::new(ErrorKind::NoMeasuredEvents));
    }
    let mean = measured.iter().sum::<f64>() / measured.len() as f64;
    raw_estimate(mean, n_release_sites, base_release_probability)
}

impl ReleaseModel {
    /// Finds the mini amplitude that maximises the score for these events, with all
    /// other parameters fixed (the model's own mini amplitude is ignored).
    ///
    /// Starts where the reference starts (initial estimate, ratio correction, cap at the
    /// mean amplitude), follows the reference's own Nelder–Mead on q within
    /// [0.01, 100] × that start, and, outside depletion mode (where the score is smooth
    /// in q), climbs from its end point with a safeguarded Newton iteration on ln q using
    /// the score's analytic derivatives. The score is therefore never below the
    /// reference's at the same point (see the crate README).
    pub fn optimize_mini_amplitude(
        &self,
        spike_times: &[f64],
        amplitudes: &[f64],
    ) -> Result<MiniAmplitudeFit> {
        let syn = Synapse::new(spike_times, amplitudes, self.missing_event_penalty())?;
        if syn.n_counted == 0 {
            return Err(Error::new(ErrorKind::NoMeasuredEvents));
        }
        let p = *self.params();
        let n = p.n_release_sites();
        let depletion = p.vesicle_depletion();
        let dep_decay = syn.decay(p.depression_tau());
        let fac_decay = syn.decay(p.facilitation_tau());
        let mut probs = Trajectory::default();
        let dep_amount = if depletion {
            0.0
        } else {
            p.depression_amount()
        };
        release_probabilities(
            p.base_release_probability(),
            dep_amount,
            &dep_decay,
            p.facilitation_amount(),
            &fac_decay,
            &mut probs,
        );
        let recovery = depletion.then_some(dep_decay.as_slice());
        let start = starting_point(&syn, n, p.base_release_probability(), &probs.p, recovery)?;
        let init_likelihood = ReleaseModel::builder(p.with(Param::MiniAmplitude, start.raw)?)
            .coefficients(self.coefficients())
            .missing_event_penalty(self.missing_event_penalty())
            .build()?
            .likelihood(spike_times, amplitudes)?
            .score();
        let ln_c = LnCoefficients::new(n, self.coefficients())?;
        let mut fixed = FixedTable::default();
        let dep;
        let shape = if depletion {
            dep = DepletionTable::new(&syn, n, &probs, &dep_decay, &ln_c, p.measurement_stdev());
            Shape::Depletion(&dep)
        } else {
            fixed.build(&syn, n, &probs, &ln_c, p.measurement_stdev());
            Shape::Fixed(&fixed)
        };
        let mut work = Work::default();
        let fit = optimise_point(
            shape,
            n,
            start.corrected,
            p.mini_amplitude_cv(),
            p.measurement_stdev(),
            &mut work,
        );
        let c = start.corrected;
        let (b0, b1) = (c * U_BOUNDS.0.exp(), c * U_BOUNDS.1.exp());
        Ok(MiniAmplitudeFit {
            params: p.with(Param::MiniAmplitude, fit.q)?,
            score: fit.score,
            info: OptimizationInfo {
                init_amp: c / start.ratio,
                ratio: start.ratio,
                corrected_amp: c,
                init_likelihood,
            },
            bounds: (b0.min(b1), b0.max(b1)),
            evaluations: fit.evaluations,
        })
    }
}
