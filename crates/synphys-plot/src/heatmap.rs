//! Class × class heatmap: coloured cells (linear or log scale), one annotation per cell,
//! grey where there is no value, and a colour bar.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;
use plotters::style::text_anchor::{HPos, VPos};

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{
    AXIS_SIZE, LABEL_SIZE, MISSING_GREY, TITLE_SIZE, Unit, anchored, finite_range, linear_ticks,
    log_ticks, padded, short, text,
};

/// Width of the colour bar's column, in pixels.
const COLOUR_BAR_AREA: u32 = 130;

/// How cell values map to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourScale {
    /// Colour proportional to the value.
    #[default]
    Linear,
    /// Colour proportional to log10 of the value (probabilities); values at or below 0
    /// take the lowest colour.
    Log,
}

/// A class × class heatmap (the tutorial's latency and connectivity matrices).
///
/// Rows are presynaptic classes (top to bottom), columns postsynaptic classes. Values
/// are SI; the [`Unit`] says how they are shown in annotations and on the colour bar.
/// `None` or NaN cells are grey.
///
/// ```
/// use synphys_plot::{ColourScale, Heatmap, Unit};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let names = vec!["Excit.".to_string(), "Pvalb".to_string()];
/// let probability = vec![vec![Some(0.05), Some(0.3)], vec![Some(0.5), None]];
/// let heatmap = Heatmap::new("Connection probability", names.clone(), names, probability)
///     .colour_scale(ColourScale::Log)
///     .range(0.01, 1.0)
///     .colour_label("connection probability")
///     .annotations(vec![
///         vec!["2/40".into(), "6/20".into()],
///         vec!["10/20".into(), "0/0".into()],
///     ]);
/// let dir = tempfile::tempdir()?;
/// let written = synphys_plot::write_heatmap(dir.path().join("connectivity.svg"), &heatmap)?;
/// assert!(written.csv.exists());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    title: String,
    row_names: Vec<String>,
    column_names: Vec<String>,
    values: Vec<Vec<Option<f64>>>,
    annotations: Option<Vec<Vec<String>>>,
    row_label: String,
    column_label: String,
    colour_label: String,
    unit: Unit,
    scale: ColourScale,
    range: Option<(f64, f64)>,
    size: (u32, u32),
}

impl Heatmap {
    /// A heatmap of `values[row][column]`, annotated with the values themselves,
    /// rows labelled "presynaptic class" and columns "postsynaptic class".
    pub fn new(
        title: impl Into<String>,
        row_names: Vec<String>,
        column_names: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
    ) -> Heatmap {
        Heatmap {
            title: title.into(),
            row_names,
            column_names,
            values,
            annotations: None,
            row_label: "presynaptic class".to_string(),
            column_label: "postsynaptic class".to_string(),
            colour_label: "value".to_string(),
            unit: Unit::none(),
            scale: ColourScale::Linear,
            range: None,
            size: (900, 760),
        }
    }

    /// Text in each cell (same shape as the values), e.g. `n/N` for connectivity.
    pub fn annotations(mut self, annotations: Vec<Vec<String>>) -> Heatmap {
        self.annotations = Some(annotations);
        self
    }

    /// Axis descriptions of the rows and the columns.
    pub fn axis_labels(mut self, rows: impl Into<String>, columns: impl Into<String>) -> Heatmap {
        self.row_label = rows.into();
        self.column_label = columns.into();
        self
    }

    /// The quantity the colours show (the unit is appended).
    pub fn colour_label(mut self, label: impl Into<String>) -> Heatmap {
        self.colour_label = label.into();
        self
    }

    /// How SI values are shown (annotations, colour bar).
    pub fn unit(mut self, unit: Unit) -> Heatmap {
        self.unit = unit;
        self
    }

    /// Linear or log colours.
    pub fn colour_scale(mut self, scale: ColourScale) -> Heatmap {
        self.scale = scale;
        self
    }

    /// The values (SI) at the two ends of the colour bar; values outside are clamped.
    /// Default: the smallest and largest finite (for log: positive) values.
    pub fn range(mut self, low: f64, high: f64) -> Heatmap {
        self.range = Some((low, high));
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Heatmap {
        self.size = (width, height);
        self
    }

    fn value(&self, row: usize, column: usize) -> Option<f64> {
        self.values
            .get(row)
            .and_then(|r| r.get(column))
            .copied()
            .flatten()
            .filter(|v| !v.is_nan())
    }

    fn annotation(&self, row: usize, column: usize) -> String {
        match &self.annotations {
            Some(a) => a
                .get(row)
                .and_then(|r| r.get(column))
                .cloned()
                .unwrap_or_default(),
            None => self
                .value(row, column)
                .map(|v| short(self.unit.show(v), 3))
                .unwrap_or_else(|| "–".to_string()),
        }
    }

    /// The colour bar's ends in SI units.
    fn colour_range(&self) -> (f64, f64) {
        if let Some(r) = self.range {
            return r;
        }
        let values = self.values.iter().flatten().flatten().copied();
        match self.scale {
            ColourScale::Linear => padded(finite_range(values).unwrap_or((0.0, 1.0))),
            ColourScale::Log => {
                let (lo, hi) = finite_range(values.filter(|v| *v > 0.0)).unwrap_or((0.01, 1.0));
                if hi > lo {
                    (lo, hi)
                } else {
                    (lo / 10.0, hi * 10.0)
                }
            }
        }
    }

    /// Position of `v` along the colour bar, 0 to 1.
    fn position(&self, v: f64, (lo, hi): (f64, f64)) -> f64 {
        let t = match self.scale {
            ColourScale::Linear => (v - lo) / (hi - lo),
            ColourScale::Log if v <= 0.0 => 0.0,
            ColourScale::Log => (v.log10() - lo.log10()) / (hi.log10() - lo.log10()),
        };
        t.clamp(0.0, 1.0)
    }

    fn draw_colour_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x0: i32,
        (top, bottom): (i32, i32),
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let range = self.colour_range();
        let (x1, steps) = (x0 + 22, 100);
        let height = (bottom - top).max(1) as f64;
        for k in 0..steps {
            let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
            let colour = ViridisRGB::get_color(0.5 * (a + b));
            let (ya, yb) = (bottom - (a * height) as i32, bottom - (b * height) as i32);
            root.draw(&Rectangle::new([(x0, yb), (x1, ya)], colour.filled()))?;
        }
        root.draw(&Rectangle::new(
            [(x0, top), (x1, bottom)],
            BLACK.stroke_width(1),
        ))?;
        let ticks = match self.scale {
            ColourScale::Linear => linear_ticks(range.0, range.1, 5),
            ColourScale::Log => log_ticks(range.0, range.1),
        };
        let label_style = anchored(LABEL_SIZE, HPos::Left, VPos::Center);
        for tick in ticks {
            let y = bottom - (self.position(tick, range) * height) as i32;
            root.draw(&PathElement::new([(x1, y), (x1 + 5, y)], BLACK))?;
            root.draw(&Text::new(
                short(self.unit.show(tick), 3),
                (x1 + 8, y),
                label_style.clone(),
            ))?;
        }
        let label = self.unit.label(&self.colour_label);
        let rotated =
            anchored(AXIS_SIZE, HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
        root.draw(&Text::new(label, (x1 + 80, (top + bottom) / 2), rotated))?;
        Ok(())
    }
}

impl Figure for Heatmap {
    const KIND: &'static str = "heatmap";

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn check(&self) -> Result<()> {
        let (rows, columns) = (self.row_names.len(), self.column_names.len());
        if rows == 0 || columns == 0 {
            return Err(invalid(
                Self::KIND,
                "it needs at least one row and one column class",
            ));
        }
        let shape_ok =
            |lengths: Vec<usize>| lengths.len() == rows && lengths.iter().all(|n| *n == columns);
        if !shape_ok(self.values.iter().map(Vec::len).collect()) {
            return Err(invalid(
                Self::KIND,
                format!(
                    "the values must be {rows} rows of {columns} (one per row and column class)"
                ),
            ));
        }
        if self
            .annotations
            .as_deref()
            .is_some_and(|a| !shape_ok(a.iter().map(Vec::len).collect()))
        {
            return Err(invalid(
                Self::KIND,
                format!("the annotations must be {rows} rows of {columns}, like the values"),
            ));
        }
        let (lo, hi) = self.colour_range();
        let log_ok = self.scale == ColourScale::Linear || lo > 0.0;
        if !(lo.is_finite() && hi.is_finite() && hi > lo && log_ok) {
            return Err(invalid(
                Self::KIND,
                format!(
                    "colour range {lo}..{hi} is not usable: give low < high (both > 0 on a log scale)"
                ),
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (width, _) = root.dim_in_pixel();
        let (main, _) = root.split_horizontally(width.saturating_sub(COLOUR_BAR_AREA));
        let (rows, columns) = (self.row_names.len(), self.column_names.len());
        let longest = |names: &[String]| names.iter().map(|n| n.chars().count()).max().unwrap_or(1);
        // Column names are written downwards when there are many, so they never overlap.
        let rotate = columns > 6 || longest(&self.column_names) > 9;
        let x_area = if rotate {
            40 + 8 * longest(&self.column_names).min(24)
        } else {
            45
        };
        let y_area = 40 + 8 * longest(&self.row_names).min(28);
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, text(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(x_area as u32)
            .y_label_area_size(y_area as u32)
            .build_cartesian_2d(0.0..columns as f64, 0.0..rows as f64)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(self.column_label.as_str())
            .y_desc(self.row_label.as_str())
            .axis_desc_style(text(AXIS_SIZE))
            .draw()?;

        let range = self.colour_range();
        // Row 0 is drawn at the top, as in a table.
        let top_of = |row: usize| (rows - row) as f64;
        for row in 0..rows {
            for column in 0..columns {
                let colour = match self.value(row, column) {
                    Some(v) => ViridisRGB::get_color(self.position(v, range)),
                    None => MISSING_GREY,
                };
                let (x, y) = (column as f64, top_of(row));
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y - 1.0)],
                    colour.filled(),
                )))?;
                // Dark text on light cells, white on dark ones.
                let light = 0.299 * f64::from(colour.0)
                    + 0.587 * f64::from(colour.1)
                    + 0.114 * f64::from(colour.2)
                    > 140.0;
                let ink = if light { BLACK } else { WHITE };
                let size = if columns > 10 { 11 } else { LABEL_SIZE + 1 };
                let style = anchored(size, HPos::Center, VPos::Center).color(&ink);
                chart.draw_series(std::iter::once(Text::new(
                    self.annotation(row, column),
                    (x + 0.5, y - 0.5),
                    style,
                )))?;
            }
        }

        // Class names beside and below the cells, in pixels from the chart's mapping.
        let below = anchored(
            LABEL_SIZE,
            if rotate { HPos::Left } else { HPos::Center },
            VPos::Center,
        );
        let below = if rotate {
            below.transform(FontTransform::Rotate90)
        } else {
            below
        };
        for (column, name) in self.column_names.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(column as f64 + 0.5, 0.0));
            let offset = if rotate { 6 } else { 12 };
            root.draw(&Text::new(name.clone(), (px, py + offset), below.clone()))?;
        }
        let beside = anchored(LABEL_SIZE, HPos::Right, VPos::Center);
        for (row, name) in self.row_names.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, top_of(row) - 0.5));
            root.draw(&Text::new(name.clone(), (px - 6, py), beside.clone()))?;
        }
        let (_, top) = chart.backend_coord(&(0.0, rows as f64));
        let (right, bottom) = chart.backend_coord(&(columns as f64, 0.0));
        let bar_x = (right + 30).max(width as i32 - COLOUR_BAR_AREA as i32 + 10);
        self.draw_colour_bar(root, bar_x, (top, bottom))
    }

    fn table(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            "row_class",
            "column_class",
            &self.unit.column("value"),
            "colour_position",
            "annotation",
        ]);
        let range = self.colour_range();
        for (row, row_name) in self.row_names.iter().enumerate() {
            for (column, column_name) in self.column_names.iter().enumerate() {
                let value = self.value(row, column);
                table.push(vec![
                    row_name.clone(),
                    column_name.clone(),
                    value.map(|v| num(self.unit.show(v))).unwrap_or_default(),
                    value
                        .map(|v| num(self.position(v, range)))
                        .unwrap_or_default(),
                    self.annotation(row, column),
                ]);
            }
        }
        table
    }
}

/// Draws `heatmap` into `path` (`.svg` or `.png`) and writes the CSV of its cells
/// (row class, column class, value as shown, colour position 0–1 with empty meaning grey,
/// annotation) beside it.
///
/// # Errors
///
/// An unknown extension, values or annotations not shaped like the class names, an
/// unusable colour range, or a failure writing either file.
pub fn write_heatmap(path: impl AsRef<Path>, heatmap: &Heatmap) -> Result<Written> {
    write_figure(path.as_ref(), heatmap)
}
