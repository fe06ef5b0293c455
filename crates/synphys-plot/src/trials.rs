//! Release-model trials: every simulated trial faint, the mean bold, spike times marked.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::canvas::{CsvTable, DrawResult, Figure, Written, invalid, num, write_figure};
use crate::error::Result;
use crate::style::{
    AXIS_SIZE, LABEL_SIZE, MODEL_RED, SERIES_BLUE, TITLE_SIZE, Unit, draw_legend, finite_range,
    padded, short, text,
};

/// Simulated response amplitudes of many trials of one spike train (the tutorial's 500
/// release-model runs). Times in seconds, amplitudes in volts; shown in ms and mV.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseTrials {
    title: String,
    spike_times_s: Vec<f64>,
    trials_v: Vec<Vec<f64>>,
    mean_v: Vec<f64>,
    size: (u32, u32),
}

impl ReleaseTrials {
    /// Trials (`trials_v[trial][spike]`) of the train `spike_times_s`, with the mean
    /// amplitude after each spike (`mean_v`, one per spike).
    pub fn new(
        title: impl Into<String>,
        spike_times_s: Vec<f64>,
        trials_v: Vec<Vec<f64>>,
        mean_v: Vec<f64>,
    ) -> ReleaseTrials {
        ReleaseTrials {
            title: title.into(),
            spike_times_s,
            trials_v,
            mean_v,
            size: (1000, 480),
        }
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> ReleaseTrials {
        self.size = (width, height);
        self
    }
}

impl Figure for ReleaseTrials {
    const KIND: &'static str = "release-model trials";

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn check(&self) -> Result<()> {
        let n = self.spike_times_s.len();
        if n == 0 || self.trials_v.is_empty() {
            return Err(invalid(
                Self::KIND,
                "it needs at least one spike and one trial",
            ));
        }
        if self.mean_v.len() != n || self.trials_v.iter().any(|t| t.len() != n) {
            return Err(invalid(
                Self::KIND,
                format!("every trial and the mean need one amplitude per spike ({n})"),
            ));
        }
        if self.spike_times_s.iter().any(|t| !t.is_finite()) {
            return Err(invalid(Self::KIND, "spike times must be finite"));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (ms, mv) = (Unit::millisecond(), Unit::millivolt());
        let (t0, t1) = padded(
            finite_range(self.spike_times_s.iter().map(|t| ms.show(*t))).unwrap_or((0.0, 1.0)),
        );
        let span = t1 - t0;
        let all = self
            .trials_v
            .iter()
            .flatten()
            .chain(&self.mean_v)
            .map(|a| mv.show(*a));
        let (a0, a1) = finite_range(all).unwrap_or((0.0, 1.0));
        let (a0, a1) = padded((a0.min(0.0), a1.max(0.0)));
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, text(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (t0 - 0.05 * span)..(t1 + 0.05 * span),
                (a0 - 0.05 * (a1 - a0))..(a1 * 1.05),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|x| short(*x, 4))
            .y_label_formatter(&|y| short(*y, 3))
            .x_desc(ms.label("spike time"))
            .y_desc(mv.label("PSP amplitude"))
            .axis_desc_style(text(AXIS_SIZE))
            .label_style(text(LABEL_SIZE))
            .draw()?;
        let times: Vec<f64> = self.spike_times_s.iter().map(|t| ms.show(*t)).collect();
        let spike_colour = BLACK.mix(0.5);
        chart
            .draw_series(times.iter().map(|t| {
                PathElement::new(
                    [(*t, a0 - 0.05 * (a1 - a0)), (*t, a0)],
                    spike_colour.stroke_width(2),
                )
            }))?
            .label("presynaptic spike")
            .legend(move |(x, y)| {
                PathElement::new(
                    [(x + 9, y - 6), (x + 9, y + 6)],
                    spike_colour.stroke_width(2),
                )
            });
        // Faint enough that 500 overlapping trials still show where they concentrate.
        let faint = BLACK.mix((10.0 / self.trials_v.len() as f64).clamp(0.02, 0.3));
        let line = |amplitudes: &Vec<f64>| -> Vec<(f64, f64)> {
            times
                .iter()
                .zip(amplitudes)
                .filter(|(_, a)| a.is_finite())
                .map(|(t, a)| (*t, mv.show(*a)))
                .collect()
        };
        chart
            .draw_series(
                self.trials_v
                    .iter()
                    .map(|trial| PathElement::new(line(trial), faint.stroke_width(1))),
            )?
            .label(format!("simulated trials (n = {})", self.trials_v.len()))
            .legend(|(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], BLACK.mix(0.3).stroke_width(1))
            });
        chart
            .draw_series(std::iter::once(PathElement::new(
                line(&self.mean_v),
                SERIES_BLUE.stroke_width(4),
            )))?
            .label("mean amplitude")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], SERIES_BLUE.stroke_width(4)));
        chart.draw_series(
            line(&self.mean_v)
                .into_iter()
                .map(|p| Circle::new(p, 4, MODEL_RED.filled())),
        )?;
        draw_legend(&mut chart)
    }

    fn table(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            "series",
            "trial",
            "spike_index",
            "spike_time_ms",
            "amplitude_mV",
        ]);
        let (ms, mv) = (Unit::millisecond(), Unit::millivolt());
        for (k, t) in self.spike_times_s.iter().enumerate() {
            table.push(vec![
                "spike".into(),
                String::new(),
                k.to_string(),
                num(ms.show(*t)),
                String::new(),
            ]);
        }
        for (i, trial) in self.trials_v.iter().enumerate() {
            for (k, (t, a)) in self.spike_times_s.iter().zip(trial).enumerate() {
                table.push(vec![
                    "trial".into(),
                    i.to_string(),
                    k.to_string(),
                    num(ms.show(*t)),
                    num(mv.show(*a)),
                ]);
            }
        }
        for (k, (t, a)) in self.spike_times_s.iter().zip(&self.mean_v).enumerate() {
            table.push(vec![
                "mean".into(),
                String::new(),
                k.to_string(),
                num(ms.show(*t)),
                num(mv.show(*a)),
            ]);
        }
        table
    }
}

/// Draws `trials` into `path` (`.svg` or `.png`) and writes its CSV beside it: the spike
/// times (`series` = spike), every trial's amplitudes (`trial`) and the mean (`mean`),
/// in ms and mV.
///
/// # Errors
///
/// An unknown extension, no spikes or trials, a trial or mean of the wrong length, or a
/// failure writing either file.
pub fn write_release_trials(path: impl AsRef<Path>, trials: &ReleaseTrials) -> Result<Written> {
    write_figure(path.as_ref(), trials)
}
