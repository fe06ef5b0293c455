//! Golden vectors of `release_run_model.json` (tolerances from fixtures/golden/README.md).

mod common;

use common::{assert_close, golden, num, nums};
use synphys_release_model::{Coefficients, ReleaseModel};

#[test]
fn run_model_cases_match_the_reference() {
    let g = golden("release_run_model.json");
    let cases = g["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 48);
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
    }
}
