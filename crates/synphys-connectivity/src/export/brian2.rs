//! Brian2: one `Synapses` object per projection, connected with a string probability.

use std::fmt::Write as _;

use crate::error::Result;
use crate::models::Kernel;
use crate::summary::DistanceMeasure;

use super::python::{describe, float, projection_table, string};
use super::{Projection, Simulator, header};

const DOC: &str = r#"

`connect(groups, model='w : volt', on_pre='v_post += w')` creates one Synapses object per
projection between the NeuronGroups in `groups` (a dict keyed by class name), connects
them with a distance-dependent probability (no self-connections within a group) and
returns them in the order of PROJECTIONS; add them to your Network. The groups need
positions x, y (and z for 3-D or vertical rules; z is depth) with unit metre.
Weight: w = the median PSP amplitude, signed (negative = inhibitory), in mV; `model` must
declare w with unit volt. Delay: the median latency. Unknown values are left unset.
"""

from brian2 import Synapses, mV, ms, umetre

"#;

pub(super) fn module(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::Brian2;
    let mut out = header("Connections between synphys cell classes for Brian2.");
    out.push_str(DOC);
    out.push_str(&projection_table(projections, sim)?);
    out.push_str("\n\ndef connect(groups, model='w : volt', on_pre='v_post += w'):\n");
    out.push_str("    \"\"\"Connect the groups (see the module docstring).\"\"\"\n");
    out.push_str("    synapses = []\n");
    for p in projections {
        let r = &p.rule;
        let squared = match r.distance_measure {
            DistanceMeasure::Distance3d => {
                "(x_pre - x_post)**2 + (y_pre - y_post)**2 + (z_pre - z_post)**2"
            }
            DistanceMeasure::Lateral => "(x_pre - x_post)**2 + (y_pre - y_post)**2",
            DistanceMeasure::Vertical => "(z_pre - z_post)**2",
        };
        let distance = match r.distance_measure {
            DistanceMeasure::Vertical => "abs(z_pre - z_post)".to_string(),
            _ => format!("sqrt({squared})"),
        };
        let s = float(r.scale_m * 1e6);
        let probability = match r.kernel {
            Kernel::Gaussian => format!(
                "{} * exp(-({squared}) / (2 * ({s} * umetre)**2))",
                float(r.pmax)
            ),
            Kernel::Exponential => format!("{} * exp(-{distance} / ({s} * umetre))", float(r.pmax)),
        };
        let _ = write!(
            out,
            "    {}\n    pre, post = groups[{}], groups[{}]\n    synapses_ = Synapses(pre, post, model=model, on_pre=on_pre)\n    synapses_.connect(condition='i != j' if pre is post else None, p='{probability}')\n",
            describe(p, sim)?,
            string(&r.pre_class, sim)?,
            string(&r.post_class, sim)?,
        );
        if let Some(v) = p.psp_amplitude_v {
            let _ = writeln!(out, "    synapses_.w = {} * mV", float(v * 1e3));
        }
        if let Some(s) = p.latency_s {
            let _ = writeln!(out, "    synapses_.delay = {} * ms", float(s * 1e3));
        }
        out.push_str("    synapses.append(synapses_)\n");
    }
    out.push_str("    return synapses\n");
    Ok(out)
}
