//! Box plot of a quantity by group, with every value drawn as a point.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{
    AXIS_SIZE, LABEL_SIZE, MODEL_RED, SERIES_BLUE, TITLE_SIZE, Unit, anchored, finite_range,
    padded, short, text,
};

/// One group's box: quartiles and whisker ends (SI), and the values drawn as points.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxGroup {
    /// Group label (e.g. a cortical layer).
    pub name: String,
    /// Lower whisker end.
    pub whisker_low: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Upper whisker end.
    pub whisker_high: f64,
    /// The values themselves (drawn as points spread across the box).
    pub values: Vec<f64>,
}

/// A box plot by group (the tutorial's STP-by-layer plot). Quartiles are the caller's
/// (e.g. `synphys_report::box_stats`); this draws the boxes it is given.
///
/// ```
/// use synphys_plot::{BoxGroup, BoxPlot};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let group = |name: &str, v: Vec<f64>| BoxGroup {
///     name: name.into(), whisker_low: v[0], q1: v[1], median: v[2], q3: v[3], whisker_high: v[4], values: v,
/// };
/// let figure = BoxPlot::new("STP by layer", "dynamics.stp_induction_50hz", "presynaptic layer")
///     .group(group("2", vec![-0.4, -0.1, 0.05, 0.2, 0.5]))
///     .group(group("3", vec![-0.5, -0.3, -0.2, 0.0, 0.1]));
/// let dir = tempfile::tempdir()?;
/// synphys_plot::write_box_plot(dir.path().join("box.svg"), &figure)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BoxPlot {
    title: String,
    quantity: String,
    group_label: String,
    groups: Vec<BoxGroup>,
    unit: Unit,
    size: (u32, u32),
}

impl BoxPlot {
    /// An empty box plot of `quantity` (y axis) by `group_label` (x axis).
    pub fn new(
        title: impl Into<String>,
        quantity: impl Into<String>,
        group_label: impl Into<String>,
    ) -> BoxPlot {
        BoxPlot {
            title: title.into(),
            quantity: quantity.into(),
            group_label: group_label.into(),
            groups: Vec::new(),
            unit: Unit::none(),
            size: (900, 560),
        }
    }

    /// Adds a group (drawn left to right in the order added).
    pub fn group(mut self, group: BoxGroup) -> BoxPlot {
        self.groups.push(group);
        self
    }

    /// How SI values are shown.
    pub fn unit(mut self, unit: Unit) -> BoxPlot {
        self.unit = unit;
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> BoxPlot {
        self.size = (width, height);
        self
    }
}

/// A fixed spread of `n` points across `[-1, 1]`, so points never stack and the figure
/// is the same on every run.
fn spread(i: usize) -> f64 {
    // Golden-ratio low-discrepancy sequence.
    ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 2.0
}

impl Figure for BoxPlot {
    const KIND: &'static str = "box plot";

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn check(&self) -> Result<()> {
        if self.groups.is_empty() {
            return Err(invalid(
                Self::KIND,
                "there are no groups (no group has a finite value)",
            ));
        }
        for g in &self.groups {
            let ordered = g.whisker_low <= g.q1
                && g.q1 <= g.median
                && g.median <= g.q3
                && g.q3 <= g.whisker_high;
            if !ordered {
                return Err(invalid(
                    Self::KIND,
                    format!(
                        "group {:?}: need whisker_low ≤ q1 ≤ median ≤ q3 ≤ whisker_high (all finite)",
                        g.name
                    ),
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
        let n = self.groups.len();
        let all = self.groups.iter().flat_map(|g| {
            g.values
                .iter()
                .copied()
                .chain([g.whisker_low, g.whisker_high])
        });
        let (lo, hi) = padded(finite_range(all.map(|v| self.unit.show(v))).unwrap_or((0.0, 1.0)));
        let margin = 0.08 * (hi - lo);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, text(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n as f64, (lo - margin)..(hi + margin))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&|y| short(*y, 3))
            .x_desc(self.group_label.as_str())
            .y_desc(self.unit.label(&self.quantity))
            .axis_desc_style(text(AXIS_SIZE))
            .label_style(text(LABEL_SIZE))
            .draw()?;
        let show = |v: f64| self.unit.show(v);
        for (i, g) in self.groups.iter().enumerate() {
            let centre = i as f64 + 0.5;
            let (left, right) = (centre - 0.3, centre + 0.3);
            let boxes = [
                PathElement::new(
                    [(centre, show(g.whisker_low)), (centre, show(g.q1))],
                    BLACK.stroke_width(1),
                ),
                PathElement::new(
                    [(centre, show(g.q3)), (centre, show(g.whisker_high))],
                    BLACK.stroke_width(1),
                ),
                PathElement::new(
                    [
                        (centre - 0.1, show(g.whisker_low)),
                        (centre + 0.1, show(g.whisker_low)),
                    ],
                    BLACK.stroke_width(1),
                ),
                PathElement::new(
                    [
                        (centre - 0.1, show(g.whisker_high)),
                        (centre + 0.1, show(g.whisker_high)),
                    ],
                    BLACK.stroke_width(1),
                ),
            ];
            chart.draw_series(boxes)?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, show(g.q1)), (right, show(g.q3))],
                SERIES_BLUE.mix(0.35).filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, show(g.q1)), (right, show(g.q3))],
                BLACK.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                [(left, show(g.median)), (right, show(g.median))],
                MODEL_RED.stroke_width(2),
            )))?;
            chart.draw_series(g.values.iter().filter(|v| v.is_finite()).enumerate().map(
                |(k, v)| {
                    Circle::new(
                        (centre + 0.22 * spread(k), show(*v)),
                        2,
                        BLACK.mix(0.6).filled(),
                    )
                },
            ))?;
            let (px, py) = chart.backend_coord(&(centre, lo - margin));
            root.draw(&Text::new(
                format!(
                    "{} (n = {})",
                    g.name,
                    g.values.iter().filter(|v| v.is_finite()).count()
                ),
                (px, py + 12),
                anchored(LABEL_SIZE, HPos::Center, VPos::Center),
            ))?;
        }
        Ok(())
    }

    fn table(&self) -> CsvTable {
        let mut table = CsvTable::new(&["group", "item", &self.unit.column("value")]);
        for g in &self.groups {
            let stats = [
                ("whisker_low", g.whisker_low),
                ("q1", g.q1),
                ("median", g.median),
                ("q3", g.q3),
                ("whisker_high", g.whisker_high),
            ];
            for (item, v) in stats {
                table.push(vec![g.name.clone(), item.into(), num(self.unit.show(v))]);
            }
            for v in g.values.iter().filter(|v| v.is_finite()) {
                table.push(vec![
                    g.name.clone(),
                    "point".into(),
                    num(self.unit.show(*v)),
                ]);
            }
        }
        table
    }
}

/// Draws `box_plot` into `path` (`.svg` or `.png`) and writes its CSV beside it: per
/// group the five box numbers (`item` = whisker_low, q1, median, q3, whisker_high) and
/// every point (`item` = point).
///
/// # Errors
///
/// An unknown extension, no groups, unordered box numbers, or a failure writing either
/// file.
pub fn write_box_plot(path: impl AsRef<Path>, box_plot: &BoxPlot) -> Result<Written> {
    write_figure(path.as_ref(), box_plot)
}
