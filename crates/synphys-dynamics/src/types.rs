//! The public records: input events and the output metrics.

use serde::{Deserialize, Serialize};

/// Recording mode of the postsynaptic cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClampMode {
    /// Current clamp (`"ic"` in the database): responses are voltages.
    Current,
    /// Voltage clamp (`"vc"` in the database): responses are currents.
    Voltage,
}

impl ClampMode {
    /// Parses the database spelling, `"ic"` or `"vc"`; anything else is `None`.
    pub fn from_db(s: &str) -> Option<ClampMode> {
        match s {
            "ic" => Some(ClampMode::Current),
            "vc" => Some(ClampMode::Voltage),
            _ => None,
        }
    }

    /// The database spelling: `"ic"` or `"vc"`.
    pub fn as_db(&self) -> &'static str {
        match self {
            ClampMode::Current => "ic",
            ClampMode::Voltage => "vc",
        }
    }
}

/// Sign of the postsynaptic response: decides 90th vs 10th percentile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PspSign {
    /// Depolarising responses (positive amplitudes): the 90th percentile is used.
    Excitatory,
    /// Hyperpolarising responses (negative amplitudes): the 10th percentile is used.
    Inhibitory,
}

/// One presynaptic pulse and the postsynaptic response amplitude measured after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulseEvent {
    /// Groups trains: one sweep is one recording (`recording.id`).
    pub recording_id: i64,
    /// Clamp mode of the postsynaptic recording.
    pub clamp_mode: ClampMode,
    /// Pulse number within the train, 1..=12 (`stim_pulse.pulse_number`).
    pub pulse_number: u32,
    /// Induction frequency of the train in hertz (`multi_patch_probe.induction_frequency`).
    pub induction_frequency_hz: Option<f64>,
    /// Delay between pulses 8 and 9 in seconds (`multi_patch_probe.recovery_delay`).
    pub recovery_delay_s: Option<f64>,
    /// Time since the previous presynaptic spike in seconds (`stim_pulse.previous_pulse_dt`);
    /// `f64::INFINITY` for the cell's first pulse.
    pub previous_pulse_dt_s: Option<f64>,
    /// Response amplitude in volts (`pulse_response_fit.dec_fit_reconv_amp`); `None` when
    /// there is no fit or the spike was uncertain.
    pub amplitude_v: Option<f64>,
    /// The synapse type's QC flag (`pulse_response.ex_qc_pass` or `in_qc_pass`).
    pub qc_pass: bool,
}

/// The stimulus a train was recorded with: the key of one `stp_all_stimuli` entry.
///
/// Serialises as the reference does, as `[clamp_mode, induction_frequency_hz,
/// recovery_delay_s]` with the clamp mode spelled `"ic"` / `"vc"`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KeyRepr", into = "KeyRepr")]
pub struct StimulusKey {
    /// Clamp mode of the trains.
    pub clamp_mode: ClampMode,
    /// Induction frequency in hertz, if recorded.
    pub induction_frequency_hz: Option<f64>,
    /// Recovery delay in seconds, snapped by [`crate::snap_recovery_delay`], if recorded.
    pub recovery_delay_s: Option<f64>,
}

/// Median, population standard deviation and count of a set of values.
///
/// Serialises as `[median, std, n]`, the reference's layout; median and std are `null`
/// when the set is empty.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "StatRepr", into = "StatRepr")]
pub struct SummaryStat {
    /// Median of the values.
    pub median: Option<f64>,
    /// Population standard deviation (ddof 0) of the values.
    pub std: Option<f64>,
    /// Number of values.
    pub n: usize,
}

/// The STP summaries of one stimulus group (one entry of `stp_all_stimuli`).
///
/// Serialises as `[key, metrics]`, where `metrics` is an object with `stp_initial`,
/// `stp_induction`, `stp_recovery`, `stp_recovery_single` (normalised by amp90) and
/// `pulse_amplitudes` (raw amplitudes in volts, one `[median, std, n]` per pulse number
/// 1..=12), each summary being `[median, std, n]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StpRepr", into = "StpRepr")]
pub struct StimulusStp {
    /// The stimulus.
    pub key: StimulusKey,
    /// (a₂ − a₁)/amp90 over the group's trains.
    pub stp_initial: SummaryStat,
    /// (median(a₆, a₇, a₈) − a₁)/amp90 over the group's trains.
    pub stp_induction: SummaryStat,
    /// median(a₉−a₁, a₁₀−a₂, a₁₁−a₃, a₁₂−a₄)/amp90 over the group's complete trains.
    pub stp_recovery: SummaryStat,
    /// (a₉ − a₁)/amp90 over the group's trains.
    pub stp_recovery_single: SummaryStat,
    /// Raw amplitudes (volts) of each pulse number 1..=12 over the group's trains.
    pub pulse_amplitudes: [SummaryStat; 12],
}

/// The `dynamics` table's metrics for one synapse.
///
/// Serialises (serde) to an object whose keys are exactly the `dynamics` table's column
/// names (all except `id`, `pair_id` and `meta`). Metrics are `None` (null) when too few
/// samples exist; the `_n` columns are counts (floats, as in the table). Amplitudes are in
/// volts; `stp_*` and variability metrics are dimensionless.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DynamicsMetrics {
    /// Whether at least 10 QC-passed current-clamp amplitudes were available.
    pub qc_pass: bool,
    /// Number of QC-passed current-clamp amplitudes the metrics were computed from.
    pub n_source_events: i64,
    /// Median a₂/a₁ over 50 Hz trains with a₁ ≠ 0.
    pub paired_pulse_ratio_50hz: Option<f64>,
    /// Median (a₂ − a₁)/amp90 over 50 Hz trains.
    pub stp_initial_50hz: Option<f64>,
    /// Number of trains behind `stp_initial_50hz`.
    pub stp_initial_50hz_n: f64,
    /// Population standard deviation of `stp_initial_50hz` over trains.
    pub stp_initial_50hz_std: Option<f64>,
    /// Median (median(a₆, a₇, a₈) − a₁)/amp90 over 50 Hz trains.
    pub stp_induction_50hz: Option<f64>,
    /// Number of trains behind `stp_induction_50hz`.
    pub stp_induction_50hz_n: f64,
    /// Population standard deviation of `stp_induction_50hz` over trains.
    pub stp_induction_50hz_std: Option<f64>,
    /// Median recovery over complete trains with a 250 ms delay (any frequency).
    pub stp_recovery_250ms: Option<f64>,
    /// Number of trains behind `stp_recovery_250ms`.
    pub stp_recovery_250ms_n: f64,
    /// Population standard deviation of `stp_recovery_250ms` over trains.
    pub stp_recovery_250ms_std: Option<f64>,
    /// Median (a₉ − a₁)/amp90 over trains with a 250 ms delay (any frequency).
    pub stp_recovery_single_250ms: Option<f64>,
    /// Number of trains behind `stp_recovery_single_250ms`.
    pub stp_recovery_single_250ms_n: f64,
    /// Population standard deviation of `stp_recovery_single_250ms` over trains.
    pub stp_recovery_single_250ms_std: Option<f64>,
    /// amp90: 90th (excitatory) or 10th (inhibitory) percentile of the amplitudes, volts.
    pub pulse_amp_90th_percentile: Option<f64>,
    /// The same percentile of the baseline (noise) amplitudes, volts.
    pub noise_amp_90th_percentile: Option<f64>,
    /// Median first amplitude of 50 Hz trains, volts.
    pub pulse_amp_first_50hz: Option<f64>,
    /// Number of amplitudes behind `pulse_amp_first_50hz`.
    pub pulse_amp_first_50hz_n: f64,
    /// Population standard deviation behind `pulse_amp_first_50hz`, volts.
    pub pulse_amp_first_50hz_std: Option<f64>,
    /// Median second amplitude of 50 Hz trains, volts.
    pub pulse_amp_stp_initial_50hz: Option<f64>,
    /// Number of amplitudes behind `pulse_amp_stp_initial_50hz`.
    pub pulse_amp_stp_initial_50hz_n: f64,
    /// Population standard deviation behind `pulse_amp_stp_initial_50hz`, volts.
    pub pulse_amp_stp_initial_50hz_std: Option<f64>,
    /// Median of the sixth to eighth amplitudes of 50 Hz trains, volts.
    pub pulse_amp_stp_induction_50hz: Option<f64>,
    /// Number of amplitudes behind `pulse_amp_stp_induction_50hz`.
    pub pulse_amp_stp_induction_50hz_n: f64,
    /// Population standard deviation behind `pulse_amp_stp_induction_50hz`, volts.
    pub pulse_amp_stp_induction_50hz_std: Option<f64>,
    /// Median of the ninth to twelfth amplitudes after a 250 ms delay, volts.
    pub pulse_amp_stp_recovery_250ms: Option<f64>,
    /// Number of amplitudes behind `pulse_amp_stp_recovery_250ms`.
    pub pulse_amp_stp_recovery_250ms_n: f64,
    /// Population standard deviation behind `pulse_amp_stp_recovery_250ms`, volts.
    pub pulse_amp_stp_recovery_250ms_std: Option<f64>,
    /// Median ninth amplitude after a 250 ms delay, volts.
    pub pulse_amp_stp_recovery_single_250ms: Option<f64>,
    /// Number of amplitudes behind `pulse_amp_stp_recovery_single_250ms`.
    pub pulse_amp_stp_recovery_single_250ms_n: f64,
    /// Population standard deviation behind `pulse_amp_stp_recovery_single_250ms`, volts.
    pub pulse_amp_stp_recovery_single_250ms_std: Option<f64>,
    /// Population standard deviation of the baseline (noise) amplitudes, volts.
    pub noise_std: Option<f64>,
    /// Variability of resting-state responses (previous spike more than 8 s before).
    pub variability_resting_state: Option<f64>,
    /// Variability of the second responses of 50 Hz trains.
    pub variability_second_pulse_50hz: Option<f64>,
    /// Variability of the fifth to eighth responses of 50 Hz trains.
    pub variability_stp_induced_state_50hz: Option<f64>,
    /// `variability_second_pulse_50hz − variability_resting_state`.
    pub variability_change_initial_50hz: Option<f64>,
    /// `variability_stp_induced_state_50hz − variability_resting_state`.
    pub variability_change_induction_50hz: Option<f64>,
    /// Pearson r of a₁ vs a₂ over 50 Hz trains.
    pub paired_event_correlation_1_2_r: Option<f64>,
    /// Two-sided p-value of `paired_event_correlation_1_2_r`.
    pub paired_event_correlation_1_2_p: Option<f64>,
    /// Pearson r of median(a₁, a₂) vs median(a₃, a₄) over 50 Hz trains.
    pub paired_event_correlation_2_4_r: Option<f64>,
    /// Two-sided p-value of `paired_event_correlation_2_4_r`.
    pub paired_event_correlation_2_4_p: Option<f64>,
    /// Pearson r of median(a₁..a₄) vs median(a₅..a₈) over 50 Hz trains.
    pub paired_event_correlation_4_8_r: Option<f64>,
    /// Two-sided p-value of `paired_event_correlation_4_8_r`.
    pub paired_event_correlation_4_8_p: Option<f64>,
    /// The initial / induction / recovery summaries of every stimulus group.
    pub stp_all_stimuli: Vec<StimulusStp>,
}

// Wire layouts of the `stp_all_stimuli` entries (the reference's JSON shapes).

type KeyRepr = (String, Option<f64>, Option<f64>);

impl From<StimulusKey> for KeyRepr {
    fn from(key: StimulusKey) -> KeyRepr {
        (
            key.clamp_mode.as_db().to_owned(),
            key.induction_frequency_hz,
            key.recovery_delay_s,
        )
    }
}

impl TryFrom<KeyRepr> for StimulusKey {
    type Error = String;

    fn try_from((mode, freq, delay): KeyRepr) -> Result<StimulusKey, String> {
        let clamp_mode = ClampMode::from_db(&mode)
            .ok_or_else(|| format!("stimulus clamp mode {mode:?}: expected \"ic\" or \"vc\""))?;
        Ok(StimulusKey {
            clamp_mode,
            induction_frequency_hz: freq,
            recovery_delay_s: delay,
        })
    }
}

type StatRepr = (Option<f64>, Option<f64>, usize);

impl From<SummaryStat> for StatRepr {
    fn from(s: SummaryStat) -> StatRepr {
        (s.median, s.std, s.n)
    }
}

impl From<StatRepr> for SummaryStat {
    fn from((median, std, n): StatRepr) -> SummaryStat {
        SummaryStat { median, std, n }
    }
}

#[derive(Serialize, Deserialize)]
struct StpMetricsRepr {
    stp_initial: SummaryStat,
    stp_induction: SummaryStat,
    stp_recovery: SummaryStat,
    stp_recovery_single: SummaryStat,
    pulse_amplitudes: [SummaryStat; 12],
}

type StpRepr = (StimulusKey, StpMetricsRepr);

impl From<StimulusStp> for StpRepr {
    fn from(s: StimulusStp) -> StpRepr {
        (
            s.key,
            StpMetricsRepr {
                stp_initial: s.stp_initial,
                stp_induction: s.stp_induction,
                stp_recovery: s.stp_recovery,
                stp_recovery_single: s.stp_recovery_single,
                pulse_amplitudes: s.pulse_amplitudes,
            },
        )
    }
}

impl From<StpRepr> for StimulusStp {
    fn from((key, m): StpRepr) -> StimulusStp {
        StimulusStp {
            key,
            stp_initial: m.stp_initial,
            stp_induction: m.stp_induction,
            stp_recovery: m.stp_recovery,
            stp_recovery_single: m.stp_recovery_single,
            pulse_amplitudes: m.pulse_amplitudes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_mode_round_trips_its_database_spelling() {
        for mode in [ClampMode::Current, ClampMode::Voltage] {
            assert_eq!(ClampMode::from_db(mode.as_db()), Some(mode));
        }
        assert_eq!(ClampMode::from_db("ic"), Some(ClampMode::Current));
        assert_eq!(ClampMode::from_db("IC"), None);
    }

    #[test]
    fn stimulus_key_rejects_unknown_clamp_modes() {
        let key: Result<StimulusKey, _> = serde_json::from_str(r#"["xx", 50.0, 0.25]"#);
        let message = key.unwrap_err().to_string();
        assert!(message.contains("\"xx\""), "{message}");
        let key: StimulusKey = serde_json::from_str(r#"["vc", null, 0.25]"#).unwrap();
        assert_eq!(key.clamp_mode, ClampMode::Voltage);
        assert_eq!(key.induction_frequency_hz, None);
    }
}
