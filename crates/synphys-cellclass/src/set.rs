//! An ordered set of named classes: what a class file or preset holds, and what
//! classifies cells and pairs.

use std::fmt;
use std::str::FromStr;

use crate::frame::{PairRow, first_match};
use crate::{CellAttributes, CellClass, CellTableAliases, Error, ErrorKind, Result};

/// Classes in definition order. A cell is classified as the *first* class it belongs
/// to, so order matters when classes overlap.
///
/// Every class has a name (explicit or generated) and names differ.
///
/// ```
/// use synphys_cellclass::{CellRecord, CellTable, ClassSet};
///
/// # fn main() -> Result<(), synphys_cellclass::Error> {
/// let classes = ClassSet::preset("broad")?;
/// let names: Vec<String> = classes.names().collect();
/// assert_eq!(names, ["Excit.", "Pvalb", "Sst", "Vip"]);
///
/// let vip = CellRecord::new().with(CellTable::Cell, "cre_type", "vip");
/// assert_eq!(classes.classify(&vip), Some(3));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassSet {
    classes: Vec<CellClass>,
}

impl ClassSet {
    /// A set of these classes, in this order.
    ///
    /// # Errors
    ///
    /// When a class without an explicit name cannot be named
    /// ([`CellClass::name_parts`]), or two classes have the same name.
    pub fn new(classes: impl IntoIterator<Item = CellClass>) -> Result<ClassSet> {
        let classes: Vec<CellClass> = classes.into_iter().collect();
        let mut names: Vec<String> = Vec::with_capacity(classes.len());
        for class in &classes {
            let name = class.name()?.into_owned();
            if names.contains(&name) {
                return Err(ErrorKind::DuplicateClassName { name }.into());
            }
            names.push(name);
        }
        Ok(ClassSet { classes })
    }

    /// The built-in preset named `name` (see [`crate::Preset`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownPreset`], listing the presets, when there is none by that name.
    pub fn preset(name: &str) -> Result<ClassSet> {
        crate::Preset::find(name)
            .ok_or_else(|| {
                Error::from(ErrorKind::UnknownPreset {
                    name: name.to_string(),
                    available: crate::Preset::ALL.iter().map(|p| p.name).collect(),
                })
            })?
            .class_set()
    }

    /// Reads a class file (TOML; the format is described in the crate documentation).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ClassFile`] with the line and column of the problem and what was
    /// expected there.
    pub fn from_toml(text: &str) -> Result<ClassSet> {
        crate::file::parse(text)
    }

    /// The set as a class file that [`ClassSet::from_toml`] reads back to an equal set.
    pub fn to_toml(&self) -> String {
        crate::file::print(self)
    }

    /// The classes in order.
    pub fn classes(&self) -> &[CellClass] {
        &self.classes
    }

    /// The classes' names in order.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        // Every name was computed successfully when the set was made.
        self.classes
            .iter()
            .map(|c| c.name().map(|n| n.into_owned()).unwrap_or_default())
    }

    /// The class at `index`.
    pub fn get(&self, index: usize) -> Option<&CellClass> {
        self.classes.get(index)
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether the set has no classes.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The classes in order.
    pub fn iter(&self) -> std::slice::Iter<'_, CellClass> {
        self.classes.iter()
    }

    /// The index of the first class `cell` belongs to.
    pub fn classify(&self, cell: &impl CellAttributes) -> Option<usize> {
        self.classes.iter().position(|class| class.contains(cell))
    }

    /// For each row of pair results, the index of the first class its presynaptic cell
    /// belongs to and that of its postsynaptic cell (`pre_…` and `post_…` columns, see
    /// [`CellTableAliases`]), or `None` when the cell belongs to no class.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use synphys_cellclass::ClassSet;
    /// use synphys_schema::Value;
    ///
    /// # fn main() -> Result<(), synphys_cellclass::Error> {
    /// let classes = ClassSet::preset("tutorial-l23")?;
    /// let text = |s: &str| Value::Str(s.to_string());
    /// let row: HashMap<String, Value> = [
    ///     ("pre_cell.cre_type", text("sst")),
    ///     ("pre_cell.cell_class", text("in")),
    ///     ("pre_cortical_cell_location.cortical_layer", text("2/3")),
    ///     ("post_cell.cre_type", Value::Null),
    ///     ("post_cell.cell_class", text("ex")),
    ///     ("post_cortical_cell_location.cortical_layer", text("5")),
    /// ]
    /// .into_iter()
    /// .map(|(k, v)| (k.to_string(), v))
    /// .collect();
    /// assert_eq!(classes.classify_pairs([&row])?, [(Some(2), None)]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingFrameColumn`] when a row lacks a column a class reads.
    pub fn classify_pairs<R: PairRow>(
        &self,
        rows: impl IntoIterator<Item = R>,
    ) -> Result<Vec<(Option<usize>, Option<usize>)>> {
        let (pre, post) = (CellTableAliases::pre(), CellTableAliases::post());
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| {
                Ok((
                    first_match(&self.classes, &row, i, &pre)?,
                    first_match(&self.classes, &row, i, &post)?,
                ))
            })
            .collect()
    }

    /// The index of the first class the cell under `aliases` in `row` belongs to; for
    /// results whose per-cell tables are aliased other than `pre_`/`post_`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingFrameColumn`] (reported as row 0) when the row lacks a column
    /// a class reads.
    pub fn classify_row(
        &self,
        row: &impl PairRow,
        aliases: &CellTableAliases,
    ) -> Result<Option<usize>> {
        first_match(&self.classes, row, 0, aliases)
    }
}

impl<'a> IntoIterator for &'a ClassSet {
    type Item = &'a CellClass;
    type IntoIter = std::slice::Iter<'a, CellClass>;

    fn into_iter(self) -> Self::IntoIter {
        self.classes.iter()
    }
}

impl FromStr for ClassSet {
    type Err = Error;

    fn from_str(text: &str) -> Result<ClassSet> {
        ClassSet::from_toml(text)
    }
}

impl fmt::Display for ClassSet {
    /// The class file ([`ClassSet::to_toml`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_toml())
    }
}
