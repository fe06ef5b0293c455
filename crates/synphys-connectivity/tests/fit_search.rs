//! The multi-start search finds the global optimum: on synthetic replicas of every
//! `fit_cases` entry of connectivity_fit.json (same model, variant, size, truth and
//! options, other distances and outcomes), the fit is at least as good as the best point
//! of a dense grid over the same bounds, and the compressed search of large inputs agrees
//! with the uncompressed one.

mod common;

use common::synth::{outcomes, realistic_distances, rng};
use common::{cases, golden, num};
use synphys_connectivity::{
    AnyDistanceModel, ConnectivityModel, DistanceModelKind, ExponentialModel, FitOptions,
    GaussianModel, LinearModel, SphereIntersectionModel,
};

fn nll(name: &str, pmax: f64, size: f64, x: &[f64], c: &[bool]) -> f64 {
    let ll = match name {
        "GaussianModel" => GaussianModel::new(pmax, size).unwrap().log_likelihood(x, c),
        "ExpModel" => ExponentialModel::new(pmax, size)
            .unwrap()
            .log_likelihood(x, c),
        "LinearModel" => LinearModel::new(pmax, size).unwrap().log_likelihood(x, c),
        _ => SphereIntersectionModel::with_pmax(pmax, size)
            .unwrap()
            .log_likelihood(x, c),
    };
    -ll.unwrap()
}

fn kind(name: &str) -> DistanceModelKind {
    match name {
        "GaussianModel" => DistanceModelKind::Gaussian,
        "ExpModel" => DistanceModelKind::Exponential,
        "LinearModel" => DistanceModelKind::Linear,
        _ => DistanceModelKind::SphereIntersection,
    }
}

fn grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if lo == hi {
        return vec![lo];
    }
    (0..=n)
        .map(|i| lo + (hi - lo) * i as f64 / n as f64)
        .collect()
}

#[test]
fn grid_search_is_at_least_as_good_as_a_dense_grid() {
    let doc = golden("connectivity_fit.json");
    for (i, case) in cases(&doc, "fit_cases").iter().enumerate() {
        let name = case["model"].as_str().unwrap();
        let variant = case["variant"].as_str().unwrap();
        let n = case["n"].as_u64().unwrap() as usize;
        let mut r = rng(1000 + i as u64);
        let x = realistic_distances(n, &mut r);
        let connected = match variant {
            "no_connections" | "no_connections_fixed_size" => vec![false; n],
            "all_connected" => vec![true; n],
            _ => {
                let (pmax, size) = (num(&case["truth"]["pmax"]), num(&case["truth"]["size"]));
                let truth = AnyDistanceModel::new(kind(name), pmax, size).unwrap();
                outcomes(&x, |x| truth.connection_probability(x), &mut r)
            }
        };
        let kwargs = &case["kwargs"];
        let mut options = FitOptions::new();
        let (mut plo, mut phi, mut slo, mut shi) = (0.001, 1.0, 10e-6, 1e-3);
        if let Some(b) = kwargs.get("bounds") {
            (plo, phi, slo, shi) = (num(&b[0][0]), num(&b[0][1]), num(&b[1][0]), num(&b[1][1]));
            options = options.pmax_bounds(plo, phi).size_bounds(slo, shi);
        }
        if let Some(s) = kwargs.get("fixed_size") {
            options = options.fixed_size(num(s));
            (slo, shi) = (num(s), num(s));
        }
        if let Some(p) = kwargs.get("fixed_max") {
            options = options.fixed_pmax(num(p));
            (plo, phi) = (num(p), num(p));
        }
        let fit = kind(name).fit(&x, &connected, &options).unwrap();
        let points = if n >= 5000 { 30 } else { 80 };
        let mut best = f64::INFINITY;
        let mut at = (0.0, 0.0);
        for &p in &grid(plo, phi, points) {
            for &s in &grid(slo, shi, points) {
                let v = nll(name, p, s, &x, &connected);
                if v < best {
                    best = v;
                    at = (p, s);
                }
            }
        }
        assert!(
            fit.nll <= best + 1e-9 * best.abs().max(1.0),
            "case {i} {name} {variant}: fit {} ({}, {}) worse than grid {best} at {at:?}; subfits {:#?}",
            fit.nll,
            fit.model.pmax(),
            fit.model.size_m(),
            fit.subfits
        );
        assert!(fit.converged, "case {i} {name} {variant} did not converge");
    }
}

#[test]
fn compressed_search_agrees_with_the_raw_search() {
    for (seed, kernel) in [
        (7, DistanceModelKind::Gaussian),
        (8, DistanceModelKind::Exponential),
        (9, DistanceModelKind::Gaussian),
    ] {
        let mut r = rng(seed);
        let x = realistic_distances(25_000, &mut r);
        let truth =
            GaussianModel::new(0.12 + 0.02 * seed as f64, 90e-6 + 5e-6 * seed as f64).unwrap();
        let connected = outcomes(&x, |x| truth.connection_probability(x), &mut r);
        let compressed = kernel.fit(&x, &connected, &FitOptions::new()).unwrap();
        let raw = kernel
            .fit(&x, &connected, &FitOptions::new().compression(false))
            .unwrap();
        assert!(compressed.subfits.iter().all(|s| !s.exact) && raw.subfits.iter().all(|s| s.exact));
        // The reported likelihood is evaluated on the raw data.
        let ll = compressed.model.log_likelihood(&x, &connected).unwrap();
        assert!(
            (compressed.nll + ll).abs() <= 1e-12 * ll.abs(),
            "{} vs {ll}",
            compressed.nll
        );
        let tol = 1e-9 * raw.nll.abs();
        assert!(
            compressed.nll <= raw.nll + tol,
            "{kernel:?}: compressed {} raw {}",
            compressed.nll,
            raw.nll
        );
        assert!(
            raw.nll <= compressed.nll + tol,
            "{kernel:?}: raw {} compressed {}",
            raw.nll,
            compressed.nll
        );
        assert!((compressed.model.pmax() - raw.model.pmax()).abs() <= 1e-5 * raw.model.pmax());
        assert!(
            (compressed.model.size_m() - raw.model.size_m()).abs() <= 1e-5 * raw.model.size_m()
        );
    }
}
