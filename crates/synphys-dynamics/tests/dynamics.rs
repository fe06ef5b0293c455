//! Hand-worked trains checking every `dynamics` rule of DESIGN §7b.

use rand::{RngExt, SeedableRng};
use synphys_dynamics::{
    ClampMode, DynamicsMetrics, ErrorKind, PspSign, PulseEvent, dynamics_from_events,
};

const MV: f64 = 1e-3;

/// Events of one 12-pulse train; `amps_mv[i]` is pulse i+1's amplitude in mV (None =
/// missing). The first pulse follows 10 s of rest, the others 20 ms.
fn train(recording_id: i64, freq: f64, delay: f64, amps_mv: &[Option<f64>]) -> Vec<PulseEvent> {
    amps_mv
        .iter()
        .enumerate()
        .map(|(i, a)| PulseEvent {
            recording_id,
            clamp_mode: ClampMode::Current,
            pulse_number: i as u32 + 1,
            induction_frequency_hz: Some(freq),
            recovery_delay_s: Some(delay),
            previous_pulse_dt_s: Some(if i == 0 { 10.0 } else { 0.02 }),
            amplitude_v: a.map(|a| a * MV),
            qc_pass: true,
        })
        .collect()
}

fn full(amps_mv: &[f64]) -> Vec<Option<f64>> {
    amps_mv.iter().copied().map(Some).collect()
}

fn one_to_twelve() -> Vec<Option<f64>> {
    full(&(1..=12).map(f64::from).collect::<Vec<_>>())
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs().max(1e-3))
}

fn compute(events: &[PulseEvent], noise_v: &[f64]) -> DynamicsMetrics {
    dynamics_from_events(events, noise_v, PspSign::Excitatory).unwrap()
}

#[test]
fn one_to_twelve_mv_train_gives_hand_worked_metrics() {
    let events = train(1, 50.0, 0.25, &one_to_twelve());
    let m = compute(&events, &[-0.1 * MV, 0.1 * MV]);

    assert_eq!(m.n_source_events, 12);
    assert!(m.qc_pass);
    // amp90 of 1..12 mV: position 0.9 × 11 = 9.9 → 10 + 0.9 × (11 − 10) = 10.9 mV.
    let amp90 = 10.9 * MV;
    assert!(close(m.pulse_amp_90th_percentile, amp90));
    // initial (2 − 1)/10.9; induction (median(6,7,8) − 1)/10.9 = 6/10.9;
    // recovery median(9−1, 10−2, 11−3, 12−4) = 8 → 8/10.9; single (9 − 1)/10.9.
    assert!(close(m.stp_initial_50hz, 1.0 * MV / amp90));
    assert!(close(m.stp_induction_50hz, 6.0 * MV / amp90));
    assert!(close(m.stp_recovery_250ms, 8.0 * MV / amp90));
    assert!(close(m.stp_recovery_single_250ms, 8.0 * MV / amp90));
    for n in [
        m.stp_initial_50hz_n,
        m.stp_induction_50hz_n,
        m.stp_recovery_250ms_n,
        m.stp_recovery_single_250ms_n,
    ] {
        assert_eq!(n, 1.0);
    }
    // One train: population std 0.
    assert_eq!(m.stp_initial_50hz_std, Some(0.0));
    assert_eq!(m.paired_pulse_ratio_50hz, Some(2.0));
    // Raw counterparts: a1 = 1, a2 = 2, median(6, 7, 8) = 7 (std √(2/3)),
    // median(9..12) = 10.5 (std √1.25), a9 = 9 (mV).
    assert!(close(m.pulse_amp_first_50hz, 1.0 * MV));
    assert!(close(m.pulse_amp_stp_initial_50hz, 2.0 * MV));
    assert!(close(m.pulse_amp_stp_induction_50hz, 7.0 * MV));
    assert_eq!(m.pulse_amp_stp_induction_50hz_n, 3.0);
    assert!(close(
        m.pulse_amp_stp_induction_50hz_std,
        (2.0f64 / 3.0).sqrt() * MV
    ));
    assert!(close(m.pulse_amp_stp_recovery_250ms, 10.5 * MV));
    assert_eq!(m.pulse_amp_stp_recovery_250ms_n, 4.0);
    assert!(close(
        m.pulse_amp_stp_recovery_250ms_std,
        1.25f64.sqrt() * MV
    ));
    assert!(close(m.pulse_amp_stp_recovery_single_250ms, 9.0 * MV));
    assert_eq!(m.pulse_amp_stp_recovery_single_250ms_n, 1.0);
    // Noise ±0.1 mV: std 0.1 mV; 90th percentile −0.1 + 0.9 × 0.2 = 0.08 mV.
    assert!(close(m.noise_std, 0.1 * MV));
    assert!(close(m.noise_amp_90th_percentile, 0.08 * MV));
    // A single train: no correlations (need more than 3 trains).
    assert_eq!(m.paired_event_correlation_1_2_r, None);
    // One resting value: std 0 < noise, so the radicand is negative → null.
    assert_eq!(m.variability_resting_state, None);
    // Pulses 5–8 = 5, 6, 7, 8 mV: std √1.25, radicand 1.25 − 0.01 = 1.24 mV²,
    // median 6.5 mV → ln(√1.24 / 6.5).
    assert!(close(
        m.variability_stp_induced_state_50hz,
        (1.24f64.sqrt() / 6.5).ln()
    ));
    assert_eq!(m.variability_change_induction_50hz, None);

    // stp_all_stimuli: one group; summaries need two trains, but n is reported.
    assert_eq!(m.stp_all_stimuli.len(), 1);
    let group = &m.stp_all_stimuli[0];
    assert_eq!(group.key.recovery_delay_s, Some(0.25));
    assert_eq!(group.stp_initial.n, 1);
    assert_eq!(group.stp_initial.median, None);
}

#[test]
fn group_summaries_have_distinct_per_pulse_amplitudes() {
    // Two trains, pulse i = i mV and 2i mV: pulse i's median is 1.5 i mV, std 0.5 i mV.
    let mut events = train(1, 20.0, 0.5, &one_to_twelve());
    let doubled: Vec<f64> = (1..=12).map(|i| 2.0 * f64::from(i)).collect();
    events.extend(train(2, 20.0, 0.5, &full(&doubled)));
    let m = compute(&events, &[0.0]);
    let group = &m.stp_all_stimuli[0];
    for (i, s) in group.pulse_amplitudes.iter().enumerate() {
        let pulse = (i + 1) as f64;
        assert!(close(s.median, 1.5 * pulse * MV), "pulse {pulse}: {s:?}");
        assert!(close(s.std, 0.5 * pulse * MV));
        assert_eq!(s.n, 2);
    }
    // amp90 of {1..12, 2..24}: 24 values, position 20.7 among sorted
    // [1,2,2,3,4,4,5,6,6,7,8,8,9,10,10,11,12,12,14,16,18,20,22,24] → 18 + 0.7 × 2 = 19.4 mV.
    let amp90 = 19.4 * MV;
    assert!(close(m.pulse_amp_90th_percentile, amp90));
    // initial per train: 1/19.4 and 2/19.4 → median 1.5/19.4, std 0.5/19.4.
    assert!(close(group.stp_initial.median, 1.5 * MV / amp90));
    assert!(close(group.stp_initial.std, 0.5 * MV / amp90));
    // Not 50 Hz, not 250 ms: the columns stay null.
    assert_eq!(m.stp_initial_50hz, None);
    assert_eq!(m.stp_initial_50hz_n, 0.0);
    assert_eq!(m.stp_recovery_250ms, None);
}

#[test]
fn recovery_250ms_pools_every_induction_frequency() {
    let mut events = train(1, 20.0, 0.25, &one_to_twelve());
    events.extend(train(2, 100.0, 0.25, &one_to_twelve()));
    // A 50 Hz train with a 500 ms delay counts for the 50 Hz columns only.
    events.extend(train(3, 50.0, 0.5, &one_to_twelve()));
    let m = compute(&events, &[0.0]);
    assert_eq!(m.stp_recovery_250ms_n, 2.0);
    assert_eq!(m.stp_recovery_single_250ms_n, 2.0);
    assert_eq!(m.stp_initial_50hz_n, 1.0);
    assert_eq!(m.stp_induction_50hz_n, 1.0);
    assert_eq!(m.stp_all_stimuli.len(), 3);
}

#[test]
fn recovery_needs_a_known_delay() {
    let mut events = train(1, 50.0, 0.25, &one_to_twelve());
    events.extend(train(2, 50.0, 0.25, &one_to_twelve()));
    for e in &mut events {
        e.recovery_delay_s = None;
    }
    let m = compute(&events, &[0.0]);
    let group = &m.stp_all_stimuli[0];
    assert_eq!(group.key.recovery_delay_s, None);
    assert_eq!(group.stp_initial.n, 2);
    assert_eq!(group.stp_recovery.n, 0);
    assert_eq!(group.stp_recovery_single.n, 0);
    assert_eq!(m.stp_recovery_250ms_n, 0.0);
}

#[test]
fn recovery_delays_snap_within_5ms_only() {
    let within = compute(&train(1, 50.0, 0.2535, &one_to_twelve()), &[0.0]);
    assert_eq!(within.stp_recovery_250ms_n, 1.0);
    assert_eq!(within.stp_all_stimuli[0].key.recovery_delay_s, Some(0.25));

    let outside = compute(&train(1, 50.0, 0.2565, &one_to_twelve()), &[0.0]);
    assert_eq!(outside.stp_recovery_250ms_n, 0.0);
    assert_eq!(outside.stp_recovery_250ms, None);
    assert_eq!(
        outside.stp_all_stimuli[0].key.recovery_delay_s,
        Some(0.2565)
    );
}

#[test]
fn voltage_clamp_qc_failed_and_non_finite_events_are_ignored() {
    let clean = train(1, 50.0, 0.25, &one_to_twelve());
    let mut noisy = clean.clone();
    for (i, e) in clean.iter().enumerate() {
        let mut vc = e.clone();
        vc.recording_id = 99;
        vc.clamp_mode = ClampMode::Voltage;
        vc.amplitude_v = Some(1.0);
        let mut failed = e.clone();
        failed.recording_id = 98;
        failed.qc_pass = false;
        failed.amplitude_v = Some(-1.0);
        let mut broken = e.clone();
        broken.recording_id = 97;
        broken.amplitude_v = Some([f64::NAN, f64::INFINITY, f64::NEG_INFINITY][i % 3]);
        noisy.extend([vc, failed, broken]);
    }
    assert_eq!(compute(&noisy, &[0.0, f64::NAN]), compute(&clean, &[0.0]));
}

#[test]
fn inhibitory_synapses_use_the_10th_percentile() {
    let negated: Vec<f64> = (1..=12).map(|i| -f64::from(i)).collect();
    let events = train(1, 50.0, 0.25, &full(&negated));
    let m = dynamics_from_events(&events, &[0.0], PspSign::Inhibitory).unwrap();
    // 10th percentile of −12..−1 mV: position 1.1 → −11 + 0.1 × 1 = −10.9 mV.
    assert!(close(m.pulse_amp_90th_percentile, -10.9 * MV));
    // Normalising by a negative amp90 makes the changes match the excitatory mirror.
    let excitatory = compute(&train(1, 50.0, 0.25, &one_to_twelve()), &[0.0]);
    assert!(close(
        m.stp_initial_50hz,
        excitatory.stp_initial_50hz.unwrap()
    ));
    assert!(close(
        m.stp_induction_50hz,
        excitatory.stp_induction_50hz.unwrap()
    ));
}

#[test]
fn missing_pulses_null_only_the_metrics_that_need_them() {
    // Pulse 12 missing: no full recovery, but the single recovery (pulses 1–9) remains.
    let mut amps = one_to_twelve();
    amps[11] = None;
    let m = compute(&train(1, 50.0, 0.25, &amps), &[0.0]);
    assert_eq!(m.n_source_events, 11);
    assert_eq!(m.stp_recovery_250ms, None);
    assert_eq!(m.stp_recovery_250ms_n, 0.0);
    assert_eq!(m.pulse_amp_stp_recovery_250ms, None);
    assert_eq!(m.stp_recovery_single_250ms_n, 1.0);

    // Pulse 5 missing: induction (pulses 1, 6, 7, 8) remains; the single recovery
    // (needs 1–9) and the induced-state variability (needs 1–8) do not.
    let mut amps = one_to_twelve();
    amps[4] = None;
    let m = compute(&train(1, 50.0, 0.25, &amps), &[0.0]);
    assert_eq!(m.stp_induction_50hz_n, 1.0);
    assert_eq!(m.stp_recovery_single_250ms_n, 0.0);
    assert_eq!(m.variability_stp_induced_state_50hz, None);
    // Per-pulse summaries stop at the first missing pulse (the reference's rule).
    assert_eq!(m.stp_all_stimuli[0].pulse_amplitudes[3].n, 1);
    assert_eq!(m.stp_all_stimuli[0].pulse_amplitudes[5].n, 0);
}

#[test]
fn empty_and_small_inputs_give_nulls() {
    let m = compute(&[], &[]);
    assert_eq!(m, DynamicsMetrics::default());
    assert!(!m.qc_pass);
    assert_eq!(m.pulse_amp_90th_percentile, None);
    assert_eq!(m.noise_std, None);
    assert!(m.stp_all_stimuli.is_empty());

    // Nine events: below the 10-event QC threshold, but metrics are still computed.
    let m = compute(&train(1, 50.0, 0.25, &one_to_twelve()[..9]), &[0.0]);
    assert!(!m.qc_pass);
    assert_eq!(m.stp_initial_50hz_n, 1.0);
}

#[test]
fn zero_amp90_nulls_normalised_metrics_but_not_raw_amplitudes() {
    let m = compute(&train(1, 50.0, 0.25, &full(&[0.0; 12])), &[0.0]);
    assert_eq!(m.pulse_amp_90th_percentile, Some(0.0));
    assert_eq!(m.stp_initial_50hz, None);
    assert_eq!(m.stp_initial_50hz_n, 0.0);
    assert_eq!(m.pulse_amp_first_50hz, Some(0.0));
    // a1 = 0: no paired-pulse ratio.
    assert_eq!(m.paired_pulse_ratio_50hz, None);
}

#[test]
fn resting_variability_and_changes_match_hand_values() {
    // Four 50 Hz trains with a1 = 1, 2, 3, 4 mV after rest; a2 = 2 a1.
    let mut events = Vec::new();
    for k in 1..=4 {
        let a1 = f64::from(k);
        events.extend(train(k.into(), 50.0, 0.25, &full(&[a1, 2.0 * a1])));
    }
    // Noise ±0.5 mV: noise_std = 0.5 mV.
    let m = compute(&events, &[-0.5 * MV, 0.5 * MV]);
    // amp90 of [1, 2, 2, 3, 4, 4, 6, 8] mV: position 6.3 → 6 + 0.3 × 2 = 6.6 mV. Initial
    // changes 1, 2, 3, 4 mV / 6.6: median 2.5/6.6, population std √1.25/6.6.
    assert!(close(m.pulse_amp_90th_percentile, 6.6 * MV));
    assert!(close(m.stp_initial_50hz, 2.5 / 6.6));
    assert!(close(m.stp_initial_50hz_std, 1.25f64.sqrt() / 6.6));
    assert_eq!(m.stp_initial_50hz_n, 4.0);
    assert_eq!(m.paired_pulse_ratio_50hz, Some(2.0));
    // Resting 1..4 mV: std² 1.25, minus 0.25 → 1; median 2.5 → ln(1/2.5).
    let resting = (1.0f64 / 2.5).ln();
    assert!(close(m.variability_resting_state, resting));
    // Second pulses 2, 4, 6, 8 mV: std² 5, minus 0.25 → 4.75; median 5 → ln(√4.75/5).
    let second = (4.75f64.sqrt() / 5.0).ln();
    assert!(close(m.variability_second_pulse_50hz, second));
    assert!(close(m.variability_change_initial_50hz, second - resting));
    // Noise larger than the spread: negative radicand → null (the reference's NaN).
    let loud = compute(&events, &[-5.0 * MV, 5.0 * MV]);
    assert_eq!(loud.variability_resting_state, None);
    assert_eq!(loud.variability_change_initial_50hz, None);
    // No baseline amplitudes: noise unknown → variability null.
    assert_eq!(compute(&events, &[]).variability_resting_state, None);
}

/// Pearson r and two-sided p for 5 pairs, computed independently of the crate: r from
/// raw sums, p from the closed-form CDF of Student's t with 3 degrees of freedom.
fn pearson_5(x: &[f64], y: &[f64]) -> (f64, f64) {
    assert_eq!(x.len(), 5);
    let n = 5.0;
    let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| a * b).sum();
    let sxx: f64 = x.iter().map(|a| a * a).sum();
    let syy: f64 = y.iter().map(|b| b * b).sum();
    let r = (n * sxy - sx * sy) / ((n * sxx - sx * sx).sqrt() * (n * syy - sy * sy).sqrt());
    let t = r.abs() * (3.0 / (1.0 - r * r)).sqrt();
    let u = t / 3f64.sqrt();
    let cdf = 0.5 + (u / (1.0 + u * u) + u.atan()) / std::f64::consts::PI;
    (r, 2.0 * (1.0 - cdf))
}

#[test]
fn paired_event_correlations_match_an_independent_computation() {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let trains: Vec<Vec<f64>> = (0..5)
        .map(|_| (0..8).map(|_| rng.random_range(0.2..2.0)).collect())
        .collect();
    let mut events = Vec::new();
    for (k, amps) in trains.iter().enumerate() {
        events.extend(train(k as i64, 50.0, 0.25, &full(amps)));
    }
    let m = compute(&events, &[0.0]);

    fn column(trains: &[Vec<f64>], f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        trains.iter().map(|a| f(a)).collect()
    }
    fn mean(s: &[f64]) -> f64 {
        s.iter().sum::<f64>() / s.len() as f64
    }
    fn median4(s: &[f64]) -> f64 {
        let mut v = s.to_vec();
        v.sort_by(f64::total_cmp);
        (v[1] + v[2]) / 2.0
    }
    let cases = [
        (
            column(&trains, |a| a[0]),
            column(&trains, |a| a[1]),
            m.paired_event_correlation_1_2_r,
            m.paired_event_correlation_1_2_p,
        ),
        (
            column(&trains, |a| mean(&a[0..2])),
            column(&trains, |a| mean(&a[2..4])),
            m.paired_event_correlation_2_4_r,
            m.paired_event_correlation_2_4_p,
        ),
        (
            column(&trains, |a| median4(&a[0..4])),
            column(&trains, |a| median4(&a[4..8])),
            m.paired_event_correlation_4_8_r,
            m.paired_event_correlation_4_8_p,
        ),
    ];
    for (x, y, r, p) in cases {
        let (r_expected, p_expected) = pearson_5(&x, &y);
        assert!(
            (r.unwrap() - r_expected).abs() < 1e-9,
            "r {r:?} vs {r_expected}"
        );
        assert!(
            (p.unwrap() - p_expected).abs() < 1e-9,
            "p {p:?} vs {p_expected}"
        );
    }

    // Only three trains: no correlations.
    let three: Vec<PulseEvent> = events
        .iter()
        .filter(|e| e.recording_id < 3)
        .cloned()
        .collect();
    let m = compute(&three, &[0.0]);
    assert_eq!(m.paired_event_correlation_1_2_r, None);
    assert_eq!(m.paired_event_correlation_4_8_p, None);
}

#[test]
fn duplicate_pulses_are_reported_with_their_recording() {
    let mut events = train(5, 50.0, 0.25, &one_to_twelve());
    events.push(events[2].clone());
    let err = dynamics_from_events(&events, &[], PspSign::Excitatory).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::DuplicatePulse {
            recording_id: 5,
            pulse_number: 3,
            index: 12
        }
    ));
}

#[test]
fn serde_keys_are_the_schema_dynamics_columns() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/schema_v22.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let table = schema["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "dynamics")
        .unwrap();
    let mut expected: Vec<String> = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .filter(|n| !["id", "pair_id", "meta"].contains(&n.as_str()))
        .collect();
    let value = serde_json::to_value(DynamicsMetrics::default()).unwrap();
    let mut actual: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected);
}

#[test]
fn metrics_round_trip_through_json_in_the_reference_layout() {
    let mut events = train(1, 50.0, 0.25, &one_to_twelve());
    events.extend(train(2, 50.0, 0.25, &one_to_twelve()));
    let m = compute(&events, &[0.0, 0.1 * MV]);
    let json = serde_json::to_value(&m).unwrap();
    // [[clamp_mode, frequency, delay], {stp_initial: [median, std, n], ...}]
    let entry = &json["stp_all_stimuli"][0];
    assert_eq!(entry[0], serde_json::json!(["ic", 50.0, 0.25]));
    assert_eq!(entry[1]["stp_initial"][2], 2);
    assert_eq!(entry[1]["pulse_amplitudes"].as_array().unwrap().len(), 12);
    let back: DynamicsMetrics = serde_json::from_value(json).unwrap();
    assert_eq!(back, m);
}
