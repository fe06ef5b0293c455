//! Cell classes for the Synaptic Physiology Dataset: define groups of cells by criteria
//! on their columns, infer whether a class is excitatory or inhibitory, test membership
//! in memory or filter inside the database, and read classes from TOML files.
//!
//! # Example: the tutorial's four layer 2/3 classes
//!
//! ```
//! use synphys_cellclass::{CellClass, CellRecord, CellTable, ClassSet, SynapseType};
//!
//! # fn main() -> Result<(), synphys_cellclass::Error> {
//! let l23 = |name: &str, column: &str, value: &str| {
//!     CellClass::builder()
//!         .name(name)
//!         .criterion(column, value)
//!         .criterion("cortical_layer", "2/3")
//!         .build()
//! };
//! let classes = ClassSet::new([
//!     l23("L2/3 Excit.", "cell_class", "ex")?,
//!     l23("L2/3 Pvalb", "cre_type", "pvalb")?,
//!     l23("L2/3 Sst", "cre_type", "sst")?,
//!     l23("L2/3 Vip", "cre_type", "vip")?,
//! ])?;
//! assert_eq!(classes.get(2).map(|c| c.output_synapse_type()), Some(Ok(Some(SynapseType::In))));
//!
//! // A cell's values, keyed by table and column; a cell without a linked row (here no
//! // cortical location for the third cell) has nulls there, which match nothing.
//! let cells = [
//!     CellRecord::new()
//!         .with(CellTable::Cell, "cre_type", "sst")
//!         .with(CellTable::CorticalCellLocation, "cortical_layer", "2/3"),
//!     CellRecord::new()
//!         .with(CellTable::Cell, "cell_class", "ex")
//!         .with(CellTable::CorticalCellLocation, "cortical_layer", "2/3"),
//!     CellRecord::new().with(CellTable::Cell, "cre_type", "vip"),
//! ];
//! let found: Vec<Option<String>> = cells
//!     .iter()
//!     .map(|cell| classes.classify(cell).and_then(|i| classes.names().nth(i)))
//!     .collect();
//! assert_eq!(found, [Some("L2/3 Sst".to_string()), Some("L2/3 Excit.".to_string()), None]);
//! # Ok(())
//! # }
//! ```
//!
//! The same four classes are the preset `tutorial-l23`: `ClassSet::preset("tutorial-l23")`.
//!
//! # Criteria
//!
//! A criterion names a column of `cell`, `morphology`, `patch_seq`, `intrinsic` or
//! `cortical_cell_location` by its bare name (`cre_type`, `dendrite_type`,
//! `cortical_layer`, `fractional_layer_depth`, …); an unknown name is an error that
//! suggests close matches. It is one of ([`Criterion`]):
//!
//! * a value — equality (null selects cells whose value is null);
//! * a list — any of the values;
//! * a map of alternatives — any of several `column == value` equalities;
//! * comparisons `<`, `<=`, `>`, `>=`, `==`, `!=` against a value — all must hold.
//!
//! A cell must meet every criterion; a class without criteria holds every cell. Names
//! ([`CellClass::name`]) and excitatory/inhibitory inference
//! ([`CellClass::is_excitatory`]) reproduce the reference package exactly, surprises
//! included; each surprise is listed on those methods.
//!
//! ```
//! use synphys_cellclass::{CellClass, CompareOp, Criterion};
//!
//! # fn main() -> Result<(), synphys_cellclass::Error> {
//! let deep_inhibitory = CellClass::builder()
//!     .criterion("cre_type", Criterion::any_of(["sst", "pvalb"]))
//!     .criterion("cortical_layer", "2/3")
//!     .compare("fractional_layer_depth", CompareOp::Ge, 0.5)
//!     .build()?;
//! assert_eq!(deep_inhibitory.name()?, "L2/3 ('sst', 'pvalb')");
//! assert_eq!(deep_inhibitory.is_excitatory()?, Some(false));
//!
//! let typo = CellClass::builder().criterion("cre_typ", "sst").build().unwrap_err();
//! assert!(typo.to_string().contains("did you mean cre_type"));
//! # Ok(())
//! # }
//! ```
//!
//! # Class files
//!
//! A class file is TOML: an ordered list of `[[class]]` tables. Each has an optional
//! `name` (generated from the criteria when absent, as [`CellClass::name`] describes)
//! and one key per criterion column:
//!
//! ```toml
//! [[class]]
//! name = "L2/3 Pvalb"
//! cre_type = "pvalb"                  # equality: a string, integer, float or boolean
//! cortical_layer = "2/3"
//!
//! [[class]]
//! name = "L4 pyramidal"
//! cre_type = ["nr5a1", "rorb"]        # any of (a generated name prints a Python tuple)
//! cortical_layer = { list = ["4"] }   # any of, printed as a Python list: ['4']
//!
//! [[class]]
//! name = "deep inhibitory"
//! cell_class = { any_of = { cell_class = "in", dendrite_type = "aspiny" } }
//! fractional_layer_depth = { ">=" = 0.5, "<" = 0.9 }   # comparisons, all must hold
//!
//! [[class]]
//! name = "no morphology"
//! dendrite_type = { null = true }     # null: the value is missing
//! ```
//!
//! A value inside an array or `any_of` may also be `{ null = true }`. Comparison keys are
//! `"<"`, `"<="`, `">"`, `">="`, `"=="`, `"!="` (or `lt`, `le`, `gt`, `ge`, `eq`, `ne`).
//! Names must differ. Errors give the line
//! and column and say what was expected there:
//!
//! ```
//! use synphys_cellclass::ClassSet;
//!
//! # fn main() -> Result<(), synphys_cellclass::Error> {
//! let classes = ClassSet::from_toml(
//!     r#"
//! [[class]]
//! name = "L5 et"
//! cre_type = ["sim1", "fam84b"]
//! cortical_layer = "5"
//! "#,
//! )?;
//! assert_eq!(classes.len(), 1);
//! // Print a set back as a class file, e.g. to start from a preset.
//! assert_eq!(ClassSet::from_toml(&classes.to_toml())?, classes);
//!
//! let err = ClassSet::from_toml("[[class]]\ncortical_layer = 2023-01-01\n").unwrap_err();
//! assert_eq!(err.line(), Some(2));
//! assert!(err.to_string().contains("expected a string, integer, float or boolean"));
//! # Ok(())
//! # }
//! ```
//!
//! # Presets
//!
//! The tutorial's sets are built in ([`Preset`]): `tutorial-l23` (L2/3 Excit., Pvalb, Sst,
//! Vip), `broad` (Excit., Pvalb, Sst, Vip), `mouse-layers` (the 17 classes l23pyr …
//! l6vip), `ei` (`cell_class_nonsynaptic` ex / in) and `human-layers` (excitatory cells
//! of L2 … L6).
//!
//! # Example: filtering in the database
//!
//! [`CellClass::sql_condition`] gives a sea-query condition on a cell's tables under
//! the aliases the pair query uses (`pre_cell`, `pre_morphology`, … or `post_…`); values
//! are bound parameters. It selects exactly the cells [`CellClass::contains`] accepts.
//!
//! ```
//! use sea_query::{Alias, Query, SqliteQueryBuilder};
//! use synphys_cellclass::{CellTableAliases, ClassSet};
//!
//! # fn main() -> Result<(), synphys_cellclass::Error> {
//! let classes = ClassSet::preset("broad")?;
//! let pvalb = &classes.classes()[1];
//! let (sql, values) = Query::select()
//!     .column((Alias::new("post_cell"), Alias::new("id")))
//!     .from_as(Alias::new("cell"), Alias::new("post_cell"))
//!     .cond_where(pvalb.sql_condition(&CellTableAliases::post()))
//!     .build(SqliteQueryBuilder);
//! assert!(sql.ends_with(r#"WHERE "post_cell"."cre_type" = ?"#));
//! assert_eq!(values.0, [sea_query::Value::String(Some("pvalb".into()))]);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: classifying pair results
//!
//! Rows of pair results name their columns `pre_cell.cre_type`,
//! `post_cortical_cell_location.cortical_layer` and so on. [`ClassSet::classify_pairs`]
//! gives each row the index of the first class its presynaptic cell belongs to and that
//! of its postsynaptic cell. Any row type implementing [`PairRow`] works; maps from
//! column name to value do.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod class;
mod columns;
mod criterion;
mod error;
mod file;
mod frame;
mod membership;
mod presets;
mod python;
mod scalar;
mod set;
mod sql;

pub use class::{
    CellClass, CellClassBuilder, EXCITATORY_CRE_TYPES, INHIBITORY_CRE_TYPES, SynapseType,
};
pub use columns::CellTable;
pub use criterion::{CompareOp, Criterion, SequenceStyle};
pub use error::{Error, ErrorKind, Result};
pub use frame::PairRow;
pub use membership::{CellAttributes, CellRecord};
pub use presets::Preset;
pub use scalar::Scalar;
pub use set::ClassSet;
pub use sql::CellTableAliases;

// The README's example is compiled and run as a doc test so it cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
