//! Golden vectors of `release_likelihood.json` (tolerances from fixtures/golden/README.md).

mod common;

use common::{assert_close, golden, num, nums};
use synphys_release_model::{
    Coefficients, ModelState, ReleaseDistribution, ReleaseModel, binomial_pmf,
};

/// Relative tolerance per coefficient source, and the absolute floor that makes 0 == 0.
fn tolerance(c: Coefficients) -> f64 {
    match c {
        Coefficients::Exact => 1e-8,
        Coefficients::ReferenceTable => 1e-12,
    }
}
const FLOOR: f64 = 1e-300;
const BOTH: [Coefficients; 2] = [Coefficients::Exact, Coefficients::ReferenceTable];

#[test]
fn reference_coefficient_table_is_reproduced_bit_for_bit() {
    let g = golden("release_likelihood.json");
    let rows = g["binom_coeff_table"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 67);
    for (n, row) in rows.iter().enumerate() {
        let expected: Vec<f64> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as f64)
            .collect();
        let ours = synphys_release_model::__private::reference_table_row(n as u32).unwrap();
        assert_eq!(ours, expected, "row {n}");
    }
}

#[test]
fn exact_coefficients_differ_from_the_table_exactly_where_the_fixture_says() {
    let g = golden("release_likelihood.json");
    let table = &g["binom_coeff_table"];
    let mut listed: Vec<(u64, u64)> = table["exact_mismatch_nk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|nk| (nk[0].as_u64().unwrap(), nk[1].as_u64().unwrap()))
        .collect();
    listed.sort_unstable();
    let mut int_found = Vec::new();
    for n in 0..=66u64 {
        let row = synphys_release_model::__private::reference_table_row(n as u32).unwrap();
        for (k, c) in row.iter().enumerate() {
            if *c as u128 != exact_binomial(n, k as u64) {
                int_found.push((n, k as u64));
            }
        }
    }
    assert_eq!(int_found, listed);
}

fn exact_binomial(n: u64, k: u64) -> u128 {
    let mut c: u128 = 1;
    for i in 0..k {
        c = c * u128::from(n - i) / u128::from(i + 1);
    }
    c
}

#[test]
fn binomial_pmf_cases() {
    let g = golden("release_likelihood.json");
    for case in g["binom_pmf_cases"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as u32;
        let p = num(&case["p"]);
        let ks: Vec<usize> = case["k"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_u64().unwrap() as usize)
            .collect();
        let expected = nums(&case["pmf"]);
        for c in BOTH {
            let pmf = binomial_pmf(n, p, c).unwrap();
            for (k, e) in ks.iter().zip(&expected) {
                assert_close(
                    pmf[*k],
                    *e,
                    tolerance(c),
                    FLOOR,
                    &format!("{c:?} n {n} p {p} k {k}"),
                );
            }
        }
    }
}

#[test]
fn scalar_likelihood_cases() {
    let g = golden("release_likelihood.json");
    let mut checked = 0;
    for case in g["scalar_cases"].as_array().unwrap() {
        let label = case["label"].as_str().unwrap();
        let available = case["available_vesicles"].as_i64().unwrap();
        let Ok(available) = u32::try_from(available) else {
            // A negative vesicle count cannot be expressed (the argument is unsigned); the
            // reference returns its empty sum, 0.
            assert_eq!(label, "negative_vesicles_empty_sum");
            assert_eq!(num(&case["likelihood"]), 0.0);
            continue;
        };
        let args = (
            num(&case["release_probability"]),
            num(&case["mini_amplitude"]),
            num(&case["mini_amplitude_cv"]),
            num(&case["measurement_stdev"]),
        );
        let amplitude = num(&case["amplitude"]);
        for c in BOTH {
            let d = ReleaseDistribution::new(available, args.0, args.1, args.2, args.3, c)
                .and_then(|d| d.density(amplitude));
            if case.get("raises").is_some() {
                assert!(d.is_err(), "{label}: expected an error, got {d:?}");
            } else {
                let d = d.unwrap_or_else(|e| panic!("{label}: {e}"));
                assert_close(d, num(&case["likelihood"]), tolerance(c), FLOOR, label);
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 506);
}

#[test]
fn model_level_density_cases() {
    let g = golden("release_likelihood.json");
    for case in g["model_likelihood_cases"].as_array().unwrap() {
        let params = common::params(&case["params"]);
        let state = ModelState {
            vesicle_pool: num(&case["state"]["vesicle_pool"]),
            depression: 0.0,
            facilitation: 0.0,
            release_probability: num(&case["state"]["release_probability"]),
        };
        for c in BOTH {
            let model = ReleaseModel::builder(params)
                .coefficients(c)
                .build()
                .unwrap();
            for (a, l) in nums(&case["amplitudes"])
                .iter()
                .zip(nums(&case["likelihood"]))
            {
                let d = model.amplitude_density(&state, *a).unwrap();
                assert_close(
                    d,
                    l,
                    tolerance(c),
                    FLOOR,
                    &format!("pool {}", state.vesicle_pool),
                );
            }
        }
    }
}
