//! Values with units on the command line: `120um`, `2ms`, `0.5mV`, `50hz`; bare numbers
//! are SI. Ranges `MIN:MAX` (either side may be empty), bins `START:STOP:STEP`,
//! protocols `50hz:250ms`, shards `I/N`.
//!
//! Every parser returns SI values (metres, seconds, volts, hertz) and, on failure, a
//! message saying what was given and what would be accepted (clap prints it).

/// A physical dimension a value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dimension {
    Length,
    Time,
    Voltage,
    Frequency,
    /// No unit allowed (a count, an age in days).
    Plain,
}

impl Dimension {
    /// Suffixes and their conversion to SI, longest first so `mm` wins over `m`.
    /// Sub-units divide (`100um` is exactly `100 / 1e6`, the float nearest 1e-4, where
    /// multiplying by `1e-6` would be one ulp off).
    fn suffixes(self) -> &'static [(&'static str, Scale)] {
        use Scale::{Div, Mul};
        match self {
            Dimension::Length => &[
                ("um", Div(1e6)),
                ("µm", Div(1e6)),
                ("μm", Div(1e6)),
                ("nm", Div(1e9)),
                ("mm", Div(1e3)),
                ("cm", Div(1e2)),
                ("m", Mul(1.0)),
            ],
            Dimension::Time => &[
                ("ms", Div(1e3)),
                ("us", Div(1e6)),
                ("µs", Div(1e6)),
                ("μs", Div(1e6)),
                ("min", Mul(60.0)),
                ("s", Mul(1.0)),
            ],
            Dimension::Voltage => &[
                ("mv", Div(1e3)),
                ("uv", Div(1e6)),
                ("µv", Div(1e6)),
                ("μv", Div(1e6)),
                ("v", Mul(1.0)),
            ],
            Dimension::Frequency => &[("khz", Mul(1e3)), ("hz", Mul(1.0))],
            Dimension::Plain => &[],
        }
    }

    fn example(self) -> &'static str {
        match self {
            Dimension::Length => "a length like 120um, 0.1mm or 1.2e-4 (metres)",
            Dimension::Time => "a time like 2ms, 0.5s or 0.002 (seconds)",
            Dimension::Voltage => "a voltage like 0.5mV, 80uV or 5e-4 (volts)",
            Dimension::Frequency => "a frequency like 50hz or 50 (hertz)",
            Dimension::Plain => "a plain number like 30",
        }
    }
}

/// How a suffix converts to SI.
#[derive(Debug, Clone, Copy)]
enum Scale {
    Mul(f64),
    Div(f64),
}

/// Parses `text` as a value of `dimension`, in SI units.
pub(crate) fn parse_quantity(text: &str, dimension: Dimension) -> Result<f64, String> {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    let (number, factor) = dimension
        .suffixes()
        .iter()
        .find_map(|(suffix, factor)| {
            lower
                .strip_suffix(suffix)
                .map(|n| (n.trim_end().to_string(), *factor))
        })
        .unwrap_or((lower.clone(), Scale::Mul(1.0)));
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(match factor {
            Scale::Mul(m) => value * m,
            Scale::Div(d) => value / d,
        }),
        _ => Err(format!(
            "cannot read '{text}': expected {}",
            dimension.example()
        )),
    }
}

/// A length in metres (`120um`).
pub(crate) fn parse_length(text: &str) -> Result<f64, String> {
    parse_quantity(text, Dimension::Length)
}

/// A time in seconds (`2ms`).
pub(crate) fn parse_time(text: &str) -> Result<f64, String> {
    parse_quantity(text, Dimension::Time)
}

/// A voltage in volts (`0.5mV`).
pub(crate) fn parse_voltage(text: &str) -> Result<f64, String> {
    parse_quantity(text, Dimension::Voltage)
}

/// An inclusive range; `None` on a side means unbounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Range {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
}

fn parse_range(text: &str, dimension: Dimension) -> Result<Range, String> {
    let Some((low, high)) = text.split_once(':') else {
        return Err(format!(
            "cannot read range '{text}': expected MIN:MAX with {} on either side (a side may be empty, e.g. :100um)",
            dimension.example()
        ));
    };
    let side = |s: &str| -> Result<Option<f64>, String> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            parse_quantity(s, dimension).map(Some)
        }
    };
    let range = Range {
        min: side(low)?,
        max: side(high)?,
    };
    if let (Some(a), Some(b)) = (range.min, range.max)
        && a > b
    {
        return Err(format!(
            "range '{text}' is empty: its minimum is larger than its maximum"
        ));
    }
    Ok(range)
}

/// A range of lengths, `20um:200um` or `:100um`.
pub(crate) fn parse_length_range(text: &str) -> Result<Range, String> {
    parse_range(text, Dimension::Length)
}

/// A range of plain numbers (ages in days), `30:60`.
pub(crate) fn parse_plain_range(text: &str) -> Result<Range, String> {
    parse_range(text, Dimension::Plain)
}

/// Distance bins: edges from `start` to `stop` every `step` (metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bins {
    pub(crate) start: f64,
    pub(crate) stop: f64,
    pub(crate) step: f64,
}

impl Bins {
    /// The bin edges, `start, start+step, …` up to `stop` (included when it falls on
    /// a step, within rounding).
    pub(crate) fn edges(&self) -> Vec<f64> {
        let n = ((self.stop - self.start) / self.step + 1e-9).floor() as usize;
        (0..=n).map(|i| self.start + i as f64 * self.step).collect()
    }
}

/// `START:STOP:STEP` lengths, e.g. `0:500um:20um`.
pub(crate) fn parse_bins(text: &str) -> Result<Bins, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let [start, stop, step] = parts.as_slice() else {
        return Err(format!(
            "cannot read bins '{text}': expected START:STOP:STEP lengths, e.g. 0:500um:20um"
        ));
    };
    let bins = Bins {
        start: parse_length(start)?,
        stop: parse_length(stop)?,
        step: parse_length(step)?,
    };
    if !(bins.step > 0.0 && bins.stop > bins.start) {
        return Err(format!(
            "bins '{text}' are empty: STEP must be positive and STOP larger than START"
        ));
    }
    if (bins.stop - bins.start) / bins.step > 100_000.0 {
        return Err(format!(
            "bins '{text}' make more than 100000 bins: use a larger STEP"
        ));
    }
    Ok(bins)
}

/// A 12-pulse train: induction frequency (Hz) and recovery delay (s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Protocol {
    pub(crate) frequency_hz: f64,
    pub(crate) recovery_delay_s: f64,
}

/// `FREQ:DELAY`, e.g. `50hz:250ms`.
pub(crate) fn parse_protocol(text: &str) -> Result<Protocol, String> {
    let Some((f, d)) = text.split_once(':') else {
        return Err(format!(
            "cannot read protocol '{text}': expected FREQUENCY:RECOVERY_DELAY, e.g. 50hz:250ms"
        ));
    };
    let protocol = Protocol {
        frequency_hz: parse_quantity(f, Dimension::Frequency)?,
        recovery_delay_s: parse_time(d)?,
    };
    if !(protocol.frequency_hz > 0.0 && protocol.recovery_delay_s > 0.0) {
        return Err(format!(
            "protocol '{text}' needs a positive frequency and recovery delay"
        ));
    }
    Ok(protocol)
}

/// `I/N` with `I < N`, e.g. `0/8`.
pub(crate) fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((i, n)) if i < n => Ok((i, n)),
        _ => Err(format!(
            "cannot read shard '{text}': expected I/N with 0 ≤ I < N, e.g. 0/8"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    #[test]
    fn suffixed_values_convert_to_si() {
        assert!(close(parse_length("120um").unwrap(), 120e-6));
        assert!(close(parse_length("120µm").unwrap(), 120e-6));
        assert!(close(parse_length("0.1mm").unwrap(), 1e-4));
        assert!(close(parse_length("2 m").unwrap(), 2.0));
        assert!(close(parse_time("2ms").unwrap(), 2e-3));
        assert!(close(parse_time("1.5s").unwrap(), 1.5));
        assert!(close(parse_voltage("0.5mV").unwrap(), 5e-4));
        assert!(close(parse_voltage("80uV").unwrap(), 80e-6));
        assert!(close(
            parse_quantity("1kHz", Dimension::Frequency).unwrap(),
            1e3
        ));
    }

    #[test]
    fn sub_units_convert_to_the_nearest_float() {
        assert_eq!(parse_length("100um").unwrap(), 100e-6);
        assert_eq!(parse_time("2ms").unwrap(), 2e-3);
        assert_eq!(parse_voltage("0.5mV").unwrap(), 0.5e-3);
    }

    #[test]
    fn bare_numbers_are_si() {
        assert!(close(parse_length("1.2e-4").unwrap(), 1.2e-4));
        assert!(close(parse_time("-0.25").unwrap(), -0.25));
        assert!(close(parse_voltage("5e-4").unwrap(), 5e-4));
    }

    #[test]
    fn wrong_units_and_garbage_are_refused_with_an_example() {
        let err = parse_length("2ms").unwrap_err();
        assert!(err.contains("'2ms'") && err.contains("120um"), "{err}");
        let err = parse_voltage("0.5mm").unwrap_err();
        assert!(err.contains("0.5mV"), "{err}");
        assert!(parse_time("fast").is_err());
        assert!(parse_length("nan").is_err());
        assert!(parse_length("inf").is_err());
        assert!(parse_length("").is_err());
    }

    #[test]
    fn ranges_allow_an_open_side() {
        let r = parse_length_range(":100um").unwrap();
        assert_eq!(r.min, None);
        assert!(close(r.max.unwrap(), 100e-6));
        let r = parse_length_range("20um:").unwrap();
        assert!(close(r.min.unwrap(), 20e-6));
        assert_eq!(r.max, None);
        let r = parse_plain_range("30:60").unwrap();
        assert_eq!((r.min, r.max), (Some(30.0), Some(60.0)));
        assert!(parse_length_range("100um").unwrap_err().contains("MIN:MAX"));
        assert!(parse_length_range("2:1").unwrap_err().contains("empty"));
        assert!(parse_plain_range("30d:60").is_err());
    }

    #[test]
    fn bins_give_their_edges() {
        let bins = parse_bins("0:500um:20um").unwrap();
        let edges = bins.edges();
        assert_eq!(edges.len(), 26);
        assert!(close(edges[25], 500e-6));
        assert!(close(edges[1], 20e-6));
        assert!(parse_bins("0:500um").is_err());
        assert!(parse_bins("0:500um:0um").is_err());
        assert!(parse_bins("0:1m:1nm").unwrap_err().contains("100000"));
    }

    #[test]
    fn protocols_and_shards_parse() {
        let p = parse_protocol("50hz:250ms").unwrap();
        assert!(close(p.frequency_hz, 50.0) && close(p.recovery_delay_s, 0.25));
        assert!(parse_protocol("50hz").is_err());
        assert!(parse_protocol("0hz:250ms").is_err());
        assert_eq!(parse_shard("3/8").unwrap(), (3, 8));
        assert!(parse_shard("8/8").is_err());
        assert!(parse_shard("a/8").is_err());
    }
}
