//! One synapse's measured events, its release-probability trajectories and the
//! reference's starting point of the mini-amplitude fit.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{validate_amplitudes, validate_spike_times};

/// One synapse's measured events, prepared for repeated evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Synapse {
    /// Time since the previous measured spike (the first measured spike counts from the
    /// first spike of the train, as in the reference).
    pub(crate) dt: Vec<f64>,
    /// Measured amplitudes (volts).
    pub(crate) x: Vec<f64>,
    pub(crate) n_counted: usize,
    /// Mean of the measured amplitudes.
    pub(crate) mean_amplitude: f64,
    /// The counted events (indices into `x`), sorted by amplitude.
    pub(crate) by_amplitude: Vec<u32>,
}

impl Synapse {
    pub(crate) fn new(
        spike_times: &[f64],
        amplitudes: &[f64],
        missing_event_penalty: f64,
    ) -> Result<Synapse> {
        validate_spike_times(spike_times)?;
        validate_amplitudes(spike_times, amplitudes)?;
        if missing_event_penalty.is_nan() || missing_event_penalty < 0.0 {
            return Err(Error::new(ErrorKind::InvalidParameter {
                name: "missing_event_penalty",
                value: missing_event_penalty,
                allowed: "must be ≥ 0 seconds",
            }));
        }
        let mut previous_t = spike_times[0];
        let mut last_nan = f64::NEG_INFINITY;
        let (mut dt, mut x, mut counted) = (Vec::new(), Vec::new(), Vec::new());
        for (&t, &a) in spike_times.iter().zip(amplitudes) {
            if a.is_nan() {
                last_nan = t;
                continue;
            }
            dt.push(t - previous_t);
            previous_t = t;
            x.push(a);
            // Counted unless strictly inside the penalty window (as the reference).
            counted.push(t - last_nan >= missing_event_penalty);
        }
        if x.is_empty() {
            return Err(Error::new(ErrorKind::NoMeasuredEvents));
        }
        let mean_amplitude = x.iter().sum::<f64>() / x.len() as f64;
        let n_counted = counted.iter().filter(|&&c| c).count();
        let mut by_amplitude: Vec<u32> = (0..x.len() as u32)
            .filter(|&i| counted[i as usize])
            .collect();
        by_amplitude.sort_by(|&a, &b| x[a as usize].total_cmp(&x[b as usize]));
        Ok(Synapse {
            dt,
            x,
            n_counted,
            mean_amplitude,
            by_amplitude,
        })
    }

    /// `exp(−dt/τ)` per measured event, computed as the reference does.
    pub(crate) fn decay(&self, tau: f64) -> Vec<f64> {
        self.dt.iter().map(|&dt| (-dt / tau).exp()).collect()
    }
}

/// Release probability at each measured spike and its logarithms ln p and ln(1 − p)
/// (shared by every n).
#[derive(Debug, Default, Clone)]
pub(crate) struct Trajectory {
    pub(crate) p: Vec<f64>,
    pub(crate) lp: Vec<f64>,
    pub(crate) lq: Vec<f64>,
}

/// Release probability at each measured spike. In depletion mode pass
/// `depression_amount = 0` (depression then stays exactly 0, as in the reference).
pub(crate) fn release_probabilities(
    base: f64,
    depression_amount: f64,
    depression_decay: &[f64],
    facilitation_amount: f64,
    facilitation_decay: &[f64],
    out: &mut Trajectory,
) {
    out.p.clear();
    let (mut d, mut f) = (0.0f64, 0.0f64);
    for (dd, fd) in depression_decay.iter().zip(facilitation_decay) {
        d *= dd;
        f *= fd;
        out.p
            .push(((1.0 - d) * (base + (1.0 - base) * f)).clamp(0.0, 1.0));
        d += (1.0 - d) * depression_amount;
        f += (1.0 - f) * facilitation_amount;
    }
    out.lp.clear();
    out.lq.clear();
    out.lp.extend(out.p.iter().map(|p| p.ln()));
    out.lq.extend(out.p.iter().map(|p| (-p).ln_1p()));
}

/// The reference's first guess of q: mean amplitude / (n·Pr), halved until it is no
/// larger than the mean amplitude.
pub(crate) fn raw_estimate(mean_amplitude: f64, n: u32, base: f64) -> Result<f64> {
    let expected = f64::from(n) * base * 1.0;
    let mut q = mean_amplitude / expected;
    if !q.is_finite() || q == 0.0 {
        let reason = if base == 0.0 {
            "base_release_probability is 0, so the expected amplitude per quantum is 0".to_string()
        } else if mean_amplitude == 0.0 {
            "the mean measured amplitude is 0".to_string()
        } else {
            format!("mean amplitude {mean_amplitude:e} / (n·Pr = {expected:e}) is not finite")
        };
        return Err(Error::new(ErrorKind::MiniAmplitudeEstimate { reason }));
    }
    while q.abs() > mean_amplitude.abs() {
        q /= 2.0;
    }
    Ok(q)
}

/// The reference's corrected starting point for one (trajectory, n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StartingPoint {
    pub(crate) raw: f64,
    pub(crate) ratio: f64,
    pub(crate) corrected: f64,
}

/// Mean expected amplitude over measured events at q, then the ratio correction and the
/// cap at the mean amplitude.
pub(crate) fn starting_point(
    syn: &Synapse,
    n: u32,
    base: f64,
    probs: &[f64],
    depletion_recovery: Option<&[f64]>,
) -> Result<StartingPoint> {
    let raw = raw_estimate(syn.mean_amplitude, n, base)?;
    let nf = f64::from(n);
    let mut sum = 0.0;
    match depletion_recovery {
        None => {
            for &p in probs {
                sum += nf * p * raw;
            }
        }
        Some(rec) => {
            let mut pool = nf;
            for i in 0..syn.x.len() {
                pool += (nf - pool) * (1.0 - rec[i]);
                sum += pool.max(0.0) * probs[i] * raw;
                pool -= syn.x[i] / raw;
            }
        }
    }
    let mean_amp = syn.mean_amplitude;
    let ratio = mean_amp / (sum / syn.x.len() as f64);
    let scaled = raw * ratio;
    let corrected = if mean_amp > 0.0 {
        scaled.min(mean_amp)
    } else {
        scaled.max(mean_amp)
    };
    if !corrected.is_finite() || corrected == 0.0 {
        return Err(Error::new(ErrorKind::MiniAmplitudeEstimate {
            reason: format!(
                "the corrected estimate {corrected:e} is not usable (expected amplitudes are all 0)"
            ),
        }));
    }
    Ok(StartingPoint {
        raw,
        ratio,
        corrected,
    })
}
