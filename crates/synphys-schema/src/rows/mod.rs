//! Typed rows of the tables analysts and the other crates use.
//!
//! Each struct has one public field per column, named as the column, in the catalogue's
//! order; nullable columns are `Option`s. Every table's `id` is never null; every other
//! column may be, because the files the Python package writes leave any of them null.

mod field;
#[macro_use]
mod macros;

mod cell;
mod pair;

pub use cell::Cell;
pub use field::FieldValue;
pub use pair::Pair;

use crate::{Result, Value};

/// A typed row of one table of the database.
///
/// # Example
///
/// ```
/// use synphys_schema::{Pair, TableRow, Value};
///
/// let mut values = vec![Value::Null; Pair::COLUMNS.len()];
/// values[0] = Value::Int(7);
/// values[4] = Value::Bool(true); // has_synapse
/// let pair = Pair::from_values(values)?;
/// assert_eq!(pair.id, 7);
/// assert_eq!(pair.has_synapse, Some(true));
/// assert_eq!(pair.distance, None);
/// # Ok::<(), synphys_schema::Error>(())
/// ```
pub trait TableRow: Sized {
    /// The table's name.
    const TABLE: &'static str;
    /// The columns, in the catalogue's order: the order of
    /// [`TableRow::from_values`] and [`TableRow::to_values`].
    const COLUMNS: &'static [&'static str];
    /// The kind each field holds, in [`TableRow::COLUMNS`] order; equal to the
    /// catalogue's kinds (a test checks every row type).
    const KINDS: &'static [crate::ColumnKind];

    /// Builds a row from one decoded value per column, in [`TableRow::COLUMNS`] order.
    ///
    /// # Errors
    ///
    /// When the number of values is wrong, `id` is null, or a value's type does not fit
    /// its field; the error names the column.
    fn from_values(values: Vec<Value>) -> Result<Self>;

    /// The row's values, one per column in [`TableRow::COLUMNS`] order.
    fn to_values(&self) -> Vec<Value>;
}
