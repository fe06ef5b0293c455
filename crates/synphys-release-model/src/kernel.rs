//! The inner loop of the search: the score `mean(ln(L + 0.1))` and its first two
//! derivatives with respect to u = ln|q|, over one synapse's events.
//!
//! Each event's density is Σₖ exp(Aₖ) with
//! Aₖ = ln pmfₖ − ½ ln(2π vₖ) − (x − kq)² / (2 vₖ), vₖ = k (q·cv)² + σ²,
//! so one `exp` per mixture term carries both the binomial and the Gaussian factor.
//!
//! Terms are skipped only when they cannot matter: a term is left out when
//! Aₖ < ln(`term_floor`), with `term_floor` = 2⁻⁵⁶ · 0.1 / (n + 1). As L + 0.1 ≥ 0.1, all
//! skipped terms of one event together change L + 0.1 by less than 2⁻⁵⁶ of itself —
//! below half an ulp. Two cheap bounds find the terms that can matter: the binomial
//! factor alone (ln pmfₖ + max ½ ln(1/(2πσ²)) must reach the floor, an interval in k since
//! the binomial is log-concave) and the Gaussian factor alone (the quadratic
//! (x − kq)² ≤ Z² (k (q·cv)² + σ²) must hold).

/// Relative size (to 0.1) below which all skipped terms of one event stay.
const SKIP_FRACTION: f64 = 1.0 / 72_057_594_037_927_936.0; // 2⁻⁵⁶

/// `ln(term_floor)` for a mixture of up to `n + 1` terms.
pub(crate) fn ln_term_floor(n: u32) -> f64 {
    (0.1 * SKIP_FRACTION / (f64::from(n) + 1.0)).ln()
}

/// `exp(a)` to within 1 ulp, written so that loops over it vectorise: Cody–Waite range
/// reduction to |r| ≤ ln2/2, the fdlibm rational approximation of `exp(r)`, and scaling
/// by 2ᵏ through the exponent bits. Arguments below −708 give 0 (the callers only need
/// values above 1e-300); arguments are capped at 709.
#[inline(always)]
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
pub(crate) fn exp(a: f64) -> f64 {
    const LOG2E: f64 = std::f64::consts::LOG2_E;
    const LN2_HI: f64 = 6.93147180369123816490e-01;
    const LN2_LO: f64 = 1.90821492927058770002e-10;
    // 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    const P1: f64 = 1.66666666666666019037e-01;
    const P2: f64 = -2.77777777770155933842e-03;
    const P3: f64 = 6.61375632143793436117e-05;
    const P4: f64 = -1.65339022054652515390e-06;
    const P5: f64 = 4.13813679705723846039e-08;
    let x = a.clamp(-708.0, 709.0);
    let shifted = x * LOG2E + SHIFTER;
    let kf = shifted - SHIFTER;
    let hi = x - kf * LN2_HI;
    let lo = kf * LN2_LO;
    let r = hi - lo;
    let r2 = r * r;
    let c = r - r2 * (P1 + r2 * (P2 + r2 * (P3 + r2 * (P4 + r2 * P5))));
    let er = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    let k = (shifted.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
    let scale = f64::from_bits(((k + 1023) as u64) << 52);
    let y = er * scale;
    if a < -708.0 { 0.0 } else { y }
}

/// Per-trial constants over k = 0..=n for one (q, cv, σ).
#[derive(Debug, Default, Clone)]
pub(crate) struct Trial {
    pub(crate) q: f64,
    /// (q·cv)²
    pub(crate) alpha: f64,
    pub(crate) sigma2: f64,
    /// Z² of the Gaussian window.
    pub(crate) z2: f64,
    pub(crate) kq: Vec<f64>,
    /// −½ ln(2π vₖ)
    pub(crate) norm: Vec<f64>,
    /// 1 / (2 vₖ)
    pub(crate) half_inv_var: Vec<f64>,
    /// dA/du = a1·r + a2·r² + a3
    pub(crate) a1: Vec<f64>,
    pub(crate) a2: Vec<f64>,
    pub(crate) a3: Vec<f64>,
    /// d²A/du² = b0 + b1·r + b2·r²
    pub(crate) b0: Vec<f64>,
    pub(crate) b1: Vec<f64>,
    pub(crate) b2: Vec<f64>,
}

impl Trial {
    /// Fills the constants for up to `n` sites.
    pub(crate) fn set(&mut self, n: u32, q: f64, cv: f64, sigma: f64, ln_floor: f64) {
        let len = n as usize + 1;
        self.q = q;
        self.alpha = (q * cv) * (q * cv);
        self.sigma2 = sigma * sigma;
        // Largest Gaussian normaliser over k (v ≥ σ²).
        let norm_max = -0.5 * (2.0 * std::f64::consts::PI * self.sigma2).ln();
        self.z2 = 2.0 * (norm_max - ln_floor);
        for v in [
            &mut self.kq,
            &mut self.norm,
            &mut self.half_inv_var,
            &mut self.a1,
            &mut self.a2,
            &mut self.a3,
            &mut self.b0,
            &mut self.b1,
            &mut self.b2,
        ] {
            v.clear();
            v.reserve(len);
        }
        for k in 0..len {
            let kf = k as f64;
            let var = self.alpha * kf + self.sigma2;
            let kq = kf * q;
            let w = 2.0 * kf * self.alpha;
            let iv = 1.0 / var;
            self.kq.push(kq);
            self.norm
                .push(-0.5 * (2.0 * std::f64::consts::PI * var).ln());
            self.half_inv_var.push(0.5 * iv);
            self.a1.push(kq * iv);
            self.a2.push(0.5 * w * iv * iv);
            self.a3.push(-0.5 * w * iv);
            self.b0.push(-kq * kq * iv - w * iv + 0.5 * w * w * iv * iv);
            self.b1.push(kq * iv - 2.0 * kq * w * iv * iv);
            self.b2.push(w * iv * iv - w * w * iv * iv * iv);
        }
    }

    /// The k-interval (inclusive, clipped to [lo, hi]) where the Gaussian factor can
    /// reach the term floor; `None` when no k can.
    #[inline(always)]
    pub(crate) fn window(&self, x: f64, lo: u32, hi: u32) -> Option<(u32, u32)> {
        let q2 = self.q * self.q;
        let b = 2.0 * x * self.q + self.z2 * self.alpha;
        let c = x * x - self.z2 * self.sigma2;
        let disc = b * b - 4.0 * q2 * c;
        if disc.is_nan() || disc < 0.0 {
            return None;
        }
        let root = disc.sqrt();
        // Stable roots of q²k² − b·k + c = 0.
        let (k_lo, k_hi) = if b >= 0.0 {
            let s = b + root;
            (if s > 0.0 { 2.0 * c / s } else { 0.0 }, s / (2.0 * q2))
        } else {
            let s = b - root;
            (s / (2.0 * q2), if s < 0.0 { 2.0 * c / s } else { 0.0 })
        };
        let from = k_lo.floor().max(f64::from(lo));
        let to = k_hi.ceil().min(f64::from(hi));
        if !(from <= to) {
            return None;
        }
        Some((from as u32, to as u32))
    }
}

/// Running `Σ ln(L + 0.1)` kept as an exact mantissa–exponent product: one multiply per
/// event instead of one logarithm (relative rounding ≤ 2⁻⁵³ per event).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogSum {
    mantissa: f64,
    exponent: i64,
}

impl LogSum {
    pub(crate) fn new() -> LogSum {
        LogSum {
            mantissa: 1.0,
            exponent: 0,
        }
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, value: f64) {
        let m = self.mantissa * value;
        let bits = m.to_bits();
        let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
        self.exponent += e;
        self.mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | (1023u64 << 52));
    }

    pub(crate) fn ln(&self) -> f64 {
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2
    }
}

/// Score accumulator: Σ ln(L+0.1) and, when wanted, Σ d/du and Σ d²/du².
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accumulator {
    pub(crate) log: LogSum,
    pub(crate) grad: f64,
    pub(crate) hess: f64,
    pub(crate) count: usize,
}

impl Accumulator {
    pub(crate) fn new() -> Accumulator {
        Accumulator {
            log: LogSum::new(),
            grad: 0.0,
            hess: 0.0,
            count: 0,
        }
    }
}

/// Adds one event whose mixture terms k = lo..=hi have log-binomial weights `lpmf`
/// (indexed from `lo`).
#[inline(always)]
pub(crate) fn add_event<const DERIV: bool>(
    acc: &mut Accumulator,
    trial: &Trial,
    x: f64,
    lo: usize,
    lpmf: &[f64],
) {
    let hi = lo + lpmf.len();
    let kq = &trial.kq[lo..hi];
    let norm = &trial.norm[lo..hi];
    let hiv = &trial.half_inv_var[lo..hi];
    let (mut l, mut l1, mut l2) = (0.0, 0.0, 0.0);
    if DERIV {
        let (a1, a2, a3) = (&trial.a1[lo..hi], &trial.a2[lo..hi], &trial.a3[lo..hi]);
        let (b0, b1, b2) = (&trial.b0[lo..hi], &trial.b1[lo..hi], &trial.b2[lo..hi]);
        for j in 0..lpmf.len() {
            let r = x - kq[j];
            let e = exp(lpmf[j] + norm[j] - r * r * hiv[j]);
            let g = (a1[j] + a2[j] * r) * r + a3[j];
            let h = (b1[j] + b2[j] * r) * r + b0[j];
            l += e;
            l1 += e * g;
            l2 += e * (h + g * g);
        }
    } else {
        for j in 0..lpmf.len() {
            let r = x - kq[j];
            l += exp(lpmf[j] + norm[j] - r * r * hiv[j]);
        }
    }
    finish_event::<DERIV>(acc, l, l1, l2);
}

#[inline(always)]
pub(crate) fn finish_event<const DERIV: bool>(acc: &mut Accumulator, l: f64, l1: f64, l2: f64) {
    let shifted = l + 0.1;
    acc.log.add(shifted);
    acc.count += 1;
    if DERIV {
        let inv = 1.0 / shifted;
        let g = l1 * inv;
        acc.grad += g;
        acc.hess += l2 * inv - g * g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exp_is_within_one_ulp() {
        let mut worst = 0.0f64;
        let mut a = -707.9;
        while a < 709.0 {
            let want = a.exp();
            let got = exp(a);
            worst = worst.max(((got - want) / want).abs());
            a += 0.000_937_1;
        }
        assert!(worst <= 2.3e-16, "worst relative error {worst:e}");
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn log_sum_matches_sum_of_logs() {
        let values: Vec<f64> = (0..5000)
            .map(|i| 0.1 + (i as f64 * 0.37).sin().abs() * 1e4)
            .collect();
        let mut s = LogSum::new();
        for v in &values {
            s.add(*v);
        }
        let direct: f64 = values.iter().map(|v| v.ln()).sum();
        assert!((s.ln() - direct).abs() < 1e-10 * direct.abs());
    }
}
