//! Bounded maximum-likelihood fits of the two-parameter distance models (pmax, size).
//!
//! The likelihood surface has local optima, so — as in the Python reference — the
//! bounds are cut into an `n × n` grid of sub-boxes (5 × 5 by default; one axis collapses
//! when its parameter is fixed), a bounded local optimiser runs in each from its centre,
//! and the best is kept.
//!
//! For the Gaussian and exponential models the local fit in a sub-box is a
//! one-dimensional search over the size: for a given size the likelihood is convex in
//! pmax, so pmax is solved exactly (a few Newton steps on the derivative, which needs no
//! transcendental function once the kernel values are known), and the connected pairs
//! enter only through two sufficient statistics. Large inputs are searched on a
//! quadrature compression of the unconnected distances (see `compress`); the best
//! sub-fit is then checked on the raw data and polished there when a Newton step would
//! still improve it, and its likelihood is always evaluated on the raw data.

use serde::{Deserialize, Serialize};

use crate::compress;
use crate::error::{
    Error, ErrorKind, Result, check_bounds, check_finite_values, check_positive, check_range,
    check_same_len,
};
use crate::models::{
    ConnectivityModel, ExponentialModel, GaussianModel, Kernel, LinearModel, PROBABILITY_FLOOR,
    SphereIntersectionModel, sphere_overlap_fraction,
};
use crate::nll::{Point, bernoulli_eval};
use crate::optim::{Eval, MAXP, minimize_box, minimize_scalar, monotone_root, predicted_decrease};

/// Bins of the compression (two nodes each).
const COMPRESS_BINS: usize = 64;
/// Unconnected pairs above this count are compressed for the search: from here on the
/// compressed search costs at most half the raw one.
const COMPRESS_ABOVE: usize = 4 * COMPRESS_BINS;

/// Options of a distance-model fit (bounds, fixed parameters, grid).
///
/// Defaults follow DESIGN §6: pmax in `[0.001, 1]`, size in `[10 µm, 1 mm]`, a 5 × 5 grid
/// of sub-boxes.
///
/// ```
/// use synphys_connectivity::FitOptions;
/// let options = FitOptions::new().fixed_size(100e-6).pmax_bounds(0.0, 0.5);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    pmax_bounds: (f64, f64),
    size_bounds_m: (f64, f64),
    fixed_pmax: Option<f64>,
    fixed_size_m: Option<f64>,
    grid: usize,
    compression: bool,
}

impl Default for FitOptions {
    fn default() -> FitOptions {
        FitOptions {
            pmax_bounds: (0.001, 1.0),
            size_bounds_m: (10e-6, 1e-3),
            fixed_pmax: None,
            fixed_size_m: None,
            grid: 5,
            compression: true,
        }
    }
}

impl FitOptions {
    /// The defaults.
    pub fn new() -> FitOptions {
        FitOptions::default()
    }

    /// Bounds of pmax (within `[0, 1]`).
    pub fn pmax_bounds(mut self, lower: f64, upper: f64) -> FitOptions {
        self.pmax_bounds = (lower, upper);
        self
    }

    /// Bounds of the size parameter (σ, λ, reach or radius), metres, `> 0`.
    pub fn size_bounds(mut self, lower_m: f64, upper_m: f64) -> FitOptions {
        self.size_bounds_m = (lower_m, upper_m);
        self
    }

    /// Holds pmax fixed (the bounds of pmax are then ignored).
    pub fn fixed_pmax(mut self, pmax: f64) -> FitOptions {
        self.fixed_pmax = Some(pmax);
        self
    }

    /// Holds the size fixed, metres (the size bounds are then ignored).
    pub fn fixed_size(mut self, size_m: f64) -> FitOptions {
        self.fixed_size_m = Some(size_m);
        self
    }

    /// Sub-boxes per free axis (default 5).
    pub fn grid(mut self, n: usize) -> FitOptions {
        self.grid = n;
        self
    }

    /// Sub-boxes per free axis.
    pub fn grid_size(&self) -> usize {
        self.grid
    }

    /// Whether large inputs may be searched on compressed data (default true). The
    /// result is checked and, if needed, polished on the raw data either way.
    pub fn compression(mut self, enabled: bool) -> FitOptions {
        self.compression = enabled;
        self
    }

    fn edges(&self) -> Result<(Vec<f64>, Vec<f64>)> {
        if self.grid == 0 {
            return Err(Error::invalid("grid", 0.0, "at least 1 sub-box per axis"));
        }
        let p_edges = match self.fixed_pmax {
            Some(p) => vec![check_range("fixed_pmax", p, 0.0, 1.0, "a probability in [0, 1]")?; 2],
            None => {
                let (lo, hi) = check_bounds("pmax", self.pmax_bounds.0, self.pmax_bounds.1)?;
                if lo < 0.0 || hi > 1.0 {
                    return Err(ErrorKind::InvalidBounds {
                        name: "pmax",
                        lower: lo,
                        upper: hi,
                        allowed: "within [0, 1]",
                    }
                    .into());
                }
                linspace(lo, hi, self.grid)
            }
        };
        let s_edges = match self.fixed_size_m {
            Some(s) => vec![check_positive("fixed_size", s)?; 2],
            None => {
                let (lo, hi) = check_bounds("size", self.size_bounds_m.0, self.size_bounds_m.1)?;
                if lo <= 0.0 {
                    return Err(ErrorKind::InvalidBounds {
                        name: "size",
                        lower: lo,
                        upper: hi,
                        allowed: "lower bound > 0 (metres)",
                    }
                    .into());
                }
                linspace(lo, hi, self.grid)
            }
        };
        Ok((p_edges, s_edges))
    }
}

fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..=n)
        .map(|i| {
            if i == n {
                hi
            } else {
                lo + (hi - lo) * i as f64 / n as f64
            }
        })
        .collect()
}

/// One local fit of the multi-start search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SubFit {
    /// The sub-box's pmax range.
    pub pmax_bounds: (f64, f64),
    /// The sub-box's size range (metres).
    pub size_bounds_m: (f64, f64),
    /// Where the local fit started (the sub-box centre).
    pub start: (f64, f64),
    /// Its result: pmax.
    pub pmax: f64,
    /// Its result: size (metres).
    pub size_m: f64,
    /// Negative log-likelihood at the result (infinite if the whole sub-box has zero
    /// likelihood).
    #[serde(with = "crate::serde_nan")]
    pub nll: f64,
    /// Whether `nll` was evaluated on the raw data (false: on the compressed data of a
    /// large input, which approximates it).
    pub exact: bool,
    /// Whether the local optimiser met its convergence test.
    pub converged: bool,
}

/// A fitted model with its negative log-likelihood and how the search went: the result
/// of every model fit of the crate (the distance models, [`crate::ErfModel`] and
/// [`crate::BinaryStepModel`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit<M> {
    /// The best model found.
    pub model: M,
    /// Negative log-likelihood of the data under `model` (evaluated on the raw data).
    pub nll: f64,
    /// Whether the local optimiser that produced the best fit converged.
    pub converged: bool,
    /// Likelihood evaluations used in total.
    pub evaluations: usize,
    /// Every local fit of a multi-start grid search, in grid order (pmax outer, size
    /// inner); empty for fits from one start (the erf and binary-step models).
    pub subfits: Vec<SubFit>,
}

/// A two-parameter distance model the grid search can fit.
pub(crate) trait TwoParam: ConnectivityModel + Copy {
    /// Models with a pure kernel `pmax·k(x; size)` get the profile fast path.
    const KERNEL: Option<Kernel>;
    fn build(pmax: f64, size: f64) -> Result<Self>;
    fn point(pmax: f64, size: f64, x: f64) -> Point;
}

impl TwoParam for GaussianModel {
    const KERNEL: Option<Kernel> = Some(Kernel::Gaussian);
    fn build(pmax: f64, size: f64) -> Result<Self> {
        GaussianModel::new(pmax, size)
    }
    fn point(pmax: f64, s: f64, x: f64) -> Point {
        let x2 = x * x;
        let ln_p = pmax.ln() - x2 / (2.0 * s * s);
        let p = ln_p.exp();
        let s3 = s * s * s;
        Point {
            p,
            ln_p,
            ln_q: (-p).ln_1p(),
            g: [1.0 / pmax, x2 / s3, 0.0],
            h: [
                [-1.0 / (pmax * pmax), 0.0, 0.0],
                [0.0, -3.0 * x2 / (s3 * s), 0.0],
                [0.0; 3],
            ],
        }
    }
}

impl TwoParam for ExponentialModel {
    const KERNEL: Option<Kernel> = Some(Kernel::Exponential);
    fn build(pmax: f64, size: f64) -> Result<Self> {
        ExponentialModel::new(pmax, size)
    }
    fn point(pmax: f64, s: f64, x: f64) -> Point {
        let ln_p = pmax.ln() - x / s;
        let p = ln_p.exp();
        Point {
            p,
            ln_p,
            ln_q: (-p).ln_1p(),
            g: [1.0 / pmax, x / (s * s), 0.0],
            h: [
                [-1.0 / (pmax * pmax), 0.0, 0.0],
                [0.0, -2.0 * x / (s * s * s), 0.0],
                [0.0; 3],
            ],
        }
    }
}

impl TwoParam for LinearModel {
    const KERNEL: Option<Kernel> = None;
    fn build(pmax: f64, size: f64) -> Result<Self> {
        LinearModel::new(pmax, size)
    }
    fn point(pmax: f64, s: f64, x: f64) -> Point {
        let raw = pmax * (s - x) / s;
        if raw <= PROBABILITY_FLOOR {
            return Point::constant(PROBABILITY_FLOOR);
        }
        if raw >= 1.0 {
            return Point::constant(1.0);
        }
        let gap = s - x;
        Point {
            p: raw,
            ln_p: raw.ln(),
            ln_q: (-raw).ln_1p(),
            g: [1.0 / pmax, 1.0 / gap - 1.0 / s, 0.0],
            h: [
                [-1.0 / (pmax * pmax), 0.0, 0.0],
                [0.0, 1.0 / (s * s) - 1.0 / (gap * gap), 0.0],
                [0.0; 3],
            ],
        }
    }
}

impl TwoParam for SphereIntersectionModel {
    const KERNEL: Option<Kernel> = None;
    fn build(pmax: f64, size: f64) -> Result<Self> {
        SphereIntersectionModel::with_pmax(pmax, size)
    }
    fn point(pmax: f64, r: f64, x: f64) -> Point {
        let u = x / r;
        let phi = sphere_overlap_fraction(u);
        if phi == 0.0 {
            return Point::constant(PROBABILITY_FLOOR);
        }
        let l = (-pmax).ln_1p();
        let z = l * phi;
        let p = -z.exp_m1();
        if p <= PROBABILITY_FLOOR {
            return Point::constant(PROBABILITY_FLOOR);
        }
        if p >= 1.0 {
            return Point::constant(1.0);
        }
        // p = 1 − e^z with z = ln(1 − pmax)·φ(x/r).
        let l1 = -1.0 / (1.0 - pmax);
        let l2 = -1.0 / ((1.0 - pmax) * (1.0 - pmax));
        let dphi = -0.75 + 3.0 * u * u / 16.0;
        let ddphi = 3.0 * u / 8.0;
        let u_r = -x / (r * r);
        let u_rr = 2.0 * x / (r * r * r);
        let gz = [l1 * phi, l * dphi * u_r];
        let hz = [
            [l2 * phi, l1 * dphi * u_r],
            [l1 * dphi * u_r, l * (ddphi * u_r * u_r + dphi * u_rr)],
        ];
        let ez = z.exp();
        let mut g = [0.0; MAXP];
        let mut h = [[0.0; MAXP]; MAXP];
        for i in 0..2 {
            g[i] = -ez * gz[i] / p;
        }
        for i in 0..2 {
            for j in 0..2 {
                h[i][j] = -ez * (hz[i][j] + gz[i] * gz[j]) / p - g[i] * g[j];
            }
        }
        Point {
            p,
            ln_p: p.ln(),
            ln_q: z,
            g,
            h,
        }
    }
}

fn exact_eval<M: TwoParam>(theta: &[f64; MAXP], x: &[f64], connected: &[bool]) -> Eval {
    bernoulli_eval(2, x, connected, |x| M::point(theta[0], theta[1], x))
}

/// The grid search behind every distance-model fit.
pub(crate) fn fit_distance_model<M: TwoParam>(
    x: &[f64],
    connected: &[bool],
    options: &FitOptions,
) -> Result<Fit<M>> {
    check_same_len("connected", x.len(), connected.len())?;
    check_finite_values("x", x, true)?;
    if x.is_empty() {
        return Err(Error::empty("distance fit"));
    }
    let (p_edges, s_edges) = options.edges()?;
    let p_range = (p_edges[0], p_edges[p_edges.len() - 1]);
    let mut profile =
        M::KERNEL.map(|k| KernelProfile::new(k, x, connected, options.compression, p_range));
    let (np, ns) = (p_edges.len() - 1, s_edges.len() - 1);
    let mut slots: Vec<Option<SubFit>> = vec![None; np * ns];
    let mut evaluations = 0;
    // Size ranges outermost, so the kernel values at shared sizes are reused.
    for si in 0..ns {
        for pi in 0..np {
            let lo = [p_edges[pi], s_edges[si], 0.0];
            let hi = [p_edges[pi + 1], s_edges[si + 1], 0.0];
            let start = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1]), 0.0];
            let (theta, f, converged, evals, exact) = match profile.as_mut() {
                Some(profile) => {
                    let r = profile.subfit(&lo, &hi, start[1]);
                    (r.0, r.1, r.2, r.3, !profile.compressed)
                }
                None => {
                    let r = seeded_subfit(start, lo, hi, |t| exact_eval::<M>(t, x, connected));
                    (r.x, r.f, r.converged, r.evaluations, true)
                }
            };
            evaluations += evals;
            slots[pi * ns + si] = Some(SubFit {
                pmax_bounds: (lo[0], hi[0]),
                size_bounds_m: (lo[1], hi[1]),
                start: (start[0], start[1]),
                pmax: theta[0],
                size_m: theta[1],
                nll: f,
                exact,
                converged,
            });
        }
    }
    let subfits: Vec<SubFit> = slots.into_iter().flatten().collect();
    let best = subfits
        .iter()
        .enumerate()
        .filter(|(_, s)| s.nll.is_finite())
        .min_by(|a, b| a.1.nll.total_cmp(&b.1.nll))
        .map(|(i, _)| i)
        .ok_or_else(|| {
            Error::from(ErrorKind::DegenerateLikelihood {
                reason: "every parameter value within the bounds gives probability 0 to a connected pair or 1 to an unconnected one".into(),
            })
        })?;
    let chosen = subfits[best];
    let mut theta = [chosen.pmax, chosen.size_m, 0.0];
    let mut nll = chosen.nll;
    let mut converged = chosen.converged;
    if let Some(profile) = profile.as_ref() {
        // Check the profile search's answer on the raw data: accept it when a Newton step
        // would gain less than 1e-10 of the likelihood, polish it otherwise.
        let lo = [chosen.pmax_bounds.0, chosen.size_bounds_m.0, 0.0];
        let hi = [chosen.pmax_bounds.1, chosen.size_bounds_m.1, 0.0];
        let e = profile.exact(&theta);
        evaluations += 1;
        if predicted_decrease(2, &theta, &lo, &hi, &e) <= 1e-10 * e.f.abs().max(1.0) {
            nll = e.f;
        } else {
            let r = minimize_box(2, theta, lo, hi, |t| profile.exact(t));
            evaluations += r.evaluations;
            if r.f <= e.f || !e.f.is_finite() {
                theta = r.x;
                nll = r.f;
                converged = r.converged;
            } else {
                nll = e.f;
            }
        }
    }
    Ok(Fit {
        model: M::build(theta[0], theta[1])?,
        nll,
        converged,
        evaluations,
        subfits,
    })
}

/// Local fit in a sub-box for the clipped models (linear, sphere intersection).
///
/// Their likelihood has a kink wherever a pair's probability reaches the floor or 1,
/// and kinks where a connected pair leaves the floor separate small basins, so a single
/// local descent from the centre often stops in a poor one. The sub-box is therefore
/// sampled on a 6 × 6 grid first and the local optimiser is started from the centre and
/// from the two best grid points; the best result is kept.
fn seeded_subfit<F>(
    start: [f64; MAXP],
    lo: [f64; MAXP],
    hi: [f64; MAXP],
    mut objective: F,
) -> crate::optim::Local
where
    F: FnMut(&[f64; MAXP]) -> Eval,
{
    const SEEDS: usize = 6;
    let axis = |i: usize, k: usize| lo[i] + (hi[i] - lo[i]) * (k as f64 + 0.5) / SEEDS as f64;
    let mut evaluations = 0;
    let mut seeds: Vec<(f64, [f64; MAXP])> = Vec::with_capacity(SEEDS * SEEDS);
    let p_count = if hi[0] > lo[0] { SEEDS } else { 1 };
    let s_count = if hi[1] > lo[1] { SEEDS } else { 1 };
    for a in 0..p_count {
        for b in 0..s_count {
            let point = [
                if p_count > 1 { axis(0, a) } else { lo[0] },
                if s_count > 1 { axis(1, b) } else { lo[1] },
                0.0,
            ];
            let f = objective(&point).f;
            evaluations += 1;
            if f.is_finite() {
                seeds.push((f, point));
            }
        }
    }
    seeds.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = minimize_box(2, start, lo, hi, &mut objective);
    evaluations += best.evaluations;
    for (_, seed) in seeds.into_iter().take(2) {
        let r = minimize_box(2, seed, lo, hi, &mut objective);
        evaluations += r.evaluations;
        if r.f < best.f || !best.f.is_finite() {
            best = r;
        }
    }
    best.evaluations = evaluations;
    best
}

/// Sizes whose kernel values stay cached: the sub-boxes sharing a size range start
/// from the same centre and bounds.
const SIZE_CACHE: usize = 8;

/// Kernel values and free-pmax optimum at one size.
struct SizeEntry {
    s: f64,
    w: Vec<f64>,
    p_free: f64,
}

/// Data of a kernel model `pmax·exp(−a(s)·t(x))` prepared for the profile search:
/// `t = x²` and `a = 1/2s²` (Gaussian) or `t = x` and `a = 1/s` (exponential).
struct KernelProfile {
    kernel: Kernel,
    /// Connections found.
    k: f64,
    /// `Σ t` over connected pairs: their log-likelihood is `k·ln pmax − a(s)·Σ t`.
    sum_t: f64,
    /// `t` of the unconnected pairs (or of their compression nodes) and weights.
    t: Vec<f64>,
    c: Vec<f64>,
    /// `t` of every unconnected pair when `t` holds compression nodes.
    raw_t: Vec<f64>,
    compressed: bool,
    /// The fit's whole pmax range: the free optimum at a size is found over it once and
    /// clipped to each sub-box (the likelihood is convex in pmax).
    p_range: (f64, f64),
    cache: Vec<SizeEntry>,
}

impl KernelProfile {
    fn new(
        kernel: Kernel,
        x: &[f64],
        connected: &[bool],
        allow_compression: bool,
        p_range: (f64, f64),
    ) -> KernelProfile {
        let transform = |x: f64| match kernel {
            Kernel::Gaussian => x * x,
            Kernel::Exponential => x,
        };
        let mut k = 0.0;
        let mut sum_t = 0.0;
        let mut unconnected = Vec::with_capacity(x.len());
        for (&x, &y) in x.iter().zip(connected) {
            if y {
                k += 1.0;
                sum_t += transform(x);
            } else {
                unconnected.push(x);
            }
        }
        let compressed = allow_compression && unconnected.len() > COMPRESS_ABOVE;
        let (t, c, raw_t): (Vec<f64>, Vec<f64>, Vec<f64>) = if compressed {
            let nodes = compress::gauss2(&unconnected, COMPRESS_BINS);
            (
                nodes.x.into_iter().map(transform).collect(),
                nodes.weight,
                unconnected.into_iter().map(transform).collect(),
            )
        } else {
            let n = unconnected.len();
            (
                unconnected.into_iter().map(transform).collect(),
                vec![1.0; n],
                Vec::new(),
            )
        };
        KernelProfile {
            kernel,
            k,
            sum_t,
            t,
            c,
            raw_t,
            compressed,
            p_range,
            cache: Vec::with_capacity(SIZE_CACHE),
        }
    }

    /// `a(s)`, `da/ds` and `d²a/ds²`.
    fn rate(&self, s: f64) -> (f64, f64, f64) {
        match self.kernel {
            Kernel::Gaussian => (
                1.0 / (2.0 * s * s),
                -1.0 / (s * s * s),
                3.0 / (s * s * s * s),
            ),
            Kernel::Exponential => (1.0 / s, -1.0 / (s * s), 2.0 / (s * s * s)),
        }
    }

    /// Index of the cache entry for size `s`, computing it if needed.
    fn entry(&mut self, s: f64) -> usize {
        if let Some(i) = self.cache.iter().position(|e| e.s == s) {
            return i;
        }
        let (a, _, _) = self.rate(s);
        let mut entry = if self.cache.len() == SIZE_CACHE {
            self.cache.remove(0)
        } else {
            SizeEntry {
                s,
                w: vec![0.0; self.t.len()],
                p_free: f64::NAN,
            }
        };
        let mut wmax = 0.0f64;
        for ((w, &t), &c) in entry.w.iter_mut().zip(&self.t).zip(&self.c) {
            *w = (-a * t).exp();
            if c > 0.0 {
                wmax = wmax.max(*w);
            }
        }
        let guess = self.cache.last().map_or(f64::NAN, |e| e.p_free);
        entry.s = s;
        entry.p_free = free_pmax(self.k, &entry.w, &self.c, self.p_range, wmax, guess);
        self.cache.push(entry);
        self.cache.len() - 1
    }

    /// NLL at size `s` with pmax profiled over `[plo, phi]`, its derivative in `s`, and
    /// the pmax used.
    fn profile(&mut self, s: f64, plo: f64, phi: f64) -> (f64, f64, f64) {
        let (a, a_s, _) = self.rate(s);
        let i = self.entry(s);
        let entry = &self.cache[i];
        let p = entry.p_free.clamp(plo, phi);
        let mut f = a * self.sum_t;
        if self.k > 0.0 {
            f -= self.k * p.ln();
        }
        let (ln_q, sum_ds) = if self.compressed {
            weighted_profile_sums(p, &entry.w, &self.t, &self.c)
        } else {
            unit_profile_sums(p, &entry.w, &self.t)
        };
        f -= ln_q;
        (f, a_s * (self.sum_t - sum_ds), p)
    }

    /// Local fit in the sub-box `[lo, hi]` starting from size `s0`:
    /// (parameters, NLL, converged, evaluations).
    fn subfit(
        &mut self,
        lo: &[f64; MAXP],
        hi: &[f64; MAXP],
        s0: f64,
    ) -> ([f64; MAXP], f64, bool, usize) {
        let (plo, phi) = (lo[0], hi[0]);
        let r = minimize_scalar(lo[1], hi[1], s0, |s| {
            let (f, d, _) = self.profile(s, plo, phi);
            (f, d)
        });
        let i = self.entry(r.x);
        let p = self.cache[i].p_free.clamp(plo, phi);
        ([p, r.x, 0.0], r.f, r.converged, r.evaluations)
    }

    /// NLL with gradient and Hessian in (pmax, s) on the raw data.
    fn exact(&self, theta: &[f64; MAXP]) -> Eval {
        let (p, s) = (theta[0], theta[1]);
        let (a, a_s, a_ss) = self.rate(s);
        let mut e = Eval {
            f: a * self.sum_t,
            g: [0.0, a_s * self.sum_t, 0.0],
            h: [[0.0; MAXP], [0.0, a_ss * self.sum_t, 0.0], [0.0; MAXP]],
        };
        if self.k > 0.0 {
            if p <= 0.0 {
                return Eval::infinite();
            }
            e.f -= self.k * p.ln();
            e.g[0] -= self.k / p;
            e.h[0][0] += self.k / (p * p);
        }
        let raw = if self.compressed {
            &self.raw_t
        } else {
            &self.t
        };
        let Some(sums) = raw_sums(p, a, a_s, a_ss, raw) else {
            return Eval::infinite();
        };
        e.f -= sums.ln_q;
        e.g[0] += sums.g_p;
        e.g[1] += sums.g_s;
        e.h[0][0] += sums.h_pp;
        e.h[0][1] += sums.h_ps;
        e.h[1][1] += sums.h_ss;
        e.h[1][0] = e.h[0][1];
        e
    }
}

/// The best pmax in `range` for kernel values `w` (weights `c`) and `k` connections:
/// the NLL `−k ln p − Σ c ln(1 − p w)` is convex in p, so this is the root of its
/// derivative or a bound.
fn free_pmax(k: f64, w: &[f64], c: &[f64], range: (f64, f64), wmax: f64, guess: f64) -> f64 {
    let (plo, phi) = range;
    if phi <= plo || k == 0.0 {
        return plo;
    }
    let limit = if wmax > 0.0 {
        1.0 / wmax
    } else {
        f64::INFINITY
    };
    if plo >= limit {
        return plo;
    }
    let dp = |p: f64| {
        let (s1, s2) = pmax_sums(p, w, c);
        (s1 - k / p, s2 + k / (p * p))
    };
    if phi < limit && dp(phi).0 <= 0.0 {
        return phi;
    }
    if plo > 0.0 && dp(plo).0 >= 0.0 {
        return plo;
    }
    let upper = phi.min(limit);
    let guess = if guess > plo && guess < upper {
        guess
    } else {
        0.5 * (plo + upper)
    };
    monotone_root(plo, upper, guess, true, dp)
}

/// Lanes of the hot sums below: independent accumulators let the additions overlap
/// (and vectorise) instead of waiting on one another.
const LANES: usize = 4;

/// `(Σ c·r, Σ c·r²)` with `r = w / (1 − p·w)`: the data terms of the first two
/// derivatives of the NLL in pmax.
fn pmax_sums(p: f64, w: &[f64], c: &[f64]) -> (f64, f64) {
    let mut d1 = [0.0; LANES];
    let mut d2 = [0.0; LANES];
    let (w_chunks, w_rest) = w.as_chunks::<LANES>();
    let (c_chunks, c_rest) = c.as_chunks::<LANES>();
    for (wl, cl) in w_chunks.iter().zip(c_chunks) {
        for (((d1, d2), &w), &c) in d1.iter_mut().zip(&mut d2).zip(wl).zip(cl) {
            let r = w / (1.0 - p * w);
            *d1 += c * r;
            *d2 += c * r * r;
        }
    }
    for (&w, &c) in w_rest.iter().zip(c_rest) {
        let r = w / (1.0 - p * w);
        d1[0] += c * r;
        d2[0] += c * r * r;
    }
    (d1.iter().sum(), d2.iter().sum())
}

/// The unconnected pairs' terms of the NLL at `(p, s)` with its gradient and Hessian.
struct RawSums {
    ln_q: f64,
    g_p: f64,
    g_s: f64,
    h_pp: f64,
    h_ps: f64,
    h_ss: f64,
}

/// [`RawSums`] over the raw `t` for `w = exp(−a·t)` (`a_s`, `a_ss`: derivatives of `a` in
/// the size), in lanes, with `Σ ln(1 − p·w)` taken as the logarithm of products as in
/// [`unit_profile_sums`]; `None` when some `p·w ≥ 1` (zero likelihood).
fn raw_sums(p: f64, a: f64, a_s: f64, a_ss: f64, t: &[f64]) -> Option<RawSums> {
    let mut product = [1.0; LANES];
    let mut smallest = [1.0f64; LANES];
    let mut ln_q = [0.0; LANES];
    let mut sums = [[0.0; LANES]; 5];
    let mut term = |j: usize, t: f64, product: &mut [f64; LANES]| {
        let w = (-a * t).exp();
        let pw = p * w;
        let q = 1.0 - pw;
        product[j] *= q;
        smallest[j] = smallest[j].min(q);
        let r = w / q;
        let ws = -a_s * t * w;
        let wss = (a_s * a_s * t - a_ss) * t * w;
        let gs = p * ws / q;
        sums[0][j] += r;
        sums[1][j] += gs;
        sums[2][j] += r * r;
        sums[3][j] += ws / (q * q);
        sums[4][j] += p * wss / q + gs * gs;
    };
    let (chunks, rest) = t.as_chunks::<LANES>();
    for chunk in chunks {
        for (j, &t) in chunk.iter().enumerate() {
            term(j, t, &mut product);
        }
        fold_products(&mut product, &mut ln_q);
    }
    for &t in rest {
        term(0, t, &mut product);
        fold_products(&mut product, &mut ln_q);
    }
    if smallest.iter().any(|&q| q <= 0.0) {
        return None;
    }
    let total = |v: &[f64; LANES]| v.iter().sum::<f64>();
    Some(RawSums {
        ln_q: total_ln(&product, &ln_q),
        g_p: total(&sums[0]),
        g_s: total(&sums[1]),
        h_pp: total(&sums[2]),
        h_ps: total(&sums[3]),
        h_ss: total(&sums[4]),
    })
}

/// `(Σ c·ln(1 − p·w), Σ c·p·w·t / (1 − p·w))` for weighted (compressed) nodes.
fn weighted_profile_sums(p: f64, w: &[f64], t: &[f64], c: &[f64]) -> (f64, f64) {
    let mut ln_q = [0.0; LANES];
    let mut ds = [0.0; LANES];
    let (w_chunks, w_rest) = w.as_chunks::<LANES>();
    let (t_chunks, t_rest) = t.as_chunks::<LANES>();
    let (c_chunks, c_rest) = c.as_chunks::<LANES>();
    for ((wl, tl), cl) in w_chunks.iter().zip(t_chunks).zip(c_chunks) {
        for ((((ln_q, ds), &w), &t), &c) in ln_q.iter_mut().zip(&mut ds).zip(wl).zip(tl).zip(cl) {
            let pw = p * w;
            *ln_q += c * (-pw).ln_1p();
            *ds += c * pw * t / (1.0 - pw);
        }
    }
    for ((&w, &t), &c) in w_rest.iter().zip(t_rest).zip(c_rest) {
        let pw = p * w;
        ln_q[0] += c * (-pw).ln_1p();
        ds[0] += c * pw * t / (1.0 - pw);
    }
    (ln_q.iter().sum(), ds.iter().sum())
}

/// The sums of [`weighted_profile_sums`] for unit weights (raw pairs), with the
/// logarithm of a product in place of a sum of logarithms: one `ln` per lane and per
/// 10²⁰⁰ of accumulated factor instead of one per pair. `1 − p·w` carries an absolute
/// rounding error below 2⁻⁵³, so the sum is within `n·2⁻⁵³` of the sum of `ln_1p`: ample
/// for the search, whose answer is re-evaluated exactly.
fn unit_profile_sums(p: f64, w: &[f64], t: &[f64]) -> (f64, f64) {
    let mut product = [1.0; LANES];
    let mut smallest = [1.0f64; LANES];
    let mut ln_q = [0.0; LANES];
    let mut ds = [0.0; LANES];
    let (w_chunks, w_rest) = w.as_chunks::<LANES>();
    let (t_chunks, t_rest) = t.as_chunks::<LANES>();
    for (wl, tl) in w_chunks.iter().zip(t_chunks) {
        for ((((product, smallest), ds), &w), &t) in product
            .iter_mut()
            .zip(&mut smallest)
            .zip(&mut ds)
            .zip(wl)
            .zip(tl)
        {
            let pw = p * w;
            let q = 1.0 - pw;
            *product *= q;
            *smallest = smallest.min(q);
            *ds += pw * t / q;
        }
        fold_products(&mut product, &mut ln_q);
    }
    for (&w, &t) in w_rest.iter().zip(t_rest) {
        let pw = p * w;
        let q = 1.0 - pw;
        ln_q[0] += q.ln();
        smallest[0] = smallest[0].min(q);
        ds[0] += pw * t / q;
    }
    if smallest.iter().any(|&q| q <= 0.0) {
        return (f64::NEG_INFINITY, f64::NAN);
    }
    (total_ln(&product, &ln_q), ds.iter().sum())
}

/// Every factor `1 − p·w` with `p·w < 1` is at least 2⁻⁵³, so a product kept above this
/// cannot underflow on the next factor.
const FOLD_BELOW: f64 = 1e-200;

/// Moves the lanes' products into their logarithm sums once one gets small.
fn fold_products(product: &mut [f64; LANES], ln_q: &mut [f64; LANES]) {
    if product.iter().any(|&v| v < FOLD_BELOW) {
        for (product, ln_q) in product.iter_mut().zip(ln_q) {
            *ln_q += product.ln();
            *product = 1.0;
        }
    }
}

/// `Σ ln` of every factor: the folded sums plus the logarithms of what is left.
fn total_ln(product: &[f64; LANES], ln_q: &[f64; LANES]) -> f64 {
    product.iter().zip(ln_q).map(|(p, l)| l + p.ln()).sum()
}

/// Which distance model to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceModelKind {
    /// [`GaussianModel`].
    Gaussian,
    /// [`ExponentialModel`].
    Exponential,
    /// [`LinearModel`].
    Linear,
    /// [`SphereIntersectionModel`] (fitted in its pmax parametrisation).
    SphereIntersection,
}

/// Any of the fittable distance models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyDistanceModel {
    /// A Gaussian profile.
    Gaussian(GaussianModel),
    /// An exponential profile.
    Exponential(ExponentialModel),
    /// A linear profile.
    Linear(LinearModel),
    /// A sphere-intersection profile.
    SphereIntersection(SphereIntersectionModel),
}

impl AnyDistanceModel {
    /// The model of `kind` with `pmax` and size `size_m` (σ, λ, reach or radius, metres),
    /// validated as the model's own constructor does.
    ///
    /// ```
    /// use synphys_connectivity::{AnyDistanceModel, ConnectivityModel, DistanceModelKind};
    /// # fn main() -> Result<(), synphys_connectivity::Error> {
    /// let model = AnyDistanceModel::new(DistanceModelKind::Exponential, 0.2, 80e-6)?;
    /// assert_eq!(model.connection_probability(0.0), 0.2);
    /// assert!(AnyDistanceModel::new(DistanceModelKind::Gaussian, 1.5, 80e-6).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(kind: DistanceModelKind, pmax: f64, size_m: f64) -> Result<AnyDistanceModel> {
        Ok(match kind {
            DistanceModelKind::Gaussian => {
                AnyDistanceModel::Gaussian(GaussianModel::new(pmax, size_m)?)
            }
            DistanceModelKind::Exponential => {
                AnyDistanceModel::Exponential(ExponentialModel::new(pmax, size_m)?)
            }
            DistanceModelKind::Linear => AnyDistanceModel::Linear(LinearModel::new(pmax, size_m)?),
            DistanceModelKind::SphereIntersection => AnyDistanceModel::SphereIntersection(
                SphereIntersectionModel::with_pmax(pmax, size_m)?,
            ),
        })
    }

    /// Which model this is.
    pub fn kind(&self) -> DistanceModelKind {
        match self {
            AnyDistanceModel::Gaussian(_) => DistanceModelKind::Gaussian,
            AnyDistanceModel::Exponential(_) => DistanceModelKind::Exponential,
            AnyDistanceModel::Linear(_) => DistanceModelKind::Linear,
            AnyDistanceModel::SphereIntersection(_) => DistanceModelKind::SphereIntersection,
        }
    }

    /// Probability at distance 0 (before clipping, for the clipped models).
    pub fn pmax(&self) -> f64 {
        match self {
            AnyDistanceModel::Gaussian(m) => m.pmax(),
            AnyDistanceModel::Exponential(m) => m.pmax(),
            AnyDistanceModel::Linear(m) => m.pmax(),
            AnyDistanceModel::SphereIntersection(m) => m.pmax(),
        }
    }

    /// The size parameter in metres: σ, λ, reach or radius.
    pub fn size_m(&self) -> f64 {
        match self {
            AnyDistanceModel::Gaussian(m) => m.sigma_m(),
            AnyDistanceModel::Exponential(m) => m.lambda_m(),
            AnyDistanceModel::Linear(m) => m.reach_m(),
            AnyDistanceModel::SphereIntersection(m) => m.radius_m(),
        }
    }

    /// The kernel, for the Gaussian and exponential models.
    pub fn kernel(&self) -> Option<Kernel> {
        match self {
            AnyDistanceModel::Gaussian(_) => Some(Kernel::Gaussian),
            AnyDistanceModel::Exponential(_) => Some(Kernel::Exponential),
            _ => None,
        }
    }
}

impl ConnectivityModel for AnyDistanceModel {
    fn connection_probability(&self, x: f64) -> f64 {
        match self {
            AnyDistanceModel::Gaussian(m) => m.connection_probability(x),
            AnyDistanceModel::Exponential(m) => m.connection_probability(x),
            AnyDistanceModel::Linear(m) => m.connection_probability(x),
            AnyDistanceModel::SphereIntersection(m) => m.connection_probability(x),
        }
    }
    fn ln_connection_probability(&self, x: f64) -> f64 {
        match self {
            AnyDistanceModel::Gaussian(m) => m.ln_connection_probability(x),
            AnyDistanceModel::Exponential(m) => m.ln_connection_probability(x),
            AnyDistanceModel::Linear(m) => m.ln_connection_probability(x),
            AnyDistanceModel::SphereIntersection(m) => m.ln_connection_probability(x),
        }
    }
}

fn map_fit<M, N>(fit: Fit<M>, f: impl Fn(M) -> N) -> Fit<N> {
    Fit {
        model: f(fit.model),
        nll: fit.nll,
        converged: fit.converged,
        evaluations: fit.evaluations,
        subfits: fit.subfits,
    }
}

impl DistanceModelKind {
    /// Fits this model to probed pairs at distances `x_m` (metres) with outcomes
    /// `connected`.
    pub fn fit(
        self,
        x_m: &[f64],
        connected: &[bool],
        options: &FitOptions,
    ) -> Result<Fit<AnyDistanceModel>> {
        Ok(match self {
            DistanceModelKind::Gaussian => map_fit(
                GaussianModel::fit(x_m, connected, options)?,
                AnyDistanceModel::Gaussian,
            ),
            DistanceModelKind::Exponential => map_fit(
                ExponentialModel::fit(x_m, connected, options)?,
                AnyDistanceModel::Exponential,
            ),
            DistanceModelKind::Linear => map_fit(
                LinearModel::fit(x_m, connected, options)?,
                AnyDistanceModel::Linear,
            ),
            DistanceModelKind::SphereIntersection => map_fit(
                SphereIntersectionModel::fit(x_m, connected, options)?,
                AnyDistanceModel::SphereIntersection,
            ),
        })
    }
}

macro_rules! inherent_fit {
    ($model:ty, $size:literal) => {
        impl $model {
            #[doc = concat!(
                        "Maximum-likelihood fit of pmax and ", $size,
                        " to probed pairs at distances `x_m` (metres, finite, ≥ 0) with outcomes \
                 `connected`, by the multi-start grid search of [`FitOptions`]."
                    )]
            pub fn fit(
                x_m: &[f64],
                connected: &[bool],
                options: &FitOptions,
            ) -> Result<Fit<$model>> {
                fit_distance_model::<$model>(x_m, connected, options)
            }
        }
    };
}

inherent_fit!(GaussianModel, "σ");
inherent_fit!(ExponentialModel, "λ");
inherent_fit!(LinearModel, "the reach");
inherent_fit!(SphereIntersectionModel, "the radius");

#[cfg(test)]
mod tests {
    use super::*;

    fn fd_check<M: TwoParam>(pmax: f64, s: f64, xs: &[f64]) {
        for &x in xs {
            let pt = M::point(pmax, s, x);
            let lnp = |a: f64, b: f64| M::point(a, b, x).ln_p;
            let (hp, hs) = (1e-6 * pmax, 1e-6 * s);
            let gp = (lnp(pmax + hp, s) - lnp(pmax - hp, s)) / (2.0 * hp);
            let gs = (lnp(pmax, s + hs) - lnp(pmax, s - hs)) / (2.0 * hs);
            assert!(
                (gp - pt.g[0]).abs() <= 1e-5 * gp.abs().max(1.0),
                "x {x}: d/dpmax {gp} vs {}",
                pt.g[0]
            );
            assert!(
                (gs - pt.g[1]).abs() <= 1e-5 * gs.abs().max(1.0 / s),
                "x {x}: d/ds {gs} vs {}",
                pt.g[1]
            );
            let g = |a: f64, b: f64| M::point(a, b, x).g;
            let hpp = (g(pmax + hp, s)[0] - g(pmax - hp, s)[0]) / (2.0 * hp);
            let hss = (g(pmax, s + hs)[1] - g(pmax, s - hs)[1]) / (2.0 * hs);
            let hps = (g(pmax, s + hs)[0] - g(pmax, s - hs)[0]) / (2.0 * hs);
            for (fd, an, what) in [
                (hpp, pt.h[0][0], "pp"),
                (hss, pt.h[1][1], "ss"),
                (hps, pt.h[0][1], "ps"),
            ] {
                assert!(
                    (fd - an).abs() <= 1e-4 * fd.abs().max(an.abs()).max(1.0),
                    "x {x}: h{what} {fd} vs {an}"
                );
            }
        }
    }

    #[test]
    fn analytic_derivatives_match_finite_differences() {
        let xs = [0.0, 20e-6, 75e-6, 140e-6];
        fd_check::<GaussianModel>(0.3, 100e-6, &xs);
        fd_check::<ExponentialModel>(0.3, 80e-6, &xs);
        fd_check::<LinearModel>(0.6, 200e-6, &xs);
        fd_check::<SphereIntersectionModel>(0.4, 90e-6, &xs);
    }

    #[test]
    fn kernel_profile_exact_derivatives_match_finite_differences() {
        let x: Vec<f64> = (0..6000)
            .map(|i| ((i * 7919) % 4000) as f64 * 1e-7)
            .collect();
        let c: Vec<bool> = (0..6000).map(|i| i % 9 == 0).collect();
        for kernel in [Kernel::Gaussian, Kernel::Exponential] {
            let profile = KernelProfile::new(kernel, &x, &c, true, (0.001, 1.0));
            assert!(profile.compressed);
            let theta = [0.3, 90e-6, 0.0];
            let e = profile.exact(&theta);
            let h = [1e-6 * theta[0], 1e-6 * theta[1]];
            for i in 0..2 {
                let (mut a, mut b) = (theta, theta);
                a[i] += h[i];
                b[i] -= h[i];
                let (ea, eb) = (profile.exact(&a), profile.exact(&b));
                let g = (ea.f - eb.f) / (2.0 * h[i]);
                assert!(
                    (g - e.g[i]).abs() <= 1e-5 * g.abs(),
                    "{kernel:?} g{i}: {g} vs {}",
                    e.g[i]
                );
                for j in 0..2 {
                    let fd = (ea.g[j] - eb.g[j]) / (2.0 * h[i]);
                    assert!(
                        (fd - e.h[i][j]).abs() <= 1e-4 * fd.abs().max(e.h[j][j].abs().sqrt()),
                        "{kernel:?} h{i}{j}: {fd} vs {}",
                        e.h[i][j]
                    );
                }
            }
            // The raw-data value is the model's own likelihood.
            let model = match kernel {
                Kernel::Gaussian => GaussianModel::new(0.3, 90e-6)
                    .unwrap()
                    .log_likelihood(&x, &c),
                Kernel::Exponential => ExponentialModel::new(0.3, 90e-6)
                    .unwrap()
                    .log_likelihood(&x, &c),
            };
            assert!((e.f + model.unwrap()).abs() <= 1e-10 * e.f);
        }
    }

    #[test]
    fn options_are_validated() {
        let x = [1e-5, 2e-5];
        let c = [true, false];
        for opts in [
            FitOptions::new().pmax_bounds(0.5, 0.1),
            FitOptions::new().pmax_bounds(0.0, 2.0),
            FitOptions::new().size_bounds(0.0, 1e-4),
            FitOptions::new().fixed_size(-1.0),
            FitOptions::new().grid(0),
        ] {
            assert!(GaussianModel::fit(&x, &c, &opts).is_err(), "{opts:?}");
        }
        assert!(GaussianModel::fit(&[], &[], &FitOptions::new()).is_err());
        assert!(GaussianModel::fit(&[f64::NAN], &[true], &FitOptions::new()).is_err());
    }
}
