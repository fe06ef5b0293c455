//! The values criteria compare against, and how they compare with cell values.

use std::cmp::Ordering;

use synphys_schema::{ColumnKind, Value};

/// A value a criterion compares a cell's column against.
///
/// Equality follows Python's, as the reference's membership test does: numbers compare
/// by value across integers, floats and booleans (`0` equals `0.0`, `true` equals `1`),
/// strings equal only strings, and null equals only null.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// Null (Python `None`): as a criterion value it selects cells whose column is null.
    Null,
    /// An integer.
    Int(i64),
    /// A float. NaN is rejected when a class is built.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

impl Scalar {
    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Int(_) => "integer",
            Scalar::Float(_) => "float",
            Scalar::Bool(_) => "boolean",
            Scalar::Str(_) => "string",
        }
    }

    /// Whether this is [`Scalar::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Scalar::Null)
    }

    /// Python's truth value: null, zero, `false` and the empty string are false.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Scalar::Null => false,
            Scalar::Int(i) => *i != 0,
            Scalar::Float(x) => *x != 0.0,
            Scalar::Bool(b) => *b,
            Scalar::Str(s) => !s.is_empty(),
        }
    }

    pub(crate) fn is_nan(&self) -> bool {
        matches!(self, Scalar::Float(x) if x.is_nan())
    }

    /// Whether a column of this kind can hold a value equal to this one. Values that
    /// cannot (a number for a text column) never match; the SQL filter must not let
    /// SQLite's type affinity convert them (it would turn `5` into `'5'`).
    pub(crate) fn fits(&self, kind: ColumnKind) -> bool {
        match self {
            Scalar::Null => true,
            Scalar::Int(_) | Scalar::Float(_) | Scalar::Bool(_) => matches!(
                kind,
                ColumnKind::Int | ColumnKind::BigInt | ColumnKind::Float | ColumnKind::Bool
            ),
            Scalar::Str(_) => kind == ColumnKind::Str,
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Scalar {
        Scalar::Str(s.to_string())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Scalar {
        Scalar::Str(s)
    }
}

impl From<i64> for Scalar {
    fn from(i: i64) -> Scalar {
        Scalar::Int(i)
    }
}

impl From<i32> for Scalar {
    fn from(i: i32) -> Scalar {
        Scalar::Int(i64::from(i))
    }
}

impl From<f64> for Scalar {
    fn from(x: f64) -> Scalar {
        Scalar::Float(x)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Scalar {
        Scalar::Bool(b)
    }
}

impl<T: Into<Scalar>> From<Option<T>> for Scalar {
    fn from(value: Option<T>) -> Scalar {
        value.map_or(Scalar::Null, Into::into)
    }
}

impl From<Scalar> for Value {
    fn from(s: Scalar) -> Value {
        match s {
            Scalar::Null => Value::Null,
            Scalar::Int(i) => Value::Int(i),
            Scalar::Float(x) => Value::Float(x),
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Str(s) => Value::Str(s),
        }
    }
}

/// A number for mixed integer/float comparison.
#[derive(Clone, Copy)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn of_value(v: &Value) -> Option<Number> {
        match v {
            Value::Int(i) => Some(Number::Int(*i)),
            Value::Float(x) => Some(Number::Float(*x)),
            Value::Bool(b) => Some(Number::Int(i64::from(*b))),
            _ => None,
        }
    }

    fn of_scalar(s: &Scalar) -> Option<Number> {
        match s {
            Scalar::Int(i) => Some(Number::Int(*i)),
            Scalar::Float(x) => Some(Number::Float(*x)),
            Scalar::Bool(b) => Some(Number::Int(i64::from(*b))),
            _ => None,
        }
    }

    /// Exact comparison, as Python (and SQLite) compare integers with floats.
    fn compare(self, other: Number) -> Option<Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
            (Number::Float(a), Number::Float(b)) => a.partial_cmp(&b),
            (Number::Int(a), Number::Float(b)) => int_float_cmp(a, b),
            (Number::Float(a), Number::Int(b)) => int_float_cmp(b, a).map(Ordering::reverse),
        }
    }
}

/// Compares an integer with a float without rounding the integer.
fn int_float_cmp(i: i64, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    // 2^63 is exactly representable; every i64 lies in [-2^63, 2^63).
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if x >= TWO_63 {
        return Some(Ordering::Less);
    }
    if x < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = x.trunc();
    // In range, so the cast is exact.
    let whole_int = whole as i64;
    match i.cmp(&whole_int) {
        Ordering::Equal => 0.0_f64.partial_cmp(&(x - whole)),
        unequal => Some(unequal),
    }
}

/// A cell value as membership sees it: NaN is null, because the database stores NaN
/// as NULL and the SQL filter must agree.
pub(crate) fn is_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Float(x) => x.is_nan(),
        _ => false,
    }
}

/// Python's `cell_value == criterion_value`.
pub(crate) fn equals(value: &Value, scalar: &Scalar) -> bool {
    if is_null(value) || scalar.is_null() {
        return is_null(value) && scalar.is_null();
    }
    if let (Value::Str(a), Scalar::Str(b)) = (value, scalar) {
        return a == b;
    }
    match (Number::of_value(value), Number::of_scalar(scalar)) {
        (Some(a), Some(b)) => a.compare(b) == Some(Ordering::Equal),
        _ => false,
    }
}

/// The order of a non-null cell value relative to a criterion value, when they are
/// comparable (two numbers, or two strings by code point as SQLite's BINARY collation
/// orders UTF-8).
pub(crate) fn order(value: &Value, scalar: &Scalar) -> Option<Ordering> {
    if is_null(value) {
        return None;
    }
    if let (Value::Str(a), Scalar::Str(b)) = (value, scalar) {
        return Some(a.as_str().cmp(b.as_str()));
    }
    Number::of_value(value)?.compare(Number::of_scalar(scalar)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_exactly_across_int_and_float() {
        assert_eq!(int_float_cmp(0, 0.0), Some(Ordering::Equal));
        assert_eq!(int_float_cmp(1, 0.5), Some(Ordering::Greater));
        assert_eq!(int_float_cmp(-1, -0.5), Some(Ordering::Less));
        assert_eq!(
            int_float_cmp(i64::MAX, 9_223_372_036_854_775_808.0),
            Some(Ordering::Less)
        );
        assert_eq!(
            int_float_cmp(i64::MIN, -9_223_372_036_854_775_808.0),
            Some(Ordering::Equal)
        );
        // 2^53 + 1 is not a float; the nearest float is 2^53.
        assert_eq!(
            int_float_cmp((1 << 53) + 1, 9_007_199_254_740_992.0),
            Some(Ordering::Greater)
        );
        assert_eq!(int_float_cmp(3, f64::NAN), None);
    }

    #[test]
    fn equality_is_python_equality() {
        assert!(equals(&Value::Float(0.0), &Scalar::Int(0)));
        assert!(equals(&Value::Bool(true), &Scalar::Int(1)));
        assert!(!equals(&Value::Str("5".into()), &Scalar::Int(5)));
        assert!(!equals(&Value::Int(5), &Scalar::from("5")));
        assert!(equals(&Value::Null, &Scalar::Null));
        assert!(equals(&Value::Float(f64::NAN), &Scalar::Null));
        assert!(!equals(&Value::Null, &Scalar::from("sst")));
    }
}
