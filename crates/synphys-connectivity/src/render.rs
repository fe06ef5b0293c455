//! Connection rules as simulators read them.
//!
//! Every output names its kernel (Gaussian or exponential), the distance it applies to
//! and the units. Lateral distance is taken in the x–y plane with z as cortical depth,
//! except for NetPyNE, whose y axis is depth (its `dist_2D` is the x–z distance).

use serde::{Deserialize, Serialize};

use crate::models::Kernel;
use crate::prior::ConnectionRule;
use crate::summary::DistanceMeasure;

/// Length unit of simulator positions where the simulator leaves it to the user (NEST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthUnit {
    /// Micrometres.
    Micrometre,
    /// Millimetres.
    Millimetre,
}

impl LengthUnit {
    fn per_metre(self) -> f64 {
        match self {
            LengthUnit::Micrometre => 1e6,
            LengthUnit::Millimetre => 1e3,
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            LengthUnit::Micrometre => "um",
            LengthUnit::Millimetre => "mm",
        }
    }
}

/// A number for a Python expression: six significant digits, always with a decimal point
/// or an exponent so it reads as a float.
fn num(v: f64) -> String {
    let rounded: f64 = format!("{v:.5e}").parse().unwrap_or(v);
    let s = format!("{rounded}");
    if s.contains(['.', 'e', 'N', 'i']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn kernel_name(kernel: Kernel) -> &'static str {
    match kernel {
        Kernel::Gaussian => "Gaussian",
        Kernel::Exponential => "exponential",
    }
}

fn width_name(kernel: Kernel) -> &'static str {
    match kernel {
        Kernel::Gaussian => "sigma",
        Kernel::Exponential => "lambda",
    }
}

impl ConnectionRule {
    /// One line describing the rule, for a comment.
    fn describe(&self, unit: LengthUnit, lateral: &str) -> String {
        let distance = match self.distance_measure {
            DistanceMeasure::Distance3d => "3-D distance".to_string(),
            DistanceMeasure::Lateral => format!("lateral distance ({lateral})"),
            DistanceMeasure::Vertical => "vertical distance (depth axis)".to_string(),
        };
        let clamp = if self.clamped() {
            format!(" (clamped from {})", num(self.unclamped_pmax))
        } else {
            String::new()
        };
        format!(
            "synphys prior {} -> {}: {} kernel on {distance}, pmax {}{clamp}, {} {} {}",
            self.pre_class,
            self.post_class,
            kernel_name(self.kernel),
            num(self.pmax),
            width_name(self.kernel),
            num(self.scale_m * unit.per_metre()),
            unit.symbol(),
        )
    }

    /// A NEST 3 spatial `conn_spec` (rule `pairwise_bernoulli` with a distance-dependent
    /// probability), positions in `unit`. A Gaussian on lateral distance uses
    /// `gaussian2D` over the x and y displacements; an exponential on lateral distance
    /// needs layers laid out in the cortical plane (2-D), where `nest.spatial.distance` is
    /// the lateral distance.
    pub fn to_nest(&self, unit: LengthUnit) -> String {
        let s = num(self.scale_m * unit.per_metre());
        let (kernel, note) = match (self.kernel, self.distance_measure) {
            (Kernel::Gaussian, DistanceMeasure::Distance3d) => (
                format!("nest.spatial_distributions.gaussian(nest.spatial.distance, std={s})"),
                "",
            ),
            (Kernel::Gaussian, DistanceMeasure::Lateral) => (
                format!(
                    "nest.spatial_distributions.gaussian2D(nest.spatial.distance.x, nest.spatial.distance.y, std_x={s}, std_y={s})"
                ),
                "",
            ),
            (Kernel::Exponential, DistanceMeasure::Distance3d) => (
                format!("nest.spatial_distributions.exponential(nest.spatial.distance, beta={s})"),
                "",
            ),
            (Kernel::Exponential, DistanceMeasure::Lateral) => (
                format!("nest.spatial_distributions.exponential(nest.spatial.distance, beta={s})"),
                "\n# lateral distance: create both layers in 2-D (x, y in the cortical plane)",
            ),
            (Kernel::Gaussian, DistanceMeasure::Vertical) => (
                format!("nest.spatial_distributions.gaussian(nest.spatial.distance.z, std={s})"),
                "",
            ),
            (Kernel::Exponential, DistanceMeasure::Vertical) => (
                format!(
                    "nest.spatial_distributions.exponential(nest.math.max(nest.spatial.distance.z, -1.0 * nest.spatial.distance.z), beta={s})"
                ),
                "",
            ),
        };
        format!(
            "# {}; NEST positions in {}{note}\nconn_spec = {{\"rule\": \"pairwise_bernoulli\", \"p\": {} * {kernel}}}",
            self.describe(unit, "x, y; z is depth"),
            unit.symbol(),
            num(self.pmax),
        )
    }

    /// A PyNN `DistanceDependentProbabilityConnector` with its `d_expression` (PyNN
    /// positions and `d` in µm). For lateral distance the projection needs
    /// `space=sim.Space(axes='xy')`.
    pub fn to_pynn(&self) -> String {
        let s = num(self.scale_m * 1e6);
        let expression = match self.kernel {
            Kernel::Gaussian => format!("{}*exp(-d**2/(2*{s}**2))", num(self.pmax)),
            Kernel::Exponential => format!("{}*exp(-d/{s})", num(self.pmax)),
        };
        let space = match self.distance_measure {
            DistanceMeasure::Lateral => {
                "\n# pass space=sim.Space(axes='xy') to the Projection so d is the lateral distance"
            }
            DistanceMeasure::Vertical => {
                "\n# pass space=sim.Space(axes='z') to the Projection so d is the vertical distance"
            }
            DistanceMeasure::Distance3d => "",
        };
        format!(
            "# {}; PyNN d in um{space}\nconnector = sim.DistanceDependentProbabilityConnector(\"{expression}\")",
            self.describe(LengthUnit::Micrometre, "x, y; z is depth")
        )
    }

    /// A NetPyNE `connParams` entry whose probability is a string function of
    /// `dist_3D` or, for lateral distance, `dist_2D` (the x–z distance: NetPyNE's y axis is
    /// depth), or for vertical distance `dist_y`, in µm.
    pub fn to_netpyne(&self) -> String {
        let s = num(self.scale_m * 1e6);
        let d = match self.distance_measure {
            DistanceMeasure::Distance3d => "dist_3D",
            DistanceMeasure::Lateral => "dist_2D",
            DistanceMeasure::Vertical => "dist_y",
        };
        let expression = match self.kernel {
            Kernel::Gaussian => format!("{}*exp(-{d}**2/(2*{s}**2))", num(self.pmax)),
            Kernel::Exponential => format!("{}*exp(-{d}/{s})", num(self.pmax)),
        };
        format!(
            "# {}; NetPyNE distances in um\nnetParams.connParams['{pre}->{post}'] = {{'preConds': {{'pop': '{pre}'}}, 'postConds': {{'pop': '{post}'}}, 'probability': '{expression}'}}",
            self.describe(LengthUnit::Micrometre, "x, z; y is depth"),
            pre = self.pre_class,
            post = self.post_class,
        )
    }

    /// A Brian2 `Synapses.connect` call whose `p` is a string expression of the pre- and
    /// postsynaptic positions `x`, `y`, `z` (declared with unit `meter`), with the width
    /// in `umetre`.
    pub fn to_brian2(&self) -> String {
        let s = num(self.scale_m * 1e6);
        let squared = match self.distance_measure {
            DistanceMeasure::Distance3d => {
                "(x_pre-x_post)**2 + (y_pre-y_post)**2 + (z_pre-z_post)**2"
            }
            DistanceMeasure::Lateral => "(x_pre-x_post)**2 + (y_pre-y_post)**2",
            DistanceMeasure::Vertical => "(z_pre-z_post)**2",
        };
        let expression = match self.kernel {
            Kernel::Gaussian => format!("{}*exp(-({squared})/(2*({s}*umetre)**2))", num(self.pmax)),
            Kernel::Exponential => format!("{}*exp(-sqrt({squared})/({s}*umetre))", num(self.pmax)),
        };
        format!(
            "# {}; Brian2 positions x, y, z in meter\nS.connect(p='{expression}')",
            self.describe(LengthUnit::Micrometre, "x, y; z is depth")
        )
    }
}

/// The header of [`sonata_edge_types`].
pub const SONATA_EDGE_TYPE_COLUMNS: &str = "edge_type_id source_query target_query connection_kernel distance_measure pmax pmax_unclamped scale_um";

/// A SONATA edge-types CSV (space-separated, fields quoted) with one row per rule:
/// `edge_type_id` (from `first_id` up), node queries on `pop_name`, and the rule's
/// kernel (`gaussian` / `exponential`), distance measure, pmax and width in µm as
/// edge-type attributes for a network builder to apply.
pub fn sonata_edge_types(rules: &[ConnectionRule], first_id: u64) -> String {
    let mut out = String::from(SONATA_EDGE_TYPE_COLUMNS);
    out.push('\n');
    for (i, rule) in rules.iter().enumerate() {
        let measure = match rule.distance_measure {
            DistanceMeasure::Distance3d => "distance_3d",
            DistanceMeasure::Lateral => "lateral",
            DistanceMeasure::Vertical => "vertical",
        };
        out.push_str(&format!(
            "{} \"pop_name=='{}'\" \"pop_name=='{}'\" {} {measure} {} {} {}\n",
            first_id + i as u64,
            rule.pre_class.replace('"', "\"\""),
            rule.post_class.replace('"', "\"\""),
            rule.kernel.name(),
            num(rule.pmax),
            num(rule.unclamped_pmax),
            num(rule.scale_m * 1e6),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kernel: Kernel, measure: DistanceMeasure, pmax: f64) -> ConnectionRule {
        ConnectionRule {
            pre_class: "pyr".into(),
            post_class: "pvalb".into(),
            kernel,
            pmax: pmax.min(1.0),
            unclamped_pmax: pmax,
            scale_m: 102e-6,
            distance_measure: measure,
        }
    }

    #[test]
    fn numbers_read_as_python_floats() {
        assert_eq!(num(102.00000000000001), "102.0");
        assert_eq!(num(0.14), "0.14");
        assert_eq!(num(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn every_output_names_its_kernel() {
        for kernel in [Kernel::Gaussian, Kernel::Exponential] {
            for measure in [
                DistanceMeasure::Lateral,
                DistanceMeasure::Distance3d,
                DistanceMeasure::Vertical,
            ] {
                let r = rule(kernel, measure, 1.3);
                let name = kernel_name(kernel);
                for text in [
                    r.to_nest(LengthUnit::Micrometre),
                    r.to_pynn(),
                    r.to_netpyne(),
                    r.to_brian2(),
                ] {
                    assert!(text.contains(&format!("{name} kernel")), "{text}");
                    assert!(text.contains("clamped from 1.3"), "{text}");
                }
                assert!(sonata_edge_types(&[r], 100).contains(kernel.name()));
            }
        }
    }

    #[test]
    fn vertical_rules_use_the_depth_axis_only() {
        let r = rule(Kernel::Gaussian, DistanceMeasure::Vertical, 0.2);
        assert!(
            r.to_nest(LengthUnit::Micrometre)
                .contains("nest.spatial.distance.z, std=102.0")
        );
        assert!(r.to_pynn().contains("axes='z'"));
        assert!(r.to_netpyne().contains("exp(-dist_y**2/(2*102.0**2))"));
        let brian = r.to_brian2();
        assert!(
            brian.contains("(z_pre-z_post)**2") && !brian.contains("x_pre"),
            "{brian}"
        );
        assert!(sonata_edge_types(&[r], 0).contains(" vertical "));
    }
}
