//! From pair-query frames to the plain records `synphys-connectivity` summarises.

use synphys_cellclass::{ClassSet, SynapseType};
use synphys_connectivity::{
    ClassPair, DistanceMeasure, GroupSummary, OutputType, PairRecord, SummaryOptions,
    measure_connectivity, pair_was_probed,
};

use crate::error::Result;
use crate::frame::Frame;
use crate::matrix::{ClassAssignment, Grouping};

/// The chemical-synapse width of the distance adjustment (DESIGN §6): 100 µm.
pub const DEFAULT_SIGMA_M: f64 = 100e-6;

fn connectivity_type(output: Option<SynapseType>) -> Option<OutputType> {
    output.map(|t| match t {
        SynapseType::Ex => OutputType::Excitatory,
        SynapseType::In => OutputType::Inhibitory,
    })
}

/// Each row of a pair-query frame as a [`PairRecord`]: cell ids, 3-D and lateral
/// distances (NaN when null), `connected` from `pair.has_synapse`, `gap_junction` from
/// `pair.has_electrical`, and `probed` by DESIGN §6's rule for a presynaptic class
/// whose output synapse type is `output` (`None`: unknown or mixed, both test-spike
/// counts must exceed 10). A null count reads as 0 (not probed), a null flag as false.
///
/// `gap_junction_probed` stays false: the reference decides it from the electrodes'
/// long-pulse recordings, which pair-query frames do not hold.
///
/// # Errors
///
/// When a `pair.*` column is missing or of the wrong type.
pub fn pair_records(frame: &Frame, output: Option<SynapseType>) -> Result<Vec<PairRecord>> {
    let ids = |name| -> Result<Vec<u64>> {
        Ok(frame
            .i64s(name)?
            .iter()
            .map(|id| id.and_then(|i| u64::try_from(i).ok()).unwrap_or(0))
            .collect())
    };
    let counts = |name| -> Result<Vec<u32>> {
        Ok(frame
            .i64s(name)?
            .iter()
            .map(|n| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
            .collect())
    };
    let (pre, post) = (ids("pair.pre_cell_id")?, ids("pair.post_cell_id")?);
    let (n_ex, n_in) = (
        counts("pair.n_ex_test_spikes")?,
        counts("pair.n_in_test_spikes")?,
    );
    let synapse = frame.bools("pair.has_synapse")?;
    let electrical = frame.bools("pair.has_electrical")?;
    let distance = frame.f64s("pair.distance")?;
    let lateral = frame.f64s("pair.lateral_distance")?;
    let vertical = frame.f64s("pair.vertical_distance")?;
    let synapse_type = connectivity_type(output);
    Ok((0..frame.n_rows())
        .map(|r| {
            let mut record = PairRecord::new(pre[r], post[r]);
            record.distance_m = distance[r].unwrap_or(f64::NAN);
            record.lateral_distance_m = lateral[r].unwrap_or(f64::NAN);
            record.vertical_distance_m = vertical[r].unwrap_or(f64::NAN);
            record.probed = pair_was_probed(n_ex[r], n_in[r], synapse_type);
            record.connected = synapse[r].unwrap_or(false);
            record.gap_junction = electrical[r].unwrap_or(false);
            record
        })
        .collect())
}

/// What [`ConnectivityMatrix::new`] computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConnectivityOptions {
    summary: SummaryOptions,
    grouping: Grouping,
}

impl Default for ConnectivityOptions {
    fn default() -> ConnectivityOptions {
        ConnectivityOptions {
            summary: SummaryOptions::new()
                .sigma(DEFAULT_SIGMA_M)
                .distance(DistanceMeasure::Lateral),
            grouping: Grouping::Membership,
        }
    }
}

impl ConnectivityOptions {
    /// The tutorial's matrix: membership grouping, distance adjustment on lateral
    /// distance with σ = 100 µm, α = 0.05 (plus the exact profile-likelihood pmax).
    pub fn new() -> ConnectivityOptions {
        ConnectivityOptions::default()
    }

    /// The per-group statistics (alpha, σ, distance measure, fits; see
    /// [`SummaryOptions`]).
    pub fn summary(mut self, summary: SummaryOptions) -> ConnectivityOptions {
        self.summary = summary;
        self
    }

    /// How rows are assigned to class pairs.
    pub fn grouping(mut self, grouping: Grouping) -> ConnectivityOptions {
        self.grouping = grouping;
        self
    }
}

/// Connectivity summaries for every (pre class, post class) of a frame.
///
/// ```
/// use synphys_query::{ConnectivityMatrix, ConnectivityOptions, Preload, SynphysDb};
/// use synphys_cellclass::ClassSet;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite");
/// let db = SynphysDb::open(path)?;
/// let frame = db.pair_query().species("mouse").preload(Preload::Cell).frame()?;
/// let classes = ClassSet::preset("broad")?;
/// let matrix = ConnectivityMatrix::new(&frame, &classes, &classes, &ConnectivityOptions::new())?;
/// let excit = matrix.get(0, 0).ok_or("no cell")?;
/// println!(
///     "Excit. → Excit.: {} of {} probed pairs connected",
///     excit.connection.n_connected, excit.connection.n_probed
/// );
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectivityMatrix {
    pre_names: Vec<String>,
    post_names: Vec<String>,
    summaries: Vec<GroupSummary>,
}

impl ConnectivityMatrix {
    /// Groups the frame's pairs by class pair, decides which were probed from each
    /// presynaptic class's output synapse type, and summarises each group with
    /// [`measure_connectivity`]. The frame needs the `pair.*` columns and the cell
    /// columns the classes read ([`crate::Preload::Cell`]).
    ///
    /// # Errors
    ///
    /// Missing columns, a class whose synapse type cannot be inferred, or a failed
    /// statistic.
    pub fn new(
        frame: &Frame,
        pre_classes: &ClassSet,
        post_classes: &ClassSet,
        options: &ConnectivityOptions,
    ) -> Result<ConnectivityMatrix> {
        let assignment = ClassAssignment::new(frame, pre_classes, post_classes, options.grouping)?;
        let groups = assignment.groups(pre_classes.len(), post_classes.len());
        // Records depend on the presynaptic class only through its output type.
        let mut by_type: Vec<(Option<SynapseType>, Vec<PairRecord>)> = Vec::new();
        let mut keyed: Vec<(ClassPair, Vec<PairRecord>)> = Vec::new();
        let pre_names: Vec<String> = pre_classes.names().collect();
        let post_names: Vec<String> = post_classes.names().collect();
        for (i, class) in pre_classes.iter().enumerate() {
            let output = class.output_synapse_type()?;
            let records = match by_type.iter().position(|(t, _)| *t == output) {
                Some(k) => &by_type[k].1,
                None => {
                    by_type.push((output, pair_records(frame, output)?));
                    &by_type[by_type.len() - 1].1
                }
            };
            for (j, post_name) in post_names.iter().enumerate() {
                let group = groups[i][j].iter().map(|&r| records[r]).collect();
                keyed.push((
                    ClassPair::new(pre_names[i].clone(), post_name.clone()),
                    group,
                ));
            }
        }
        let summaries = measure_connectivity(
            keyed
                .iter()
                .map(|(k, records)| (k.clone(), records.as_slice())),
            &options.summary,
        )?;
        Ok(ConnectivityMatrix {
            pre_names,
            post_names,
            summaries,
        })
    }

    /// Presynaptic class names (rows).
    pub fn pre_names(&self) -> &[String] {
        &self.pre_names
    }

    /// Postsynaptic class names (columns).
    pub fn post_names(&self) -> &[String] {
        &self.post_names
    }

    /// The summary of pre class `pre` → post class `post`.
    pub fn get(&self, pre: usize, post: usize) -> Option<&GroupSummary> {
        if post >= self.post_names.len() {
            return None;
        }
        self.summaries.get(pre * self.post_names.len() + post)
    }

    /// Every summary, row by row (pre class), then by post class.
    pub fn summaries(&self) -> &[GroupSummary] {
        &self.summaries
    }
}
