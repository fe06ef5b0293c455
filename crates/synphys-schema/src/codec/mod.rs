//! Conversions between values as SQLite stores them and typed values.

pub(crate) mod datetime;
pub(crate) mod npy;

use chrono::{NaiveDate, NaiveDateTime};

use crate::{Column, ColumnKind, Error, ErrorKind, NpyArray, Result};

/// A value as SQLite stores it: one of its five storage classes.
///
/// This mirrors SQLite's own value model without depending on a driver; the crate that
/// talks to SQLite converts its driver's values to and from this type.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredValue {
    /// SQL NULL.
    Null,
    /// A 64-bit signed integer.
    Integer(i64),
    /// A double-precision float.
    Real(f64),
    /// UTF-8 text.
    Text(String),
    /// Raw bytes.
    Blob(Vec<u8>),
}

impl StoredValue {
    fn describe(&self) -> String {
        match self {
            StoredValue::Null => "NULL".to_string(),
            StoredValue::Integer(i) => format!("INTEGER {i}"),
            StoredValue::Real(r) => format!("REAL {r}"),
            StoredValue::Text(t) => {
                let excerpt: String = t.chars().take(40).collect();
                let more = if t.chars().count() > 40 { "…" } else { "" };
                format!("TEXT {excerpt:?}{more}")
            }
            StoredValue::Blob(b) => format!("BLOB of {} bytes", b.len()),
        }
    }
}

/// A typed column value, as the column's [`ColumnKind`] describes it.
///
/// Null is one variant for every kind: SQL NULL, the JSON text `null` in an `object`
/// column and an empty BLOB in an `array` column all decode to [`Value::Null`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value.
    Null,
    /// An `int` or `bigint` value.
    Int(i64),
    /// A `float` value (never NaN when decoded: SQLite stores NaN as NULL).
    Float(f64),
    /// A `bool` value.
    Bool(bool),
    /// A `str` value.
    Str(String),
    /// A `date` value.
    Date(NaiveDate),
    /// A `datetime` value, to the microsecond.
    DateTime(NaiveDateTime),
    /// An `object` value: any JSON value except null.
    Object(serde_json::Value),
    /// An `array` value.
    Array(NpyArray),
}

impl Value {
    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::Bool(_) => "bool",
            Value::Str(_) => "string",
            Value::Date(_) => "date",
            Value::DateTime(_) => "datetime",
            Value::Object(_) => "JSON",
            Value::Array(_) => "array",
        }
    }
}

impl Column {
    /// Decodes a value read from this column.
    ///
    /// # Errors
    ///
    /// When the stored value cannot be this column's kind (text in a `float` column, an
    /// integer other than 0/1 in a `bool` column, malformed JSON, date/time text or
    /// `.npy` bytes); the error names the column.
    pub fn decode(&self, stored: StoredValue) -> Result<Value> {
        let mismatch = |stored: &StoredValue| {
            Error::new(ErrorKind::StoredValueMismatch {
                column: self.qualified_name(),
                kind: self.kind,
                found: stored.describe(),
            })
        };
        let value = match (self.kind, stored) {
            (_, StoredValue::Null) => Value::Null,
            (ColumnKind::Int | ColumnKind::BigInt, StoredValue::Integer(i)) => Value::Int(i),
            (ColumnKind::Float, StoredValue::Real(r)) => Value::Float(r),
            // REAL affinity keeps integral floats as REAL, but files written by other
            // tools may hold integers in float columns.
            (ColumnKind::Float, StoredValue::Integer(i)) => Value::Float(i as f64),
            (ColumnKind::Bool, StoredValue::Integer(0)) => Value::Bool(false),
            (ColumnKind::Bool, StoredValue::Integer(1)) => Value::Bool(true),
            (ColumnKind::Str, StoredValue::Text(t)) => Value::Str(t),
            (ColumnKind::Date, StoredValue::Text(t)) => {
                Value::Date(datetime::parse_date(&t).ok_or_else(|| self.bad_datetime(&t))?)
            }
            (ColumnKind::DateTime, StoredValue::Text(t)) => {
                Value::DateTime(datetime::parse_datetime(&t).ok_or_else(|| self.bad_datetime(&t))?)
            }
            (ColumnKind::Object, StoredValue::Text(t)) => self.decode_json(t.as_bytes())?,
            (ColumnKind::Object, StoredValue::Blob(b)) => self.decode_json(&b)?,
            (ColumnKind::Array, StoredValue::Blob(b)) => {
                match NpyArray::from_blob(&b, &self.qualified_name())? {
                    Some(array) => Value::Array(array),
                    None => Value::Null,
                }
            }
            (_, other) => return Err(mismatch(&other)),
        };
        Ok(value)
    }

    /// Encodes a value for writing to this column, exactly as the Python package writes
    /// it: null JSON as the text `null`, a null array as an empty BLOB, booleans as 0/1,
    /// date/times as `YYYY-MM-DD HH:MM:SS.ffffff`, arrays as `.npy` version 1.0 bytes.
    ///
    /// # Errors
    ///
    /// When the value's type does not fit the column's kind.
    pub fn encode(&self, value: &Value) -> Result<StoredValue> {
        let stored = match (self.kind, value) {
            (ColumnKind::Object, Value::Null) => StoredValue::Text("null".to_string()),
            (ColumnKind::Array, Value::Null) => StoredValue::Blob(Vec::new()),
            (_, Value::Null) => StoredValue::Null,
            (ColumnKind::Int | ColumnKind::BigInt, Value::Int(i)) => StoredValue::Integer(*i),
            (ColumnKind::Float, Value::Float(x)) if x.is_nan() => StoredValue::Null,
            (ColumnKind::Float, Value::Float(x)) => StoredValue::Real(*x),
            (ColumnKind::Float, Value::Int(i)) => StoredValue::Real(*i as f64),
            (ColumnKind::Bool, Value::Bool(b)) => StoredValue::Integer(i64::from(*b)),
            (ColumnKind::Str, Value::Str(s)) => StoredValue::Text(s.clone()),
            (ColumnKind::Date, Value::Date(d)) => StoredValue::Text(datetime::format_date(d)),
            (ColumnKind::DateTime, Value::DateTime(t)) => {
                StoredValue::Text(datetime::format_datetime(t))
            }
            (ColumnKind::Object, Value::Object(v)) => StoredValue::Text(v.to_string()),
            (ColumnKind::Array, Value::Array(a)) => StoredValue::Blob(a.to_npy_bytes()),
            (kind, other) => {
                return Err(Error::new(ErrorKind::ValueMismatch {
                    column: self.qualified_name(),
                    kind,
                    found: other.type_name(),
                }));
            }
        };
        Ok(stored)
    }

    fn bad_datetime(&self, text: &str) -> Error {
        Error::new(ErrorKind::InvalidDateTime {
            column: self.qualified_name(),
            text: text.to_string(),
        })
    }

    fn decode_json(&self, bytes: &[u8]) -> Result<Value> {
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(serde_json::Value::Null) => Ok(Value::Null),
            Ok(v) => Ok(Value::Object(v)),
            Err(e) => Err(Error::new(ErrorKind::InvalidJson {
                column: self.qualified_name(),
                message: e.to_string(),
            })),
        }
    }
}
