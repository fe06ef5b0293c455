//! PyNN 0.13: `sim.Projection` with a `DistanceDependentProbabilityConnector` per projection.

use std::fmt::Write as _;

use crate::error::Result;
use crate::models::Kernel;
use crate::summary::DistanceMeasure;

use super::python::{describe, float, projection_table, string};
use super::{Projection, Simulator, header};

const DOC: &str = r#"

`connect(populations, sim, weight_scale=1.0)` connects the populations in `populations`
(a dict keyed by class name; positions in um, PyNN's convention, z is depth) with a
DistanceDependentProbabilityConnector per projection and no self-connections, and returns
the sim.Projection objects in the order of PROJECTIONS. `sim` is the backend module
(e.g. pyNN.nest). Lateral rules measure d in the x-y plane (sim.Space(axes='xy')),
vertical rules along z.
Weight: the median PSP amplitude in mV times weight_scale, with receptor_type
'excitatory' or 'inhibitory' by its sign, kept signed on current-based synapses and made
positive on conductance-based ones (as PyNN requires); scale it to your cell type's
weight unit. Delay: the median latency in ms, at least sim.get_min_delay(). Unknown
values keep PyNN's defaults.
"""

"#;

const WEIGHT: &str = r#"

def _weight(psp_mv, post, weight_scale):
    # PyNN wants inhibitory weights negative on current-based synapses and positive on
    # conductance-based ones (the receptor type carries the sign there).
    weight = psp_mv * weight_scale
    return abs(weight) if post.conductance_based else weight
"#;

/// The connector's `d_expression` (d in um).
pub(super) fn d_expression(p: &Projection) -> String {
    let r = &p.rule;
    let s = float(r.scale_m * 1e6);
    match r.kernel {
        Kernel::Gaussian => format!("{}*exp(-d**2/(2*{s}**2))", float(r.pmax)),
        Kernel::Exponential => format!("{}*exp(-d/{s})", float(r.pmax)),
    }
}

pub(super) fn module(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::PyNN;
    let mut out = header("Connections between synphys cell classes for PyNN 0.13.");
    out.push_str(DOC);
    out.push_str(&projection_table(projections, sim)?);
    out.push_str(WEIGHT);
    out.push_str("\n\ndef connect(populations, sim, weight_scale=1.0):\n");
    out.push_str("    \"\"\"Connect the populations (see the module docstring).\"\"\"\n");
    out.push_str("    projections = []\n");
    for p in projections {
        let r = &p.rule;
        let axes = match r.distance_measure {
            DistanceMeasure::Distance3d => "xyz",
            DistanceMeasure::Lateral => "xy",
            DistanceMeasure::Vertical => "z",
        };
        let mut syn = Vec::new();
        if let Some(v) = p.psp_amplitude_v {
            syn.push(format!(
                "weight=_weight({}, post, weight_scale)",
                float(v * 1e3)
            ));
        }
        if let Some(s) = p.latency_s {
            syn.push(format!(
                "delay=max({}, sim.get_min_delay())",
                float(s * 1e3)
            ));
        }
        let receptor = if p.psp_amplitude_v.is_some_and(|v| v < 0.0) {
            "inhibitory"
        } else {
            "excitatory"
        };
        let _ = write!(
            out,
            "    {}\n    pre, post = populations[{}], populations[{}]\n    projections.append(sim.Projection(\n        pre,\n        post,\n        sim.DistanceDependentProbabilityConnector('{}', allow_self_connections=False),\n        sim.StaticSynapse({}),\n        receptor_type='{receptor}',\n        space=sim.Space(axes='{axes}'),\n    ))\n",
            describe(p, sim)?,
            string(&r.pre_class, sim)?,
            string(&r.post_class, sim)?,
            d_expression(p),
            syn.join(", "),
        );
    }
    out.push_str("    return projections\n");
    Ok(out)
}
