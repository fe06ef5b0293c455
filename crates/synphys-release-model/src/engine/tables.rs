//! Tables shared by every evaluation of one (trajectory, n): ln binomial coefficients,
//! the fixed-site log-binomial weights and the depletion-mode per-event windows.

// Loops over events index several parallel arrays at once.
#![allow(clippy::needless_range_loop)]
use super::Work;
use super::trajectory::{Synapse, Trajectory};
use crate::binomial::{CoefficientTable, Coefficients};
use crate::error::Result;
use crate::kernel::{
    Accumulator, Grouped, LANES, LN_ZERO, Trial, Weights, ln_term_floor, terms_grouped,
};
use crate::model::rounded_sites;

/// ln C(m, k) for m = 0..=n, flattened by rows.
#[derive(Debug, Default, Clone)]
pub(crate) struct LnCoefficients {
    values: Vec<f64>,
    offsets: Vec<usize>,
}

impl LnCoefficients {
    pub(crate) fn new(n: u32, source: Coefficients) -> Result<LnCoefficients> {
        let table = CoefficientTable::new(n, source)?;
        let mut values = Vec::with_capacity((n as usize + 1) * (n as usize + 2) / 2);
        let mut offsets = Vec::with_capacity(n as usize + 1);
        for m in 0..=n {
            offsets.push(values.len());
            values.extend(table.row(m).iter().map(|c| c.ln()));
        }
        Ok(LnCoefficients { values, offsets })
    }

    /// Row m.
    #[inline]
    pub(crate) fn row(&self, m: u32) -> &[f64] {
        let start = self.offsets[m as usize];
        &self.values[start..start + m as usize + 1]
    }

    /// Offset of row m in [`LnCoefficients::values`].
    #[inline]
    pub(crate) fn offset(&self, m: u32) -> u32 {
        self.offsets[m as usize] as u32
    }

    /// All rows.
    pub(crate) fn values(&self) -> &[f64] {
        &self.values
    }
}

/// ln pmf of Binomial(m, p) at k.
#[inline(always)]
fn ln_pmf(ln_c: f64, k: u32, m: u32, lp: f64, lq: f64) -> f64 {
    ln_c + f64::from(k) * lp + f64::from(m - k) * lq
}

/// The k-interval around the mode of Binomial(m, p), 0 < p < 1, where
/// ln C(m, k) + k ln p + (m − k) ln(1 − p) ≥ `threshold` (an interval: the binomial is
/// log-concave; the mode always qualifies).
fn binomial_window(ln_c: &[f64], m: u32, p: f64, lp: f64, lq: f64, threshold: f64) -> (u32, u32) {
    let mode = ((f64::from(m) + 1.0) * p).floor().min(f64::from(m)) as u32;
    let above = |k: u32| ln_pmf(ln_c[k as usize], k, m, lp, lq) >= threshold;
    let (mut lo, mut hi) = (mode, mode);
    while lo > 0 && above(lo - 1) {
        lo -= 1;
    }
    while hi < m && above(hi + 1) {
        hi += 1;
    }
    (lo, hi)
}

/// Log-binomial weights of every counted event for one (trajectory, n), restricted to
/// the k that can matter for any σ ≥ `sigma_min`, laid out for the grouped kernel
/// ([`Grouped`]): events sorted by amplitude in groups of [`LANES`], one block of rows
/// (one row per k, one lane per event) per group.
#[derive(Debug, Default, Clone)]
pub(crate) struct FixedTable {
    x: Vec<f64>,
    lo: Vec<u32>,
    hi: Vec<u32>,
    first: Vec<u32>,
    offset: Vec<u32>,
    weights: Vec<f64>,
    events: usize,
}

impl FixedTable {
    pub(crate) fn build(
        &mut self,
        syn: &Synapse,
        n: u32,
        probs: &Trajectory,
        ln_c: &LnCoefficients,
        sigma_min: f64,
    ) {
        let events = syn.by_amplitude.len();
        let groups = events.div_ceil(LANES);
        self.events = events;
        let ln_c = ln_c.row(n);
        let norm_max = -0.5 * (2.0 * std::f64::consts::PI * sigma_min * sigma_min).ln();
        let threshold = ln_term_floor(n) - norm_max;
        // Per event: its amplitude, ln p, ln(1 − p) and binomial window (a release
        // probability of 0 or 1 is the single term k = 0 or k = n, of weight 0).
        let event = |i: u32| {
            let i = i as usize;
            let (x, p, lp, lq) = (syn.x[i], probs.p[i], probs.lp[i], probs.lq[i]);
            if p == 0.0 || p == 1.0 {
                let k = if p == 0.0 { 0 } else { n };
                (x, 0.0, 0.0, (k, k))
            } else {
                (x, lp, lq, binomial_window(ln_c, n, p, lp, lq, threshold))
            }
        };
        for v in [&mut self.lo, &mut self.hi] {
            v.clear();
            v.resize(groups * LANES, 0);
        }
        self.x.clear();
        self.x.resize(groups * LANES, 0.0);
        self.first.clear();
        self.offset.clear();
        self.weights.clear();
        for (g, lanes) in syn.by_amplitude.chunks(LANES).enumerate() {
            let at = g * LANES;
            let (mut first, mut last) = (u32::MAX, 0);
            let mut log_p = [(0.0, 0.0); LANES];
            for (j, &i) in lanes.iter().enumerate() {
                let (x, lp, lq, (lo, hi)) = event(i);
                (self.x[at + j], self.lo[at + j], self.hi[at + j]) = (x, lo, hi);
                log_p[j] = (lp, lq);
                (first, last) = (first.min(lo), last.max(hi));
            }
            // Unused lanes of the last group: no k.
            for j in lanes.len()..LANES {
                (self.lo[at + j], self.hi[at + j]) = (1, 0);
            }
            let offset = self.weights.len();
            self.first.push(first);
            self.offset.push(offset as u32);
            self.weights.resize(
                offset + (last - first + 1) as usize * LANES,
                f64::NEG_INFINITY,
            );
            for (j, &(lp, lq)) in log_p.iter().enumerate().take(lanes.len()) {
                for k in self.lo[at + j]..=self.hi[at + j] {
                    self.weights[offset + (k - first) as usize * LANES + j] =
                        ln_pmf(ln_c[k as usize], k, n, lp, lq);
                }
            }
        }
    }

    fn grouped(&self) -> Grouped<'_> {
        Grouped {
            x: &self.x,
            lo: &self.lo,
            hi: &self.hi,
            weights: Weights::Table {
                first: &self.first,
                offset: &self.offset,
                weights: &self.weights,
            },
            events: self.events,
        }
    }

    /// Score sums of every counted event for the trial's (q, cv, σ).
    pub(crate) fn evaluate<const DERIV: bool>(&self, trial: &Trial) -> Accumulator {
        crate::simd::terms_grouped::<DERIV>(&self.grouped(), trial)
            .unwrap_or_else(|| terms_grouped::<DERIV>(&self.grouped(), trial))
    }

    /// The portable kernel (used by tests to check the AVX2 one).
    #[cfg(test)]
    pub(crate) fn evaluate_portable<const DERIV: bool>(&self, trial: &Trial) -> Accumulator {
        terms_grouped::<DERIV>(&self.grouped(), trial)
    }
}

/// Depletion mode, where the number of available sites changes with q and the weights
/// are formed per term: the counted events sorted by amplitude (as in [`FixedTable`])
/// with their ln p, ln(1 − p) and, for every possible number of available sites, their
/// binomial window. Each evaluation deals the events, still in amplitude order, into
/// groups of [`LANES`] that share their number of available sites (so a group's terms
/// share one ln-coefficient row and need nearly the same k).
///
/// The vesicle pool before spike i is n − Dᵢ with the deficit Dᵢ = Cᵢ / q, where
/// Cᵢ = Σ_{j<i} xⱼ Π_{j<l≤i} recoveryₗ does not depend on q: so every event's pool at a
/// trial q is one multiply-add, with no serial chain through the events (which is also
/// what lets the events be taken in any order). The reference computes the pool step
/// by step; the two differ by rounding (~1e-13), which can only change the rounded site
/// count when a pool lies within that of a half-integer, so an evaluation with a pool
/// within a guard band of 1e-7·(n + 1) of one falls back to the reference's
/// step-by-step pool.
#[derive(Debug, Default, Clone)]
pub(crate) struct DepletionTable {
    /// Per sorted event: amplitude, ln p and ln(1 − p) ([`LN_ZERO`] for ln 0), together
    /// since the deal reads them together.
    events: Vec<(f64, f64, f64)>,
    /// Per sorted event and number of available sites m = 0..=n: the k where the
    /// binomial weight can reach the term floor (as in [`FixedTable`]).
    windows: Vec<(u32, u32)>,
    stride: usize,
    /// Per sorted event: its index among the measured events, and its Cᵢ.
    order: Vec<u32>,
    pub(super) deficit: Vec<f64>,
    /// Scratch: Cᵢ of every measured event.
    scratch: Vec<f64>,
    /// The inputs the evaluations need: the number of sites, ln C(m, k) for m ≤ n, and,
    /// for the step-by-step pool, every measured amplitude and its recovery factor.
    n: u32,
    ln_c: LnCoefficients,
    measured_x: Vec<f64>,
    recovery: Vec<f64>,
}

/// The lanes of one depletion-mode evaluation: each sorted event's number of available
/// sites, then the events dealt into groups by that number (see [`Grouped`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct SiteLanes {
    /// Available sites per sorted event.
    pub(super) m: Vec<u32>,
    /// Available sites per measured event (the step-by-step pool).
    pub(super) steps: Vec<u32>,
    /// Per number of available sites: events, then the next free lane.
    pub(super) cursor: Vec<u32>,
    pub(super) x: Vec<f64>,
    pub(super) lp: Vec<f64>,
    pub(super) lq: Vec<f64>,
    pub(super) lo: Vec<u32>,
    pub(super) hi: Vec<u32>,
    /// Per group: ln-coefficient row offset and number of available sites.
    pub(super) row: Vec<u32>,
    pub(super) sites: Vec<f64>,
}

impl DepletionTable {
    /// Prepares the counted events of `syn` for up to `n` sites, with the recovery
    /// factor exp(−dt/τ_depression) of every measured event; the binomial windows are
    /// those of [`FixedTable::build`] for every possible number of available sites.
    pub(crate) fn new(
        syn: &Synapse,
        n: u32,
        probs: &Trajectory,
        recovery: &[f64],
        ln_c: &LnCoefficients,
        sigma_min: f64,
    ) -> DepletionTable {
        let mut table = DepletionTable::default();
        table.build(syn, n, probs, recovery, ln_c, sigma_min);
        table
    }

    /// [`DepletionTable::new`] reusing this table's buffers.
    pub(crate) fn build(
        &mut self,
        syn: &Synapse,
        n: u32,
        probs: &Trajectory,
        recovery: &[f64],
        ln_c: &LnCoefficients,
        sigma_min: f64,
    ) {
        self.build_sites(syn, n, probs, ln_c, sigma_min);
        self.set_recovery(syn, recovery);
    }

    /// The part of [`DepletionTable::build`] that depends on the release probabilities
    /// and n but not on the depression time constant: in depletion mode the release
    /// probability does not depend on it, so a search builds this once per
    /// (Pr, facilitation, n) and only calls [`DepletionTable::set_recovery`] per
    /// depression τ. The table is usable once `set_recovery` has been called.
    pub(crate) fn build_sites(
        &mut self,
        syn: &Synapse,
        n: u32,
        probs: &Trajectory,
        ln_c: &LnCoefficients,
        sigma_min: f64,
    ) {
        self.n = n;
        self.ln_c.clone_from(ln_c);
        let norm_max = -0.5 * (2.0 * std::f64::consts::PI * sigma_min * sigma_min).ln();
        let threshold = ln_term_floor(n) - norm_max;
        self.stride = n as usize + 1;
        self.events.clear();
        self.windows.clear();
        self.order.clear();
        for &i in &syn.by_amplitude {
            let i = i as usize;
            let p = probs.p[i];
            let (lp, lq) = if p == 0.0 {
                (LN_ZERO, 0.0)
            } else if p == 1.0 {
                (0.0, LN_ZERO)
            } else {
                (probs.lp[i], probs.lq[i])
            };
            self.events.push((syn.x[i], lp, lq));
            self.order.push(i as u32);
            for m in 0..=n {
                self.windows.push(if p == 0.0 {
                    (0, 0)
                } else if p == 1.0 {
                    (m, m)
                } else {
                    binomial_window(ln_c.row(m), m, p, lp, lq, threshold)
                });
            }
        }
    }

    /// The part of [`DepletionTable::build`] that depends on the depression time
    /// constant: the recovery factor exp(−dt/τ_depression) of every measured event and
    /// each sorted event's deficit Cᵢ (`syn` must be the synapse given to
    /// [`DepletionTable::build_sites`]).
    pub(crate) fn set_recovery(&mut self, syn: &Synapse, recovery: &[f64]) {
        self.measured_x.clone_from(&syn.x);
        self.recovery.clear();
        self.recovery.extend_from_slice(recovery);
        self.scratch.clear();
        let mut c = 0.0;
        for (i, &r) in recovery.iter().enumerate() {
            c *= r;
            self.scratch.push(c);
            c += syn.x[i];
        }
        self.deficit.clear();
        self.deficit
            .extend(self.order.iter().map(|&i| self.scratch[i as usize]));
    }

    /// The vesicle pool at the trial's q, then the lanes.
    pub(super) fn fill(&self, trial: &Trial, lanes: &mut SiteLanes) {
        let n = self.n;
        // Round half to even as `rounded_sites` does.
        const SHIFTER: f64 = 6_755_399_441_055_744.0;
        let nf = f64::from(n);
        let inv_q = 1.0 / trial.q;
        let guard = 1e-7 * (nf + 1.0);
        let mut near_tie = false;
        lanes.m.clear();
        lanes.m.resize(self.deficit.len(), 0);
        // The site count is read from the low mantissa bits of rounded + 1.5·2⁵² (an
        // integer in [0, n]) rather than by a saturating float-to-int conversion.
        for (m, &c) in lanes.m.iter_mut().zip(&self.deficit) {
            let pool = (nf - c * inv_q).clamp(-1.0, nf + 1.0);
            let rounded = (pool + SHIFTER) - SHIFTER;
            near_tie |= ((pool - rounded).abs() - 0.5).abs() < guard;
            *m = (rounded.clamp(0.0, nf) + SHIFTER).to_bits() as u32;
        }
        if near_tie {
            self.fill_step_by_step(trial, lanes);
        } else {
            self.deal(lanes);
        }
    }

    /// [`DepletionTable::fill`] with the reference's step-by-step pool.
    pub(super) fn fill_step_by_step(&self, trial: &Trial, lanes: &mut SiteLanes) {
        let n = self.n;
        let nf = f64::from(n);
        let mut pool = nf;
        lanes.steps.clear();
        for (&x, &r) in self.measured_x.iter().zip(&self.recovery) {
            pool += (nf - pool) * (1.0 - r);
            lanes.steps.push(rounded_sites(pool, n));
            pool -= x / trial.q;
        }
        lanes.m.clear();
        lanes
            .m
            .extend(self.order.iter().map(|&i| lanes.steps[i as usize]));
        self.deal(lanes);
    }

    /// Deals the sorted events into groups by number of available sites (a stable
    /// counting sort, so amplitude order holds within each number), each number's last
    /// group padded with unused lanes.
    fn deal(&self, lanes: &mut SiteLanes) {
        let (n, ln_c) = (self.n, &self.ln_c);
        let SiteLanes {
            m,
            cursor,
            x,
            lp,
            lq,
            lo,
            hi,
            row,
            sites,
            ..
        } = lanes;
        cursor.clear();
        cursor.resize(n as usize + 1, 0);
        for &m in m.iter() {
            cursor[m as usize] += 1;
        }
        row.clear();
        sites.clear();
        let lanes_len = cursor
            .iter()
            .map(|&c| (c as usize).next_multiple_of(LANES))
            .sum();
        // Every lane is written below: the padding of each number's last group first,
        // then the events by the deal.
        x.resize(lanes_len, 0.0);
        lp.resize(lanes_len, 0.0);
        lq.resize(lanes_len, 0.0);
        lo.resize(lanes_len, 1);
        hi.resize(lanes_len, 0);
        // Plain slices, so that the scatter below keeps its pointers in registers
        // (through `&mut Vec` they were reloaded after every store, which made the
        // site counts and the deal a third of a depletion-mode evaluation).
        let (x, lp, lq, lo, hi) = (
            &mut x[..lanes_len],
            &mut lp[..lanes_len],
            &mut lq[..lanes_len],
            &mut lo[..lanes_len],
            &mut hi[..lanes_len],
        );
        let mut next = 0;
        for (sites_m, c) in cursor.iter_mut().enumerate() {
            let groups = (*c as usize).div_ceil(LANES);
            let offset = ln_c.offset(sites_m as u32);
            row.extend(std::iter::repeat_n(offset, groups));
            sites.extend(std::iter::repeat_n(sites_m as f64, groups));
            let end = next + groups * LANES;
            for at in next + *c as usize..end {
                (x[at], lp[at], lq[at], lo[at], hi[at]) = (0.0, 0.0, 0.0, 1, 0);
            }
            (*c, next) = (next as u32, end);
        }
        let cursor = &mut cursor[..];
        let stride = self.stride;
        let events = self.events.iter().zip(self.windows.chunks_exact(stride));
        for (&mj, (&(xj, lpj, lqj), windows)) in m.iter().zip(events) {
            let slot = &mut cursor[mj as usize];
            let at = *slot as usize;
            *slot += 1;
            (x[at], lp[at], lq[at]) = (xj, lpj, lqj);
            (lo[at], hi[at]) = windows[mj as usize];
        }
    }

    /// Score sums of every counted event for the trial in `work`.
    pub(crate) fn evaluate<const DERIV: bool>(&self, work: &mut Work) -> Accumulator {
        self.fill(&work.trial, &mut work.lanes);
        let g = self.grouped(&work.lanes);
        crate::simd::terms_grouped::<DERIV>(&g, &work.trial)
            .unwrap_or_else(|| terms_grouped::<DERIV>(&g, &work.trial))
    }

    fn grouped<'a>(&'a self, lanes: &'a SiteLanes) -> Grouped<'a> {
        Grouped {
            x: &lanes.x,
            lo: &lanes.lo,
            hi: &lanes.hi,
            weights: Weights::Formula {
                ln_c: self.ln_c.values(),
                row: &lanes.row,
                sites: &lanes.sites,
                lp: &lanes.lp,
                lq: &lanes.lq,
            },
            events: self.order.len(),
        }
    }

    /// The portable kernel (used by tests to check the AVX2 one).
    #[cfg(test)]
    pub(crate) fn evaluate_portable<const DERIV: bool>(&self, work: &mut Work) -> Accumulator {
        self.fill(&work.trial, &mut work.lanes);
        terms_grouped::<DERIV>(&self.grouped(&work.lanes), &work.trial)
    }
}
