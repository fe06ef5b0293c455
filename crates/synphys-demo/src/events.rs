//! Per-event simulation of demo synapses: 12-pulse stimulus trains, presynaptic spikes,
//! responses drawn from the release model, and the per-event database rows.
//!
//! One synapse is recorded in sweeps 10–15 s apart. Each sweep plays one train (8 pulses
//! at the induction frequency, the recovery delay, 4 more pulses; fixtures/calibration.md
//! "Stimulus protocols") to the presynaptic cell; the postsynaptic cell is in current
//! clamp, except for a few blocks of voltage-clamp sweeps that the §7a loader skips.
//! Current-clamp amplitudes come from one run of the release model in `random` mode over
//! the spike times of all current-clamp sweeps in time order, so the model state carries
//! from sweep to sweep with the real interval; voltage-clamp amplitudes from a separate
//! run over the voltage-clamp spikes, converted to currents.
//!
//! Measurement noise is the model's own: the model runs with `measurement_stdev` set to
//! the synapse's [`EventSynapse::measurement_stdev_v`], so each amplitude is the binomial
//! quantal response plus Normal(0, measurement_stdev) — exactly the distribution the
//! release model's likelihood assumes when it is fitted back to these events.
//!
//! The rows [`EventRows::append`] writes are read back by the §7a loader;
//! [`dynamics_inputs`] gives the dynamics function exactly what that loader derives from
//! them, so dynamics recomputed from a written file equal the demo's `dynamics` rows.

use chrono::{NaiveDateTime, TimeDelta};
use rand::RngExt;
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64;
use synphys_dynamics::{ClampMode, PulseEvent};
use synphys_release_model::{Param, ReleaseModel, ReleaseParams, twelve_pulse_train};

use crate::{Error, ErrorKind};

/// Induction frequencies (Hz) of the trains and how often each is played; 50 Hz is the
/// dataset's standard probe.
const INDUCTION_FREQUENCIES_HZ: [(f64, f64); 5] = [
    (10.0, 0.10),
    (20.0, 0.15),
    (50.0, 0.50),
    (100.0, 0.15),
    (200.0, 0.10),
];
/// Nominal recovery delays (s) and how often each is played; 250 ms is the most common.
const RECOVERY_DELAYS_S: [(f64, f64); 6] = [
    (0.125, 0.10),
    (0.25, 0.40),
    (0.5, 0.15),
    (1.0, 0.15),
    (2.0, 0.10),
    (4.0, 0.10),
];
/// Half-width of the uniform jitter on the recovery delay (s): the recorded delays scatter
/// around the nominal ones, well inside the 5 ms that §7b snaps.
const RECOVERY_DELAY_JITTER_S: f64 = 2e-3;
/// Range of the interval between sweep starts (ms).
const SWEEP_INTERVAL_MS: (i64, i64) = (10_000, 15_000);
/// Range of the first sweep's start after the experiment's start (ms): time to patch.
const FIRST_SWEEP_START_MS: (i64, i64) = (120_000, 600_000);
/// Onset of the first pulse of every train, from the sweep's start (s).
const TRAIN_ONSET_S: f64 = 0.5;
/// Range of a synapse's typical pulse-onset-to-spike delay (s), and its per-spike jitter.
const SPIKE_DELAY_S: (f64, f64) = (1.0e-3, 2.0e-3);
const SPIKE_DELAY_JITTER_S: f64 = 0.1e-3;
/// Bounds of a spike's delay after its pulse onset (s): keeps spikes after their pulse and
/// ascending even at 200 Hz.
const SPIKE_DELAY_BOUNDS_S: (f64, f64) = (0.5e-3, 3.0e-3);
/// Fraction of spikes whose time could not be measured (`first_spike_time` null).
const MISSING_SPIKE_TIME_FRACTION: f64 = 0.02;
/// Fraction of pulse responses failing quality control (both flags) for reasons other
/// than the holding potential: noise bursts, unstable baseline.
const QC_FAILURE_FRACTION: f64 = 0.03;
/// Fraction of responses whose deconvolved fit failed (`dec_fit_reconv_amp` null).
const FIT_FAILURE_FRACTION: f64 = 0.01;
/// Current-clamp sweeps per block of voltage-clamp sweeps, and the block lengths.
const CC_SWEEPS_PER_VC_BLOCK: usize = 40;
const VC_BLOCK_SWEEPS: (usize, usize) = (2, 3);
/// Holding potential of the postsynaptic cell (V) and its sweep-to-sweep spread: −70 mV
/// for excitatory synapses, −55 mV for inhibitory ones (where IPSPs are visible), as in
/// the dataset's protocols.
const EXCITATORY_HOLDING_V: f64 = -70e-3;
const INHIBITORY_HOLDING_V: f64 = -55e-3;
const HOLDING_SPREAD_V: f64 = 1.5e-3;
/// Baseline-potential windows of the reference's pulse-response QC (V): excitatory
/// responses need (−80, −45) mV, inhibitory ones (−60, −45) mV.
const EX_QC_POTENTIAL_V: (f64, f64) = (-80e-3, -45e-3);
const IN_QC_POTENTIAL_V: (f64, f64) = (-60e-3, -45e-3);
/// Converts a PSP amplitude (V) to the PSC amplitude (A) of a voltage-clamp sweep:
/// 0.5 mV ↔ 20 pA. Excitatory currents are inward (negative).
const VC_AMPERES_PER_VOLT: f64 = 4e-8;
/// Presynaptic stimulus: a 1.5 nA, 1.5 ms current pulse.
const STIM_AMPLITUDE_A: f64 = 1.5e-9;
const STIM_DURATION_S: f64 = 1.5e-3;
/// Acquisition sampling rate (Hz).
const SAMPLE_RATE_HZ: i64 = 50_000;
/// Patch state of every recording.
const PATCH_MODE: &str = "whole cell";

/// One synapse to simulate: ground-truth release parameters and response properties.
#[derive(Debug, Clone)]
pub(crate) struct EventSynapse {
    /// Release-model truth; `mini_amplitude` > 0 in volts (the sign is applied
    /// separately). Its `measurement_stdev` is replaced by `measurement_stdev_v`.
    pub(crate) release: ReleaseParams,
    /// +1.0 excitatory, −1.0 inhibitory.
    pub(crate) sign: f64,
    /// Standard deviation (V) of the noise in every measured amplitude.
    pub(crate) measurement_stdev_v: f64,
    /// Spike-to-response latency (s); validated, not written (no per-event column of
    /// §7a holds it).
    pub(crate) latency_s: f64,
    /// At least this many current-clamp pulses (e.g. 400).
    pub(crate) n_events_min: usize,
}

/// One sweep (one train of 12 pulses) as simulated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SimulatedSweep {
    /// Start (s) from the experiment's start; sweeps 10–15 s apart, whole milliseconds.
    pub(crate) start_time_s: f64,
    /// Postsynaptic clamp mode; a few voltage-clamp sweeps that loaders must skip.
    pub(crate) clamp_mode: ClampMode,
    /// 10, 20, 50, 100 or 200 Hz (50 most common).
    pub(crate) induction_frequency_hz: f64,
    /// 0.125 … 4.0 s (0.25 most common), within ±2 ms of the nominal value.
    pub(crate) recovery_delay_s: f64,
    /// Postsynaptic baseline potential (V): measured in current clamp, commanded in
    /// voltage clamp.
    pub(crate) baseline_potential_v: f64,
    /// The train's 12 pulses in order.
    pub(crate) pulses: Vec<SimulatedPulse>,
}

/// One stimulus pulse and the response measured after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SimulatedPulse {
    /// 1..=12.
    pub(crate) pulse_number: u32,
    /// Stimulus onset (s) from the sweep's start.
    pub(crate) onset_time_s: f64,
    /// Presynaptic spike (s) from the sweep's start; `None` when its time could not be
    /// measured (the spike happened: the model state was updated).
    pub(crate) spike_time_s: Option<f64>,
    /// Measured, signed response amplitude: volts in current clamp, amperes in voltage
    /// clamp; `None` when the fit failed.
    pub(crate) amplitude_v: Option<f64>,
    /// Noise-only amplitude of the matched baseline snippet (volts in current clamp,
    /// amperes in voltage clamp).
    pub(crate) baseline_amplitude_v: f64,
    /// The response passes excitatory-synapse QC.
    pub(crate) ex_qc_pass: bool,
    /// The response passes inhibitory-synapse QC.
    pub(crate) in_qc_pass: bool,
    /// Time (s) since the previous pulse to the same cell (onset to onset); +∞ for the
    /// cell's first pulse.
    pub(crate) previous_pulse_dt_s: f64,
}

/// Simulates stimulus trains and responses (release model `random` mode + noise).
///
/// Errors when the synapse's parameters are outside what a recording can have (sign not
/// ±1, non-positive or non-finite noise, latency or mini amplitude).
pub(crate) fn simulate_sweeps(
    synapse: &EventSynapse,
    rng: &mut Pcg64,
) -> Result<Vec<SimulatedSweep>, Error> {
    Ok(simulate(synapse, rng)?.sweeps)
}

/// A simulation with the true spike times the model saw (for the tests' expectations).
struct Simulation {
    sweeps: Vec<SimulatedSweep>,
    /// Absolute spike times (s from the experiment start) of the current-clamp pulses,
    /// in order, including the spikes whose time is reported missing.
    // Only the tests read these two: they hold the simulation to the model's expectation.
    #[cfg_attr(not(test), allow(dead_code))]
    current_clamp_spike_times_s: Vec<f64>,
    /// The model parameters used (truth with the measurement noise set).
    #[cfg_attr(not(test), allow(dead_code))]
    params: ReleaseParams,
}

fn simulate(synapse: &EventSynapse, rng: &mut Pcg64) -> Result<Simulation, Error> {
    let params = validated_params(synapse)?;
    let modes = sweep_modes(synapse.n_events_min, rng);
    let (mut sweeps, spike_times) = stimulate(&modes, synapse.sign, rng)?;
    let model = ReleaseModel::new(params);
    let cc_amplitudes = run_model(&model, &spike_times.current_clamp_s, rng)?;
    let vc_amplitudes = run_model(&model, &spike_times.voltage_clamp_s, rng)?;
    record_responses(&mut sweeps, &cc_amplitudes, &vc_amplitudes, synapse, rng)?;
    Ok(Simulation {
        sweeps,
        current_clamp_spike_times_s: spike_times.current_clamp_s,
        params,
    })
}

/// True absolute spike times (s from the experiment's start) per postsynaptic clamp
/// mode, in pulse order: the inputs of the two model runs.
struct SpikeTimes {
    current_clamp_s: Vec<f64>,
    voltage_clamp_s: Vec<f64>,
}

/// The sweeps' timing, stimuli, spikes and QC flags (amplitudes are filled later), and
/// the spike times the model runs on.
fn stimulate(
    modes: &[ClampMode],
    sign: f64,
    rng: &mut Pcg64,
) -> Result<(Vec<SimulatedSweep>, SpikeTimes), Error> {
    let holding_v = if sign > 0.0 {
        EXCITATORY_HOLDING_V
    } else {
        INHIBITORY_HOLDING_V
    };
    let spike_delay_s = rng.random_range(SPIKE_DELAY_S.0..SPIKE_DELAY_S.1);
    let jitter = normal(0.0, SPIKE_DELAY_JITTER_S)?;
    let holding_spread = normal(0.0, HOLDING_SPREAD_V)?;
    let mut sweeps = Vec::with_capacity(modes.len());
    let mut spikes = SpikeTimes {
        current_clamp_s: Vec::with_capacity(modes.len() * 12),
        voltage_clamp_s: Vec::new(),
    };
    // Whole milliseconds, so `recording.start_time` text holds the starts exactly.
    let mut start_ms = rng.random_range(FIRST_SWEEP_START_MS.0..=FIRST_SWEEP_START_MS.1);
    let mut previous_onset_abs_s = f64::NEG_INFINITY;
    for (index, &clamp_mode) in modes.iter().enumerate() {
        if index > 0 {
            start_ms += rng.random_range(SWEEP_INTERVAL_MS.0..=SWEEP_INTERVAL_MS.1);
        }
        let start_s = start_ms as f64 / 1e3;
        let induction_frequency_hz = weighted_choice(&INDUCTION_FREQUENCIES_HZ, rng);
        let recovery_delay_s = weighted_choice(&RECOVERY_DELAYS_S, rng)
            + rng.random_range(-RECOVERY_DELAY_JITTER_S..=RECOVERY_DELAY_JITTER_S);
        // Measured in current clamp; in voltage clamp, the command itself.
        let baseline_potential_v = match clamp_mode {
            ClampMode::Current => holding_v + holding_spread.sample(rng),
            ClampMode::Voltage => holding_v,
        };
        let ex_potential_ok = within(baseline_potential_v, EX_QC_POTENTIAL_V);
        let in_potential_ok = within(baseline_potential_v, IN_QC_POTENTIAL_V);
        let spike_times_s = match clamp_mode {
            ClampMode::Current => &mut spikes.current_clamp_s,
            ClampMode::Voltage => &mut spikes.voltage_clamp_s,
        };
        let onsets = twelve_pulse_train(TRAIN_ONSET_S, induction_frequency_hz, recovery_delay_s);
        let mut pulses = Vec::with_capacity(onsets.len());
        for (pulse_number, onset_time_s) in (1u32..).zip(onsets) {
            let delay_s = (spike_delay_s + jitter.sample(rng))
                .clamp(SPIKE_DELAY_BOUNDS_S.0, SPIKE_DELAY_BOUNDS_S.1);
            let spike_s = onset_time_s + delay_s;
            spike_times_s.push(start_s + spike_s);
            let missing_spike = rng.random_bool(MISSING_SPIKE_TIME_FRACTION);
            let qc_failure = rng.random_bool(QC_FAILURE_FRACTION);
            let onset_abs_s = start_s + onset_time_s;
            pulses.push(SimulatedPulse {
                pulse_number,
                onset_time_s,
                spike_time_s: (!missing_spike).then_some(spike_s),
                amplitude_v: None,
                baseline_amplitude_v: f64::NAN,
                ex_qc_pass: ex_potential_ok && !qc_failure,
                in_qc_pass: in_potential_ok && !qc_failure,
                previous_pulse_dt_s: onset_abs_s - previous_onset_abs_s,
            });
            previous_onset_abs_s = onset_abs_s;
        }
        sweeps.push(SimulatedSweep {
            start_time_s: start_s,
            clamp_mode,
            induction_frequency_hz,
            recovery_delay_s,
            baseline_potential_v,
            pulses,
        });
    }
    Ok((sweeps, spikes))
}

/// Fills the measured amplitudes (signed; currents in voltage clamp) and the baselines'
/// noise amplitudes, taking the model amplitudes of each clamp mode in order.
fn record_responses(
    sweeps: &mut [SimulatedSweep],
    cc_amplitudes: &[f64],
    vc_amplitudes: &[f64],
    synapse: &EventSynapse,
    rng: &mut Pcg64,
) -> Result<(), Error> {
    let noise_v = normal(0.0, synapse.measurement_stdev_v)?;
    let (mut cc, mut vc) = (cc_amplitudes.iter(), vc_amplitudes.iter());
    for sweep in sweeps {
        // A voltage-clamp sweep records currents: inward (negative) for excitation.
        let (amplitudes, scale) = match sweep.clamp_mode {
            ClampMode::Current => (&mut cc, synapse.sign),
            ClampMode::Voltage => (&mut vc, -synapse.sign * VC_AMPERES_PER_VOLT),
        };
        for pulse in &mut sweep.pulses {
            let model_amplitude = amplitudes.next().copied().unwrap_or(f64::NAN);
            let fit_failed = rng.random_bool(FIT_FAILURE_FRACTION);
            pulse.amplitude_v = (!fit_failed).then_some(scale * model_amplitude);
            pulse.baseline_amplitude_v = scale.abs() * noise_v.sample(rng);
        }
    }
    Ok(())
}

/// The truth with the measurement noise set, after checking the synapse's own fields.
fn validated_params(synapse: &EventSynapse) -> Result<ReleaseParams, Error> {
    let invalid = |parameter: &'static str, value: f64, accepted: &'static str| -> Error {
        ErrorKind::InvalidEventSynapse {
            parameter,
            value,
            accepted,
        }
        .into()
    };
    if synapse.sign != 1.0 && synapse.sign != -1.0 {
        return Err(invalid(
            "sign",
            synapse.sign,
            "+1.0 (excitatory) or -1.0 (inhibitory)",
        ));
    }
    if !(synapse.measurement_stdev_v.is_finite() && synapse.measurement_stdev_v > 0.0) {
        return Err(invalid(
            "measurement_stdev_v",
            synapse.measurement_stdev_v,
            "a finite noise level > 0 V",
        ));
    }
    if !(synapse.latency_s.is_finite() && synapse.latency_s >= 0.0) {
        return Err(invalid(
            "latency_s",
            synapse.latency_s,
            "a finite latency >= 0 s",
        ));
    }
    let q = synapse.release.mini_amplitude();
    if q.is_nan() || q <= 0.0 {
        return Err(invalid(
            "release.mini_amplitude",
            q,
            "a positive amplitude in volts (the sign is given separately)",
        ));
    }
    Ok(synapse
        .release
        .with(Param::MeasurementStdev, synapse.measurement_stdev_v)?)
}

/// The clamp mode of every sweep in order: enough current-clamp sweeps for
/// `n_events_min` pulses, with blocks of 2–3 voltage-clamp sweeps at random places (at
/// least one block, one more per 40 current-clamp sweeps).
fn sweep_modes(n_events_min: usize, rng: &mut Pcg64) -> Vec<ClampMode> {
    let n_cc = n_events_min.div_ceil(12).max(1);
    let n_blocks = 1 + n_cc / CC_SWEEPS_PER_VC_BLOCK;
    // Position of each block: the number of current-clamp sweeps before it.
    let mut block_positions: Vec<usize> =
        (0..n_blocks).map(|_| rng.random_range(0..=n_cc)).collect();
    block_positions.sort_unstable();
    let mut modes = Vec::with_capacity(n_cc + n_blocks * VC_BLOCK_SWEEPS.1);
    let mut blocks = block_positions.iter().peekable();
    for cc_before in 0..=n_cc {
        while blocks.next_if(|&&p| p == cc_before).is_some() {
            let len = rng.random_range(VC_BLOCK_SWEEPS.0..=VC_BLOCK_SWEEPS.1);
            modes.extend(std::iter::repeat_n(ClampMode::Voltage, len));
        }
        if cc_before < n_cc {
            modes.push(ClampMode::Current);
        }
    }
    modes
}

/// Model amplitudes (V, positive) at `spike_times_s`; none for an empty train.
fn run_model(
    model: &ReleaseModel,
    spike_times_s: &[f64],
    rng: &mut Pcg64,
) -> Result<Vec<f64>, Error> {
    if spike_times_s.is_empty() {
        return Ok(Vec::new());
    }
    Ok(model.random(spike_times_s, rng)?.amplitudes())
}

fn normal(mean: f64, stdev: f64) -> Result<Normal<f64>, Error> {
    Normal::new(mean, stdev).map_err(|_| {
        ErrorKind::InvalidEventSynapse {
            parameter: "standard deviation",
            value: stdev,
            accepted: "a finite standard deviation >= 0",
        }
        .into()
    })
}

fn weighted_choice(options: &[(f64, f64)], rng: &mut Pcg64) -> f64 {
    let total: f64 = options.iter().map(|(_, w)| w).sum();
    let mut u = rng.random_range(0.0..total);
    for &(value, weight) in options {
        if u < weight {
            return value;
        }
        u -= weight;
    }
    // Rounding can leave u at the very top of the range.
    options.last().map_or(f64::NAN, |&(value, _)| value)
}

fn within(x: f64, (low, high): (f64, f64)) -> bool {
    x > low && x < high
}

/// The QC flag of the synapse's sign: `ex_qc_pass` for excitatory (sign > 0),
/// `in_qc_pass` for inhibitory.
fn qc_flag(pulse: &SimulatedPulse, sign: f64) -> bool {
    if sign > 0.0 {
        pulse.ex_qc_pass
    } else {
        pulse.in_qc_pass
    }
}

/// The dynamics function's inputs: events (QC flag of the synapse's sign) and the
/// QC-masked baseline amplitudes (NaN where masked).
///
/// Exactly what the §7a loader derives from the rows [`EventRows::append`] writes:
/// current-clamp sweeps only (voltage-clamp responses are not loaded), in time order;
/// `recording_id` is the sweep's 1-based position in `sweeps`; the amplitude is missing
/// where the fit failed or the spike time is missing; baselines are masked by the
/// response's QC flag only (not by missing spikes).
pub(crate) fn dynamics_inputs(sweeps: &[SimulatedSweep], sign: f64) -> (Vec<PulseEvent>, Vec<f64>) {
    let n = sweeps
        .iter()
        .filter(|s| s.clamp_mode == ClampMode::Current)
        .map(|s| s.pulses.len())
        .sum();
    let mut events = Vec::with_capacity(n);
    let mut baselines = Vec::with_capacity(n);
    for (recording_id, sweep) in (1i64..).zip(sweeps) {
        if sweep.clamp_mode != ClampMode::Current {
            continue;
        }
        for pulse in &sweep.pulses {
            let qc_pass = qc_flag(pulse, sign);
            events.push(PulseEvent {
                recording_id,
                clamp_mode: sweep.clamp_mode,
                pulse_number: pulse.pulse_number,
                induction_frequency_hz: Some(sweep.induction_frequency_hz),
                recovery_delay_s: Some(sweep.recovery_delay_s),
                previous_pulse_dt_s: Some(pulse.previous_pulse_dt_s),
                amplitude_v: pulse.spike_time_s.and(pulse.amplitude_v),
                qc_pass,
            });
            baselines.push(if qc_pass {
                pulse.baseline_amplitude_v
            } else {
                f64::NAN
            });
        }
    }
    (events, baselines)
}

/// Where a simulated synapse sits in the database.
#[derive(Debug, Clone)]
pub(crate) struct EventPair {
    /// `experiment.id`.
    pub(crate) experiment_id: i64,
    /// `cell.id` of the presynaptic cell.
    pub(crate) pre_cell_id: i64,
    /// `cell.id` of the postsynaptic cell. No per-event column names the postsynaptic
    /// cell (its recordings are found through the pair's responses), so it is not written.
    #[allow(dead_code)]
    pub(crate) post_cell_id: i64,
    /// `pair.id`.
    pub(crate) pair_id: i64,
    /// The presynaptic cell's electrode number (`cell.ext_id` as an integer).
    pub(crate) pre_electrode: i64,
    /// The postsynaptic cell's electrode number.
    pub(crate) post_electrode: i64,
    /// The experiment's start: sweep start times are offsets from it.
    pub(crate) experiment_start: NaiveDateTime,
}

/// Accumulated rows of the per-event tables; ids are 1-based running counters
/// (id of a new row = current length + 1), foreign keys point at rows in these vectors.
#[derive(Debug, Default)]
pub(crate) struct EventRows {
    pub(crate) sync_recs: Vec<synphys_schema::SyncRec>,
    pub(crate) recordings: Vec<synphys_schema::Recording>,
    pub(crate) patch_clamp_recordings: Vec<synphys_schema::PatchClampRecording>,
    pub(crate) multi_patch_probes: Vec<synphys_schema::MultiPatchProbe>,
    pub(crate) stim_pulses: Vec<synphys_schema::StimPulse>,
    pub(crate) pulse_responses: Vec<synphys_schema::PulseResponse>,
    pub(crate) pulse_response_fits: Vec<synphys_schema::PulseResponseFit>,
    pub(crate) baselines: Vec<synphys_schema::Baseline>,
}

impl EventRows {
    /// Appends one synapse's sweeps as database rows.
    ///
    /// Sweep numbers (`sync_rec.ext_id`) continue those of earlier pairs of the same
    /// experiment, and the sweeps are moved later, if needed, to start after them, so an
    /// experiment's sweeps never overlap.
    pub(crate) fn append(&mut self, pair: &EventPair, sweeps: &[SimulatedSweep]) {
        let (sweeps_before, last_start_s) = self.experiment_sweeps(pair);
        let shift_s = match (last_start_s, sweeps.first()) {
            // Whole milliseconds, like the starts themselves.
            (Some(last), Some(first)) => {
                let shift_ms = (last - first.start_time_s) * 1e3 + SWEEP_INTERVAL_MS.1 as f64;
                shift_ms.max(0.0).round() / 1e3
            }
            _ => 0.0,
        };
        for (sweep_number, sweep) in (sweeps_before + 1..).zip(sweeps) {
            let start_time = offset_time(pair.experiment_start, sweep.start_time_s + shift_s);
            let sync_rec_id = next_id(&self.sync_recs);
            self.sync_recs.push(synphys_schema::SyncRec {
                id: sync_rec_id,
                experiment_id: Some(pair.experiment_id),
                ext_id: Some(serde_json::Value::from(sweep_number)),
                temperature: None,
                meta: None,
            });
            let pre_recording_id = self.push_recording(
                sync_rec_id,
                pair.pre_electrode,
                start_time,
                Some(stim_name(sweep.induction_frequency_hz)),
            );
            let post_recording_id =
                self.push_recording(sync_rec_id, pair.post_electrode, start_time, None);
            // The presynaptic cell is stimulated in current clamp.
            self.push_patch_clamp_recording(pre_recording_id, ClampMode::Current, None, sweep);
            self.push_patch_clamp_recording(
                post_recording_id,
                sweep.clamp_mode,
                Some(sweep.baseline_potential_v),
                sweep,
            );
            for pulse in &sweep.pulses {
                self.push_pulse(pair, pre_recording_id, post_recording_id, sweep, pulse);
            }
        }
    }

    /// Number of sweeps of this experiment already appended, and the latest start (s
    /// from the experiment's start) among them.
    fn experiment_sweeps(&self, pair: &EventPair) -> (u64, Option<f64>) {
        let in_experiment =
            |sync_rec: &synphys_schema::SyncRec| sync_rec.experiment_id == Some(pair.experiment_id);
        let count = self.sync_recs.iter().filter(|s| in_experiment(s)).count() as u64;
        // Ids are positions + 1, so a recording's sync_rec is found without a search.
        let sync_rec_of = |recording: &synphys_schema::Recording| {
            let index = usize::try_from(recording.sync_rec_id? - 1).ok()?;
            self.sync_recs.get(index)
        };
        let last = self
            .recordings
            .iter()
            .filter(|r| sync_rec_of(r).is_some_and(in_experiment))
            .filter_map(|r| r.start_time)
            .max()
            .map(|t| (t - pair.experiment_start).as_seconds_f64());
        (count, last)
    }

    fn push_recording(
        &mut self,
        sync_rec_id: i64,
        electrode: i64,
        start_time: Option<NaiveDateTime>,
        stim_name: Option<String>,
    ) -> i64 {
        let id = next_id(&self.recordings);
        self.recordings.push(synphys_schema::Recording {
            id,
            sync_rec_id: Some(sync_rec_id),
            // The demo writes no `electrode` rows; the electrode number is the device name.
            electrode_id: None,
            start_time,
            sample_rate: Some(SAMPLE_RATE_HZ),
            device_name: Some(electrode.to_string()),
            stim_name,
            stim_meta: None,
            meta: None,
        });
        id
    }

    /// A patch-clamp row for `recording_id` and its multipatch-probe row (the train's
    /// frequency and delay, on both the pre and the post recording).
    fn push_patch_clamp_recording(
        &mut self,
        recording_id: i64,
        clamp_mode: ClampMode,
        baseline_potential_v: Option<f64>,
        sweep: &SimulatedSweep,
    ) {
        let id = next_id(&self.patch_clamp_recordings);
        self.patch_clamp_recordings
            .push(synphys_schema::PatchClampRecording {
                id,
                recording_id: Some(recording_id),
                clamp_mode: Some(clamp_mode.as_db().to_string()),
                patch_mode: Some(PATCH_MODE.to_string()),
                baseline_potential: baseline_potential_v,
                baseline_current: None,
                baseline_noise_stdev: None,
                nearest_test_pulse_id: None,
                qc_pass: Some(true),
                access_adj_baseline_potential: None,
                meta: None,
            });
        let probe_id = next_id(&self.multi_patch_probes);
        self.multi_patch_probes
            .push(synphys_schema::MultiPatchProbe {
                id: probe_id,
                patch_clamp_recording_id: Some(id),
                induction_frequency: Some(sweep.induction_frequency_hz),
                recovery_delay: Some(sweep.recovery_delay_s),
                // A missing spike time is a spike whose time was not measured: still evoked.
                n_spikes_evoked: Some(sweep.pulses.len() as i64),
                meta: None,
            });
    }

    fn push_pulse(
        &mut self,
        pair: &EventPair,
        pre_recording_id: i64,
        post_recording_id: i64,
        sweep: &SimulatedSweep,
        pulse: &SimulatedPulse,
    ) {
        let stim_pulse_id = next_id(&self.stim_pulses);
        self.stim_pulses.push(synphys_schema::StimPulse {
            id: stim_pulse_id,
            recording_id: Some(pre_recording_id),
            pulse_number: Some(i64::from(pulse.pulse_number)),
            cell_id: Some(pair.pre_cell_id),
            onset_time: Some(pulse.onset_time_s),
            amplitude: Some(STIM_AMPLITUDE_A),
            duration: Some(STIM_DURATION_S),
            n_spikes: Some(1),
            first_spike_time: pulse.spike_time_s,
            data: None,
            data_start_time: None,
            position: None,
            qc_pass: Some(true),
            previous_pulse_dt: Some(pulse.previous_pulse_dt_s),
            meta: None,
        });
        let baseline_id = next_id(&self.baselines);
        // The snippet's own QC knows only the holding potential, not the response's
        // other failures: loaders must mask baselines by the response's flags (§7a).
        self.baselines.push(synphys_schema::Baseline {
            id: baseline_id,
            recording_id: Some(post_recording_id),
            data: None,
            data_start_time: None,
            mode: (sweep.clamp_mode == ClampMode::Current).then_some(sweep.baseline_potential_v),
            ex_qc_pass: Some(within(sweep.baseline_potential_v, EX_QC_POTENTIAL_V)),
            in_qc_pass: Some(within(sweep.baseline_potential_v, IN_QC_POTENTIAL_V)),
            meta: None,
        });
        let pulse_response_id = next_id(&self.pulse_responses);
        self.pulse_responses.push(synphys_schema::PulseResponse {
            id: pulse_response_id,
            recording_id: Some(post_recording_id),
            stim_pulse_id: Some(stim_pulse_id),
            pair_id: Some(pair.pair_id),
            baseline_id: Some(baseline_id),
            data: None,
            data_start_time: None,
            ex_qc_pass: Some(pulse.ex_qc_pass),
            in_qc_pass: Some(pulse.in_qc_pass),
            meta: None,
        });
        self.pulse_response_fits.push(response_fit(
            next_id(&self.pulse_response_fits),
            pulse_response_id,
            pulse,
        ));
    }
}

/// The fit row of one response: the deconvolved-fit amplitudes of the response and of
/// its baseline, everything else null.
fn response_fit(
    id: i64,
    pulse_response_id: i64,
    pulse: &SimulatedPulse,
) -> synphys_schema::PulseResponseFit {
    synphys_schema::PulseResponseFit {
        id,
        pulse_response_id: Some(pulse_response_id),
        fit_amp: None,
        fit_latency: None,
        fit_yoffset: None,
        fit_rise_time: None,
        fit_decay_tau: None,
        fit_exp_amp: None,
        fit_nrmse: None,
        baseline_fit_amp: None,
        baseline_fit_latency: None,
        baseline_fit_yoffset: None,
        baseline_fit_rise_time: None,
        baseline_fit_decay_tau: None,
        baseline_fit_exp_amp: None,
        baseline_fit_nrmse: None,
        dec_fit_amp: None,
        dec_fit_reconv_amp: pulse.amplitude_v,
        dec_fit_latency: None,
        dec_fit_yoffset: None,
        dec_fit_rise_time: None,
        dec_fit_decay_tau: None,
        dec_fit_nrmse: None,
        baseline_dec_fit_amp: None,
        baseline_dec_fit_reconv_amp: Some(pulse.baseline_amplitude_v),
        baseline_dec_fit_latency: None,
        baseline_dec_fit_yoffset: None,
        baseline_dec_fit_rise_time: None,
        baseline_dec_fit_decay_tau: None,
        baseline_dec_fit_nrmse: None,
        meta: None,
    }
}

/// The id a row pushed onto `rows` gets: 1-based, in push order.
fn next_id<T>(rows: &[T]) -> i64 {
    i64::try_from(rows.len()).map_or(i64::MAX, |n| n + 1)
}

/// `start` plus `offset_s` seconds, to the microsecond (`None` past chrono's range).
fn offset_time(start: NaiveDateTime, offset_s: f64) -> Option<NaiveDateTime> {
    let micros = (offset_s * 1e6).round();
    if !micros.is_finite() || micros.abs() > 1e17 {
        return None;
    }
    start.checked_add_signed(TimeDelta::microseconds(micros as i64))
}

/// The stimulus name of a train, as the acquisition software names its stimulus sets.
fn stim_name(induction_frequency_hz: f64) -> String {
    format!(
        "PulseTrain_{}Hz_DA_0",
        induction_frequency_hz.round() as i64
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::{HashMap, HashSet};

    fn params(depression_amount: f64) -> ReleaseParams {
        let built = ReleaseParams::builder()
            .n_release_sites(3)
            .base_release_probability(0.6)
            .mini_amplitude(0.2e-3)
            .mini_amplitude_cv(0.25)
            .depression_amount(depression_amount)
            .depression_tau(0.1)
            .facilitation_amount(0.2)
            .facilitation_tau(0.5)
            .measurement_stdev(1e-3)
            .build();
        match built {
            Ok(p) => p,
            Err(e) => panic!("test parameters are valid: {e}"),
        }
    }

    fn synapse(sign: f64, n_events_min: usize) -> EventSynapse {
        EventSynapse {
            release: params(0.3),
            sign,
            measurement_stdev_v: 0.08e-3,
            latency_s: 1.5e-3,
            n_events_min,
        }
    }

    fn simulated(synapse: &EventSynapse, seed: u64) -> Simulation {
        let mut rng = Pcg64::seed_from_u64(seed);
        match simulate(synapse, &mut rng) {
            Ok(s) => s,
            Err(e) => panic!("simulation of a valid synapse fails: {e}"),
        }
    }

    fn current_clamp(sweeps: &[SimulatedSweep]) -> impl Iterator<Item = &SimulatedPulse> {
        sweeps
            .iter()
            .filter(|s| s.clamp_mode == ClampMode::Current)
            .flat_map(|s| &s.pulses)
    }

    fn pair(experiment_id: i64, pair_id: i64) -> EventPair {
        let start =
            chrono::NaiveDate::from_ymd_opt(2019, 5, 14).and_then(|d| d.and_hms_opt(10, 30, 0));
        EventPair {
            experiment_id,
            pre_cell_id: 10 * pair_id + 1,
            post_cell_id: 10 * pair_id + 2,
            pair_id,
            pre_electrode: 3,
            post_electrode: 6,
            experiment_start: start.unwrap_or_default(),
        }
    }

    #[test]
    fn a_seed_determines_the_simulation() {
        let s = synapse(1.0, 400);
        let a = simulated(&s, 7).sweeps;
        assert_eq!(a, simulated(&s, 7).sweeps);
        assert_ne!(a, simulated(&s, 8).sweeps);
    }

    #[test]
    fn sweeps_follow_the_protocol() {
        let n_min = 400;
        let sweeps = simulated(&synapse(1.0, n_min), 1).sweeps;
        let n_cc = current_clamp(&sweeps).count();
        assert!(
            (n_min..n_min + 12).contains(&n_cc),
            "{n_cc} current-clamp pulses"
        );
        let n_vc = sweeps
            .iter()
            .filter(|s| s.clamp_mode == ClampMode::Voltage)
            .count();
        assert!((2..=6).contains(&n_vc), "{n_vc} voltage-clamp sweeps");

        let frequencies: Vec<f64> = INDUCTION_FREQUENCIES_HZ.iter().map(|f| f.0).collect();
        for (i, sweep) in sweeps.iter().enumerate() {
            let numbers: Vec<u32> = sweep.pulses.iter().map(|p| p.pulse_number).collect();
            assert_eq!(numbers, (1..=12).collect::<Vec<u32>>());
            assert!(frequencies.contains(&sweep.induction_frequency_hz));
            let nearest = RECOVERY_DELAYS_S
                .iter()
                .map(|d| (sweep.recovery_delay_s - d.0).abs())
                .fold(f64::INFINITY, f64::min);
            assert!(nearest <= RECOVERY_DELAY_JITTER_S + 1e-12);
            let onsets: Vec<f64> = sweep.pulses.iter().map(|p| p.onset_time_s).collect();
            let period = 1.0 / sweep.induction_frequency_hz;
            assert!((onsets[1] - onsets[0] - period).abs() < 1e-9);
            assert!((onsets[8] - onsets[7] - sweep.recovery_delay_s).abs() < 1e-9);
            for p in &sweep.pulses {
                if let Some(spike) = p.spike_time_s {
                    let delay = spike - p.onset_time_s;
                    assert!((SPIKE_DELAY_BOUNDS_S.0..=SPIKE_DELAY_BOUNDS_S.1).contains(&delay));
                }
            }
            // Whole milliseconds, exactly as the closest double.
            assert_eq!(sweep.start_time_s, (sweep.start_time_s * 1e3).round() / 1e3);
            if i > 0 {
                let gap_ms = ((sweep.start_time_s - sweeps[i - 1].start_time_s) * 1e3).round();
                let (low, high) = SWEEP_INTERVAL_MS;
                assert!(
                    (low as f64..=high as f64).contains(&gap_ms),
                    "{gap_ms} ms between sweeps"
                );
            }
        }
        // previous_pulse_dt: +inf first, then onset-to-onset across sweeps.
        let onsets: Vec<f64> = sweeps
            .iter()
            .flat_map(|s| {
                s.pulses
                    .iter()
                    .map(move |p| s.start_time_s + p.onset_time_s)
            })
            .collect();
        let dts: Vec<f64> = sweeps
            .iter()
            .flat_map(|s| &s.pulses)
            .map(|p| p.previous_pulse_dt_s)
            .collect();
        assert_eq!(dts[0], f64::INFINITY);
        for i in 1..dts.len() {
            assert!((dts[i] - (onsets[i] - onsets[i - 1])).abs() < 1e-9);
        }
        // 50 Hz and 250 ms are the most common settings.
        let count = |f: &dyn Fn(&SimulatedSweep) -> bool| sweeps.iter().filter(|s| f(s)).count();
        assert!(
            count(&|s| s.induction_frequency_hz == 50.0)
                > count(&|s| s.induction_frequency_hz == 20.0)
        );
        assert!(
            count(&|s| (s.recovery_delay_s - 0.25).abs() < 0.01)
                > count(&|s| (s.recovery_delay_s - 0.5).abs() < 0.01)
        );
    }

    #[test]
    fn a_few_percent_of_events_are_flawed() {
        let sweeps = simulated(&synapse(1.0, 6000), 2).sweeps;
        let cc: Vec<&SimulatedPulse> = current_clamp(&sweeps).collect();
        let n = cc.len() as f64;
        let fraction =
            |f: &dyn Fn(&SimulatedPulse) -> bool| cc.iter().filter(|p| f(p)).count() as f64 / n;
        // Binomial standard errors at n = 6000 are ≤ 0.25 %: 5σ bounds.
        let missing = fraction(&|p| p.spike_time_s.is_none());
        assert!(
            (missing - MISSING_SPIKE_TIME_FRACTION).abs() < 0.01,
            "missing spikes {missing}"
        );
        let failing = fraction(&|p| !p.ex_qc_pass);
        assert!(
            (failing - QC_FAILURE_FRACTION).abs() < 0.012,
            "QC failures {failing}"
        );
        let no_fit = fraction(&|p| p.amplitude_v.is_none());
        assert!(
            (no_fit - FIT_FAILURE_FRACTION).abs() < 0.007,
            "fit failures {no_fit}"
        );
        // An excitatory synapse's cell sits at −70 mV: inhibitory QC never passes.
        assert_eq!(fraction(&|p| p.in_qc_pass), 0.0);
        let inhibitory = simulated(&synapse(-1.0, 1200), 3).sweeps;
        let in_pass = current_clamp(&inhibitory).filter(|p| p.in_qc_pass).count();
        assert!(in_pass > 1100, "{in_pass} of 1200 pass inhibitory QC");
    }

    /// Mean measured amplitude against the model's expectation n·p·q at the same spikes
    /// (outside depletion mode the release probabilities do not depend on the amplitudes,
    /// so the expectation is exact), within 5 standard errors.
    fn assert_mean_matches_model(sign: f64, seed: u64) {
        let s = synapse(sign, 12_000);
        let sim = simulated(&s, seed);
        let expected =
            match ReleaseModel::new(sim.params).expected(&sim.current_clamp_spike_times_s) {
                Ok(run) => run,
                Err(e) => panic!("expected run: {e}"),
            };
        let (n, q, cv, sigma) = (3.0, 0.2e-3, 0.25, s.measurement_stdev_v);
        let (mut sum_measured, mut sum_expected, mut variance, mut count) = (0.0, 0.0, 0.0, 0.0);
        for (pulse, event) in current_clamp(&sim.sweeps).zip(expected.events()) {
            let (Some(a), Some(mean), Some(state)) =
                (pulse.amplitude_v, event.expected_amplitude, event.pre_spike)
            else {
                continue;
            };
            let p = state.release_probability;
            sum_measured += a;
            sum_expected += sign * mean;
            variance += n * p * (1.0 - p) * q * q + n * p * (q * cv).powi(2) + sigma * sigma;
            count += 1.0;
        }
        assert_eq!(current_clamp(&sim.sweeps).count(), expected.events().len());
        let (measured, model) = (sum_measured / count, sum_expected / count);
        let standard_error = variance.sqrt() / count;
        assert!(model.signum() == sign && measured.signum() == sign);
        assert!(
            (measured - model).abs() < 5.0 * standard_error,
            "mean {measured} vs model {model} (standard error {standard_error})"
        );
        // Baselines are noise only: mean 0, standard deviation measurement_stdev.
        let baselines: Vec<f64> = current_clamp(&sim.sweeps)
            .map(|p| p.baseline_amplitude_v)
            .collect();
        let m = baselines.iter().sum::<f64>() / baselines.len() as f64;
        let sd = (baselines.iter().map(|b| (b - m).powi(2)).sum::<f64>() / baselines.len() as f64)
            .sqrt();
        let k = baselines.len() as f64;
        assert!(m.abs() < 5.0 * sigma / k.sqrt());
        assert!((sd / sigma - 1.0).abs() < 5.0 / (2.0 * k).sqrt());
    }

    #[test]
    fn mean_amplitude_matches_the_release_model() {
        assert_mean_matches_model(1.0, 11);
        assert_mean_matches_model(-1.0, 12);
    }

    #[test]
    fn depletion_mode_and_voltage_clamp_amplitudes() {
        let mut s = synapse(1.0, 400);
        s.release = params(-1.0);
        let sweeps = simulated(&s, 5).sweeps;
        assert!(
            current_clamp(&sweeps)
                .filter_map(|p| p.amplitude_v)
                .all(f64::is_finite)
        );
        // Voltage clamp records inward currents of tens of pA for an excitatory synapse.
        let vc: Vec<f64> = sweeps
            .iter()
            .filter(|s| s.clamp_mode == ClampMode::Voltage)
            .flat_map(|s| s.pulses.iter().filter_map(|p| p.amplitude_v))
            .collect();
        let mean = vc.iter().sum::<f64>() / vc.len() as f64;
        assert!(
            mean < 0.0 && mean > -1e-9,
            "mean voltage-clamp amplitude {mean} A"
        );
    }

    #[test]
    fn invalid_synapses_are_errors_naming_the_field() {
        let mut rng = Pcg64::seed_from_u64(0);
        type Spoil = fn(&mut EventSynapse);
        let cases: [(&str, Spoil); 3] = [
            ("sign", |s| s.sign = 0.5),
            ("measurement_stdev_v", |s| s.measurement_stdev_v = 0.0),
            ("latency_s", |s| s.latency_s = f64::NAN),
        ];
        for (name, spoil) in cases {
            let mut s = synapse(1.0, 24);
            spoil(&mut s);
            match simulate_sweeps(&s, &mut rng) {
                Ok(_) => panic!("{name}: accepted"),
                Err(e) => assert!(e.to_string().contains(name), "{name}: {e}"),
            }
        }
    }

    #[test]
    fn dynamics_inputs_use_the_synapse_sign_qc_flag_and_mask_baselines() {
        for (sign, seed) in [(1.0, 21), (-1.0, 22)] {
            let sweeps = simulated(&synapse(sign, 1200), seed).sweeps;
            let (events, baselines) = dynamics_inputs(&sweeps, sign);
            let cc: Vec<&SimulatedPulse> = current_clamp(&sweeps).collect();
            assert_eq!(events.len(), cc.len());
            assert_eq!(baselines.len(), cc.len());
            assert!(events.iter().all(|e| e.clamp_mode == ClampMode::Current));
            let (mut masked, mut missing_spike_kept) = (0, 0);
            for ((event, baseline), pulse) in events.iter().zip(&baselines).zip(&cc) {
                let flag = if sign > 0.0 {
                    pulse.ex_qc_pass
                } else {
                    pulse.in_qc_pass
                };
                assert_eq!(event.qc_pass, flag);
                assert_eq!(event.pulse_number, pulse.pulse_number);
                assert_eq!(event.previous_pulse_dt_s, Some(pulse.previous_pulse_dt_s));
                if flag {
                    assert_eq!(*baseline, pulse.baseline_amplitude_v);
                    missing_spike_kept += usize::from(pulse.spike_time_s.is_none());
                } else {
                    assert!(baseline.is_nan());
                    masked += 1;
                }
                match pulse.spike_time_s {
                    Some(_) => assert_eq!(event.amplitude_v, pulse.amplitude_v),
                    None => assert_eq!(event.amplitude_v, None),
                }
            }
            assert!(masked > 0 && missing_spike_kept > 0);
        }
    }

    fn rows_for(specs: &[(EventPair, &[SimulatedSweep])]) -> EventRows {
        let mut rows = EventRows::default();
        for (p, sweeps) in specs {
            rows.append(p, sweeps);
        }
        rows
    }

    fn assert_ids_are_positions(ids: impl Iterator<Item = i64>) {
        for (position, id) in (1i64..).zip(ids) {
            assert_eq!(id, position);
        }
    }

    #[test]
    fn every_row_reference_resolves() {
        let a = simulated(&synapse(1.0, 48), 31).sweeps;
        let b = simulated(&synapse(-1.0, 48), 32).sweeps;
        let c = simulated(&synapse(1.0, 24), 33).sweeps;
        let rows = rows_for(&[(pair(1, 1), &a), (pair(1, 2), &b), (pair(2, 3), &c)]);

        assert_ids_are_positions(rows.sync_recs.iter().map(|r| r.id));
        assert_ids_are_positions(rows.recordings.iter().map(|r| r.id));
        assert_ids_are_positions(rows.patch_clamp_recordings.iter().map(|r| r.id));
        assert_ids_are_positions(rows.multi_patch_probes.iter().map(|r| r.id));
        assert_ids_are_positions(rows.stim_pulses.iter().map(|r| r.id));
        assert_ids_are_positions(rows.pulse_responses.iter().map(|r| r.id));
        assert_ids_are_positions(rows.pulse_response_fits.iter().map(|r| r.id));
        assert_ids_are_positions(rows.baselines.iter().map(|r| r.id));

        let exists = |id: Option<i64>, len: usize| id.is_some_and(|i| i >= 1 && i as usize <= len);
        let n_sweeps = a.len() + b.len() + c.len();
        let n_pulses = 12 * n_sweeps;
        assert_eq!(rows.sync_recs.len(), n_sweeps);
        assert_eq!(rows.recordings.len(), 2 * n_sweeps);
        assert_eq!(rows.stim_pulses.len(), n_pulses);
        assert_eq!(rows.pulse_response_fits.len(), n_pulses);
        assert!(
            rows.recordings
                .iter()
                .all(|r| exists(r.sync_rec_id, rows.sync_recs.len()))
        );
        let mut unique = HashSet::new();
        for pcr in &rows.patch_clamp_recordings {
            assert!(exists(pcr.recording_id, rows.recordings.len()));
            assert!(
                unique.insert(pcr.recording_id),
                "one patch_clamp_recording per recording"
            );
        }
        assert_eq!(rows.patch_clamp_recordings.len(), rows.recordings.len());
        let mut unique = HashSet::new();
        for probe in &rows.multi_patch_probes {
            assert!(exists(
                probe.patch_clamp_recording_id,
                rows.patch_clamp_recordings.len()
            ));
            assert!(unique.insert(probe.patch_clamp_recording_id));
        }
        for sp in &rows.stim_pulses {
            assert!(exists(sp.recording_id, rows.recordings.len()));
        }
        assert!(
            rows.baselines
                .iter()
                .all(|b| exists(b.recording_id, rows.recordings.len()))
        );
        for pr in &rows.pulse_responses {
            assert!(exists(pr.recording_id, rows.recordings.len()));
            assert!(exists(pr.stim_pulse_id, rows.stim_pulses.len()));
            assert!(exists(pr.baseline_id, rows.baselines.len()));
            // The response and its baseline are cut from the same post recording, which
            // shares its sweep with the pulse's pre recording.
            let baseline = &rows.baselines[pr.baseline_id.unwrap_or(0) as usize - 1];
            assert_eq!(baseline.recording_id, pr.recording_id);
            let pulse = &rows.stim_pulses[pr.stim_pulse_id.unwrap_or(0) as usize - 1];
            let sync_of =
                |rec: Option<i64>| rows.recordings[rec.unwrap_or(0) as usize - 1].sync_rec_id;
            assert_eq!(sync_of(pulse.recording_id), sync_of(pr.recording_id));
            assert_ne!(pulse.recording_id, pr.recording_id);
        }
        let mut unique = HashSet::new();
        for fit in &rows.pulse_response_fits {
            assert!(exists(fit.pulse_response_id, rows.pulse_responses.len()));
            assert!(unique.insert(fit.pulse_response_id));
        }
        // Cells, pairs and experiments are the ones given.
        let pairs: HashSet<Option<i64>> = rows.pulse_responses.iter().map(|r| r.pair_id).collect();
        assert_eq!(pairs, HashSet::from([Some(1), Some(2), Some(3)]));
        let cells: HashSet<Option<i64>> = rows.stim_pulses.iter().map(|r| r.cell_id).collect();
        assert_eq!(cells, HashSet::from([Some(11), Some(21), Some(31)]));

        // Sweep numbers are unique per experiment and the second pair's sweeps start after
        // the first pair's.
        let mut numbers: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for s in &rows.sync_recs {
            numbers
                .entry(s.experiment_id)
                .or_default()
                .push(s.ext_id.as_ref().and_then(|v| v.as_i64()).unwrap_or(-1));
        }
        assert_eq!(
            numbers[&Some(1)],
            (1..=(a.len() + b.len()) as i64).collect::<Vec<_>>()
        );
        assert_eq!(numbers[&Some(2)], (1..=c.len() as i64).collect::<Vec<_>>());
        let starts: Vec<NaiveDateTime> = rows
            .recordings
            .iter()
            .step_by(2)
            .filter_map(|r| r.start_time)
            .collect();
        assert!(starts[..a.len() + b.len()].windows(2).all(|w| w[0] < w[1]));
        // Every start is a whole number of milliseconds after the experiment's start.
        let experiment_start = pair(1, 1).experiment_start;
        for recording in &rows.recordings {
            let start = recording.start_time.unwrap_or_default();
            let micros = (start - experiment_start).num_microseconds().unwrap_or(1);
            assert_eq!(micros % 1000, 0, "{start}");
        }
    }

    /// One event as the §7a loader builds it from the rows.
    #[derive(Debug, PartialEq)]
    struct LoadedEvent {
        start: NaiveDateTime,
        onset_s: f64,
        event: PulseEvent,
        baseline: f64,
        stim_name: Option<String>,
    }

    /// A direct transcription of DESIGN §7a over the rows (joins by id), for one pair.
    fn load_per_design(rows: &EventRows, pair_id: i64, sign: f64) -> Vec<LoadedEvent> {
        let get = |id: Option<i64>| id.unwrap_or(0) as usize - 1;
        let pcr_of: HashMap<Option<i64>, usize> = rows
            .patch_clamp_recordings
            .iter()
            .enumerate()
            .map(|(i, p)| (p.recording_id, i))
            .collect();
        let probe_of: HashMap<Option<i64>, usize> = rows
            .multi_patch_probes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.patch_clamp_recording_id, i))
            .collect();
        let fit_of: HashMap<Option<i64>, usize> = rows
            .pulse_response_fits
            .iter()
            .enumerate()
            .map(|(i, f)| (f.pulse_response_id, i))
            .collect();
        let mut loaded = Vec::new();
        for pr in rows
            .pulse_responses
            .iter()
            .filter(|r| r.pair_id == Some(pair_id))
        {
            let post = &rows.recordings[get(pr.recording_id)];
            let pcr = &rows.patch_clamp_recordings[pcr_of[&pr.recording_id]];
            if pcr.clamp_mode.as_deref() != Some("ic") {
                continue;
            }
            let pulse = &rows.stim_pulses[get(pr.stim_pulse_id)];
            let pre = &rows.recordings[get(pulse.recording_id)];
            let probe = &rows.multi_patch_probes[probe_of[&Some(pcr.id)]];
            let fit = fit_of
                .get(&Some(pr.id))
                .map(|&i| &rows.pulse_response_fits[i]);
            let qc_pass = if sign > 0.0 {
                pr.ex_qc_pass
            } else {
                pr.in_qc_pass
            } == Some(true);
            let amplitude = fit
                .and_then(|f| f.dec_fit_reconv_amp)
                .filter(|_| pulse.first_spike_time.is_some());
            loaded.push(LoadedEvent {
                start: post.start_time.unwrap_or_default(),
                onset_s: pulse.onset_time.unwrap_or(f64::NAN),
                event: PulseEvent {
                    recording_id: 0,
                    clamp_mode: ClampMode::Current,
                    pulse_number: pulse.pulse_number.unwrap_or(0) as u32,
                    induction_frequency_hz: probe.induction_frequency,
                    recovery_delay_s: probe.recovery_delay,
                    previous_pulse_dt_s: pulse.previous_pulse_dt,
                    amplitude_v: amplitude,
                    qc_pass,
                },
                baseline: fit
                    .and_then(|f| f.baseline_dec_fit_reconv_amp)
                    .filter(|_| qc_pass)
                    .unwrap_or(f64::NAN),
                stim_name: pre.stim_name.clone(),
            });
        }
        loaded.sort_by(|a, b| a.start.cmp(&b.start).then(a.onset_s.total_cmp(&b.onset_s)));
        loaded
    }

    #[test]
    fn the_design_loader_reads_back_the_dynamics_inputs() {
        let ex = simulated(&synapse(1.0, 240), 41).sweeps;
        let inh = simulated(&synapse(-1.0, 240), 42).sweeps;
        let rows = rows_for(&[(pair(1, 1), &ex), (pair(1, 2), &inh)]);
        for (pair_id, sign, sweeps) in [(1, 1.0, &ex), (2, -1.0, &inh)] {
            let loaded = load_per_design(&rows, pair_id, sign);
            let (events, baselines) = dynamics_inputs(sweeps, sign);
            assert_eq!(loaded.len(), events.len());
            for ((l, e), b) in loaded.iter().zip(&events).zip(&baselines) {
                let e = PulseEvent {
                    recording_id: 0,
                    ..e.clone()
                };
                assert_eq!(l.event, e);
                assert!(l.baseline == *b || (l.baseline.is_nan() && b.is_nan()));
                let hz = e.induction_frequency_hz.unwrap_or(0.0);
                assert_eq!(
                    l.stim_name.as_deref(),
                    Some(format!("PulseTrain_{hz}Hz_DA_0").as_str())
                );
            }
            // Spike times rebuilt from the rows (start offset + first_spike_time) are the
            // simulated ones.
            let t0 = loaded[0].start;
            let cc: Vec<(&SimulatedSweep, &SimulatedPulse)> = sweeps
                .iter()
                .filter(|s| s.clamp_mode == ClampMode::Current)
                .flat_map(|s| s.pulses.iter().map(move |p| (s, p)))
                .collect();
            let s0 = cc[0].0.start_time_s;
            for (l, (s, p)) in loaded.iter().zip(&cc) {
                let offset = (l.start - t0).as_seconds_f64();
                assert!((offset - (s.start_time_s - s0)).abs() < 1e-9);
                assert_eq!(l.onset_s, p.onset_time_s);
            }
        }
    }

    #[test]
    fn previous_pulse_dt_infinity_survives_sqlite() -> Result<(), Box<dyn std::error::Error>> {
        use synphys_schema::{Schema, StoredValue, TableRow};
        let sweeps = simulated(&synapse(1.0, 12), 51).sweeps;
        let rows = rows_for(&[(pair(1, 1), &sweeps)]);
        let table = Schema::v22().require_table("stim_pulse")?;
        let conn = rusqlite::Connection::open_in_memory()?;
        // Only stim_pulse exists here: its parents are not what this test is about.
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        conn.execute_batch(&table.create_table_sql())?;
        let row = &rows.stim_pulses[0];
        let mut values = Vec::new();
        for (name, value) in synphys_schema::StimPulse::COLUMNS
            .iter()
            .zip(row.to_values())
        {
            let column = Schema::v22().require_column("stim_pulse", name)?;
            values.push(match column.encode(&value)? {
                StoredValue::Null => rusqlite::types::Value::Null,
                StoredValue::Integer(i) => rusqlite::types::Value::Integer(i),
                StoredValue::Real(r) => rusqlite::types::Value::Real(r),
                StoredValue::Text(t) => rusqlite::types::Value::Text(t),
                StoredValue::Blob(b) => rusqlite::types::Value::Blob(b),
            });
        }
        let placeholders = vec!["?"; values.len()].join(", ");
        conn.execute(
            &format!("INSERT INTO stim_pulse VALUES ({placeholders})"),
            rusqlite::params_from_iter(values),
        )?;
        let (dt, kind): (f64, String) = conn.query_row(
            "SELECT previous_pulse_dt, typeof(previous_pulse_dt) FROM stim_pulse",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!(row.previous_pulse_dt, Some(f64::INFINITY));
        assert_eq!((dt, kind.as_str()), (f64::INFINITY, "real"));
        let resting: i64 = conn.query_row(
            "SELECT count(*) FROM stim_pulse WHERE previous_pulse_dt > 8",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(resting, 1);
        Ok(())
    }
}
