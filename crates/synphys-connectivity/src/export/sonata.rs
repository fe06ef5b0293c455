//! SONATA edge types (CSV) and the bmtk `NetworkBuilder` module that creates the edges.

use std::fmt::Write as _;

use crate::error::Result;

use super::python::{describe, float, kernel_name, measure_name, projection_table, string};
use super::{Projection, Simulator, header};

/// The header of the [`Simulator::Sonata`](super::Simulator::Sonata) edge-types CSV:
/// `edge_type_id` (from 100 up, bmtk's first id), bmtk node queries on `pop_name`, the
/// rule (kernel `gaussian`/`exponential`, distance measure `lateral`/`distance_3d`/
/// `vertical`, pmax, the unclamped pmax, the width in um), `syn_weight` (the signed
/// median PSP amplitude, mV) and `delay` (ms); `NULL` where unknown.
pub const SONATA_EDGE_TYPE_COLUMNS: &str = "edge_type_id source_query target_query connection_kernel distance_measure pmax pmax_unclamped scale_um syn_weight delay";

/// First `edge_type_id`, as bmtk numbers edge types.
const FIRST_EDGE_TYPE_ID: usize = 100;

/// A quoted CSV field: the text in double quotes, inner double quotes doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn or_null(v: Option<f64>) -> String {
    v.map_or_else(|| "NULL".to_string(), float)
}

pub(super) fn edge_types(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::Sonata;
    let mut out = String::from(SONATA_EDGE_TYPE_COLUMNS);
    out.push('\n');
    for (i, p) in projections.iter().enumerate() {
        let r = &p.rule;
        let _ = writeln!(
            out,
            "{} {} {} {} {} {} {} {} {} {}",
            FIRST_EDGE_TYPE_ID + i,
            quoted(&format!("pop_name=={}", string(&r.pre_class, sim)?)),
            quoted(&format!("pop_name=={}", string(&r.post_class, sim)?)),
            kernel_name(r.kernel),
            measure_name(r.distance_measure),
            float(r.pmax),
            float(r.unclamped_pmax),
            float(r.scale_m * 1e6),
            or_null(p.psp_amplitude_v.map(|v| v * 1e3)),
            or_null(p.latency_s.map(|s| s * 1e3)),
        );
    }
    Ok(out)
}

const DOC: &str = r#"

`add_edges(net, seed=0)` adds one edge type per projection to a bmtk NetworkBuilder whose
nodes carry `pop_name` (the class) and positions x, y (and z for 3-D or vertical rules;
z is depth) in um, and returns the edge-type objects in the order of PROJECTIONS.
`connection_rule` draws one Bernoulli trial per ordered pair of distinct nodes with
probability pmax * kernel(distance), from a random.Random seeded with `seed`.
syn_weight: the median PSP amplitude in mV, signed (negative = inhibitory); scale it to
your synapse model. delay: the median latency in ms. Unknown values are not set.
"""

import math
import random

"#;

const RULE: &str = r#"
_rng = random.Random(0)


def _distance_um(source, target, distance_measure):
    dx = source['x'] - target['x']
    dy = source['y'] - target['y']
    if distance_measure == 'lateral':
        return math.hypot(dx, dy)
    dz = source['z'] - target['z']
    if distance_measure == 'vertical':
        return abs(dz)
    return math.sqrt(dx * dx + dy * dy + dz * dz)


def connection_rule(source, target, kernel, distance_measure, pmax, scale_um):
    """1 synapse with probability pmax * kernel(d; scale_um), 0 for a node with itself."""
    if source.node_id == target.node_id:
        return 0
    d = _distance_um(source, target, distance_measure)
    if kernel == 'gaussian':
        p = pmax * math.exp(-d * d / (2.0 * scale_um * scale_um))
    else:
        p = pmax * math.exp(-d / scale_um)
    return 1 if _rng.random() < p else 0


def add_edges(net, seed=0):
    """Add the projections to `net` (see the module docstring)."""
    _rng.seed(seed)
    edges = []
"#;

pub(super) fn bmtk_builder(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::Sonata;
    let mut out = header("Connections between synphys cell classes for a bmtk NetworkBuilder.");
    out.push_str(DOC);
    out.push_str(&projection_table(projections, sim)?);
    out.push_str(RULE);
    for p in projections {
        let r = &p.rule;
        let mut extra = String::new();
        if let Some(v) = p.psp_amplitude_v {
            let _ = writeln!(extra, "        syn_weight={},", float(v * 1e3));
        }
        if let Some(s) = p.latency_s {
            let _ = writeln!(extra, "        delay={},", float(s * 1e3));
        }
        let _ = write!(
            out,
            "    {}\n    edges.append(net.add_edges(\n        source={{'pop_name': {}}},\n        target={{'pop_name': {}}},\n        connection_rule=connection_rule,\n        connection_params={{'kernel': '{}', 'distance_measure': '{}', 'pmax': {}, 'scale_um': {}}},\n{extra}    ))\n",
            describe(p, sim)?,
            string(&r.pre_class, sim)?,
            string(&r.post_class, sim)?,
            kernel_name(r.kernel),
            measure_name(r.distance_measure),
            float(r.pmax),
            float(r.scale_m * 1e6),
        );
    }
    out.push_str("    return edges\n");
    Ok(out)
}
