//! Query results as typed columns.

mod build;
#[cfg(feature = "parquet")]
mod to_parquet;
mod write;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use synphys_cellclass::PairRow;
use synphys_schema::{ColumnKind, NpyArray, Value, close_matches};

use crate::error::{ErrorKind, Result};

pub use build::ColumnSpec;
pub(crate) use build::{FrameBuilder, Stored};

/// What a frame column holds; every kind may also hold nulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// 64-bit integers (`int`, `bigint`).
    Int,
    /// Double-precision floats.
    Float,
    /// Booleans (stored as 0/1).
    Bool,
    /// Text.
    Text,
    /// Calendar dates.
    Date,
    /// Dates with times.
    DateTime,
    /// JSON values, kept as the stored text until asked for.
    Json,
    /// NumPy arrays, kept as the stored `.npy` bytes until asked for.
    Array,
}

impl FrameKind {
    /// The frame kind of a catalogue column kind.
    pub fn of(kind: ColumnKind) -> FrameKind {
        match kind {
            ColumnKind::Int | ColumnKind::BigInt => FrameKind::Int,
            ColumnKind::Float => FrameKind::Float,
            ColumnKind::Bool => FrameKind::Bool,
            ColumnKind::Str => FrameKind::Text,
            ColumnKind::Date => FrameKind::Date,
            ColumnKind::DateTime => FrameKind::DateTime,
            ColumnKind::Object => FrameKind::Json,
            ColumnKind::Array => FrameKind::Array,
        }
    }

    /// A short name for messages (`"int"`, `"float"`, …).
    pub fn name(self) -> &'static str {
        match self {
            FrameKind::Int => "int",
            FrameKind::Float => "float",
            FrameKind::Bool => "bool",
            FrameKind::Text => "text",
            FrameKind::Date => "date",
            FrameKind::DateTime => "datetime",
            FrameKind::Json => "JSON",
            FrameKind::Array => "array",
        }
    }
}

impl fmt::Display for FrameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Variable-length values (text or bytes) of one column in one buffer, so reading a
/// result allocates per column, not per value.
pub struct VarColumn<T: ?Sized + VarItem> {
    buffer: T::Buffer,
    ends: Vec<usize>,
    valid: Vec<bool>,
}

// Derives would require `T: Clone` etc. of the unsized element type; the buffer is what
// matters.
impl<T: ?Sized + VarItem> Default for VarColumn<T> {
    fn default() -> Self {
        VarColumn {
            buffer: T::Buffer::default(),
            ends: Vec::new(),
            valid: Vec::new(),
        }
    }
}

impl<T: ?Sized + VarItem> Clone for VarColumn<T> {
    fn clone(&self) -> Self {
        VarColumn {
            buffer: self.buffer.clone(),
            ends: self.ends.clone(),
            valid: self.valid.clone(),
        }
    }
}

impl<T: ?Sized + VarItem> PartialEq for VarColumn<T> {
    fn eq(&self, other: &Self) -> bool {
        self.buffer == other.buffer && self.ends == other.ends && self.valid == other.valid
    }
}

impl<T: ?Sized + VarItem> fmt::Debug for VarColumn<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VarColumn")
            .field("rows", &self.valid.len())
            .field("bytes", &T::buffer_len(&self.buffer))
            .finish()
    }
}

/// An element type of a [`VarColumn`]: `str` or `[u8]`.
pub trait VarItem {
    /// The owned buffer holding every value end to end.
    type Buffer: Default + Clone + fmt::Debug + PartialEq;
    /// The value stored between `start` and `end` of `buffer`.
    fn slice(buffer: &Self::Buffer, start: usize, end: usize) -> &Self;
    /// Appends a value.
    fn extend(buffer: &mut Self::Buffer, value: &Self);
    /// The buffer's length in bytes.
    fn buffer_len(buffer: &Self::Buffer) -> usize;
}

impl VarItem for str {
    type Buffer = String;
    fn slice(buffer: &String, start: usize, end: usize) -> &str {
        buffer.get(start..end).unwrap_or_default()
    }
    fn extend(buffer: &mut String, value: &str) {
        buffer.push_str(value);
    }
    fn buffer_len(buffer: &String) -> usize {
        buffer.len()
    }
}

impl VarItem for [u8] {
    type Buffer = Vec<u8>;
    fn slice(buffer: &Vec<u8>, start: usize, end: usize) -> &[u8] {
        buffer.get(start..end).unwrap_or_default()
    }
    fn extend(buffer: &mut Vec<u8>, value: &[u8]) {
        buffer.extend_from_slice(value);
    }
    fn buffer_len(buffer: &Vec<u8>) -> usize {
        buffer.len()
    }
}

/// A column of text values (also JSON text).
pub type TextColumn = VarColumn<str>;
/// A column of byte values (`.npy` arrays).
pub type BytesColumn = VarColumn<[u8]>;

impl<T: ?Sized + VarItem> VarColumn<T> {
    pub(crate) fn with_capacity(rows: usize) -> VarColumn<T> {
        VarColumn {
            buffer: T::Buffer::default(),
            ends: Vec::with_capacity(rows),
            valid: Vec::with_capacity(rows),
        }
    }

    pub(crate) fn push(&mut self, value: Option<&T>) {
        if let Some(v) = value {
            T::extend(&mut self.buffer, v);
        }
        self.ends.push(T::buffer_len(&self.buffer));
        self.valid.push(value.is_some());
    }

    /// The value in row `row`; `None` when it is null or out of range.
    pub fn get(&self, row: usize) -> Option<&T> {
        if !*self.valid.get(row)? {
            return None;
        }
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        Some(T::slice(&self.buffer, start, self.ends[row]))
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// Every row's value in order (`None` for null).
    pub fn iter(&self) -> impl Iterator<Item = Option<&T>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn take(&self, rows: &[usize]) -> VarColumn<T> {
        let mut out = VarColumn::<T>::default();
        for &r in rows {
            out.push(self.get(r));
        }
        out
    }
}

/// The values of one frame column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Integers.
    Int(Vec<Option<i64>>),
    /// Floats (never NaN: a missing value is `None`).
    Float(Vec<Option<f64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Text.
    Text(TextColumn),
    /// Dates.
    Date(Vec<Option<NaiveDate>>),
    /// Dates with times.
    DateTime(Vec<Option<NaiveDateTime>>),
    /// JSON text (never the text `null`: that is stored as a null).
    Json(TextColumn),
    /// `.npy` bytes (never empty: an empty BLOB is stored as a null).
    Array(BytesColumn),
}

impl ColumnData {
    /// The kind of values held.
    pub fn kind(&self) -> FrameKind {
        match self {
            ColumnData::Int(_) => FrameKind::Int,
            ColumnData::Float(_) => FrameKind::Float,
            ColumnData::Bool(_) => FrameKind::Bool,
            ColumnData::Text(_) => FrameKind::Text,
            ColumnData::Date(_) => FrameKind::Date,
            ColumnData::DateTime(_) => FrameKind::DateTime,
            ColumnData::Json(_) => FrameKind::Json,
            ColumnData::Array(_) => FrameKind::Array,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Int(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::DateTime(v) => v.len(),
            ColumnData::Text(v) | ColumnData::Json(v) => v.len(),
            ColumnData::Array(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `row` is null (or out of range).
    pub fn is_null(&self, row: usize) -> bool {
        match self {
            ColumnData::Int(v) => v.get(row).is_none_or(Option::is_none),
            ColumnData::Float(v) => v.get(row).is_none_or(Option::is_none),
            ColumnData::Bool(v) => v.get(row).is_none_or(Option::is_none),
            ColumnData::Date(v) => v.get(row).is_none_or(Option::is_none),
            ColumnData::DateTime(v) => v.get(row).is_none_or(Option::is_none),
            ColumnData::Text(v) | ColumnData::Json(v) => v.get(row).is_none(),
            ColumnData::Array(v) => v.get(row).is_none(),
        }
    }

    fn take(&self, rows: &[usize]) -> ColumnData {
        fn pick<T: Copy>(v: &[Option<T>], rows: &[usize]) -> Vec<Option<T>> {
            rows.iter().map(|&r| v.get(r).copied().flatten()).collect()
        }
        match self {
            ColumnData::Int(v) => ColumnData::Int(pick(v, rows)),
            ColumnData::Float(v) => ColumnData::Float(pick(v, rows)),
            ColumnData::Bool(v) => ColumnData::Bool(pick(v, rows)),
            ColumnData::Date(v) => ColumnData::Date(pick(v, rows)),
            ColumnData::DateTime(v) => ColumnData::DateTime(pick(v, rows)),
            ColumnData::Text(v) => ColumnData::Text(v.take(rows)),
            ColumnData::Json(v) => ColumnData::Json(v.take(rows)),
            ColumnData::Array(v) => ColumnData::Array(v.take(rows)),
        }
    }
}

/// One named column of a [`Frame`].
#[derive(Debug, Clone, PartialEq)]
pub struct FrameColumn {
    name: String,
    data: ColumnData,
}

impl FrameColumn {
    /// A column from its name and values.
    pub fn new(name: impl Into<String>, data: ColumnData) -> FrameColumn {
        FrameColumn {
            name: name.into(),
            data,
        }
    }

    /// The column's name, e.g. `pre_cell.cre_type`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the column holds.
    pub fn kind(&self) -> FrameKind {
        self.data.kind()
    }

    /// The values.
    pub fn data(&self) -> &ColumnData {
        &self.data
    }

    /// The value in row `row` as a typed [`Value`] (JSON parsed, arrays decoded);
    /// [`Value::Null`] for null or out of range.
    ///
    /// # Errors
    ///
    /// When stored JSON text or `.npy` bytes are malformed; the error names the column.
    pub fn value(&self, row: usize) -> Result<Value> {
        let value = match &self.data {
            ColumnData::Int(v) => v.get(row).copied().flatten().map(Value::Int),
            ColumnData::Float(v) => v.get(row).copied().flatten().map(Value::Float),
            ColumnData::Bool(v) => v.get(row).copied().flatten().map(Value::Bool),
            ColumnData::Date(v) => v.get(row).copied().flatten().map(Value::Date),
            ColumnData::DateTime(v) => v.get(row).copied().flatten().map(Value::DateTime),
            ColumnData::Text(v) => v.get(row).map(|s| Value::Str(s.to_string())),
            ColumnData::Json(v) => match v.get(row) {
                Some(text) => self.parse_json(text)?.map(Value::Object),
                None => None,
            },
            ColumnData::Array(v) => match v.get(row) {
                Some(bytes) => NpyArray::from_blob(bytes, &self.name)?.map(Value::Array),
                None => None,
            },
        };
        Ok(value.unwrap_or(Value::Null))
    }

    fn parse_json(&self, text: &str) -> Result<Option<serde_json::Value>> {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Null) => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(ErrorKind::BadValue {
                column: self.name.clone(),
                row: 0,
                kind: FrameKind::Json,
                found: format!("malformed JSON ({e})"),
            }
            .into()),
        }
    }

    fn type_error(&self, wanted: &'static str) -> crate::Error {
        ErrorKind::ColumnType {
            column: self.name.clone(),
            kind: self.kind(),
            wanted,
        }
        .into()
    }
}

/// A query result: named, typed, nullable columns of equal length.
///
/// Columns are named as DESIGN §4 says (`pair.id`, `pre_cell.cre_type`,
/// `synapse.latency`, …). Typed accessors ([`Frame::f64s`], [`Frame::strs`], …) borrow a
/// column; a name that is not there gets an error suggesting close matches, and a type
/// that does not match gets an error naming the column's kind.
///
/// ```
/// use synphys_query::{ColumnData, Frame, FrameColumn};
///
/// # fn main() -> Result<(), synphys_query::Error> {
/// let frame = Frame::new(vec![
///     FrameColumn::new("pair.id", ColumnData::Int(vec![Some(1), Some(2)])),
///     FrameColumn::new("pair.distance", ColumnData::Float(vec![Some(5e-5), None])),
/// ])?;
/// assert_eq!(frame.f64s("pair.distance")?, &[Some(5e-5), None]);
/// assert!(frame.f64s("pair.id").is_err()); // an int column
/// let err = frame.column("pair.distanse").unwrap_err();
/// assert!(err.to_string().contains("did you mean pair.distance"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    columns: Vec<FrameColumn>,
    index: HashMap<String, usize>,
    n_rows: usize,
}

impl Frame {
    /// A frame of these columns.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::LengthMismatch`] when the columns differ in length,
    /// [`ErrorKind::InvalidFilter`] when two columns have the same name.
    pub fn new(columns: Vec<FrameColumn>) -> Result<Frame> {
        let n_rows = columns.first().map_or(0, |c| c.data.len());
        let mut index = HashMap::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            if column.data.len() != n_rows {
                return Err(ErrorKind::LengthMismatch {
                    what: "a column",
                    found: column.data.len(),
                    expected: n_rows,
                }
                .into());
            }
            if index.insert(column.name.clone(), i).is_some() {
                return Err(ErrorKind::InvalidFilter {
                    what: "column list",
                    given: column.name.clone(),
                    reason: "two columns have this name".to_string(),
                }
                .into());
            }
        }
        Ok(Frame {
            columns,
            index,
            n_rows,
        })
    }

    /// The number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// The number of columns.
    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// The column names, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[FrameColumn] {
        &self.columns
    }

    /// Whether there is a column named `name`.
    pub fn has_column(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The column named `name`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NoSuchColumn`] with close matches.
    pub fn column(&self, name: &str) -> Result<&FrameColumn> {
        match self.index.get(name) {
            Some(&i) => Ok(&self.columns[i]),
            None => Err(ErrorKind::NoSuchColumn {
                column: name.to_string(),
                close_matches: close_matches(name, self.column_names()),
            }
            .into()),
        }
    }

    /// A float column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not a float column.
    pub fn f64s(&self, name: &str) -> Result<&[Option<f64>]> {
        self.typed(name, "float", |data| match data {
            ColumnData::Float(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// An integer column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not an integer column.
    pub fn i64s(&self, name: &str) -> Result<&[Option<i64>]> {
        self.typed(name, "int", |data| match data {
            ColumnData::Int(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// A boolean column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not a boolean column.
    pub fn bools(&self, name: &str) -> Result<&[Option<bool>]> {
        self.typed(name, "bool", |data| match data {
            ColumnData::Bool(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// A text column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not a text column.
    pub fn strs(&self, name: &str) -> Result<&TextColumn> {
        self.typed(name, "text", |data| match data {
            ColumnData::Text(v) => Some(v),
            _ => None,
        })
    }

    /// The column `name` if `pick` finds the wanted kind in it.
    fn typed<'a, T: ?Sized>(
        &'a self,
        name: &str,
        wanted: &'static str,
        pick: impl FnOnce(&'a ColumnData) -> Option<&'a T>,
    ) -> Result<&'a T> {
        let column = self.column(name)?;
        pick(&column.data).ok_or_else(|| column.type_error(wanted))
    }

    /// A date column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not a date column.
    pub fn dates(&self, name: &str) -> Result<&[Option<NaiveDate>]> {
        self.typed(name, "date", |data| match data {
            ColumnData::Date(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// A date/time column's values.
    ///
    /// # Errors
    ///
    /// No such column, or not a date/time column.
    pub fn datetimes(&self, name: &str) -> Result<&[Option<NaiveDateTime>]> {
        self.typed(name, "datetime", |data| match data {
            ColumnData::DateTime(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// A JSON column's values, parsed (the text `null` and SQL NULL are both `None`).
    ///
    /// # Errors
    ///
    /// No such column, not a JSON column, or malformed JSON text.
    pub fn json(&self, name: &str) -> Result<Vec<Option<serde_json::Value>>> {
        let column = self.column(name)?;
        match &column.data {
            ColumnData::Json(v) => v
                .iter()
                .map(|text| text.map_or(Ok(None), |t| column.parse_json(t)))
                .collect(),
            _ => Err(column.type_error("JSON")),
        }
    }

    /// An array column's values, decoded from `.npy` bytes (empty BLOBs are `None`).
    ///
    /// # Errors
    ///
    /// No such column, not an array column, or malformed `.npy` bytes.
    pub fn arrays(&self, name: &str) -> Result<Vec<Option<NpyArray>>> {
        let column = self.column(name)?;
        match &column.data {
            ColumnData::Array(v) => v
                .iter()
                .map(|bytes| bytes.map_or(Ok(None), |b| Ok(NpyArray::from_blob(b, name)?)))
                .collect(),
            _ => Err(column.type_error("array")),
        }
    }

    /// A numeric column (int, float or bool as 0/1) as floats, for aggregation.
    ///
    /// # Errors
    ///
    /// No such column, or not a numeric column.
    pub fn numbers(&self, name: &str) -> Result<Cow<'_, [Option<f64>]>> {
        let column = self.column(name)?;
        match &column.data {
            ColumnData::Float(v) => Ok(Cow::Borrowed(v)),
            ColumnData::Int(v) => Ok(Cow::Owned(v.iter().map(|x| x.map(|i| i as f64)).collect())),
            ColumnData::Bool(v) => Ok(Cow::Owned(
                v.iter()
                    .map(|x| x.map(|b| f64::from(u8::from(b))))
                    .collect(),
            )),
            _ => Err(column.type_error("a number (int, float or bool)")),
        }
    }

    /// The value at `row` of column `name`.
    ///
    /// # Errors
    ///
    /// No such column, or malformed JSON / `.npy` bytes in that cell.
    pub fn value(&self, row: usize, name: &str) -> Result<Value> {
        self.column(name)?.value(row)
    }

    /// A view of row `row` (which implements [`PairRow`]).
    pub fn row(&self, row: usize) -> FrameRow<'_> {
        FrameRow { frame: self, row }
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = FrameRow<'_>> + '_ {
        (0..self.n_rows).map(|row| FrameRow { frame: self, row })
    }

    /// A frame of the named columns, in the order given.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NoSuchColumn`] for a name that is not there.
    pub fn select<S: AsRef<str>>(&self, names: &[S]) -> Result<Frame> {
        let columns = names
            .iter()
            .map(|n| self.column(n.as_ref()).cloned())
            .collect::<Result<Vec<_>>>()?;
        Frame::new(columns)
    }

    /// The rows for which `keep` is true.
    pub fn filter(&self, mut keep: impl FnMut(FrameRow<'_>) -> bool) -> Frame {
        let rows: Vec<usize> = (0..self.n_rows).filter(|&r| keep(self.row(r))).collect();
        self.take(&rows)
    }

    /// The rows whose entry in `mask` is true.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::LengthMismatch`] when `mask` does not have one entry per row.
    pub fn filter_mask(&self, mask: &[bool]) -> Result<Frame> {
        if mask.len() != self.n_rows {
            return Err(ErrorKind::LengthMismatch {
                what: "the mask",
                found: mask.len(),
                expected: self.n_rows,
            }
            .into());
        }
        let rows: Vec<usize> = (0..self.n_rows).filter(|&r| mask[r]).collect();
        Ok(self.take(&rows))
    }

    /// The rows at these indices, in this order (indices out of range give null rows).
    pub fn take(&self, rows: &[usize]) -> Frame {
        Frame {
            columns: self
                .columns
                .iter()
                .map(|c| FrameColumn::new(c.name.clone(), c.data.take(rows)))
                .collect(),
            index: self.index.clone(),
            n_rows: rows.len(),
        }
    }

    /// Adds a column at the end.
    ///
    /// # Errors
    ///
    /// When its length differs from the frame's or its name is taken.
    pub fn push_column(&mut self, column: FrameColumn) -> Result<()> {
        if self.columns.is_empty() {
            self.n_rows = column.data.len();
        } else if column.data.len() != self.n_rows {
            return Err(ErrorKind::LengthMismatch {
                what: "the new column",
                found: column.data.len(),
                expected: self.n_rows,
            }
            .into());
        }
        if self.index.contains_key(&column.name) {
            return Err(ErrorKind::InvalidFilter {
                what: "column list",
                given: column.name,
                reason: "the frame already has a column of this name".to_string(),
            }
            .into());
        }
        self.index.insert(column.name.clone(), self.columns.len());
        self.columns.push(column);
        Ok(())
    }
}

/// One row of a [`Frame`].
#[derive(Debug, Clone, Copy)]
pub struct FrameRow<'a> {
    frame: &'a Frame,
    row: usize,
}

impl<'a> FrameRow<'a> {
    /// The row's index in its frame.
    pub fn index(&self) -> usize {
        self.row
    }

    /// The frame the row belongs to.
    pub fn frame(&self) -> &'a Frame {
        self.frame
    }

    /// The value in column `name`.
    ///
    /// # Errors
    ///
    /// As [`Frame::value`].
    pub fn get(&self, name: &str) -> Result<Value> {
        self.frame.value(self.row, name)
    }

    /// Whether column `name` is null in this row (`true` for a missing column).
    pub fn is_null(&self, name: &str) -> bool {
        self.frame
            .column(name)
            .map_or(true, |c| c.data.is_null(self.row))
    }

    /// The float in column `name` (`None` for null, a missing or non-float column).
    pub fn f64(&self, name: &str) -> Option<f64> {
        self.frame.f64s(name).ok()?.get(self.row).copied().flatten()
    }

    /// The integer in column `name` (`None` for null, a missing or non-integer column).
    pub fn i64(&self, name: &str) -> Option<i64> {
        self.frame.i64s(name).ok()?.get(self.row).copied().flatten()
    }

    /// The boolean in column `name` (`None` for null, a missing or non-boolean column).
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.frame
            .bools(name)
            .ok()?
            .get(self.row)
            .copied()
            .flatten()
    }

    /// The text in column `name` (`None` for null, a missing or non-text column).
    pub fn str(&self, name: &str) -> Option<&'a str> {
        self.frame.strs(name).ok()?.get(self.row)
    }
}

impl PairRow for FrameRow<'_> {
    /// The typed value; a cell whose JSON or `.npy` bytes cannot be decoded reads as
    /// null (class criteria never name such columns).
    fn value(&self, name: &str) -> Option<Cow<'_, Value>> {
        let column = self.frame.column(name).ok()?;
        Some(Cow::Owned(column.value(self.row).unwrap_or(Value::Null)))
    }
}
