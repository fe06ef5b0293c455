//! Fast score evaluation and mini-amplitude optimisation for one synapse.
//!
//! The structure the search exploits:
//! * Missing events update nothing, so they are dropped once (keeping the spike-time
//!   bookkeeping of the reference: `dt` runs from the previous *measured* spike).
//! * The release probability at each spike depends only on (Pr, depression, facilitation)
//!   and the spike times ([`release_probabilities`]); outside depletion mode the number
//!   of sites is n at every spike, so the log-binomial weights of every event depend on
//!   (trajectory, n) only and are computed once ([`FixedTable`]) for all cv and q.
//! * The initial estimate of q depends on (trajectory, n) only, not on cv.
//! * Per q trial, everything that depends on (q, cv, σ, k) but not on the event is
//!   tabulated once ([`Trial`]); the inner loop then costs one `exp` per mixture term
//!   that can matter (see [`crate::kernel`]) and allocates nothing.
//! * q is found by following the reference's own Nelder–Mead ([`nelder_mead`],
//!   remembering revisited points), so that no result is below the reference's; outside
//!   depletion mode a safeguarded Newton iteration on u = ln(q / q₀) with the analytic
//!   first and second derivatives of the score ([`maximise`]) then climbs from its end
//!   point. In depletion mode, where the rounded vesicle count makes the score a
//!   saw-tooth in q, the Nelder–Mead end point is the result.

mod tables;
#[cfg(test)]
mod tests;
mod trajectory;

pub(crate) use tables::{DepletionTable, FixedTable, LnCoefficients, SiteLanes};
pub(crate) use trajectory::{
    Synapse, Trajectory, raw_estimate, release_probabilities, starting_point,
};

use crate::kernel::{Accumulator, Trial, ln_term_floor};
use crate::optim::{maximise, nelder_mead};

/// ln 0.01 and ln 100: the reference's bounds [0.01, 100] × q₀ in u.
pub(crate) const U_BOUNDS: (f64, f64) = (-4.605_170_185_988_091, 4.605_170_185_988_091);

/// Converts an accumulator to (mean ln(L+0.1), mean d/du, mean d²/du²).
#[inline]
pub(crate) fn means(acc: &Accumulator) -> (f64, f64, f64) {
    let c = acc.count as f64;
    (acc.log.ln() / c, acc.grad / c, acc.hess / c)
}

/// Reusable per-thread buffers of the evaluations.
#[derive(Debug, Default, Clone)]
pub(crate) struct Work {
    pub(crate) trial: Trial,
    pub(crate) lanes: SiteLanes,
}

/// Everything needed to evaluate points that share (trajectory, n).
#[derive(Clone, Copy)]
pub(crate) enum Shape<'a> {
    Fixed(&'a FixedTable),
    Depletion(&'a DepletionTable),
}

impl Shape<'_> {
    /// Score sums at (q, cv, σ).
    #[inline]
    fn evaluate<const DERIV: bool>(
        &self,
        n: u32,
        q: f64,
        cv: f64,
        sigma: f64,
        work: &mut Work,
    ) -> Accumulator {
        work.trial.set(n, q, cv, sigma, ln_term_floor(n));
        match *self {
            Shape::Fixed(t) => t.evaluate::<DERIV>(&work.trial),
            Shape::Depletion(t) => t.evaluate::<DERIV>(work),
        }
    }
}

/// Result of [`optimise_point`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PointFit {
    pub(crate) q: f64,
    pub(crate) score: f64,
    pub(crate) evaluations: u32,
}

/// Optimises q for one (cv, σ) given the shared tables, from the reference's starting
/// point `start` and within its bounds [0.01, 100] × `start`.
///
/// Both modes first follow the reference's own Nelder–Mead path ([`reference_path`]), so
/// the result is never below the reference's (the argument is in the crate README).
/// Outside depletion mode, where the score is smooth in q, a safeguarded Newton
/// iteration on ln q then climbs from the reference's end point to the local maximum
/// it lies under; in depletion mode, where the rounded vesicle count makes the score a
/// saw-tooth in q, the reference's end point is the result.
pub(crate) fn optimise_point(
    shape: Shape<'_>,
    n: u32,
    start: f64,
    cv: f64,
    sigma: f64,
    work: &mut Work,
) -> PointFit {
    let reference = reference_path(shape, n, start, cv, sigma, work, None);
    match shape {
        Shape::Fixed(_) => {
            let u0 = (reference.q / start).ln().clamp(U_BOUNDS.0, U_BOUNDS.1);
            let polish = maximise(
                |u| means(&shape.evaluate::<true>(n, start * u.exp(), cv, sigma, work)),
                u0,
                U_BOUNDS.0,
                U_BOUNDS.1,
            );
            let evaluations = reference.evaluations + polish.evaluations;
            let score = polish.value.exp();
            if score >= reference.score {
                PointFit {
                    q: start * polish.u.exp(),
                    score,
                    evaluations,
                }
            } else {
                PointFit {
                    evaluations,
                    ..reference
                }
            }
        }
        Shape::Depletion(_) => reference,
    }
}

/// The reference's optimisation: SciPy's Nelder–Mead on q from `start` ([`nelder_mead`]),
/// each trial q clipped to [0.01, 100] × `start`. When `trace` is given, every call of
/// the objective is appended to it as (q, score), in call order.
pub(crate) fn reference_path(
    shape: Shape<'_>,
    n: u32,
    start: f64,
    cv: f64,
    sigma: f64,
    work: &mut Work,
    mut trace: Option<&mut Vec<(f64, f64)>>,
) -> PointFit {
    let (b0, b1) = (start * 0.01, start * 100.0);
    let (lo, hi) = (b0.min(b1), b0.max(b1));
    // One-dimensional Nelder–Mead often returns to a point it has already evaluated (a
    // reflection of a reflection); those values are remembered, so the path and the
    // result stay exactly those of the reference at fewer evaluations.
    let mut seen: Vec<(u64, f64)> = Vec::with_capacity(64);
    let (q, neg_score, _) = nelder_mead(
        |x| {
            let q = x.clamp(lo, hi);
            let f = match seen.iter().find(|(bits, _)| *bits == q.to_bits()) {
                Some(&(_, f)) => f,
                None => {
                    let f = -means(&shape.evaluate::<false>(n, q, cv, sigma, work))
                        .0
                        .exp();
                    seen.push((q.to_bits(), f));
                    f
                }
            };
            if let Some(trace) = trace.as_deref_mut() {
                trace.push((q, -f));
            }
            f
        },
        start,
    );
    PointFit {
        q: q.clamp(lo, hi),
        score: -neg_score,
        evaluations: seen.len() as u32,
    }
}

/// Score (not optimised) at a given q.
pub(crate) fn score_at(
    shape: Shape<'_>,
    n: u32,
    q: f64,
    cv: f64,
    sigma: f64,
    work: &mut Work,
) -> f64 {
    means(&shape.evaluate::<false>(n, q, cv, sigma, work))
        .0
        .exp()
}
