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

/// The largest `n` of the coefficient table, as the table's own description states it
/// ("... (n = 0..66) ...").
fn described_max_n(table: &serde_json::Value) -> usize {
    let description = table["description"].as_str().unwrap();
    let (_, after) = description
        .split_once("n = 0..")
        .unwrap_or_else(|| panic!("description gives no n range: {description}"));
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|e| panic!("n range in {description}: {e}"))
}

#[test]
fn reference_coefficient_table_is_reproduced_bit_for_bit() {
    let g = golden("release_likelihood.json");
    let table = &g["binom_coeff_table"];
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), described_max_n(table) + 1, "rows n = 0..max");
    for (n, row) in rows.iter().enumerate() {
        let expected: Vec<f64> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as f64)
            .collect();
        assert_eq!(expected.len(), n + 1, "row {n} holds k = 0..n");
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
    let max_n = described_max_n(table) as u64;
    assert!(
        listed.iter().all(|&(n, k)| k <= n && n <= max_n),
        "listed (n, k) lie inside the table"
    );
    let mut int_found = Vec::new();
    for n in 0..=max_n {
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
    let cases = g["binom_pmf_cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has pmf cases");
    let mut checked = 0;
    for case in cases {
        let n = case["n"].as_u64().unwrap() as u32;
        let p = num(&case["p"]);
        let ks: Vec<usize> = case["k"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_u64().unwrap() as usize)
            .collect();
        let expected = nums(&case["pmf"]);
        assert_eq!(ks.len(), expected.len(), "n {n} p {p}: one pmf per k");
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
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

#[test]
fn scalar_likelihood_cases() {
    let g = golden("release_likelihood.json");
    let cases = g["scalar_cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has scalar cases");
    let mut checked = 0;
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let available = case["available_vesicles"].as_i64().unwrap();
        let Ok(available) = u32::try_from(available) else {
            // A negative vesicle count cannot be expressed (the argument is unsigned); the
            // reference returns its empty sum, 0.
            assert!(case.get("raises").is_none(), "{label}: reference raised");
            assert_eq!(num(&case["likelihood"]), 0.0, "{label}");
            checked += 1;
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
    assert_eq!(checked, cases.len());
}

#[test]
fn model_level_density_cases() {
    let g = golden("release_likelihood.json");
    let cases = g["model_likelihood_cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "the golden file has model-level cases");
    let mut checked = 0;
    for case in cases {
        let params = common::params(&case["params"]);
        let state = ModelState {
            vesicle_pool: num(&case["state"]["vesicle_pool"]),
            depression: 0.0,
            facilitation: 0.0,
            release_probability: num(&case["state"]["release_probability"]),
        };
        let amplitudes = nums(&case["amplitudes"]);
        let likelihoods = nums(&case["likelihood"]);
        assert_eq!(
            amplitudes.len(),
            likelihoods.len(),
            "one likelihood per amplitude"
        );
        for c in BOTH {
            let model = ReleaseModel::builder(params)
                .coefficients(c)
                .build()
                .unwrap();
            for (a, l) in amplitudes.iter().zip(&likelihoods) {
                let d = model.amplitude_density(&state, *a).unwrap();
                assert_close(
                    d,
                    *l,
                    tolerance(c),
                    FLOOR,
                    &format!("pool {}", state.vesicle_pool),
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}
