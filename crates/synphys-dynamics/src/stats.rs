//! NumPy / SciPy-compatible descriptive statistics on finite samples.
//!
//! Every function returns `None` instead of NaN or infinity, so callers only ever store
//! finite values or null.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Keeps a value only if it is finite.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The values sorted ascending (inputs are finite, so `total_cmp` is the numeric order).
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Percentile `q` (0–100) with linear interpolation between order statistics, as
/// `numpy.percentile` and `scipy.stats.scoreatpercentile` do by default.
pub(crate) fn percentile(values: &[f64], q: f64) -> Option<f64> {
    let v = sorted(values);
    let last = v.len().checked_sub(1)?;
    let position = (q / 100.0).clamp(0.0, 1.0) * last as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    let fraction = position - lower as f64;
    let (a, b) = (*v.get(lower)?, *v.get(upper)?);
    finite(a + (b - a) * fraction)
}

/// Median (mean of the two middle values for an even count, like `numpy.median`).
pub(crate) fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 50.0)
}

/// Arithmetic mean.
fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    finite(values.iter().sum::<f64>() / values.len() as f64)
}

/// Population standard deviation (ddof = 0, `numpy.std`'s default).
pub(crate) fn population_std(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    let variance = values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / values.len() as f64;
    finite(variance.sqrt())
}

/// Pearson correlation coefficient and its two-sided p-value (Student t with n − 2
/// degrees of freedom, as `scipy.stats.pearsonr`). `None` when fewer than three pairs,
/// lengths differ, or either side is constant (r undefined).
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len();
    if n != y.len() || n < 3 {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    // Rounding can push |r| a hair past 1.
    let r = finite(sxy / (sxx.sqrt() * syy.sqrt()))?.clamp(-1.0, 1.0);
    let dof = (n - 2) as f64;
    let one_minus_r2 = 1.0 - r * r;
    let p = if one_minus_r2 <= 0.0 {
        0.0
    } else {
        let t = r.abs() * (dof / one_minus_r2).sqrt();
        let dist = StudentsT::new(0.0, 1.0, dof).ok()?;
        (2.0 * dist.sf(t)).clamp(0.0, 1.0)
    };
    Some((r, finite(p)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_interpolates_linearly_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], 90) = 3 + 0.7 * (4 - 3) = 3.7
        let p = percentile(&[4.0, 1.0, 3.0, 2.0], 90.0).unwrap();
        assert!((p - 3.7).abs() < 1e-12);
        // 10th: position 0.3 → 1.3
        let p = percentile(&[4.0, 1.0, 3.0, 2.0], 10.0).unwrap();
        assert!((p - 1.3).abs() < 1e-12);
        assert_eq!(percentile(&[], 90.0), None);
        assert_eq!(percentile(&[5.0], 90.0), Some(5.0));
    }

    #[test]
    fn median_and_std_match_numpy_conventions() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        // population std of 1..4: mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5, /4
        let s = population_std(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((s - 1.25f64.sqrt()).abs() < 1e-12);
        assert_eq!(population_std(&[]), None);
        assert_eq!(population_std(&[7.0]), Some(0.0));
    }

    #[test]
    fn pearson_of_perfect_and_constant_series() {
        let (r, p) = pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        assert!(p < 1e-6, "p = {p}");
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(pearson(&[1.0, 2.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn pearson_p_value_matches_closed_form_t_distribution() {
        // r of (1..5) vs (2,1,4,3,5): Σdxdy = 8, Σdx² = Σdy² = 10, so r = 0.8.
        let (r, p) = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]).unwrap();
        assert!((r - 0.8).abs() < 1e-12);
        // Student t with ν = 3 has a closed-form CDF:
        // F(t) = 1/2 + (1/π)·(u/(1 + u²) + atan u), u = t/√3.
        let t = 0.8 * (3.0f64 / (1.0 - 0.64)).sqrt();
        let u = t / 3f64.sqrt();
        let cdf = 0.5 + (u / (1.0 + u * u) + u.atan()) / std::f64::consts::PI;
        let expected = 2.0 * (1.0 - cdf);
        assert!((p - expected).abs() < 1e-9, "p = {p}, expected {expected}");
    }
}
