//! Criterion benchmarks of the connectivity statistics against the Python reference's
//! figures (issues 4 and 13): a Gaussian fit of 100, 1,000, 10,000 and 25,000 probed pairs
//! (the reference's times come from `xtask/python/reference_gaussian_fit_timing.py`, which
//! draws its inputs the same way), one Clopper–Pearson interval, and distance adjustment
//! of 25,000 pairs.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rand_pcg::Pcg64;
use synphys_connectivity::{
    CorrectionFitOptions, CorrectionFunction, CorrectionModel, ExactPmax, FitOptions,
    GaussianModel, clopper_pearson, distance_adjusted_connectivity,
};

/// Probed pairs like the dataset's mouse E→I pairs: lateral distances mostly 0–250 µm
/// (gamma, shape 2, scale 60 µm, below 500 µm) and a Gaussian profile with pmax 0.14 and
/// σ 102 µm (calibration.md).
fn pairs(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>) {
    let mut rng = Pcg64::seed_from_u64(seed);
    let gamma = Gamma::new(2.0, 60e-6).expect("valid gamma");
    let x: Vec<f64> = (0..n)
        .map(|_| {
            loop {
                let x: f64 = gamma.sample(&mut rng);
                if x < 500e-6 {
                    break x;
                }
            }
        })
        .collect();
    let connected = x
        .iter()
        .map(|&x| rng.random::<f64>() < 0.14 * (-x * x / (2.0 * 102e-6f64.powi(2))).exp())
        .collect();
    (x, connected)
}

fn gaussian_fit(c: &mut Criterion) {
    let mut group = c.benchmark_group("gaussian_fit");
    for n in [100, 1_000, 10_000, 25_000] {
        let (x, connected) = pairs(n, n as u64);
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| GaussianModel::fit(black_box(&x), black_box(&connected), &FitOptions::new()))
        });
    }
    group.finish();
}

fn intervals(c: &mut Criterion) {
    // Counts like the dataset's class pairs (calibration.md).
    let counts: Vec<(u64, u64)> = vec![
        (13, 203),
        (21, 53),
        (22, 69),
        (11, 61),
        (17, 53),
        (40, 107),
        (4, 126),
        (12, 32),
        (5, 34),
        (49, 475),
        (51, 108),
        (56, 723),
        (30, 1107),
        (70, 359),
        (18, 534),
        (4, 727),
        (53, 174),
        (0, 23),
        (56, 470),
        (1, 143),
    ];
    c.bench_function("clopper_pearson", |b| {
        let mut i = 0;
        b.iter(|| {
            let (k, n) = counts[i % counts.len()];
            i += 1;
            clopper_pearson(black_box(k), black_box(n), 0.05)
        })
    });
}

fn adjustment(c: &mut Criterion) {
    let (x, connected) = pairs(25_000, 3);
    c.bench_function("distance_adjusted/25000", |b| {
        b.iter(|| {
            distance_adjusted_connectivity(black_box(&x), black_box(&connected), 100e-6, 0.05)
        })
    });
    c.bench_function("exact_pmax/25000", |b| {
        b.iter(|| ExactPmax::gaussian(100e-6).estimate(black_box(&x), black_box(&connected)))
    });
    let model = CorrectionModel::new(vec![CorrectionFunction::gaussian(100e-6).expect("valid")])
        .expect("valid");
    c.bench_function("correction_fit/25000", |b| {
        b.iter(|| {
            model.fit(
                &[black_box(&x)],
                black_box(&connected),
                &CorrectionFitOptions::new(),
            )
        })
    });
}

criterion_group!(benches, gaussian_fit, intervals, adjustment);
criterion_main!(benches);
