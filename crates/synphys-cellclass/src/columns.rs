//! The five tables that describe a cell, and which of their columns a criterion names.

use synphys_schema::{Column, Schema};

/// A table holding facts about a cell: the cell itself or a row linked to it by
/// `cell_id`. Criteria name columns of these tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellTable {
    /// `cell`: reporter (`cre_type`), targeted layer, `cell_class`, depth.
    Cell,
    /// `morphology`: `dendrite_type`, `pyramidal`, truncation.
    Morphology,
    /// `patch_seq`: transcriptomic type (`t_type`) and mapping scores.
    PatchSeq,
    /// `intrinsic`: intrinsic electrophysiology features.
    Intrinsic,
    /// `cortical_cell_location`: `cortical_layer`, depths in the cortex.
    CorticalCellLocation,
}

impl CellTable {
    /// Every cell table, in the order the reference searches them for a column name.
    pub const ALL: [CellTable; 5] = [
        CellTable::Cell,
        CellTable::Morphology,
        CellTable::PatchSeq,
        CellTable::Intrinsic,
        CellTable::CorticalCellLocation,
    ];

    /// The table's name in the database, e.g. `"cortical_cell_location"`.
    pub fn name(self) -> &'static str {
        match self {
            CellTable::Cell => "cell",
            CellTable::Morphology => "morphology",
            CellTable::PatchSeq => "patch_seq",
            CellTable::Intrinsic => "intrinsic",
            CellTable::CorticalCellLocation => "cortical_cell_location",
        }
    }

    /// The table with this database name.
    pub fn from_name(name: &str) -> Option<CellTable> {
        CellTable::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The table a criterion named `column` reads, or `None` when no cell table has
    /// such a column.
    ///
    /// A name found in several tables resolves to the last of [`CellTable::ALL`] that has
    /// it, as in the reference: `id`, `cell_id`, `position` and `meta` all name
    /// `cortical_cell_location` columns.
    ///
    /// ```
    /// use synphys_cellclass::CellTable;
    ///
    /// assert_eq!(CellTable::for_criterion("cre_type"), Some(CellTable::Cell));
    /// assert_eq!(CellTable::for_criterion("dendrite_type"), Some(CellTable::Morphology));
    /// assert_eq!(CellTable::for_criterion("id"), Some(CellTable::CorticalCellLocation));
    /// assert_eq!(CellTable::for_criterion("layer"), None);
    /// ```
    pub fn for_criterion(column: &str) -> Option<CellTable> {
        resolve(column).map(|(table, _)| table)
    }

    fn columns(self) -> &'static [Column] {
        Schema::v22()
            .table(self.name())
            .map_or(&[], |table| table.columns)
    }
}

/// The table and schema column a criterion name reads (last table wins).
pub(crate) fn resolve(column: &str) -> Option<(CellTable, &'static Column)> {
    CellTable::ALL.into_iter().rev().find_map(|table| {
        table
            .columns()
            .iter()
            .find(|c| c.name == column)
            .map(|c| (table, c))
    })
}

/// Every column name a criterion may use, for "did you mean" suggestions.
pub(crate) fn criterion_names() -> impl Iterator<Item = &'static str> {
    CellTable::ALL
        .into_iter()
        .flat_map(|t| t.columns().iter())
        .filter(|c| crate::class::usable_kind(c.kind))
        .map(|c| c.name)
}
