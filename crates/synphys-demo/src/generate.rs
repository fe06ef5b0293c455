//! Drawing the dataset: slices, experiments, cells and their annotations, pairs,
//! connections and synapse rows, all in memory as typed rows.

use chrono::{DateTime, NaiveDateTime, TimeDelta};
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;
use serde_json::json;
use synphys_schema::{
    Cell, Conductance, CorticalCellLocation, Experiment, GapJunction, Intrinsic, Morphology, Pair,
    PatchSeq, PolySynapse, RestingStateFit, Schema, Slice, Synapse, TableRow, Value,
};

use crate::config::{DemoConfig, DemoSummary, Progress, Scale, Stage};
use crate::draw::{chance, int, lognormal, normal, pick, uniform, weighted};
use crate::error::Result;
use crate::events::EventPair;
use crate::sqlite::GenericRow;
use crate::truth::{CellType, ClassPairTruth, ClassTruth, PairConditions, Species, Truth};

/// The standard multipatch projects (DESIGN §4) and the extra one.
pub(crate) const MOUSE_PROJECTS: [&str; 2] = ["mouse V1 coarse matrix", "mouse V1 pre-production"];
pub(crate) const HUMAN_PROJECT: &str = "human coarse matrix";
pub(crate) const OTHER_PROJECT: &str = "mouse V1 opto";

/// Unix time of the first experiment's day (2016-10-03).
const FIRST_EXPERIMENT_UNIX_S: f64 = 1_475_481_600.0;

/// A synapse whose events are simulated for its dynamics (and maybe per-event rows).
#[derive(Debug, Clone)]
pub(crate) struct SynapseJob {
    /// Where the synapse sits: pair, cells, electrodes, experiment start.
    pub(crate) place: EventPair,
    /// +1 excitatory, −1 inhibitory.
    pub(crate) sign: f64,
    /// Quantal size (volts, > 0): the drawn resting PSP magnitude / (n × Pr).
    pub(crate) mini_amplitude_v: f64,
    /// Baseline noise of the postsynaptic cell (volts): the measurement noise.
    pub(crate) noise_v: f64,
    /// Drawn latency (seconds).
    pub(crate) latency_s: f64,
    /// The class pair's resolved truth (release set, medians).
    pub(crate) truth: ClassPairTruth,
}

/// Every drawn row, in id order per table.
#[derive(Debug, Default)]
pub(crate) struct Dataset {
    pub(crate) slices: Vec<Slice>,
    pub(crate) experiments: Vec<Experiment>,
    pub(crate) cortical_sites: Vec<GenericRow>,
    pub(crate) electrodes: Vec<GenericRow>,
    pub(crate) cells: Vec<Cell>,
    pub(crate) morphologies: Vec<Morphology>,
    pub(crate) locations: Vec<CorticalCellLocation>,
    pub(crate) intrinsics: Vec<Intrinsic>,
    pub(crate) patch_seqs: Vec<PatchSeq>,
    pub(crate) pairs: Vec<Pair>,
    pub(crate) synapses: Vec<Synapse>,
    pub(crate) poly_synapses: Vec<PolySynapse>,
    pub(crate) resting_state_fits: Vec<RestingStateFit>,
    pub(crate) conductances: Vec<Conductance>,
    pub(crate) gap_junctions: Vec<GapJunction>,
    pub(crate) jobs: Vec<SynapseJob>,
    pub(crate) summary: DemoSummary,
}

/// A row of `T` with its id and every other column null.
pub(crate) fn blank<T: TableRow>(id: i64) -> Result<T> {
    let mut values = vec![Value::Null; T::COLUMNS.len()];
    values[0] = Value::Int(id);
    Ok(T::from_values(values)?)
}

/// Where one drawn cell sits and what it is.
struct DrawnCell {
    id: i64,
    electrode: i64,
    class: usize,
    position_m: [f64; 3],
    noise_v: f64,
    axon_trunc_m: Option<f64>,
}

/// What the experiment loop needs of one experiment.
struct Plan {
    species: Species,
    project: &'static str,
}

pub(crate) fn draw(
    config: &DemoConfig,
    rng: &mut Pcg64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Dataset> {
    let truth = &config.truth;
    let scale = config.scale;
    let mut plans: Vec<Plan> = Vec::new();
    for i in 0..scale.experiments(truth, Species::Mouse) {
        // Most standard mouse experiments are in the coarse matrix (cal: project totals).
        let project = if i % 10 < 7 {
            MOUSE_PROJECTS[0]
        } else {
            MOUSE_PROJECTS[1]
        };
        plans.push(Plan {
            species: Species::Mouse,
            project,
        });
    }
    for _ in 0..scale.other_project_experiments() {
        plans.push(Plan {
            species: Species::Mouse,
            project: OTHER_PROJECT,
        });
    }
    for _ in 0..scale.experiments(truth, Species::Human) {
        plans.push(Plan {
            species: Species::Human,
            project: HUMAN_PROJECT,
        });
    }
    plans.shuffle(rng);

    // Resolved class-pair truth, indexed [species][pre][post].
    let resolved: Vec<Vec<Vec<ClassPairTruth>>> = [Species::Mouse, Species::Human]
        .iter()
        .map(|&s| {
            let classes = truth.classes(s);
            classes
                .iter()
                .map(|a| classes.iter().map(|b| truth.resolve(s, a, b)).collect())
                .collect()
        })
        .collect();

    let mut data = Dataset::default();
    let mut now_s = FIRST_EXPERIMENT_UNIX_S;
    let mut last_slice: [Option<usize>; 2] = [None, None];
    let total = plans.len();
    for (index, plan) in plans.iter().enumerate() {
        now_s += uniform(rng, 6.0 * 3600.0, 26.0 * 3600.0).round() + int(rng, 0, 999) as f64 / 1e3;
        let species_index = usize::from(plan.species == Species::Human);
        let sp = truth.species(plan.species);
        let reuse =
            last_slice[species_index].filter(|_| chance(rng, 1.0 - 1.0 / sp.experiments_per_slice));
        let slice_index = match reuse {
            Some(i) => i,
            None => {
                let slice = draw_slice(&mut data, truth, plan.species, now_s, rng)?;
                last_slice[species_index] = Some(slice);
                slice
            }
        };
        draw_experiment(
            &mut data,
            truth,
            &resolved[species_index],
            plan,
            slice_index,
            now_s,
            scale,
            rng,
        )?;
        if index % 64 == 0 || index + 1 == total {
            progress(Progress {
                stage: Stage::Drawing,
                done: index + 1,
                total,
            });
        }
    }
    data.summary.slices = data.slices.len();
    data.summary.experiments = data.experiments.len();
    data.summary.cells = data.cells.len();
    data.summary.pairs = data.pairs.len();
    data.summary.synapses = data.synapses.len();
    data.summary.polysynapses = data.poly_synapses.len();
    Ok(data)
}

fn datetime(unix_s: f64) -> NaiveDateTime {
    let whole = unix_s.floor();
    let micros = ((unix_s - whole) * 1e6).round() as u32;
    DateTime::from_timestamp(whole as i64, micros * 1000)
        .unwrap_or_default()
        .naive_utc()
}

fn draw_slice(
    data: &mut Dataset,
    truth: &Truth,
    species: Species,
    experiment_s: f64,
    rng: &mut Pcg64,
) -> Result<usize> {
    let id = data.slices.len() as i64 + 1;
    let acq_s = experiment_s - uniform(rng, 600.0, 3600.0).round() - 0.25;
    let date = datetime(acq_s);
    let mut slice: Slice = blank(id)?;
    slice.ext_id = Some(format!("{acq_s:.3}"));
    slice.acq_timestamp = Some(acq_s);
    slice.species = Some(species.as_str().to_string());
    let age_days = match species {
        Species::Mouse => int(rng, 35, 85),
        Species::Human => int(rng, 19, 75) * 365 + int(rng, 0, 364),
    };
    slice.age = Some(age_days);
    slice.date_of_birth = Some(date - TimeDelta::days(age_days));
    slice.sex = Some(pick(rng, &["M", "F"]).to_string());
    slice.hemisphere = Some(pick(rng, &["left", "right"]).to_string());
    slice.quality = Some([1, 2, 3, 3, 4, 4, 4, 5][int(rng, 0, 7) as usize]);
    slice.slice_time = Some(date - TimeDelta::minutes(int(rng, 60, 180)));
    slice.slice_conditions = Some(json!({}));
    slice.storage_path = Some(format!(
        "{}_000/slice_{:03}",
        date.format("%Y-%m-%d"),
        id % 1000
    ));
    match species {
        Species::Mouse => {
            let weights: Vec<f64> = truth.mouse_genotype.iter().map(|g| g.weight).collect();
            let genotype = &truth.mouse_genotype[weighted(rng, &weights)];
            slice.genotype = Some(genotype.name.clone());
            slice.weight = Some(format!("{:.1}", uniform(rng, 17.0, 28.0)));
            slice.orientation = Some("coronal".into());
            slice.surface = Some(pick(rng, &["medial", "lateral"]).to_string());
            let line = genotype.name.split(['-', '/']).next().unwrap_or("Mouse");
            slice.lims_specimen_name = Some(format!("{line}-{}.04.02.01", 300_000 + id));
        }
        Species::Human => {
            slice.orientation = Some("unknown".into());
            slice.lims_specimen_name = Some(format!(
                "H{}.03.{:03}.11.08.01",
                date.format("%y"),
                id % 1000
            ));
        }
    }
    data.slices.push(slice);
    Ok(data.slices.len() - 1)
}

#[allow(clippy::too_many_arguments)]
fn draw_experiment(
    data: &mut Dataset,
    truth: &Truth,
    resolved: &[Vec<ClassPairTruth>],
    plan: &Plan,
    slice_index: usize,
    start_s: f64,
    scale: Scale,
    rng: &mut Pcg64,
) -> Result<()> {
    let species = plan.species;
    let sp = truth.species(species);
    let classes = truth.classes(species);
    let slice = &data.slices[slice_index];
    let slice_id = slice.id;
    let genotype_cre: Vec<String> = match (&slice.genotype, species) {
        (Some(name), Species::Mouse) => truth
            .mouse_genotype
            .iter()
            .find(|g| &g.name == name)
            .map(|g| g.cre.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let experiment_id = data.experiments.len() as i64 + 1;
    let start = datetime(start_s);

    let mut experiment: Experiment = blank(experiment_id)?;
    experiment.ext_id = Some(format!("{start_s:.3}"));
    experiment.slice_id = Some(slice_id);
    experiment.project_name = Some(plan.project.to_string());
    experiment.date = Some(start);
    let (internals, acsfs, region): (Shares, Shares, &str) = match species {
        // Solutions as named in the dataset (DESIGN §4/§8).
        Species::Mouse => (
            &[
                ("Standard K-Gluc", 0.7),
                ("K-Gluc -EGTA", 0.2),
                ("PatchSeq", 0.1),
            ],
            &[("1.3mM Ca & 1mM Mg", 0.75), ("2mM Ca & Mg", 0.25)],
            "VisP",
        ),
        Species::Human => (
            &[("Standard K-Gluc", 0.5), ("PatchSeq", 0.5)],
            &[("2mM Ca & Mg", 0.6), ("1.3mM Ca & 1mM Mg", 0.4)],
            "MTG",
        ),
    };
    let internal = choose(rng, internals);
    experiment.internal = Some(internal.to_string());
    experiment.acsf = Some(choose(rng, acsfs).to_string());
    experiment.target_region = Some(region.to_string());
    experiment.target_temperature = Some(if chance(rng, 0.9) { 32.0 } else { 34.0 });
    experiment.rig_name = Some(format!("MP{}", int(rng, 1, 5)));
    experiment.operator_name = Some(format!("demo operator {}", int(rng, 1, 6)));
    experiment.storage_path = slice.storage_path.as_ref().map(|p| format!("{p}/site_000"));
    experiment.ephys_file = Some(format!("{start_s:.3}.nwb"));
    experiment.acq_timestamp = Some(start_s);
    data.experiments.push(experiment);

    // The cortical site: pia at y = 0, white matter at the cortex thickness.
    let site_id = data.cortical_sites.len() as i64 + 1;
    let boundaries: serde_json::Map<String, serde_json::Value> = sp
        .layers
        .iter()
        .filter_map(|(name, _)| {
            sp.layer_bounds(name)
                .map(|(a, b)| (name.clone(), json!([a, b])))
        })
        .collect();
    let site_table = Schema::v22().require_table("cortical_site")?;
    data.cortical_sites.push(GenericRow::new(
        site_table,
        site_id,
        vec![
            ("slice_id", Value::Int(slice_id)),
            ("experiment_id", Value::Int(experiment_id)),
            ("pia_to_wm_distance", Value::Float(sp.cortex_thickness_m)),
            ("pia_position", Value::Object(json!([0.0, 0.0]))),
            (
                "wm_position",
                Value::Object(json!([0.0, sp.cortex_thickness_m])),
            ),
            (
                "layer_boundaries",
                Value::Object(serde_json::Value::Object(boundaries)),
            ),
            ("brain_region", Value::Str(region.to_string())),
        ],
    )?);

    // The target layer and the cells.
    let layer_weights: Vec<f64> = sp.target_layers.iter().map(|l| l.1).collect();
    let target_layer = sp.target_layers[weighted(rng, &layer_weights)].0.clone();
    let n_cells = sp.cells_min + weighted(rng, &sp.cell_count_weights);
    let mut electrodes: Vec<i64> = (1..=8).collect();
    electrodes.shuffle(rng);
    let mut electrodes: Vec<i64> = electrodes[..n_cells].to_vec();
    electrodes.sort_unstable();
    let centre_x = uniform(rng, -500e-6, 500e-6);
    let electrode_table = Schema::v22().require_table("electrode")?;
    let mut cells: Vec<DrawnCell> = Vec::with_capacity(n_cells);
    for &electrode in &electrodes {
        // Most cells are in the target layer; some in a neighbouring one.
        let layer = if chance(rng, 0.15) {
            neighbour_layer(sp, &target_layer, rng)
        } else {
            target_layer.clone()
        };
        let Some(class) = draw_class(classes, &layer, &genotype_cre, species, rng)
            .or_else(|| draw_class(classes, &target_layer, &genotype_cre, species, rng))
        else {
            continue;
        };
        let cell_id = data.cells.len() as i64 + 1;
        let electrode_id = data.electrodes.len() as i64 + 1;
        data.electrodes.push(GenericRow::new(
            electrode_table,
            electrode_id,
            vec![
                ("experiment_id", Value::Int(experiment_id)),
                ("ext_id", Value::Str(electrode.to_string())),
                ("patch_status", Value::Str("whole cell".into())),
                ("start_time", Value::DateTime(start)),
                (
                    "stop_time",
                    Value::DateTime(start + TimeDelta::minutes(int(rng, 40, 90))),
                ),
                ("device_id", Value::Int(electrode)),
            ],
        )?);
        let drawn = draw_cell(
            data,
            truth,
            species,
            &classes[class],
            class,
            &genotype_cre,
            &target_layer,
            cell_id,
            experiment_id,
            electrode,
            electrode_id,
            site_id,
            centre_x,
            internal,
            rng,
        )?;
        cells.push(drawn);
    }
    draw_pairs(
        data,
        truth,
        species,
        classes,
        resolved,
        &cells,
        experiment_id,
        start,
        scale,
        rng,
    )
}

/// Names with their shares.
type Shares = &'static [(&'static str, f64)];

/// One of the names, drawn by share.
fn choose(rng: &mut Pcg64, shares: Shares) -> &'static str {
    let weights: Vec<f64> = shares.iter().map(|s| s.1).collect();
    shares[weighted(rng, &weights)].0
}

fn neighbour_layer(sp: &crate::truth::SpeciesTruth, layer: &str, rng: &mut Pcg64) -> String {
    let names: Vec<&str> = sp.target_layers.iter().map(|l| l.0.as_str()).collect();
    let i = names.iter().position(|n| *n == layer).unwrap_or(0);
    let mut options = Vec::new();
    if i > 0 {
        options.push(names[i - 1]);
    }
    if i + 1 < names.len() {
        options.push(names[i + 1]);
    }
    if options.is_empty() {
        layer.to_string()
    } else {
        pick(rng, &options).to_string()
    }
}

/// A class of `layer` that the genotype allows, by weight.
fn draw_class(
    classes: &[ClassTruth],
    layer: &str,
    genotype_cre: &[String],
    species: Species,
    rng: &mut Pcg64,
) -> Option<usize> {
    let weights: Vec<f64> = classes
        .iter()
        .map(|c| {
            let allowed = species == Species::Human
                || c.cre
                    .iter()
                    .any(|cre| cre == "unknown" || genotype_cre.contains(cre));
            if c.layer == layer && allowed {
                c.weight
            } else {
                0.0
            }
        })
        .collect();
    if weights.iter().all(|&w| w <= 0.0) {
        return None;
    }
    Some(weighted(rng, &weights))
}

/// Extent of a class's layer, merged with the sublayers that follow it ("6a" spans 6b).
fn layer_span(sp: &crate::truth::SpeciesTruth, layer: &str) -> (f64, f64) {
    let (top, mut bottom) = sp
        .layer_bounds(layer)
        .unwrap_or((0.0, sp.cortex_thickness_m));
    let stem = layer.trim_end_matches(char::is_alphabetic);
    if stem != layer {
        for (name, _) in &sp.layers {
            if name != layer
                && name.trim_end_matches(char::is_alphabetic) == stem
                && let Some((_, b)) = sp.layer_bounds(name)
            {
                bottom = bottom.max(b);
            }
        }
    }
    (top, bottom)
}

#[allow(clippy::too_many_arguments)]
fn draw_cell(
    data: &mut Dataset,
    truth: &Truth,
    species: Species,
    class: &ClassTruth,
    class_index: usize,
    genotype_cre: &[String],
    target_layer: &str,
    cell_id: i64,
    experiment_id: i64,
    electrode: i64,
    electrode_id: i64,
    site_id: i64,
    centre_x: f64,
    internal: &str,
    rng: &mut Pcg64,
) -> Result<DrawnCell> {
    let sp = truth.species(species);
    let ct = &truth.cells;
    let (top, bottom) = layer_span(sp, &class.layer);
    let margin = 5e-6;
    let y = (0.5 * (top + bottom) + ct.vertical_scatter_m * normal(rng))
        .clamp(top + margin, bottom - margin);
    let x = centre_x + ct.lateral_scatter_m * normal(rng);
    let z = uniform(rng, ct.depth_min_m, ct.depth_max_m);
    let noise_v = lognormal(rng, ct.noise_median_v, ct.noise_cv);
    let axon_trunc_m = chance(rng, ct.axon_truncated_fraction)
        .then(|| uniform(rng, 10e-6, ct.axon_truncation_max_m));
    let is_ex = class.cell_type == CellType::Excitatory;

    let mut cell: Cell = blank(cell_id)?;
    cell.experiment_id = Some(experiment_id);
    cell.ext_id = Some(electrode.to_string());
    cell.electrode_id = Some(electrode_id);
    cell.cre_type = match species {
        Species::Mouse => Some(
            class
                .cre
                .iter()
                .find(|c| genotype_cre.contains(c))
                .cloned()
                .unwrap_or_else(|| "unknown".into()),
        ),
        Species::Human => None,
    };
    cell.target_layer = Some(target_layer.to_string());
    cell.position = Some(json!([x, y, z]));
    cell.depth = Some(z);
    // A few cells lack the evidence to be classified.
    cell.cell_class = (!chance(rng, 0.03)).then(|| class.cell_type.as_str().to_string());
    cell.cell_class_nonsynaptic =
        (!chance(rng, 0.07)).then(|| class.cell_type.as_str().to_string());
    cell.meta = Some(json!({"demo_class": class.name, "baseline_noise_v": noise_v}));
    data.cells.push(cell);

    // Morphology: every cell has a row; annotations may be "NEI" (not enough information).
    let mut morphology: Morphology = blank(data.morphologies.len() as i64 + 1)?;
    morphology.cell_id = Some(cell_id);
    morphology.pyramidal = Some(is_ex && chance(rng, 0.85));
    morphology.dendrite_type = Some(
        if chance(rng, 0.08) {
            "NEI"
        } else if is_ex {
            "spiny"
        } else if class.subclass == "sst" && chance(rng, 0.6) {
            "sparsely spiny"
        } else {
            "aspiny"
        }
        .to_string(),
    );
    if is_ex {
        let apical = chance(rng, 0.5).then(|| uniform(rng, 50e-6, 300e-6));
        morphology.apical_trunc_distance = apical;
        morphology.apical_truncation = Some(
            if apical.is_some() {
                "truncated"
            } else {
                "intact"
            }
            .to_string(),
        );
    }
    morphology.axon_trunc_distance = axon_trunc_m;
    morphology.axon_truncation = Some(
        match axon_trunc_m {
            Some(d) if d < 250e-6 => "truncated",
            Some(_) => "borderline",
            None => "intact",
        }
        .to_string(),
    );
    morphology.axon_origin = Some(if chance(rng, 0.8) { "soma" } else { "dendrite" }.to_string());
    data.morphologies.push(morphology);

    if chance(rng, 0.95) {
        let layer = sp.layer_at(y).to_string();
        let (layer_top, layer_bottom) = sp
            .layer_bounds(&layer)
            .unwrap_or((0.0, sp.cortex_thickness_m));
        let mut location: CorticalCellLocation = blank(data.locations.len() as i64 + 1)?;
        location.cell_id = Some(cell_id);
        location.cortical_site_id = Some(site_id);
        location.cortical_layer = Some(layer);
        location.distance_to_pia = Some(y);
        location.distance_to_wm = Some(sp.cortex_thickness_m - y);
        location.fractional_depth = Some(y / sp.cortex_thickness_m);
        location.layer_depth = Some(y - layer_top);
        location.layer_thickness = Some(layer_bottom - layer_top);
        location.fractional_layer_depth = Some((y - layer_top) / (layer_bottom - layer_top));
        location.position = Some(json!([x, y]));
        data.locations.push(location);
    }
    if chance(rng, 0.75) {
        let intrinsic = draw_intrinsic(data.intrinsics.len() as i64 + 1, cell_id, class, rng)?;
        data.intrinsics.push(intrinsic);
    }
    if internal == "PatchSeq" && chance(rng, 0.8) {
        let row = draw_patch_seq(
            data.patch_seqs.len() as i64 + 1,
            cell_id,
            species,
            class,
            rng,
        )?;
        data.patch_seqs.push(row);
    }
    Ok(DrawnCell {
        id: cell_id,
        electrode,
        class: class_index,
        position_m: [x, y, z],
        noise_v,
        axon_trunc_m,
    })
}

/// Intrinsic features by type (fast-spiking Pvalb cells have narrow spikes and a low
/// up/down-stroke ratio); SI units as the columns document.
fn draw_intrinsic(id: i64, cell_id: i64, class: &ClassTruth, rng: &mut Pcg64) -> Result<Intrinsic> {
    let is_ex = class.cell_type == CellType::Excitatory;
    let fast = class.subclass == "pvalb";
    let mut row: Intrinsic = blank(id)?;
    row.cell_id = Some(cell_id);
    row.rheobase = Some(lognormal(rng, if is_ex { 150e-12 } else { 100e-12 }, 0.4));
    row.fi_slope = Some(lognormal(rng, if fast { 0.3e-12 } else { 0.12e-12 }, 0.4));
    let rin = lognormal(rng, if is_ex { 150e6 } else { 200e6 }, 0.35);
    row.input_resistance = Some(rin);
    row.input_resistance_ss = Some(rin * uniform(rng, 0.85, 0.98));
    row.sag = Some(uniform(rng, 0.0, 0.2));
    row.tau = Some(lognormal(rng, if fast { 8e-3 } else { 18e-3 }, 0.3));
    row.ap_width = Some(lognormal(
        rng,
        if fast {
            0.35e-3
        } else if is_ex {
            0.9e-3
        } else {
            0.6e-3
        },
        0.2,
    ));
    row.ap_upstroke_downstroke_ratio = Some(lognormal(
        rng,
        if fast {
            1.4
        } else if is_ex {
            3.4
        } else {
            2.2
        },
        0.15,
    ));
    row.ap_upstroke = Some(lognormal(rng, 0.35, 0.2));
    row.ap_downstroke = Some(-lognormal(rng, if fast { 0.25 } else { 0.1 }, 0.2));
    row.ap_threshold_v = Some(-0.040 + 0.004 * normal(rng));
    row.ap_peak_deltav = Some(lognormal(rng, 0.075, 0.1));
    row.ap_fast_trough_deltav = Some(-lognormal(rng, if fast { 0.025 } else { 0.015 }, 0.2));
    row.firing_rate_rheo = Some(lognormal(rng, if fast { 40.0 } else { 8.0 }, 0.4));
    row.latency_rheo = Some(lognormal(rng, 0.1, 0.5));
    row.adaptation_index = Some(uniform(rng, 0.0, if fast { 0.05 } else { 0.3 }));
    row.isi_cv = Some(uniform(rng, 0.05, 0.4));
    Ok(row)
}

fn draw_patch_seq(
    id: i64,
    cell_id: i64,
    species: Species,
    class: &ClassTruth,
    rng: &mut Pcg64,
) -> Result<PatchSeq> {
    // Transcriptomic types named as in the Allen taxonomies (mouse VISp, human MTG).
    let t_type = match (species, class.subclass.as_str(), class.layer.as_str()) {
        (Species::Mouse, "pvalb", _) => "Pvalb Tpbg",
        (Species::Mouse, "sst", _) => "Sst Calb2 Pdlim5",
        (Species::Mouse, "vip", _) => "Vip Crispld2 Htr2c",
        (Species::Mouse, "et", _) => "L5 PT VISp C1ql2 Ptgfr",
        (Species::Mouse, "it", _) => "L5 IT VISp Hsd11b1 Endou",
        (Species::Mouse, _, "2/3") => "L2/3 IT VISp Agmat",
        (Species::Mouse, _, "4") => "L4 IT VISp Rspo1",
        (Species::Mouse, _, _) => "L6 CT VISp Nxph2 Wls",
        (Species::Human, "in", _) => "Inh L2-5 PVALB SCUBE3",
        (Species::Human, _, "2" | "3") => "Exc L2-3 LINC00507 FREM3",
        (Species::Human, _, "4") => "Exc L3-4 RORB CARM1P1",
        (Species::Human, _, _) => "Exc L4-5 RORB FOLH1B",
    };
    let mut row: PatchSeq = blank(id)?;
    row.cell_id = Some(cell_id);
    row.tube_id = Some(format!("P{}S4_{:06}", int(rng, 1, 9), 180_000 + id));
    row.nucleus = Some(
        if chance(rng, 0.7) {
            "nucleus_present"
        } else {
            "nucleus_absent"
        }
        .into(),
    );
    row.reseal = Some(chance(rng, 0.6));
    row.result_ba = Some(if chance(rng, 0.85) { "pass" } else { "fail" }.into());
    row.picogreen_yield = Some(lognormal(rng, 1000.0, 0.5));
    let core = chance(rng, 0.7);
    row.tree_first_cluster = Some(t_type.into());
    row.tree_first_bt = Some(if core {
        uniform(rng, 0.9, 1.0)
    } else {
        uniform(rng, 0.5, 0.9)
    });
    row.tree_call = Some(
        if core {
            "Core"
        } else if chance(rng, 0.5) {
            "I1"
        } else {
            "PoorQ"
        }
        .into(),
    );
    row.genes_detected = Some(int(rng, 4000, 11000));
    row.t_type =
        matches!(row.tree_call.as_deref(), Some("Core" | "I1")).then(|| t_type.to_string());
    row.quality_score = Some(uniform(rng, 0.3, 0.9));
    row.subclass_label = Some(class.subclass.clone());
    row.batch = Some("demo".into());
    Ok(row)
}

#[allow(clippy::too_many_arguments)]
fn draw_pairs(
    data: &mut Dataset,
    truth: &Truth,
    species: Species,
    classes: &[ClassTruth],
    resolved: &[Vec<ClassPairTruth>],
    cells: &[DrawnCell],
    experiment_id: i64,
    start: NaiveDateTime,
    scale: Scale,
    rng: &mut Pcg64,
) -> Result<()> {
    let n = cells.len();
    let first_pair_id = data.pairs.len() as i64 + 1;
    let pair_id = |i: usize, j: usize| -> i64 {
        // Row-major over ordered pairs, skipping the diagonal.
        first_pair_id + (i * (n - 1) + if j > i { j - 1 } else { j }) as i64
    };
    // Gap junctions are symmetric: draw once per unordered pair.
    let mut electrical = vec![false; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&classes[cells[i].class], &classes[cells[j].class]);
            let lateral = (cells[i].position_m[0] - cells[j].position_m[0]).abs();
            let p = match species {
                Species::Mouse => {
                    truth
                        .gap_junctions
                        .probability(&a.subclass, &b.subclass, lateral)
                }
                Species::Human => 0.0,
            } * scale.rare_event_boost();
            if p > 0.0 && chance(rng, p) {
                electrical[i * n + j] = true;
                electrical[j * n + i] = true;
                data.summary.gap_junctions += 1;
            }
        }
    }
    let polysynapse_p = match species {
        Species::Mouse => truth.polysynapse.mouse,
        Species::Human => truth.polysynapse.human,
    } * scale.rare_event_boost();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (pre, post) = (&cells[i], &cells[j]);
            let id = pair_id(i, j);
            let pre_class = &classes[pre.class];
            let [dx, dy, dz] = [0, 1, 2].map(|k| pre.position_m[k] - post.position_m[k]);
            let lateral = dx.abs();
            // Test spikes: the count for the presynaptic type decides whether it is probed.
            let probed = !chance(rng, truth.cells.unprobed_fraction);
            let n_main = if probed {
                lognormal(rng, 60.0, 0.8).round().clamp(11.0, 600.0) as i64
            } else {
                int(rng, 0, 10)
            };
            let n_other = if chance(rng, 0.5) {
                (n_main as f64 * uniform(rng, 0.3, 1.2)).round() as i64
            } else {
                int(rng, 0, 10)
            };
            let (n_ex, n_in) = match pre_class.cell_type {
                CellType::Excitatory => (n_main, n_other),
                CellType::Inhibitory => (n_other, n_main),
            };
            let class_truth = &resolved[pre.class][post.class];
            let conditions = PairConditions {
                lateral_distance_m: lateral,
                pre_axon_trunc_distance_m: pre.axon_trunc_m,
                mean_depth_m: 0.5 * (pre.position_m[2] + post.position_m[2]),
                n_test_spikes: n_main,
                post_noise_v: post.noise_v,
            };
            let connected =
                probed && chance(rng, truth.connection_probability(class_truth, &conditions));
            let polysynaptic = probed && !connected && chance(rng, polysynapse_p);
            if probed {
                data.summary.probed_pairs += 1;
            }
            let mut pair: Pair = blank(id)?;
            pair.experiment_id = Some(experiment_id);
            pair.pre_cell_id = Some(pre.id);
            pair.post_cell_id = Some(post.id);
            pair.has_synapse = Some(connected);
            pair.has_polysynapse = Some(polysynaptic);
            pair.has_electrical = Some(electrical[i * n + j]);
            pair.crosstalk_artifact = Some(20e-6 * normal(rng));
            pair.n_ex_test_spikes = Some(n_ex);
            pair.n_in_test_spikes = Some(n_in);
            pair.distance = Some((dx * dx + dy * dy + dz * dz).sqrt());
            pair.lateral_distance = Some(lateral);
            pair.vertical_distance = Some(dy.abs());
            pair.reciprocal_id = Some(pair_id(j, i));
            data.pairs.push(pair);

            let post_class = &classes[post.class];
            if pre_class.cell_type == CellType::Inhibitory
                && post_class.cell_type == CellType::Inhibitory
                && species == Species::Mouse
            {
                draw_gap_junction(data, id, electrical[i * n + j], rng)?;
            }
            if connected {
                draw_synapse(
                    data,
                    truth,
                    class_truth,
                    id,
                    pre,
                    post,
                    experiment_id,
                    start,
                    rng,
                )?;
            } else if polysynaptic {
                let mut poly: PolySynapse = blank(data.poly_synapses.len() as i64 + 1)?;
                let sign = if pre_class.cell_type == CellType::Excitatory {
                    1.0
                } else {
                    -1.0
                };
                poly.pair_id = Some(id);
                poly.synapse_type = Some(pre_class.cell_type.as_str().into());
                poly.latency = Some(uniform(rng, 3e-3, 8e-3));
                poly.psp_amplitude = Some(sign * lognormal(rng, 0.1e-3, 0.5));
                poly.psp_rise_time = Some(lognormal(rng, 5e-3, 0.3));
                poly.psp_decay_tau = Some(lognormal(rng, 30e-3, 0.3));
                data.poly_synapses.push(poly);
            }
        }
    }
    Ok(())
}

/// A gap-junction analysis row: coupled pairs have clear coupling, the others noise.
fn draw_gap_junction(
    data: &mut Dataset,
    pair_id: i64,
    coupled: bool,
    rng: &mut Pcg64,
) -> Result<()> {
    let mut row: GapJunction = blank(data.gap_junctions.len() as i64 + 1)?;
    row.pair_id = Some(pair_id);
    let noise_corr = 0.1 * normal(rng);
    row.corr_coeff_noise = Some(noise_corr);
    row.p_val_noise = Some(uniform(rng, 0.05, 1.0));
    row.coupling_coeff_noise = Some(0.002 * normal(rng));
    if coupled {
        let coupling = lognormal(rng, 0.03, 0.6);
        row.corr_coeff_pulse = Some(uniform(rng, 0.5, 0.95));
        row.p_val_pulse = Some(10f64.powf(-uniform(rng, 4.0, 12.0)));
        row.coupling_coeff_pulse = Some(coupling);
        // G = cc / ((1 − cc)·R_post) with R_post ≈ 200 MΩ.
        row.junctional_conductance = Some(coupling / ((1.0 - coupling) * 200e6));
    } else {
        row.corr_coeff_pulse = Some(0.1 * normal(rng));
        row.p_val_pulse = Some(uniform(rng, 0.01, 1.0));
        row.coupling_coeff_pulse = Some(0.002 * normal(rng));
    }
    data.gap_junctions.push(row);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn draw_synapse(
    data: &mut Dataset,
    truth: &Truth,
    class_truth: &ClassPairTruth,
    pair_id: i64,
    pre: &DrawnCell,
    post: &DrawnCell,
    experiment_id: i64,
    start: NaiveDateTime,
    rng: &mut Pcg64,
) -> Result<()> {
    let d = &truth.defaults;
    let sign = match class_truth.pre_type {
        CellType::Excitatory => 1.0,
        CellType::Inhibitory => -1.0,
    };
    let synapse_id = data.synapses.len() as i64 + 1;
    let latency = lognormal(rng, class_truth.latency_s, d.latency_cv);
    let rise = lognormal(rng, class_truth.rise_time_s, d.kinetics_cv);
    let decay = lognormal(rng, class_truth.decay_tau_s, d.kinetics_cv);
    let magnitude = lognormal(rng, class_truth.psp_amplitude_v, d.amplitude_cv);
    // Currents: an excitatory synapse at −70 mV draws an inward (negative) current, an
    // inhibitory one at −55 mV an outward one; the PSC peak is the PSP amplitude over an
    // effective 30 MΩ (the membrane filters the PSP; demo choice giving ~5–20 pA).
    let psc = -sign * magnitude / 30e6;
    let mut synapse: Synapse = blank(synapse_id)?;
    synapse.pair_id = Some(pair_id);
    synapse.synapse_type = Some(class_truth.pre_type.as_str().into());
    synapse.latency = Some(latency);
    synapse.psp_amplitude = Some(sign * magnitude);
    synapse.psp_rise_time = Some(rise);
    synapse.psp_decay_tau = Some(decay);
    if chance(rng, 0.85) {
        synapse.psc_amplitude = Some(psc);
        synapse.psc_rise_time = Some(rise * uniform(rng, 0.3, 0.6));
        synapse.psc_decay_tau = Some(decay * uniform(rng, 0.2, 0.4));
    }
    let mut fit: RestingStateFit = blank(data.resting_state_fits.len() as i64 + 1)?;
    fit.synapse_id = Some(synapse_id);
    fit.ic_amp = Some(sign * magnitude * uniform(rng, 0.9, 1.1));
    fit.ic_latency = Some(latency + 0.1e-3 * normal(rng));
    fit.ic_rise_time = Some(rise * uniform(rng, 0.9, 1.1));
    fit.ic_decay_tau = Some(decay * uniform(rng, 0.9, 1.1));
    fit.ic_avg_data_start_time = Some(-10e-3);
    fit.ic_nrmse = Some(uniform(rng, 0.2, 1.0));
    if let Some(psc) = synapse.psc_amplitude {
        fit.vc_amp = Some(psc * uniform(rng, 0.9, 1.1));
        fit.vc_latency = Some(latency + 0.1e-3 * normal(rng));
        fit.vc_rise_time = synapse.psc_rise_time;
        fit.vc_decay_tau = synapse.psc_decay_tau;
        fit.vc_avg_data_start_time = Some(-10e-3);
        fit.vc_nrmse = Some(uniform(rng, 0.2, 1.0));
    }
    data.resting_state_fits.push(fit);

    if chance(rng, 0.6) {
        let reversal = match class_truth.pre_type {
            CellType::Excitatory => -0.005 + 0.008 * normal(rng),
            CellType::Inhibitory => -0.075 + 0.005 * normal(rng),
        };
        let holding = match class_truth.pre_type {
            CellType::Excitatory => -0.070,
            CellType::Inhibitory => -0.055,
        };
        let baseline = -0.068 + 0.004 * normal(rng);
        let effective = sign * magnitude / (baseline - reversal);
        let mut row: Conductance = blank(data.conductances.len() as i64 + 1)?;
        row.synapse_id = Some(synapse_id);
        row.effective_conductance = Some(effective);
        row.adj_psp_amplitude = Some(effective * (holding - reversal));
        row.reversal_potential = Some(reversal);
        row.ideal_holding_potential = Some(holding);
        row.avg_baseline_potential = Some(baseline);
        data.conductances.push(row);
    }
    data.synapses.push(synapse);

    let release = &class_truth.release;
    let mini_amplitude_v =
        magnitude / (f64::from(release.n_release_sites) * release.base_release_probability);
    let experiment_start = data
        .experiments
        .last()
        .and_then(|e| e.date)
        .unwrap_or(start);
    data.jobs.push(SynapseJob {
        place: EventPair {
            experiment_id,
            pre_cell_id: pre.id,
            post_cell_id: post.id,
            pair_id,
            pre_electrode: pre.electrode,
            post_electrode: post.electrode,
            experiment_start,
        },
        sign,
        mini_amplitude_v,
        noise_v: post.noise_v,
        latency_s: latency,
        truth: class_truth.clone(),
    });
    Ok(())
}
