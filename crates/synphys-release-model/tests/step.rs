//! The step-by-step synapse gives the numbers of whole-train runs, and `simulate` those
//! of repeated random runs.

use proptest::prelude::*;
use rand::SeedableRng;
use synphys_release_model::{
    ErrorKind, ReleaseModel, ReleaseParams, StepSynapse, rng, train_protocol,
};

fn example(depletion: bool) -> ReleaseParams {
    ReleaseParams::builder()
        .n_release_sites(5)
        .base_release_probability(0.45)
        .mini_amplitude(0.3e-3)
        .mini_amplitude_cv(0.3)
        .depression_amount(if depletion { -1.0 } else { 0.3 })
        .depression_tau(0.15)
        .facilitation_amount(0.2)
        .facilitation_tau(0.4)
        .measurement_stdev(0.06e-3)
        .build()
        .unwrap()
}

fn params(depletion: bool) -> impl Strategy<Value = ReleaseParams> {
    (
        1u32..40,
        0.0f64..=1.0,
        prop_oneof![0.02e-3f64..1e-3, -1e-3f64..-0.02e-3],
        0.0f64..1.5,
        0.0f64..=1.0,
        0.005f64..3.0,
        0.0f64..=1.0,
        0.005f64..3.0,
        0.01e-3f64..0.3e-3,
    )
        .prop_map(move |(n, pr, q, cv, da, dt, fa, ft, s)| {
            ReleaseParams::from_values([
                f64::from(n),
                pr,
                q,
                cv,
                if depletion { -1.0 } else { da },
                dt,
                fa,
                ft,
                s,
            ])
            .unwrap()
        })
}

fn spike_times() -> impl Strategy<Value = Vec<f64>> {
    // Gaps of 0 (simultaneous spikes) included.
    prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..0.5], 1..60).prop_map(|gaps| {
        gaps.iter()
            .scan(0.3, |t, g| {
                *t += g;
                Some(*t)
            })
            .collect()
    })
}

/// Steps a synapse through `times` and checks every number against the whole-train run
/// (expected mode when `seed` is `None`).
fn check_against_run(p: ReleaseParams, times: &[f64], seed: Option<u64>) {
    let model = ReleaseModel::new(p);
    let run = match seed {
        None => model.expected(times).unwrap(),
        Some(s) => model
            .random(times, &mut rand_pcg::Pcg64::seed_from_u64(s))
            .unwrap(),
    };
    let mut synapse = StepSynapse::new(p);
    let mut generator = rng(seed.unwrap_or(0));
    for (event, &t) in run.events().iter().zip(times) {
        let out = match seed {
            None => synapse.spike(t).unwrap(),
            Some(_) => synapse.spike_random(t, &mut generator).unwrap(),
        };
        assert_eq!(Some(out.amplitude), event.amplitude, "t = {t}");
        assert_eq!(Some(out.expected_amplitude), event.expected_amplitude);
        assert_eq!(Some(out.pre_spike), event.pre_spike);
        assert_eq!(Some(out.post_spike), event.post_spike);
        assert_eq!(
            out.release_probability,
            event.pre_spike.unwrap().release_probability
        );
        assert_eq!(out.spike_time, t);
    }
    assert_eq!(synapse.spike_count(), times.len());
    assert_eq!(synapse.last_spike_time(), times.last().copied());
}

#[test]
fn stepping_gives_the_whole_train_numbers_in_both_modes() {
    let times = train_protocol(&[20.0, 50.0, 100.0], &[0.25, 1.0], 2, 3.0);
    for depletion in [false, true] {
        check_against_run(example(depletion), &times, None);
        for seed in [0, 1, 42] {
            check_against_run(example(depletion), &times, Some(seed));
        }
    }
}

#[test]
fn observed_amplitudes_advance_the_state_as_a_likelihood_run_does() {
    let times = train_protocol(&[50.0], &[0.25], 3, 2.0);
    for depletion in [false, true] {
        let p = example(depletion);
        let amplitudes = ReleaseModel::new(p)
            .random(&times, &mut rng(5))
            .unwrap()
            .amplitudes();
        let run = ReleaseModel::new(p)
            .likelihood(&times, &amplitudes)
            .unwrap();
        let mut synapse = StepSynapse::new(p);
        for ((event, &t), &a) in run.events().iter().zip(&times).zip(&amplitudes) {
            let out = synapse.spike_observed(t, a).unwrap();
            assert_eq!(Some(out.pre_spike), event.pre_spike);
            assert_eq!(Some(out.post_spike), event.post_spike);
        }
    }
}

#[test]
fn bad_spike_times_and_amplitudes_are_typed_errors_that_change_nothing() {
    let mut synapse = StepSynapse::new(example(true));
    synapse.spike(1.0).unwrap();
    let before = synapse.clone();
    let err = synapse.spike(0.5).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidSpikeTime { index: 1, value, .. } if *value == 0.5
        ),
        "{err}"
    );
    assert!(matches!(
        synapse.spike(f64::NAN).unwrap_err().kind(),
        ErrorKind::InvalidSpikeTime { .. }
    ));
    assert!(matches!(
        synapse.spike(f64::INFINITY).unwrap_err().kind(),
        ErrorKind::InvalidSpikeTime { .. }
    ));
    assert!(matches!(
        synapse.spike_observed(2.0, f64::NAN).unwrap_err().kind(),
        ErrorKind::InvalidAmplitude { index: 1, .. }
    ));
    assert_eq!(synapse, before);
    // An equal time is allowed (no recovery in between).
    let again = synapse.spike(1.0).unwrap();
    assert!(again.pre_spike.vesicle_pool < f64::from(synapse.params().n_release_sites()));
    synapse.reset();
    assert_eq!(synapse, StepSynapse::new(example(true)));
    assert_eq!(synapse.state().vesicle_pool, 5.0);
}

#[test]
fn simulate_equals_repeated_random_runs_with_one_generator() {
    let times = [
        0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52,
    ];
    for depletion in [false, true] {
        let model = ReleaseModel::new(example(depletion));
        let trials = model.simulate(&times, 20, 9).unwrap();
        assert_eq!(trials.dim(), (20, times.len()));
        let mut generator = rand_pcg::Pcg64::seed_from_u64(9);
        for row in trials.rows() {
            let run = model.random(&times, &mut generator).unwrap().amplitudes();
            assert_eq!(row.to_vec(), run);
        }
        assert_ne!(trials.row(0), trials.row(1));
    }
    let model = ReleaseModel::new(example(false));
    assert_eq!(
        model.simulate(&times, 0, 1).unwrap().dim(),
        (0, times.len())
    );
    assert!(matches!(
        model.simulate(&[], 3, 1).unwrap_err().kind(),
        ErrorKind::EmptySpikeTrain
    ));
    assert!(matches!(
        model.simulate(&[0.2, 0.1], 3, 1).unwrap_err().kind(),
        ErrorKind::InvalidSpikeTime { index: 1, .. }
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn stepping_matches_whole_train_runs_for_random_params_and_trains(
        p in prop_oneof![params(false), params(true)],
        times in spike_times(),
        seed in any::<u64>(),
    ) {
        check_against_run(p, &times, None);
        check_against_run(p, &times, Some(seed));
    }
}
