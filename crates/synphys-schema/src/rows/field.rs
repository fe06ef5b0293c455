use chrono::{NaiveDate, NaiveDateTime};

use crate::{ColumnKind, Error, ErrorKind, NpyArray, Result, Value};

/// A Rust type that holds one column's value in a typed row.
pub trait FieldValue: Sized {
    /// The column kind this type holds.
    const KIND: ColumnKind;
    /// Converts a decoded value; `column` (`table.column`) names it in errors.
    ///
    /// # Errors
    ///
    /// When the value is null for a non-optional field, or of another type.
    fn from_value(value: Value, column: &str) -> Result<Self>;
    /// The value to store.
    fn to_value(&self) -> Value;
}

fn mismatch(column: &str, kind: ColumnKind, value: &Value) -> Error {
    Error::new(ErrorKind::ValueMismatch {
        column: column.to_string(),
        kind,
        found: value.type_name(),
    })
}

impl FieldValue for i64 {
    const KIND: ColumnKind = ColumnKind::Int;
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Int(i) => Ok(i),
            Value::Null => Err(Error::new(ErrorKind::NullValue {
                column: column.to_string(),
            })),
            other => Err(mismatch(column, Self::KIND, &other)),
        }
    }
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}

macro_rules! optional_field {
    ($ty:ty, $kind:ident, $variant:ident) => {
        impl FieldValue for Option<$ty> {
            const KIND: ColumnKind = ColumnKind::$kind;
            fn from_value(value: Value, column: &str) -> Result<Self> {
                match value {
                    Value::Null => Ok(None),
                    Value::$variant(v) => Ok(Some(v)),
                    other => Err(mismatch(column, Self::KIND, &other)),
                }
            }
            fn to_value(&self) -> Value {
                match self {
                    None => Value::Null,
                    Some(v) => Value::$variant(v.clone()),
                }
            }
        }
    };
}

optional_field!(i64, Int, Int);
optional_field!(bool, Bool, Bool);
optional_field!(String, Str, Str);
optional_field!(NaiveDate, Date, Date);
optional_field!(NaiveDateTime, DateTime, DateTime);
optional_field!(serde_json::Value, Object, Object);
optional_field!(NpyArray, Array, Array);

impl FieldValue for Option<f64> {
    const KIND: ColumnKind = ColumnKind::Float;
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            Value::Float(v) => Ok(Some(v)),
            Value::Int(i) => Ok(Some(i as f64)),
            other => Err(mismatch(column, Self::KIND, &other)),
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Some(v) if !v.is_nan() => Value::Float(*v),
            _ => Value::Null,
        }
    }
}
