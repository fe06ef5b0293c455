//! Histogram of already-binned values.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{AXIS_SIZE, LABEL_SIZE, SERIES_BLUE, TITLE_SIZE, Unit, short, text};

/// One bar: `[lower, upper)` in SI units and how many values fell in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistogramBin {
    /// Lower edge (SI).
    pub lower: f64,
    /// Upper edge (SI).
    pub upper: f64,
    /// Number of values.
    pub count: usize,
}

/// A histogram (the tutorial's PSP amplitude histogram). Binning is the caller's (e.g.
/// `synphys_report::histogram`); this draws the bars it is given.
///
/// ```
/// use synphys_plot::{Histogram, HistogramBin, Unit};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let bins = vec![
///     HistogramBin { lower: 0.0, upper: 0.5e-3, count: 4 },
///     HistogramBin { lower: 0.5e-3, upper: 1.0e-3, count: 9 },
/// ];
/// let figure = Histogram::new("PSP amplitude", "synapse.psp_amplitude", bins).unit(Unit::millivolt());
/// let dir = tempfile::tempdir()?;
/// synphys_plot::write_histogram(dir.path().join("hist.png"), &figure)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    title: String,
    quantity: String,
    bins: Vec<HistogramBin>,
    unit: Unit,
    size: (u32, u32),
}

impl Histogram {
    /// Bars of `bins` over the quantity `quantity` (the x-axis label).
    pub fn new(
        title: impl Into<String>,
        quantity: impl Into<String>,
        bins: Vec<HistogramBin>,
    ) -> Histogram {
        Histogram {
            title: title.into(),
            quantity: quantity.into(),
            bins,
            unit: Unit::none(),
            size: (900, 520),
        }
    }

    /// How the SI edges are shown.
    pub fn unit(mut self, unit: Unit) -> Histogram {
        self.unit = unit;
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Histogram {
        self.size = (width, height);
        self
    }
}

impl Figure for Histogram {
    const KIND: &'static str = "histogram";

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn check(&self) -> Result<()> {
        if self.bins.is_empty() {
            return Err(invalid(
                Self::KIND,
                "there are no bins (no finite value to count)",
            ));
        }
        if self
            .bins
            .iter()
            .any(|b| !(b.lower.is_finite() && b.upper.is_finite() && b.upper > b.lower))
        {
            return Err(invalid(
                Self::KIND,
                "every bin needs finite edges with upper > lower",
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let lo = self
            .bins
            .iter()
            .map(|b| b.lower)
            .fold(f64::INFINITY, f64::min);
        let hi = self
            .bins
            .iter()
            .map(|b| b.upper)
            .fold(f64::NEG_INFINITY, f64::max);
        let top = self.bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64 * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, text(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(self.unit.show(lo)..self.unit.show(hi), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|x| short(*x, 3))
            .y_label_formatter(&|y| short(*y, 3))
            .x_desc(self.unit.label(&self.quantity))
            .y_desc("count")
            .axis_desc_style(text(AXIS_SIZE))
            .label_style(text(LABEL_SIZE))
            .draw()?;
        chart.draw_series(self.bins.iter().map(|b| {
            let (x0, x1) = (self.unit.show(b.lower), self.unit.show(b.upper));
            Rectangle::new(
                [(x0, 0.0), (x1, b.count as f64)],
                SERIES_BLUE.mix(0.8).filled(),
            )
        }))?;
        chart.draw_series(self.bins.iter().map(|b| {
            let (x0, x1) = (self.unit.show(b.lower), self.unit.show(b.upper));
            Rectangle::new([(x0, 0.0), (x1, b.count as f64)], WHITE.stroke_width(1))
        }))?;
        Ok(())
    }

    fn table(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            &self.unit.column("bin_lower"),
            &self.unit.column("bin_upper"),
            "count",
        ]);
        for b in &self.bins {
            table.push(vec![
                num(self.unit.show(b.lower)),
                num(self.unit.show(b.upper)),
                b.count.to_string(),
            ]);
        }
        table
    }
}

/// Draws `histogram` into `path` (`.svg` or `.png`) and writes its bins (edges as shown,
/// count) as CSV beside it.
///
/// # Errors
///
/// An unknown extension, no bins, a bin without finite increasing edges, or a failure
/// writing either file.
pub fn write_histogram(path: impl AsRef<Path>, histogram: &Histogram) -> Result<Written> {
    write_figure(path.as_ref(), histogram)
}
