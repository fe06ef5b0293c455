//! SciPy's one-dimensional Nelder–Mead, as the reference runs it.

/// Nelder–Mead in one dimension exactly as SciPy runs it for the reference
/// (`scipy.optimize.minimize(method="Nelder-Mead", options={"fatol": 0.01})`): initial
/// simplex {x₀, 1.05·x₀}, reflection 1, expansion 2, contraction ½, shrink ½, stopping
/// when the simplex spans ≤ 1e-4 in x and ≤ 0.01 in f, or after 200 evaluations.
///
/// Every mini-amplitude fit follows it first: the reference's result is the best point
/// of this path, so a fit that ends at or above the path's end is never below the
/// reference (outside depletion mode Newton then climbs further; in depletion mode,
/// whose score is a saw-tooth in q, the path's end is the result). Returns
/// (x, f(x), evaluations) for the minimum.
pub(crate) fn nelder_mead<F: FnMut(f64) -> f64>(mut f: F, x0: f64) -> (f64, f64, u32) {
    const XATOL: f64 = 1e-4;
    const FATOL: f64 = 0.01;
    const MAXFUN: u32 = 200;
    let mut calls = 0u32;
    let mut call = |x: f64, calls: &mut u32| {
        *calls += 1;
        f(x)
    };
    let x1 = if x0 != 0.0 { 1.05 * x0 } else { 0.00025 };
    let mut sim = [x0, x1];
    let mut fsim = [call(x0, &mut calls), call(x1, &mut calls)];
    // NumPy's argsort of two elements keeps ties in their order.
    let sort = |sim: &mut [f64; 2], fsim: &mut [f64; 2]| {
        if fsim[1] < fsim[0] {
            sim.swap(0, 1);
            fsim.swap(0, 1);
        }
    };
    sort(&mut sim, &mut fsim);
    let mut iterations = 1u32;
    while calls < MAXFUN && iterations < MAXFUN {
        if (sim[1] - sim[0]).abs() <= XATOL && (fsim[0] - fsim[1]).abs() <= FATOL {
            break;
        }
        let xbar = sim[0];
        let xr = 2.0 * xbar - sim[1];
        let fxr = call(xr, &mut calls);
        if fxr < fsim[0] {
            let xe = 3.0 * xbar - 2.0 * sim[1];
            let fxe = call(xe, &mut calls);
            (sim[1], fsim[1]) = if fxe < fxr { (xe, fxe) } else { (xr, fxr) };
        } else {
            // In one dimension the second-worst point is the best one, so a reflection
            // that does not beat it always leads to a contraction.
            let shrink = if fxr < fsim[1] {
                let xc = 1.5 * xbar - 0.5 * sim[1];
                let fxc = call(xc, &mut calls);
                let accept = fxc <= fxr;
                if accept {
                    (sim[1], fsim[1]) = (xc, fxc);
                }
                !accept
            } else {
                let xcc = 0.5 * xbar + 0.5 * sim[1];
                let fxcc = call(xcc, &mut calls);
                let accept = fxcc < fsim[1];
                if accept {
                    (sim[1], fsim[1]) = (xcc, fxcc);
                }
                !accept
            };
            if shrink {
                sim[1] = sim[0] + 0.5 * (sim[1] - sim[0]);
                fsim[1] = call(sim[1], &mut calls);
            }
        }
        iterations += 1;
        sort(&mut sim, &mut fsim);
    }
    (sim[0], fsim[0], calls)
}
