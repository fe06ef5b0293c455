//! Python source text: string literals, float literals and the shared projection table.

use std::fmt::Write as _;

use crate::error::{ErrorKind, Result};
use crate::models::Kernel;
use crate::summary::DistanceMeasure;

use super::{Projection, Simulator};

/// A single-quoted Python string literal for `name`, escaped like `repr` but ASCII only:
/// backslash, both quotes, control characters and every non-ASCII character are escaped,
/// so the literal survives comments, CSV fields and any source encoding. NUL is refused
/// because the simulators hand names to C code, where it ends the string.
pub(super) fn string(name: &str, simulator: Simulator) -> Result<String> {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('\'');
    for c in name.chars() {
        match c {
            '\0' => {
                return Err(ErrorKind::UnrepresentableName {
                    class: name.to_string(),
                    format: simulator.name(),
                    reason: "it contains NUL, which ends a string in the simulator's C code",
                }
                .into());
            }
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x1_0000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('\'');
    Ok(out)
}

/// A Python float literal: the value rounded to 12 significant digits (so 1.02e-4 × 1e6
/// prints as 102.0), in Rust's shortest round-trip form, which is always valid Python
/// and always has a decimal point or an exponent. Callers pass finite values only.
pub(super) fn float(v: f64) -> String {
    let rounded: f64 = format!("{v:.11e}").parse().unwrap_or(v);
    format!("{rounded:?}")
}

/// `float(v)` or `None`.
pub(super) fn optional_float(v: Option<f64>) -> String {
    v.map_or_else(|| "None".to_string(), float)
}

/// Kernel name as written in the exports.
pub(super) fn kernel_name(kernel: Kernel) -> &'static str {
    kernel.name()
}

/// Distance-measure name as written in the exports.
pub(super) fn measure_name(measure: DistanceMeasure) -> &'static str {
    match measure {
        DistanceMeasure::Distance3d => "distance_3d",
        DistanceMeasure::Lateral => "lateral",
        DistanceMeasure::Vertical => "vertical",
    }
}

/// The module-level `PROJECTIONS` table every Python export carries: one dict per
/// projection with the rule in SI units and the synapse in mV and ms, so a user (or a test
/// driver) can see what the `connect` function builds.
pub(super) fn projection_table(projections: &[Projection], simulator: Simulator) -> Result<String> {
    let mut out = String::from("PROJECTIONS = [\n");
    for p in projections {
        let r = &p.rule;
        let _ = writeln!(
            out,
            "    {{'pre': {}, 'post': {}, 'kernel': '{}', 'distance_measure': '{}', 'pmax': {}, 'pmax_unclamped': {}, 'scale_m': {}, 'psp_amplitude_mv': {}, 'latency_ms': {}}},",
            string(&r.pre_class, simulator)?,
            string(&r.post_class, simulator)?,
            kernel_name(r.kernel),
            measure_name(r.distance_measure),
            float(r.pmax),
            float(r.unclamped_pmax),
            float(r.scale_m),
            optional_float(p.psp_amplitude_v.map(|v| v * 1e3)),
            optional_float(p.latency_s.map(|s| s * 1e3)),
        );
    }
    out.push_str("]\n");
    Ok(out)
}

/// A comment line describing one projection, with the names as escaped literals so that
/// no name can end the comment.
pub(super) fn describe(p: &Projection, simulator: Simulator) -> Result<String> {
    let r = &p.rule;
    let width = match r.kernel {
        Kernel::Gaussian => "sigma",
        Kernel::Exponential => "lambda",
    };
    let clamp = if r.clamped() {
        format!(" (clamped from {})", float(r.unclamped_pmax))
    } else {
        String::new()
    };
    Ok(format!(
        "# {} -> {}: {} kernel on {} distance, pmax {}{clamp}, {width} {} um",
        string(&r.pre_class, simulator)?,
        string(&r.post_class, simulator)?,
        kernel_name(r.kernel),
        match r.distance_measure {
            DistanceMeasure::Distance3d => "3-D",
            DistanceMeasure::Lateral => "lateral",
            DistanceMeasure::Vertical => "vertical",
        },
        float(r.pmax),
        float(r.scale_m * 1e6),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_repr_in_ascii() {
        let s = |n: &str| string(n, Simulator::Nest).unwrap();
        assert_eq!(s("pyr"), "'pyr'");
        assert_eq!(s("L2/3 ('sst', 'pvalb')"), r"'L2/3 (\'sst\', \'pvalb\')'");
        assert_eq!(s("a\\b\"c\nd\te\r"), r#"'a\\b\"c\nd\te\r'"#);
        assert_eq!(s("µ\u{7f}é→😀"), r"'\xb5\x7f\xe9\u2192\U0001f600'");
        let err = string("bad\0name", Simulator::Brian2).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::UnrepresentableName { class, .. } if class == "bad\0name")
        );
        assert!(err.to_string().contains("brian2"), "{err}");
    }

    #[test]
    fn floats_read_as_python_floats() {
        assert_eq!(float(102e-6 * 1e6), "102.0");
        assert_eq!(float(0.14), "0.14");
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(-0.5e-3 * 1e3), "-0.5");
        assert_eq!(float(1.0 / 3.0), "0.333333333333");
    }
}
