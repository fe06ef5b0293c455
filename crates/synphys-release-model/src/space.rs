//! Parameter spaces: named axes of values, fixed values, and the default grid.

use crate::error::{Error, ErrorKind, Result};
use crate::params::{Param, ReleaseParams};
use serde::{Deserialize, Serialize};

/// One axis of a parameter space: a parameter and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The parameter.
    pub param: Param,
    /// Its values, in the order of the result array's axis.
    pub values: Vec<f64>,
}

/// How one parameter is set in a [`ParamSpace`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Setting {
    Axis(usize),
    Fixed(f64),
    Optimised,
}

/// A grid of model parameters: some parameters vary along named axes (the result
/// arrays have one dimension per axis, in [`Param::ALL`] order), the others are fixed.
/// `mini_amplitude` may instead be left to be optimised at every point, as in the
/// reference's search.
///
/// ```
/// use synphys_release_model::{Param, ParamSpace};
/// let space = ParamSpace::builder()
///     .axis(Param::NReleaseSites, vec![1.0, 2.0, 4.0])
///     .axis(Param::BaseReleaseProbability, vec![0.1, 0.5])
///     .fixed(Param::MiniAmplitudeCv, 0.3)
///     .fixed(Param::DepressionAmount, 0.0)
///     .fixed(Param::DepressionTau, 0.1)
///     .fixed(Param::FacilitationAmount, 0.0)
///     .fixed(Param::FacilitationTau, 0.1)
///     .fixed(Param::MeasurementStdev, 50e-6)
///     .build()?;
/// assert_eq!(space.shape(), vec![3, 2]);
/// assert!(space.optimises_mini_amplitude());
/// assert_eq!(ParamSpace::default_grid(50e-6)?.len(), 6_220_800);
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpace {
    axes: Vec<Axis>,
    settings: [Setting; 9],
}

/// `start · (finish/start)^(i/(n−1))` for i = 0..n, computed as the reference does.
pub fn logspace(start: f64, finish: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![start];
    }
    let ratio = (finish / start).powf(1.0 / (n - 1) as f64);
    (0..n).map(|i| start * ratio.powf(i as f64)).collect()
}

/// n evenly spaced values from `start` to `finish` inclusive (NumPy's `linspace`).
pub fn linspace(start: f64, finish: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![start];
    }
    let step = (finish - start) / (n - 1) as f64;
    let mut v: Vec<f64> = (0..n).map(|i| start + i as f64 * step).collect();
    v[n - 1] = finish;
    v
}

impl ParamSpace {
    /// Starts an empty builder.
    pub fn builder() -> ParamSpaceBuilder {
        ParamSpaceBuilder::default()
    }

    /// The reference's search grid (DESIGN §7) with a measured noise level:
    /// n_release_sites {1, 2, 3, 4, 6, 8, 12, 16, 24, 32} × base_release_probability 18
    /// log-spaced in [0.01, 1] × mini_amplitude_cv 6 log-spaced in [0.1, 1] ×
    /// depression_amount {−1, 0, 0.125, …, 1} × depression_tau 8 log-spaced in
    /// [0.01, 2.56] s × facilitation_amount 9 in [0, 1] × facilitation_tau 8 log-spaced
    /// in [0.01, 2.56] s, with `mini_amplitude` optimised: 6,220,800 points.
    pub fn default_grid(measurement_stdev: f64) -> Result<ParamSpace> {
        let mut depression = vec![-1.0];
        depression.extend(linspace(0.0, 1.0, 9));
        ParamSpace::builder()
            .axis(
                Param::NReleaseSites,
                vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0],
            )
            .axis(Param::BaseReleaseProbability, logspace(0.01, 1.0, 18))
            .axis(Param::MiniAmplitudeCv, logspace(0.1, 1.0, 6))
            .axis(Param::DepressionAmount, depression)
            .axis(Param::DepressionTau, logspace(0.01, 2.56, 8))
            .axis(Param::FacilitationAmount, linspace(0.0, 1.0, 9))
            .axis(Param::FacilitationTau, logspace(0.01, 2.56, 8))
            .fixed(Param::MeasurementStdev, measurement_stdev)
            .build()
    }

    /// A coarse grid for quick looks (38,400 points, `mini_amplitude` optimised):
    /// n_release_sites {1, 2, 4, 8, 16} × base_release_probability 8 log-spaced in
    /// [0.01, 1] × mini_amplitude_cv 3 log-spaced in [0.1, 1] × depression_amount
    /// {−1, 0, 0.25, 0.5, 1} × depression_tau 4 log-spaced in [0.01, 2.56] s ×
    /// facilitation_amount {0, 0.25, 0.5, 1} × facilitation_tau 4 log-spaced in
    /// [0.01, 2.56] s, with a measured noise level. Every value lies in the range of the
    /// [default grid](ParamSpace::default_grid)'s axis, so a coarse look and a full search
    /// describe the same space.
    pub fn coarse_grid(measurement_stdev: f64) -> Result<ParamSpace> {
        ParamSpace::builder()
            .axis(Param::NReleaseSites, vec![1.0, 2.0, 4.0, 8.0, 16.0])
            .axis(Param::BaseReleaseProbability, logspace(0.01, 1.0, 8))
            .axis(Param::MiniAmplitudeCv, logspace(0.1, 1.0, 3))
            .axis(Param::DepressionAmount, vec![-1.0, 0.0, 0.25, 0.5, 1.0])
            .axis(Param::DepressionTau, logspace(0.01, 2.56, 4))
            .axis(Param::FacilitationAmount, vec![0.0, 0.25, 0.5, 1.0])
            .axis(Param::FacilitationTau, logspace(0.01, 2.56, 4))
            .fixed(Param::MeasurementStdev, measurement_stdev)
            .build()
    }

    /// The axes, in [`Param::ALL`] order.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// The axis of `param`, if it varies.
    pub fn axis(&self, param: Param) -> Option<&Axis> {
        match self.settings[param.index()] {
            Setting::Axis(i) => Some(&self.axes[i]),
            _ => None,
        }
    }

    /// Position of `param`'s axis among [`ParamSpace::axes`].
    pub fn axis_position(&self, param: Param) -> Option<usize> {
        match self.settings[param.index()] {
            Setting::Axis(i) => Some(i),
            _ => None,
        }
    }

    /// The fixed value of `param`, if it is fixed.
    pub fn fixed(&self, param: Param) -> Option<f64> {
        match self.settings[param.index()] {
            Setting::Fixed(v) => Some(v),
            _ => None,
        }
    }

    /// Whether `mini_amplitude` is optimised at each point.
    pub fn optimises_mini_amplitude(&self) -> bool {
        self.settings[Param::MiniAmplitude.index()] == Setting::Optimised
    }

    /// Length of each axis.
    pub fn shape(&self) -> Vec<usize> {
        self.axes.iter().map(|a| a.values.len()).collect()
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// Whether the space has no point (never true for a built space).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All values of `param` (its axis, or its fixed value; empty when optimised).
    pub fn values(&self, param: Param) -> Vec<f64> {
        match self.settings[param.index()] {
            Setting::Axis(i) => self.axes[i].values.clone(),
            Setting::Fixed(v) => vec![v],
            Setting::Optimised => Vec::new(),
        }
    }

    /// The parameter values at a multi-index; `mini_amplitude` (used when it is
    /// optimised) must be supplied.
    pub fn params_at(&self, index: &[usize], mini_amplitude: f64) -> Result<ReleaseParams> {
        if index.len() != self.axes.len()
            || index
                .iter()
                .zip(&self.axes)
                .any(|(i, a)| *i >= a.values.len())
        {
            return Err(Error::new(ErrorKind::InvalidAxis {
                name: "index".into(),
                reason: format!("{index:?} is outside the shape {:?}", self.shape()),
            }));
        }
        let mut values = [0.0; 9];
        for p in Param::ALL {
            values[p.index()] = match self.settings[p.index()] {
                Setting::Axis(i) => self.axes[i].values[index[i]],
                Setting::Fixed(v) => v,
                Setting::Optimised => mini_amplitude,
            };
        }
        ReleaseParams::from_values(values)
    }

    /// Row-major multi-index of a flat point index.
    pub fn unravel(&self, mut flat: usize) -> Vec<usize> {
        let mut index = vec![0; self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            let len = axis.values.len();
            index[i] = flat % len;
            flat /= len;
        }
        index
    }

    /// Row-major flat index of a multi-index.
    pub fn ravel(&self, index: &[usize]) -> usize {
        index
            .iter()
            .zip(&self.axes)
            .fold(0, |acc, (i, a)| acc * a.values.len() + i)
    }

    /// Row-major stride of each axis.
    pub(crate) fn strides(&self) -> Vec<usize> {
        let mut strides = vec![1; self.axes.len()];
        for i in (0..self.axes.len().saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * self.axes[i + 1].values.len();
        }
        strides
    }

    /// For each parameter: the list of (value, flat-index contribution) pairs.
    pub(crate) fn choices(&self, param: Param) -> Vec<(f64, usize)> {
        let strides = self.strides();
        match self.settings[param.index()] {
            Setting::Axis(i) => self.axes[i]
                .values
                .iter()
                .enumerate()
                .map(|(j, &v)| (v, j * strides[i]))
                .collect(),
            Setting::Fixed(v) => vec![(v, 0)],
            Setting::Optimised => vec![(f64::NAN, 0)],
        }
    }

    /// A JSON description (axes, fixed values, optimised parameter).
    pub(crate) fn describe(&self) -> serde_json::Value {
        let fixed: serde_json::Map<String, serde_json::Value> = Param::ALL
            .into_iter()
            .filter_map(|p| {
                self.fixed(p)
                    .map(|v| (p.name().to_string(), serde_json::json!(v)))
            })
            .collect();
        serde_json::json!({
            "axes": self.axes.iter().map(|a| serde_json::json!({"name": a.param.name(), "values": a.values})).collect::<Vec<_>>(),
            "fixed": fixed,
            "optimised": if self.optimises_mini_amplitude() { serde_json::json!("mini_amplitude") } else { serde_json::Value::Null },
        })
    }
}

/// Builder for [`ParamSpace`].
#[derive(Debug, Clone, Default)]
pub struct ParamSpaceBuilder {
    axes: Vec<(Param, Vec<f64>)>,
    fixed: Vec<(Param, f64)>,
}

impl ParamSpaceBuilder {
    /// Lets `param` vary over `values`.
    pub fn axis(&mut self, param: Param, values: Vec<f64>) -> &mut Self {
        self.axes.push((param, values));
        self
    }

    /// Fixes `param` at `value`.
    pub fn fixed(&mut self, param: Param, value: f64) -> &mut Self {
        self.fixed.push((param, value));
        self
    }

    /// Checks that every parameter except `mini_amplitude` is set exactly once (as an
    /// axis or fixed), that every value is in its parameter's domain, and that no axis
    /// is empty or repeats a value.
    pub fn build(&self) -> Result<ParamSpace> {
        let bad = |p: Param, reason: String| {
            Error::new(ErrorKind::InvalidAxis {
                name: p.name().into(),
                reason,
            })
        };
        let mut settings: [Option<Setting>; 9] = [None; 9];
        let mut axis_values: Vec<Option<Vec<f64>>> = vec![None; 9];
        for (p, values) in &self.axes {
            if settings[p.index()].is_some() {
                return Err(bad(*p, "is set more than once".into()));
            }
            if values.is_empty() {
                return Err(bad(*p, "has no values".into()));
            }
            for (i, v) in values.iter().enumerate() {
                p.validate(*v)?;
                if values[..i].contains(v) {
                    return Err(bad(*p, format!("repeats the value {v}")));
                }
            }
            settings[p.index()] = Some(Setting::Axis(0));
            axis_values[p.index()] = Some(values.clone());
        }
        for (p, v) in &self.fixed {
            if settings[p.index()].is_some() {
                return Err(bad(*p, "is set more than once".into()));
            }
            p.validate(*v)?;
            settings[p.index()] = Some(Setting::Fixed(*v));
        }
        let mut axes = Vec::new();
        let mut out = [Setting::Optimised; 9];
        for p in Param::ALL {
            out[p.index()] = match settings[p.index()] {
                Some(Setting::Axis(_)) => {
                    axes.push(Axis {
                        param: p,
                        values: axis_values[p.index()].clone().unwrap_or_default(),
                    });
                    Setting::Axis(axes.len() - 1)
                }
                Some(s) => s,
                None if p == Param::MiniAmplitude => Setting::Optimised,
                None => return Err(bad(p, "is neither an axis nor fixed".into())),
            };
        }
        Ok(ParamSpace {
            axes,
            settings: out,
        })
    }
}
