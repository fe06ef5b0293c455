//! NetPyNE: `netParams.connParams` entries with string-function probabilities.

use std::fmt::Write as _;

use crate::error::Result;
use crate::models::Kernel;
use crate::summary::DistanceMeasure;

use super::python::{describe, float, projection_table, string};
use super::{Projection, Simulator, header};

const DOC: &str = r#"

`conn_params` holds one netParams.connParams entry per projection, keyed 'pre->post',
selecting populations by 'pop' (the class name). Probabilities are string functions of
NetPyNE's distances in um: dist_2D (the x-z plane; NetPyNE's y is depth) for lateral
rules, dist_3D for 3-D rules, dist_y for vertical rules.
Weight: the magnitude of the median PSP amplitude in mV, with synMech 'exc' or 'inh' by
its sign (syn_mech_params has default Exp2Syn mechanisms of those names); scale it to your
synapse's weight unit. Delay: the median latency in ms. Unknown values keep NetPyNE's
defaults. `add_to(net_params, weight_scale=1.0)` adds both to a specs.NetParams, keeping
mechanisms of the same name that are already defined.
"""

syn_mech_params = {
    'exc': {'mod': 'Exp2Syn', 'tau1': 0.1, 'tau2': 5.0, 'e': 0.0},
    'inh': {'mod': 'Exp2Syn', 'tau1': 0.1, 'tau2': 10.0, 'e': -80.0},
}

"#;

const ADD_TO: &str = r#"

def add_to(net_params, weight_scale=1.0):
    """Add syn_mech_params (where missing) and conn_params to a NetPyNE NetParams."""
    for label, mech in syn_mech_params.items():
        if label not in net_params.synMechParams:
            net_params.synMechParams[label] = dict(mech)
    for label, conn in conn_params.items():
        conn = dict(conn)
        if 'weight' in conn:
            conn['weight'] = conn['weight'] * weight_scale
        net_params.connParams[label] = conn
"#;

pub(super) fn module(projections: &[Projection]) -> Result<String> {
    let sim = Simulator::NetPyNE;
    let mut out = header("Connections between synphys cell classes for NetPyNE.");
    out.push_str(DOC);
    out.push_str(&projection_table(projections, sim)?);
    out.push_str("\nconn_params = {\n");
    for p in projections {
        let r = &p.rule;
        let d = match r.distance_measure {
            DistanceMeasure::Distance3d => "dist_3D",
            DistanceMeasure::Lateral => "dist_2D",
            DistanceMeasure::Vertical => "dist_y",
        };
        let s = float(r.scale_m * 1e6);
        let probability = match r.kernel {
            Kernel::Gaussian => format!("{}*exp(-{d}**2/(2*{s}**2))", float(r.pmax)),
            Kernel::Exponential => format!("{}*exp(-{d}/{s})", float(r.pmax)),
        };
        let mut entry = vec![
            format!("'preConds': {{'pop': {}}}", string(&r.pre_class, sim)?),
            format!("'postConds': {{'pop': {}}}", string(&r.post_class, sim)?),
            format!("'probability': '{probability}'"),
        ];
        if let Some(v) = p.psp_amplitude_v {
            entry.push(format!("'weight': {}", float((v * 1e3).abs())));
            entry.push(format!(
                "'synMech': '{}'",
                if v < 0.0 { "inh" } else { "exc" }
            ));
        }
        if let Some(s) = p.latency_s {
            entry.push(format!("'delay': {}", float(s * 1e3)));
        }
        let label = format!("{}->{}", r.pre_class, r.post_class);
        let _ = write!(
            out,
            "    {}\n    {}: {{{}}},\n",
            describe(p, sim)?,
            string(&label, sim)?,
            entry.join(", "),
        );
    }
    out.push_str("}\n");
    out.push_str(ADD_TO);
    Ok(out)
}
