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

/// Events are computed `LANES` at a time, one per lane (fixed-size arrays that the
/// compiler turns into SIMD operations).
pub(crate) const LANES: usize = 4;

/// `exp(a)` to within about 2 ulp, branch-free so that it vectorises: Cody–Waite
/// reduction to |r| ≤ ln2/2, a degree-12 Taylor polynomial (truncation < 2e-16), and
/// scaling by 2ᵏ through the exponent bits. Arguments below −708 give 0 (the callers
/// only need values above 1e-300); arguments are capped at 709.
#[inline(always)]
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
pub(crate) fn exp(a: f64) -> f64 {
    const LOG2E: f64 = std::f64::consts::LOG2_E;
    const LN2_HI: f64 = 6.93147180369123816490e-01;
    const LN2_LO: f64 = 1.90821492927058770002e-10;
    // 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    const C: [f64; 13] = [
        1.0,
        1.0,
        0.5,
        0.16666666666666666,
        0.041666666666666664,
        0.008333333333333333,
        0.001388888888888889,
        0.0001984126984126984,
        2.48015873015873e-05,
        2.7557319223985893e-06,
        2.755731922398589e-07,
        2.505210838544172e-08,
        2.08767569878681e-09,
    ];
    let x = a.clamp(-708.0, 709.0);
    let shifted = x * LOG2E + SHIFTER;
    let kf = shifted - SHIFTER;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    // Estrin's scheme: the same polynomial with a short dependency chain.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let p01 = C[0] + C[1] * r;
    let p23 = C[2] + C[3] * r;
    let p45 = C[4] + C[5] * r;
    let p67 = C[6] + C[7] * r;
    let p89 = C[8] + C[9] * r;
    let p1011 = C[10] + C[11] * r;
    let p0_3 = p01 + p23 * r2;
    let p4_7 = p45 + p67 * r2;
    let p8_11 = p89 + p1011 * r2;
    let p8_12 = p8_11 + C[12] * r4;
    let p = (p0_3 + p4_7 * r4) + p8_12 * r8;
    let k = (shifted.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
    let scale = f64::from_bits(((k + 1023) as u64) << 52);
    let y = p * scale;
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
    /// 1 / (2q²)
    pub(crate) inv_2q2: f64,
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
        self.inv_2q2 = 0.5 / (q * q);
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
    /// reach the term floor; `None` when no k can. The roots of q²k² − b·k + c = 0 are
    /// only needed to the nearest integer, outward: their absolute rounding error is
    /// ~1e-15·k, so the plain formula is safe even when it cancels.
    #[inline(always)]
    pub(crate) fn window(&self, x: f64, lo: u32, hi: u32) -> Option<(u32, u32)> {
        let b = 2.0 * x * self.q + self.z2 * self.alpha;
        let c = x * x - self.z2 * self.sigma2;
        let disc = b * b - 4.0 * (self.q * self.q) * c;
        if disc.is_nan() || disc < 0.0 {
            return None;
        }
        let root = disc.sqrt();
        let k_lo = (b - root) * self.inv_2q2;
        let k_hi = (b + root) * self.inv_2q2;
        // floor / ceil by truncating casts (saturating; the baseline target has no
        // rounding instruction and would call libm).
        let from = if k_lo > f64::from(lo) {
            k_lo as u32
        } else {
            lo
        };
        if k_hi.is_nan() || k_hi < 0.0 {
            return None;
        }
        let t = k_hi as u32;
        let to = if f64::from(t) < k_hi {
            t.saturating_add(1)
        } else {
            t
        }
        .min(hi);
        (from <= to).then_some((from, to))
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

    /// A running sum from its mantissa (in [1, 2)) and power-of-two exponent.
    pub(crate) fn from_parts(mantissa: f64, exponent: i64) -> LogSum {
        LogSum { mantissa, exponent }
    }

    pub(crate) fn ln(&self) -> f64 {
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2
    }

    /// Adds another running sum.
    pub(crate) fn merge(&mut self, other: &LogSum) {
        self.add(other.mantissa);
        self.exponent += other.exponent;
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

#[inline(always)]
fn lanes(v: &[f64], at: usize) -> [f64; LANES] {
    let mut out = [0.0; LANES];
    out.copy_from_slice(&v[at..at + LANES]);
    out
}

#[inline(always)]
fn lane_sum(v: [f64; LANES]) -> f64 {
    (v[0] + v[1]) + (v[2] + v[3])
}

/// Where the log-weights ln pmf of a group's terms come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Weights<'a> {
    /// Tabulated (outside depletion mode): per group, the first k of its block and the
    /// block's offset in `weights`; a block holds one row of `LANES` log-weights per k
    /// from `first` on, covering every lane's interval (−∞ outside a lane's own).
    Table {
        first: &'a [u32],
        offset: &'a [u32],
        weights: &'a [f64],
    },
    /// Formed per term (depletion mode, where the number of available sites N changes
    /// with q) as ln C(N, k) + k ln p + (N − k) ln(1 − p), with one N per group: per
    /// group, the offset of row N in the ln-coefficient rows `ln_c` and N; per
    /// lane, ln p and ln(1 − p) (with [`LN_ZERO`] for ln 0).
    Formula {
        ln_c: &'a [f64],
        row: &'a [u32],
        sites: &'a [f64],
        lp: &'a [f64],
        lq: &'a [f64],
    },
}

/// The slices of a [`Weights`] (those of the other variant empty), for kernels that
/// pick the variant at compile time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WeightParts<'a> {
    pub(crate) formula: bool,
    pub(crate) first: &'a [u32],
    pub(crate) offset: &'a [u32],
    pub(crate) weights: &'a [f64],
    pub(crate) ln_c: &'a [f64],
    pub(crate) row: &'a [u32],
    pub(crate) sites: &'a [f64],
    pub(crate) lp: &'a [f64],
    pub(crate) lq: &'a [f64],
}

impl<'a> Weights<'a> {
    #[inline(always)]
    pub(crate) fn parts(&self) -> WeightParts<'a> {
        let mut parts = WeightParts {
            formula: false,
            first: &[],
            offset: &[],
            weights: &[],
            ln_c: &[],
            row: &[],
            sites: &[],
            lp: &[],
            lq: &[],
        };
        match *self {
            Weights::Table {
                first,
                offset,
                weights,
            } => (parts.first, parts.offset, parts.weights) = (first, offset, weights),
            Weights::Formula {
                ln_c,
                row,
                sites,
                lp,
                lq,
            } => {
                parts.formula = true;
                (parts.ln_c, parts.row, parts.sites, parts.lp, parts.lq) =
                    (ln_c, row, sites, lp, lq);
            }
        }
        parts
    }
}

/// ln 0 as a finite number, so that a weight k ln p + (N − k) ln(1 − p) with p = 0 or 1
/// is 0 for the one possible k (0 · `LN_ZERO` = 0) and below −1e299 for every other
/// k, a term of exactly 0.
pub(crate) const LN_ZERO: f64 = -1e300;

/// The counted events of an evaluation in groups of [`LANES`], sorted by amplitude so
/// that the events of a group need nearly the same k: the terms of a group are computed
/// one k at a time with one event per lane, so no lane is wasted on padding past an
/// event's window, and each event's three sums stay in their lane until they are
/// combined into per-lane score sums.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grouped<'a> {
    /// Amplitude per lane (groups × `LANES`; 0 in the last group's unused lanes).
    pub(crate) x: &'a [f64],
    /// Per lane, the k interval where the binomial weight can reach the term floor
    /// (lo > hi for unused lanes: the end of the last group, and in depletion mode the
    /// end of each number of available sites' groups).
    pub(crate) lo: &'a [u32],
    pub(crate) hi: &'a [u32],
    pub(crate) weights: Weights<'a>,
    /// Number of events.
    pub(crate) events: usize,
}

impl Grouped<'_> {
    /// Number of groups.
    #[inline]
    pub(crate) fn groups(&self) -> usize {
        self.x.len() / LANES
    }

    /// The union over the lanes of group `i` of the k where a term can reach the floor
    /// (each lane's binomial interval cut to its Gaussian window), or `None`.
    #[inline(always)]
    pub(crate) fn window(&self, t: &Trial, i: usize) -> Option<(u32, u32)> {
        let mut range: Option<(u32, u32)> = None;
        for e in i * LANES..(i + 1) * LANES {
            if self.lo[e] > self.hi[e] {
                continue;
            }
            if let Some((a, b)) = t.window(self.x[e], self.lo[e], self.hi[e]) {
                range = Some(range.map_or((a, b), |(c, d)| (c.min(a), d.max(b))));
            }
        }
        range
    }

    /// The log-weights of group `i`'s lanes at k.
    #[inline(always)]
    fn weights(&self, i: usize, k: u32) -> [f64; LANES] {
        let w = self.weights.parts();
        if w.formula {
            let (c, kf) = (w.ln_c[(w.row[i] + k) as usize], f64::from(k));
            std::array::from_fn(|j| {
                c + kf * w.lp[i * LANES + j] + (w.sites[i] - kf) * w.lq[i * LANES + j]
            })
        } else {
            lanes(
                w.weights,
                w.offset[i] as usize + (k - w.first[i]) as usize * LANES,
            )
        }
    }

    /// Whether each lane of group `i` holds an event (unused lanes have lo > hi).
    #[inline(always)]
    fn real(&self, i: usize) -> [bool; LANES] {
        std::array::from_fn(|j| self.lo[i * LANES + j] <= self.hi[i * LANES + j])
    }
}

/// Adds one group's per-lane sums (of the `real` lanes) to the running per-lane score
/// sums.
#[inline(always)]
fn finish_group<const DERIV: bool>(
    l: [f64; LANES],
    l1: [f64; LANES],
    l2: [f64; LANES],
    real: [bool; LANES],
    logs: &mut [LogSum; LANES],
    grad: &mut [f64; LANES],
    hess: &mut [f64; LANES],
) {
    for j in 0..LANES {
        let shifted = if real[j] { l[j] + 0.1 } else { 1.0 };
        logs[j].add(shifted);
        if DERIV {
            let inv = 1.0 / shifted;
            let g = l1[j] * inv;
            grad[j] += g;
            hess[j] += l2[j] * inv - g * g;
        }
    }
}

/// Combines per-lane score sums into an accumulator over `events` events.
pub(crate) fn combine_lanes(
    logs: &[LogSum; LANES],
    grad: [f64; LANES],
    hess: [f64; LANES],
    events: usize,
) -> Accumulator {
    let mut acc = Accumulator::new();
    for log in logs {
        acc.log.merge(log);
    }
    acc.grad = lane_sum(grad);
    acc.hess = lane_sum(hess);
    acc.count = events;
    acc
}

/// Portable evaluation of grouped events: the score sums over all events.
pub(crate) fn terms_grouped<const DERIV: bool>(g: &Grouped<'_>, t: &Trial) -> Accumulator {
    let mut logs = [LogSum::new(); LANES];
    let (mut grad, mut hess) = ([0.0; LANES], [0.0; LANES]);
    for i in 0..g.groups() {
        let (mut l, mut l1, mut l2) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
        if let Some((a, b)) = g.window(t, i) {
            let x = lanes(g.x, i * LANES);
            for k in a..=b {
                let (ku, w) = (k as usize, g.weights(i, k));
                let mut r = [0.0; LANES];
                let mut e = [0.0; LANES];
                for j in 0..LANES {
                    r[j] = x[j] - t.kq[ku];
                    e[j] = exp(w[j] + t.norm[ku] - r[j] * r[j] * t.half_inv_var[ku]);
                    l[j] += e[j];
                }
                if DERIV {
                    for j in 0..LANES {
                        let gr = (t.a1[ku] + t.a2[ku] * r[j]) * r[j] + t.a3[ku];
                        let h = (t.b1[ku] + t.b2[ku] * r[j]) * r[j] + t.b0[ku];
                        l1[j] += e[j] * gr;
                        l2[j] += e[j] * (h + gr * gr);
                    }
                }
            }
        }
        finish_group::<DERIV>(l, l1, l2, g.real(i), &mut logs, &mut grad, &mut hess);
    }
    combine_lanes(&logs, grad, hess, g.events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exp_is_within_three_ulp() {
        let mut worst = 0.0f64;
        let mut a: f64 = -707.9;
        while a < 709.0 {
            let want = a.exp();
            let got = exp(a);
            worst = worst.max(((got - want) / want).abs());
            a += 0.000_937_1;
        }
        assert!(worst <= 5e-16, "worst relative error {worst:e}");
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
