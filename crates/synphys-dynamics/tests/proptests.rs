//! Invariants on arbitrary input: no panics, and every metric finite or null.

use proptest::prelude::*;
use synphys_dynamics::{
    ClampMode, DynamicsMetrics, ErrorKind, PspSign, PulseEvent, dynamics_from_events,
};

fn any_amplitude() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(0.0)),
        (-5e-3..5e-3f64).prop_map(Some),
        any::<f64>().prop_map(Some),
    ]
}

fn any_event() -> impl Strategy<Value = PulseEvent> {
    (
        0i64..4,
        any::<bool>(),
        0u32..15,
        prop_oneof![
            Just(None),
            Just(Some(50.0)),
            Just(Some(20.0)),
            any::<f64>().prop_map(Some)
        ],
        prop_oneof![
            Just(None),
            Just(Some(0.25)),
            Just(Some(0.253)),
            any::<f64>().prop_map(Some)
        ],
        prop_oneof![
            Just(None),
            Just(Some(f64::INFINITY)),
            (0.0..20.0f64).prop_map(Some)
        ],
        any_amplitude(),
        any::<bool>(),
    )
        .prop_map(
            |(recording_id, ic, pulse_number, f, d, dt, amplitude_v, qc_pass)| PulseEvent {
                recording_id,
                clamp_mode: if ic {
                    ClampMode::Current
                } else {
                    ClampMode::Voltage
                },
                pulse_number,
                induction_frequency_hz: f,
                recovery_delay_s: d,
                previous_pulse_dt_s: dt,
                amplitude_v,
                qc_pass,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn metrics_are_finite_or_null(
        events in prop::collection::vec(any_event(), 0..80),
        baseline in prop::collection::vec(prop_oneof![Just(f64::NAN), any::<f64>(), -1e-3..1e-3f64], 0..10),
        inhibitory in any::<bool>(),
    ) {
        let sign = if inhibitory { PspSign::Inhibitory } else { PspSign::Excitatory };
        match dynamics_from_events(&events, &baseline, sign) {
            Ok(m) => {
                // JSON writes NaN and ±inf as null, so a lossless round trip proves every
                // number (including the counts and stp_all_stimuli) is finite.
                let json = serde_json::to_string(&m).unwrap();
                let back: DynamicsMetrics = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &m);
                prop_assert!(m.n_source_events as usize <= events.len());
                prop_assert_eq!(m.qc_pass, m.n_source_events >= 10);
                for r in [m.paired_event_correlation_1_2_r, m.paired_event_correlation_2_4_r, m.paired_event_correlation_4_8_r].into_iter().flatten() {
                    prop_assert!((-1.0..=1.0).contains(&r));
                }
                for p in [m.paired_event_correlation_1_2_p, m.paired_event_correlation_2_4_p, m.paired_event_correlation_4_8_p].into_iter().flatten() {
                    prop_assert!((0.0..=1.0).contains(&p));
                }
            }
            Err(e) => {
                let duplicate = matches!(e.kind(), ErrorKind::DuplicatePulse { .. });
                prop_assert!(duplicate, "unexpected error {}", e);
            }
        }
    }

    #[test]
    fn event_order_does_not_change_column_metrics(
        events in prop::collection::vec(any_event(), 0..40),
    ) {
        let mut reversed = events.clone();
        reversed.reverse();
        let a = dynamics_from_events(&events, &[1e-4], PspSign::Excitatory);
        let b = dynamics_from_events(&reversed, &[1e-4], PspSign::Excitatory);
        if let (Ok(mut a), Ok(mut b)) = (a, b) {
            // Group order follows first appearance; compare the columns.
            a.stp_all_stimuli.clear();
            b.stp_all_stimuli.clear();
            prop_assert_eq!(a.n_source_events, b.n_source_events);
            prop_assert_eq!(a.stp_initial_50hz_n, b.stp_initial_50hz_n);
            prop_assert_eq!(a.stp_recovery_250ms_n, b.stp_recovery_250ms_n);
            prop_assert_eq!(a.pulse_amp_90th_percentile, b.pulse_amp_90th_percentile);
        }
    }
}
