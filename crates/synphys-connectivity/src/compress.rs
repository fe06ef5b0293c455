//! Quadrature compression of a large sample of distances.
//!
//! A likelihood sum `Σᵢ g(xᵢ)` over many distances is replaced by `Σⱼ wⱼ g(ξⱼ)` over a
//! few weighted nodes: the range is cut into equal bins and, in each bin, the points are
//! replaced by the two-node Gauss rule of their own empirical distribution (the nodes
//! and weights that reproduce the bin's count, mean, variance and third moment). The rule
//! is exact for cubic `g` within each bin, so for a smooth `g` the error per bin falls as
//! the fourth power of the bin width. The fits use it only to search; the reported
//! likelihood is always evaluated on the raw data.

pub(crate) struct Nodes {
    pub(crate) x: Vec<f64>,
    pub(crate) weight: Vec<f64>,
}

/// Compresses `xs` (finite) into at most `2 · n_bins` weighted nodes.
pub(crate) fn gauss2(xs: &[f64], n_bins: usize) -> Nodes {
    let n_bins = n_bins.max(1);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in xs {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    if xs.is_empty() {
        return Nodes {
            x: Vec::new(),
            weight: Vec::new(),
        };
    }
    if hi <= lo {
        return Nodes {
            x: vec![lo],
            weight: vec![xs.len() as f64],
        };
    }
    let width = (hi - lo) / n_bins as f64;
    let inv = 1.0 / width;
    // Raw moments of t = (x − centre of bin) / width, t in [−½, ½].
    let mut m = vec![[0.0f64; 4]; n_bins];
    for &x in xs {
        let u = (x - lo) * inv;
        let b = (u as usize).min(n_bins - 1);
        let t = u - (b as f64 + 0.5);
        let t2 = t * t;
        let acc = &mut m[b];
        acc[0] += 1.0;
        acc[1] += t;
        acc[2] += t2;
        acc[3] += t2 * t;
    }
    let mut nodes = Nodes {
        x: Vec::with_capacity(2 * n_bins),
        weight: Vec::with_capacity(2 * n_bins),
    };
    for (b, acc) in m.iter().enumerate() {
        let count = acc[0];
        if count == 0.0 {
            continue;
        }
        let centre = lo + (b as f64 + 0.5) * width;
        let mean = acc[1] / count;
        let e2 = acc[2] / count;
        let e3 = acc[3] / count;
        let var = e2 - mean * mean;
        let skew = e3 - 3.0 * mean * e2 + 2.0 * mean * mean * mean;
        if var <= 1e-12 {
            // The bin's points coincide to a millionth of its width: one node.
            nodes.x.push(centre + mean * width);
            nodes.weight.push(count);
            continue;
        }
        // Nodes are the roots of the second orthogonal polynomial of the centred
        // distribution, u² − (μ₃/μ₂)u − μ₂; weights keep the count and the mean.
        let r = skew / var;
        let disc = (r * r + 4.0 * var).sqrt();
        let u1 = 0.5 * (r - disc);
        let u2 = 0.5 * (r + disc);
        let w1 = count * u2 / (u2 - u1);
        let w2 = count - w1;
        nodes.x.push(centre + (mean + u1) * width);
        nodes.weight.push(w1);
        nodes.x.push(centre + (mean + u2) * width);
        nodes.weight.push(w2);
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_is_exact_for_cubics_and_close_for_smooth_functions() {
        let xs: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 5000) as f64 * 1e-7 + (i % 3) as f64 * 1e-8)
            .collect();
        let nodes = gauss2(&xs, 64);
        assert!(nodes.x.len() <= 128);
        let exact = |g: &dyn Fn(f64) -> f64| xs.iter().map(|&x| g(x)).sum::<f64>();
        let approx = |g: &dyn Fn(f64) -> f64| {
            nodes
                .x
                .iter()
                .zip(&nodes.weight)
                .map(|(&x, &w)| w * g(x))
                .sum::<f64>()
        };
        let cubic = |x: f64| 1.0 + 2e3 * x - 3e7 * x * x + 5e10 * x * x * x;
        assert!((exact(&cubic) - approx(&cubic)).abs() <= 1e-10 * exact(&cubic).abs());
        let kernel = |x: f64| (-0.1 * (-x * x / (2.0 * 100e-6f64.powi(2))).exp()).ln_1p();
        let (e, a) = (exact(&kernel), approx(&kernel));
        assert!((e - a).abs() <= 1e-9 * e.abs(), "{e} {a}");
    }

    #[test]
    fn tiny_inputs_are_kept() {
        let nodes = gauss2(&[3.0, 3.0], 8);
        assert_eq!((nodes.x, nodes.weight), (vec![3.0], vec![2.0]));
        assert!(gauss2(&[], 8).x.is_empty());
    }
}
