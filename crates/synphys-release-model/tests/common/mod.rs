//! Shared helpers for the golden-vector tests.
#![allow(dead_code)]

use serde_json::Value;
use synphys_release_model::{Param, ReleaseParams};

/// Loads a golden JSON file from the workspace fixtures.
pub(crate) fn golden(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/golden/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A JSON number; `null` is NaN and the strings "inf"/"-inf" are infinities.
pub(crate) fn num(v: &Value) -> f64 {
    match v {
        Value::Null => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("not a number: {other}")),
    }
}

/// A JSON array of numbers.
pub(crate) fn nums(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

/// Model parameters from a golden `params` object.
pub(crate) fn params(v: &Value) -> ReleaseParams {
    let mut values = [0.0; 9];
    for p in Param::ALL {
        values[p.index()] = num(&v[p.name()]);
    }
    ReleaseParams::from_values(values).unwrap()
}

/// Relative comparison with an absolute floor; NaN equals NaN.
pub(crate) fn close(actual: f64, expected: f64, rel: f64, abs: f64) -> bool {
    if expected.is_nan() {
        return actual.is_nan();
    }
    (actual - expected).abs() <= rel * expected.abs() || (actual - expected).abs() <= abs
}

/// Panics with context when `close` fails.
pub(crate) fn assert_close(actual: f64, expected: f64, rel: f64, abs: f64, what: &str) {
    assert!(
        close(actual, expected, rel, abs),
        "{what}: got {actual:e}, expected {expected:e} (rel {:e})",
        ((actual - expected) / expected).abs()
    );
}
