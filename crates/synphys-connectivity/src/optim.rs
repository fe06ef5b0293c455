//! Small bounded optimisers: a box-constrained Newton method for up to three parameters,
//! a bracketing minimiser for one parameter, and a safeguarded root finder.
//!
//! The fits here have one to three parameters with box bounds (and at most one linear
//! constraint, handled by the caller), smooth likelihoods with analytic derivatives, and
//! are run thousands of times in the coverage study, so a compact projected Newton method
//! with a backtracking line search fits them better than a general-purpose solver.

use nalgebra::{DMatrix, DVector};

/// The most parameters any fit here has.
pub(crate) const MAXP: usize = 3;

/// Value, gradient and Hessian of an objective at one point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Eval {
    pub(crate) f: f64,
    pub(crate) g: [f64; MAXP],
    pub(crate) h: [[f64; MAXP]; MAXP],
}

impl Eval {
    pub(crate) fn infinite() -> Eval {
        Eval {
            f: f64::INFINITY,
            g: [f64::NAN; MAXP],
            h: [[f64::NAN; MAXP]; MAXP],
        }
    }
}

/// Outcome of a local minimisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Local {
    pub(crate) x: [f64; MAXP],
    pub(crate) f: f64,
    pub(crate) converged: bool,
    pub(crate) evaluations: usize,
}

/// Minimises `objective` over the box `[lo, hi]` (first `n` components) from `x0`.
///
/// Coordinates with `lo == hi` are fixed. Steps are Newton steps in coordinates scaled to
/// the box (Hessian shifted towards the identity when it is not positive definite), with
/// the active bounds fixed and a projected backtracking line search.
pub(crate) fn minimize_box<F>(
    n: usize,
    x0: [f64; MAXP],
    lo: [f64; MAXP],
    hi: [f64; MAXP],
    mut objective: F,
) -> Local
where
    F: FnMut(&[f64; MAXP]) -> Eval,
{
    const MAX_ITER: usize = 200;
    let mut scale = [0.0; MAXP];
    for i in 0..n {
        scale[i] = hi[i] - lo[i];
    }
    let clamp = |x: [f64; MAXP]| {
        let mut y = x;
        for i in 0..n {
            y[i] = x[i].clamp(lo[i], hi[i]);
        }
        y
    };
    let mut x = clamp(x0);
    let mut e = objective(&x);
    let mut evaluations = 1;
    if !e.f.is_finite() || !gradient_finite(n, &e) {
        // The start is infeasible; look on a coarse grid of the box for a finite point.
        let mut best: Option<([f64; MAXP], Eval)> = None;
        for point in grid_points(n, lo, hi) {
            let candidate = objective(&point);
            evaluations += 1;
            if candidate.f.is_finite()
                && gradient_finite(n, &candidate)
                && best.as_ref().is_none_or(|(_, b)| candidate.f < b.f)
            {
                best = Some((point, candidate));
            }
        }
        match best {
            Some((point, candidate)) => {
                x = point;
                e = candidate;
            }
            None => {
                return Local {
                    x,
                    f: e.f,
                    converged: false,
                    evaluations,
                };
            }
        }
    }
    let mut converged = false;
    for _ in 0..MAX_ITER {
        let fscale = e.f.abs().max(1.0);
        // Gradient in box-scaled coordinates; a bound is active when the gradient pushes
        // outwards through it.
        let mut free = [false; MAXP];
        let mut gz = [0.0; MAXP];
        let mut pg = 0.0f64;
        for i in 0..n {
            if scale[i] <= 0.0 {
                continue;
            }
            gz[i] = e.g[i] * scale[i];
            let at_lo = x[i] <= lo[i] && gz[i] > 0.0;
            let at_hi = x[i] >= hi[i] && gz[i] < 0.0;
            if !(at_lo || at_hi) {
                free[i] = true;
                pg = pg.max(gz[i].abs());
            }
        }
        if pg <= 1e-11 * fscale {
            converged = true;
            break;
        }
        let idx: Vec<usize> = (0..n).filter(|&i| free[i]).collect();
        let newton = newton_direction(&idx, &gz, &e.h, &scale);
        let mut accepted = None;
        for direction in [newton, steepest(&idx, &gz)].into_iter().flatten() {
            if let Some(step) = line_search(
                n,
                &x,
                &e,
                &direction,
                &scale,
                &clamp,
                &mut objective,
                &mut evaluations,
            ) {
                accepted = Some(step);
                break;
            }
        }
        let Some((xn, en)) = accepted else {
            // Neither the Newton nor the steepest-descent direction gives any decrease,
            // down to steps of 1e-18 of the box: a local minimum to machine precision.
            // (For the clipped models this is typically a kink, where the gradient of
            // either side need not vanish.)
            converged = true;
            break;
        };
        let df = e.f - en.f;
        let mut step = 0.0f64;
        for i in 0..n {
            if scale[i] > 0.0 {
                step = step.max((xn[i] - x[i]).abs() / scale[i]);
            }
        }
        x = xn;
        e = en;
        if df <= 1e-15 * fscale && step <= 1e-12 {
            converged = true;
            break;
        }
    }
    Local {
        x,
        f: e.f,
        converged,
        evaluations,
    }
}

/// Decrease of the objective that one projected Newton step from `x` (evaluation `e`)
/// would bring according to the local quadratic model: a measure of how far from a local
/// minimum of the box-constrained problem `x` is. Infinite when it cannot be judged.
pub(crate) fn predicted_decrease(
    n: usize,
    x: &[f64; MAXP],
    lo: &[f64; MAXP],
    hi: &[f64; MAXP],
    e: &Eval,
) -> f64 {
    if !e.f.is_finite() || !gradient_finite(n, e) {
        return f64::INFINITY;
    }
    let mut scale = [0.0; MAXP];
    let mut gz = [0.0; MAXP];
    let mut idx = Vec::new();
    for i in 0..n {
        scale[i] = hi[i] - lo[i];
        if scale[i] <= 0.0 {
            continue;
        }
        gz[i] = e.g[i] * scale[i];
        let outward = (x[i] <= lo[i] && gz[i] > 0.0) || (x[i] >= hi[i] && gz[i] < 0.0);
        if !outward && gz[i] != 0.0 {
            idx.push(i);
        }
    }
    if idx.is_empty() {
        return 0.0;
    }
    let Some(d) = newton_direction(&idx, &gz, &e.h, &scale) else {
        return f64::INFINITY;
    };
    let mut linear = 0.0;
    let mut quadratic = 0.0;
    for &i in &idx {
        linear += e.g[i] * d[i];
        for &j in &idx {
            quadratic += d[i] * e.h[i][j] * d[j];
        }
    }
    -(linear + 0.5 * quadratic)
}

fn gradient_finite(n: usize, e: &Eval) -> bool {
    e.g[..n].iter().all(|g| g.is_finite())
}

/// The 3ⁿ grid of corners, edge midpoints and centre of the box.
fn grid_points(n: usize, lo: [f64; MAXP], hi: [f64; MAXP]) -> Vec<[f64; MAXP]> {
    let mut points = vec![lo];
    for i in 0..n {
        let mut next = Vec::with_capacity(points.len() * 3);
        for p in &points {
            for t in [0.5, 0.05, 0.95] {
                let mut q = *p;
                q[i] = lo[i] + t * (hi[i] - lo[i]);
                next.push(q);
            }
        }
        points = next;
    }
    points
}

/// Newton direction in scaled coordinates for the free indices, returned in original
/// coordinates (zero for fixed ones).
fn newton_direction(
    idx: &[usize],
    gz: &[f64; MAXP],
    h: &[[f64; MAXP]; MAXP],
    scale: &[f64; MAXP],
) -> Option<[f64; MAXP]> {
    let m = idx.len();
    if m == 0 {
        return None;
    }
    let mut hz = DMatrix::<f64>::zeros(m, m);
    for (a, &i) in idx.iter().enumerate() {
        for (b, &j) in idx.iter().enumerate() {
            hz[(a, b)] = h[i][j] * scale[i] * scale[j];
        }
    }
    if hz.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let g = DVector::from_iterator(m, idx.iter().map(|&i| gz[i]));
    let diag_max = (0..m)
        .map(|a| hz[(a, a)].abs())
        .fold(0.0f64, f64::max)
        .max(1e-300);
    let mut shift = 0.0;
    for _ in 0..30 {
        let mut shifted = hz.clone();
        for a in 0..m {
            shifted[(a, a)] += shift;
        }
        if let Some(chol) = shifted.cholesky() {
            let d = chol.solve(&(-&g));
            if d.iter().all(|v| v.is_finite()) && d.dot(&g) < 0.0 {
                let mut out = [0.0; MAXP];
                for (a, &i) in idx.iter().enumerate() {
                    out[i] = d[a] * scale[i];
                }
                return Some(out);
            }
        }
        shift = if shift == 0.0 {
            1e-10 * diag_max
        } else {
            shift * 10.0
        };
    }
    None
}

/// Steepest descent in scaled coordinates, normalised so the largest component moves a
/// tenth of the box.
fn steepest(idx: &[usize], gz: &[f64; MAXP]) -> Option<[f64; MAXP]> {
    let norm = idx.iter().map(|&i| gz[i].abs()).fold(0.0f64, f64::max);
    if idx.is_empty() || norm == 0.0 || !norm.is_finite() {
        return None;
    }
    let mut out = [0.0; MAXP];
    for &i in idx {
        out[i] = -0.1 * gz[i] / norm;
    }
    Some(out)
}

#[allow(clippy::too_many_arguments)]
fn line_search<F, C>(
    n: usize,
    x: &[f64; MAXP],
    e: &Eval,
    direction: &[f64; MAXP],
    scale: &[f64; MAXP],
    clamp: &C,
    objective: &mut F,
    evaluations: &mut usize,
) -> Option<([f64; MAXP], Eval)>
where
    F: FnMut(&[f64; MAXP]) -> Eval,
    C: Fn([f64; MAXP]) -> [f64; MAXP],
{
    // Never try to move more than the width of the box in one step.
    let mut largest = 0.0f64;
    for i in 0..n {
        if scale[i] > 0.0 {
            largest = largest.max(direction[i].abs() / scale[i]);
        }
    }
    let mut t = if largest > 1.0 { 1.0 / largest } else { 1.0 };
    for _ in 0..60 {
        let mut trial = *x;
        for i in 0..n {
            trial[i] = x[i] + t * direction[i];
        }
        let trial = clamp(trial);
        if trial == *x {
            return None;
        }
        let decrease: f64 = (0..n).map(|i| e.g[i] * (trial[i] - x[i])).sum();
        let candidate = objective(&trial);
        *evaluations += 1;
        if candidate.f.is_finite()
            && gradient_finite(n, &candidate)
            && candidate.f <= e.f + 1e-4 * decrease
            && candidate.f <= e.f
        {
            return Some((trial, candidate));
        }
        t *= 0.5;
    }
    None
}

/// Outcome of a one-parameter minimisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scalar {
    pub(crate) x: f64,
    pub(crate) f: f64,
    pub(crate) converged: bool,
    pub(crate) evaluations: usize,
}

/// Minimises a function of one variable over `[lo, hi]` from `x0`, given value and
/// derivative. Finds a local minimum: it follows the derivative's sign from `x0` to a
/// bracket `[a, b]` with `f'(a) < 0 < f'(b)` (or to a bound) and narrows it with cubic
/// interpolation, falling back to secant and bisection steps. A non-finite value is
/// treated as lying on the steep side.
pub(crate) fn minimize_scalar<F>(lo: f64, hi: f64, x0: f64, mut f: F) -> Scalar
where
    F: FnMut(f64) -> (f64, f64),
{
    let mut evaluations = 0;
    let mut eval = |x: f64, evaluations: &mut usize| {
        *evaluations += 1;
        let (v, d) = f(x);
        if v.is_finite() && d.is_finite() {
            (v, d)
        } else {
            (f64::INFINITY, f64::NAN)
        }
    };
    if hi <= lo {
        let (v, _) = eval(lo, &mut evaluations);
        return Scalar {
            x: lo,
            f: v,
            converged: true,
            evaluations,
        };
    }
    let x0 = x0.clamp(lo, hi);
    let (f0, d0) = eval(x0, &mut evaluations);
    // Orient the search: which bound does the derivative point to?
    let (mut a, mut fa, mut da, mut b, mut fb, mut db);
    if f0.is_finite() && d0 == 0.0 {
        return Scalar {
            x: x0,
            f: f0,
            converged: true,
            evaluations,
        };
    }
    let towards_lo = f0.is_finite() && d0 > 0.0;
    if f0.is_finite() {
        let end = if towards_lo { lo } else { hi };
        if end == x0 {
            return Scalar {
                x: x0,
                f: f0,
                converged: true,
                evaluations,
            };
        }
        let (fe, de) = eval(end, &mut evaluations);
        let end_is_minimum = fe.is_finite() && if towards_lo { de >= 0.0 } else { de <= 0.0 };
        if end_is_minimum {
            // Monotone on [end, x0] as far as we can tell: the bound is the minimum,
            // unless the start was lower (a non-unimodal stretch).
            let (x, v) = if fe <= f0 { (end, fe) } else { (x0, f0) };
            return Scalar {
                x,
                f: v,
                converged: true,
                evaluations,
            };
        }
        if towards_lo {
            (a, fa, da, b, fb, db) = (end, fe, de, x0, f0, d0);
        } else {
            (a, fa, da, b, fb, db) = (x0, f0, d0, end, fe, de);
        }
    } else {
        // Infinite at the start: look for the feasible side at either bound.
        let (fh, dh) = eval(hi, &mut evaluations);
        if fh.is_finite() {
            if dh <= 0.0 {
                return Scalar {
                    x: hi,
                    f: fh,
                    converged: true,
                    evaluations,
                };
            }
            (a, fa, da, b, fb, db) = (x0, f64::INFINITY, f64::NAN, hi, fh, dh);
        } else {
            let (fl, dl) = eval(lo, &mut evaluations);
            if !fl.is_finite() {
                return Scalar {
                    x: x0,
                    f: f64::INFINITY,
                    converged: false,
                    evaluations,
                };
            }
            if dl >= 0.0 {
                return Scalar {
                    x: lo,
                    f: fl,
                    converged: true,
                    evaluations,
                };
            }
            (a, fa, da, b, fb, db) = (lo, fl, dl, x0, f64::INFINITY, f64::NAN);
        }
    }
    // Invariant: a < b and the minimum lies in (a, b): a is finite with da < 0 or
    // infeasible, b is finite with db > 0 or infeasible (not both infeasible).
    let mut converged = false;
    for _ in 0..100 {
        let width = b - a;
        if width <= 1e-13 * b.abs().max(a.abs()) {
            converged = true;
            break;
        }
        let mut t = f64::NAN;
        if fa.is_finite() && fb.is_finite() {
            t = cubic_minimum(a, fa, da, b, fb, db);
            if !(t > a + 0.01 * width && t < b - 0.01 * width) {
                t = a - da * width / (db - da);
            }
        }
        if !(t > a + 0.01 * width && t < b - 0.01 * width) {
            t = 0.5 * (a + b);
        }
        let (ft, dt) = eval(t, &mut evaluations);
        if !ft.is_finite() && fb.is_infinite() {
            (b, fb, db) = (t, ft, dt);
        } else if !ft.is_finite() || dt < 0.0 {
            (a, fa, da) = (t, ft, dt);
        } else if dt > 0.0 {
            (b, fb, db) = (t, ft, dt);
        } else {
            return Scalar {
                x: t,
                f: ft,
                converged: true,
                evaluations,
            };
        }
        if fa.is_finite()
            && fb.is_finite()
            && (fa - fb).abs() <= 1e-15 * fb.abs().max(1.0)
            && da.abs().max(db.abs()) * (b - a) <= 1e-12 * fb.abs().max(1.0)
        {
            converged = true;
            break;
        }
    }
    let (x, v) = if fa.is_finite() && fa < fb {
        (a, fa)
    } else {
        (b, fb)
    };
    Scalar {
        x,
        f: v,
        converged,
        evaluations,
    }
}

/// Minimiser of the cubic Hermite interpolant through `(a, fa, da)` and `(b, fb, db)`.
fn cubic_minimum(a: f64, fa: f64, da: f64, b: f64, fb: f64, db: f64) -> f64 {
    let d1 = da + db - 3.0 * (fa - fb) / (a - b);
    let disc = d1 * d1 - da * db;
    if disc < 0.0 {
        return f64::NAN;
    }
    let d2 = disc.sqrt();
    b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2)
}

/// Root of a monotone function on `[a, b]` (increasing or decreasing as said), given a
/// sign change between the ends (an end may be infinite). `f` returns the value and the
/// derivative; Newton steps are taken when they stay inside the bracket, bisection
/// otherwise.
pub(crate) fn monotone_root<F>(mut a: f64, mut b: f64, x0: f64, increasing: bool, mut f: F) -> f64
where
    F: FnMut(f64) -> (f64, f64),
{
    let mut x = if x0 > a && x0 < b { x0 } else { 0.5 * (a + b) };
    for _ in 0..200 {
        let (v, d) = f(x);
        if v == 0.0 {
            return x;
        }
        let below = if increasing { v < 0.0 } else { v > 0.0 };
        if below {
            a = x;
        } else {
            b = x;
        }
        if b - a <= 4.0 * f64::EPSILON * a.abs().max(b.abs()) || b - a <= f64::MIN_POSITIVE {
            return 0.5 * (a + b);
        }
        let newton = x - v / d;
        let previous = x;
        x = if v.is_finite() && d.is_finite() && d != 0.0 && newton > a && newton < b {
            newton
        } else {
            0.5 * (a + b)
        };
        // Newton converges quadratically: once a step is below 1e-13 of x, the error is far
        // smaller, and further steps only chase rounding noise in f.
        if (x - previous).abs() <= 1e-13 * x.abs() {
            return x;
        }
    }
    0.5 * (a + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64; MAXP]) -> Eval {
        let (a, b) = (x[0], x[1]);
        Eval {
            f: (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2),
            g: [
                -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
                200.0 * (b - a * a),
                0.0,
            ],
            h: [
                [2.0 - 400.0 * b + 1200.0 * a * a, -400.0 * a, 0.0],
                [-400.0 * a, 200.0, 0.0],
                [0.0; 3],
            ],
        }
    }

    #[test]
    fn box_newton_finds_interior_and_bound_minima() {
        let r = minimize_box(
            2,
            [-1.0, 2.0, 0.0],
            [-2.0, -2.0, 0.0],
            [2.0, 3.0, 0.0],
            rosenbrock,
        );
        assert!(
            r.converged && (r.x[0] - 1.0).abs() < 1e-8 && (r.x[1] - 1.0).abs() < 1e-8,
            "{r:?}"
        );
        // With a = x[0] capped at 0.5 the minimum sits on that bound.
        let r = minimize_box(
            2,
            [-1.0, 2.0, 0.0],
            [-2.0, -2.0, 0.0],
            [0.5, 3.0, 0.0],
            rosenbrock,
        );
        assert!(
            r.converged && r.x[0] == 0.5 && (r.x[1] - 0.25).abs() < 1e-8,
            "{r:?}"
        );
        // A fixed coordinate stays put.
        let r = minimize_box(
            2,
            [0.3, 2.0, 0.0],
            [0.3, -2.0, 0.0],
            [0.3, 3.0, 0.0],
            rosenbrock,
        );
        assert!(r.x[0] == 0.3 && (r.x[1] - 0.09).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn predicted_decrease_is_exact_for_quadratics_and_respects_bounds() {
        // f = (a − 1)² + 2(b + 1)², minimum (1, −1).
        let quad = |x: &[f64; MAXP]| Eval {
            f: (x[0] - 1.0).powi(2) + 2.0 * (x[1] + 1.0).powi(2),
            g: [2.0 * (x[0] - 1.0), 4.0 * (x[1] + 1.0), 0.0],
            h: [[2.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0; 3]],
        };
        let (lo, hi) = ([-5.0, -5.0, 0.0], [5.0, 5.0, 0.0]);
        let x = [3.0, 0.5, 0.0];
        let e = quad(&x);
        assert!((predicted_decrease(2, &x, &lo, &hi, &e) - e.f).abs() < 1e-12);
        let at_min = [1.0, -1.0, 0.0];
        assert_eq!(
            predicted_decrease(2, &at_min, &lo, &hi, &quad(&at_min)),
            0.0
        );
        // At the bound b = 0 with the gradient pushing outwards only a is free.
        let (lo, hi) = ([-5.0, 0.0, 0.0], [5.0, 5.0, 0.0]);
        let x = [3.0, 0.0, 0.0];
        assert!((predicted_decrease(2, &x, &lo, &hi, &quad(&x)) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn scalar_minimiser_handles_interior_bounds_and_infeasible_starts() {
        let quad = |x: f64| ((x - 2.0).powi(2), 2.0 * (x - 2.0));
        let r = minimize_scalar(0.0, 5.0, 4.5, quad);
        assert!(r.converged && (r.x - 2.0).abs() < 1e-10, "{r:?}");
        let r = minimize_scalar(3.0, 5.0, 4.0, quad);
        assert!(r.x == 3.0, "{r:?}");
        let barrier = |x: f64| {
            if x < 1.0 {
                (f64::INFINITY, f64::NAN)
            } else {
                (-(x - 1.0).ln() + x, -1.0 / (x - 1.0) + 1.0)
            }
        };
        let r = minimize_scalar(0.0, 4.0, 0.5, barrier);
        assert!(r.converged && (r.x - 2.0).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn root_finder_converges_on_monotone_functions() {
        let r = monotone_root(0.0, 10.0, 1.0, true, |x| (x * x - 2.0, 2.0 * x));
        assert!((r - 2f64.sqrt()).abs() < 1e-14);
        let r = monotone_root(0.0, 10.0, 9.0, false, |x| (3.0 - x, -1.0));
        assert!((r - 3.0).abs() < 1e-14);
    }
}
