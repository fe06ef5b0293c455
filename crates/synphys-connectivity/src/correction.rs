//! The bias-correction model `p = pmax · Π fᵢ(vᵢ)` and the fits of its correction
//! functions, as in the reference's mouse correction model: a Gaussian on lateral
//! distance, a binary step on presynaptic axon length, an error function on mean pair
//! depth, and an error function with a linear constraint on detection power.

use libm::erf;
use serde::{Deserialize, Serialize};

use crate::error::{
    Error, ErrorKind, Result, check_alpha, check_bounds, check_positive, check_same_len,
};
use crate::fit::{Fit, FitOptions};
use crate::lr::{ScaledBernoulli, likelihood_ratio_delta};
use crate::models::{BinaryStepModel, ErfModel, GaussianModel, normal_cdf};
use crate::nll::{Point, bernoulli_eval};
use crate::optim::{Eval, MAXP, minimize_box};
use crate::probability::clopper_pearson;
use crate::profile::AdjustmentMethod;

/// A correction factor as a function of one pair variable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "function", rename_all = "snake_case")]
pub enum CorrectionFunction {
    /// `exp(−v² / 2σ²)` (lateral distance, σ in metres).
    Gaussian {
        /// σ, in the variable's units.
        sigma: f64,
    },
    /// `adjustment` where `v < threshold`, 1 elsewhere (presynaptic axon length).
    BinaryStep {
        /// Values below this are adjusted.
        threshold: f64,
        /// The factor below the threshold.
        adjustment: f64,
    },
    /// `½(1 + erf((v − μ) / (√2·σ)))` (pair depth, detection power).
    Erf {
        /// σ of the integrated Gaussian.
        width: f64,
        /// μ, where the factor is ½.
        midpoint: f64,
    },
}

impl CorrectionFunction {
    /// A Gaussian factor of width `sigma` (`> 0`).
    pub fn gaussian(sigma: f64) -> Result<CorrectionFunction> {
        Ok(CorrectionFunction::Gaussian {
            sigma: check_positive("sigma", sigma)?,
        })
    }

    /// A step factor: `adjustment` (finite, `>= 0`) below `threshold` (finite).
    pub fn binary_step(threshold: f64, adjustment: f64) -> Result<CorrectionFunction> {
        if !threshold.is_finite() {
            return Err(Error::invalid("threshold", threshold, "finite"));
        }
        if !(adjustment.is_finite() && adjustment >= 0.0) {
            return Err(Error::invalid("adjustment", adjustment, "finite and >= 0"));
        }
        Ok(CorrectionFunction::BinaryStep {
            threshold,
            adjustment,
        })
    }

    /// An error-function factor of width `width` (`> 0`) centred on `midpoint` (finite).
    pub fn erf(width: f64, midpoint: f64) -> Result<CorrectionFunction> {
        if !midpoint.is_finite() {
            return Err(Error::invalid("midpoint", midpoint, "finite"));
        }
        Ok(CorrectionFunction::Erf {
            width: check_positive("width", width)?,
            midpoint,
        })
    }

    fn validate(&self) -> Result<()> {
        match *self {
            CorrectionFunction::Gaussian { sigma } => CorrectionFunction::gaussian(sigma),
            CorrectionFunction::BinaryStep {
                threshold,
                adjustment,
            } => CorrectionFunction::binary_step(threshold, adjustment),
            CorrectionFunction::Erf { width, midpoint } => CorrectionFunction::erf(width, midpoint),
        }
        .map(|_| ())
    }

    /// The function's value at `v`, as the reference computes it: NaN in gives NaN for
    /// the Gaussian and error function, and 1 for the step (NaN is never below the
    /// threshold).
    pub fn value(&self, v: f64) -> f64 {
        match *self {
            CorrectionFunction::Gaussian { sigma } => (-v * v / (2.0 * sigma * sigma)).exp(),
            CorrectionFunction::BinaryStep {
                threshold,
                adjustment,
            } => {
                if v < threshold {
                    adjustment
                } else {
                    1.0
                }
            }
            CorrectionFunction::Erf { width, midpoint } => {
                0.5 * (1.0 + erf((v - midpoint) / (std::f64::consts::SQRT_2 * width)))
            }
        }
    }

    /// The factor the model applies: the value, or 1 for a missing (non-finite) variable.
    pub fn factor(&self, v: f64) -> f64 {
        if v.is_finite() { self.value(v) } else { 1.0 }
    }
}

/// How the interval of a correction-model fit is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionInterval {
    /// Profile likelihood-ratio interval, `ΔNLL = χ²₁(1 − alpha)/2`, within the pmax
    /// bounds (the reference's MINOS interval).
    LikelihoodRatio,
    /// Clopper–Pearson interval of the raw proportion divided by the mean correction
    /// factor (the reference with `do_minos = False`).
    ScaledBinomial,
}

/// Options of a correction-model fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CorrectionFitOptions {
    pmax_bounds: (f64, f64),
    alpha: f64,
    interval: CorrectionInterval,
}

impl Default for CorrectionFitOptions {
    /// The reference's conventions: pmax in `[0, 3]`, 95 % likelihood-ratio interval.
    fn default() -> CorrectionFitOptions {
        CorrectionFitOptions {
            pmax_bounds: (0.0, 3.0),
            alpha: 0.05,
            interval: CorrectionInterval::LikelihoodRatio,
        }
    }
}

impl CorrectionFitOptions {
    /// The defaults.
    pub fn new() -> CorrectionFitOptions {
        CorrectionFitOptions::default()
    }
    /// Bounds of pmax (default `[0, 3]`: pmax here is an extrapolation to ideal
    /// conditions, not a probability, so it may exceed 1).
    pub fn pmax_bounds(mut self, lower: f64, upper: f64) -> CorrectionFitOptions {
        self.pmax_bounds = (lower, upper);
        self
    }
    /// Interval level `1 − alpha` (default 0.05).
    pub fn alpha(mut self, alpha: f64) -> CorrectionFitOptions {
        self.alpha = alpha;
        self
    }
    /// How the interval is computed (default likelihood ratio).
    pub fn interval(mut self, interval: CorrectionInterval) -> CorrectionFitOptions {
        self.interval = interval;
        self
    }
}

/// A fitted correction model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CorrectionFit {
    /// Maximum-likelihood pmax within the bounds.
    pub pmax: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
    /// Negative log-likelihood at `pmax`.
    pub nll: f64,
    /// The interval's level is `1 − alpha`.
    pub alpha: f64,
    /// How the interval was computed.
    pub method: AdjustmentMethod,
    /// Mean of the correction factors over the pairs (pmax = 1).
    pub mean_factor: f64,
    /// Pairs probed.
    pub n_probed: u64,
    /// Connections found.
    pub n_connected: u64,
}

/// `p = clip(pmax · Π fᵢ(vᵢ), 0, 1)` over correction variables; a missing variable
/// contributes a factor 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionModel {
    functions: Vec<CorrectionFunction>,
}

impl CorrectionModel {
    /// One correction function per variable.
    pub fn new(functions: Vec<CorrectionFunction>) -> Result<CorrectionModel> {
        for f in &functions {
            f.validate()?;
        }
        Ok(CorrectionModel { functions })
    }

    /// The correction functions, in variable order.
    pub fn functions(&self) -> &[CorrectionFunction] {
        &self.functions
    }

    /// `Π fᵢ(vᵢ)` per pair; `variables[i][j]` is variable `i` of pair `j`.
    pub fn factors(&self, variables: &[&[f64]]) -> Result<Vec<f64>> {
        check_same_len(
            "variables (one slice per correction function)",
            self.functions.len(),
            variables.len(),
        )?;
        let n = variables.first().map_or(0, |v| v.len());
        for v in variables {
            check_same_len("variables", n, v.len())?;
        }
        let mut out = vec![1.0; n];
        for (f, values) in self.functions.iter().zip(variables) {
            for (o, &v) in out.iter_mut().zip(values.iter()) {
                *o *= f.factor(v);
            }
        }
        Ok(out)
    }

    /// Connection probability of each pair at `pmax`.
    pub fn connection_probability(&self, pmax: f64, variables: &[&[f64]]) -> Result<Vec<f64>> {
        Ok(self
            .factors(variables)?
            .into_iter()
            .map(|c| (pmax * c).clamp(0.0, 1.0))
            .collect())
    }

    /// Log-likelihood of `connected` at `pmax`.
    pub fn log_likelihood(
        &self,
        pmax: f64,
        variables: &[&[f64]],
        connected: &[bool],
    ) -> Result<f64> {
        let factors = self.factors(variables)?;
        check_same_len("connected", factors.len(), connected.len())?;
        Ok(-ScaledBernoulli::new(&factors, connected).nll(pmax.max(0.0)))
    }

    /// Fits pmax by maximum likelihood and computes its interval.
    ///
    /// The likelihood is convex in pmax, so the estimate is exact (no optimiser
    /// tolerance). Following the reference: with no connection pmax is the lower bound
    /// and so is the interval's lower end; when every pair is connected pmax is the upper
    /// bound (3 by default), and so is the interval's upper end. `Ok(None)` for no pairs.
    pub fn fit(
        &self,
        variables: &[&[f64]],
        connected: &[bool],
        options: &CorrectionFitOptions,
    ) -> Result<Option<CorrectionFit>> {
        check_alpha(options.alpha)?;
        let (lo, hi) = check_bounds("pmax", options.pmax_bounds.0, options.pmax_bounds.1)?;
        if lo < 0.0 {
            return Err(Error::invalid("pmax lower bound", lo, ">= 0"));
        }
        let factors = self.factors(variables)?;
        check_same_len("connected", factors.len(), connected.len())?;
        if factors.is_empty() {
            return Ok(None);
        }
        for (index, &c) in factors.iter().enumerate() {
            if !c.is_finite() {
                return Err(ErrorKind::InvalidObservation {
                    what: "correction factor",
                    index,
                    value: c,
                    allowed: "must be finite",
                }
                .into());
            }
        }
        let model = ScaledBernoulli::new(&factors, connected);
        let (pmax, nll) = model.mle(lo, hi)?;
        let n = factors.len() as u64;
        let k = model.n_connected() as u64;
        let mean_factor = factors.iter().map(|c| c.clamp(0.0, 1.0)).sum::<f64>() / n as f64;
        let (lower, upper, method) = match options.interval {
            CorrectionInterval::LikelihoodRatio => {
                let delta = likelihood_ratio_delta(options.alpha)?;
                let (l, u) = model.lr_interval(pmax, nll, delta, lo, hi);
                (l, u, AdjustmentMethod::LikelihoodRatio)
            }
            CorrectionInterval::ScaledBinomial => {
                let (l, u) = clopper_pearson(k, n, options.alpha)?;
                (
                    l / mean_factor,
                    u / mean_factor,
                    AdjustmentMethod::ScaledBinomial,
                )
            }
        };
        Ok(Some(CorrectionFit {
            pmax,
            lower,
            upper,
            nll,
            alpha: options.alpha,
            method,
            mean_factor,
            n_probed: n,
            n_connected: k,
        }))
    }
}

/// `midpoint + width_multiplier · width <= limit`: the linear constraint the reference
/// puts on the detection-power fit (with multiplier 0.6745, the erf saturates by the
/// data's upper quartile).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MidpointConstraint {
    /// Factor on the width.
    pub width_multiplier: f64,
    /// Upper limit of `midpoint + width_multiplier · width`.
    pub limit: f64,
}

/// Options of an [`ErfModel`] fit: start, bounds and an optional linear constraint.
///
/// Built from a preset or from [`ErfFitOptions::new`]; equal bounds fix a parameter.
///
/// ```
/// use synphys_connectivity::{ErfFitOptions, MidpointConstraint};
/// let options = ErfFitOptions::new()
///     .start(0.1, 1.0, 3.0)
///     .width_bounds(0.1, 5.0)
///     .midpoint_bounds(2.0, 5.0)
///     .constraint(MidpointConstraint { width_multiplier: 0.6745, limit: 4.6613 });
/// assert_eq!(options, ErfFitOptions::mouse_detection_power());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErfFitOptions {
    /// Start `(pmax, width, midpoint)`.
    init: [f64; 3],
    /// Bounds of `(pmax, width, midpoint)`; equal ends fix a parameter.
    bounds: [(f64, f64); 3],
    /// Optional constraint on the midpoint and width.
    constraint: Option<MidpointConstraint>,
}

impl Default for ErfFitOptions {
    fn default() -> ErfFitOptions {
        ErfFitOptions {
            init: [0.1, 1.0, 0.0],
            bounds: [(0.001, 1.0), (1e-3, 1e3), (-1e3, 1e3)],
            constraint: None,
        }
    }
}

impl ErfFitOptions {
    /// Start `(0.1, 1, 0)`, pmax in `[0.001, 1]`, width in `[0.001, 1000]`, midpoint in
    /// `[−1000, 1000]`, no constraint: set the start and bounds to the variable's scale.
    pub fn new() -> ErfFitOptions {
        ErfFitOptions::default()
    }

    /// The start `(pmax, width, midpoint)`.
    pub fn start(mut self, pmax: f64, width: f64, midpoint: f64) -> ErfFitOptions {
        self.init = [pmax, width, midpoint];
        self
    }

    /// Bounds of pmax.
    pub fn pmax_bounds(mut self, lower: f64, upper: f64) -> ErfFitOptions {
        self.bounds[0] = (lower, upper);
        self
    }

    /// Bounds of the width (σ of the integrated Gaussian), in the variable's unit.
    pub fn width_bounds(mut self, lower: f64, upper: f64) -> ErfFitOptions {
        self.bounds[1] = (lower, upper);
        self
    }

    /// Bounds of the midpoint, in the variable's unit.
    pub fn midpoint_bounds(mut self, lower: f64, upper: f64) -> ErfFitOptions {
        self.bounds[2] = (lower, upper);
        self
    }

    /// Adds the linear constraint `midpoint + width_multiplier · width <= limit`.
    pub fn constraint(mut self, constraint: MidpointConstraint) -> ErfFitOptions {
        self.constraint = Some(constraint);
        self
    }

    /// The start `(pmax, width, midpoint)`.
    pub fn initial(&self) -> [f64; 3] {
        self.init
    }

    /// The bounds of `(pmax, width, midpoint)`.
    pub fn bounds(&self) -> [(f64, f64); 3] {
        self.bounds
    }

    /// The linear constraint, if any.
    pub fn midpoint_constraint(&self) -> Option<MidpointConstraint> {
        self.constraint
    }

    /// The reference's pair-depth fit: start `(0.1, 30 µm, 30 µm)`, bounds pmax
    /// `[0.01, 1]`, width `[10, 200] µm`, midpoint `[−100, 100] µm`.
    pub fn mouse_pair_depth() -> ErfFitOptions {
        ErfFitOptions::new()
            .start(0.1, 30e-6, 30e-6)
            .pmax_bounds(0.01, 1.0)
            .width_bounds(10e-6, 200e-6)
            .midpoint_bounds(-100e-6, 100e-6)
    }

    /// The reference's detection-power fit: start `(0.1, 1, 3)`, bounds pmax
    /// `[0.001, 1]`, width `[0.1, 5]`, midpoint `[2, 5]`, with
    /// `midpoint + 0.6745·width <= 4.6613`.
    pub fn mouse_detection_power() -> ErfFitOptions {
        ErfFitOptions::new()
            .start(0.1, 1.0, 3.0)
            .pmax_bounds(0.001, 1.0)
            .width_bounds(0.1, 5.0)
            .midpoint_bounds(2.0, 5.0)
            .constraint(MidpointConstraint {
                width_multiplier: 0.6745,
                limit: 4.6613,
            })
    }
}

/// Options of a [`BinaryStepModel`] fit: start and bounds of
/// `(pmax, threshold, adjustment)`; equal bounds fix a parameter.
///
/// ```
/// use synphys_connectivity::BinaryStepFitOptions;
/// let options = BinaryStepFitOptions::new()
///     .start(0.1, 200e-6, 0.5)
///     .threshold_bounds(200e-6, 200e-6)
///     .adjustment_bounds(0.1, 0.9);
/// assert_eq!(options, BinaryStepFitOptions::mouse_axon_length());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BinaryStepFitOptions {
    /// Start `(pmax, threshold, adjustment)`.
    init: [f64; 3],
    /// Bounds of `(pmax, threshold, adjustment)`; equal ends fix a parameter.
    bounds: [(f64, f64); 3],
}

impl Default for BinaryStepFitOptions {
    fn default() -> BinaryStepFitOptions {
        BinaryStepFitOptions {
            init: [0.1, 0.0, 0.5],
            bounds: [(0.001, 1.0), (0.0, 0.0), (0.0, 1.0)],
        }
    }
}

impl BinaryStepFitOptions {
    /// Start `(0.1, 0, 0.5)`, pmax in `[0.001, 1]`, threshold fixed at 0, adjustment in
    /// `[0, 1]`: set the threshold to the variable's scale.
    pub fn new() -> BinaryStepFitOptions {
        BinaryStepFitOptions::default()
    }

    /// The start `(pmax, threshold, adjustment)`.
    pub fn start(mut self, pmax: f64, threshold: f64, adjustment: f64) -> BinaryStepFitOptions {
        self.init = [pmax, threshold, adjustment];
        self
    }

    /// Bounds of pmax.
    pub fn pmax_bounds(mut self, lower: f64, upper: f64) -> BinaryStepFitOptions {
        self.bounds[0] = (lower, upper);
        self
    }

    /// Bounds of the threshold, in the variable's unit (equal ends fix it).
    pub fn threshold_bounds(mut self, lower: f64, upper: f64) -> BinaryStepFitOptions {
        self.bounds[1] = (lower, upper);
        self
    }

    /// Bounds of the adjustment below the threshold.
    pub fn adjustment_bounds(mut self, lower: f64, upper: f64) -> BinaryStepFitOptions {
        self.bounds[2] = (lower, upper);
        self
    }

    /// The start `(pmax, threshold, adjustment)`.
    pub fn initial(&self) -> [f64; 3] {
        self.init
    }

    /// The bounds of `(pmax, threshold, adjustment)`.
    pub fn bounds(&self) -> [(f64, f64); 3] {
        self.bounds
    }

    /// The reference's axon-length fit: threshold fixed at 200 µm, start pmax 0.1 and
    /// adjustment 0.5, bounds pmax `[0.001, 1]`, adjustment `[0.1, 0.9]`.
    pub fn mouse_axon_length() -> BinaryStepFitOptions {
        BinaryStepFitOptions::new()
            .start(0.1, 200e-6, 0.5)
            .threshold_bounds(200e-6, 200e-6)
            .adjustment_bounds(0.1, 0.9)
    }
}

fn check_box(names: [&'static str; 3], bounds: &[(f64, f64); 3]) -> Result<()> {
    for (name, &(lo, hi)) in names.iter().zip(bounds) {
        check_bounds(name, lo, hi)?;
    }
    Ok(())
}

fn check_probability_bounds(name: &'static str, (lo, hi): (f64, f64)) -> Result<()> {
    if lo < 0.0 || hi > 1.0 {
        return Err(ErrorKind::InvalidBounds {
            name,
            lower: lo,
            upper: hi,
            allowed: "within [0, 1]",
        }
        .into());
    }
    Ok(())
}

fn check_fit_data(x: &[f64], connected: &[bool]) -> Result<()> {
    check_same_len("connected", x.len(), connected.len())?;
    crate::error::check_finite_values("x", x, false)?;
    if x.is_empty() {
        return Err(Error::empty("correction function fit"));
    }
    Ok(())
}

/// Starts of the multi-start local fits: the given one and a 3ⁿ grid of the box.
fn starts(init: [f64; MAXP], lo: [f64; MAXP], hi: [f64; MAXP], n: usize) -> Vec<[f64; MAXP]> {
    let mut points = vec![init];
    let mut grid = vec![lo];
    for i in 0..n {
        let mut next = Vec::new();
        for p in &grid {
            for t in [1.0 / 6.0, 0.5, 5.0 / 6.0] {
                let mut q = *p;
                q[i] = lo[i] + t * (hi[i] - lo[i]);
                next.push(q);
            }
        }
        grid = next;
    }
    points.extend(grid);
    points
}

fn erf_point(theta: &[f64; MAXP], x: f64) -> Point {
    let (pmax, w, mu) = (theta[0], theta[1], theta[2]);
    let z = (x - mu) / w;
    let cdf = normal_cdf(z);
    let p = pmax * cdf;
    if cdf == 0.0 {
        return Point {
            p: 0.0,
            ln_p: f64::NEG_INFINITY,
            ln_q: 0.0,
            g: [0.0; MAXP],
            h: [[0.0; MAXP]; MAXP],
        };
    }
    let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    // ln p = ln pmax + ln Φ(z); m = φ/Φ, dm/dz = −m(z + m).
    let m = pdf / cdf;
    let dm = -m * (z + m);
    let (z_w, z_mu) = (-z / w, -1.0 / w);
    let (z_ww, z_wmu) = (2.0 * z / (w * w), 1.0 / (w * w));
    let mut h = [[0.0; MAXP]; MAXP];
    h[0][0] = -1.0 / (pmax * pmax);
    h[1][1] = dm * z_w * z_w + m * z_ww;
    h[2][2] = dm * z_mu * z_mu;
    h[1][2] = dm * z_w * z_mu + m * z_wmu;
    h[2][1] = h[1][2];
    Point {
        p,
        ln_p: pmax.ln() + cdf.ln(),
        ln_q: (-p).ln_1p(),
        g: [1.0 / pmax, m * z_w, m * z_mu],
        h,
    }
}

impl ErfModel {
    /// Maximum-likelihood fit of `(pmax, width, midpoint)` to outcomes `connected` at
    /// values `x` (finite), within the bounds and the optional constraint of `options`.
    ///
    /// Local fits start from `options.init` and from a 3 × 3 × 3 grid of the box; with a
    /// constraint, fits whose result violates it are replaced by fits on the constraint's
    /// face (an active constraint), and the best feasible result is kept.
    pub fn fit(x: &[f64], connected: &[bool], options: &ErfFitOptions) -> Result<Fit<ErfModel>> {
        check_fit_data(x, connected)?;
        check_box(["pmax", "width", "midpoint"], &options.bounds)?;
        check_probability_bounds("pmax", options.bounds[0])?;
        if options.bounds[1].0 <= 0.0 {
            return Err(Error::invalid(
                "width lower bound",
                options.bounds[1].0,
                "> 0",
            ));
        }
        let lo = [
            options.bounds[0].0,
            options.bounds[1].0,
            options.bounds[2].0,
        ];
        let mut hi = [
            options.bounds[0].1,
            options.bounds[1].1,
            options.bounds[2].1,
        ];
        let objective = |t: &[f64; MAXP]| bernoulli_eval(3, x, connected, |x| erf_point(t, x));
        let mut evaluations = 0;
        let mut best: Option<([f64; MAXP], f64, bool)> = None;
        let consider = |best: &mut Option<([f64; MAXP], f64, bool)>,
                        theta: [f64; MAXP],
                        f: f64,
                        converged: bool| {
            if f.is_finite() && best.is_none_or(|b| f < b.1) {
                *best = Some((theta, f, converged));
            }
        };
        let face = match options.constraint {
            None => None,
            Some(c) if c.width_multiplier == 0.0 => {
                // midpoint <= limit: just a tighter bound.
                hi[2] = hi[2].min(c.limit);
                if hi[2] < lo[2] {
                    return Err(infeasible(c));
                }
                None
            }
            Some(c) => Some(c),
        };
        let feasible = |t: &[f64; MAXP]| match face {
            None => true,
            Some(c) => t[2] + c.width_multiplier * t[1] <= c.limit + 1e-12 * c.limit.abs().max(1.0),
        };
        let init = clamp3(options.init, lo, hi);
        for start in starts(init, lo, hi, 3) {
            let r = minimize_box(3, start, lo, hi, objective);
            evaluations += r.evaluations;
            if feasible(&r.x) {
                consider(&mut best, r.x, r.f, r.converged);
            }
        }
        // Local minima of the constrained problem are either feasible local minima of the
        // box problem (found above) or local minima on the constraint's face.
        if let Some(c) = face {
            // On the face midpoint = limit − a·width; width is limited so the midpoint
            // stays within its bounds.
            let a = c.width_multiplier;
            let (mut wlo, mut whi) = ((c.limit - hi[2]) / a, (c.limit - lo[2]) / a);
            if a < 0.0 {
                std::mem::swap(&mut wlo, &mut whi);
            }
            let (wlo, whi) = (wlo.max(lo[1]), whi.min(hi[1]));
            if wlo > whi {
                if best.is_none() {
                    return Err(infeasible(c));
                }
            } else {
                let flo = [lo[0], wlo, 0.0];
                let fhi = [hi[0], whi, 0.0];
                let on_face = |t: &[f64; MAXP]| [t[0], t[1], c.limit - a * t[1]];
                let face_objective = |t: &[f64; MAXP]| {
                    let e = objective(&on_face(t));
                    // Chain rule for midpoint = limit − a·width.
                    let mut out = Eval {
                        f: e.f,
                        g: [e.g[0], e.g[1] - a * e.g[2], 0.0],
                        h: [[0.0; MAXP]; MAXP],
                    };
                    out.h[0][0] = e.h[0][0];
                    out.h[0][1] = e.h[0][1] - a * e.h[0][2];
                    out.h[1][0] = out.h[0][1];
                    out.h[1][1] = e.h[1][1] - 2.0 * a * e.h[1][2] + a * a * e.h[2][2];
                    out
                };
                let face_init = clamp3([init[0], init[1], 0.0], flo, fhi);
                for start in starts(face_init, flo, fhi, 2) {
                    let r = minimize_box(2, start, flo, fhi, face_objective);
                    evaluations += r.evaluations;
                    consider(&mut best, on_face(&r.x), r.f, r.converged);
                }
            }
        }
        let (theta, nll, converged) = best.ok_or_else(|| {
            Error::from(ErrorKind::DegenerateLikelihood {
                reason: "the error-function model gives probability 0 to a connected pair everywhere in the bounds".into(),
            })
        })?;
        Ok(Fit {
            model: ErfModel::new(theta[0], theta[1], theta[2])?,
            nll,
            converged,
            evaluations,
            subfits: Vec::new(),
        })
    }
}

fn infeasible(c: MidpointConstraint) -> Error {
    Error::invalid(
        "constraint limit",
        c.limit,
        "reachable: midpoint + width_multiplier·width <= limit must hold somewhere within the bounds",
    )
}

fn clamp3(x: [f64; 3], lo: [f64; MAXP], hi: [f64; MAXP]) -> [f64; MAXP] {
    [
        x[0].clamp(lo[0], hi[0]),
        x[1].clamp(lo[1], hi[1]),
        x[2].clamp(lo[2], hi[2]),
    ]
}

/// Counts on each side of a threshold: the step model's likelihood depends on nothing
/// else.
#[derive(Debug, Clone, Copy)]
struct StepCounts {
    above: (f64, f64),
    below: (f64, f64),
}

impl StepCounts {
    /// NLL in `(pmax, adjustment)`: `u = pmax` above, `v = pmax·adjustment` below.
    fn eval(&self, theta: &[f64; MAXP]) -> Eval {
        let (p, a) = (theta[0], theta[1]);
        let v = p * a;
        let side = |(k, m): (f64, f64), q: f64| -> Option<(f64, f64, f64)> {
            // −k ln q − m ln(1 − q) with derivatives; 0·ln 0 = 0.
            let mut f = 0.0;
            let mut d1 = 0.0;
            let mut d2 = 0.0;
            if k > 0.0 {
                if q <= 0.0 {
                    return None;
                }
                f -= k * q.ln();
                d1 -= k / q;
                d2 += k / (q * q);
            }
            if m > 0.0 {
                if q >= 1.0 {
                    return None;
                }
                f -= m * (-q).ln_1p();
                d1 += m / (1.0 - q);
                d2 += m / ((1.0 - q) * (1.0 - q));
            }
            Some((f, d1, d2))
        };
        let (Some((fu, gu, hu)), Some((fv, gv, hv))) = (side(self.above, p), side(self.below, v))
        else {
            return Eval::infinite();
        };
        let mut e = Eval {
            f: fu + fv,
            g: [gu + gv * a, gv * p, 0.0],
            h: [[0.0; MAXP]; MAXP],
        };
        e.h[0][0] = hu + hv * a * a;
        e.h[0][1] = hv * a * p + gv;
        e.h[1][0] = e.h[0][1];
        e.h[1][1] = hv * p * p;
        e
    }
}

impl BinaryStepModel {
    /// Maximum-likelihood fit of `(pmax, threshold, adjustment)` to outcomes `connected`
    /// at values `x` (finite), within the bounds of `options`.
    ///
    /// The likelihood depends on the threshold only through which values fall below it,
    /// so every distinct split within the threshold bounds is tried (pmax and adjustment
    /// fitted for each from the start and a 3 × 3 grid); among equally good thresholds the
    /// one closest to `options.init` is reported.
    pub fn fit(
        x: &[f64],
        connected: &[bool],
        options: &BinaryStepFitOptions,
    ) -> Result<Fit<BinaryStepModel>> {
        check_fit_data(x, connected)?;
        check_box(["pmax", "threshold", "adjustment"], &options.bounds)?;
        check_probability_bounds("pmax", options.bounds[0])?;
        check_probability_bounds("adjustment", options.bounds[2])?;
        let (tlo, thi) = options.bounds[1];
        let mut values: Vec<f64> = x.iter().copied().filter(|&v| v > tlo && v <= thi).collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        // Each candidate threshold stands for the interval of thresholds giving the same
        // split: (previous value, candidate], clipped to the bounds.
        let mut candidates = vec![(tlo, tlo, tlo)];
        let mut previous = tlo;
        for &v in &values {
            candidates.push((v, previous, v));
            previous = v;
        }
        if thi > previous {
            candidates.push((thi, previous, thi));
        }
        let lo = [options.bounds[0].0, options.bounds[2].0, 0.0];
        let hi = [options.bounds[0].1, options.bounds[2].1, 0.0];
        let init = [
            options.init[0].clamp(lo[0], hi[0]),
            options.init[2].clamp(lo[1], hi[1]),
            0.0,
        ];
        let start_points = starts(init, lo, hi, 2);
        let mut evaluations = 0;
        let mut best: Option<(f64, f64, f64, [f64; MAXP], bool)> = None;
        // Values sorted once, with running counts of connections: the counts below any
        // threshold are then a binary search away.
        let mut sorted: Vec<(f64, bool)> =
            x.iter().copied().zip(connected.iter().copied()).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut connected_before = Vec::with_capacity(sorted.len() + 1);
        connected_before.push(0.0);
        for &(_, y) in &sorted {
            let last = connected_before.last().copied().unwrap_or(0.0);
            connected_before.push(last + f64::from(u8::from(y)));
        }
        let (n, k) = (sorted.len() as f64, connected_before[sorted.len()]);
        for (threshold, open_end, closed_end) in candidates {
            let below = sorted.partition_point(|&(v, _)| v < threshold);
            let (n_below, k_below) = (below as f64, connected_before[below]);
            let counts = StepCounts {
                above: (k - k_below, (n - n_below) - (k - k_below)),
                below: (k_below, n_below - k_below),
            };
            for &start in &start_points {
                let r = minimize_box(2, start, lo, hi, |t| counts.eval(t));
                evaluations += r.evaluations;
                if !r.f.is_finite() {
                    continue;
                }
                // The reported threshold: the start's, if it gives this split.
                let t_init = options.init[1].clamp(tlo, thi);
                let reported =
                    if (t_init > open_end || open_end == closed_end) && t_init <= closed_end {
                        t_init
                    } else {
                        threshold
                    };
                let better = match best {
                    None => true,
                    Some((f, t, ..)) => {
                        r.f < f - 1e-12 * f.abs()
                            || (r.f <= f + 1e-12 * f.abs()
                                && (reported - t_init).abs() < (t - t_init).abs())
                    }
                };
                if better {
                    best = Some((r.f, reported, 0.0, r.x, r.converged));
                }
            }
        }
        let (nll, threshold, _, theta, converged) = best.ok_or_else(|| {
            Error::from(ErrorKind::DegenerateLikelihood {
                reason:
                    "no pmax and adjustment within the bounds give the data a non-zero likelihood"
                        .into(),
            })
        })?;
        Ok(Fit {
            model: BinaryStepModel::new(theta[0], threshold, theta[1])?,
            nll,
            converged,
            evaluations,
            subfits: Vec::new(),
        })
    }
}

/// How to fit one correction function to one pair variable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum CorrectionSpec {
    /// A Gaussian distance profile; the correction uses its σ.
    Gaussian(FitOptions),
    /// A binary step; the correction uses its threshold and adjustment.
    BinaryStep(BinaryStepFitOptions),
    /// An error function; the correction uses its width and midpoint.
    Erf(ErfFitOptions),
}

impl CorrectionSpec {
    /// Lateral distance: Gaussian with σ fixed (the reference fixes 100 µm), pmax in
    /// `[0.001, 1]`.
    pub fn mouse_lateral_distance(sigma_m: f64) -> CorrectionSpec {
        CorrectionSpec::Gaussian(FitOptions::new().size_bounds(sigma_m, sigma_m))
    }
    /// Presynaptic axon length: see [`BinaryStepFitOptions::mouse_axon_length`].
    pub fn mouse_axon_length() -> CorrectionSpec {
        CorrectionSpec::BinaryStep(BinaryStepFitOptions::mouse_axon_length())
    }
    /// Mean pair depth: see [`ErfFitOptions::mouse_pair_depth`].
    pub fn mouse_pair_depth() -> CorrectionSpec {
        CorrectionSpec::Erf(ErfFitOptions::mouse_pair_depth())
    }
    /// Detection power: see [`ErfFitOptions::mouse_detection_power`].
    pub fn mouse_detection_power() -> CorrectionSpec {
        CorrectionSpec::Erf(ErfFitOptions::mouse_detection_power())
    }
}

/// One correction function fitted to one variable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FittedCorrection {
    /// The correction function (the fitted model without its pmax).
    pub function: CorrectionFunction,
    /// The fitted model's pmax (not used by the correction).
    pub pmax: f64,
    /// Negative log-likelihood of the per-variable fit.
    pub nll: f64,
    /// Pairs used (those with a finite value of the variable).
    pub n_used: usize,
    /// The fitted parameters in the reference's layout: `[pmax, size]` for the Gaussian,
    /// `[pmax, threshold, adjustment]` and `[pmax, width, midpoint]`.
    pub parameters: [f64; 3],
}

/// Fits a correction function to one variable, using the pairs whose value is finite.
pub fn fit_correction(
    spec: &CorrectionSpec,
    values: &[f64],
    connected: &[bool],
) -> Result<FittedCorrection> {
    check_same_len("connected", values.len(), connected.len())?;
    let (x, y): (Vec<f64>, Vec<bool>) = values
        .iter()
        .zip(connected)
        .filter(|(v, _)| v.is_finite())
        .map(|(&v, &c)| (v, c))
        .unzip();
    let n_used = x.len();
    Ok(match spec {
        CorrectionSpec::Gaussian(options) => {
            let fit = GaussianModel::fit(&x, &y, options)?;
            FittedCorrection {
                function: CorrectionFunction::gaussian(fit.model.sigma_m())?,
                pmax: fit.model.pmax(),
                nll: fit.nll,
                n_used,
                parameters: [fit.model.pmax(), fit.model.sigma_m(), f64::NAN],
            }
        }
        CorrectionSpec::BinaryStep(options) => {
            let fit = BinaryStepModel::fit(&x, &y, options)?;
            let m = fit.model;
            FittedCorrection {
                function: CorrectionFunction::binary_step(m.threshold(), m.adjustment())?,
                pmax: m.pmax(),
                nll: fit.nll,
                n_used,
                parameters: [m.pmax(), m.threshold(), m.adjustment()],
            }
        }
        CorrectionSpec::Erf(options) => {
            let fit = ErfModel::fit(&x, &y, options)?;
            let m = fit.model;
            FittedCorrection {
                function: CorrectionFunction::erf(m.width(), m.midpoint())?,
                pmax: m.pmax(),
                nll: fit.nll,
                n_used,
                parameters: [m.pmax(), m.width(), m.midpoint()],
            }
        }
    })
}

/// Fits one correction function per variable and combines them into a
/// [`CorrectionModel`] (the reference's `ei_correct_connectivity` for one class).
/// `metrics[i]` pairs a specification with the values of variable `i` for every probed
/// pair; each spec is used only with its own values, so their order cannot be mixed up.
pub fn fit_correction_model(
    metrics: &[(CorrectionSpec, &[f64])],
    connected: &[bool],
) -> Result<(CorrectionModel, Vec<FittedCorrection>)> {
    let fits = metrics
        .iter()
        .map(|(spec, values)| fit_correction(spec, values, connected))
        .collect::<Result<Vec<_>>>()?;
    let model = CorrectionModel::new(fits.iter().map(|f| f.function).collect())?;
    Ok((model, fits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ConnectivityModel;

    #[test]
    fn erf_derivatives_match_finite_differences() {
        let theta = [0.4, 0.7, 3.6];
        for x in [2.0, 3.3, 3.6, 4.4, 6.0] {
            let pt = erf_point(&theta, x);
            for i in 0..3 {
                let h = 1e-6 * theta[i].abs();
                let (mut a, mut b) = (theta, theta);
                a[i] += h;
                b[i] -= h;
                let fd = (erf_point(&a, x).ln_p - erf_point(&b, x).ln_p) / (2.0 * h);
                assert!(
                    (fd - pt.g[i]).abs() <= 1e-6 * fd.abs().max(1.0),
                    "x {x} g{i}: {fd} vs {}",
                    pt.g[i]
                );
                for j in 0..3 {
                    let fd = (erf_point(&a, x).g[j] - erf_point(&b, x).g[j]) / (2.0 * h);
                    assert!(
                        (fd - pt.h[i][j]).abs() <= 1e-5 * fd.abs().max(1.0),
                        "x {x} h{i}{j}: {fd} vs {}",
                        pt.h[i][j]
                    );
                }
            }
        }
    }

    #[test]
    fn step_counts_derivatives_match_finite_differences() {
        let counts = StepCounts {
            above: (7.0, 40.0),
            below: (2.0, 30.0),
        };
        let theta = [0.2, 0.5, 0.0];
        let e = counts.eval(&theta);
        for i in 0..2 {
            let h = 1e-7;
            let (mut a, mut b) = (theta, theta);
            a[i] += h;
            b[i] -= h;
            let fd = (counts.eval(&a).f - counts.eval(&b).f) / (2.0 * h);
            assert!((fd - e.g[i]).abs() < 1e-5 * fd.abs().max(1.0));
            for j in 0..2 {
                let fd = (counts.eval(&a).g[j] - counts.eval(&b).g[j]) / (2.0 * h);
                assert!(
                    (fd - e.h[i][j]).abs() < 1e-4 * fd.abs().max(1.0),
                    "{i}{j}: {fd} vs {}",
                    e.h[i][j]
                );
            }
        }
    }

    #[test]
    fn free_threshold_step_fit_finds_the_best_split() {
        // p = 0.1 below 100 and 0.5 above, values 0..200.
        let x: Vec<f64> = (0..400).map(|i| (i % 200) as f64 + 0.25).collect();
        let connected: Vec<bool> = (0..400)
            .map(|i| {
                let v = (i % 200) as f64;
                let u = ((i * 7919) % 1000) as f64 / 1000.0;
                u < if v < 100.0 { 0.1 } else { 0.5 }
            })
            .collect();
        let free = BinaryStepFitOptions {
            init: [0.3, 150.0, 0.5],
            bounds: [(0.001, 1.0), (0.0, 200.0), (0.01, 1.0)],
        };
        let fit = BinaryStepModel::fit(&x, &connected, &free).unwrap();
        let ll = fit.model.log_likelihood(&x, &connected).unwrap();
        assert!((fit.nll + ll).abs() < 1e-9);
        // No fixed threshold does better.
        for t in [20.0, 60.0, 99.0, 100.25, 101.0, 140.0, 180.0] {
            let fixed = BinaryStepFitOptions {
                bounds: [(0.001, 1.0), (t, t), (0.01, 1.0)],
                init: [0.3, t, 0.5],
            };
            let other = BinaryStepModel::fit(&x, &connected, &fixed).unwrap();
            assert!(
                fit.nll <= other.nll + 1e-9,
                "threshold {t}: {} < {}",
                other.nll,
                fit.nll
            );
        }
    }

    #[test]
    fn missing_variables_contribute_factor_one() {
        let model = CorrectionModel::new(vec![
            CorrectionFunction::gaussian(100e-6).unwrap(),
            CorrectionFunction::erf(1.0, 4.0).unwrap(),
        ])
        .unwrap();
        let f = model
            .factors(&[&[f64::NAN, 0.0], &[f64::NAN, f64::NAN]])
            .unwrap();
        assert_eq!(f, vec![1.0, 1.0]);
        assert!(model.factors(&[&[0.0]]).is_err());
    }

    #[test]
    fn empty_data_gives_no_fit() {
        let model =
            CorrectionModel::new(vec![CorrectionFunction::gaussian(1e-4).unwrap()]).unwrap();
        assert_eq!(
            model
                .fit(&[&[]], &[], &CorrectionFitOptions::new())
                .unwrap(),
            None
        );
    }
}
