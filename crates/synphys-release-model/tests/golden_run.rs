//! Golden vectors of `release_run_model.json` (tolerances from fixtures/golden/README.md).

mod common;

use common::{assert_close, golden, num, nums};
use synphys_release_model::{Coefficients, ReleaseModel};

#[test]
fn run_model_cases_match_the_reference() {
    let g = golden("release_run_model.json");
    let cases = g["cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has run cases");
    let mut checked = 0;
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let params = common::params(&case["params"]);
        let times = nums(&case["spike_times"]);
        for c in [Coefficients::Exact, Coefficients::ReferenceTable] {
            let lik_tol = if c == Coefficients::Exact {
                1e-8
            } else {
                1e-12
            };
            let model = ReleaseModel::builder(params)
                .coefficients(c)
                .missing_event_penalty(num(&case["missing_event_penalty"]))
                .build()
                .unwrap();
            let run = match case["mode"].as_str().unwrap() {
                "likelihood" => model.likelihood(&times, &nums(&case["amplitudes"])),
                "expected" => model.expected(&times),
                other => panic!("unknown mode {other}"),
            }
            .unwrap();
            let r = &case["result"];
            let what = |f: &str, i: usize| format!("{label} {c:?} {f}[{i}]");
            let exp_t = nums(&r["spike_time"]);
            let exp_a = nums(&r["amplitude"]);
            let exp_e = nums(&r["expected_amplitude"]);
            let exp_l = nums(&r["likelihood"]);
            assert_eq!(
                run.events().len(),
                times.len(),
                "{label} {c:?}: one event per spike"
            );
            for (f, expected) in [
                ("spike_time", &exp_t),
                ("amplitude", &exp_a),
                ("expected_amplitude", &exp_e),
                ("likelihood", &exp_l),
            ] {
                assert_eq!(expected.len(), times.len(), "{label}: result.{f} per spike");
            }
            for (i, ev) in run.events().iter().enumerate() {
                assert_eq!(ev.spike_time, exp_t[i]);
                assert_close(
                    ev.amplitude.unwrap_or(f64::NAN),
                    exp_a[i],
                    1e-12,
                    1e-12,
                    &what("amplitude", i),
                );
                assert_close(
                    ev.expected_amplitude.unwrap_or(f64::NAN),
                    exp_e[i],
                    1e-12,
                    1e-12,
                    &what("expected", i),
                );
                assert_close(
                    ev.likelihood.unwrap_or(f64::NAN),
                    exp_l[i],
                    lik_tol,
                    1e-300,
                    &what("likelihood", i),
                );
                for (state, key) in [
                    (ev.pre_spike, "pre_spike_state"),
                    (ev.post_spike, "post_spike_state"),
                ] {
                    let s = &case[key];
                    assert!(s.is_object(), "{label}: {key} is an object of arrays");
                    let fields = [
                        ("vesicle_pool", state.map(|s| s.vesicle_pool)),
                        ("depression", state.map(|s| s.depression)),
                        ("facilitation", state.map(|s| s.facilitation)),
                        ("release_probability", state.map(|s| s.release_probability)),
                    ];
                    for (name, v) in fields {
                        assert_close(
                            v.unwrap_or(f64::NAN),
                            num(&s[name][i]),
                            1e-12,
                            1e-12,
                            &what(&format!("{key}.{name}"), i),
                        );
                    }
                }
            }
            assert_close(
                run.score().unwrap_or(f64::NAN),
                num(&case["likelihood"]),
                lik_tol,
                0.0,
                &format!("{label} {c:?} score"),
            );
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

/// Cases marked `missing_event_penalty_is_default` use the model's default penalty, and
/// every other case appears again with the default, labelled `*_default_penalty` (README).
#[test]
fn default_penalty_cases_use_the_model_default_and_twin_the_others() {
    let g = golden("release_run_model.json");
    let cases = g["cases"].as_array().unwrap();
    let mut defaults_checked = 0;
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let is_default = case["missing_event_penalty_is_default"]
            .as_bool()
            .unwrap_or_else(|| panic!("{label}: missing_event_penalty_is_default"));
        if !is_default {
            let twin_label = format!("{label}_default_penalty");
            let twin = cases
                .iter()
                .find(|c| c["label"].as_str() == Some(twin_label.as_str()))
                .unwrap_or_else(|| panic!("{label} has no {twin_label}"));
            assert_eq!(
                twin["missing_event_penalty_is_default"].as_bool(),
                Some(true)
            );
            for field in ["params", "mode", "spike_times", "amplitudes"] {
                assert_eq!(twin[field], case[field], "{twin_label}.{field}");
            }
            continue;
        }
        if case["mode"].as_str() != Some("likelihood") {
            continue;
        }
        let params = common::params(&case["params"]);
        let times = nums(&case["spike_times"]);
        let amps = nums(&case["amplitudes"]);
        let by_default = ReleaseModel::builder(params)
            .build()
            .unwrap()
            .likelihood(&times, &amps)
            .unwrap();
        let explicit = ReleaseModel::builder(params)
            .missing_event_penalty(num(&case["missing_event_penalty"]))
            .build()
            .unwrap()
            .likelihood(&times, &amps)
            .unwrap();
        let bits = |run: &synphys_release_model::RunResult| {
            run.events()
                .iter()
                .map(|e| e.likelihood.map(f64::to_bits))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            bits(&by_default),
            bits(&explicit),
            "{label}: default penalty"
        );
        assert_eq!(
            by_default.score().map(f64::to_bits),
            explicit.score().map(f64::to_bits),
            "{label}: default penalty score"
        );
        defaults_checked += 1;
    }
    assert!(defaults_checked > 0, "no default-penalty likelihood case");
}
