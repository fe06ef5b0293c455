//! Golden vectors of `release_optimize.json` (tolerances from fixtures/golden/README.md).

mod common;

use common::{assert_close, golden, num, nums};
use synphys_release_model::{Coefficients, ReleaseModel, estimate_mini_amplitude};

#[test]
fn estimate_cases() {
    let g = golden("release_optimize.json");
    let cases = g["estimate_cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has estimate cases");
    let mut checked = 0;
    for case in cases {
        let q = estimate_mini_amplitude(
            &nums(&case["amplitudes"]),
            case["n_release_sites"].as_u64().unwrap() as u32,
            num(&case["base_release_probability"]),
        )
        .unwrap();
        assert_close(q, num(&case["estimate"]), 1e-8, 0.0, "estimate");
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

#[test]
fn optimisation_reaches_the_reference_score() {
    let g = golden("release_optimize.json");
    let cases = g["cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has optimisation cases");
    let mut checked = 0;
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let params = common::params(&case["params"]);
        let times = nums(&case["spike_times"]);
        let amps = nums(&case["amplitudes"]);
        for c in [Coefficients::Exact, Coefficients::ReferenceTable] {
            let model = ReleaseModel::builder(params)
                .coefficients(c)
                .build()
                .unwrap();
            let fit = model.optimize_mini_amplitude(&times, &amps).unwrap();
            let info = &case["optimization_info"];
            assert_close(fit.info.init_amp, num(&info["init_amp"]), 1e-8, 0.0, label);
            assert_close(fit.info.ratio, num(&info["ratio"]), 1e-8, 0.0, label);
            assert_close(
                fit.info.corrected_amp,
                num(&info["corrected_amp"]),
                1e-8,
                0.0,
                label,
            );
            assert_close(
                fit.info.init_likelihood.unwrap(),
                num(&info["init_likelihood"]),
                1e-8,
                0.0,
                label,
            );
            let bounds = nums(&case["optimizer_bounds_sorted"]);
            assert_close(fit.bounds.0, bounds[0], 1e-12, 0.0, label);
            assert_close(fit.bounds.1, bounds[1], 1e-12, 0.0, label);
            let reference = num(&case["likelihood_at_optimum"]);
            let tolerance = (1e-4 * reference.abs()).max(0.05);
            assert!(
                fit.score >= reference - tolerance,
                "{label} {c:?}: score {} < reference {reference} − tolerance",
                fit.score
            );
            let reference_q = num(&case["optimized_mini_amplitude_clipped"]);
            if fit.score > reference + tolerance {
                // A better optimum than the reference's local one: its parameter may differ.
                eprintln!(
                    "{label} {c:?}: better optimum, score {} > reference {reference}",
                    fit.score
                );
            } else {
                assert_close(
                    fit.params.mini_amplitude(),
                    reference_q,
                    2e-2,
                    0.0,
                    &format!("{label} {c:?} mini_amplitude at the shared optimum"),
                );
            }
            // The reported score is the straightforward model's score at the optimum.
            let rerun = ReleaseModel::builder(fit.params)
                .coefficients(c)
                .build()
                .unwrap()
                .likelihood(&times, &amps)
                .unwrap()
                .score()
                .unwrap();
            assert_close(fit.score, rerun, 1e-12, 0.0, label);
            eprintln!(
                "{label} {c:?}: score {:.6} reference {reference:.6} (q {:e} vs {:e}), {} evaluations vs {}",
                fit.score,
                fit.params.mini_amplitude(),
                reference_q,
                fit.evaluations,
                case["nelder_mead"]["nfev"]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}
