//! Whole network files for simulators: one [`Projection`] per class pair in, a file the
//! simulator loads out.
//!
//! Every Python export is a module with a `PROJECTIONS` table (the rules in SI units, the
//! synapse in mV and ms) and a function that builds the connections. Names are written as
//! escaped ASCII string literals; a name no format can carry is an error naming the class.

mod brian2;
mod nest;
mod netpyne;
mod pynn;
mod python;
mod sonata;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::prior::ConnectionRule;

pub use sonata::SONATA_EDGE_TYPE_COLUMNS;

/// One class-pair projection for a simulator: the connection rule plus (optionally) the synapse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Connection probability as a function of distance.
    pub rule: ConnectionRule,
    /// Signed weight as the median PSP amplitude, volts (negative = inhibitory). None: unknown.
    pub psp_amplitude_v: Option<f64>,
    /// Synaptic delay as the median onset latency, seconds. None: unknown.
    pub latency_s: Option<f64>,
}

impl Projection {
    /// A projection with the connection rule only (weight and delay unknown: the
    /// simulator's defaults apply).
    pub fn new(rule: ConnectionRule) -> Projection {
        Projection {
            rule,
            psp_amplitude_v: None,
            latency_s: None,
        }
    }

    /// With the signed PSP amplitude in volts (negative = inhibitory).
    pub fn psp_amplitude_v(mut self, v: f64) -> Projection {
        self.psp_amplitude_v = Some(v);
        self
    }

    /// With the synaptic delay in seconds.
    pub fn latency_s(mut self, s: f64) -> Projection {
        self.latency_s = Some(s);
        self
    }

    fn check(&self) -> Result<()> {
        let r = &self.rule;
        crate::error::check_range("pmax", r.pmax, 0.0, 1.0, "finite and in [0, 1]")?;
        crate::error::check_range(
            "unclamped_pmax",
            r.unclamped_pmax,
            0.0,
            f64::MAX,
            "finite and >= 0",
        )?;
        crate::error::check_positive("scale_m", r.scale_m)?;
        if let Some(v) = self.psp_amplitude_v {
            crate::error::check_range("psp_amplitude_v", v, f64::MIN, f64::MAX, "finite")?;
        }
        if let Some(s) = self.latency_s {
            crate::error::check_range("latency_s", s, 0.0, f64::MAX, "finite and >= 0")?;
        }
        Ok(())
    }
}

/// A simulator (or file format) [`export_network`] writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Simulator {
    /// NEST 3: a Python module with `connect(populations, unit_per_m=1e6, weight_scale=1.0)`.
    Nest,
    /// PyNN 0.13: a Python module with `connect(populations, sim, weight_scale=1.0)`.
    PyNN,
    /// NetPyNE: a Python module with a `conn_params` dict and `add_to(net_params)`.
    NetPyNE,
    /// Brian2: a Python module with `connect(groups, model=..., on_pre=...)`.
    Brian2,
    /// SONATA edge types (CSV, space-separated) for bmtk; see also [`export_bmtk_builder`].
    Sonata,
}

impl Simulator {
    /// Every simulator, in a fixed order.
    pub fn all() -> [Simulator; 5] {
        [
            Simulator::Nest,
            Simulator::PyNN,
            Simulator::NetPyNE,
            Simulator::Brian2,
            Simulator::Sonata,
        ]
    }

    /// Lower-case name (`nest`, `pynn`, `netpyne`, `brian2`, `sonata`), as parsed by `FromStr`.
    pub fn name(self) -> &'static str {
        match self {
            Simulator::Nest => "nest",
            Simulator::PyNN => "pynn",
            Simulator::NetPyNE => "netpyne",
            Simulator::Brian2 => "brian2",
            Simulator::Sonata => "sonata",
        }
    }

    /// Extension of the file [`export_network`] writes, without the dot (`py` or `csv`).
    pub fn file_extension(self) -> &'static str {
        match self {
            Simulator::Sonata => "csv",
            _ => "py",
        }
    }
}

impl fmt::Display for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Simulator {
    type Err = Error;

    fn from_str(s: &str) -> Result<Simulator> {
        Simulator::all()
            .into_iter()
            .find(|sim| sim.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ErrorKind::UnknownSimulator {
                    name: s.to_string(),
                }
                .into()
            })
    }
}

/// A whole, loadable file for the simulator (Python module, or CSV for SONATA edge types).
///
/// Conventions, the same in every format: lengths in µm where the simulator has no unit
/// system (PyNN, NetPyNE, bmtk) or in `umetre` (Brian2); NEST takes `unit_per_m`. The weight
/// is the median PSP amplitude in mV, as measured: scale it to your neuron model's weight
/// unit (NEST and PyNN take a `weight_scale` factor). NEST, Brian2 and SONATA keep its sign;
/// PyNN gets the sign also as the receptor type (`excitatory`/`inhibitory`) and keeps it on
/// current-based synapses, positive on conductance-based ones, as PyNN requires; NetPyNE
/// gets a positive weight and the sign as the synaptic mechanism (`exc`/`inh`). The delay is the median
/// latency in ms (at least the simulator's minimum delay in NEST and PyNN). An unknown weight
/// or delay is left to the simulator's default. Self-connections are excluded.
///
/// Errors: a rule with pmax outside [0, 1], a width that is not positive, a non-finite
/// weight or negative delay ([`ErrorKind::InvalidParameter`]), or a class name the format
/// cannot carry ([`ErrorKind::UnrepresentableName`], naming the class).
pub fn export_network(projections: &[Projection], simulator: Simulator) -> Result<String> {
    for p in projections {
        p.check()?;
    }
    match simulator {
        Simulator::Nest => nest::module(projections),
        Simulator::PyNN => pynn::module(projections),
        Simulator::NetPyNE => netpyne::module(projections),
        Simulator::Brian2 => brian2::module(projections),
        Simulator::Sonata => sonata::edge_types(projections),
    }
}

/// A Python module for the bmtk `NetworkBuilder` that adds the projections as edges, with
/// a distance-dependent `connection_rule`: `add_edges(net, seed=0)`. Nodes need `pop_name`
/// (the class) and positions `x`, `y` (and `z` for 3-D or vertical rules) in µm. The edge
/// types carry `syn_weight` (signed PSP amplitude, mV) and `delay` (ms) like the
/// [`Simulator::Sonata`] CSV.
pub fn export_bmtk_builder(projections: &[Projection]) -> Result<String> {
    for p in projections {
        p.check()?;
    }
    sonata::bmtk_builder(projections)
}

/// The module docstring's first line and the synphys version that wrote it.
fn header(what: &str) -> String {
    format!(
        "\"\"\"{what}\n\nGenerated by synphys-connectivity {}.",
        env!("CARGO_PKG_VERSION")
    )
}
