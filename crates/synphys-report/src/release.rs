//! Steps 7 and 8: the release model on one synapse — 500 simulated trials of its
//! maximum-likelihood parameters, and a fit of its events on a reduced grid.

use synphys_plot::{MarginalPanel, Marginals, Unit, write_marginals};
use synphys_query::{Frame, PairRef, SynapseEvents};
use synphys_release_model::{
    Param, ParamSpace, ReleaseModel, ReleaseParams, Search, logspace, train_protocol,
};

use crate::error::Result;
use crate::options::TUTORIAL_SPIKE_TIMES_S;
use crate::report::{EventSource, FitStep, MarginalRow, SimulationStep};
use crate::stats::column_mean_std;
use crate::tutorial::{Runner, no_data};

/// The reduced search grid of the tutorial's fit: 20,736 points with the mini amplitude
/// optimised at each — n_release_sites {1, 2, 3, 4, 6, 8, 12, 16} × base_release_probability
/// 8 log-spaced in [0.01, 1] × mini_amplitude_cv {0.1, 0.32, 1} × depression_amount
/// {−1, 0, 0.25, 0.5} × depression_tau and facilitation_tau 3 log-spaced in
/// [0.01, 2.56] s × facilitation_amount {0, 0.25, 0.5}, with measurement_stdev fixed. The
/// axes span the default grid's ranges (DESIGN §7) more coarsely.
///
/// ```
/// let space = synphys_report::tutorial_fit_space(1e-4)?;
/// assert_eq!(space.len(), 20_736);
/// assert!(space.optimises_mini_amplitude());
/// # Ok::<(), synphys_release_model::Error>(())
/// ```
///
/// # Errors
///
/// A measurement stdev that is not a positive number.
pub fn tutorial_fit_space(measurement_stdev_v: f64) -> synphys_release_model::Result<ParamSpace> {
    ParamSpace::builder()
        .axis(
            Param::NReleaseSites,
            vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0],
        )
        .axis(Param::BaseReleaseProbability, logspace(0.01, 1.0, 8))
        .axis(Param::MiniAmplitudeCv, logspace(0.1, 1.0, 3))
        .axis(Param::DepressionAmount, vec![-1.0, 0.0, 0.25, 0.5])
        .axis(Param::DepressionTau, logspace(0.01, 2.56, 3))
        .axis(Param::FacilitationAmount, vec![0.0, 0.25, 0.5])
        .axis(Param::FacilitationTau, logspace(0.01, 2.56, 3))
        .fixed(Param::MeasurementStdev, measurement_stdev_v)
        .build()
}

/// The maximum-likelihood release parameters stored for row `row`
/// (`synapse_model.ml_*`), or `None` when any is missing or invalid.
pub(crate) fn ml_params(frame: &Frame, row: usize) -> Option<ReleaseParams> {
    let r = frame.row(row);
    let mut values = [0.0; 9];
    for (value, param) in values.iter_mut().zip(Param::ALL) {
        *value = r.f64(&format!("synapse_model.ml_{}", param.name()))?;
    }
    ReleaseParams::from_values(values).ok()
}

/// The first synapse (in query order) with stored release parameters.
pub(crate) fn first_modelled_synapse(frame: &Frame) -> Option<(i64, ReleaseParams)> {
    (0..frame.n_rows()).find_map(|r| Some((frame.row(r).i64("pair.id")?, ml_params(frame, r)?)))
}

impl Runner<'_> {
    /// Step 7: the tutorial's spike train run `trials` times with the parameters of
    /// the first synapse that has them.
    pub(crate) fn simulation(&mut self, frames: &[&Frame]) -> Result<SimulationStep> {
        let Some((pair_id, params)) = frames.iter().find_map(|f| first_modelled_synapse(f)) else {
            return Err(no_data(
                "release-model simulation",
                "no synapse has synapse_model.ml_* parameters",
            ));
        };
        let model = ReleaseModel::new(params);
        let spikes = TUTORIAL_SPIKE_TIMES_S.to_vec();
        let seed = self.options.seed_value();
        let trials: Vec<Vec<f64>> = model
            .simulate(&spikes, self.options.trial_count(), seed)?
            .outer_iter()
            .map(|trial| trial.to_vec())
            .collect();
        let (mean, _) = column_mean_std(&trials, spikes.len());
        self.trials_figure(
            format!(
                "Release model: {} trials of pair {pair_id}'s ML parameters",
                trials.len()
            ),
            spikes.clone(),
            trials,
            mean.clone(),
        )?;
        Ok(SimulationStep {
            pair_id,
            params,
            spike_times_s: spikes,
            n_trials: self.options.trial_count(),
            seed,
            mean_amplitude_v: mean,
        })
    }

    /// The first pair with per-event data whose events load (DESIGN §7a) and have a
    /// measured noise level.
    fn recorded_events(&self) -> Result<Option<(i64, SynapseEvents)>> {
        if !self.db.has_table("pulse_response")? {
            return Ok(None);
        }
        let pairs = self.db.sql(
            "SELECT DISTINCT pair_id FROM pulse_response WHERE pair_id IS NOT NULL ORDER BY pair_id",
        )?;
        for id in pairs.i64s("pair_id")?.iter().flatten() {
            // A pair whose events cannot be used (no finite amplitude, …) is passed over.
            if let Ok(events) = self.db.synapse_events(&PairRef::Id(*id))
                && events.measurement_stdev_v > 0.0
            {
                return Ok(Some((*id, events)));
            }
        }
        Ok(None)
    }

    /// Step 8: a reduced-grid fit on one synapse's recorded events, or — when the file
    /// has none — on events simulated from the step-7 synapse's parameters.
    pub(crate) fn fit(&mut self, simulation: Option<&SimulationStep>) -> Result<FitStep> {
        let (pair_id, source, times, amplitudes, stdev) = match self.recorded_events()? {
            Some((id, events)) => (
                id,
                EventSource::Database,
                events.spike_times_s,
                events.amplitudes_v,
                events.measurement_stdev_v,
            ),
            None => {
                let Some(sim) = simulation else {
                    return Err(no_data(
                        "release-model fit",
                        "the file has no per-event tables and no synapse has release parameters to simulate events from",
                    ));
                };
                let (times, amplitudes) = simulated_events(&sim.params, self.options.seed_value())?;
                (
                    sim.pair_id,
                    EventSource::Simulated,
                    times,
                    amplitudes,
                    sim.params.measurement_stdev(),
                )
            }
        };
        let space = tutorial_fit_space(stdev)?;
        let started = std::time::Instant::now();
        let mut search = Search::new(&space, &times, &amplitudes);
        if self.options.thread_count() > 0 {
            search = search.threads(self.options.thread_count());
        }
        let result = search.run()?;
        let seconds = started.elapsed().as_secs_f64();
        let Some(best) = result.best() else {
            return Err(no_data(
                "release-model fit",
                format!("no grid point has a finite score for pair {pair_id}"),
            ));
        };
        let mut marginals = Vec::new();
        let mut panels = Vec::new();
        for axis in space.axes() {
            let m = result.marginal(axis.param)?;
            let unit = match axis.param {
                Param::DepressionTau | Param::FacilitationTau => Unit::millisecond(),
                _ => Unit::none(),
            };
            panels.push(MarginalPanel {
                parameter: axis.param.name().to_string(),
                unit,
                values: m.values.clone(),
                probability: m.probability.clone(),
                best: Some(best.params.get(axis.param)),
            });
            marginals.push(MarginalRow {
                parameter: axis.param.name().to_string(),
                values: m.values,
                probability: m.probability,
            });
        }
        let what = match source {
            EventSource::Database => "recorded events",
            EventSource::Simulated => "simulated events",
        };
        let figure = Marginals::new(
            format!("Release-model fit of pair {pair_id} ({what}): marginal likelihood"),
            panels,
        );
        self.draw("release_fit_marginals", |path| {
            write_marginals(path, &figure)
        })?;
        Ok(FitStep {
            pair_id,
            source,
            n_events: times.len(),
            measurement_stdev_v: stdev,
            grid_points: space.len(),
            best: best.params,
            best_score: best.score,
            marginals,
            seconds,
        })
    }
}

/// 192 events of the dataset's stimulus protocol (12-pulse trains at 10, 20, 50 and
/// 100 Hz with 250 ms and 1 s recovery delays, twice) simulated from `params`.
pub(crate) fn simulated_events(params: &ReleaseParams, seed: u64) -> Result<(Vec<f64>, Vec<f64>)> {
    let times = train_protocol(&[10.0, 20.0, 50.0, 100.0], &[0.25, 1.0], 2, 15.0);
    // A different stream from the trials', so the fit is not fed the figure's draws.
    let mut rng = synphys_release_model::rng(seed.wrapping_add(1));
    let amplitudes = ReleaseModel::new(*params)
        .random(&times, &mut rng)?
        .amplitudes();
    Ok((times, amplitudes))
}
