//! Simulating each synapse's events: its `dynamics` and `synapse_model` rows, and the
//! per-event rows of the synapses chosen for them.

use std::collections::HashMap;

use serde_json::json;
use synphys_dynamics::{DynamicsMetrics, PspSign, dynamics_from_events};
use synphys_schema::{ColumnKind, Dynamics, SynapseModel, TableRow, Value};

use crate::config::{Progress, Scale, Stage};
use crate::draw::substream;
use crate::error::{ErrorKind, Result};
use crate::events::{self, EventRows, EventSynapse};
use crate::generate::{Dataset, SynapseJob, blank};
use crate::truth::release_params;

/// What the simulation adds to the dataset.
#[derive(Default)]
pub(crate) struct Simulated {
    pub(crate) dynamics: Vec<Dynamics>,
    pub(crate) synapse_models: Vec<SynapseModel>,
    pub(crate) events: EventRows,
    pub(crate) event_synapses: usize,
}

/// Indices into `jobs` of the synapses that get per-event rows: spread evenly over the
/// dataset so many class pairs are represented.
pub(crate) fn event_job_indices(n_jobs: usize, wanted: usize) -> Vec<usize> {
    if wanted == 0 || n_jobs == 0 {
        return Vec::new();
    }
    let wanted = wanted.min(n_jobs);
    (0..wanted).map(|k| k * n_jobs / wanted).collect()
}

/// The event-simulation input of one synapse.
pub(crate) fn event_synapse(job: &SynapseJob, n_events_min: usize) -> Result<EventSynapse> {
    Ok(EventSynapse {
        release: release_params(&job.truth.release, job.mini_amplitude_v, job.noise_v)?,
        sign: job.sign,
        measurement_stdev_v: job.noise_v,
        latency_s: job.latency_s,
        n_events_min,
    })
}

pub(crate) fn simulate(
    data: &Dataset,
    scale: Scale,
    seed: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Simulated> {
    let (n_event_synapses, n_events_rows) = scale.event_tables();
    let with_rows = event_job_indices(data.jobs.len(), n_event_synapses);
    let mut out = Simulated::default();
    let total = data.jobs.len();
    for (k, job) in data.jobs.iter().enumerate() {
        let rows_wanted = with_rows.binary_search(&k).is_ok();
        let n_events = if rows_wanted {
            n_events_rows
        } else {
            scale.dynamics_events()
        };
        let synapse = event_synapse(job, n_events)?;
        let mut rng = substream(seed, job.place.pair_id as u64);
        let sweeps = events::simulate_sweeps(&synapse, &mut rng)?;
        let metrics = metrics_of(&sweeps, job)?;
        // The model's own simulated counterparts (the `ml_*` STP columns): another run of
        // the same protocol from the truth, on a separate stream.
        let mut model_rng = substream(seed ^ MODEL_STREAM, job.place.pair_id as u64);
        let model_sweeps = events::simulate_sweeps(&synapse, &mut model_rng)?;
        let model_metrics = metrics_of(&model_sweeps, job)?;
        let id = out.dynamics.len() as i64 + 1;
        out.dynamics
            .push(dynamics_row(id, job.place.pair_id, &metrics)?);
        out.synapse_models.push(synapse_model_row(
            id,
            job,
            metrics.n_source_events,
            &model_metrics,
        )?);
        if rows_wanted {
            out.events.append(&job.place, &sweeps);
            out.event_synapses += 1;
        }
        if k % 128 == 0 || k + 1 == total {
            progress(Progress {
                stage: Stage::Simulating,
                done: k + 1,
                total,
            });
        }
    }
    link_recording_electrodes(data, &mut out.events);
    Ok(out)
}

/// Points each recording at its `electrode` row: the event rows name the electrode by
/// number (`device_name`), the experiment through their sweep.
fn link_recording_electrodes(data: &Dataset, events: &mut EventRows) {
    let mut electrode_ids: HashMap<(i64, i64), i64> = HashMap::new();
    for row in &data.electrodes {
        if let [
            Value::Int(id),
            Value::Int(experiment),
            Value::Str(number),
            ..,
        ] = row.0.as_slice()
            && let Ok(number) = number.parse::<i64>()
        {
            electrode_ids.insert((*experiment, number), *id);
        }
    }
    let experiment_of_sweep: HashMap<i64, i64> = events
        .sync_recs
        .iter()
        .filter_map(|s| Some((s.id, s.experiment_id?)))
        .collect();
    for recording in &mut events.recordings {
        if recording.electrode_id.is_some() {
            continue;
        }
        let experiment = recording
            .sync_rec_id
            .and_then(|s| experiment_of_sweep.get(&s));
        let number = recording
            .device_name
            .as_deref()
            .and_then(|d| d.parse::<i64>().ok());
        if let (Some(&experiment), Some(number)) = (experiment, number) {
            recording.electrode_id = electrode_ids.get(&(experiment, number)).copied();
        }
    }
}

/// Stream selector of the model's simulated counterparts (`ml_*` STP columns).
const MODEL_STREAM: u64 = 0x6d6f_6465_6c00_0000;

/// The dynamics metrics of one synapse's simulated sweeps.
fn metrics_of(sweeps: &[events::SimulatedSweep], job: &SynapseJob) -> Result<DynamicsMetrics> {
    let (pulse_events, baselines) = events::dynamics_inputs(sweeps, job.sign);
    let sign = if job.sign > 0.0 {
        PspSign::Excitatory
    } else {
        PspSign::Inhibitory
    };
    Ok(
        dynamics_from_events(&pulse_events, &baselines, sign).map_err(|source| {
            ErrorKind::Dynamics {
                pair_id: job.place.pair_id,
                source,
            }
        })?,
    )
}

/// The metrics as a JSON object keyed by `dynamics` column names (the dynamics crate's
/// serde keys).
fn metrics_object(metrics: &DynamicsMetrics) -> Result<serde_json::Map<String, serde_json::Value>> {
    match serde_json::to_value(metrics) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(ErrorKind::Invalid(format!(
            "dynamics metrics serialised to {other}, not an object"
        ))
        .into()),
        Err(e) => Err(ErrorKind::Invalid(format!("serialising dynamics metrics: {e}")).into()),
    }
}

/// A `dynamics` row from the dynamics crate's metrics.
pub(crate) fn dynamics_row(id: i64, pair_id: i64, metrics: &DynamicsMetrics) -> Result<Dynamics> {
    let object = metrics_object(metrics)?;
    let values = Dynamics::COLUMNS
        .iter()
        .zip(Dynamics::KINDS)
        .map(|(&column, &kind)| match column {
            "id" => Value::Int(id),
            "pair_id" => Value::Int(pair_id),
            _ => json_value(object.get(column), kind),
        })
        .collect();
    Ok(Dynamics::from_values(values)?)
}

fn json_value(value: Option<&serde_json::Value>, kind: ColumnKind) -> Value {
    match (value, kind) {
        (None | Some(serde_json::Value::Null), _) => Value::Null,
        (Some(serde_json::Value::Bool(b)), _) => Value::Bool(*b),
        (Some(serde_json::Value::Number(n)), ColumnKind::Int | ColumnKind::BigInt) => {
            n.as_i64().map_or(Value::Null, Value::Int)
        }
        (Some(serde_json::Value::Number(n)), _) => n.as_f64().map_or(Value::Null, Value::Float),
        (Some(v), ColumnKind::Object) => Value::Object(v.clone()),
        (Some(serde_json::Value::String(s)), _) => Value::Str(s.clone()),
        (Some(_), _) => Value::Null,
    }
}

/// The ground truth in the `ml_*` parameter columns (magnitudes: the mini amplitude and
/// strength are positive for inhibitory synapses too), and the dynamics of the model's
/// simulated events in the `ml_<dynamics column>` columns.
fn synapse_model_row(
    id: i64,
    job: &SynapseJob,
    n_source_events: i64,
    model_metrics: &DynamicsMetrics,
) -> Result<SynapseModel> {
    let r = &job.truth.release;
    let n = f64::from(r.n_release_sites);
    let mut row: SynapseModel = blank(id)?;
    row.pair_id = Some(job.place.pair_id);
    row.n_source_events = Some(n_source_events);
    row.ml_n_release_sites = Some(n);
    row.ml_base_release_probability = Some(r.base_release_probability);
    row.ml_mini_amplitude = Some(job.mini_amplitude_v);
    row.ml_mini_amplitude_cv = Some(r.mini_amplitude_cv);
    row.ml_depression_amount = Some(r.depression_amount);
    row.ml_depression_tau = Some(r.depression_tau);
    row.ml_facilitation_amount = Some(r.facilitation_amount);
    row.ml_facilitation_tau = Some(r.facilitation_tau);
    row.ml_measurement_stdev = Some(job.noise_v);
    row.ml_strength = Some(n * r.base_release_probability * job.mini_amplitude_v);
    row.ml_quanta_per_spike = Some(n * r.base_release_probability);
    row.ml_sites_pr_ratio = Some(n / r.base_release_probability);
    row.meta = Some(json!({"demo_release_set": job.truth.release_name}));
    let simulated = metrics_object(model_metrics)?;
    let values = row
        .to_values()
        .into_iter()
        .zip(SynapseModel::COLUMNS.iter().zip(SynapseModel::KINDS))
        .map(|(value, (&column, &kind))| {
            match column
                .strip_prefix("ml_")
                .and_then(|name| simulated.get(name))
            {
                Some(simulated) => json_value(Some(simulated), kind),
                None => value,
            }
        })
        .collect();
    Ok(SynapseModel::from_values(values)?)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use synphys_dynamics::ClampMode;
    use synphys_release_model::{Param, ParamSpace, ReleaseParams, Search};

    use super::*;
    use crate::config::DemoConfig;
    use crate::generate;

    #[test]
    fn event_synapses_are_spread_and_distinct() {
        assert_eq!(event_job_indices(10, 3), vec![0, 3, 6]);
        assert_eq!(event_job_indices(2, 5), vec![0, 1]);
        assert!(event_job_indices(0, 5).is_empty());
        assert!(event_job_indices(5, 0).is_empty());
    }

    #[test]
    fn dynamics_rows_take_every_column_from_the_metrics() {
        let metrics = synphys_dynamics::DynamicsMetrics::default();
        let object = serde_json::to_value(&metrics).unwrap();
        let keys = object.as_object().unwrap();
        for column in Dynamics::COLUMNS {
            if !matches!(*column, "id" | "pair_id" | "meta") {
                assert!(keys.contains_key(*column), "metrics have no {column}");
            }
        }
        let row = dynamics_row(4, 9, &metrics).unwrap();
        assert_eq!((row.id, row.pair_id), (4, Some(9)));
        assert_eq!(row.qc_pass, Some(false));
    }

    /// The grid axis index of `value`.
    fn grid_index(grid: &ParamSpace, param: Param, value: f64) -> i64 {
        let axis = &grid.axis(param).unwrap().values;
        axis.iter()
            .position(|&v| (v - value).abs() <= 1e-9 * v.abs().max(1e-12))
            .unwrap_or_else(|| panic!("{param} = {value} is not on the default grid"))
            as i64
    }

    /// The default grid's values of `param` within `steps` of the truth.
    fn around(grid: &ParamSpace, param: Param, truth: f64, steps: i64) -> Vec<f64> {
        let axis = &grid.axis(param).unwrap().values;
        let i = grid_index(grid, param, truth);
        (i - steps..=i + steps)
            .filter(|&k| k >= 0 && (k as usize) < axis.len())
            .map(|k| axis[k as usize])
            .collect()
    }

    /// The release-model search on the events of one medium-scale synapse (the event
    /// synapse with the best signal-to-noise ratio, simulated exactly as it is written)
    /// finds its truth, or a neighbouring grid value, for the number of release sites,
    /// release probability, depression and facilitation, on a reduced grid around it.
    #[test]
    fn release_model_search_recovers_a_medium_synapse() {
        let config = DemoConfig::new(Scale::Medium);
        let mut rng = rand_pcg::Pcg64::seed_from_u64(config.seed);
        let data = generate::draw(&config, &mut rng, &mut |_| {}).unwrap();
        let (n_synapses, n_events) = Scale::Medium.event_tables();
        let chosen = event_job_indices(data.jobs.len(), n_synapses)
            .into_iter()
            .map(|k| &data.jobs[k])
            .max_by(|a, b| {
                let snr = |j: &SynapseJob| {
                    let r = &j.truth.release;
                    f64::from(r.n_release_sites) * r.base_release_probability * j.mini_amplitude_v
                        / j.noise_v
                };
                snr(a).total_cmp(&snr(b))
            })
            .unwrap();
        let synapse = event_synapse(chosen, n_events).unwrap();
        let sweeps = events::simulate_sweeps(
            &synapse,
            &mut substream(config.seed, chosen.place.pair_id as u64),
        )
        .unwrap();

        // Spike times and (positive) amplitudes of the current-clamp events, in time
        // order; an event without a spike or failing QC is a missing (NaN) amplitude.
        let (mut times, mut amplitudes) = (Vec::new(), Vec::new());
        for sweep in sweeps.iter().filter(|s| s.clamp_mode == ClampMode::Current) {
            for pulse in &sweep.pulses {
                let qc = if chosen.sign > 0.0 {
                    pulse.ex_qc_pass
                } else {
                    pulse.in_qc_pass
                };
                let spike = pulse.spike_time_s.unwrap_or(pulse.onset_time_s + 1.5e-3);
                times.push(sweep.start_time_s + spike);
                amplitudes.push(match (pulse.spike_time_s, pulse.amplitude_v, qc) {
                    (Some(_), Some(a), true) => a * chosen.sign,
                    _ => f64::NAN,
                });
            }
        }
        assert!(times.len() >= n_events);

        let truth: ReleaseParams = synapse.release;
        let grid = ParamSpace::default_grid(truth.measurement_stdev()).unwrap();
        let space = ParamSpace::builder()
            .axis(
                Param::NReleaseSites,
                around(
                    &grid,
                    Param::NReleaseSites,
                    truth.get(Param::NReleaseSites),
                    2,
                ),
            )
            .axis(
                Param::BaseReleaseProbability,
                around(
                    &grid,
                    Param::BaseReleaseProbability,
                    truth.base_release_probability(),
                    2,
                ),
            )
            .axis(
                Param::MiniAmplitudeCv,
                around(&grid, Param::MiniAmplitudeCv, truth.mini_amplitude_cv(), 1),
            )
            .axis(
                Param::DepressionAmount,
                around(&grid, Param::DepressionAmount, truth.depression_amount(), 2),
            )
            .axis(
                Param::DepressionTau,
                around(&grid, Param::DepressionTau, truth.depression_tau(), 1),
            )
            .axis(
                Param::FacilitationAmount,
                around(
                    &grid,
                    Param::FacilitationAmount,
                    truth.facilitation_amount(),
                    2,
                ),
            )
            .axis(
                Param::FacilitationTau,
                around(&grid, Param::FacilitationTau, truth.facilitation_tau(), 1),
            )
            .fixed(Param::MeasurementStdev, truth.measurement_stdev())
            .build()
            .unwrap();
        let result = Search::new(&space, &times, &amplitudes).run().unwrap();
        let best = result.best().unwrap();
        eprintln!(
            "pair {} ({} set, {} events): truth {truth:?}\nbest of {} points {:?}",
            chosen.place.pair_id,
            chosen.truth.release_name,
            times.len(),
            space.len(),
            best.params
        );
        for param in [
            Param::NReleaseSites,
            Param::BaseReleaseProbability,
            Param::DepressionAmount,
            Param::FacilitationAmount,
        ] {
            let found = grid_index(&grid, param, best.params.get(param));
            let expected = grid_index(&grid, param, truth.get(param));
            assert!(
                (found - expected).abs() <= 1,
                "{param}: best {} is neither the truth {} nor a neighbour",
                best.params.get(param),
                truth.get(param)
            );
        }
    }
}
