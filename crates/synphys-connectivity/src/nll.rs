//! The Bernoulli negative log-likelihood of a parametric model with its gradient and
//! Hessian, assembled from per-point derivatives of `ln p`.

use crate::optim::{Eval, MAXP};

/// One point's probability and the derivatives of `ln p` with respect to the parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub(crate) p: f64,
    pub(crate) ln_p: f64,
    /// `ln(1 − p)`, computed accurately where the model allows.
    pub(crate) ln_q: f64,
    /// Gradient of `ln p`.
    pub(crate) g: [f64; MAXP],
    /// Hessian of `ln p`.
    pub(crate) h: [[f64; MAXP]; MAXP],
}

impl Point {
    /// A point where the probability does not depend on the parameters (a clipped value).
    pub(crate) fn constant(p: f64) -> Point {
        Point {
            p,
            ln_p: p.ln(),
            ln_q: (-p).ln_1p(),
            g: [0.0; MAXP],
            h: [[0.0; MAXP]; MAXP],
        }
    }
}

/// `−Σ y ln p + (1 − y) ln(1 − p)` with derivatives, for `n` parameters.
///
/// With `ℓ = −ln(1 − p)` for an unconnected pair, `∇ℓ = r ∇ln p` and
/// `∇²ℓ = r ∇²ln p + r/(1 − p) ∇ln p ∇ln pᵀ` where `r = p/(1 − p)`.
pub(crate) fn bernoulli_eval<F: Fn(f64) -> Point>(
    n: usize,
    x: &[f64],
    connected: &[bool],
    point: F,
) -> Eval {
    let mut e = Eval {
        f: 0.0,
        g: [0.0; MAXP],
        h: [[0.0; MAXP]; MAXP],
    };
    for (&x, &y) in x.iter().zip(connected) {
        let pt = point(x);
        if y {
            if pt.ln_p.is_nan() || pt.ln_p == f64::NEG_INFINITY {
                return Eval::infinite();
            }
            e.f -= pt.ln_p;
            for i in 0..n {
                e.g[i] -= pt.g[i];
                for j in 0..n {
                    e.h[i][j] -= pt.h[i][j];
                }
            }
        } else {
            if pt.p == 0.0 {
                continue;
            }
            if pt.ln_q.is_nan() || pt.ln_q == f64::NEG_INFINITY {
                return Eval::infinite();
            }
            e.f -= pt.ln_q;
            let q = 1.0 - pt.p;
            let r = pt.p / q;
            let s = r / q;
            for i in 0..n {
                e.g[i] += r * pt.g[i];
                for j in 0..n {
                    e.h[i][j] += r * pt.h[i][j] + s * pt.g[i] * pt.g[j];
                }
            }
        }
    }
    e
}
