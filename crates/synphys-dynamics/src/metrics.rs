//! The `dynamics` metrics: per-train STP measures, their summaries, variability and
//! paired-event correlations (DESIGN §7b).

use crate::error::Result;
use crate::stats::{finite, median, pearson, percentile, population_std};
use crate::trains::{StimulusGroup, TRAIN_PULSES, Train, first, group_trains, usable_amplitude};
use crate::types::{DynamicsMetrics, PspSign, PulseEvent, StimulusStp, SummaryStat};

/// Fewest QC-passed amplitudes for `qc_pass`.
const MIN_SOURCE_EVENTS: usize = 10;
/// Events with no presynaptic spike for longer than this (seconds) are "resting state".
const RESTING_PREVIOUS_PULSE_DT_S: f64 = 8.0;
/// Paired-event correlations need more trains than this.
const MIN_CORRELATION_TRAINS_EXCLUSIVE: usize = 3;
/// `stp_all_stimuli` summaries need at least this many values (the reference's `> 1`).
const MIN_GROUP_SUMMARY_VALUES: usize = 2;
/// The induction frequency of the `_50hz` columns, hertz.
const FREQUENCY_50HZ: f64 = 50.0;
/// The recovery delay of the `_250ms` columns, seconds (a snapped value).
const DELAY_250MS_S: f64 = 0.25;

impl SummaryStat {
    /// Summary of `values`; median and std are null with fewer than `min_n` values.
    fn of(values: &[f64], min_n: usize) -> SummaryStat {
        let enough = values.len() >= min_n.max(1);
        SummaryStat {
            median: if enough { median(values) } else { None },
            std: if enough { population_std(values) } else { None },
            n: values.len(),
        }
    }
}

// Per-train amplitude changes, in volts (normalised by amp90 by the caller).

/// a₂ − a₁.
fn initial_change(train: &Train) -> Option<f64> {
    let [a1, a2] = train.pulses([1, 2])?;
    Some(a2 - a1)
}

/// median(a₆, a₇, a₈) − a₁.
fn induction_change(train: &Train) -> Option<f64> {
    let [a1, a6, a7, a8] = train.pulses([1, 6, 7, 8])?;
    Some(median(&[a6, a7, a8])? - a1)
}

/// median(a₉ − a₁, a₁₀ − a₂, a₁₁ − a₃, a₁₂ − a₄), all 12 pulses present.
fn recovery_change(train: &Train) -> Option<f64> {
    let [a1, a2, a3, a4, _, _, _, _, a9, a10, a11, a12] = train.pulses(first::<12>())?;
    median(&[a9 - a1, a10 - a2, a11 - a3, a12 - a4])
}

/// a₉ − a₁, pulses 1–9 present.
fn recovery_single_change(train: &Train) -> Option<f64> {
    let [a1, .., a9] = train.pulses(first::<9>())?;
    Some(a9 - a1)
}

/// The four per-train STP measures, normalised by amp90; non-finite results (amp90
/// missing or zero) are dropped.
#[derive(Default)]
struct StpValues {
    initial: Vec<f64>,
    induction: Vec<f64>,
    recovery: Vec<f64>,
    recovery_single: Vec<f64>,
}

impl StpValues {
    fn collect<'a>(
        trains: impl IntoIterator<Item = &'a Train>,
        has_delay: bool,
        amp90: Option<f64>,
    ) -> StpValues {
        let mut v = StpValues::default();
        let Some(amp90) = amp90 else {
            return v;
        };
        let norm = |change: Option<f64>| change.and_then(|c| finite(c / amp90));
        for train in trains {
            v.initial.extend(norm(initial_change(train)));
            v.induction.extend(norm(induction_change(train)));
            // Recovery needs a known delay, as in the reference.
            if has_delay {
                v.recovery.extend(norm(recovery_change(train)));
                v.recovery_single
                    .extend(norm(recovery_single_change(train)));
            }
        }
        v
    }
}

/// Per-pulse raw amplitudes of a group: pulse i counts in trains whose pulses 1..=i are
/// all present (the reference stops at a train's first missing pulse).
fn pulse_amplitude_summaries(trains: &[Train]) -> [SummaryStat; TRAIN_PULSES] {
    std::array::from_fn(|i| {
        let values: Vec<f64> = trains
            .iter()
            .filter(|t| t.leading_run() > i)
            .filter_map(|t| t.pulse(i + 1))
            .collect();
        SummaryStat::of(&values, MIN_GROUP_SUMMARY_VALUES)
    })
}

fn stimulus_summary(group: &StimulusGroup, amp90: Option<f64>) -> StimulusStp {
    let has_delay = group.key.recovery_delay_s.is_some();
    let v = StpValues::collect(&group.trains, has_delay, amp90);
    let of = |x: &[f64]| SummaryStat::of(x, MIN_GROUP_SUMMARY_VALUES);
    StimulusStp {
        key: group.key,
        stp_initial: of(&v.initial),
        stp_induction: of(&v.induction),
        stp_recovery: of(&v.recovery),
        stp_recovery_single: of(&v.recovery_single),
        pulse_amplitudes: pulse_amplitude_summaries(&group.trains),
    }
}

fn is_50hz(group: &StimulusGroup) -> bool {
    // Frequencies are stored as floats; 1e-6 Hz absorbs representation noise only.
    group
        .key
        .induction_frequency_hz
        .is_some_and(|f| (f - FREQUENCY_50HZ).abs() < 1e-6)
}

fn is_250ms(group: &StimulusGroup) -> bool {
    group.key.recovery_delay_s == Some(DELAY_250MS_S)
}

/// ln(√(std(x)² − noise_std²) / |median(x)|); null for no values, unknown noise, a
/// negative radicand (noise exceeds the spread: the reference's NaN) or a non-finite
/// result (zero radicand or zero median).
fn variability(x: &[f64], noise_std: Option<f64>) -> Option<f64> {
    let noise_std = noise_std?;
    let spread = population_std(x)?;
    let radicand = spread * spread - noise_std * noise_std;
    if radicand < 0.0 {
        return None;
    }
    finite((radicand.sqrt() / median(x)?.abs()).ln())
}

fn correlation(pairs: &[(f64, f64)]) -> (Option<f64>, Option<f64>) {
    if pairs.len() <= MIN_CORRELATION_TRAINS_EXCLUSIVE {
        return (None, None);
    }
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    match pearson(&x, &y) {
        Some((r, p)) => (Some(r), Some(p)),
        None => (None, None),
    }
}

/// (median of the first half, median of the second half) of pulses `numbers` for every
/// train that has them all (a median of two values is their mean).
fn half_medians<const K: usize>(trains: &[&Train], numbers: [usize; K]) -> Vec<(f64, f64)> {
    trains
        .iter()
        .filter_map(|t| t.pulses(numbers))
        .filter_map(|a| {
            let (early, late) = a.split_at(K / 2);
            Some((median(early)?, median(late)?))
        })
        .collect()
}

/// Column value, `_n` and `_std` of a set: median and std null when empty.
fn column(values: &[f64]) -> (Option<f64>, f64, Option<f64>) {
    let s = SummaryStat::of(values, 1);
    (s.median, s.n as f64, s.std)
}

/// Computes every metric; see [`crate::dynamics_from_events`].
pub(crate) fn compute(
    events: &[PulseEvent],
    baseline_amplitudes_v: &[f64],
    sign: PspSign,
) -> Result<DynamicsMetrics> {
    let groups = group_trains(events)?;
    let percentile_q = match sign {
        PspSign::Excitatory => 90.0,
        PspSign::Inhibitory => 10.0,
    };

    let amplitudes: Vec<f64> = events.iter().filter_map(usable_amplitude).collect();
    let amp90 = percentile(&amplitudes, percentile_q);
    let noise: Vec<f64> = baseline_amplitudes_v
        .iter()
        .copied()
        .filter(|a| a.is_finite())
        .collect();
    let noise_std = population_std(&noise);

    let trains_50hz: Vec<&Train> = groups
        .iter()
        .filter(|g| is_50hz(g))
        .flat_map(|g| &g.trains)
        .collect();
    let trains_250ms: Vec<&Train> = groups
        .iter()
        .filter(|g| is_250ms(g))
        .flat_map(|g| &g.trains)
        .collect();
    let stp_50hz = StpValues::collect(trains_50hz.iter().copied(), true, amp90);
    let stp_250ms = StpValues::collect(trains_250ms.iter().copied(), true, amp90);

    // Raw-amplitude counterparts, from the same trains as the normalised columns.
    let first_two_50hz: Vec<[f64; 2]> = trains_50hz
        .iter()
        .filter_map(|t| t.pulses([1, 2]))
        .collect();
    let first_50hz: Vec<f64> = first_two_50hz.iter().map(|a| a[0]).collect();
    let second_50hz: Vec<f64> = first_two_50hz.iter().map(|a| a[1]).collect();
    let induced_50hz: Vec<f64> = trains_50hz
        .iter()
        .filter_map(|t| t.pulses([1, 6, 7, 8]))
        .flat_map(|a| [a[1], a[2], a[3]])
        .collect();
    let recovered_250ms: Vec<f64> = trains_250ms
        .iter()
        .filter_map(|t| t.pulses(first::<12>()))
        .flat_map(|[.., a9, a10, a11, a12]| [a9, a10, a11, a12])
        .collect();
    let recovered_single_250ms: Vec<f64> = trains_250ms
        .iter()
        .filter_map(|t| t.pulses(first::<9>()))
        .map(|[.., a9]| a9)
        .collect();

    let paired_pulse_ratios: Vec<f64> = first_two_50hz
        .iter()
        .filter(|[a1, _]| *a1 != 0.0)
        .filter_map(|[a1, a2]| finite(a2 / a1))
        .collect();

    // Variability sets.
    let resting: Vec<f64> = events
        .iter()
        .filter(|e| {
            e.previous_pulse_dt_s
                .is_some_and(|dt| dt > RESTING_PREVIOUS_PULSE_DT_S)
        })
        .filter_map(usable_amplitude)
        .collect();
    let induced_state_50hz: Vec<f64> = trains_50hz
        .iter()
        .filter_map(|t| t.pulses(first::<8>()))
        .flat_map(|[.., a5, a6, a7, a8]| [a5, a6, a7, a8])
        .collect();
    let variability_resting_state = variability(&resting, noise_std);
    let variability_second_pulse_50hz = variability(&second_50hz, noise_std);
    let variability_stp_induced_state_50hz = variability(&induced_state_50hz, noise_std);
    let change = |v: Option<f64>| Some(v? - variability_resting_state?).and_then(finite);

    // Paired-event correlations: first half vs second half of pulses 1..=K.
    let (r12, p12) = correlation(&half_medians(&trains_50hz, first::<2>()));
    let (r24, p24) = correlation(&half_medians(&trains_50hz, first::<4>()));
    let (r48, p48) = correlation(&half_medians(&trains_50hz, first::<8>()));
    let mut m = DynamicsMetrics {
        qc_pass: amplitudes.len() >= MIN_SOURCE_EVENTS,
        n_source_events: amplitudes.len() as i64,
        paired_pulse_ratio_50hz: median(&paired_pulse_ratios),
        pulse_amp_90th_percentile: amp90,
        noise_amp_90th_percentile: percentile(&noise, percentile_q),
        noise_std,
        variability_resting_state,
        variability_second_pulse_50hz,
        variability_stp_induced_state_50hz,
        variability_change_initial_50hz: change(variability_second_pulse_50hz),
        variability_change_induction_50hz: change(variability_stp_induced_state_50hz),
        paired_event_correlation_1_2_r: r12,
        paired_event_correlation_1_2_p: p12,
        paired_event_correlation_2_4_r: r24,
        paired_event_correlation_2_4_p: p24,
        paired_event_correlation_4_8_r: r48,
        paired_event_correlation_4_8_p: p48,
        stp_all_stimuli: groups.iter().map(|g| stimulus_summary(g, amp90)).collect(),
        ..DynamicsMetrics::default()
    };
    (
        m.stp_initial_50hz,
        m.stp_initial_50hz_n,
        m.stp_initial_50hz_std,
    ) = column(&stp_50hz.initial);
    (
        m.stp_induction_50hz,
        m.stp_induction_50hz_n,
        m.stp_induction_50hz_std,
    ) = column(&stp_50hz.induction);
    (
        m.stp_recovery_250ms,
        m.stp_recovery_250ms_n,
        m.stp_recovery_250ms_std,
    ) = column(&stp_250ms.recovery);
    (
        m.stp_recovery_single_250ms,
        m.stp_recovery_single_250ms_n,
        m.stp_recovery_single_250ms_std,
    ) = column(&stp_250ms.recovery_single);
    (
        m.pulse_amp_first_50hz,
        m.pulse_amp_first_50hz_n,
        m.pulse_amp_first_50hz_std,
    ) = column(&first_50hz);
    (
        m.pulse_amp_stp_initial_50hz,
        m.pulse_amp_stp_initial_50hz_n,
        m.pulse_amp_stp_initial_50hz_std,
    ) = column(&second_50hz);
    (
        m.pulse_amp_stp_induction_50hz,
        m.pulse_amp_stp_induction_50hz_n,
        m.pulse_amp_stp_induction_50hz_std,
    ) = column(&induced_50hz);
    (
        m.pulse_amp_stp_recovery_250ms,
        m.pulse_amp_stp_recovery_250ms_n,
        m.pulse_amp_stp_recovery_250ms_std,
    ) = column(&recovered_250ms);
    (
        m.pulse_amp_stp_recovery_single_250ms,
        m.pulse_amp_stp_recovery_single_250ms_n,
        m.pulse_amp_stp_recovery_single_250ms_std,
    ) = column(&recovered_single_250ms);
    Ok(m)
}
