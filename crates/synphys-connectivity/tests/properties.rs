//! Property tests: intervals contain their estimates and nest by level, probabilities stay
//! in [0, 1], likelihoods are never positive, fits stay in their bounds and report their
//! model's own likelihood, and seeded sampling is reproducible.

use proptest::prelude::*;
use rand::SeedableRng;
use rand_pcg::Pcg64;
use synphys_connectivity::{
    ConnectionProbability, ConnectivityModel, CorrectionFitOptions, CorrectionFunction,
    CorrectionModel, DistanceModelKind, ErfModel, ExactPmax, ExponentialModel, FitOptions,
    GaussianModel, LinearModel, SphereIntersectionModel, clopper_pearson,
};

fn counts() -> impl Strategy<Value = (u64, u64)> {
    (0u64..2000).prop_flat_map(|n| (0..=n, Just(n)))
}

fn pairs(max: usize) -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec((0.0f64..500e-6, any::<bool>()), 1..max)
}

proptest! {
    #[test]
    fn clopper_pearson_contains_the_estimate((k, n) in counts(), alpha in 0.001f64..0.5) {
        let cp = ConnectionProbability::new(k, n, alpha).unwrap();
        prop_assert!(0.0 <= cp.lower && cp.lower <= cp.upper && cp.upper <= 1.0);
        if n > 0 {
            prop_assert!(cp.lower <= cp.estimate && cp.estimate <= cp.upper);
        }
    }

    #[test]
    fn smaller_alpha_gives_a_wider_interval((k, n) in counts(), a in 0.001f64..0.5, b in 0.001f64..0.5) {
        let (small, large) = if a < b { (a, b) } else { (b, a) };
        let wide = clopper_pearson(k, n, small).unwrap();
        let narrow = clopper_pearson(k, n, large).unwrap();
        prop_assert!(wide.0 <= narrow.0 + 1e-15 && wide.1 + 1e-15 >= narrow.1, "{wide:?} vs {narrow:?}");
    }

    #[test]
    fn model_probabilities_are_probabilities(pmax in 0.0f64..=1.0, size in 1e-6f64..1e-3, x in 0.0f64..2e-3) {
        for p in [
            GaussianModel::new(pmax, size).unwrap().connection_probability(x),
            ExponentialModel::new(pmax, size).unwrap().connection_probability(x),
            LinearModel::new(pmax, size).unwrap().connection_probability(x),
            SphereIntersectionModel::with_pmax(pmax, size).unwrap().connection_probability(x),
            ErfModel::new(pmax, size, 1e-4).unwrap().connection_probability(x),
        ] {
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }
    }

    #[test]
    fn log_likelihood_is_never_positive(data in pairs(200), pmax in 0.001f64..1.0, sigma in 10e-6f64..1e-3) {
        let (x, c): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let ll = GaussianModel::new(pmax, sigma).unwrap().log_likelihood(&x, &c).unwrap();
        prop_assert!(ll <= 0.0);
    }

    #[test]
    fn exact_pmax_interval_contains_its_estimate(data in pairs(300), sigma in 30e-6f64..300e-6, alpha in 0.01f64..0.3) {
        let (x, c): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let e = ExactPmax::gaussian(sigma).alpha(alpha).estimate(&x, &c).unwrap().unwrap();
        prop_assert!(0.0 <= e.lower && e.lower <= e.pmax && e.pmax <= e.upper && e.upper <= 1.0, "{e:?}");
    }

    #[test]
    fn correction_interval_contains_its_estimate(data in pairs(200), sigma in 30e-6f64..300e-6) {
        let (x, c): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let model = CorrectionModel::new(vec![CorrectionFunction::gaussian(sigma).unwrap()]).unwrap();
        let fit = model.fit(&[&x], &c, &CorrectionFitOptions::new()).unwrap().unwrap();
        prop_assert!(0.0 <= fit.lower && fit.lower <= fit.pmax && fit.pmax <= fit.upper && fit.upper <= 3.0, "{fit:?}");
        prop_assert!(fit.nll >= 0.0);
    }

    #[test]
    fn seeded_sampling_is_reproducible(seed in any::<u64>(), pmax in 0.0f64..1.0) {
        let m = GaussianModel::new(pmax, 100e-6).unwrap();
        let x: Vec<f64> = (0..100).map(|i| i as f64 * 3e-6).collect();
        let a = m.sample(&x, &mut Pcg64::seed_from_u64(seed));
        let b = m.sample(&x, &mut Pcg64::seed_from_u64(seed));
        prop_assert_eq!(a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fits_stay_in_bounds_and_report_their_likelihood(data in pairs(400), which in 0usize..4) {
        let (x, c): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let kind = [
            DistanceModelKind::Gaussian,
            DistanceModelKind::Exponential,
            DistanceModelKind::Linear,
            DistanceModelKind::SphereIntersection,
        ][which];
        let options = FitOptions::new();
        let fit = kind.fit(&x, &c, &options).unwrap();
        prop_assert!(fit.nll >= 0.0);
        prop_assert!((0.001..=1.0).contains(&fit.model.pmax()));
        prop_assert!((10e-6..=1e-3).contains(&fit.model.size_m()));
        let ll = fit.model.log_likelihood(&x, &c).unwrap();
        prop_assert!((fit.nll + ll).abs() <= 1e-9 * fit.nll.abs().max(1.0));
        prop_assert!(fit.subfits.iter().all(|s| s.nll >= fit.nll - 1e-9 * fit.nll.abs().max(1.0)));
    }
}
