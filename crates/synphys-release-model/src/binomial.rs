//! Binomial coefficients and probabilities.
//!
//! Two coefficient sources: exact integers (rounded once to `f64`), and a bit-for-bit
//! emulation of the reference's table, which builds each coefficient with SciPy's
//! floating-point `binom` and truncates it to an integer (inexact from n = 31).

use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// Largest n of the reference's coefficient table.
pub const REFERENCE_TABLE_MAX_N: u32 = 66;

/// Where binomial coefficients come from.
///
/// * [`Coefficients::Exact`] (default): exact integers C(n, k), rounded once to `f64`;
///   probabilities are computed in log space, `exp(ln C + k ln p + (n−k) ln(1−p))`, so
///   they neither overflow nor underflow early for any supported n.
/// * [`Coefficients::ReferenceTable`]: the Python reference's table, reproduced by the
///   same float64 construction (SciPy's `binom`, then truncation to an integer), with
///   probabilities computed as the reference does, `C · (pᵏ · (1−p)ⁿ⁻ᵏ)`. From n = 31
///   some entries are one below the true value (up to 3.8e-9 relative); n is limited to
///   66. Use it to reproduce reference outputs to ~1e-12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coefficients {
    /// Exact coefficients (default).
    #[default]
    Exact,
    /// The reference's truncated float64 table (n ≤ 66).
    ReferenceTable,
}

/// Exact C(m, k) for every m = 0..=n and k = 0..=m, each rounded once to `f64`.
///
/// Rows up to m = 131 are computed exactly in `u128` (C(131, 65) < 2¹²⁸); beyond that
/// Pascal's rule continues in `f64`, which adds at most one rounding per row.
pub(crate) fn exact_rows(n: u32) -> Vec<Vec<f64>> {
    const EXACT_ROWS: u32 = 131;
    let mut rows = Vec::with_capacity(n as usize + 1);
    let mut int_row: Vec<u128> = vec![1];
    rows.push(vec![1.0]);
    for m in 1..=n.min(EXACT_ROWS) {
        let mut next = Vec::with_capacity(m as usize + 1);
        next.push(1u128);
        for k in 1..m as usize {
            next.push(int_row[k - 1] + int_row[k]);
        }
        next.push(1);
        rows.push(next.iter().map(|&c| c as f64).collect());
        int_row = next;
    }
    for m in EXACT_ROWS + 1..=n {
        let prev = &rows[m as usize - 1];
        let mut next = Vec::with_capacity(m as usize + 1);
        next.push(1.0);
        for k in 1..m as usize {
            next.push(prev[k - 1] + prev[k]);
        }
        next.push(1.0);
        rows.push(next);
    }
    rows
}

/// Coefficient rows C(m, ·) for m = 0..=n from one source.
#[derive(Debug, Clone)]
pub(crate) struct CoefficientTable {
    source: Coefficients,
    rows: Vec<Vec<f64>>,
    ln_rows: Vec<Vec<f64>>,
}

impl CoefficientTable {
    pub(crate) fn new(n: u32, source: Coefficients) -> Result<CoefficientTable> {
        let rows = match source {
            Coefficients::Exact => exact_rows(n),
            Coefficients::ReferenceTable => (0..=n)
                .map(reference_table_row)
                .collect::<Result<Vec<_>>>()?,
        };
        Ok(CoefficientTable::from_rows(source, rows))
    }

    /// The exact table, which cannot fail.
    pub(crate) fn exact(n: u32) -> CoefficientTable {
        CoefficientTable::from_rows(Coefficients::Exact, exact_rows(n))
    }

    fn from_rows(source: Coefficients, rows: Vec<Vec<f64>>) -> CoefficientTable {
        let ln_rows = rows
            .iter()
            .map(|r| r.iter().map(|c| c.ln()).collect())
            .collect();
        CoefficientTable {
            source,
            rows,
            ln_rows,
        }
    }

    /// ln C(m, k) for k = 0..=m.
    pub(crate) fn ln_row(&self, m: u32) -> &[f64] {
        &self.ln_rows[m as usize]
    }

    pub(crate) fn source(&self) -> Coefficients {
        self.source
    }

    /// Coefficient row m.
    pub(crate) fn row(&self, m: u32) -> &[f64] {
        &self.rows[m as usize]
    }

    /// Fills `out` with the pmf of `m` trials (m ≤ the table's n) at probability `p`.
    pub(crate) fn pmf_into(&self, m: u32, p: f64, out: &mut Vec<f64>) {
        pmf_into(m, p, &self.rows[m as usize], self.source, out);
    }
}

/// The reference's coefficient row n (k = 0..=n): SciPy's float64 `binom(n, k)`
/// truncated toward zero, exactly as `np.fromfunction(binom, (67, 67)).astype(int)`.
pub(crate) fn reference_table_row(n: u32) -> Result<Vec<f64>> {
    if n > REFERENCE_TABLE_MAX_N {
        return Err(Error::new(ErrorKind::ReferenceTableLimit {
            n,
            max: REFERENCE_TABLE_MAX_N,
        }));
    }
    Ok((0..=n)
        .map(|k| scipy_float::binom(f64::from(n), f64::from(k)).trunc())
        .collect())
}

/// Fills `out[k]`, k = 0..=n, with the binomial pmf of `n` trials at probability `p`
/// (clamped to [0, 1]) using the coefficient row `coeff` of source `source`.
pub(crate) fn pmf_into(n: u32, p: f64, coeff: &[f64], source: Coefficients, out: &mut Vec<f64>) {
    let p = p.clamp(0.0, 1.0);
    let nf = f64::from(n);
    out.clear();
    match source {
        Coefficients::ReferenceTable => {
            let q = 1.0 - p;
            for (k, &c) in coeff.iter().enumerate().take(n as usize + 1) {
                let kf = k as f64;
                out.push(c * (p.powf(kf) * q.powf(nf - kf)));
            }
        }
        Coefficients::Exact => {
            if p == 0.0 || p == 1.0 {
                out.resize(n as usize + 1, 0.0);
                out[if p == 0.0 { 0 } else { n as usize }] = 1.0;
                return;
            }
            let (lp, lq) = (p.ln(), (-p).ln_1p());
            for (k, &c) in coeff.iter().enumerate().take(n as usize + 1) {
                let kf = k as f64;
                out.push((c.ln() + kf * lp + (nf - kf) * lq).exp());
            }
        }
    }
}

/// The binomial probability mass function of `n` trials with success probability `p`,
/// for k = 0..=n.
///
/// ```
/// use synphys_release_model::{binomial_pmf, Coefficients};
/// let pmf = binomial_pmf(3, 0.5, Coefficients::Exact)?;
/// assert!((pmf[1] - 0.375).abs() < 1e-15);
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
pub fn binomial_pmf(n: u32, p: f64, coefficients: Coefficients) -> Result<Vec<f64>> {
    crate::params::Param::BaseReleaseProbability
        .validate(p)
        .map_err(|_| {
            Error::new(ErrorKind::InvalidParameter {
                name: "release_probability",
                value: p,
                allowed: "must be a probability in [0, 1]",
            })
        })?;
    if n > crate::params::MAX_RELEASE_SITES {
        return Err(Error::new(ErrorKind::InvalidParameter {
            name: "n",
            value: f64::from(n),
            allowed: "must be at most 1024",
        }));
    }
    let coeff = match coefficients {
        Coefficients::Exact => exact_rows(n).pop().unwrap_or_default(),
        Coefficients::ReferenceTable => reference_table_row(n)?,
    };
    let mut out = Vec::new();
    pmf_into(n, p, &coeff, coefficients, &mut out);
    Ok(out)
}

/// SciPy's float64 `binom` and the Cephes `beta`/`Gamma` it calls, restricted to the
/// arguments the reference table uses (0 ≤ k ≤ n ≤ 66, integers), reproduced operation
/// for operation so that the truncated table comes out bit-identical.
// The constants are written exactly as Cephes prints them so that they round to the
// same doubles.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
mod scipy_float {
    /// Largest argument for which Cephes evaluates Gamma directly.
    const MAXGAM: f64 = 171.624376956302725;
    /// Above this, Stirling's formula splits its power to avoid overflow.
    const MAXSTIR: f64 = 143.01608;
    /// √(2π) as Cephes writes it.
    const SQTPI: f64 = 2.50662827463100050242;
    /// Coefficients of the Stirling-series correction in Cephes.
    const STIR: [f64; 5] = [
        7.87311395793093628397E-4,
        -2.29549961613378126380E-4,
        -2.68132617805781232825E-3,
        3.47222221605458667310E-3,
        8.33333333333482257126E-2,
    ];

    fn polevl(x: f64, coef: &[f64]) -> f64 {
        coef[1..].iter().fold(coef[0], |ans, &c| ans * x + c)
    }

    fn stirling(x: f64) -> f64 {
        if x >= MAXGAM {
            return f64::INFINITY;
        }
        let w = 1.0 / x;
        let w = 1.0 + w * polevl(w, &STIR);
        let mut y = x.exp();
        if x > MAXSTIR {
            let v = x.powf(0.5 * x - 0.25);
            y = v * (v / y);
        } else {
            y = x.powf(x - 0.5) / y;
        }
        SQTPI * y * w
    }

    /// Cephes `Gamma` for integer arguments ≥ 2 (all the table needs).
    fn gamma(x: f64) -> f64 {
        if x > 33.0 {
            return stirling(x);
        }
        let (mut x, mut z) = (x, 1.0);
        while x >= 3.0 {
            x -= 1.0;
            z *= x;
        }
        z
    }

    /// Cephes `beta` for arguments ≥ 2 whose sum stays below MAXGAM.
    fn beta(a: f64, b: f64) -> f64 {
        let (a, b) = if a.abs() < b.abs() { (b, a) } else { (a, b) };
        let y = gamma(a + b);
        let (ga, gb) = (gamma(a), gamma(b));
        if (ga.abs() - y.abs()).abs() > (gb.abs() - y.abs()).abs() {
            (gb / y) * ga
        } else {
            (ga / y) * gb
        }
    }

    /// SciPy's `binom(n, k)` for integers 0 ≤ k ≤ n ≤ 66.
    pub(super) fn binom(n: f64, k: f64) -> f64 {
        let mut kx = k.floor();
        if n > 0.0 && kx > n / 2.0 {
            kx = n - kx;
        }
        if (0.0..20.0).contains(&kx) {
            let (mut num, mut den) = (1.0f64, 1.0f64);
            for i in 1..=kx as i32 {
                num *= f64::from(i) + n - kx;
                den *= f64::from(i);
                if num.abs() > 1e50 {
                    num /= den;
                    den = 1.0;
                }
            }
            return num / den;
        }
        1.0 / (n + 1.0) / beta(1.0 + n - k, 1.0 + k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_rows_are_symmetric_and_sum_to_powers_of_two() {
        let rows = exact_rows(256);
        for n in [0u32, 1, 5, 31, 66, 131, 132, 256] {
            let row = &rows[n as usize];
            assert_eq!(row.len(), n as usize + 1);
            for k in 0..=n as usize {
                assert_eq!(row[k], row[n as usize - k]);
            }
            let sum: f64 = row.iter().sum();
            let expected = 2f64.powi(n as i32);
            assert!((sum - expected).abs() <= 1e-13 * expected, "n = {n}");
        }
    }

    #[test]
    fn pmf_sums_to_one_for_large_n() {
        for n in [256u32, 1024] {
            for p in [1e-3, 0.3, 0.999] {
                let pmf = binomial_pmf(n, p, Coefficients::Exact).unwrap();
                let s: f64 = pmf.iter().sum();
                assert!((s - 1.0).abs() < 1e-12, "n {n} p {p} sum {s}");
                assert!(pmf.iter().all(|v| v.is_finite() && *v >= 0.0));
            }
        }
    }

    #[test]
    fn reference_table_is_limited_to_66() {
        assert!(reference_table_row(66).is_ok());
        assert!(matches!(
            reference_table_row(67).unwrap_err().kind(),
            ErrorKind::ReferenceTableLimit { n: 67, .. }
        ));
    }
}
