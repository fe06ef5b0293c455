//! Seeded synthetic probed pairs at realistic lateral distances.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rand_pcg::Pcg64;

/// Lateral distances like the dataset's: mostly 0–250 µm, rarely up to 500 µm
/// (a gamma distribution of shape 2 and scale 60 µm, redrawn above 500 µm).
pub(crate) fn realistic_distances(n: usize, rng: &mut Pcg64) -> Vec<f64> {
    let gamma = Gamma::new(2.0, 60e-6).expect("valid gamma");
    (0..n)
        .map(|_| {
            loop {
                let x: f64 = gamma.sample(rng);
                if x < 500e-6 {
                    break x;
                }
            }
        })
        .collect()
}

/// Outcomes drawn with probability `p(x)`.
pub(crate) fn outcomes(x: &[f64], p: impl Fn(f64) -> f64, rng: &mut Pcg64) -> Vec<bool> {
    x.iter().map(|&x| rng.random::<f64>() < p(x)).collect()
}

pub(crate) fn rng(seed: u64) -> Pcg64 {
    Pcg64::seed_from_u64(seed)
}
