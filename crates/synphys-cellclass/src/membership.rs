//! Whether a cell belongs to a class, for cells held in memory.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::convert::Infallible;

use synphys_schema::{Column, Value};

use crate::class::Entry;
use crate::columns::CellTable;
use crate::scalar::{equals, is_null, order};
use crate::{CellClass, CompareOp, Criterion, Scalar};

/// A cell's column values, looked up by table and column.
///
/// Implement it for your own cell type to test class membership with
/// [`CellClass::contains`]; [`CellRecord`] is a ready-made implementation.
pub trait CellAttributes {
    /// The value of `table.column` for this cell. Return `None` (or [`Value::Null`]) when
    /// the value is null, when the cell has no linked row in `table`, or when the column
    /// is unknown to you.
    fn attribute(&self, table: CellTable, column: &str) -> Option<Cow<'_, Value>>;
}

impl<T: CellAttributes + ?Sized> CellAttributes for &T {
    fn attribute(&self, table: CellTable, column: &str) -> Option<Cow<'_, Value>> {
        (**self).attribute(table, column)
    }
}

/// A cell's values in memory, keyed by table and column. Columns never set are null,
/// so a cell without a linked row (no morphology, say) simply has no values in that
/// table.
///
/// ```
/// use synphys_cellclass::{CellAttributes, CellRecord, CellTable};
/// use synphys_schema::Value;
///
/// let cell = CellRecord::new()
///     .with(CellTable::Cell, "cre_type", "sst")
///     .with(CellTable::CorticalCellLocation, "fractional_layer_depth", 0.25);
/// assert_eq!(
///     cell.attribute(CellTable::Cell, "cre_type").as_deref(),
///     Some(&Value::Str("sst".into()))
/// );
/// assert_eq!(cell.attribute(CellTable::Morphology, "dendrite_type"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellRecord {
    tables: BTreeMap<CellTable, BTreeMap<String, Value>>,
}

impl CellRecord {
    /// A cell with every value null.
    pub fn new() -> CellRecord {
        CellRecord::default()
    }

    /// Sets `table.column` to a plain value (text, number, boolean or null).
    pub fn with(
        mut self,
        table: CellTable,
        column: impl Into<String>,
        value: impl Into<Scalar>,
    ) -> CellRecord {
        self.set(table, column, value.into().into());
        self
    }

    /// Sets `table.column` to any value, e.g. one decoded from a database row.
    pub fn set(&mut self, table: CellTable, column: impl Into<String>, value: Value) {
        self.tables
            .entry(table)
            .or_default()
            .insert(column.into(), value);
    }
}

impl CellAttributes for CellRecord {
    fn attribute(&self, table: CellTable, column: &str) -> Option<Cow<'_, Value>> {
        self.tables.get(&table)?.get(column).map(Cow::Borrowed)
    }
}

impl CellClass {
    /// Whether `cell` belongs to this class: it meets every criterion.
    ///
    /// Equality is Python's, as in the reference: the text `"5"` does not equal the
    /// number `5`, while `0` equals `0.0` and `true` equals `1`. A null value (also a
    /// missing linked row, or NaN, which the database stores as null) meets only
    /// criteria that accept null — and a criterion value of null *does* select cells
    /// whose value is null, as in the reference. Comparisons need a non-null value; an
    /// ordering comparison with a value of another type (which a database column of the
    /// checked kind cannot hold) does not hold.
    ///
    /// Names shared by several tables read the last of them: an `id` criterion reads
    /// `cortical_cell_location.id` (see [`CellTable::for_criterion`]).
    pub fn contains(&self, cell: &impl CellAttributes) -> bool {
        let result: Result<bool, Infallible> =
            self.matches_with(|table, column| Ok(cell.attribute(table, column.name)));
        match result {
            Ok(member) => member,
            Err(never) => match never {},
        }
    }

    /// Membership with a fallible lookup of each column a criterion reads.
    pub(crate) fn matches_with<'v, E>(
        &self,
        mut lookup: impl FnMut(CellTable, &'static Column) -> Result<Option<Cow<'v, Value>>, E>,
    ) -> Result<bool, E> {
        for entry in self.entries() {
            if !entry_matches(entry, &mut lookup)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn entry_matches<'v, E>(
    entry: &Entry,
    lookup: &mut impl FnMut(CellTable, &'static Column) -> Result<Option<Cow<'v, Value>>, E>,
) -> Result<bool, E> {
    let null = Value::Null;
    let matched = match &entry.criterion {
        Criterion::Equal(want) => {
            let value = lookup(entry.table, entry.column)?;
            equals(value.as_deref().unwrap_or(&null), want)
        }
        Criterion::AnyOf { values, .. } => {
            let value = lookup(entry.table, entry.column)?;
            let value = value.as_deref().unwrap_or(&null);
            values.iter().any(|want| equals(value, want))
        }
        Criterion::Alternatives(list) => {
            let mut any = false;
            for ((_, want), (table, column)) in list.iter().zip(&entry.alternatives) {
                let value = lookup(*table, column)?;
                if equals(value.as_deref().unwrap_or(&null), want) {
                    any = true;
                    break;
                }
            }
            any
        }
        Criterion::Compare(list) => {
            let value = lookup(entry.table, entry.column)?;
            let value = value.as_deref().unwrap_or(&null);
            list.iter().all(|(op, want)| compare(value, *op, want))
        }
    };
    Ok(matched)
}

/// `value <op> want` for a comparison criterion: false when the value is null.
fn compare(value: &Value, op: CompareOp, want: &Scalar) -> bool {
    if is_null(value) {
        return false;
    }
    match op {
        CompareOp::Eq => equals(value, want),
        CompareOp::Ne => !equals(value, want),
        ordering => order(value, want).is_some_and(|o| match ordering {
            CompareOp::Lt => o.is_lt(),
            CompareOp::Le => o.is_le(),
            CompareOp::Gt => o.is_gt(),
            _ => o.is_ge(),
        }),
    }
}
