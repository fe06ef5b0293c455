//! Shared looks: fonts, colours, display units, tick placement and label formatting.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::canvas::{DrawResult, FONT_FAMILY};

/// Title text size in pixels.
pub(crate) const TITLE_SIZE: u32 = 22;
/// Axis description text size.
pub(crate) const AXIS_SIZE: u32 = 16;
/// Tick label and legend text size.
pub(crate) const LABEL_SIZE: u32 = 13;

/// Grey of cells with no value (unprobed pairs, empty cells).
pub(crate) const MISSING_GREY: RGBColor = RGBColor(200, 200, 200);
/// The colour of a single data series.
pub(crate) const SERIES_BLUE: RGBColor = RGBColor(31, 119, 180);
/// The colour of a fitted model curve.
pub(crate) const MODEL_RED: RGBColor = RGBColor(214, 39, 40);

/// Text in the figures' family.
pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&BLACK)
}

/// Text anchored at a point.
pub(crate) fn anchored(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    text(size).pos(Pos::new(h, v))
}

/// Draws the legend of a chart's labelled series in its upper right corner.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(text(LABEL_SIZE))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()?;
    Ok(())
}

/// How values in SI units are shown on an axis: `shown = si × scale`, labelled `symbol`.
///
/// ```
/// use synphys_plot::Unit;
/// let mv = Unit::new("mV", 1e3);
/// assert_eq!(mv.show(0.5e-3), 0.5);
/// assert_eq!(mv.label("PSP amplitude"), "PSP amplitude (mV)");
/// assert_eq!(Unit::none().label("probability"), "probability");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    symbol: String,
    scale: f64,
}

impl Unit {
    /// A unit shown as `symbol`, with `scale` display units per SI unit (e.g. `"ms"`, 1e3).
    pub fn new(symbol: impl Into<String>, scale: f64) -> Unit {
        Unit {
            symbol: symbol.into(),
            scale,
        }
    }

    /// A dimensionless quantity (scale 1, no symbol).
    pub fn none() -> Unit {
        Unit::new("", 1.0)
    }

    /// Micrometres (from metres).
    pub fn micrometre() -> Unit {
        Unit::new("µm", 1e6)
    }

    /// Milliseconds (from seconds).
    pub fn millisecond() -> Unit {
        Unit::new("ms", 1e3)
    }

    /// Millivolts (from volts).
    pub fn millivolt() -> Unit {
        Unit::new("mV", 1e3)
    }

    /// The symbol shown (empty when dimensionless).
    pub fn symbol(&self) -> &str {
        &self.symbol
    }

    /// Display units per SI unit.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// `si` in display units.
    pub fn show(&self, si: f64) -> f64 {
        si * self.scale
    }

    /// An axis label: `quantity (symbol)`, or `quantity` when dimensionless.
    pub fn label(&self, quantity: &str) -> String {
        if self.symbol.is_empty() {
            quantity.to_string()
        } else {
            format!("{quantity} ({})", self.symbol)
        }
    }

    /// A CSV column name: `quantity_symbol` (`µ` spelled `u`), or `quantity`.
    pub(crate) fn column(&self, quantity: &str) -> String {
        if self.symbol.is_empty() {
            quantity.to_string()
        } else {
            format!("{quantity}_{}", self.symbol.replace('µ', "u"))
        }
    }
}

/// A short label for a tick or annotation: up to `digits` significant digits, no
/// trailing zeros, scientific notation for very small or large magnitudes.
pub(crate) fn short(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-3..=5).contains(&magnitude) {
        return format!("{:.*e}", digits.saturating_sub(1), x);
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// About `n` evenly spaced round ticks covering `[lo, hi]`.
pub(crate) fn linear_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return vec![lo];
    }
    let raw = (hi - lo) / n as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks at 1, 2 and 5 times the powers of ten within `[lo, hi]` (lo > 0), thinned to
/// the decades alone when there are many.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return vec![lo];
    }
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let mantissas: &[f64] = if last - first > 3 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let tolerance = 1e-9;
    (first..=last)
        .flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e)))
        .filter(|t| *t >= lo * (1.0 - tolerance) && *t <= hi * (1.0 + tolerance))
        .collect()
}

/// The smallest and largest finite values, or `None`.
pub(crate) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `(lo, hi)` widened so that it has a width (a single value gets ±10 %, or ±1 at 0).
pub(crate) fn padded(range: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = range;
    if hi > lo {
        return (lo, hi);
    }
    let half = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
    (lo - half, hi + half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels_drop_trailing_zeros_and_keep_significant_digits() {
        assert_eq!(short(0.5, 3), "0.5");
        assert_eq!(short(1.234_56, 3), "1.23");
        assert_eq!(short(1234.6, 3), "1235");
        assert_eq!(short(2.0e-6, 2), "2.0e-6");
        assert_eq!(short(f64::NAN, 3), "–");
    }

    #[test]
    fn linear_ticks_are_round_and_inside_the_range() {
        let ticks = linear_ticks(0.0, 1.0, 5);
        assert_eq!(ticks.first(), Some(&0.0));
        assert!((ticks.last().copied().unwrap_or(0.0) - 1.0).abs() < 1e-12);
        assert!(ticks.windows(2).all(|w| w[1] > w[0]));
        let odd = linear_ticks(0.13, 0.87, 4);
        assert!(odd.iter().all(|t| (0.13..=0.87).contains(t)));
    }

    #[test]
    fn log_ticks_cover_decades() {
        assert_eq!(
            log_ticks(0.01, 1.0),
            vec![0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
        );
        assert_eq!(log_ticks(1e-6, 1.0).len(), 7);
    }
}
