//! Connection probability against distance: stepped binned proportion, its confidence
//! band, the fitted model curve, and a raster of probed and connected pairs.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{
    AXIS_SIZE, LABEL_SIZE, MODEL_RED, SERIES_BLUE, TITLE_SIZE, Unit, draw_legend, finite_range,
    short, text,
};

/// One distance bin of a profile (SI: metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileBin {
    /// Lower edge.
    pub lower_m: f64,
    /// Upper edge.
    pub upper_m: f64,
    /// Connected / probed in the bin (NaN when none probed: not drawn).
    pub probability: f64,
    /// Lower end of the confidence interval.
    pub ci_lower: f64,
    /// Upper end of the confidence interval.
    pub ci_upper: f64,
}

/// A fitted model's curve, with the legend text naming its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedCurve {
    /// Legend text, e.g. `Gaussian fit: pmax = 0.14, σ = 102 µm`.
    pub label: String,
    /// Distances (metres), ascending.
    pub x_m: Vec<f64>,
    /// Model probability at each distance.
    pub probability: Vec<f64>,
}

impl FittedCurve {
    /// Samples `model` at `n` evenly spaced distances in `[0, max_m]`.
    pub fn sample(
        label: impl Into<String>,
        max_m: f64,
        n: usize,
        model: impl Fn(f64) -> f64,
    ) -> FittedCurve {
        let n = n.max(2);
        let x_m: Vec<f64> = (0..n).map(|i| max_m * i as f64 / (n - 1) as f64).collect();
        let probability = x_m.iter().map(|&x| model(x)).collect();
        FittedCurve {
            label: label.into(),
            x_m,
            probability,
        }
    }
}

/// The tutorial's distance profile (`show_connectivity_profile`).
///
/// Below zero, two raster rows mark each probed pair's distance (lower row) and each
/// connected pair's (upper row).
///
/// ```
/// use synphys_plot::{DistanceProfilePlot, FittedCurve, ProfileBin};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let bins = vec![
///     ProfileBin { lower_m: 0.0, upper_m: 50e-6, probability: 0.2, ci_lower: 0.1, ci_upper: 0.35 },
///     ProfileBin { lower_m: 50e-6, upper_m: 100e-6, probability: 0.1, ci_lower: 0.04, ci_upper: 0.2 },
/// ];
/// let fit = FittedCurve::sample("Gaussian fit: pmax = 0.22, σ = 90 µm", 100e-6, 50, |x| {
///     0.22 * (-x * x / (2.0 * 90e-6 * 90e-6)).exp()
/// });
/// let x_m = vec![10e-6, 30e-6, 60e-6, 80e-6];
/// let connected = vec![true, false, false, true];
/// let figure = DistanceProfilePlot::new("E→I", bins, x_m, connected).fit(fit);
/// let dir = tempfile::tempdir()?;
/// synphys_plot::write_distance_profile(dir.path().join("profile.svg"), &figure)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceProfilePlot {
    title: String,
    bins: Vec<ProfileBin>,
    fit: Option<FittedCurve>,
    x_m: Vec<f64>,
    connected: Vec<bool>,
    x_label: String,
    unit: Unit,
    confidence: f64,
    y_max: Option<f64>,
    size: (u32, u32),
}

impl DistanceProfilePlot {
    /// A profile of `bins`, with the raster of the probed pairs at distances `x_m`
    /// (metres) whose outcomes are `connected`.
    pub fn new(
        title: impl Into<String>,
        bins: Vec<ProfileBin>,
        x_m: Vec<f64>,
        connected: Vec<bool>,
    ) -> DistanceProfilePlot {
        DistanceProfilePlot {
            title: title.into(),
            bins,
            fit: None,
            x_m,
            connected,
            x_label: "lateral distance".to_string(),
            unit: Unit::micrometre(),
            confidence: 0.95,
            y_max: None,
            size: (900, 560),
        }
    }

    /// The fitted model's curve.
    pub fn fit(mut self, curve: FittedCurve) -> DistanceProfilePlot {
        self.fit = Some(curve);
        self
    }

    /// The distance axis' quantity (default "lateral distance", shown in µm).
    pub fn x_label(mut self, label: impl Into<String>) -> DistanceProfilePlot {
        self.x_label = label.into();
        self
    }

    /// The confidence level of the band (for its legend; default 0.95).
    pub fn confidence(mut self, level: f64) -> DistanceProfilePlot {
        self.confidence = level;
        self
    }

    /// The top of the probability axis (default: 1.5 × the largest proportion or model
    /// value; confidence bands are cut there).
    pub fn y_max(mut self, y_max: f64) -> DistanceProfilePlot {
        self.y_max = Some(y_max);
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> DistanceProfilePlot {
        self.size = (width, height);
        self
    }

    fn x_range_m(&self) -> (f64, f64) {
        let edges = self.bins.iter().flat_map(|b| [b.lower_m, b.upper_m]);
        let curve = self.fit.iter().flat_map(|f| f.x_m.iter().copied());
        let (lo, hi) = finite_range(edges.chain(curve)).unwrap_or((0.0, 1e-4));
        (lo.min(0.0), hi)
    }

    fn y_top(&self) -> f64 {
        if let Some(y) = self.y_max {
            return y;
        }
        // Fit the proportions and the curve, not the intervals: sparse far bins have
        // intervals reaching 1 that would flatten the profile (they are cut at the top).
        let steps = self.bins.iter().map(|b| b.probability);
        let curve = self.fit.iter().flat_map(|f| f.probability.iter().copied());
        let (_, hi) = finite_range(steps.chain(curve)).unwrap_or((0.0, 1.0));
        (hi * 1.5).clamp(0.05, 1.05)
    }

    /// The outline of the stepped band between `low` and `high` of each bin with data.
    fn band(&self) -> Vec<Vec<(f64, f64)>> {
        let top = self.y_top();
        self.bins
            .iter()
            .filter(|b| {
                b.ci_lower.is_finite() && b.ci_upper.is_finite() && b.probability.is_finite()
            })
            .map(|b| {
                let (x0, x1) = (self.unit.show(b.lower_m), self.unit.show(b.upper_m));
                let (low, high) = (b.ci_lower.min(top), b.ci_upper.min(top));
                vec![(x0, low), (x1, low), (x1, high), (x0, high)]
            })
            .collect()
    }

    /// The stepped proportion, broken where a bin has no probed pair.
    fn steps(&self) -> Vec<Vec<(f64, f64)>> {
        let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        for b in &self.bins {
            if b.probability.is_finite() {
                current.push((self.unit.show(b.lower_m), b.probability));
                current.push((self.unit.show(b.upper_m), b.probability));
            } else if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }
}

impl Figure for DistanceProfilePlot {
    const KIND: &'static str = "distance profile";

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn check(&self) -> Result<()> {
        if self.x_m.len() != self.connected.len() {
            return Err(invalid(
                Self::KIND,
                format!(
                    "{} distances but {} outcomes: give one outcome per probed pair",
                    self.x_m.len(),
                    self.connected.len()
                ),
            ));
        }
        if self.bins.is_empty() && self.fit.is_none() && self.x_m.is_empty() {
            return Err(invalid(
                Self::KIND,
                "there is nothing to draw: give bins, a fit or pairs",
            ));
        }
        if let Some(f) = &self.fit
            && f.x_m.len() != f.probability.len()
        {
            return Err(invalid(
                Self::KIND,
                "the fitted curve needs one probability per distance",
            ));
        }
        // NaN fails too.
        if self.y_top().partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return Err(invalid(
                Self::KIND,
                "the probability axis must reach above 0",
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (x_lo, x_hi) = self.x_range_m();
        let (x_lo, x_hi) = (self.unit.show(x_lo), self.unit.show(x_hi));
        let y_top = self.y_top();
        // Room below zero for the two raster rows.
        let y_bottom = -0.25 * y_top;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, text(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(x_lo..x_hi, y_bottom..y_top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_label_formatter(&|y| {
                if *y < 0.0 {
                    String::new()
                } else {
                    short(*y, 3)
                }
            })
            .x_label_formatter(&|x| short(*x, 4))
            .x_desc(self.unit.label(&self.x_label))
            .y_desc("connection probability")
            .axis_desc_style(text(AXIS_SIZE))
            .label_style(text(LABEL_SIZE))
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            [(x_lo, 0.0), (x_hi, 0.0)],
            BLACK.mix(0.5),
        )))?;

        let band_colour = SERIES_BLUE.mix(0.25);
        chart
            .draw_series(
                self.band()
                    .into_iter()
                    .map(|p| Polygon::new(p, band_colour.filled())),
            )?
            .label(format!(
                "{:.0} % confidence interval",
                self.confidence * 100.0
            ))
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 18, y + 5)], band_colour.filled())
            });
        chart
            .draw_series(
                self.steps()
                    .into_iter()
                    .map(|line| PathElement::new(line, SERIES_BLUE.stroke_width(2))),
            )?
            .label("connected / probed per bin")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], SERIES_BLUE.stroke_width(2)));
        if let Some(fit) = &self.fit {
            let points: Vec<(f64, f64)> = fit
                .x_m
                .iter()
                .zip(&fit.probability)
                .map(|(x, p)| (self.unit.show(*x), *p))
                .collect();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points,
                    MODEL_RED.stroke_width(2),
                )))?
                .label(fit.label.clone())
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], MODEL_RED.stroke_width(2))
                });
        }
        let tick = |row: f64, colour: RGBAColor| {
            let (lo, hi) = (y_bottom * (row + 0.1), y_bottom * (row + 0.45));
            move |x: &f64| PathElement::new([(*x, lo), (*x, hi)], colour.stroke_width(1))
        };
        let shown: Vec<f64> = self.x_m.iter().map(|x| self.unit.show(*x)).collect();
        let probed_colour = BLACK.mix(0.35);
        chart
            .draw_series(shown.iter().map(tick(0.5, probed_colour)))?
            .label(format!("probed pairs (n = {})", self.x_m.len()))
            .legend(move |(x, y)| {
                PathElement::new([(x + 9, y - 6), (x + 9, y + 6)], probed_colour)
            });
        let connected_colour = SERIES_BLUE.mix(0.9);
        let n_connected = self.connected.iter().filter(|c| **c).count();
        chart
            .draw_series(
                shown
                    .iter()
                    .zip(&self.connected)
                    .filter(|(_, c)| **c)
                    .map(|(x, _)| x)
                    .map(tick(0.0, connected_colour)),
            )?
            .label(format!("connected pairs (n = {n_connected})"))
            .legend(move |(x, y)| {
                PathElement::new([(x + 9, y - 6), (x + 9, y + 6)], connected_colour)
            });
        draw_legend(&mut chart)
    }

    fn table(&self) -> CsvTable {
        let x = |name: &str| self.unit.column(name);
        let mut table = CsvTable::new(&[
            "series",
            &x("x"),
            &x("x_end"),
            "probability",
            "ci_lower",
            "ci_upper",
        ]);
        for b in &self.bins {
            table.push(vec![
                "bin".into(),
                num(self.unit.show(b.lower_m)),
                num(self.unit.show(b.upper_m)),
                num(b.probability),
                num(b.ci_lower),
                num(b.ci_upper),
            ]);
        }
        if let Some(fit) = &self.fit {
            for (x, p) in fit.x_m.iter().zip(&fit.probability) {
                table.push(vec![
                    "fit".into(),
                    num(self.unit.show(*x)),
                    String::new(),
                    num(*p),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        for (x, c) in self.x_m.iter().zip(&self.connected) {
            let series = if *c { "connected" } else { "probed" };
            table.push(vec![
                series.into(),
                num(self.unit.show(*x)),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        table
    }
}

/// Draws `profile` into `path` (`.svg` or `.png`) and writes its CSV beside it: one row
/// per bin (`series` = `bin`, with the whole interval even where the band is cut at the
/// top of the axis), per fitted-curve point (`fit`) and per pair (`probed` for
/// an unconnected probed pair, `connected` for a connected one; the connected rows are
/// the upper raster row, and every pair is in the lower one).
///
/// # Errors
///
/// An unknown extension, mismatched lengths, nothing to draw, or a failure writing
/// either file.
pub fn write_distance_profile(
    path: impl AsRef<Path>,
    profile: &DistanceProfilePlot,
) -> Result<Written> {
    write_figure(path.as_ref(), profile)
}
