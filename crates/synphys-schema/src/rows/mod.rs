//! Typed rows of the tables analysts and the other crates use.
//!
//! Each struct has one public field per column, named as the column, in the catalogue's
//! order; nullable columns are `Option`s. Every table's `id` is never null; every other
//! column may be, because the files the Python package writes leave any of them null.

mod field;
#[macro_use]
mod macros;

mod baseline;
mod cell;
mod conductance;
mod cortical_cell_location;
mod dynamics;
mod experiment;
mod gap_junction;
mod intrinsic;
mod morphology;
mod multi_patch_probe;
mod pair;
mod patch_clamp_recording;
mod patch_seq;
mod poly_synapse;
mod pulse_response;
mod pulse_response_fit;
mod recording;
mod resting_state_fit;
mod slice;
mod stim_pulse;
mod synapse;
mod synapse_model;
mod synapse_prediction;
mod sync_rec;

pub use baseline::Baseline;
pub use cell::Cell;
pub use conductance::Conductance;
pub use cortical_cell_location::CorticalCellLocation;
pub use dynamics::Dynamics;
pub use experiment::Experiment;
pub use field::FieldValue;
pub use gap_junction::GapJunction;
pub use intrinsic::Intrinsic;
pub use morphology::Morphology;
pub use multi_patch_probe::MultiPatchProbe;
pub use pair::Pair;
pub use patch_clamp_recording::PatchClampRecording;
pub use patch_seq::PatchSeq;
pub use poly_synapse::PolySynapse;
pub use pulse_response::PulseResponse;
pub use pulse_response_fit::PulseResponseFit;
pub use recording::Recording;
pub use resting_state_fit::RestingStateFit;
pub use slice::Slice;
pub use stim_pulse::StimPulse;
pub use synapse::Synapse;
pub use synapse_model::SynapseModel;
pub use synapse_prediction::SynapsePrediction;
pub use sync_rec::SyncRec;

use crate::{Result, Value};

/// The tables that have a typed row type in this crate: the experiment hierarchy,
/// per-cell and per-pair results, then the per-event tables.
pub const ROW_TABLES: &[&str] = &[
    Slice::TABLE,
    Experiment::TABLE,
    Cell::TABLE,
    Pair::TABLE,
    Morphology::TABLE,
    CorticalCellLocation::TABLE,
    Intrinsic::TABLE,
    PatchSeq::TABLE,
    Synapse::TABLE,
    RestingStateFit::TABLE,
    Dynamics::TABLE,
    SynapseModel::TABLE,
    SynapsePrediction::TABLE,
    GapJunction::TABLE,
    Conductance::TABLE,
    PolySynapse::TABLE,
    SyncRec::TABLE,
    Recording::TABLE,
    PatchClampRecording::TABLE,
    MultiPatchProbe::TABLE,
    StimPulse::TABLE,
    PulseResponse::TABLE,
    PulseResponseFit::TABLE,
    Baseline::TABLE,
];

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
