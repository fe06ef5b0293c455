//! Writing frames as CSV, JSON lines and JSON.

use std::io::Write;

use ndarray::ArrayD;
use synphys_schema::NpyArray;

use super::{ColumnData, Frame, FrameColumn};
use crate::error::{ErrorKind, Result};

/// Formats a float as its shortest text that reads back to the same value.
fn float_text(x: f64) -> String {
    // serde_json prints the shortest round-trip representation (ryu).
    serde_json::Number::from_f64(x).map_or_else(|| x.to_string(), |n| n.to_string())
}

fn datetime_text(t: &chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
}

fn array_json<T: Clone + Into<serde_json::Value>>(array: &ArrayD<T>) -> serde_json::Value {
    fn nest<T: Clone + Into<serde_json::Value>>(
        shape: &[usize],
        values: &mut impl Iterator<Item = T>,
    ) -> serde_json::Value {
        match shape.split_first() {
            None => values.next().map_or(serde_json::Value::Null, Into::into),
            Some((&n, rest)) => {
                serde_json::Value::Array((0..n).map(|_| nest(rest, values)).collect())
            }
        }
    }
    let shape = array.shape().to_vec();
    nest(&shape, &mut array.iter().cloned())
}

fn npy_json(array: &NpyArray) -> serde_json::Value {
    match array {
        NpyArray::F64(a) => array_json(&a.mapv(finite_json)),
        NpyArray::F32(a) => array_json(&a.mapv(|x| finite_json(f64::from(x)))),
        NpyArray::I64(a) => array_json(a),
        NpyArray::I32(a) => array_json(a),
        NpyArray::Bool(a) => array_json(a),
    }
}

/// A float as JSON; NaN and infinities (possible inside arrays) become null.
fn finite_json(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

impl FrameColumn {
    /// The value at `row` as JSON (null for null).
    pub(super) fn json_value(&self, row: usize) -> Result<serde_json::Value> {
        use serde_json::Value as J;
        Ok(match &self.data {
            ColumnData::Int(v) => v.get(row).copied().flatten().map_or(J::Null, J::from),
            ColumnData::Float(v) => v.get(row).copied().flatten().map_or(J::Null, finite_json),
            ColumnData::Bool(v) => v.get(row).copied().flatten().map_or(J::Null, J::Bool),
            ColumnData::Text(v) => v.get(row).map_or(J::Null, |s| J::String(s.to_string())),
            ColumnData::Date(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or(J::Null, |d| J::String(d.format("%Y-%m-%d").to_string())),
            ColumnData::DateTime(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or(J::Null, |t| J::String(datetime_text(&t))),
            ColumnData::Json(v) => match v.get(row) {
                Some(text) => self.parse_json(text)?.unwrap_or(J::Null),
                None => J::Null,
            },
            ColumnData::Array(v) => match v.get(row) {
                Some(bytes) => NpyArray::from_blob(bytes, &self.name)?
                    .as_ref()
                    .map_or(J::Null, npy_json),
                None => J::Null,
            },
        })
    }

    /// The value at `row` as a CSV field: empty for null, `true`/`false`, floats in
    /// their shortest round-trip form, JSON and arrays as compact JSON text.
    fn csv_field(&self, row: usize) -> Result<String> {
        Ok(match &self.data {
            ColumnData::Int(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or_else(String::new, |i| i.to_string()),
            ColumnData::Float(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or_else(String::new, float_text),
            ColumnData::Bool(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or_else(String::new, |b| b.to_string()),
            ColumnData::Text(v) => v.get(row).unwrap_or_default().to_string(),
            ColumnData::Json(_) | ColumnData::Array(_) => match self.json_value(row)? {
                serde_json::Value::Null => String::new(),
                value => value.to_string(),
            },
            ColumnData::Date(_) | ColumnData::DateTime(_) => match self.json_value(row)? {
                serde_json::Value::String(s) => s,
                _ => String::new(),
            },
        })
    }
}

fn io_error(format: &'static str) -> impl Fn(std::io::Error) -> crate::Error {
    move |source| ErrorKind::Write { format, source }.into()
}

impl Frame {
    /// Writes the frame as CSV: a header of column names, then one line per row. Null is
    /// an empty field, booleans `true`/`false`, floats their shortest round-trip text,
    /// JSON and arrays compact JSON text, date/times `YYYY-MM-DD HH:MM:SS[.ffffff]`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Write`] when writing fails; malformed stored JSON or `.npy` bytes.
    pub fn write_csv(&self, out: impl Write) -> Result<()> {
        let csv_error = |e: csv::Error| -> crate::Error {
            let source = match e.into_kind() {
                csv::ErrorKind::Io(io) => io,
                other => std::io::Error::other(format!("{other:?}")),
            };
            ErrorKind::Write {
                format: "CSV",
                source,
            }
            .into()
        };
        let mut writer = csv::Writer::from_writer(out);
        writer
            .write_record(self.column_names())
            .map_err(csv_error)?;
        let mut record: Vec<String> = Vec::with_capacity(self.n_columns());
        for row in 0..self.n_rows() {
            record.clear();
            for column in self.columns() {
                record.push(column.csv_field(row)?);
            }
            writer.write_record(&record).map_err(csv_error)?;
        }
        writer.flush().map_err(io_error("CSV"))
    }

    /// Writes the frame as JSON lines: one object per row, keys in column order, null as
    /// `null`, JSON columns as JSON values, arrays as nested lists.
    ///
    /// # Errors
    ///
    /// As [`Frame::write_csv`].
    pub fn write_jsonl(&self, mut out: impl Write) -> Result<()> {
        for row in 0..self.n_rows() {
            self.write_object(row, &mut out)?;
            out.write_all(b"\n").map_err(io_error("JSON lines"))?;
        }
        out.flush().map_err(io_error("JSON lines"))
    }

    /// Writes the frame as one JSON array of row objects.
    ///
    /// # Errors
    ///
    /// As [`Frame::write_csv`].
    pub fn write_json(&self, mut out: impl Write) -> Result<()> {
        let e = io_error("JSON");
        out.write_all(b"[").map_err(&e)?;
        for row in 0..self.n_rows() {
            if row > 0 {
                out.write_all(b",\n").map_err(&e)?;
            }
            self.write_object(row, &mut out)?;
        }
        out.write_all(b"]\n").map_err(&e)?;
        out.flush().map_err(e)
    }

    fn write_object(&self, row: usize, out: &mut impl Write) -> Result<()> {
        let e = io_error("JSON");
        out.write_all(b"{").map_err(&e)?;
        for (i, column) in self.columns().iter().enumerate() {
            if i > 0 {
                out.write_all(b",").map_err(&e)?;
            }
            serde_json::to_writer(&mut *out, column.name())
                .map_err(std::io::Error::from)
                .map_err(&e)?;
            out.write_all(b":").map_err(&e)?;
            serde_json::to_writer(&mut *out, &column.json_value(row)?)
                .map_err(std::io::Error::from)
                .map_err(&e)?;
        }
        out.write_all(b"}").map_err(e)
    }
}
