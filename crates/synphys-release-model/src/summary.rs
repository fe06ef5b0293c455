//! Search results: arrays, best point, marginal distributions, confidence regions.

use crate::error::{Error, ErrorKind, Result};
use crate::params::{Param, ReleaseParams};
use crate::shard::Kernel;
use crate::space::ParamSpace;
use ndarray::{ArrayD, IxDyn};
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Scores and optimised mini amplitudes over a whole [`ParamSpace`].
///
/// The score of a point is `exp(mean(ln(L + 0.1)))` over the synapse's `events`
/// counted events, so `events · ln(score)` is the log-likelihood the summaries use:
/// [`marginal`](SearchResult::marginal) weights each point by
/// `score^events` (a flat prior over the grid), and
/// [`confidence_region`](SearchResult::confidence_region) is the likelihood-ratio set
/// of grid values whose profile log-likelihood is within χ²₁(level)/2 of the best.
///
/// A finished result saves itself with [`write`](SearchResult::write) and is reloaded
/// with [`read`](SearchResult::read), for marginals and plots without searching again.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    space: ParamSpace,
    score: ArrayD<f64>,
    mini_amplitude: ArrayD<f64>,
    events: usize,
    fingerprint: u64,
    kernels: Vec<Kernel>,
}

/// Distribution of one axis's values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marginal {
    /// The parameter.
    pub param: Param,
    /// Its grid values.
    pub values: Vec<f64>,
    /// Posterior probability of each value (points weighted by `score^events`, summed
    /// over the other axes, normalised).
    pub probability: Vec<f64>,
    /// Highest score at each value (the profile).
    pub profile: Vec<f64>,
}

/// Grid values of one parameter compatible with the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceRegion {
    /// The parameter.
    pub param: Param,
    /// Confidence level.
    pub level: f64,
    /// Accepted grid values (in axis order).
    pub values: Vec<f64>,
    /// Smallest accepted value.
    pub lower: f64,
    /// Largest accepted value.
    pub upper: f64,
}

impl SearchResult {
    pub(crate) fn from_parts(
        space: ParamSpace,
        score: Vec<f64>,
        q: Vec<f64>,
        events: usize,
        fingerprint: u64,
    ) -> Result<SearchResult> {
        let shape = IxDyn(&space.shape());
        let err = |e: ndarray::ShapeError| {
            Error::new(ErrorKind::ShardMerge {
                reason: format!("result does not fit the space's shape: {e}"),
            })
        };
        Ok(SearchResult {
            score: ArrayD::from_shape_vec(shape.clone(), score).map_err(err)?,
            mini_amplitude: ArrayD::from_shape_vec(shape, q).map_err(err)?,
            space,
            events,
            fingerprint,
            kernels: vec![crate::simd::kernel()],
        })
    }

    /// The same result credited to `kernels` (sorted, without repeats).
    pub(crate) fn with_kernels(mut self, kernels: Vec<Kernel>) -> SearchResult {
        self.kernels = kernels;
        self
    }

    /// The searched space.
    pub fn space(&self) -> &ParamSpace {
        &self.space
    }

    /// Score per point (NaN where the point could not be evaluated, e.g. Pr = 0 with an
    /// optimised mini amplitude).
    pub fn score(&self) -> &ArrayD<f64> {
        &self.score
    }

    /// Mini amplitude per point (optimised, or the axis/fixed value).
    pub fn mini_amplitude(&self) -> &ArrayD<f64> {
        &self.mini_amplitude
    }

    /// Number of events whose likelihood counts in each score.
    pub fn events(&self) -> usize {
        self.events
    }

    /// A 64-bit hash of the inputs the scores were computed from (spike times,
    /// amplitudes, missing-event penalty, coefficient source), as in shard files.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The inner-loop kernel(s) that computed the scores: one for a single run, more
    /// when shards of different kernels were merged on request, [`Kernel::Unknown`]
    /// for parts read from version-1 shard files.
    pub fn kernels(&self) -> &[Kernel] {
        &self.kernels
    }

    /// The point with the highest score (the first one on ties), or `None` if no
    /// score is finite.
    pub fn best(&self) -> Option<BestPoint> {
        let (flat, &score) = self
            .score
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_finite())
            .fold(None, |best: Option<(usize, &f64)>, (i, s)| match best {
                Some((_, b)) if *b >= *s => best,
                _ => Some((i, s)),
            })?;
        let index = self.space.unravel(flat);
        let q = self
            .mini_amplitude
            .as_slice()
            .map(|s| s[flat])
            .unwrap_or(f64::NAN);
        let params = self.space.params_at(&index, q).ok()?;
        Some(BestPoint {
            index,
            flat_index: flat,
            params,
            score,
        })
    }

    fn axis_of(&self, param: Param) -> Result<usize> {
        self.space.axis_position(param).ok_or_else(|| {
            Error::new(ErrorKind::InvalidAxis {
                name: param.name().into(),
                reason: "is not an axis of this space".into(),
            })
        })
    }

    /// Marginal distribution and profile of one axis.
    pub fn marginal(&self, param: Param) -> Result<Marginal> {
        let axis = self.axis_of(param)?;
        let values = self.space.axes()[axis].values.clone();
        let best = self.best().map(|b| b.score.ln()).unwrap_or(f64::NAN);
        let n = self.events as f64;
        let mut probability = vec![0.0; values.len()];
        let mut profile = vec![f64::NAN; values.len()];
        for (index, &s) in self.score.indexed_iter() {
            if !s.is_finite() {
                continue;
            }
            let j = index[axis];
            probability[j] += (n * (s.ln() - best)).exp();
            if profile[j].is_nan() || profile[j] < s {
                profile[j] = s;
            }
        }
        let total: f64 = probability.iter().sum();
        if total > 0.0 {
            probability.iter_mut().for_each(|p| *p /= total);
        }
        Ok(Marginal {
            param,
            values,
            probability,
            profile,
        })
    }

    /// Likelihood-ratio confidence region of one axis at `level` (e.g. 0.95).
    pub fn confidence_region(&self, param: Param, level: f64) -> Result<ConfidenceRegion> {
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::new(ErrorKind::InvalidLevel { level }));
        }
        let marginal = self.marginal(param)?;
        let chi2 = ChiSquared::new(1.0)
            .map_err(|_| Error::new(ErrorKind::InvalidLevel { level }))?
            .inverse_cdf(level);
        let best = marginal
            .profile
            .iter()
            .copied()
            .filter(|s| s.is_finite())
            .fold(f64::NAN, f64::max);
        let n = self.events as f64;
        let values: Vec<f64> = marginal
            .values
            .iter()
            .zip(&marginal.profile)
            .filter(|(_, p)| p.is_finite() && 2.0 * n * (best.ln() - p.ln()) <= chi2)
            .map(|(v, _)| *v)
            .collect();
        let lower = values.iter().copied().fold(f64::NAN, f64::min);
        let upper = values.iter().copied().fold(f64::NAN, f64::max);
        Ok(ConfidenceRegion {
            param,
            level,
            values,
            lower,
            upper,
        })
    }
}

/// The highest-scoring point of a [`SearchResult`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestPoint {
    /// Index along each axis.
    pub index: Vec<usize>,
    /// Flat (row-major) index.
    pub flat_index: usize,
    /// Parameters at the point, with its mini amplitude.
    pub params: ReleaseParams,
    /// Its score.
    pub score: f64,
}
