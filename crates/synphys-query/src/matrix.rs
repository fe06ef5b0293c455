//! Class × class matrices of any numeric column (the tutorial's pivot tables).

use synphys_cellclass::{CellTableAliases, ClassSet};

use crate::error::{ErrorKind, Result};
use crate::frame::Frame;

/// How a group of values is summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// Arithmetic mean.
    Mean,
    /// Median (mean of the two middle values for an even count).
    Median,
    /// Number of non-null values.
    Count,
    /// Sample standard deviation (ddof 1, as pandas); needs two values.
    Std,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// Sum.
    Sum,
}

impl Aggregate {
    /// Every aggregate.
    pub const ALL: [Aggregate; 7] = [
        Aggregate::Mean,
        Aggregate::Median,
        Aggregate::Count,
        Aggregate::Std,
        Aggregate::Min,
        Aggregate::Max,
        Aggregate::Sum,
    ];

    /// The pandas name (`"mean"`, `"median"`, `"count"`, `"std"`, `"min"`, `"max"`, `"sum"`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Median => "median",
            Aggregate::Count => "count",
            Aggregate::Std => "std",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
            Aggregate::Sum => "sum",
        }
    }

    /// The aggregate with this name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidFilter`] listing the names.
    pub fn parse(name: &str) -> Result<Aggregate> {
        Aggregate::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                ErrorKind::InvalidFilter {
                    what: "aggregate",
                    given: name.to_string(),
                    reason: "aggregates are mean, median, count, std, min, max and sum".to_string(),
                }
                .into()
            })
    }

    /// The aggregate of `values` (finite numbers); `None` when there are too few
    /// (none; fewer than two for [`Aggregate::Std`]). Count of nothing is 0.
    pub fn apply(self, values: &[f64]) -> Option<f64> {
        let n = values.len();
        if n == 0 {
            return (self == Aggregate::Count).then_some(0.0);
        }
        let sum: f64 = values.iter().sum();
        let mean = sum / n as f64;
        Some(match self {
            Aggregate::Count => n as f64,
            Aggregate::Sum => sum,
            Aggregate::Mean => mean,
            Aggregate::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
            Aggregate::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Aggregate::Median => {
                let mut sorted = values.to_vec();
                sorted.sort_by(f64::total_cmp);
                if n % 2 == 1 {
                    sorted[n / 2]
                } else {
                    0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
                }
            }
            Aggregate::Std => {
                if n < 2 {
                    return None;
                }
                let ss: f64 = values.iter().map(|x| (x - mean).powi(2)).sum();
                (ss / (n - 1) as f64).sqrt()
            }
        })
    }
}

/// Percentile `q` (0–100) of `values` by linear interpolation between order statistics,
/// the definition of NumPy's default `percentile` / `quantile` and pandas' `quantile`
/// (including NumPy's interpolation formula, so results agree to the last bit).
/// Non-finite values are left out; `None` when no finite value remains or `q` is outside
/// 0–100. The median of [`Aggregate::Median`] is `numpy.median`'s (the mean of the two
/// middle values), which can differ from `percentile(values, 50.0)` in the last bit.
///
/// ```
/// // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) -> [1.75, 2.5, 3.25]
/// use synphys_query::percentile;
/// let x = [4.0, 1.0, f64::NAN, 3.0, 2.0];
/// assert_eq!(percentile(&x, 25.0), Some(1.75));
/// assert_eq!(percentile(&x, 75.0), Some(3.25));
/// assert_eq!(percentile(&[], 50.0), None);
/// ```
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if !(0.0..=100.0).contains(&q) {
        return None;
    }
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let last = sorted.len().checked_sub(1)?;
    let position = q / 100.0 * last as f64;
    let below = (position.floor() as usize).min(last);
    let above = (below + 1).min(last);
    let t = position - below as f64;
    let (a, b) = (sorted[below], sorted[above]);
    // NumPy's `_lerp`: from the nearer end, so t = 1 gives b exactly.
    let diff = b - a;
    Some(if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    })
}

/// How rows are assigned to class pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Grouping {
    /// A row counts in every (pre, post) class pair its cells belong to, as the
    /// tutorial's connectivity matrix does (DESIGN §6).
    #[default]
    Membership,
    /// A row counts once, in the pair of the first class (in definition order) each cell
    /// belongs to (DESIGN §5's classification).
    FirstMatch,
}

/// Which classes each row's pre and post cells belong to, under a grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassAssignment {
    /// For each row, the indices of the presynaptic classes it counts in.
    pub pre: Vec<Vec<usize>>,
    /// For each row, the indices of the postsynaptic classes it counts in.
    pub post: Vec<Vec<usize>>,
}

impl ClassAssignment {
    /// Classifies every row of `frame` (which needs the cell columns the classes read,
    /// e.g. from [`crate::Preload::Cell`]).
    ///
    /// # Errors
    ///
    /// When the frame lacks a column a class reads.
    pub fn new(
        frame: &Frame,
        pre_classes: &ClassSet,
        post_classes: &ClassSet,
        grouping: Grouping,
    ) -> Result<ClassAssignment> {
        let side = |classes: &ClassSet, aliases: &CellTableAliases| -> Result<Vec<Vec<usize>>> {
            match grouping {
                Grouping::FirstMatch => frame
                    .rows()
                    .map(|row| Ok(classes.classify_row(&row, aliases)?.into_iter().collect()))
                    .collect(),
                Grouping::Membership => {
                    // One single-class set per class: membership in each, independently.
                    let singles = classes
                        .iter()
                        .map(|c| ClassSet::new([c.clone()]))
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    frame
                        .rows()
                        .map(|row| {
                            let mut member = Vec::new();
                            for (i, single) in singles.iter().enumerate() {
                                if single.classify_row(&row, aliases)?.is_some() {
                                    member.push(i);
                                }
                            }
                            Ok(member)
                        })
                        .collect()
                }
            }
        };
        Ok(ClassAssignment {
            pre: side(pre_classes, &CellTableAliases::pre())?,
            post: side(post_classes, &CellTableAliases::post())?,
        })
    }

    /// The rows of each (pre, post) class pair, indexed `[pre][post]`.
    pub fn groups(&self, n_pre: usize, n_post: usize) -> Vec<Vec<Vec<usize>>> {
        let mut groups = vec![vec![Vec::new(); n_post]; n_pre];
        for (row, (pre, post)) in self.pre.iter().zip(&self.post).enumerate() {
            for &i in pre {
                for &j in post {
                    if let Some(cell) = groups.get_mut(i).and_then(|g| g.get_mut(j)) {
                        cell.push(row);
                    }
                }
            }
        }
        groups
    }
}

/// A class × class table of one aggregated column.
///
/// ```
/// use synphys_query::{Aggregate, ClassMatrix, Grouping, Preload, SynphysDb};
/// use synphys_cellclass::ClassSet;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite");
/// let db = SynphysDb::open(path)?;
/// let frame = db.pair_query().synapse(true).preload(Preload::Cell).preload(Preload::Synapse).frame()?;
/// let classes = ClassSet::preset("broad")?;
/// let latency = ClassMatrix::new(&frame, &classes, &classes, "synapse.latency", Aggregate::Mean, Grouping::Membership)?;
/// for (i, pre) in latency.pre_names().iter().enumerate() {
///     for (j, post) in latency.post_names().iter().enumerate() {
///         if let Some(mean_s) = latency.get(i, j) {
///             println!("{pre} → {post}: {:.2} ms (n = {})", mean_s * 1e3, latency.count(i, j));
///         }
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ClassMatrix {
    column: String,
    aggregate: Aggregate,
    pre_names: Vec<String>,
    post_names: Vec<String>,
    values: Vec<Option<f64>>,
    counts: Vec<usize>,
}

impl ClassMatrix {
    /// Groups the rows of `frame` by (pre class, post class) and aggregates the finite
    /// values of the numeric column `column` (int, float or bool) in each cell.
    ///
    /// # Errors
    ///
    /// When `column` is missing or not numeric, or the frame lacks a column a class reads.
    pub fn new(
        frame: &Frame,
        pre_classes: &ClassSet,
        post_classes: &ClassSet,
        column: &str,
        aggregate: Aggregate,
        grouping: Grouping,
    ) -> Result<ClassMatrix> {
        let values = frame.numbers(column)?;
        let assignment = ClassAssignment::new(frame, pre_classes, post_classes, grouping)?;
        let (n_pre, n_post) = (pre_classes.len(), post_classes.len());
        let groups = assignment.groups(n_pre, n_post);
        let mut cells = Vec::with_capacity(n_pre * n_post);
        let mut counts = Vec::with_capacity(n_pre * n_post);
        for row_groups in &groups {
            for rows in row_groups {
                let finite: Vec<f64> = rows
                    .iter()
                    .filter_map(|&r| values.get(r).copied().flatten())
                    .filter(|x| x.is_finite())
                    .collect();
                counts.push(finite.len());
                cells.push(aggregate.apply(&finite));
            }
        }
        Ok(ClassMatrix {
            column: column.to_string(),
            aggregate,
            pre_names: pre_classes.names().collect(),
            post_names: post_classes.names().collect(),
            values: cells,
            counts,
        })
    }

    /// The aggregated column.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// The aggregate.
    pub fn aggregate(&self) -> Aggregate {
        self.aggregate
    }

    /// Presynaptic class names (rows).
    pub fn pre_names(&self) -> &[String] {
        &self.pre_names
    }

    /// Postsynaptic class names (columns).
    pub fn post_names(&self) -> &[String] {
        &self.post_names
    }

    /// The aggregate for pre class `pre` and post class `post`; `None` when the cell
    /// has too few values or the indices are out of range.
    pub fn get(&self, pre: usize, post: usize) -> Option<f64> {
        if post >= self.post_names.len() {
            return None;
        }
        self.values
            .get(pre * self.post_names.len() + post)
            .copied()
            .flatten()
    }

    /// The number of values aggregated in a cell.
    pub fn count(&self, pre: usize, post: usize) -> usize {
        if post >= self.post_names.len() {
            return 0;
        }
        self.counts
            .get(pre * self.post_names.len() + post)
            .copied()
            .unwrap_or(0)
    }

    /// The matrix as rows of cells (`None` where there are too few values).
    pub fn to_rows(&self) -> Vec<Vec<Option<f64>>> {
        (0..self.pre_names.len())
            .map(|i| (0..self.post_names.len()).map(|j| self.get(i, j)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_match_their_definitions() {
        let x = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(Aggregate::Mean.apply(&x), Some(2.5));
        assert_eq!(Aggregate::Median.apply(&x), Some(2.5));
        assert_eq!(Aggregate::Median.apply(&x[..3]), Some(3.0));
        assert_eq!(Aggregate::Count.apply(&x), Some(4.0));
        assert_eq!(Aggregate::Sum.apply(&x), Some(10.0));
        assert_eq!(Aggregate::Min.apply(&x), Some(1.0));
        assert_eq!(Aggregate::Max.apply(&x), Some(4.0));
        // ddof 1: variance of 1..4 is 5/3.
        let std = Aggregate::Std.apply(&x).unwrap();
        assert!((std - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn empty_cells_have_no_value_but_a_zero_count() {
        for a in Aggregate::ALL {
            let expected = (a == Aggregate::Count).then_some(0.0);
            assert_eq!(a.apply(&[]), expected, "{}", a.name());
        }
        assert_eq!(Aggregate::Std.apply(&[1.0]), None);
        assert_eq!(Aggregate::parse("median").unwrap(), Aggregate::Median);
        assert!(Aggregate::parse("avg").is_err());
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        // numpy.percentile([10, 7, 4, 3, 2, 1], [0, 10, 25, 50, 90, 100])
        //   -> [1.0, 1.5, 2.25, 3.5, 8.5, 10.0]
        let x = [10.0, 7.0, 4.0, 3.0, 2.0, 1.0];
        let expected = [
            (0.0, 1.0),
            (10.0, 1.5),
            (25.0, 2.25),
            (50.0, 3.5),
            (90.0, 8.5),
            (100.0, 10.0),
        ];
        for (q, value) in expected {
            assert_eq!(percentile(&x, q), Some(value), "q = {q}");
        }
        assert_eq!(percentile(&[5.0], 25.0), Some(5.0));
        assert_eq!(percentile(&x, 101.0), None);
        assert_eq!(percentile(&[f64::NAN], 50.0), None);
    }
}
