//! Small random draws on the one seeded generator.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64;

/// A standard normal variate.
pub(crate) fn normal(rng: &mut Pcg64) -> f64 {
    StandardNormal.sample(rng)
}

/// A lognormal variate with the given median and coefficient of variation.
pub(crate) fn lognormal(rng: &mut Pcg64, median: f64, cv: f64) -> f64 {
    let sigma = (1.0 + cv * cv).ln().sqrt();
    median * (sigma * normal(rng)).exp()
}

/// Uniform in `[low, high)`.
pub(crate) fn uniform(rng: &mut Pcg64, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.random::<f64>()
}

/// True with probability `p` (clamped to [0, 1]).
pub(crate) fn chance(rng: &mut Pcg64, p: f64) -> bool {
    rng.random::<f64>() < p.clamp(0.0, 1.0)
}

/// An integer in `low..=high`.
pub(crate) fn int(rng: &mut Pcg64, low: i64, high: i64) -> i64 {
    rng.random_range(low..=high)
}

/// An index drawn with probability proportional to `weights` (0 if all are 0).
pub(crate) fn weighted(rng: &mut Pcg64, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.random::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        if target < w {
            return i;
        }
        target -= w;
    }
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// One of `items`, uniformly.
pub(crate) fn pick<'a, T>(rng: &mut Pcg64, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// An independent generator for item `index` of a seeded run, so per-synapse draws do not
/// depend on how many draws came before.
pub(crate) fn substream(seed: u64, index: u64) -> Pcg64 {
    Pcg64::seed_from_u64(splitmix(seed) ^ splitmix(index.wrapping_add(0x5851_f42d_4c95_7f2d)))
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
