//! The small computations behind the tutorial's histogram, box plot and trial mean.

use serde::Serialize;

/// One bin of a histogram: `[lower, upper)`, the last bin closed (SI units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HistogramBin {
    /// Lower edge.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Number of values in the bin.
    pub count: usize,
}

/// `n_bins` equal-width bins from the smallest to the largest finite value, NumPy's
/// `histogram` convention: half-open bins, the last one closed. Non-finite values are
/// left out; no finite value (or no bin) gives no bins; when every value is equal the
/// range is that value ± 0.5, as NumPy does.
///
/// ```
/// // numpy.histogram([1, 2, 2, 3, 4], bins=3) -> counts [1, 2, 2], edges 1 .. 4
/// let bins = synphys_report::histogram(&[1.0, 2.0, 2.0, 3.0, 4.0, f64::NAN], 3);
/// assert_eq!(bins.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 2, 2]);
/// assert_eq!((bins[0].lower, bins[2].upper), (1.0, 4.0));
/// ```
pub fn histogram(values: &[f64], n_bins: usize) -> Vec<HistogramBin> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || n_bins == 0 {
        return Vec::new();
    }
    let mut lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo == hi {
        lo -= 0.5;
        hi += 0.5;
    }
    let width = (hi - lo) / n_bins as f64;
    let mut bins: Vec<HistogramBin> = (0..n_bins)
        .map(|i| HistogramBin {
            lower: lo + i as f64 * width,
            upper: if i + 1 == n_bins {
                hi
            } else {
                lo + (i + 1) as f64 * width
            },
            count: 0,
        })
        .collect();
    for v in finite {
        let i = (((v - lo) / width).floor() as usize).min(n_bins - 1);
        bins[i].count += 1;
    }
    bins
}

/// Box-plot numbers of one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BoxStats {
    /// Number of finite values.
    pub n: usize,
    /// Smallest value.
    pub min: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Largest value.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

/// [`BoxStats`] of the finite values (quartiles by linear interpolation, NumPy's
/// default and pandas' `describe`), or `None` without any.
///
/// ```
/// // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) -> [1.75, 2.5, 3.25]
/// let s = synphys_report::box_stats(&[4.0, 1.0, f64::NAN, 3.0, 2.0]).ok_or("empty")?;
/// assert_eq!((s.n, s.q1, s.median, s.q3), (4, 1.75, 2.5, 3.25));
/// # Ok::<(), &str>(())
/// ```
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let quantile = |q: f64| {
        let position = q * (n - 1) as f64;
        let (below, fraction) = (position.floor() as usize, position.fract());
        match sorted.get(below + 1) {
            Some(next) => sorted[below] + fraction * (next - sorted[below]),
            None => sorted[below],
        }
    };
    Some(BoxStats {
        n,
        min: sorted[0],
        q1: quantile(0.25),
        median: quantile(0.5),
        q3: quantile(0.75),
        max: sorted[n - 1],
        mean: sorted.iter().sum::<f64>() / n as f64,
    })
}

/// Per-column mean and sample standard deviation (ddof 1) of `rows` (each row one trial,
/// each column one spike), ignoring NaN: the mean trace of the tutorial's release-model
/// figure and its spread. A column with no value has a NaN mean; with fewer than two, a
/// NaN standard deviation.
///
/// ```
/// let rows = vec![vec![1.0, f64::NAN], vec![3.0, 2.0]];
/// let (mean, std) = synphys_report::column_mean_std(&rows, 2);
/// assert_eq!(mean, vec![2.0, 2.0]);
/// assert!((std[0] - 2f64.sqrt()).abs() < 1e-15 && std[1].is_nan());
/// ```
pub fn column_mean_std(rows: &[Vec<f64>], columns: usize) -> (Vec<f64>, Vec<f64>) {
    let mut mean = vec![f64::NAN; columns];
    let mut std = vec![f64::NAN; columns];
    for j in 0..columns {
        let values: Vec<f64> = rows
            .iter()
            .filter_map(|r| r.get(j).copied())
            .filter(|v| !v.is_nan())
            .collect();
        if values.is_empty() {
            continue;
        }
        let n = values.len() as f64;
        let m = values.iter().sum::<f64>() / n;
        mean[j] = m;
        if values.len() > 1 {
            std[j] = (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        }
    }
    (mean, std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_std_per_column_ignore_nan() {
        let rows = vec![
            vec![1.0, 2.0, f64::NAN],
            vec![3.0, f64::NAN, f64::NAN],
            vec![5.0, 4.0, 1.0],
        ];
        let (mean, std) = column_mean_std(&rows, 3);
        assert_eq!(mean[0], 3.0);
        assert_eq!(std[0], 2.0);
        assert_eq!(mean[1], 3.0);
        assert!((std[1] - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(mean[2], 1.0);
        assert!(std[2].is_nan());
    }

    #[test]
    fn equal_values_get_one_unit_wide_range_and_nothing_gives_no_bins() {
        let one = histogram(&[5.0, 5.0], 2);
        assert_eq!(one.iter().map(|b| b.count).sum::<usize>(), 2);
        assert_eq!((one[0].lower, one[1].upper), (4.5, 5.5));
        assert!(histogram(&[f64::NAN], 4).is_empty());
        assert!(histogram(&[1.0], 0).is_empty());
        // The largest value falls in the last (closed) bin.
        let bins = histogram(&[0.0, 1.0], 4);
        assert_eq!(bins[3].count, 1);
    }

    #[test]
    fn single_values_and_empty_groups() {
        let single = box_stats(&[7.0]).unwrap();
        assert_eq!(
            (single.q1, single.median, single.q3, single.mean),
            (7.0, 7.0, 7.0, 7.0)
        );
        assert!(box_stats(&[]).is_none());
        assert!(box_stats(&[f64::NAN]).is_none());
        assert!(column_mean_std(&[vec![f64::NAN]], 1).0[0].is_nan());
    }
}
