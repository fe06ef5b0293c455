//! Reading a database into [`NetworkPriors`].

use std::collections::HashSet;

use synphys_cellclass::ClassSet;
use synphys_connectivity::{
    ConnectionProbability, ConnectivityPrior, DistanceMeasure, DistanceModelKind,
    PreferredAdjustment, SummaryOptions,
};
use synphys_query::{
    ClassAssignment, ConnectivityMatrix, ConnectivityOptions, DEFAULT_SIGMA_M, Frame, PairQuery,
    Preload, SynphysDb,
};

use crate::error::{ErrorKind, Result};
use crate::priors::{
    ClassPairPrior, ClassSetInfo, DatabaseInfo, FORMAT, NetworkPriors, PairGrouping, PriorsOptions,
    VERSION,
};
use crate::summary::{
    DynamicsSummary, GapJunctionPrior, Quartiles, ReleaseModelSummary, RestingStateSummary,
    SynapseSummary,
};

/// Builds [`NetworkPriors`] for every (pre, post) pair of a class set.
///
/// Defaults are the `synphys priors` command's: every pair of the database, α = 0.05,
/// distance adjustment on lateral distance with σ = 100 µm (the scaled estimate), a
/// Gaussian profile fit, membership grouping.
///
/// ```
/// use synphys_cellclass::ClassSet;
/// use synphys_priors::PriorsBuilder;
/// use synphys_query::SynphysDb;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
/// let classes = ClassSet::preset("ei")?;
/// let priors = PriorsBuilder::new(&db, &classes)
///     .pairs(db.pair_query().species("mouse"))
///     .sigma_m(120e-6)
///     .build()?;
/// assert_eq!(priors.pairs.len(), classes.len() * classes.len());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct PriorsBuilder<'a> {
    db: &'a SynphysDb,
    classes: &'a ClassSet,
    pairs: Option<PairQuery<'a>>,
    options: PriorsOptions,
}

impl<'a> PriorsBuilder<'a> {
    /// Priors of `db`'s pairs grouped by `classes` (both pre and post).
    pub fn new(db: &'a SynphysDb, classes: &'a ClassSet) -> PriorsBuilder<'a> {
        PriorsBuilder {
            db,
            classes,
            pairs: None,
            options: PriorsOptions {
                alpha: 0.05,
                sigma_m: DEFAULT_SIGMA_M,
                distance_measure: DistanceMeasure::Lateral,
                fit_model: Some(DistanceModelKind::Gaussian),
                adjusted_estimate: PreferredAdjustment::Scaled,
                grouping: PairGrouping::Membership,
                synapse_pairs: "connected".to_string(),
            },
        }
    }

    /// Only the pairs this query selects (its filters; the builder adds the cell and
    /// synapse preloads it needs).
    pub fn pairs(mut self, query: PairQuery<'a>) -> PriorsBuilder<'a> {
        self.pairs = Some(query);
        self
    }

    /// Intervals at level `1 − alpha`, `alpha` in (0, 1).
    pub fn alpha(mut self, alpha: f64) -> PriorsBuilder<'a> {
        self.options.alpha = alpha;
        self
    }

    /// Width of the distance adjustment's Gaussian profile, metres (> 0).
    pub fn sigma_m(mut self, sigma_m: f64) -> PriorsBuilder<'a> {
        self.options.sigma_m = sigma_m;
        self
    }

    /// The distance the adjustment and fits use.
    pub fn distance_measure(mut self, measure: DistanceMeasure) -> PriorsBuilder<'a> {
        self.options.distance_measure = measure;
        self
    }

    /// The distance model fitted per class pair, or `None` for no fit.
    pub fn fit_model(mut self, model: Option<DistanceModelKind>) -> PriorsBuilder<'a> {
        self.options.fit_model = model;
        self
    }

    /// Which adjusted estimate the connectivity records carry.
    pub fn adjusted_estimate(mut self, preferred: PreferredAdjustment) -> PriorsBuilder<'a> {
        self.options.adjusted_estimate = preferred;
        self
    }

    /// How pairs are grouped into class pairs.
    pub fn grouping(mut self, grouping: PairGrouping) -> PriorsBuilder<'a> {
        self.options.grouping = grouping;
        self
    }

    /// Runs the query and summarises every class pair.
    ///
    /// # Errors
    ///
    /// An invalid option, a failed query, a class whose synapse type cannot be inferred,
    /// or a failed statistic.
    pub fn build(self) -> Result<NetworkPriors> {
        let options = self.options;
        if !(options.alpha > 0.0 && options.alpha < 1.0) {
            return Err(invalid("alpha", options.alpha, "in (0, 1)"));
        }
        if !(options.sigma_m.is_finite() && options.sigma_m > 0.0) {
            return Err(invalid(
                "sigma_m",
                options.sigma_m,
                "finite and > 0 (metres)",
            ));
        }
        let frame = self
            .pairs
            .unwrap_or_else(|| self.db.pair_query())
            .preload(Preload::Cell)
            .preload(Preload::Synapse)
            .frame()?;
        let mut summary = SummaryOptions::new()
            .alpha(options.alpha)
            .sigma(options.sigma_m)
            .distance(options.distance_measure);
        if let Some(model) = options.fit_model {
            summary = summary.fit(model);
        }
        let grouping = options.grouping.into();
        let matrix = ConnectivityMatrix::new(
            &frame,
            self.classes,
            self.classes,
            &ConnectivityOptions::new()
                .summary(summary)
                .grouping(grouping),
        )?;
        let n = self.classes.len();
        let groups =
            ClassAssignment::new(&frame, self.classes, self.classes, grouping)?.groups(n, n);
        let columns = PairColumns::read(&frame, &gap_junction_pairs(self.db)?)?;
        let mut pairs = Vec::with_capacity(n * n);
        for (i, row) in groups.iter().enumerate() {
            for (j, rows) in row.iter().enumerate() {
                let Some(group) = matrix.get(i, j) else {
                    continue;
                };
                let connectivity =
                    ConnectivityPrior::from_summary(group, options.adjusted_estimate);
                pairs.push(columns.class_pair(&frame, connectivity, rows, options.alpha)?);
            }
        }
        let metadata = self.db.metadata();
        Ok(NetworkPriors {
            format: FORMAT.to_string(),
            version: VERSION,
            database: DatabaseInfo {
                origin: metadata.origin.clone(),
                db_version: metadata.db_version.clone(),
                creation_date: metadata.creation_date.clone(),
            },
            class_set: ClassSetInfo {
                classes: self.classes.names().collect(),
                definition_toml: self.classes.to_toml(),
            },
            options,
            pairs,
        })
    }
}

fn invalid(name: &'static str, value: f64, allowed: &'static str) -> crate::Error {
    ErrorKind::InvalidOption {
        name,
        value,
        allowed,
    }
    .into()
}

/// Ids of the pairs with a `gap_junction` row (empty when the file has no such table).
fn gap_junction_pairs(db: &SynphysDb) -> Result<HashSet<i64>> {
    if !db.has_table("gap_junction")? {
        return Ok(HashSet::new());
    }
    let frame = db.sql("SELECT DISTINCT pair_id FROM gap_junction WHERE pair_id IS NOT NULL")?;
    Ok(frame.i64s("pair_id")?.iter().flatten().copied().collect())
}

/// The per-row flags every class pair reads.
struct PairColumns {
    has_synapse: Vec<bool>,
    excitatory: Vec<bool>,
    inhibitory: Vec<bool>,
    gap_junction_probed: Vec<bool>,
    has_electrical: Vec<bool>,
}

impl PairColumns {
    fn read(frame: &Frame, gap_junction_pairs: &HashSet<i64>) -> Result<PairColumns> {
        let flags = |name| -> Result<Vec<bool>> {
            Ok(frame
                .bools(name)?
                .iter()
                .map(|b| b.unwrap_or(false))
                .collect())
        };
        let types = frame.strs("synapse.synapse_type")?;
        let typed = |t: &str| {
            (0..frame.n_rows())
                .map(|r| types.get(r) == Some(t))
                .collect()
        };
        Ok(PairColumns {
            has_synapse: flags("pair.has_synapse")?,
            excitatory: typed("ex"),
            inhibitory: typed("in"),
            gap_junction_probed: frame
                .i64s("pair.id")?
                .iter()
                .map(|id| id.is_some_and(|id| gap_junction_pairs.contains(&id)))
                .collect(),
            has_electrical: flags("pair.has_electrical")?,
        })
    }

    fn class_pair(
        &self,
        frame: &Frame,
        connectivity: ConnectivityPrior,
        rows: &[usize],
        alpha: f64,
    ) -> Result<ClassPairPrior> {
        let connected: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| self.has_synapse[r])
            .collect();
        let count = |flags: &[bool]| connected.iter().filter(|&&r| flags[r]).count() as u64;
        let summarise = |column: &'static str| -> Result<Quartiles> {
            let values = frame.numbers(column)?;
            let selected: Vec<f64> = connected
                .iter()
                .filter_map(|&r| values.get(r).copied().flatten())
                .collect();
            Ok(Quartiles::of(&selected))
        };
        let probed: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| self.gap_junction_probed[r])
            .collect();
        let n_gap = probed.iter().filter(|&&r| self.has_electrical[r]).count() as u64;
        let gap = ConnectionProbability::new(n_gap, probed.len() as u64, alpha)?;
        Ok(ClassPairPrior {
            pre_class: connectivity.pre_class.clone(),
            post_class: connectivity.post_class.clone(),
            n_synapses: connected.len() as u64,
            n_excitatory: count(&self.excitatory),
            n_inhibitory: count(&self.inhibitory),
            synapse: SynapseSummary::from_columns(summarise)?,
            resting_state: RestingStateSummary::from_columns(summarise)?,
            dynamics: DynamicsSummary::from_columns(summarise)?,
            release_model: ReleaseModelSummary::from_columns(summarise)?,
            gap_junction: GapJunctionPrior {
                n_probed: gap.n_probed,
                n_gap_junctions: gap.n_connected,
                probability: gap.estimate.is_finite().then_some(gap.estimate),
                ci_lower: gap.lower,
                ci_upper: gap.upper,
            },
            connectivity,
        })
    }
}
