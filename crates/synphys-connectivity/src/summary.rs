//! Per-class-pair connectivity summaries (the reference's `measure_connectivity`) and
//! reciprocal connectivity.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, check_alpha};
use crate::fit::{AnyDistanceModel, DistanceModelKind, Fit, FitOptions};
use crate::models::Kernel;
use crate::probability::ConnectionProbability;
use crate::profile::{
    AdjustedConnectivity, DistanceProfile, ExactPmax, check_edges, scaled_adjustment,
};

/// Which distance between the two cells of a pair a statistic uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceMeasure {
    /// Euclidean distance between the somata.
    Distance3d,
    /// Distance parallel to the cortical surface (the depth axis ignored).
    Lateral,
    /// Distance perpendicular to the cortical surface (along the depth axis only).
    Vertical,
}

/// One ordered pair of cells (pre → post) of a class-pair group, as plain numbers.
///
/// Build it with [`PairRecord::new`] and set the fields the data has: unknown distances
/// stay NaN, flags false.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairRecord {
    /// Presynaptic cell id.
    pub pre_cell: u64,
    /// Postsynaptic cell id.
    pub post_cell: u64,
    /// Distance between the somata (metres); NaN when unknown.
    #[serde(with = "crate::serde_nan")]
    pub distance_m: f64,
    /// Lateral distance (metres); NaN when unknown.
    #[serde(with = "crate::serde_nan")]
    pub lateral_distance_m: f64,
    /// Vertical distance, along the depth axis (metres); NaN when unknown.
    #[serde(with = "crate::serde_nan", default = "nan")]
    pub vertical_distance_m: f64,
    /// Probed for the presynaptic class's synapse type (see
    /// [`pair_was_probed`](crate::pair_was_probed)).
    pub probed: bool,
    /// A chemical synapse was found.
    pub connected: bool,
    /// Probed for a gap junction.
    pub gap_junction_probed: bool,
    /// A gap junction was found.
    pub gap_junction: bool,
}

impl PairRecord {
    /// A pair with unknown distances that was not probed.
    pub fn new(pre_cell: u64, post_cell: u64) -> PairRecord {
        PairRecord {
            pre_cell,
            post_cell,
            distance_m: f64::NAN,
            lateral_distance_m: f64::NAN,
            vertical_distance_m: f64::NAN,
            probed: false,
            connected: false,
            gap_junction_probed: false,
            gap_junction: false,
        }
    }

    /// The distance of the given kind.
    pub fn distance(&self, measure: DistanceMeasure) -> f64 {
        match measure {
            DistanceMeasure::Distance3d => self.distance_m,
            DistanceMeasure::Lateral => self.lateral_distance_m,
            DistanceMeasure::Vertical => self.vertical_distance_m,
        }
    }
}

/// Records serialised before the vertical distance existed read it as unknown.
fn nan() -> f64 {
    f64::NAN
}

/// A (presynaptic class, postsynaptic class) key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClassPair {
    /// Presynaptic class name.
    pub pre: String,
    /// Postsynaptic class name.
    pub post: String,
}

impl ClassPair {
    /// A key from two class names.
    pub fn new(pre: impl Into<String>, post: impl Into<String>) -> ClassPair {
        ClassPair {
            pre: pre.into(),
            post: post.into(),
        }
    }
}

/// What [`measure_connectivity`] computes besides counts and raw probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SummaryOptions {
    alpha: f64,
    sigma_m: Option<f64>,
    gap_sigma_m: Option<f64>,
    kernel: Kernel,
    fit: Option<DistanceModelKind>,
    distance: DistanceMeasure,
    exact: bool,
}

impl Default for SummaryOptions {
    fn default() -> SummaryOptions {
        SummaryOptions {
            alpha: 0.05,
            sigma_m: None,
            gap_sigma_m: None,
            kernel: Kernel::Gaussian,
            fit: None,
            distance: DistanceMeasure::Distance3d,
            exact: true,
        }
    }
}

impl SummaryOptions {
    /// Defaults: alpha 0.05, 3-D distance (as the reference's `measure_connectivity`), no
    /// adjustment, no fit, the exact pmax beside the scaled one when a width is given.
    pub fn new() -> SummaryOptions {
        SummaryOptions::default()
    }
    /// Interval level `1 − alpha`.
    pub fn alpha(mut self, alpha: f64) -> SummaryOptions {
        self.alpha = alpha;
        self
    }
    /// Width (metres) of the fixed profile for distance-adjusted connectivity (DESIGN §6:
    /// 100 µm for chemical synapses); also fixes the fitted size.
    pub fn sigma(mut self, sigma_m: f64) -> SummaryOptions {
        self.sigma_m = Some(sigma_m);
        self
    }
    /// Width (metres) for gap junctions (75 µm in the dataset's analyses); defaults to
    /// the chemical width.
    pub fn gap_junction_sigma(mut self, sigma_m: f64) -> SummaryOptions {
        self.gap_sigma_m = Some(sigma_m);
        self
    }
    /// Kernel of the fixed profile (Gaussian by default).
    pub fn kernel(mut self, kernel: Kernel) -> SummaryOptions {
        self.kernel = kernel;
        self
    }
    /// Also fit this model to each group's distance profile.
    pub fn fit(mut self, model: DistanceModelKind) -> SummaryOptions {
        self.fit = Some(model);
        self
    }
    /// Which distance the adjustment and fits use (3-D by default, like the reference; the
    /// dataset's distance-profile analyses use lateral distance).
    pub fn distance(mut self, measure: DistanceMeasure) -> SummaryOptions {
        self.distance = measure;
        self
    }
    /// Whether to add the exact likelihood-ratio pmax beside the scaled approximation
    /// (default true).
    pub fn exact(mut self, exact: bool) -> SummaryOptions {
        self.exact = exact;
        self
    }
}

/// Connectivity of one class pair.
///
/// An empty group has zero counts, the `(NaN, 0, 1)` probability of
/// [`ConnectionProbability`], and `None` for everything that needs data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// The class pair.
    pub key: ClassPair,
    /// Chemical connections among probed pairs.
    pub connection: ConnectionProbability,
    /// Gap junctions among pairs probed for them.
    pub gap_junction: ConnectionProbability,
    /// The distance the adjustment and fits use.
    pub distance_measure: DistanceMeasure,
    /// Probed pairs with a known distance (of that measure).
    pub n_with_distance: u64,
    /// Distance-adjusted pmax by the scaled approximation (when a width is given).
    pub adjusted: Option<AdjustedConnectivity>,
    /// Distance-adjusted pmax by maximum likelihood with its likelihood-ratio interval.
    pub adjusted_exact: Option<AdjustedConnectivity>,
    /// Distance-adjusted gap-junction probability (scaled approximation).
    pub adjusted_gap_junction: Option<AdjustedConnectivity>,
    /// Fitted distance profile of the chemical connections.
    pub fit: Option<Fit<AnyDistanceModel>>,
    /// Fitted distance profile of the gap junctions.
    pub gap_junction_fit: Option<Fit<AnyDistanceModel>>,
}

/// Distances and outcomes of the pairs with a known distance.
fn with_distance<'a>(
    records: impl Iterator<Item = &'a PairRecord>,
    measure: DistanceMeasure,
    outcome: impl Fn(&PairRecord) -> bool,
) -> (Vec<f64>, Vec<bool>) {
    records
        .filter(|r| r.distance(measure).is_finite())
        .map(|r| (r.distance(measure), outcome(r)))
        .unzip()
}

fn fit_profile(
    model: Option<DistanceModelKind>,
    sigma: Option<f64>,
    x: &[f64],
    y: &[bool],
) -> Result<Option<Fit<AnyDistanceModel>>> {
    match model {
        Some(kind) if !x.is_empty() => {
            let mut options = FitOptions::new();
            if let Some(s) = sigma {
                options = options.fixed_size(s);
            }
            Ok(Some(kind.fit(x, y, &options)?))
        }
        _ => Ok(None),
    }
}

/// Summarises each class-pair group of pair records: counts, raw connection and
/// gap-junction probabilities with Clopper–Pearson intervals, and, as asked by
/// `options`, distance-adjusted pmax (scaled approximation and exact) and fitted
/// profiles. Groups are returned in the order given.
///
/// ```
/// use synphys_connectivity::{ClassPair, DistanceMeasure, PairRecord, SummaryOptions, measure_connectivity};
/// let mut pairs = Vec::new();
/// for i in 0..40u64 {
///     let mut p = PairRecord::new(i, i + 100);
///     p.probed = true;
///     p.connected = i % 5 == 0;
///     p.lateral_distance_m = (i % 10) as f64 * 20e-6;
///     pairs.push(p);
/// }
/// let groups = [(ClassPair::new("pyr", "pvalb"), pairs.as_slice()), (ClassPair::new("pyr", "sst"), &[][..])];
/// let options = SummaryOptions::new().sigma(100e-6).distance(DistanceMeasure::Lateral);
/// let summary = measure_connectivity(groups, &options)?;
/// assert_eq!(summary[0].connection.n_connected, 8);
/// assert!(summary[0].adjusted.is_some() && summary[1].adjusted.is_none());
/// # Ok::<(), synphys_connectivity::Error>(())
/// ```
pub fn measure_connectivity<'a, I>(groups: I, options: &SummaryOptions) -> Result<Vec<GroupSummary>>
where
    I: IntoIterator<Item = (ClassPair, &'a [PairRecord])>,
{
    check_alpha(options.alpha)?;
    let mut out = Vec::new();
    for (key, records) in groups {
        let probed = records.iter().filter(|r| r.probed);
        let n_probed = probed.clone().count() as u64;
        let n_connected = probed.clone().filter(|r| r.connected).count() as u64;
        let gaps = records.iter().filter(|r| r.gap_junction_probed);
        let n_gaps_probed = gaps.clone().count() as u64;
        let n_gaps = gaps.clone().filter(|r| r.gap_junction).count() as u64;
        let (x, y) = with_distance(probed, options.distance, |r| r.connected);
        let (gx, gy) = with_distance(gaps, options.distance, |r| r.gap_junction);
        let gap_sigma = options.gap_sigma_m.or(options.sigma_m);
        let (adjusted, adjusted_exact) = match options.sigma_m {
            Some(s) => (
                scaled_adjustment(&x, &y, options.kernel, s, options.alpha)?,
                if options.exact {
                    let exact = match options.kernel {
                        Kernel::Gaussian => ExactPmax::gaussian(s),
                        Kernel::Exponential => ExactPmax::exponential(s),
                    };
                    exact.alpha(options.alpha).estimate(&x, &y)?
                } else {
                    None
                },
            ),
            None => (None, None),
        };
        let adjusted_gap_junction = match gap_sigma {
            Some(s) => scaled_adjustment(&gx, &gy, options.kernel, s, options.alpha)?,
            None => None,
        };
        out.push(GroupSummary {
            connection: ConnectionProbability::new(n_connected, n_probed, options.alpha)?,
            gap_junction: ConnectionProbability::new(n_gaps, n_gaps_probed, options.alpha)?,
            distance_measure: options.distance,
            n_with_distance: x.len() as u64,
            adjusted,
            adjusted_exact,
            adjusted_gap_junction,
            fit: fit_profile(options.fit, options.sigma_m, &x, &y)?,
            gap_junction_fit: fit_profile(options.fit, gap_sigma, &gx, &gy)?,
            key,
        });
    }
    Ok(out)
}

/// One distance bin of a [`ReciprocalProfile`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReciprocalBin {
    /// Inclusive lower edge (metres).
    pub lower_edge_m: f64,
    /// Exclusive upper edge (metres).
    pub upper_edge_m: f64,
    /// Reciprocally connected cell pairs among those probed in both directions.
    pub reciprocal: ConnectionProbability,
    /// One-way probability A → B in this bin.
    pub forward: ConnectionProbability,
    /// One-way probability B → A in this bin.
    pub backward: ConnectionProbability,
    /// Reciprocal probability divided by the product of the one-way probabilities (1 when
    /// the two directions are independent); `None` when any of them is undefined or the
    /// product is 0.
    pub normalised: Option<f64>,
}

/// Reciprocal connectivity against distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReciprocalProfile {
    /// The bins, in order of distance.
    pub bins: Vec<ReciprocalBin>,
}

/// Reciprocal connectivity between two groups probed in opposite directions (A → B and
/// B → A; pass the same slice twice for a class with itself), binned by distance and
/// normalised by the product of the one-way probabilities.
///
/// Only probed pairs count, and a cell pair counts towards the reciprocal probability
/// only when it was probed in both directions. (The Python reference also counts pairs
/// probed in one direction only, as not reciprocal, which biases its estimate down.)
pub fn reciprocal_connectivity(
    a_to_b: &[PairRecord],
    b_to_a: &[PairRecord],
    bin_edges_m: &[f64],
    measure: DistanceMeasure,
    alpha: f64,
) -> Result<ReciprocalProfile> {
    check_alpha(alpha)?;
    check_edges(bin_edges_m)?;
    let mut probes: BTreeMap<(u64, u64), (bool, f64)> = BTreeMap::new();
    for r in a_to_b.iter().chain(b_to_a).filter(|r| r.probed) {
        probes.insert(
            (r.pre_cell, r.post_cell),
            (r.connected, r.distance(measure)),
        );
    }
    let mut reciprocal = Vec::new();
    let mut reciprocal_distance = Vec::new();
    for (&(a, b), &(ab, d_ab)) in &probes {
        if a >= b {
            continue;
        }
        if let Some(&(ba, d_ba)) = probes.get(&(b, a)) {
            reciprocal.push(ab && ba);
            reciprocal_distance.push(if d_ab.is_finite() { d_ab } else { d_ba });
        }
    }
    let one_way = |records: &[PairRecord]| {
        let (c, d): (Vec<bool>, Vec<f64>) = records
            .iter()
            .filter(|r| r.probed)
            .map(|r| (r.connected, r.distance(measure)))
            .unzip();
        DistanceProfile::new(&c, &d, bin_edges_m, alpha)
    };
    let forward = one_way(a_to_b)?;
    let backward = one_way(b_to_a)?;
    let both = DistanceProfile::new(&reciprocal, &reciprocal_distance, bin_edges_m, alpha)?;
    let bins = both
        .bins
        .iter()
        .zip(&forward.bins)
        .zip(&backward.bins)
        .map(|((r, f), b)| {
            let denominator = f.probability.estimate * b.probability.estimate;
            let normalised = (!r.probability.is_empty() && denominator > 0.0)
                .then(|| r.probability.estimate / denominator);
            ReciprocalBin {
                lower_edge_m: r.lower_edge_m,
                upper_edge_m: r.upper_edge_m,
                reciprocal: r.probability,
                forward: f.probability,
                backward: b.probability,
                normalised,
            }
        })
        .collect();
    Ok(ReciprocalProfile { bins })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_distance_measure_reads_its_own_field() {
        let mut record = PairRecord::new(1, 2);
        record.distance_m = 3e-5;
        record.lateral_distance_m = 2e-5;
        record.vertical_distance_m = 1e-5;
        assert_eq!(record.distance(DistanceMeasure::Distance3d), 3e-5);
        assert_eq!(record.distance(DistanceMeasure::Lateral), 2e-5);
        assert_eq!(record.distance(DistanceMeasure::Vertical), 1e-5);
        assert!(
            PairRecord::new(1, 2)
                .distance(DistanceMeasure::Vertical)
                .is_nan()
        );
        // A record written before the vertical distance existed reads it as unknown.
        let old = r#"{"pre_cell":1,"post_cell":2,"distance_m":null,"lateral_distance_m":null,"probed":true,"connected":false,"gap_junction_probed":false,"gap_junction":false}"#;
        let read: PairRecord = serde_json::from_str(old).unwrap();
        assert!(read.vertical_distance_m.is_nan() && read.probed);
    }

    fn probe(pre: u64, post: u64, connected: bool, d: f64) -> PairRecord {
        let mut r = PairRecord::new(pre, post);
        r.probed = true;
        r.connected = connected;
        r.lateral_distance_m = d;
        r.distance_m = d;
        r
    }

    #[test]
    fn reciprocal_pairs_need_both_directions() {
        let ab = [
            probe(1, 2, true, 10e-6),
            probe(3, 4, true, 10e-6),
            probe(5, 6, false, 10e-6),
        ];
        let ba = [probe(2, 1, true, 10e-6), probe(6, 5, true, 10e-6)];
        let r = reciprocal_connectivity(&ab, &ba, &[0.0, 100e-6], DistanceMeasure::Lateral, 0.05)
            .unwrap();
        let bin = r.bins[0];
        // (1,2) reciprocal, (5,6) one-way; (3,4) was probed one way only and is left out.
        assert_eq!(
            (bin.reciprocal.n_connected, bin.reciprocal.n_probed),
            (1, 2)
        );
        let expected = 0.5 / ((2.0 / 3.0) * 1.0);
        assert!((bin.normalised.unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn empty_groups_are_explicit() {
        let s = measure_connectivity(
            [(ClassPair::new("a", "b"), &[][..])],
            &SummaryOptions::new()
                .sigma(100e-6)
                .fit(DistanceModelKind::Gaussian),
        )
        .unwrap();
        let g = &s[0];
        assert!(g.connection.is_empty() && g.gap_junction.is_empty());
        assert!(g.adjusted.is_none() && g.adjusted_exact.is_none() && g.fit.is_none());
    }
}
