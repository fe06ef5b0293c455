//! A cell class: its criteria, how it is built and checked, its name and its expected
//! output synapse type.

use std::borrow::Cow;
use std::fmt;

use synphys_schema::{Column, ColumnKind};

use crate::columns::{self, CellTable};
use crate::{CompareOp, Criterion, ErrorKind, Result, Scalar, SequenceStyle, python};

/// Cre reporters the reference counts as marking inhibitory cells.
pub const INHIBITORY_CRE_TYPES: [&str; 11] = [
    "sst",
    "pvalb",
    "vip",
    "ndnf",
    "chat",
    "htr3a",
    "nos1",
    "chrna2",
    "mDlx",
    "3xcorehI56i",
    "tac1",
];

/// Cre reporters the reference counts as marking excitatory cells.
pub const EXCITATORY_CRE_TYPES: [&str; 13] = [
    "tlx3",
    "sim1",
    "fam84b",
    "rorb",
    "ntsr1",
    "rbp4",
    "ctgf",
    "glt25d2",
    "slc17a8",
    "cux2",
    "nr5a1",
    "eHGT_078m",
    "3xHGT_073m(core)",
];

/// The type of synapse a class of cells is expected to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynapseType {
    /// Excitatory (`"ex"`).
    Ex,
    /// Inhibitory (`"in"`).
    In,
}

impl SynapseType {
    /// `"ex"` or `"in"`, as stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SynapseType::Ex => "ex",
            SynapseType::In => "in",
        }
    }
}

impl fmt::Display for SynapseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A class of cells: an optional name and criteria on the columns of [`CellTable`]s.
///
/// A cell belongs to the class when it meets every criterion; a class without criteria
/// holds every cell. Build one with [`CellClass::builder`], or read a set from a class
/// file ([`crate::ClassSet::from_toml`]).
///
/// ```
/// use synphys_cellclass::{CellClass, CellRecord, CellTable, Criterion};
///
/// # fn main() -> Result<(), synphys_cellclass::Error> {
/// let l4_pyr = CellClass::builder()
///     .criterion("cre_type", Criterion::any_of(["nr5a1", "rorb"]))
///     .criterion("cortical_layer", "4")
///     .build()?;
/// assert_eq!(l4_pyr.name()?, "L4 ('nr5a1', 'rorb')");
/// assert_eq!(l4_pyr.is_excitatory()?, Some(true));
///
/// let cell = CellRecord::new()
///     .with(CellTable::Cell, "cre_type", "rorb")
///     .with(CellTable::CorticalCellLocation, "cortical_layer", "4");
/// assert!(l4_pyr.contains(&cell));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CellClass {
    name: Option<String>,
    entries: Vec<Entry>,
}

/// One validated criterion with the schema columns it reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) table: CellTable,
    pub(crate) column: &'static Column,
    pub(crate) criterion: Criterion,
    /// For [`Criterion::Alternatives`]: the table and column of each alternative.
    pub(crate) alternatives: Vec<(CellTable, &'static Column)>,
}

/// Builds a [`CellClass`]; [`CellClassBuilder::build`] checks the criteria.
#[derive(Debug, Clone, Default)]
pub struct CellClassBuilder {
    name: Option<String>,
    criteria: Vec<(String, Criterion)>,
}

impl CellClassBuilder {
    /// Gives the class an explicit name (otherwise one is generated from its criteria).
    pub fn name(&mut self, name: impl Into<String>) -> &mut CellClassBuilder {
        self.name = Some(name.into());
        self
    }

    /// Adds a criterion on `column`: a value (`"sst"`, `5`, `true`, [`Scalar::Null`])
    /// means equality; see [`Criterion`] for the others.
    pub fn criterion(
        &mut self,
        column: impl Into<String>,
        criterion: impl Into<Criterion>,
    ) -> &mut CellClassBuilder {
        self.criteria.push((column.into(), criterion.into()));
        self
    }

    /// Adds `column <op> value`; comparisons on one column combine (all must hold).
    pub fn compare(
        &mut self,
        column: impl Into<String>,
        op: CompareOp,
        value: impl Into<Scalar>,
    ) -> &mut CellClassBuilder {
        let column = column.into();
        let value = value.into();
        let existing = self
            .criteria
            .iter_mut()
            .find_map(|(name, criterion)| match criterion {
                Criterion::Compare(list) if *name == column => Some(list),
                _ => None,
            });
        match existing {
            Some(list) => list.push((op, value)),
            None => self
                .criteria
                .push((column, Criterion::Compare(vec![(op, value)]))),
        }
        self
    }

    /// Checks the criteria and builds the class.
    ///
    /// # Errors
    ///
    /// An unknown column (the message lists close matches), a column holding JSON, a
    /// column given twice, alternatives naming a column twice, a NaN value, an empty or
    /// repeated comparison, a comparison against null, or an ordering comparison
    /// (`<`, `<=`, `>`, `>=`) between a text column and a number or a numeric column and
    /// text.
    pub fn build(&self) -> Result<CellClass> {
        let mut entries: Vec<Entry> = Vec::with_capacity(self.criteria.len());
        for (name, criterion) in &self.criteria {
            if entries.iter().any(|e| e.name == *name) {
                return Err(ErrorKind::DuplicateCriterion {
                    column: name.clone(),
                }
                .into());
            }
            entries.push(check_criterion(name, criterion.clone())?);
        }
        Ok(CellClass {
            name: self.name.clone(),
            entries,
        })
    }
}

/// Whether a column of this kind can be a criterion: JSON and arrays cannot be compared.
pub(crate) fn usable_kind(kind: ColumnKind) -> bool {
    !matches!(kind, ColumnKind::Object | ColumnKind::Array)
}

fn resolve_usable(name: &str) -> Result<(CellTable, &'static Column)> {
    let (table, column) = columns::resolve(name).ok_or_else(|| ErrorKind::UnknownColumn {
        column: name.to_string(),
        close_matches: synphys_schema::close_matches(name, columns::criterion_names()),
    })?;
    if !usable_kind(column.kind) {
        return Err(ErrorKind::UnsupportedColumn {
            column: column.qualified_name(),
            kind: column.kind,
        }
        .into());
    }
    Ok((table, column))
}

fn check_value(name: &str, value: &Scalar) -> Result<()> {
    if value.is_nan() {
        return Err(ErrorKind::NanValue {
            column: name.to_string(),
        }
        .into());
    }
    Ok(())
}

/// Validates one criterion on `name` and resolves the columns it reads.
pub(crate) fn check_criterion(name: &str, criterion: Criterion) -> Result<Entry> {
    let (table, column) = resolve_usable(name)?;
    let mut alternatives = Vec::new();
    match &criterion {
        Criterion::Equal(value) => check_value(name, value)?,
        Criterion::AnyOf { values, .. } => {
            for value in values {
                check_value(name, value)?;
            }
        }
        Criterion::Alternatives(list) => {
            for (i, (other, value)) in list.iter().enumerate() {
                if list[..i].iter().any(|(seen, _)| seen == other) {
                    return Err(ErrorKind::DuplicateAlternative {
                        criterion: name.to_string(),
                        column: other.clone(),
                    }
                    .into());
                }
                alternatives.push(resolve_usable(other)?);
                check_value(other, value)?;
            }
        }
        Criterion::Compare(list) => {
            if list.is_empty() {
                return Err(ErrorKind::EmptyComparison {
                    column: name.to_string(),
                }
                .into());
            }
            for (i, (op, value)) in list.iter().enumerate() {
                if list[..i].iter().any(|(seen, _)| seen == op) {
                    return Err(ErrorKind::DuplicateComparison {
                        column: name.to_string(),
                        op: *op,
                    }
                    .into());
                }
                check_value(name, value)?;
                if value.is_null() {
                    return Err(ErrorKind::NullComparison {
                        column: name.to_string(),
                        op: *op,
                    }
                    .into());
                }
                // Python raises TypeError when ordering text against numbers; we refuse
                // such a class up front rather than fail on the first cell.
                if op.is_ordering() && !value.fits(column.kind) {
                    let allowed = if column.kind == ColumnKind::Str {
                        "a text column orders against text"
                    } else {
                        "a numeric column orders against numbers or booleans"
                    };
                    return Err(ErrorKind::IncomparableValue {
                        column: name.to_string(),
                        kind: column.kind,
                        op: *op,
                        value_type: value.type_name(),
                        allowed,
                    }
                    .into());
                }
            }
        }
    }
    Ok(Entry {
        name: name.to_string(),
        table,
        column,
        criterion,
        alternatives,
    })
}

impl CellClass {
    /// A builder for a class.
    pub fn builder() -> CellClassBuilder {
        CellClassBuilder::default()
    }

    /// A class with an explicit name and already-checked criteria (used by class files).
    pub(crate) fn from_entries(name: Option<String>, entries: Vec<Entry>) -> CellClass {
        CellClass { name, entries }
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The name given when the class was built, if any.
    pub fn explicit_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The criteria in the order they were given: column name and criterion.
    pub fn criteria(&self) -> impl Iterator<Item = (&str, &Criterion)> + '_ {
        self.entries.iter().map(|e| (e.name.as_str(), &e.criterion))
    }

    /// The keyword (non-comparison) criterion on `column`.
    fn keyword(&self, column: &str) -> Option<&Criterion> {
        self.entries
            .iter()
            .find(|e| e.name == column && e.criterion.is_keyword())
            .map(|e| &e.criterion)
    }

    /// The keyword criterion on `column` unless it is absent or equality with null
    /// (the reference's `criteria.get(column) is not None`).
    fn given(&self, column: &str) -> Option<&Criterion> {
        self.keyword(column)
            .filter(|c| !matches!(c, Criterion::Equal(Scalar::Null)))
    }

    /// The display name: the explicit name if there is one, else the parts of
    /// [`CellClass::name_parts`] joined by spaces, exactly as the reference prints them
    /// (`"L2/3 pvalb"`, `"L5 pyr sim1"`, `"['sst', 'pvalb']"`).
    ///
    /// # Errors
    ///
    /// Without an explicit name, when `target_layer` is not a string (see
    /// [`CellClass::name_parts`]).
    pub fn name(&self) -> Result<Cow<'_, str>> {
        match &self.name {
            Some(name) => Ok(Cow::Borrowed(name)),
            None => Ok(Cow::Owned(self.name_parts()?.join(" "))),
        }
    }

    /// The parts a generated name is made of (the reference's `as_tuple`), in this
    /// order, each only when its criterion is given:
    ///
    /// 1. `L` + `target_layer`, or else `L` + `cortical_layer`;
    /// 2. `dendrite_type`;
    /// 3. `pyr` or `nonpyr` for `pyramidal`;
    /// 4. `cre_type`;
    /// 5. `t_type`.
    ///
    /// Values print as Python's `str()` prints them, which holds several surprises kept
    /// for compatibility:
    ///
    /// * lists print with brackets and quotes: `['sst', 'pvalb']`, a tuple as
    ///   `('sst', 'pvalb')` (one element: `('sst',)`), alternatives as a dict
    ///   `{'cre_type': 'sst', 'dendrite_type': 'aspiny'}`;
    /// * `target_layer` wins over `cortical_layer` even when both are given;
    /// * a null `target_layer`, `cortical_layer`, `cre_type` or `t_type` is left out, but a
    ///   null `dendrite_type` prints as `None`;
    /// * `pyramidal` prints by Python truth value: null, `0` and `""` give `nonpyr`;
    /// * a numeric `cortical_layer` prints as a number (`5` gives `L5`), but a
    ///   `target_layer` that is not a string is an error, as the reference raises
    ///   `TypeError` for it;
    /// * `cell_class`, comparisons and all other criteria do not appear, so a class of
    ///   `cell_class = "ex"` alone has the empty name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnnamableTargetLayer`] when `target_layer` is given and is not a
    /// string value, even if the class has an explicit name.
    pub fn name_parts(&self) -> Result<Vec<String>> {
        let mut parts = Vec::new();
        if let Some(target) = self.given("target_layer") {
            match target {
                Criterion::Equal(Scalar::Str(layer)) => parts.push(format!("L{layer}")),
                other => {
                    return Err(ErrorKind::UnnamableTargetLayer {
                        value: python_str(other),
                    }
                    .into());
                }
            }
        } else if let Some(layer) = self.given("cortical_layer") {
            parts.push(format!("L{}", python_str(layer)));
        }
        if let Some(dendrite) = self.keyword("dendrite_type") {
            parts.push(python_str(dendrite));
        }
        if let Some(pyramidal) = self.keyword("pyramidal") {
            parts.push(if truthy(pyramidal) { "pyr" } else { "nonpyr" }.to_string());
        }
        for column in ["cre_type", "t_type"] {
            if let Some(c) = self.given(column) {
                parts.push(python_str(c));
            }
        }
        Ok(parts)
    }

    /// Whether the class holds only excitatory cells (`Some(true)`), only inhibitory
    /// cells (`Some(false)`), or may hold both or cannot tell (`None`), inferred from its
    /// criteria exactly as the reference does.
    ///
    /// Evidence is collected from, in order:
    ///
    /// 1. `cre_type`: all values in [`EXCITATORY_CRE_TYPES`] → excitatory, else all in
    ///    [`INHIBITORY_CRE_TYPES`] → inhibitory, else no evidence;
    /// 2. `dendrite_type`: `spiny` → excitatory, `aspiny` or `sparsely spiny` →
    ///    inhibitory, null or absent → no evidence, **anything else → `None` at once**;
    /// 3. `cell_class`, then `cell_class_nonsynaptic`: `ex` → excitatory, `in` →
    ///    inhibitory, null or absent → no evidence, **`mixed` → `None` at once**,
    ///    anything else → an error.
    ///
    /// No evidence gives `None`; evidence all one way gives that way; disagreement gives
    /// `None`. Surprises kept for compatibility with the reference:
    ///
    /// * an **empty** `cre_type` list counts as excitatory (every one of no values is
    ///   an excitatory reporter);
    /// * a `cre_type` list mixing excitatory and inhibitory reporters, `unknown`, a
    ///   number or alternatives gives no evidence — it does not make the class mixed;
    /// * a `dendrite_type` other than the three (e.g. `"NA"`, or a list even of `spiny`
    ///   alone) ends the inference with `None` *before* `cell_class` is read, so an
    ///   invalid `cell_class` is then not reported;
    /// * likewise `cell_class = "mixed"` ends it before `cell_class_nonsynaptic` is
    ///   read, while `cell_class = "ex"` with an invalid `cell_class_nonsynaptic` is an
    ///   error;
    /// * `sparsely spiny` counts as inhibitory;
    /// * `pyramidal`, layers and comparisons are never evidence (`pyramidal = true`
    ///   with `cre_type = "nos1"` is inhibitory).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidCellClass`] when a `cell_class` or `cell_class_nonsynaptic`
    /// criterion reached by the inference is not `ex`, `in`, `mixed` or null (a list of
    /// them is invalid too), as the reference raises `ValueError`.
    ///
    /// ```
    /// use synphys_cellclass::{CellClass, Criterion};
    ///
    /// # fn main() -> Result<(), synphys_cellclass::Error> {
    /// let empty = CellClass::builder()
    ///     .criterion("cre_type", Criterion::any_of(Vec::<&str>::new()))
    ///     .build()?;
    /// assert_eq!(empty.is_excitatory()?, Some(true));
    ///
    /// let bogus = CellClass::builder().criterion("cell_class", "bogus").build()?;
    /// assert!(bogus.is_excitatory().is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_excitatory(&self) -> Result<Option<bool>> {
        let mut evidence: Vec<bool> = Vec::new();

        let cre: Vec<Option<&str>> = match self.keyword("cre_type") {
            Some(Criterion::AnyOf { values, .. }) => values.iter().map(as_str).collect(),
            Some(Criterion::Equal(value)) => vec![as_str(value)],
            // Absent, or alternatives: the reference wraps the value in a 1-tuple, and
            // neither None nor a dict is a reporter name.
            _ => vec![None],
        };
        let all_in = |list: &[&str]| cre.iter().all(|c| c.is_some_and(|c| list.contains(&c)));
        if all_in(&EXCITATORY_CRE_TYPES) {
            evidence.push(true);
        } else if all_in(&INHIBITORY_CRE_TYPES) {
            evidence.push(false);
        }

        match self.given("dendrite_type") {
            None => {}
            Some(Criterion::Equal(Scalar::Str(d))) if d == "spiny" => evidence.push(true),
            Some(Criterion::Equal(Scalar::Str(d))) if d == "aspiny" || d == "sparsely spiny" => {
                evidence.push(false)
            }
            Some(_) => return Ok(None),
        }

        for column in ["cell_class", "cell_class_nonsynaptic"] {
            match self.given(column) {
                None => {}
                Some(Criterion::Equal(Scalar::Str(c))) if c == "ex" => evidence.push(true),
                Some(Criterion::Equal(Scalar::Str(c))) if c == "in" => evidence.push(false),
                Some(Criterion::Equal(Scalar::Str(c))) if c == "mixed" => return Ok(None),
                Some(other) => {
                    return Err(ErrorKind::InvalidCellClass {
                        column,
                        value: python_repr(other),
                    }
                    .into());
                }
            }
        }

        if evidence.is_empty() {
            Ok(None)
        } else if evidence.iter().all(|&ex| ex) {
            Ok(Some(true))
        } else if evidence.iter().all(|&ex| !ex) {
            Ok(Some(false))
        } else {
            Ok(None)
        }
    }

    /// The synapse type cells of this class are expected to make: [`SynapseType::Ex`]
    /// when [`CellClass::is_excitatory`] is `Some(true)`, [`SynapseType::In`] when it is
    /// `Some(false)`, else `None`. Every surprise of `is_excitatory` carries over.
    ///
    /// # Errors
    ///
    /// As [`CellClass::is_excitatory`].
    pub fn output_synapse_type(&self) -> Result<Option<SynapseType>> {
        Ok(self
            .is_excitatory()?
            .map(|ex| if ex { SynapseType::Ex } else { SynapseType::In }))
    }
}

fn as_str(value: &Scalar) -> Option<&str> {
    match value {
        Scalar::Str(s) => Some(s),
        _ => None,
    }
}

/// Python's `str()` of a keyword criterion's value.
pub(crate) fn python_str(criterion: &Criterion) -> String {
    match criterion {
        Criterion::Equal(value) => python::str(value),
        other => python_repr(other),
    }
}

/// Python's `repr()` of a keyword criterion's value.
fn python_repr(criterion: &Criterion) -> String {
    match criterion {
        Criterion::Equal(value) => python::repr(value),
        Criterion::AnyOf { values, style } => {
            python::sequence(values, *style == SequenceStyle::Tuple)
        }
        Criterion::Alternatives(list) => python::dict(list),
        // Comparisons are never keyword criteria; print them readably all the same.
        Criterion::Compare(list) => list
            .iter()
            .map(|(op, v)| format!("{op} {}", python::repr(v)))
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

/// Python's truth value of a keyword criterion's value.
fn truthy(criterion: &Criterion) -> bool {
    match criterion {
        Criterion::Equal(value) => value.truthy(),
        Criterion::AnyOf { values, .. } => !values.is_empty(),
        Criterion::Alternatives(list) => !list.is_empty(),
        Criterion::Compare(list) => !list.is_empty(),
    }
}
