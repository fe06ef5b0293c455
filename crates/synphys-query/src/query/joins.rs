//! The pair query's tables: which table each alias names, how it is joined, and which
//! preload returns its columns (DESIGN §4).

use crate::query::Preload;

/// How a table joins the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JoinKind {
    /// The query's root, `pair`.
    Root,
    /// Inner join: a pair without this row is dropped.
    Inner,
    /// Left outer join: a missing row gives nulls.
    Outer,
}

/// One aliased table of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Joined {
    pub(crate) alias: &'static str,
    pub(crate) table: &'static str,
    pub(crate) join: JoinKind,
    /// `alias.column = other_alias.other_column`: the join condition.
    pub(crate) on: (&'static str, &'static str, &'static str),
    pub(crate) preload: Option<Preload>,
}

const fn joined(
    alias: &'static str,
    table: &'static str,
    join: JoinKind,
    on: (&'static str, &'static str, &'static str),
    preload: Option<Preload>,
) -> Joined {
    Joined {
        alias,
        table,
        join,
        on,
        preload,
    }
}

use JoinKind::{Inner, Outer, Root};

/// Every table of the pair query in join order (a table joins only aliases before it),
/// which is also the order of the result's columns within a preload.
pub(crate) const TABLES: &[Joined] = &[
    joined("pair", "pair", Root, ("", "", ""), None),
    joined(
        "pre_cell",
        "cell",
        Inner,
        ("id", "pair", "pre_cell_id"),
        Some(Preload::Cell),
    ),
    joined(
        "post_cell",
        "cell",
        Inner,
        ("id", "pair", "post_cell_id"),
        Some(Preload::Cell),
    ),
    joined(
        "pre_morphology",
        "morphology",
        Outer,
        ("cell_id", "pre_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "post_morphology",
        "morphology",
        Outer,
        ("cell_id", "post_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "pre_patch_seq",
        "patch_seq",
        Outer,
        ("cell_id", "pre_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "post_patch_seq",
        "patch_seq",
        Outer,
        ("cell_id", "post_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "pre_intrinsic",
        "intrinsic",
        Outer,
        ("cell_id", "pre_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "post_intrinsic",
        "intrinsic",
        Outer,
        ("cell_id", "post_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "pre_cortical_cell_location",
        "cortical_cell_location",
        Outer,
        ("cell_id", "pre_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "post_cortical_cell_location",
        "cortical_cell_location",
        Outer,
        ("cell_id", "post_cell", "id"),
        Some(Preload::Cell),
    ),
    joined(
        "experiment",
        "experiment",
        Inner,
        ("id", "pair", "experiment_id"),
        Some(Preload::Experiment),
    ),
    joined(
        "slice",
        "slice",
        Outer,
        ("id", "experiment", "slice_id"),
        Some(Preload::Experiment),
    ),
    joined(
        "synapse",
        "synapse",
        Outer,
        ("pair_id", "pair", "id"),
        Some(Preload::Synapse),
    ),
    joined(
        "synapse_prediction",
        "synapse_prediction",
        Outer,
        ("pair_id", "pair", "id"),
        Some(Preload::SynapsePrediction),
    ),
    joined(
        "dynamics",
        "dynamics",
        Outer,
        ("pair_id", "pair", "id"),
        Some(Preload::Synapse),
    ),
    joined(
        "resting_state_fit",
        "resting_state_fit",
        Outer,
        ("synapse_id", "synapse", "id"),
        Some(Preload::Synapse),
    ),
    joined(
        "synapse_model",
        "synapse_model",
        Outer,
        ("pair_id", "pair", "id"),
        Some(Preload::Synapse),
    ),
    // Joined as the reference does, though no preload returns its columns (DESIGN §4
    // lists none); its columns can still be filtered on.
    joined(
        "conductance",
        "conductance",
        Outer,
        ("synapse_id", "synapse", "id"),
        None,
    ),
];

/// The joined table with this alias.
pub(crate) fn by_alias(alias: &str) -> Option<&'static Joined> {
    TABLES.iter().find(|t| t.alias == alias)
}

/// Every alias, for suggestions.
pub(crate) fn aliases() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.alias)
}
