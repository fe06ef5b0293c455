//! Property tests of the model: densities, probabilities, reproducibility, and the
//! agreement of random and expected runs; invalid inputs are errors.

use proptest::prelude::*;
use rand::SeedableRng;
use synphys_release_model::{
    ErrorKind, Param, ReleaseModel, ReleaseParams, estimate_mini_amplitude, train_protocol,
};

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
    prop::collection::vec(0.0f64..0.5, 1..60).prop_map(|gaps| {
        gaps.iter()
            .scan(0.0, |t, g| {
                *t += g;
                Some(*t)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn likelihoods_are_densities_and_probabilities_stay_in_range(
        p in prop_oneof![params(false), params(true)],
        times in spike_times(),
        seed in any::<u64>(),
    ) {
        let model = ReleaseModel::new(p);
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let generated = model.random(&times, &mut rng).unwrap();
        let run = model.likelihood(&times, &generated.amplitudes()).unwrap();
        for e in run.events() {
            let l = e.likelihood.unwrap();
            prop_assert!(l >= 0.0 && l.is_finite());
            for s in [e.pre_spike.unwrap(), e.post_spike.unwrap()] {
                prop_assert!((0.0..=1.0).contains(&s.release_probability));
                prop_assert!((0.0..=1.0).contains(&s.depression));
                prop_assert!((0.0..=1.0).contains(&s.facilitation));
            }
        }
        let score = run.score().unwrap();
        prop_assert!(score >= 0.1 && score.is_finite());
    }

    #[test]
    fn seeded_random_runs_are_reproducible(
        p in prop_oneof![params(false), params(true)],
        times in spike_times(),
        seed in any::<u64>(),
    ) {
        let model = ReleaseModel::new(p);
        let a = model.random(&times, &mut rand_pcg::Pcg64::seed_from_u64(seed)).unwrap();
        let b = model.random(&times, &mut rand_pcg::Pcg64::seed_from_u64(seed)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn missing_events_update_nothing(
        p in prop_oneof![params(false), params(true)],
        times in spike_times(),
        seed in any::<u64>(),
    ) {
        let model = ReleaseModel::new(p);
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let amps = model.random(&times, &mut rng).unwrap().amplitudes();
        // Inserting a missing event between two spikes changes no other event.
        let mut t2 = times.clone();
        let mut a2 = amps.clone();
        let at = times.len() / 2;
        t2.insert(at, times[at]);
        a2.insert(at, f64::NAN);
        let with = model.likelihood(&t2, &a2).unwrap();
        let without = model.likelihood(&times, &amps).unwrap();
        let mut kept: Vec<_> = with.events().to_vec();
        let removed = kept.remove(at);
        prop_assert!(removed.likelihood.is_none() && removed.pre_spike.is_none());
        prop_assert_eq!(kept.as_slice(), without.events());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Outside depletion mode the state does not depend on the amplitudes, so the mean
    /// of many random runs converges to the expected-mode amplitudes.
    #[test]
    fn mean_of_random_runs_approaches_the_expected_run(p in params(false), seed in any::<u64>()) {
        let times = train_protocol(&[50.0], &[0.25], 1, 10.0);
        let model = ReleaseModel::new(p);
        let expected = model.expected(&times).unwrap().amplitudes();
        let runs = 2000;
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let mut sum = vec![0.0; times.len()];
        for _ in 0..runs {
            for (s, a) in sum.iter_mut().zip(model.random(&times, &mut rng).unwrap().amplitudes()) {
                *s += a;
            }
        }
        // Bound on the per-spike standard deviation: all n quanta plus noise.
        let n = f64::from(p.n_release_sites());
        let q = p.mini_amplitude().abs();
        let sd = (n * q * q * (0.25 + p.mini_amplitude_cv().powi(2)) + p.measurement_stdev().powi(2)).sqrt();
        for (s, e) in sum.iter().zip(&expected) {
            let mean = s / runs as f64;
            prop_assert!((mean - e).abs() <= 6.0 * sd / (runs as f64).sqrt() + 1e-15, "{} vs {}", mean, e);
        }
    }
}

#[test]
fn invalid_inputs_are_errors() {
    let mut b = ReleaseParams::builder();
    b.n_release_sites(3)
        .base_release_probability(0.5)
        .mini_amplitude(1e-4)
        .mini_amplitude_cv(0.3)
        .depression_amount(0.1)
        .depression_tau(0.1)
        .facilitation_amount(0.1)
        .facilitation_tau(0.1)
        .measurement_stdev(5e-5);
    let ok = b.build().unwrap();
    let bad = [
        (Param::NReleaseSites, 0.0),
        (Param::NReleaseSites, 2.5),
        (Param::NReleaseSites, 5000.0),
        (Param::BaseReleaseProbability, 1.2),
        (Param::BaseReleaseProbability, f64::NAN),
        (Param::MiniAmplitude, 0.0),
        (Param::MiniAmplitudeCv, -0.1),
        (Param::DepressionAmount, -0.5),
        (Param::DepressionTau, 0.0),
        (Param::FacilitationTau, -1.0),
        (Param::FacilitationAmount, 1.5),
        (Param::MeasurementStdev, 0.0),
    ];
    for (p, v) in bad {
        let err = ok.with(p, v).unwrap_err();
        assert!(err.to_string().contains(p.name()), "{err}");
    }
    assert!(matches!(
        ReleaseParams::builder().build().unwrap_err().kind(),
        ErrorKind::MissingParameter { .. }
    ));
    let model = ReleaseModel::new(ok);
    assert!(model.expected(&[]).is_err());
    assert!(model.expected(&[0.0, 1.0, 0.5]).is_err());
    assert!(model.expected(&[0.0, f64::INFINITY]).is_err());
    assert!(model.likelihood(&[0.0, 1.0], &[1e-4]).is_err());
    assert!(
        model
            .likelihood(&[0.0, 1.0], &[1e-4, f64::INFINITY])
            .is_err()
    );
    // The reference loops forever estimating q at Pr = 0; here it is an error.
    assert!(estimate_mini_amplitude(&[1e-4, 2e-4], 3, 0.0).is_err());
    let zero_pr = ReleaseModel::new(ok.with(Param::BaseReleaseProbability, 0.0).unwrap());
    let err = zero_pr
        .optimize_mini_amplitude(&[0.0, 1.0], &[1e-4, 2e-4])
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MiniAmplitudeEstimate { .. }),
        "{err}"
    );
    assert!(
        model
            .optimize_mini_amplitude(&[0.0, 1.0], &[f64::NAN, f64::NAN])
            .is_err()
    );
}

#[test]
fn large_site_counts_are_supported() {
    let p = ReleaseParams::from_values([256.0, 0.3, 2e-5, 0.3, -1.0, 0.2, 0.1, 0.3, 5e-5]).unwrap();
    let times = train_protocol(&[20.0], &[0.5], 3, 10.0);
    let model = ReleaseModel::new(p);
    let amps = model
        .random(&times, &mut rand_pcg::Pcg64::seed_from_u64(1))
        .unwrap()
        .amplitudes();
    let run = model.likelihood(&times, &amps).unwrap();
    assert!(
        run.events()
            .iter()
            .all(|e| e.likelihood.unwrap().is_finite())
    );
    let fit = model.optimize_mini_amplitude(&times, &amps).unwrap();
    assert!(fit.score.is_finite() && fit.score >= run.score().unwrap() * 0.999);
}
