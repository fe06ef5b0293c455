//! Drawing a connectome from connection rules, as a network builder does with priors.

use std::collections::HashMap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};
use crate::prior::ConnectionRule;
use crate::summary::DistanceMeasure;

/// A cell to be connected: its class and position (metres; z is cortical depth).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedCell {
    /// Class name, matching the rules' class names.
    pub class: String,
    /// Position `[x, y, z]` in metres, z the depth axis.
    pub position_m: [f64; 3],
}

/// A drawn connection between two cells (indices into the cell list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Connection {
    /// Presynaptic cell index.
    pub pre: usize,
    /// Postsynaptic cell index.
    pub post: usize,
}

/// Draws connections between `cells` from `rules` with a generator seeded by `seed`.
///
/// Every ordered pair of distinct cells whose classes have a rule is connected with the
/// rule's probability at their distance (lateral: in the x–y plane; 3-D: Euclidean);
/// class pairs without a rule are never connected. The same inputs and seed give the same
/// connectome. Connections come out ordered by presynaptic, then postsynaptic index.
pub fn sample_connectome(
    cells: &[PlacedCell],
    rules: &[ConnectionRule],
    seed: u64,
) -> Result<Vec<Connection>> {
    for (index, cell) in cells.iter().enumerate() {
        if let Some(&value) = cell.position_m.iter().find(|v| !v.is_finite()) {
            return Err(ErrorKind::InvalidObservation {
                what: "cell position_m",
                index,
                value,
                allowed: "positions must be finite (metres)",
            }
            .into());
        }
    }
    let mut by_classes: HashMap<(&str, &str), &ConnectionRule> = HashMap::new();
    for rule in rules {
        by_classes.insert((rule.pre_class.as_str(), rule.post_class.as_str()), rule);
    }
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut connections = Vec::new();
    for (i, pre) in cells.iter().enumerate() {
        for (j, post) in cells.iter().enumerate() {
            if i == j {
                continue;
            }
            let Some(rule) = by_classes.get(&(pre.class.as_str(), post.class.as_str())) else {
                continue;
            };
            let [dx, dy, dz] = [0, 1, 2].map(|k| pre.position_m[k] - post.position_m[k]);
            let d = match rule.distance_measure {
                DistanceMeasure::Lateral => dx.hypot(dy),
                DistanceMeasure::Distance3d => (dx * dx + dy * dy + dz * dz).sqrt(),
                DistanceMeasure::Vertical => dz.abs(),
            };
            if rng.random::<f64>() < rule.probability(d) {
                connections.push(Connection { pre: i, post: j });
            }
        }
    }
    Ok(connections)
}
