//! Classifying rows of pair-query results by their pre and post cell columns.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use synphys_schema::Value;

use crate::{CellClass, CellTableAliases, ErrorKind, Result};

/// One row of pair-query results, whose columns are named `table.column` with the
/// per-cell tables aliased (`pre_cell.cre_type`, `post_cortical_cell_location.cortical_layer`).
///
/// Implemented for maps from column name to [`Value`]; a frame type implements it for
/// its row view.
pub trait PairRow {
    /// The value in the column named `name`, or `None` when the row has no such column
    /// (a null value is `Some(Value::Null)`).
    fn value(&self, name: &str) -> Option<Cow<'_, Value>>;
}

impl<T: PairRow + ?Sized> PairRow for &T {
    fn value(&self, name: &str) -> Option<Cow<'_, Value>> {
        (**self).value(name)
    }
}

impl<S: BuildHasher> PairRow for HashMap<String, Value, S> {
    fn value(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Borrowed)
    }
}

impl PairRow for BTreeMap<String, Value> {
    fn value(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Borrowed)
    }
}

/// The index of the first class in `classes` that the cell under `aliases` in `row`
/// belongs to.
pub(crate) fn first_match<R: PairRow + ?Sized>(
    classes: &[CellClass],
    row: &R,
    row_index: usize,
    aliases: &CellTableAliases,
) -> Result<Option<usize>> {
    for (i, class) in classes.iter().enumerate() {
        let member = class.matches_with(|table, column| {
            let name = aliases.column_name(table, column.name);
            match row.value(&name) {
                Some(value) => Ok(Some(value)),
                None => Err(ErrorKind::MissingFrameColumn {
                    column: name,
                    row: row_index,
                }),
            }
        })?;
        if member {
            return Ok(Some(i));
        }
    }
    Ok(None)
}
