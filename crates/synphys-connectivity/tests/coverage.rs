//! Coverage by simulation (issue 4, item 10): for pmax 0.1, σ 100 µm and N ∈ {100, 1000}
//! probed pairs at realistic lateral distances, the 95 % intervals cover the truth in
//! 1,000 seeded replicates at a rate consistent with 95 % — Clopper–Pearson for a
//! constant probability, the likelihood ratio for the Gaussian pmax — and the scaled
//! approximation's coverage is reported beside them (run with `--nocapture`).

mod common;

use common::synth::{outcomes, realistic_distances, rng};
use rand::RngExt;
use statrs::distribution::{Binomial, Discrete};
use synphys_connectivity::{ExactPmax, clopper_pearson, distance_adjusted_connectivity};

const REPLICATES: usize = 1000;
const PMAX: f64 = 0.1;
const SIGMA: f64 = 100e-6;
const ALPHA: f64 = 0.05;

/// Three binomial standard errors of a coverage rate estimated from 1,000 trials.
fn tolerance(rate: f64) -> f64 {
    3.0 * (rate * (1.0 - rate) / REPLICATES as f64).sqrt()
}

#[test]
fn clopper_pearson_covers_a_constant_probability() {
    for (n, seed) in [(100u64, 11), (1000, 12)] {
        let mut r = rng(seed);
        let mut covered = 0;
        for _ in 0..REPLICATES {
            let k = (0..n).filter(|_| r.random::<f64>() < PMAX).count() as u64;
            let (lo, hi) = clopper_pearson(k, n, ALPHA).unwrap();
            covered += usize::from(lo <= PMAX && PMAX <= hi);
        }
        let rate = covered as f64 / REPLICATES as f64;
        // The exact coverage of the interval at this n and p: Clopper–Pearson is
        // conservative, so it is at least 95 %, and the simulation must agree with it.
        let binomial = Binomial::new(PMAX, n).unwrap();
        let exact: f64 = (0..=n)
            .filter(|&k| {
                let (lo, hi) = clopper_pearson(k, n, ALPHA).unwrap();
                lo <= PMAX && PMAX <= hi
            })
            .map(|k| binomial.pmf(k))
            .sum();
        println!(
            "constant p = {PMAX}, N = {n}: Clopper–Pearson coverage {rate:.3} (exact {exact:.4})"
        );
        assert!(exact >= 1.0 - ALPHA, "exact coverage {exact}");
        assert!(
            (rate - exact).abs() <= tolerance(exact),
            "N = {n}: simulated {rate} vs exact {exact}"
        );
    }
}

#[test]
fn likelihood_ratio_interval_covers_the_gaussian_pmax() {
    for (n, seed) in [(100usize, 21), (1000, 22)] {
        let mut r = rng(seed);
        let (mut lr, mut scaled) = (0, 0);
        let mut widths = (0.0, 0.0);
        for _ in 0..REPLICATES {
            let x = realistic_distances(n, &mut r);
            let connected = outcomes(
                &x,
                |x| PMAX * (-x * x / (2.0 * SIGMA * SIGMA)).exp(),
                &mut r,
            );
            let exact = ExactPmax::gaussian(SIGMA)
                .alpha(ALPHA)
                .estimate(&x, &connected)
                .unwrap()
                .unwrap();
            let approx = distance_adjusted_connectivity(&x, &connected, SIGMA, ALPHA)
                .unwrap()
                .unwrap();
            lr += usize::from(exact.lower <= PMAX && PMAX <= exact.upper);
            scaled += usize::from(approx.lower <= PMAX && PMAX <= approx.upper);
            widths.0 += (exact.upper - exact.lower) / REPLICATES as f64;
            widths.1 += (approx.upper - approx.lower) / REPLICATES as f64;
        }
        let (lr, scaled) = (
            lr as f64 / REPLICATES as f64,
            scaled as f64 / REPLICATES as f64,
        );
        println!(
            "Gaussian pmax = {PMAX}, σ = 100 µm, N = {n}: likelihood-ratio coverage {lr:.3} (mean width {:.4}), \
             scaled approximation {scaled:.3} (mean width {:.4})",
            widths.0, widths.1
        );
        let nominal = 1.0 - ALPHA;
        assert!(
            (lr - nominal).abs() <= tolerance(nominal),
            "N = {n}: likelihood-ratio coverage {lr}"
        );
    }
}
