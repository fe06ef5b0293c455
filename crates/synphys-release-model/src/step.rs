//! One synapse advanced spike by spike: the model's state update, written once.
//!
//! [`ReleaseModel`](crate::ReleaseModel) runs over whole trains with this type, so a
//! network simulator stepping a synapse here gets exactly the numbers of a whole-train
//! run.

use crate::density::sample_amplitude;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{ModelState, rounded_sites};
use crate::params::ReleaseParams;
use rand::Rng;

/// One synapse's state — vesicle pool, depression, facilitation and the last spike
/// time — advanced one presynaptic spike at a time, for network simulators.
///
/// Each call takes the next spike time (seconds, finite, never earlier than the
/// previous spike), lets the state recover over the interval, releases, and returns
/// the release probability, the expected amplitude and the released amplitude
/// (volts). The numbers are those of a whole-train run: a synapse stepped through a
/// train with [`spike`](StepSynapse::spike) gives
/// [`ReleaseModel::expected`](crate::ReleaseModel::expected)'s amplitudes, and with
/// [`spike_random`](StepSynapse::spike_random) and a generator seeded alike gives
/// [`ReleaseModel::random`](crate::ReleaseModel::random)'s, bit for bit.
///
/// ```
/// use synphys_release_model::{ReleaseParams, StepSynapse, rng};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let params = ReleaseParams::builder()
///     .n_release_sites(3)
///     .base_release_probability(0.76)
///     .mini_amplitude(0.33e-3)
///     .mini_amplitude_cv(0.25)
///     .depression_amount(0.125)
///     .depression_tau(0.108)
///     .facilitation_amount(0.375)
///     .facilitation_tau(2.56)
///     .measurement_stdev(86e-6)
///     .build()?;
/// let mut synapse = StepSynapse::new(params);
/// let mut rng = rng(7);
/// for t_s in [0.1, 0.11, 0.12, 0.5] {
///     let out = synapse.spike_random(t_s, &mut rng)?;
///     println!(
///         "{:4.0} ms  p = {:.3}  expected {:.3} mV  drawn {:.3} mV",
///         t_s * 1e3,
///         out.release_probability,
///         out.expected_amplitude * 1e3,
///         out.amplitude * 1e3
///     );
/// }
/// // Spikes must not go back in time.
/// assert!(synapse.spike(0.2).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepSynapse {
    params: ReleaseParams,
    pool: f64,
    depression: f64,
    facilitation: f64,
    last_spike_s: Option<f64>,
    spikes: usize,
}

/// What one spike of a [`StepSynapse`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepOutcome {
    /// The spike time (seconds).
    pub spike_time: f64,
    /// Vesicles that could be released at this spike (n, or the rounded pool in
    /// depletion mode).
    pub available_sites: u32,
    /// Probability that each available vesicle is released.
    pub release_probability: f64,
    /// Expected amplitude N·p·q (volts; N is the continuous pool in depletion mode).
    pub expected_amplitude: f64,
    /// The amplitude this spike produced (volts): the expected amplitude, a random
    /// draw, or the observed amplitude, depending on the method called.
    pub amplitude: f64,
    /// State just before the spike (after recovery since the previous spike).
    pub pre_spike: ModelState,
    /// State just after the spike.
    pub post_spike: ModelState,
}

/// The state just before a spike, before its amplitude is known.
pub(crate) struct PreSpike {
    pub(crate) sites: u32,
    pub(crate) expected: f64,
    pub(crate) state: ModelState,
}

impl StepSynapse {
    /// A rested synapse (full pool, no depression or facilitation) that has not spiked.
    pub fn new(params: ReleaseParams) -> StepSynapse {
        StepSynapse {
            params,
            pool: f64::from(params.n_release_sites()),
            depression: 0.0,
            facilitation: 0.0,
            last_spike_s: None,
            spikes: 0,
        }
    }

    /// The synapse's parameters.
    pub fn params(&self) -> &ReleaseParams {
        &self.params
    }

    /// Time of the last spike (seconds), or `None` before the first.
    pub fn last_spike_time(&self) -> Option<f64> {
        self.last_spike_s
    }

    /// Spikes taken so far.
    pub fn spike_count(&self) -> usize {
        self.spikes
    }

    /// The state right after the last spike (the rested state before the first), with
    /// the release probability the synapse would have with no time to recover.
    pub fn state(&self) -> ModelState {
        ModelState {
            vesicle_pool: self.pool,
            depression: self.depression,
            facilitation: self.facilitation,
            release_probability: self.release_probability(),
        }
    }

    /// Returns the synapse to rest, as if it had never spiked.
    pub fn reset(&mut self) {
        *self = StepSynapse::new(self.params);
    }

    /// Spike at `t_s` (seconds) releasing the expected amplitude.
    pub fn spike(&mut self, t_s: f64) -> Result<StepOutcome> {
        let pre = self.advance(t_s)?;
        Ok(self.finish(t_s, pre.expected, pre))
    }

    /// Spike at `t_s` (seconds) releasing an amplitude drawn from the model's
    /// distribution with `rng` (e.g. [`rng(seed)`](crate::rng)): k ~ Binomial(N, p)
    /// vesicles, then Normal(k·q, √((q·cv)²·k + σ²)).
    pub fn spike_random<R: Rng + ?Sized>(&mut self, t_s: f64, rng: &mut R) -> Result<StepOutcome> {
        let pre = self.advance(t_s)?;
        let p = &self.params;
        let amplitude = sample_amplitude(
            pre.sites,
            pre.state.release_probability,
            p.mini_amplitude(),
            p.mini_amplitude_cv(),
            p.measurement_stdev(),
            rng,
        );
        Ok(self.finish(t_s, amplitude, pre))
    }

    /// Spike at `t_s` (seconds) whose response was measured as `amplitude` (volts,
    /// finite); in depletion mode the pool loses `amplitude / q` vesicles. A missing
    /// measurement updates nothing in the model, so skip the call for it rather than
    /// passing NaN (an error).
    pub fn spike_observed(&mut self, t_s: f64, amplitude: f64) -> Result<StepOutcome> {
        if !amplitude.is_finite() {
            return Err(Error::new(ErrorKind::InvalidAmplitude {
                index: self.spikes,
                value: amplitude,
            }));
        }
        let pre = self.advance(t_s)?;
        Ok(self.finish(t_s, amplitude, pre))
    }

    fn release_probability(&self) -> f64 {
        let pr = self.params.base_release_probability();
        ((1.0 - self.depression) * (pr + (1.0 - pr) * self.facilitation)).clamp(0.0, 1.0)
    }

    /// Recovery since the last spike; checks `t_s` first, so an error changes nothing.
    pub(crate) fn advance(&mut self, t_s: f64) -> Result<PreSpike> {
        let reject = |reason| {
            Err(Error::new(ErrorKind::InvalidSpikeTime {
                index: self.spikes,
                value: t_s,
                reason,
            }))
        };
        if !t_s.is_finite() {
            return reject("spike times must be finite");
        }
        if self.last_spike_s.is_some_and(|last| t_s < last) {
            return reject("spike times must be in ascending order");
        }
        let p = &self.params;
        let n = p.n_release_sites();
        let nf = f64::from(n);
        // The first spike finds the synapse at rest, where recovery changes nothing.
        let dt = t_s - self.last_spike_s.unwrap_or(t_s);
        self.last_spike_s = Some(t_s);
        let (sites, sites_continuous) = if p.vesicle_depletion() {
            let recovery = (-dt / p.depression_tau()).exp();
            self.pool += (nf - self.pool) * (1.0 - recovery);
            (rounded_sites(self.pool, n), self.pool.max(0.0))
        } else {
            self.depression *= (-dt / p.depression_tau()).exp();
            (self.pool.trunc().clamp(0.0, nf) as u32, self.pool)
        };
        self.facilitation *= (-dt / p.facilitation_tau()).exp();
        let release_probability = self.release_probability();
        Ok(PreSpike {
            sites,
            expected: sites_continuous * release_probability * p.mini_amplitude(),
            state: ModelState {
                vesicle_pool: self.pool,
                depression: self.depression,
                facilitation: self.facilitation,
                release_probability,
            },
        })
    }

    /// Depression (or depletion by `amplitude`) and facilitation from the spike.
    pub(crate) fn release(&mut self, amplitude: f64, pre: &PreSpike) -> ModelState {
        let p = &self.params;
        if p.vesicle_depletion() {
            self.pool -= amplitude / p.mini_amplitude();
        } else {
            self.depression += (1.0 - self.depression) * p.depression_amount();
        }
        self.facilitation += (1.0 - self.facilitation) * p.facilitation_amount();
        self.spikes += 1;
        ModelState {
            vesicle_pool: self.pool,
            depression: self.depression,
            facilitation: self.facilitation,
            // The run records the spike's own probability in both states.
            release_probability: pre.state.release_probability,
        }
    }

    fn finish(&mut self, t_s: f64, amplitude: f64, pre: PreSpike) -> StepOutcome {
        let post_spike = self.release(amplitude, &pre);
        StepOutcome {
            spike_time: t_s,
            available_sites: pre.sites,
            release_probability: pre.state.release_probability,
            expected_amplitude: pre.expected,
            amplitude,
            pre_spike: pre.state,
            post_spike,
        }
    }
}
