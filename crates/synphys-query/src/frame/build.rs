//! Filling frame columns from stored values, one row at a time.

use synphys_schema::{parse_date, parse_datetime};

use super::{BytesColumn, ColumnData, Frame, FrameColumn, FrameKind, TextColumn};
use crate::error::{ErrorKind, Result};

/// A value as a backend hands it over: a storage class and borrowed bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stored<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl Stored<'_> {
    fn describe(&self) -> String {
        match self {
            Stored::Null => "NULL".to_string(),
            Stored::Integer(i) => format!("INTEGER {i}"),
            Stored::Real(r) => format!("REAL {r}"),
            Stored::Text(t) => {
                let text = String::from_utf8_lossy(t);
                let excerpt: String = text.chars().take(40).collect();
                format!("TEXT {excerpt:?}")
            }
            Stored::Blob(b) => format!("BLOB of {} bytes", b.len()),
        }
    }
}

/// A result column to read: its name and, when known from the catalogue, its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The frame column's name, e.g. `pair.distance`.
    pub name: String,
    /// The kind to read; `None` infers it from the values (for computed expressions).
    pub kind: Option<FrameKind>,
}

/// Collects rows into typed columns.
#[derive(Debug)]
pub(crate) struct FrameBuilder {
    names: Vec<String>,
    columns: Vec<Builder>,
    n_rows: usize,
}

#[derive(Debug)]
enum Builder {
    Typed(ColumnData),
    Inferred(Vec<Owned>),
}

#[derive(Debug, Clone, PartialEq)]
enum Owned {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl FrameBuilder {
    #[cfg(test)]
    pub(crate) fn new(specs: &[ColumnSpec]) -> FrameBuilder {
        FrameBuilder::with_capacity(specs, 0)
    }

    /// A builder whose fixed-size columns have room for `rows` rows (capped, so a bad
    /// hint cannot reserve unbounded memory; untouched capacity costs no physical pages).
    pub(crate) fn with_capacity(specs: &[ColumnSpec], rows: usize) -> FrameBuilder {
        let rows = rows.min(1 << 22);
        FrameBuilder {
            names: specs.iter().map(|s| s.name.clone()).collect(),
            columns: specs
                .iter()
                .map(|s| match s.kind {
                    Some(kind) => Builder::Typed(empty(kind, rows)),
                    None => Builder::Inferred(Vec::new()),
                })
                .collect(),
            n_rows: 0,
        }
    }

    pub(crate) fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// Appends the value of column `index` in the current row; call [`Self::end_row`]
    /// after the last column.
    pub(crate) fn push(&mut self, index: usize, value: Stored<'_>) -> Result<()> {
        let row = self.n_rows;
        let Some(builder) = self.columns.get_mut(index) else {
            return Ok(());
        };
        let data = match builder {
            Builder::Inferred(values) => {
                values.push(owned(value));
                return Ok(());
            }
            Builder::Typed(data) => data,
        };
        if push_typed(data, value).is_none() {
            return Err(ErrorKind::BadValue {
                column: self.names[index].clone(),
                row,
                kind: data.kind(),
                found: value.describe(),
            }
            .into());
        }
        Ok(())
    }

    pub(crate) fn end_row(&mut self) {
        self.n_rows += 1;
    }

    pub(crate) fn finish(self) -> Result<Frame> {
        let columns = self
            .names
            .into_iter()
            .zip(self.columns)
            .map(|(name, builder)| {
                let data = match builder {
                    Builder::Typed(data) => data,
                    Builder::Inferred(values) => infer(values),
                };
                FrameColumn::new(name, data)
            })
            .collect();
        Frame::new(columns)
    }
}

fn empty(kind: FrameKind, rows: usize) -> ColumnData {
    match kind {
        FrameKind::Int => ColumnData::Int(Vec::with_capacity(rows)),
        FrameKind::Float => ColumnData::Float(Vec::with_capacity(rows)),
        FrameKind::Bool => ColumnData::Bool(Vec::with_capacity(rows)),
        FrameKind::Text => ColumnData::Text(TextColumn::with_capacity(rows)),
        FrameKind::Date => ColumnData::Date(Vec::with_capacity(rows)),
        FrameKind::DateTime => ColumnData::DateTime(Vec::with_capacity(rows)),
        FrameKind::Json => ColumnData::Json(TextColumn::with_capacity(rows)),
        FrameKind::Array => ColumnData::Array(BytesColumn::with_capacity(rows)),
    }
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// Appends `value`; `None` when it does not fit the column (nothing is appended then).
fn push_typed(data: &mut ColumnData, value: Stored<'_>) -> Option<()> {
    match (data, value) {
        (ColumnData::Int(v), Stored::Null) => v.push(None),
        (ColumnData::Int(v), Stored::Integer(i)) => v.push(Some(i)),
        (ColumnData::Float(v), Stored::Null) => v.push(None),
        (ColumnData::Float(v), Stored::Real(x)) => v.push(Some(x)),
        // REAL affinity keeps floats as REAL, but other writers may store integers.
        (ColumnData::Float(v), Stored::Integer(i)) => v.push(Some(i as f64)),
        (ColumnData::Bool(v), Stored::Null) => v.push(None),
        (ColumnData::Bool(v), Stored::Integer(0)) => v.push(Some(false)),
        (ColumnData::Bool(v), Stored::Integer(1)) => v.push(Some(true)),
        (ColumnData::Text(v), Stored::Null) => v.push(None),
        (ColumnData::Text(v), Stored::Text(t)) => v.push(Some(text(t)?)),
        (ColumnData::Text(v), Stored::Integer(i)) => v.push(Some(&i.to_string())),
        (ColumnData::Text(v), Stored::Real(x)) => v.push(Some(&x.to_string())),
        (ColumnData::Date(v), Stored::Null) => v.push(None),
        (ColumnData::Date(v), Stored::Text(t)) => v.push(Some(parse_date(text(t)?)?)),
        (ColumnData::DateTime(v), Stored::Null) => v.push(None),
        (ColumnData::DateTime(v), Stored::Text(t)) => v.push(Some(parse_datetime(text(t)?)?)),
        (ColumnData::Json(v), Stored::Null) => v.push(None),
        // The Python package stores a null object as the JSON text `null`.
        (ColumnData::Json(v), Stored::Text(t) | Stored::Blob(t)) => {
            let t = text(t)?;
            v.push((t.trim() != "null").then_some(t));
        }
        (ColumnData::Array(v), Stored::Null) => v.push(None),
        // ... and a null array as an empty BLOB.
        (ColumnData::Array(v), Stored::Blob(b)) => v.push((!b.is_empty()).then_some(b)),
        _ => return None,
    }
    Some(())
}

fn owned(value: Stored<'_>) -> Owned {
    match value {
        Stored::Null => Owned::Null,
        Stored::Integer(i) => Owned::Integer(i),
        Stored::Real(x) => Owned::Real(x),
        Stored::Text(t) => Owned::Text(String::from_utf8_lossy(t).into_owned()),
        Stored::Blob(b) => Owned::Blob(b.to_vec()),
    }
}

/// The column type of an expression's values: integers, floats when any value is a
/// float, text when any is text, arrays when all are BLOBs; mixed text and BLOBs read
/// as text.
fn infer(values: Vec<Owned>) -> ColumnData {
    let any = |f: fn(&Owned) -> bool| values.iter().any(f);
    if any(|v| matches!(v, Owned::Text(_)))
        || (any(|v| matches!(v, Owned::Blob(_)))
            && any(|v| matches!(v, Owned::Integer(_) | Owned::Real(_))))
    {
        let mut column = TextColumn::default();
        for v in &values {
            match v {
                Owned::Null => column.push(None),
                Owned::Integer(i) => column.push(Some(&i.to_string())),
                Owned::Real(x) => column.push(Some(&x.to_string())),
                Owned::Text(t) => column.push(Some(t)),
                Owned::Blob(b) => column.push(Some(&String::from_utf8_lossy(b))),
            }
        }
        ColumnData::Text(column)
    } else if any(|v| matches!(v, Owned::Blob(_))) {
        let mut column = BytesColumn::default();
        for v in &values {
            match v {
                Owned::Blob(b) if !b.is_empty() => column.push(Some(b)),
                _ => column.push(None),
            }
        }
        ColumnData::Array(column)
    } else if any(|v| matches!(v, Owned::Real(_))) {
        ColumnData::Float(
            values
                .iter()
                .map(|v| match v {
                    Owned::Integer(i) => Some(*i as f64),
                    Owned::Real(x) => Some(*x),
                    _ => None,
                })
                .collect(),
        )
    } else {
        ColumnData::Int(
            values
                .iter()
                .map(|v| match v {
                    Owned::Integer(i) => Some(*i),
                    _ => None,
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_spellings_of_null_read_as_null() {
        let specs = [
            ColumnSpec {
                name: "t.meta".into(),
                kind: Some(FrameKind::Json),
            },
            ColumnSpec {
                name: "t.data".into(),
                kind: Some(FrameKind::Array),
            },
            ColumnSpec {
                name: "t.flag".into(),
                kind: Some(FrameKind::Bool),
            },
        ];
        let mut b = FrameBuilder::new(&specs);
        b.push(0, Stored::Text(b"null")).unwrap();
        b.push(1, Stored::Blob(b"")).unwrap();
        b.push(2, Stored::Integer(1)).unwrap();
        b.end_row();
        let frame = b.finish().unwrap();
        assert_eq!(frame.json("t.meta").unwrap(), [None]);
        assert_eq!(frame.arrays("t.data").unwrap(), [None]);
        assert_eq!(frame.bools("t.flag").unwrap(), [Some(true)]);
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_column_and_row() {
        let specs = [ColumnSpec {
            name: "pair.has_synapse".into(),
            kind: Some(FrameKind::Bool),
        }];
        let mut b = FrameBuilder::new(&specs);
        b.push(0, Stored::Integer(0)).unwrap();
        b.end_row();
        let err = b.push(0, Stored::Integer(2)).unwrap_err().to_string();
        assert!(err.contains("row 1 of column `pair.has_synapse`"), "{err}");
        assert!(err.contains("INTEGER 2"), "{err}");
    }

    #[test]
    fn inferred_columns_widen_to_the_values_seen() {
        let specs = [
            ColumnSpec {
                name: "n".into(),
                kind: None,
            },
            ColumnSpec {
                name: "x".into(),
                kind: None,
            },
            ColumnSpec {
                name: "s".into(),
                kind: None,
            },
        ];
        let mut b = FrameBuilder::new(&specs);
        for (n, x, s) in [
            (Stored::Integer(1), Stored::Integer(2), Stored::Text(b"a")),
            (Stored::Null, Stored::Real(0.5), Stored::Integer(3)),
        ] {
            b.push(0, n).unwrap();
            b.push(1, x).unwrap();
            b.push(2, s).unwrap();
            b.end_row();
        }
        let frame = b.finish().unwrap();
        assert_eq!(frame.i64s("n").unwrap(), [Some(1), None]);
        assert_eq!(frame.f64s("x").unwrap(), [Some(2.0), Some(0.5)]);
        assert_eq!(
            frame.strs("s").unwrap().iter().collect::<Vec<_>>(),
            [Some("a"), Some("3")]
        );
    }
}
