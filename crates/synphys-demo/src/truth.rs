//! The ground truth the demo is drawn from: parsed from `demo_truth.toml` and resolved
//! per class pair.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use synphys_connectivity::CorrectionFunction;
use synphys_release_model::{Param, ParamSpace, ReleaseParams};

use crate::error::{Error, ErrorKind, Result};

/// The truth file embedded in the crate (`src/demo_truth.toml`).
pub const EMBEDDED_TRUTH: &str = include_str!("demo_truth.toml");

/// The truth file version this crate reads.
pub const TRUTH_VERSION: u32 = 1;

/// A donor species of the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Species {
    /// Mouse (primary visual cortex).
    Mouse,
    /// Human (middle temporal gyrus, neurosurgical tissue).
    Human,
}

impl Species {
    /// The `slice.species` spelling: `"mouse"` or `"human"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Species::Mouse => "mouse",
            Species::Human => "human",
        }
    }
}

impl fmt::Display for Species {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Excitatory or inhibitory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CellType {
    /// Excitatory (`"ex"`).
    #[serde(rename = "ex")]
    Excitatory,
    /// Inhibitory (`"in"`).
    #[serde(rename = "in")]
    Inhibitory,
}

impl CellType {
    /// The database spelling: `"ex"` or `"in"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CellType::Excitatory => "ex",
            CellType::Inhibitory => "in",
        }
    }
}

/// The bias factors that multiply a pair's connection probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiasTruth {
    /// Presynaptic axons cut closer than this to the soma lower the probability (metres).
    pub axon_truncation_threshold_m: f64,
    /// The factor for such axons.
    pub axon_truncation_factor: f64,
    /// Midpoint of the erf over the mean depth of the pair in the slice (metres).
    pub pair_depth_midpoint_m: f64,
    /// Width of that erf (metres).
    pub pair_depth_width_m: f64,
    /// Midpoint of the erf over log10(√n_test_spikes / noise in volts).
    pub detection_power_midpoint: f64,
    /// Width of that erf.
    pub detection_power_width: f64,
}

/// Synapse properties of one (pre, post) E/I type pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDefaults {
    /// Bias-corrected peak connection probability.
    pub pmax: f64,
    /// σ of the Gaussian fall-off with lateral distance (metres).
    pub sigma_m: f64,
    /// Median spike-to-response latency (seconds).
    pub latency_s: f64,
    /// Median PSP rise time (seconds).
    pub rise_time_s: f64,
    /// Median PSP decay time constant (seconds).
    pub decay_tau_s: f64,
    /// Median magnitude of the resting PSP (volts; the sign comes from the pre type).
    pub psp_amplitude_v: f64,
    /// Name of the `[release.<name>]` parameter set.
    pub release: String,
}

/// `[defaults]`: the fallback of every class-pair field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// pmax factor for class pairs in different layers without a named entry.
    pub cross_layer_factor: f64,
    /// Coefficient of variation of latencies around their median.
    pub latency_cv: f64,
    /// Coefficient of variation of rise times and decay time constants.
    pub kinetics_cv: f64,
    /// Coefficient of variation of resting PSP amplitudes.
    pub amplitude_cv: f64,
    /// Excitatory → excitatory.
    pub ee: TypeDefaults,
    /// Excitatory → inhibitory.
    pub ei: TypeDefaults,
    /// Inhibitory → excitatory.
    pub ie: TypeDefaults,
    /// Inhibitory → inhibitory.
    pub ii: TypeDefaults,
}

/// One release-model parameter set (without mini amplitude and measurement noise, which
/// are per synapse).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseSet {
    /// Number of release sites.
    pub n_release_sites: u32,
    /// Release probability at rest.
    pub base_release_probability: f64,
    /// Coefficient of variation of the quantal size.
    pub mini_amplitude_cv: f64,
    /// Depression per spike (−1: vesicle depletion).
    pub depression_amount: f64,
    /// Recovery time constant of depression (seconds).
    pub depression_tau: f64,
    /// Facilitation per spike.
    pub facilitation_amount: f64,
    /// Decay time constant of facilitation (seconds).
    pub facilitation_tau: f64,
}

/// `[cells]`: per-cell draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellTruth {
    /// Median baseline noise of a cell's response amplitudes (volts).
    pub noise_median_v: f64,
    /// Coefficient of variation of that noise.
    pub noise_cv: f64,
    /// Shallowest cell body below the slice surface (metres).
    pub depth_min_m: f64,
    /// Deepest cell body below the slice surface (metres).
    pub depth_max_m: f64,
    /// σ of an experiment's cells around its centre, parallel to the pia (metres).
    pub lateral_scatter_m: f64,
    /// σ of an experiment's cells around the middle of the target layer (metres).
    pub vertical_scatter_m: f64,
    /// Fraction of cells whose axon is cut within `axon_truncation_max_m`.
    pub axon_truncated_fraction: f64,
    /// Largest distance of a cut (metres).
    pub axon_truncation_max_m: f64,
    /// Fraction of pairs with ≤ 10 test spikes.
    pub unprobed_fraction: f64,
}

/// `[gap_junctions]`: electrical coupling between inhibitory cells of one subclass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapJunctionTruth {
    /// σ of the Gaussian fall-off with lateral distance (metres).
    pub sigma_m: f64,
    /// Peak probability between two Pvalb cells.
    pub pvalb: f64,
    /// Peak probability between two Sst cells.
    pub sst: f64,
    /// Peak probability between two Vip cells.
    pub vip: f64,
}

impl GapJunctionTruth {
    /// Probability that two cells of subclasses `a` and `b`, `lateral_m` apart, are
    /// electrically coupled (0 unless both are the same inhibitory subclass).
    pub fn probability(&self, a: &str, b: &str, lateral_m: f64) -> f64 {
        let pmax = match (a, b) {
            ("pvalb", "pvalb") => self.pvalb,
            ("sst", "sst") => self.sst,
            ("vip", "vip") => self.vip,
            _ => 0.0,
        };
        pmax * (-lateral_m * lateral_m / (2.0 * self.sigma_m * self.sigma_m)).exp()
    }
}

/// `[polysynapse]`: chance of a polysynaptic connection in a probed pair without a
/// direct synapse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolysynapseTruth {
    /// Mouse probability.
    pub mouse: f64,
    /// Human probability.
    pub human: f64,
}

/// Layers, experiment counts and cell counts of one species.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeciesTruth {
    /// Experiments at the `Small` scale.
    pub experiments: usize,
    /// Mean number of experiments per slice.
    pub experiments_per_slice: f64,
    /// Fewest cells per experiment.
    pub cells_min: usize,
    /// Most cells per experiment.
    pub cells_max: usize,
    /// Shares of experiments with `cells_min`, `cells_min + 1`, … `cells_max` cells.
    pub cell_count_weights: Vec<f64>,
    /// Pia to white matter (metres).
    pub cortex_thickness_m: f64,
    /// `(layer, upper boundary depth from the pia in metres)`, top to bottom.
    pub layers: Vec<(String, f64)>,
    /// `(layer, share of experiments)`.
    pub target_layers: Vec<(String, f64)>,
}

impl SpeciesTruth {
    /// Upper and lower boundary of `layer` (metres from the pia).
    pub fn layer_bounds(&self, layer: &str) -> Option<(f64, f64)> {
        let i = self.layers.iter().position(|(name, _)| name == layer)?;
        let top = self.layers[i].1;
        let bottom = self
            .layers
            .get(i + 1)
            .map_or(self.cortex_thickness_m, |l| l.1);
        Some((top, bottom))
    }

    /// The layer at `depth_m` below the pia.
    pub fn layer_at(&self, depth_m: f64) -> &str {
        self.layers
            .iter()
            .rev()
            .find(|(_, top)| depth_m >= *top)
            .or(self.layers.first())
            .map_or("", |(name, _)| name.as_str())
    }
}

/// A mouse genotype: the reporters its cells can carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genotype {
    /// `slice.genotype`.
    pub name: String,
    /// Cre lines (DESIGN §5 names).
    pub cre: Vec<String>,
    /// Share of mouse experiments.
    pub weight: f64,
}

/// A cell class of the truth file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassTruth {
    /// Unique name, stored in `cell.meta` as `demo_class`.
    pub name: String,
    /// `cortical_cell_location.cortical_layer` of its cells.
    pub layer: String,
    /// Subclass (`pyr`, `et`, `it`, `pvalb`, `sst`, `vip`; human `ex`, `in`).
    pub subclass: String,
    /// Excitatory or inhibitory.
    #[serde(rename = "type")]
    pub cell_type: CellType,
    /// Cre lines (mouse): the class can be drawn when one is in the genotype, or always
    /// when the list holds `"unknown"`.
    #[serde(default)]
    pub cre: Vec<String>,
    /// Relative share among the classes that can be drawn.
    pub weight: f64,
}

/// One `[[class_pair]]` entry: fields set here override the defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPairEntry {
    /// Class name, subclass, type (`ex`/`in`) or `*`.
    pub pre: String,
    /// Class name, subclass, type (`ex`/`in`) or `*`.
    pub post: String,
    /// Restricts the entry to one species.
    pub species: Option<Species>,
    /// Bias-corrected peak connection probability.
    pub pmax: Option<f64>,
    /// σ of the lateral-distance Gaussian (metres).
    pub sigma_m: Option<f64>,
    /// Median latency (seconds).
    pub latency_s: Option<f64>,
    /// Median rise time (seconds).
    pub rise_time_s: Option<f64>,
    /// Median decay time constant (seconds).
    pub decay_tau_s: Option<f64>,
    /// Median resting PSP magnitude (volts).
    pub psp_amplitude_v: Option<f64>,
    /// Release parameter set name.
    pub release: Option<String>,
}

/// The ground truth of the demo database, as written in the truth file.
///
/// # Example
///
/// ```
/// use synphys_demo::{Species, Truth};
///
/// let truth = Truth::default();
/// let pair = truth.class_pair(Species::Mouse, "l23pyr", "l23pvalb")?;
/// assert_eq!(pair.pmax, 0.79);
/// assert!((pair.sigma_m - 102e-6).abs() < 1e-12);
/// # Ok::<(), synphys_demo::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// File format version ([`TRUTH_VERSION`]).
    pub version: u32,
    /// Bias factors.
    pub bias: BiasTruth,
    /// Fallbacks by E/I type.
    pub defaults: Defaults,
    /// Release-model parameter sets by name.
    pub release: BTreeMap<String, ReleaseSet>,
    /// Per-cell draws.
    pub cells: CellTruth,
    /// Gap junctions.
    pub gap_junctions: GapJunctionTruth,
    /// Polysynaptic connections.
    pub polysynapse: PolysynapseTruth,
    /// Mouse layers and counts.
    pub mouse: SpeciesTruth,
    /// Human layers and counts.
    pub human: SpeciesTruth,
    /// Mouse genotypes.
    pub mouse_genotype: Vec<Genotype>,
    /// Mouse cell classes.
    pub mouse_class: Vec<ClassTruth>,
    /// Human cell classes.
    pub human_class: Vec<ClassTruth>,
    /// Class-pair overrides.
    pub class_pair: Vec<ClassPairEntry>,
}

/// The resolved truth of one (pre class, post class) pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassPairTruth {
    /// Bias-corrected peak connection probability (after the cross-layer factor).
    pub pmax: f64,
    /// σ of the lateral-distance Gaussian (metres).
    pub sigma_m: f64,
    /// Median latency (seconds).
    pub latency_s: f64,
    /// Median rise time (seconds).
    pub rise_time_s: f64,
    /// Median decay time constant (seconds).
    pub decay_tau_s: f64,
    /// Median resting PSP magnitude (volts).
    pub psp_amplitude_v: f64,
    /// Release parameter set name.
    pub release_name: String,
    /// Release parameter set, snapped onto the default search grid.
    pub release: ReleaseSet,
    /// Type of the presynaptic class (the synapse type).
    pub pre_type: CellType,
}

/// What a connection test depends on besides the classes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairConditions {
    /// Lateral distance between the somata (metres).
    pub lateral_distance_m: f64,
    /// Where the presynaptic axon is cut (metres from the soma), if it is.
    pub pre_axon_trunc_distance_m: Option<f64>,
    /// Mean depth of the two somata below the slice surface (metres).
    pub mean_depth_m: f64,
    /// Test spikes of the presynaptic type.
    pub n_test_spikes: i64,
    /// Baseline noise of the postsynaptic cell (volts).
    pub post_noise_v: f64,
}

impl Default for Truth {
    /// The embedded truth file (`src/demo_truth.toml`).
    fn default() -> Truth {
        match Truth::from_toml(EMBEDDED_TRUTH) {
            Ok(truth) => truth,
            // The embedded file is checked by the crate's tests.
            Err(e) => unreachable!("the embedded demo truth file is invalid: {e}"),
        }
    }
}

impl Truth {
    /// Parses and checks a truth file.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Truth`] naming the key that is missing, unknown or invalid.
    pub fn from_toml(text: &str) -> Result<Truth> {
        let truth: Truth = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            let key = e
                .span()
                .map(|span| locate(text, span.start))
                .unwrap_or_else(|| "(file)".to_string());
            Error::truth(key, message)
        })?;
        truth.validate()?;
        Ok(truth)
    }

    fn validate(&self) -> Result<()> {
        if self.version != TRUTH_VERSION {
            return Err(Error::truth(
                "version",
                format!(
                    "version {} is not supported; this crate reads version {TRUTH_VERSION}",
                    self.version
                ),
            ));
        }
        for (name, d) in [
            ("ee", &self.defaults.ee),
            ("ei", &self.defaults.ei),
            ("ie", &self.defaults.ie),
            ("ii", &self.defaults.ii),
        ] {
            let key = format!("defaults.{name}");
            self.check_release(&format!("{key}.release"), &d.release)?;
            check_probability(&format!("{key}.pmax"), d.pmax)?;
            for (field, v) in [
                ("sigma_m", d.sigma_m),
                ("latency_s", d.latency_s),
                ("rise_time_s", d.rise_time_s),
                ("decay_tau_s", d.decay_tau_s),
                ("psp_amplitude_v", d.psp_amplitude_v),
            ] {
                check_positive(&format!("{key}.{field}"), v)?;
            }
        }
        for (name, set) in &self.release {
            release_params(set, 1e-4, 1e-4)
                .map_err(|e| Error::truth(format!("release.{name}"), e.to_string()))?;
        }
        for (i, entry) in self.class_pair.iter().enumerate() {
            let key = format!("class_pair[{i}]");
            if let Some(name) = &entry.release {
                self.check_release(&format!("{key}.release"), name)?;
            }
            if let Some(p) = entry.pmax {
                check_probability(&format!("{key}.pmax"), p)?;
            }
            for (side, pattern) in [("pre", &entry.pre), ("post", &entry.post)] {
                if !self.pattern_exists(pattern) {
                    return Err(Error::truth(
                        format!("{key}.{side}"),
                        format!("{pattern:?} is no class name, subclass, type (ex/in) or \"*\""),
                    ));
                }
            }
        }
        for (species, classes) in [
            ("mouse_class", &self.mouse_class),
            ("human_class", &self.human_class),
        ] {
            let sp = if species == "mouse_class" {
                &self.mouse
            } else {
                &self.human
            };
            for (i, class) in classes.iter().enumerate() {
                if sp.layer_bounds(&class.layer).is_none() {
                    return Err(Error::truth(
                        format!("{species}[{i}].layer"),
                        format!("layer {:?} is not in the species' layers", class.layer),
                    ));
                }
            }
        }
        for (species, sp) in [("mouse", &self.mouse), ("human", &self.human)] {
            if sp.cells_min < 2 || sp.cells_max < sp.cells_min || sp.cells_max > 8 {
                return Err(Error::truth(
                    format!("{species}.cells_min"),
                    "need 2 <= cells_min <= cells_max <= 8 (eight electrodes)",
                ));
            }
            if sp.cell_count_weights.len() != sp.cells_max - sp.cells_min + 1 {
                return Err(Error::truth(
                    format!("{species}.cell_count_weights"),
                    format!(
                        "{} weights given; one per cell count {}..={} is needed",
                        sp.cell_count_weights.len(),
                        sp.cells_min,
                        sp.cells_max
                    ),
                ));
            }
            for (i, (layer, _)) in sp.target_layers.iter().enumerate() {
                if sp.layer_bounds(layer).is_none() {
                    return Err(Error::truth(
                        format!("{species}.target_layers[{i}]"),
                        format!("layer {layer:?} is not in {species}.layers"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_release(&self, key: &str, name: &str) -> Result<()> {
        if self.release.contains_key(name) {
            Ok(())
        } else {
            let known: Vec<&str> = self.release.keys().map(String::as_str).collect();
            Err(Error::truth(
                key,
                format!("no [release.{name}]; defined: {}", known.join(", ")),
            ))
        }
    }

    fn pattern_exists(&self, pattern: &str) -> bool {
        matches!(pattern, "*" | "ex" | "in")
            || self
                .mouse_class
                .iter()
                .chain(&self.human_class)
                .any(|c| c.name == pattern || c.subclass == pattern)
    }

    /// The classes of a species.
    pub fn classes(&self, species: Species) -> &[ClassTruth] {
        match species {
            Species::Mouse => &self.mouse_class,
            Species::Human => &self.human_class,
        }
    }

    /// Layers and counts of a species.
    pub fn species(&self, species: Species) -> &SpeciesTruth {
        match species {
            Species::Mouse => &self.mouse,
            Species::Human => &self.human,
        }
    }

    /// The class named `name`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownClass`] listing the species' classes.
    pub fn class(&self, species: Species, name: &str) -> Result<&ClassTruth> {
        let classes = self.classes(species);
        classes.iter().find(|c| c.name == name).ok_or_else(|| {
            ErrorKind::UnknownClass {
                species: species.as_str(),
                name: name.to_string(),
                known: classes
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .into()
        })
    }

    /// The resolved truth of connections from class `pre` to class `post`.
    ///
    /// # Errors
    ///
    /// When a class is unknown.
    pub fn class_pair(&self, species: Species, pre: &str, post: &str) -> Result<ClassPairTruth> {
        let pre = self.class(species, pre)?;
        let post = self.class(species, post)?;
        Ok(self.resolve(species, pre, post))
    }

    pub(crate) fn resolve(
        &self,
        species: Species,
        pre: &ClassTruth,
        post: &ClassTruth,
    ) -> ClassPairTruth {
        let specificity = |pattern: &str, class: &ClassTruth| -> Option<u8> {
            if pattern == class.name {
                Some(3)
            } else if pattern == class.subclass {
                Some(2)
            } else if pattern == class.cell_type.as_str() {
                Some(1)
            } else if pattern == "*" {
                Some(0)
            } else {
                None
            }
        };
        // Matching entries, most specific first (stable: file order breaks ties).
        let mut matching: Vec<(u8, &ClassPairEntry)> = self
            .class_pair
            .iter()
            .filter(|e| e.species.is_none_or(|s| s == species))
            .filter_map(|e| {
                let a = specificity(&e.pre, pre)?;
                let b = specificity(&e.post, post)?;
                Some((a + b, e))
            })
            .collect();
        matching.sort_by_key(|m| std::cmp::Reverse(m.0));
        let defaults = match (pre.cell_type, post.cell_type) {
            (CellType::Excitatory, CellType::Excitatory) => &self.defaults.ee,
            (CellType::Excitatory, CellType::Inhibitory) => &self.defaults.ei,
            (CellType::Inhibitory, CellType::Excitatory) => &self.defaults.ie,
            (CellType::Inhibitory, CellType::Inhibitory) => &self.defaults.ii,
        };
        let pick = |field: fn(&ClassPairEntry) -> Option<f64>, default: f64| {
            matching
                .iter()
                .find_map(|(_, e)| field(e))
                .unwrap_or(default)
        };
        let named_pmax = matching
            .iter()
            .find(|(_, e)| e.pmax.is_some())
            .is_some_and(|(score, _)| *score == 6);
        let mut pmax = pick(|e| e.pmax, defaults.pmax);
        if !named_pmax && pre.layer != post.layer {
            pmax *= self.defaults.cross_layer_factor;
        }
        let release_name = matching
            .iter()
            .find_map(|(_, e)| e.release.clone())
            .unwrap_or_else(|| defaults.release.clone());
        // Names were checked in `validate`.
        let release = self
            .release
            .get(&release_name)
            .map(snap_to_grid)
            .unwrap_or_else(|| snap_to_grid(&self.release_fallback()));
        ClassPairTruth {
            pmax,
            sigma_m: pick(|e| e.sigma_m, defaults.sigma_m),
            latency_s: pick(|e| e.latency_s, defaults.latency_s),
            rise_time_s: pick(|e| e.rise_time_s, defaults.rise_time_s),
            decay_tau_s: pick(|e| e.decay_tau_s, defaults.decay_tau_s),
            psp_amplitude_v: pick(|e| e.psp_amplitude_v, defaults.psp_amplitude_v),
            release_name,
            release,
            pre_type: pre.cell_type,
        }
    }

    fn release_fallback(&self) -> ReleaseSet {
        ReleaseSet {
            n_release_sites: 1,
            base_release_probability: 0.5,
            mini_amplitude_cv: 0.2512,
            depression_amount: 0.0,
            depression_tau: 0.1,
            facilitation_amount: 0.0,
            facilitation_tau: 0.1,
        }
    }

    /// The product of the bias factors for one pair (1 when nothing lowers it).
    pub fn bias_factor(&self, conditions: &PairConditions) -> f64 {
        let b = &self.bias;
        let axon = match conditions.pre_axon_trunc_distance_m {
            Some(d) => CorrectionFunction::BinaryStep {
                threshold: b.axon_truncation_threshold_m,
                adjustment: b.axon_truncation_factor,
            }
            .factor(d),
            None => 1.0,
        };
        let depth = CorrectionFunction::Erf {
            width: b.pair_depth_width_m,
            midpoint: b.pair_depth_midpoint_m,
        }
        .factor(conditions.mean_depth_m);
        let power = detection_power(conditions.n_test_spikes, conditions.post_noise_v);
        let detection = CorrectionFunction::Erf {
            width: b.detection_power_width,
            midpoint: b.detection_power_midpoint,
        }
        .factor(power);
        axon * depth * detection
    }

    /// The probability that a probed pair of these classes is found connected:
    /// pmax × Gaussian(lateral distance) × bias factors.
    pub fn connection_probability(
        &self,
        pair: &ClassPairTruth,
        conditions: &PairConditions,
    ) -> f64 {
        let x = conditions.lateral_distance_m;
        let gauss = (-x * x / (2.0 * pair.sigma_m * pair.sigma_m)).exp();
        (pair.pmax * gauss * self.bias_factor(conditions)).clamp(0.0, 1.0)
    }
}

/// log10(√n / noise): the detection-power variable of the bias model (noise in volts).
pub fn detection_power(n_test_spikes: i64, noise_v: f64) -> f64 {
    ((n_test_spikes.max(0) as f64).sqrt() / noise_v).log10()
}

/// The release-model parameters of a set with a synapse's mini amplitude and noise.
pub(crate) fn release_params(
    set: &ReleaseSet,
    mini_amplitude_v: f64,
    measurement_stdev_v: f64,
) -> Result<ReleaseParams> {
    Ok(ReleaseParams::builder()
        .n_release_sites(set.n_release_sites)
        .base_release_probability(set.base_release_probability)
        .mini_amplitude(mini_amplitude_v)
        .mini_amplitude_cv(set.mini_amplitude_cv)
        .depression_amount(set.depression_amount)
        .depression_tau(set.depression_tau)
        .facilitation_amount(set.facilitation_amount)
        .facilitation_tau(set.facilitation_tau)
        .measurement_stdev(measurement_stdev_v)
        .build()?)
}

/// The set with every parameter moved to the nearest value of the default search grid.
fn snap_to_grid(set: &ReleaseSet) -> ReleaseSet {
    let Ok(grid) = ParamSpace::default_grid(1e-4) else {
        return set.clone();
    };
    let snap = |param: Param, v: f64| -> f64 {
        grid.axis(param).map_or(v, |axis| {
            axis.values
                .iter()
                .copied()
                .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
                .unwrap_or(v)
        })
    };
    ReleaseSet {
        n_release_sites: snap(Param::NReleaseSites, f64::from(set.n_release_sites)) as u32,
        base_release_probability: snap(Param::BaseReleaseProbability, set.base_release_probability),
        mini_amplitude_cv: snap(Param::MiniAmplitudeCv, set.mini_amplitude_cv),
        depression_amount: snap(Param::DepressionAmount, set.depression_amount),
        depression_tau: snap(Param::DepressionTau, set.depression_tau),
        facilitation_amount: snap(Param::FacilitationAmount, set.facilitation_amount),
        facilitation_tau: snap(Param::FacilitationTau, set.facilitation_tau),
    }
}

fn check_probability(key: &str, p: f64) -> Result<()> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(Error::truth(
            key,
            format!("{p} is not a probability in [0, 1]"),
        ))
    }
}

fn check_positive(key: &str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::truth(key, format!("{v} must be finite and > 0")))
    }
}

/// "line L" of a byte offset, for parse errors without a key path.
fn locate(text: &str, offset: usize) -> String {
    let line = text[..offset.min(text.len())].matches('\n').count() + 1;
    let content = text.lines().nth(line - 1).unwrap_or("").trim();
    format!("line {line} ({content})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_truth_parses_and_resolves_every_class_pair() {
        let truth = Truth::from_toml(EMBEDDED_TRUTH).unwrap();
        assert_eq!(truth.version, TRUTH_VERSION);
        for species in [Species::Mouse, Species::Human] {
            for a in truth.classes(species) {
                for b in truth.classes(species) {
                    let p = truth.class_pair(species, &a.name, &b.name).unwrap();
                    assert!((0.0..=1.0).contains(&p.pmax), "{} → {}", a.name, b.name);
                    assert!(p.sigma_m > 0.0 && p.psp_amplitude_v > 0.0);
                }
            }
        }
    }

    #[test]
    fn most_specific_entry_wins_per_field() {
        let truth = Truth::default();
        // pmax from the named entry, release from the subclass entry (ex → sst).
        let p = truth
            .class_pair(Species::Mouse, "l23pyr", "l23sst")
            .unwrap();
        assert_eq!(p.pmax, 0.77);
        assert_eq!(p.release_name, "facilitating");
        assert_eq!(p.latency_s, 1.55e-3);
        // Not listed: E→I defaults, halved across layers.
        let q = truth
            .class_pair(Species::Mouse, "l5et", "l23pvalb")
            .unwrap();
        assert_eq!(
            q.pmax,
            truth.defaults.ei.pmax * truth.defaults.cross_layer_factor
        );
        assert_eq!(q.latency_s, truth.defaults.ei.latency_s);
        // Species-restricted entries do not leak into mouse.
        let h = truth.class_pair(Species::Human, "h6ex", "h6ex").unwrap();
        assert_eq!(h.release_name, "human_published");
        let m = truth.class_pair(Species::Mouse, "l6pyr", "l6pyr").unwrap();
        assert_eq!(m.release_name, "depressing");
    }

    #[test]
    fn release_sets_are_on_the_default_grid() {
        let truth = Truth::default();
        let grid = ParamSpace::default_grid(1e-4).unwrap();
        let p = truth.class_pair(Species::Human, "h3ex", "h3ex").unwrap();
        let on = |param: Param, v: f64| grid.axis(param).unwrap().values.contains(&v);
        assert!(on(
            Param::BaseReleaseProbability,
            p.release.base_release_probability
        ));
        assert!(on(Param::DepressionTau, p.release.depression_tau));
        assert!(on(Param::FacilitationTau, p.release.facilitation_tau));
        assert!(on(Param::MiniAmplitudeCv, p.release.mini_amplitude_cv));
        assert!((p.release.base_release_probability - 0.7627).abs() < 1e-3);
    }

    #[test]
    fn errors_name_the_key() {
        let bad = EMBEDDED_TRUTH.replace("version = 1", "version = 7");
        let err = Truth::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("version") && err.contains('7'), "{err}");

        let bad = EMBEDDED_TRUTH.replace("release = \"weak\"", "release = \"wek\"");
        let err = Truth::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("class_pair[") && err.contains("wek"), "{err}");

        let bad = EMBEDDED_TRUTH.replace(
            "pmax = 0.79\nlatency_s = 1.35e-3",
            "pmax = 1.79\nlatency_s = 1.35e-3",
        );
        let err = Truth::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("pmax") && err.contains("1.79"), "{err}");

        let bad = EMBEDDED_TRUTH.replace("sigma_m = 75e-6", "sigma_mm = 75e-6");
        let err = Truth::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("sigma_mm"), "{err}");
    }

    #[test]
    fn bias_factors_follow_the_truth_file() {
        let truth = Truth::default();
        let good = PairConditions {
            lateral_distance_m: 0.0,
            pre_axon_trunc_distance_m: None,
            mean_depth_m: 1.0,
            n_test_spikes: 1_000_000,
            post_noise_v: 1e-6,
        };
        assert!((truth.bias_factor(&good) - 1.0).abs() < 1e-9);
        let cut = PairConditions {
            pre_axon_trunc_distance_m: Some(100e-6),
            ..good
        };
        assert!((truth.bias_factor(&cut) - truth.bias.axon_truncation_factor).abs() < 1e-9);
        let shallow = PairConditions {
            mean_depth_m: truth.bias.pair_depth_midpoint_m,
            ..good
        };
        assert!((truth.bias_factor(&shallow) - 0.5).abs() < 1e-9);
    }
}
