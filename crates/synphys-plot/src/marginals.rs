//! Release-model fit marginals: one panel per parameter axis.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{LABEL_SIZE, MODEL_RED, SERIES_BLUE, TITLE_SIZE, Unit, padded, short, text};

/// The marginal likelihood of one parameter axis of a search grid.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginalPanel {
    /// Parameter name (panel title).
    pub parameter: String,
    /// How its SI values are shown.
    pub unit: Unit,
    /// Grid values (SI), ascending.
    pub values: Vec<f64>,
    /// Marginal probability of each value.
    pub probability: Vec<f64>,
    /// The best point's value (marked), if known.
    pub best: Option<f64>,
}

/// All panels of a fit (the tutorial's parameter marginals). An axis whose values are
/// positive and evenly spaced in log is drawn on a log axis.
///
/// ```
/// use synphys_plot::{MarginalPanel, Marginals, Unit};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let panel = MarginalPanel {
///     parameter: "base_release_probability".into(),
///     unit: Unit::none(),
///     values: vec![0.01, 0.1, 1.0],
///     probability: vec![0.1, 0.7, 0.2],
///     best: Some(0.1),
/// };
/// let figure = Marginals::new("Release-model fit", vec![panel]);
/// let dir = tempfile::tempdir()?;
/// synphys_plot::write_marginals(dir.path().join("marginals.svg"), &figure)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Marginals {
    title: String,
    panels: Vec<MarginalPanel>,
    size: Option<(u32, u32)>,
}

impl Marginals {
    /// A figure of `panels`, three per row.
    pub fn new(title: impl Into<String>, panels: Vec<MarginalPanel>) -> Marginals {
        Marginals {
            title: title.into(),
            panels,
            size: None,
        }
    }

    /// Image size in pixels (default: 1050 wide, 300 per row of panels).
    pub fn size(mut self, width: u32, height: u32) -> Marginals {
        self.size = Some((width, height));
        self
    }

    fn grid(&self) -> (usize, usize) {
        let columns = self.panels.len().clamp(1, 3);
        (self.panels.len().div_ceil(columns).max(1), columns)
    }
}

/// Whether `values` are positive and evenly spaced in log (ratio constant within 1 %).
fn log_spaced(values: &[f64]) -> bool {
    if values.len() < 3 || !values.iter().all(|v| *v > 0.0) {
        return false;
    }
    let ratios: Vec<f64> = values.windows(2).map(|w| w[1] / w[0]).collect();
    let first = ratios[0];
    first > 1.0 && ratios.iter().all(|r| (r / first - 1.0).abs() < 0.01)
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &MarginalPanel,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let log = log_spaced(&panel.values);
    // Log axes are drawn as log10 of the shown value, labelled back in the value.
    let at = |v: f64| {
        let shown = panel.unit.show(v);
        if log { shown.log10() } else { shown }
    };
    let xs: Vec<f64> = panel.values.iter().map(|v| at(*v)).collect();
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = padded((lo, hi));
    let pad = 0.05 * (hi - lo);
    let top = panel
        .probability
        .iter()
        .copied()
        .filter(|p| p.is_finite())
        .fold(0.0, f64::max)
        .max(1e-12)
        * 1.1;
    let caption = match panel.best {
        Some(b) => format!(
            "{} (best {})",
            panel.parameter,
            short(panel.unit.show(b), 3)
        ),
        None => panel.parameter.clone(),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, text(LABEL_SIZE + 2))
        .margin(8)
        .x_label_area_size(42)
        .y_label_area_size(55)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_label_formatter(&|x| short(if log { 10f64.powf(*x) } else { *x }, 2))
        .y_label_formatter(&|y| short(*y, 2))
        .x_desc(match (log, panel.unit.symbol()) {
            (true, "") => "value (log axis)".to_string(),
            (true, symbol) => format!("value ({symbol}, log axis)"),
            (false, _) => panel.unit.label("value"),
        })
        .y_desc("marginal probability")
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(LABEL_SIZE - 2))
        .draw()?;
    let points: Vec<(f64, f64)> = xs
        .iter()
        .copied()
        .zip(panel.probability.iter().copied())
        .collect();
    chart.draw_series(std::iter::once(PathElement::new(
        points.clone(),
        SERIES_BLUE.stroke_width(2),
    )))?;
    chart.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 3, SERIES_BLUE.filled())),
    )?;
    if let Some(best) = panel.best {
        let x = at(best);
        chart.draw_series(std::iter::once(PathElement::new(
            [(x, 0.0), (x, top)],
            MODEL_RED.stroke_width(1),
        )))?;
    }
    Ok(())
}

impl Figure for Marginals {
    const KIND: &'static str = "release-fit marginals";

    fn size(&self) -> (u32, u32) {
        let (rows, _) = self.grid();
        self.size.unwrap_or((1050, 60 + 300 * rows as u32))
    }

    fn check(&self) -> Result<()> {
        if self.panels.is_empty() {
            return Err(invalid(Self::KIND, "there are no parameter axes to draw"));
        }
        for p in &self.panels {
            if p.values.is_empty() || p.values.len() != p.probability.len() {
                return Err(invalid(
                    Self::KIND,
                    format!(
                        "panel {}: give one probability per grid value (at least one value)",
                        p.parameter
                    ),
                ));
            }
            if p.values.iter().any(|v| !v.is_finite()) {
                return Err(invalid(
                    Self::KIND,
                    format!("panel {}: grid values must be finite", p.parameter),
                ));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let titled = root.titled(&self.title, text(TITLE_SIZE))?;
        let (rows, columns) = self.grid();
        let areas = titled.split_evenly((rows, columns));
        for (area, panel) in areas.iter().zip(&self.panels) {
            draw_panel(area, panel)?;
        }
        Ok(())
    }

    fn table(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            "parameter",
            "value",
            "unit",
            "marginal_probability",
            "is_best",
        ]);
        for p in &self.panels {
            for (v, prob) in p.values.iter().zip(&p.probability) {
                let best = p
                    .best
                    .is_some_and(|b| (b - v).abs() <= 1e-12 * v.abs().max(1e-300));
                table.push(vec![
                    p.parameter.clone(),
                    num(p.unit.show(*v)),
                    p.unit.symbol().to_string(),
                    num(*prob),
                    best.to_string(),
                ]);
            }
        }
        table
    }
}

/// Draws `marginals` into `path` (`.svg` or `.png`) and writes its CSV beside it: one
/// row per parameter value (value as shown, unit, marginal probability, whether it is
/// the best point's).
///
/// # Errors
///
/// An unknown extension, no panels, a panel with mismatched lengths, or a failure
/// writing either file.
pub fn write_marginals(path: impl AsRef<Path>, marginals: &Marginals) -> Result<Written> {
    write_figure(path.as_ref(), marginals)
}
