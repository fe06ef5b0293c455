//! Running the model over a spike train: the straightforward implementation.
//!
//! This is the definition of the model's semantics, written to follow the reference
//! step by step. The search engine (`engine`) computes the same scores faster and is
//! tested against this module.

use crate::binomial::{CoefficientTable, Coefficients};
use crate::density::{mixture_density, sample_amplitude};
use crate::error::{Error, ErrorKind, Result};
use crate::params::ReleaseParams;
use crate::step::StepSynapse;
use ndarray::Array2;
use rand::Rng;
use serde::Serialize;

/// State of the synapse immediately before or after a spike.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelState {
    /// Vesicle pool (continuous; may go negative in depletion mode).
    pub vesicle_pool: f64,
    /// Depression d in [0, 1] (always 0 in depletion mode).
    pub depression: f64,
    /// Facilitation f in [0, 1].
    pub facilitation: f64,
    /// Release probability (1 − d)·(Pr + (1 − Pr)·f) at this spike.
    pub release_probability: f64,
}

/// One event of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Event {
    /// Presynaptic spike time (seconds).
    pub spike_time: f64,
    /// Response amplitude (volts): given, generated, or `None` for a missing event.
    pub amplitude: Option<f64>,
    /// Expected amplitude N·p·q before the spike (`None` for a missing event).
    pub expected_amplitude: Option<f64>,
    /// Density of the amplitude under the model (`None` for a missing event, or one
    /// inside the missing-event penalty window).
    pub likelihood: Option<f64>,
    /// State just before the spike (`None` for a missing event).
    pub pre_spike: Option<ModelState>,
    /// State just after the spike (`None` for a missing event).
    pub post_spike: Option<ModelState>,
}

/// The result of one run: per-event records and the overall score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResult {
    events: Vec<Event>,
    score: Option<f64>,
}

impl RunResult {
    /// Per-event records, one per spike.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The run's score `exp(mean(ln(L + 0.1)))` over events with a likelihood, or `None`
    /// when no event has one.
    pub fn score(&self) -> Option<f64> {
        self.score
    }

    /// Amplitudes, NaN for missing events.
    pub fn amplitudes(&self) -> Vec<f64> {
        self.events
            .iter()
            .map(|e| e.amplitude.unwrap_or(f64::NAN))
            .collect()
    }

    /// Expected amplitudes, NaN for missing events.
    pub fn expected_amplitudes(&self) -> Vec<f64> {
        self.events
            .iter()
            .map(|e| e.expected_amplitude.unwrap_or(f64::NAN))
            .collect()
    }

    /// Per-event likelihoods, NaN where there is none.
    pub fn likelihoods(&self) -> Vec<f64> {
        self.events
            .iter()
            .map(|e| e.likelihood.unwrap_or(f64::NAN))
            .collect()
    }
}

/// Where the amplitudes of a run come from.
enum Source<'a, R: ?Sized> {
    Given(&'a [f64]),
    Expected,
    Random(&'a mut R),
}

/// The stochastic release model with fixed parameters.
///
/// ```
/// use synphys_release_model::{ReleaseModel, ReleaseParams};
/// let params = ReleaseParams::builder()
///     .n_release_sites(2)
///     .base_release_probability(0.5)
///     .mini_amplitude(0.2e-3)
///     .mini_amplitude_cv(0.3)
///     .depression_amount(0.2)
///     .depression_tau(0.1)
///     .facilitation_amount(0.0)
///     .facilitation_tau(0.1)
///     .measurement_stdev(0.05e-3)
///     .build()?;
/// let run = ReleaseModel::new(params).expected(&[0.0, 0.02, 0.04])?;
/// let amps = run.amplitudes();
/// assert!(amps[0] > amps[1] && amps[1] > amps[2]);
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReleaseModel {
    params: ReleaseParams,
    missing_event_penalty: f64,
    table: CoefficientTable,
}

impl ReleaseModel {
    /// A model with exact binomial coefficients and no missing-event penalty.
    pub fn new(params: ReleaseParams) -> ReleaseModel {
        ReleaseModel {
            params,
            missing_event_penalty: 0.0,
            table: CoefficientTable::exact(params.n_release_sites()),
        }
    }

    /// A builder for the optional settings.
    pub fn builder(params: ReleaseParams) -> ReleaseModelBuilder {
        ReleaseModelBuilder {
            params,
            missing_event_penalty: 0.0,
            coefficients: Coefficients::Exact,
        }
    }

    /// The model's parameters.
    pub fn params(&self) -> &ReleaseParams {
        &self.params
    }

    /// Seconds after a missing event during which likelihoods are not counted.
    pub fn missing_event_penalty(&self) -> f64 {
        self.missing_event_penalty
    }

    /// The binomial coefficient source.
    pub fn coefficients(&self) -> Coefficients {
        self.table.source()
    }

    /// Likelihood of measured `amplitudes` (volts; NaN marks a missing event, which
    /// updates nothing) at `spike_times` (seconds, finite, ascending).
    pub fn likelihood(&self, spike_times: &[f64], amplitudes: &[f64]) -> Result<RunResult> {
        validate_amplitudes(spike_times, amplitudes)?;
        self.run::<rand_pcg::Pcg64>(spike_times, Source::Given(amplitudes))
    }

    /// Runs the model forward on its expected amplitudes.
    pub fn expected(&self, spike_times: &[f64]) -> Result<RunResult> {
        self.run::<rand_pcg::Pcg64>(spike_times, Source::Expected)
    }

    /// Runs the model forward on amplitudes drawn from its distribution with `rng`
    /// (for reproducible runs, a seeded `rand_pcg` generator).
    pub fn random<R: Rng + ?Sized>(&self, spike_times: &[f64], rng: &mut R) -> Result<RunResult> {
        self.run(spike_times, Source::Random(rng))
    }

    /// `trials` random runs of `spike_times` (seconds, finite, ascending): the
    /// amplitudes (volts) as a trials × spikes array, drawn from one generator
    /// [`rng(seed)`](crate::rng), trial after trial — the same numbers as calling
    /// [`random`](ReleaseModel::random) `trials` times with that generator.
    ///
    /// ```
    /// # use synphys_release_model::{ReleaseModel, ReleaseParams};
    /// # let params = ReleaseParams::builder()
    /// #     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.2e-3)
    /// #     .mini_amplitude_cv(0.3).depression_amount(0.2).depression_tau(0.1)
    /// #     .facilitation_amount(0.0).facilitation_tau(0.1).measurement_stdev(0.05e-3)
    /// #     .build()?;
    /// let model = ReleaseModel::new(params);
    /// let amplitudes = model.simulate(&[0.0, 0.02, 0.04], 100, 1)?;
    /// assert_eq!(amplitudes.dim(), (100, 3));
    /// assert_eq!(amplitudes, model.simulate(&[0.0, 0.02, 0.04], 100, 1)?);
    /// # Ok::<(), synphys_release_model::Error>(())
    /// ```
    pub fn simulate(&self, spike_times: &[f64], trials: usize, seed: u64) -> Result<Array2<f64>> {
        validate_spike_times(spike_times)?;
        let mut rng = crate::rng(seed);
        let mut amplitudes = Array2::zeros((trials, spike_times.len()));
        for mut row in amplitudes.rows_mut() {
            let mut synapse = StepSynapse::new(self.params);
            for (a, &t) in row.iter_mut().zip(spike_times) {
                *a = synapse.spike_random(t, &mut rng)?.amplitude;
            }
        }
        Ok(amplitudes)
    }

    /// Density of `amplitude` in a given state, with
    /// `clamp(round_half_even(vesicle_pool), 0, n)` vesicles available.
    pub fn amplitude_density(&self, state: &ModelState, amplitude: f64) -> Result<f64> {
        if amplitude.is_nan() {
            return Err(Error::new(ErrorKind::NanAmplitude));
        }
        if !(0.0..=1.0).contains(&state.release_probability) || state.vesicle_pool.is_nan() {
            return Err(Error::new(ErrorKind::InvalidParameter {
                name: "state",
                value: state.release_probability,
                allowed: "release_probability must be in [0, 1] and vesicle_pool a number",
            }));
        }
        let available = rounded_sites(state.vesicle_pool, self.params.n_release_sites());
        let mut pmf = Vec::new();
        self.table
            .pmf_into(available, state.release_probability, &mut pmf);
        let p = &self.params;
        Ok(mixture_density(
            amplitude,
            &pmf,
            p.mini_amplitude(),
            p.mini_amplitude_cv(),
            p.measurement_stdev(),
        ))
    }

    fn run<R: Rng + ?Sized>(
        &self,
        spike_times: &[f64],
        mut source: Source<'_, R>,
    ) -> Result<RunResult> {
        validate_spike_times(spike_times)?;
        let p = &self.params;
        let (q, cv, sigma) = (
            p.mini_amplitude(),
            p.mini_amplitude_cv(),
            p.measurement_stdev(),
        );
        let mut synapse = StepSynapse::new(*p);
        let mut last_nan_time = f64::NEG_INFINITY;
        let mut pmf = Vec::with_capacity(p.n_release_sites() as usize + 1);
        let gaussians = Gaussians::new(p.n_release_sites(), q, cv, sigma);
        let mut events = Vec::with_capacity(spike_times.len());
        let (mut log_sum, mut log_count) = (0.0f64, 0usize);

        for (i, &t) in spike_times.iter().enumerate() {
            let given = match &source {
                Source::Given(a) => Some(a[i]),
                _ => None,
            };
            if given.is_some_and(f64::is_nan) {
                // A missing event updates nothing, not even the previous spike time.
                last_nan_time = t;
                events.push(Event {
                    spike_time: t,
                    amplitude: None,
                    expected_amplitude: None,
                    likelihood: None,
                    pre_spike: None,
                    post_spike: None,
                });
                continue;
            }
            let pre = synapse.advance(t)?;
            let (sites, release_probability) = (pre.sites, pre.state.release_probability);
            let amplitude = match &mut source {
                Source::Given(_) => given.unwrap_or(f64::NAN),
                Source::Expected => pre.expected,
                Source::Random(rng) => {
                    sample_amplitude(sites, release_probability, q, cv, sigma, &mut **rng)
                }
            };
            let likelihood = if t - last_nan_time < self.missing_event_penalty {
                None
            } else {
                let l = match self.table.source() {
                    Coefficients::Exact => {
                        gaussians.density(amplitude, self.table.ln_row(sites), release_probability)
                    }
                    Coefficients::ReferenceTable => {
                        self.table.pmf_into(sites, release_probability, &mut pmf);
                        mixture_density(amplitude, &pmf, q, cv, sigma)
                    }
                };
                log_sum += (l + 0.1).ln();
                log_count += 1;
                Some(l)
            };
            let post_spike = synapse.release(amplitude, &pre);
            events.push(Event {
                spike_time: t,
                amplitude: Some(amplitude),
                expected_amplitude: Some(pre.expected),
                likelihood,
                pre_spike: Some(pre.state),
                post_spike: Some(post_spike),
            });
        }
        let score = (log_count > 0).then(|| (log_sum / log_count as f64).exp());
        Ok(RunResult { events, score })
    }
}

/// The Gaussian components of the mixture for one (q, cv, σ), k = 0..=n.
struct Gaussians {
    kq: Vec<f64>,
    /// −½ ln(2π vₖ), vₖ = (q·cv)²·k + σ²
    norm: Vec<f64>,
    /// 1 / (2 vₖ)
    half_inv_var: Vec<f64>,
}

impl Gaussians {
    fn new(n: u32, q: f64, cv: f64, sigma: f64) -> Gaussians {
        let qcv2 = (q * cv) * (q * cv);
        let (mut kq, mut norm, mut half_inv_var) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..=n {
            let kf = f64::from(k);
            let var = qcv2 * kf + sigma * sigma;
            kq.push(kf * q);
            norm.push(-0.5 * (2.0 * std::f64::consts::PI * var).ln());
            half_inv_var.push(0.5 / var);
        }
        Gaussians {
            kq,
            norm,
            half_inv_var,
        }
    }

    /// Σₖ Binom(k; N, p)·Normal(x; k·q, √vₖ) with N = `ln_c.len() − 1`, every term formed
    /// as one exponential of its logarithm (ln C(N, k) + k ln p + (N − k) ln(1 − p) +
    /// ln Normal), so nothing under- or overflows early.
    fn density(&self, x: f64, ln_c: &[f64], p: f64) -> f64 {
        let m = ln_c.len() - 1;
        let term = |k: usize, ln_w: f64| {
            let r = x - self.kq[k];
            (ln_w + self.norm[k] - r * r * self.half_inv_var[k]).exp()
        };
        if p <= 0.0 {
            return term(0, 0.0);
        }
        if p >= 1.0 {
            return term(m, 0.0);
        }
        let (lp, lq) = (p.ln(), (-p).ln_1p());
        ln_c.iter()
            .enumerate()
            .map(|(k, c)| term(k, c + k as f64 * lp + (m - k) as f64 * lq))
            .sum()
    }
}

/// `clamp(round_half_even(pool), 0, n)`: the integer number of available vesicles in
/// depletion mode.
#[inline]
pub(crate) fn rounded_sites(pool: f64, n: u32) -> u32 {
    // Round half to even by adding and removing 1.5·2⁵² (exact for |x| < 2⁵¹, which the
    // clamp ensures); the baseline target has no rounding instruction.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let nf = f64::from(n);
    let x = pool.clamp(-1.0, nf + 1.0);
    ((x + SHIFTER) - SHIFTER).clamp(0.0, nf) as u32
}

/// Builder for [`ReleaseModel`].
#[derive(Debug, Clone)]
pub struct ReleaseModelBuilder {
    params: ReleaseParams,
    missing_event_penalty: f64,
    coefficients: Coefficients,
}

impl ReleaseModelBuilder {
    /// Seconds after a missing (NaN) event during which likelihoods are not counted
    /// (an event counts when `t − t_missing ≥ penalty`); default 0.
    pub fn missing_event_penalty(&mut self, seconds: f64) -> &mut Self {
        self.missing_event_penalty = seconds;
        self
    }

    /// Binomial coefficient source; default [`Coefficients::Exact`].
    pub fn coefficients(&mut self, coefficients: Coefficients) -> &mut Self {
        self.coefficients = coefficients;
        self
    }

    /// Validates and builds the model.
    pub fn build(&self) -> Result<ReleaseModel> {
        if self.missing_event_penalty.is_nan() || self.missing_event_penalty < 0.0 {
            return Err(Error::new(ErrorKind::InvalidParameter {
                name: "missing_event_penalty",
                value: self.missing_event_penalty,
                allowed: "must be ≥ 0 seconds",
            }));
        }
        Ok(ReleaseModel {
            params: self.params,
            missing_event_penalty: self.missing_event_penalty,
            table: CoefficientTable::new(self.params.n_release_sites(), self.coefficients)?,
        })
    }
}

/// Spike times must be non-empty, finite and ascending (equal times are allowed).
pub(crate) fn validate_spike_times(spike_times: &[f64]) -> Result<()> {
    if spike_times.is_empty() {
        return Err(Error::new(ErrorKind::EmptySpikeTrain));
    }
    let mut previous = f64::NEG_INFINITY;
    for (index, &value) in spike_times.iter().enumerate() {
        if !value.is_finite() {
            return Err(Error::new(ErrorKind::InvalidSpikeTime {
                index,
                value,
                reason: "spike times must be finite",
            }));
        }
        if value < previous {
            return Err(Error::new(ErrorKind::InvalidSpikeTime {
                index,
                value,
                reason: "spike times must be in ascending order",
            }));
        }
        previous = value;
    }
    Ok(())
}

/// One amplitude per spike, each finite or NaN.
pub(crate) fn validate_amplitudes(spike_times: &[f64], amplitudes: &[f64]) -> Result<()> {
    if spike_times.len() != amplitudes.len() {
        return Err(Error::new(ErrorKind::LengthMismatch {
            spike_times: spike_times.len(),
            amplitudes: amplitudes.len(),
        }));
    }
    if let Some((index, &value)) = amplitudes.iter().enumerate().find(|(_, a)| a.is_infinite()) {
        return Err(Error::new(ErrorKind::InvalidAmplitude { index, value }));
    }
    Ok(())
}
