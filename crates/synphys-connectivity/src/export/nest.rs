//! NEST 3: `nest.Connect` with `pairwise_bernoulli` and a spatial probability per projection.

use std::fmt::Write as _;

use crate::error::Result;
use crate::models::Kernel;
use crate::summary::DistanceMeasure;

use super::python::{describe, float, projection_table, string};
use super::{Projection, Simulator, header};

const DOC: &str = r#"

`connect(populations, unit_per_m=1e6, weight_scale=1.0)` connects the spatial node
collections in `populations` (a dict keyed by class name, created with
`nest.Create(model, positions=...)`) with `pairwise_bernoulli` and no autapses.
Positions are in units of 1/unit_per_m metre (default um). Lateral rules use the x and y
displacements (2-D layers, or 3-D with z as depth); 3-D rules use nest.spatial.distance
(3-D layers); vertical rules use the z displacement (3-D layers).
Weight: the median PSP amplitude in mV times weight_scale, signed (negative =
inhibitory); scale it to your neuron model's weight unit. Delay: the median latency in ms,
at least the resolution (NEST's minimum delay). Unknown values keep NEST's defaults.
Returns nothing; PROJECTIONS lists what is connected.
"""

import nest

"#;

pub(super) fn module(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::Nest;
    let mut out = header("Connections between synphys cell classes for NEST 3.");
    out.push_str(DOC);
    out.push_str(&projection_table(projections, sim)?);
    out.push_str("\n\ndef connect(populations, unit_per_m=1e6, weight_scale=1.0):\n");
    out.push_str("    \"\"\"Connect the populations (see the module docstring).\"\"\"\n");
    out.push_str("    dx = nest.spatial.distance.x\n    dy = nest.spatial.distance.y\n");
    if projections.is_empty() {
        out.push_str("    return None\n");
    }
    for p in projections {
        let r = &p.rule;
        let s = format!("{} * unit_per_m", float(r.scale_m));
        let kernel = match (r.kernel, r.distance_measure) {
            (Kernel::Gaussian, DistanceMeasure::Lateral) => {
                format!("nest.spatial_distributions.gaussian2D(dx, dy, std_x={s}, std_y={s})")
            }
            (Kernel::Exponential, DistanceMeasure::Lateral) => format!(
                "nest.spatial_distributions.exponential((dx * dx + dy * dy) ** 0.5, beta={s})"
            ),
            (Kernel::Gaussian, DistanceMeasure::Distance3d) => {
                format!("nest.spatial_distributions.gaussian(nest.spatial.distance, std={s})")
            }
            (Kernel::Exponential, DistanceMeasure::Distance3d) => {
                format!("nest.spatial_distributions.exponential(nest.spatial.distance, beta={s})")
            }
            (Kernel::Gaussian, DistanceMeasure::Vertical) => {
                format!("nest.spatial_distributions.gaussian(nest.spatial.distance.z, std={s})")
            }
            (Kernel::Exponential, DistanceMeasure::Vertical) => format!(
                "nest.spatial_distributions.exponential(nest.math.max(nest.spatial.distance.z, -1.0 * nest.spatial.distance.z), beta={s})"
            ),
        };
        let mut syn = Vec::new();
        if let Some(v) = p.psp_amplitude_v {
            syn.push(format!("'weight': {} * weight_scale", float(v * 1e3)));
        }
        if let Some(s) = p.latency_s {
            syn.push(format!("'delay': max({}, nest.resolution)", float(s * 1e3)));
        }
        let _ = write!(
            out,
            "    {}\n    nest.Connect(\n        populations[{}],\n        populations[{}],\n        conn_spec={{'rule': 'pairwise_bernoulli', 'p': {} * {kernel}, 'allow_autapses': False}},\n        syn_spec={{{}}},\n    )\n",
            describe(p, sim)?,
            string(&r.pre_class, sim)?,
            string(&r.post_class, sim)?,
            float(r.pmax),
            syn.join(", "),
        );
    }
    Ok(out)
}
