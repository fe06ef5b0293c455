//! Safeguarded Newton maximisation in one variable.

/// Result of [`maximise`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Optimum {
    /// u = ln(q / q₀) at the best point.
    pub(crate) u: f64,
    /// Mean ln(L + 0.1) at the best point.
    pub(crate) value: f64,
    pub(crate) evaluations: u32,
}

/// Bracket width in u below which the search stops (q to ~1e-7 relative).
const U_TOL: f64 = 1e-7;
/// Predicted gain in mean ln(L + 0.1) below which Newton has converged: the score is
/// then within ~1e-6 of its local maximum, relatively (the reference's Nelder–Mead stops
/// within 0.01 absolute, ~1e-5 relative).
const GAIN_TOL: f64 = 1e-6;
/// Largest step in u (a factor e in q).
const MAX_STEP: f64 = 1.0;
const MAX_EVALUATIONS: u32 = 60;

/// Maximises f(u) on [lo, hi] from u = `u0` by Newton's method on f′ = 0, safeguarded by
/// a bracket of the maximiser (f′ > 0 at its left end, f′ < 0 at its right end) and
/// bisection. `eval` returns (f, f′, f″). The best point seen is returned, so the
/// result is never worse than the start.
pub(crate) fn maximise<E: FnMut(f64) -> (f64, f64, f64)>(
    mut eval: E,
    u0: f64,
    lo: f64,
    hi: f64,
) -> Optimum {
    let mut u = u0;
    let (mut f, mut g, mut h) = eval(u);
    let mut evaluations = 1;
    let mut best = (u, f);
    let (mut a, mut b) = (lo, hi);
    let (mut a_seen, mut b_seen) = (false, false);
    while evaluations < MAX_EVALUATIONS && f.is_finite() {
        if g > 0.0 {
            a = u;
            a_seen = true;
        } else if g < 0.0 {
            b = u;
            b_seen = true;
        } else {
            break;
        }
        if b - a < U_TOL {
            break;
        }
        let newton = if h < 0.0 {
            -g / h
        } else {
            f64::INFINITY.copysign(g)
        };
        if h < 0.0 && 0.5 * g * newton < GAIN_TOL {
            break;
        }
        let mut next = u + newton.clamp(-MAX_STEP, MAX_STEP);
        if !(next > a && next < b) {
            next = if next >= b {
                if b_seen { 0.5 * (u + b) } else { b }
            } else if a_seen {
                0.5 * (u + a)
            } else {
                a
            };
        }
        if next == u {
            break;
        }
        u = next;
        (f, g, h) = eval(u);
        evaluations += 1;
        if f > best.1 {
            best = (u, f);
        }
        if (u == hi && g > 0.0) || (u == lo && g < 0.0) {
            break;
        }
    }
    Optimum {
        u: best.0,
        value: best.1,
        evaluations,
    }
}
