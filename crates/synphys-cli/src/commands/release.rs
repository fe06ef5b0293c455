//! `synphys release simulate | run | fit | merge` over `synphys-release-model`.

mod files;

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::{Map, Value as Json, json};
use synphys_release_model::{
    Param, ReleaseModel, ReleaseParams, Search, SearchResult, ShardResult, twelve_pulse_train,
};

use super::{Context, plots};
use crate::cli::{FitArgs, MergeArgs, ReleaseCommand, RunArgs, SimulateArgs};
use crate::output::{Cell, Report, Sink, Table};
use crate::progress;

pub(crate) use files::{read_events, read_params};

/// The tutorial's spike train (seconds), used when no other is given.
const TUTORIAL_SPIKES_S: [f64; 11] = [
    0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52,
];

/// Confidence level of the reported regions.
const CONFIDENCE_LEVEL: f64 = 0.95;

pub(crate) fn run(ctx: &mut Context, command: ReleaseCommand) -> Result<()> {
    match command {
        ReleaseCommand::Simulate(args) => simulate(ctx, &args),
        ReleaseCommand::Run(args) => run_events(ctx, &args),
        ReleaseCommand::Fit(args) => fit(ctx, &args),
        ReleaseCommand::Merge(args) => merge(ctx, &args),
    }
}

/// The unit of a parameter's values, for table headers.
pub(crate) fn param_unit(param: Param) -> Option<&'static str> {
    match param {
        Param::MiniAmplitude | Param::MeasurementStdev => Some("V"),
        Param::DepressionTau | Param::FacilitationTau => Some("s"),
        _ => None,
    }
}

/// The nine parameters as a JSON object keyed by their names.
pub(crate) fn params_json(params: &ReleaseParams) -> Json {
    let object: Map<String, Json> = Param::ALL
        .iter()
        .map(|p| {
            let value = params.get(*p);
            let value = if *p == Param::NReleaseSites {
                json!(value as i64)
            } else {
                json!(value)
            };
            (p.name().to_string(), value)
        })
        .collect();
    Json::Object(object)
}

fn params_for(
    ctx: &Context,
    pair: Option<&str>,
    params: Option<&std::path::Path>,
) -> Result<ReleaseParams> {
    match (pair, params) {
        (_, Some(path)) => read_params(path),
        (Some(pair), None) => super::database::pair_release_params(ctx, pair),
        (None, None) => bail!("give --params FILE or --pair EXPT:PRE:POST"),
    }
}

fn simulate(ctx: &Context, args: &SimulateArgs) -> Result<()> {
    let params = params_for(ctx, args.pair.as_deref(), args.params.as_deref())?;
    let spikes: Vec<f64> = match (&args.protocol, args.spikes.is_empty()) {
        (Some(p), _) => twelve_pulse_train(0.0, p.frequency_hz, p.recovery_delay_s),
        (None, false) => args.spikes.clone(),
        (None, true) => TUTORIAL_SPIKES_S.to_vec(),
    };
    if args.trials == 0 {
        bail!("--trials 0 simulates nothing; give at least 1");
    }
    let model = ReleaseModel::new(params);
    let expected = model
        .expected(&spikes)
        .context("cannot run the model on these spike times")?
        .expected_amplitudes();
    let trials: Vec<Vec<f64>> = model
        .simulate(&spikes, args.trials, args.seed)?
        .outer_iter()
        .map(|trial| trial.to_vec())
        .collect();
    let (mean, std) = synphys_report::column_mean_std(&trials, spikes.len());
    if let Some(path) = &args.plot.plot {
        plots::trials(ctx, path, &spikes, &trials, &mean)?;
    }

    let mut table = Table::new(&[
        ("spike_time", Some("s")),
        ("expected_amplitude", Some("V")),
        ("mean_amplitude", Some("V")),
        ("std_amplitude", Some("V")),
    ]);
    for i in 0..spikes.len() {
        table.push(vec![
            spikes[i].into(),
            expected[i].into(),
            mean[i].into(),
            std[i].into(),
        ]);
    }
    let json = json!({
        "params": params_json(&params),
        "trials": args.trials,
        "seed": args.seed,
        "events": table.json_rows(),
        "amplitudes": trials,
    });
    let mut report = Report::table(table);
    report.notes = vec![
        ("trials".into(), args.trials.to_string()),
        ("seed".into(), args.seed.to_string()),
    ];
    report.json = Some(json);
    ctx.print(&report)
}

fn run_events(ctx: &Context, args: &RunArgs) -> Result<()> {
    let params = read_params(&args.params)?;
    let (times, amplitudes) = read_events(&args.events)?;
    let run = ReleaseModel::new(params)
        .likelihood(&times, &amplitudes)
        .with_context(|| format!("cannot score the events of {}", args.events.display()))?;
    let mut table = Table::new(&[
        ("spike_time", Some("s")),
        ("amplitude", Some("V")),
        ("expected_amplitude", Some("V")),
        ("likelihood", None),
        ("vesicle_pool", None),
        ("depression", None),
        ("facilitation", None),
        ("release_probability", None),
    ]);
    for event in run.events() {
        let state = event.pre_spike;
        table.push(vec![
            event.spike_time.into(),
            event.amplitude.into(),
            event.expected_amplitude.into(),
            event.likelihood.into(),
            state.map(|s| s.vesicle_pool).into(),
            state.map(|s| s.depression).into(),
            state.map(|s| s.facilitation).into(),
            state.map(|s| s.release_probability).into(),
        ]);
    }
    let score = run.score();
    let json = json!({"score": score, "events": table.json_rows()});
    let mut report = Report::table(table);
    report.notes = vec![(
        "score".into(),
        score.map_or("none (no measured event)".into(), |s| s.to_string()),
    )];
    report.json = Some(json);
    ctx.print(&report)
}

fn fit(ctx: &mut Context, args: &FitArgs) -> Result<()> {
    let (times, amplitudes, stdev) = match (&args.events, &args.pair) {
        (Some(path), _) => {
            let (t, a) = read_events(path)?;
            let stdev = args.measurement_stdev.ok_or_else(|| {
                anyhow!("--events needs --measurement-stdev VOLTAGE (e.g. 0.1mV)")
            })?;
            (t, a, stdev)
        }
        (None, Some(pair)) => {
            let (t, a, measured) = super::database::pair_events(ctx, pair)?;
            (t, a, args.measurement_stdev.unwrap_or(measured))
        }
        (None, None) => bail!("give --events FILE --measurement-stdev V, or --pair EXPT:PRE:POST"),
    };
    if let (Some(path), Some(_)) = (&args.plot.plot, args.shard) {
        bail!(
            "cannot plot to {} from one shard: plot the whole search (without --shard) or merge the shards first",
            path.display()
        );
    }
    let space = files::grid(&args.grid, stdev)?;
    if let Some(threads) = args.threads
        && threads == 0
    {
        bail!("--threads 0: give at least 1 worker thread");
    }
    progress::catch_ctrl_c();
    let total = match args.shard {
        Some((_, n)) => (space.len() as u64).div_ceil(n as u64),
        None => space.len() as u64,
    };
    let bar = progress::bar(Some(total), "searching", false, ctx.global.quiet);
    let report_progress = |p: synphys_release_model::Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let mut search = Search::new(&space, &times, &amplitudes)
        .progress(&report_progress)
        .cancel_flag(&progress::CANCEL);
    if let Some(threads) = args.threads {
        search = search.threads(threads);
    }
    match (args.shard, &args.out) {
        (Some((index, count)), Some(out)) => {
            let shard = search.run_shard(index, count);
            bar.finish_and_clear();
            let shard = shard.context("the search stopped")?;
            shard
                .write(out)
                .with_context(|| format!("cannot write shard file {}", out.display()))?;
            ctx.notice(&format!(
                "wrote shard {index}/{count} ({} of {} points) to {}; merge the shards with `synphys release merge`",
                shard.len(),
                space.len(),
                out.display()
            ));
            Ok(())
        }
        _ => {
            let result = search.run();
            bar.finish_and_clear();
            let result = result.context("the search stopped")?;
            if let Some(path) = &args.plot.plot {
                plots::marginals(ctx, path, &result)?;
            }
            ctx.print(&search_report(&result)?)
        }
    }
}

fn merge(ctx: &mut Context, args: &MergeArgs) -> Result<()> {
    if let Some(out) = &args.out {
        ctx.sink = Sink::resolve(ctx.global.format, Some(out));
    }
    let shards = args
        .files
        .iter()
        .map(|path| {
            ShardResult::read(path).with_context(|| {
                format!("cannot read shard file {}; give files written by `synphys release fit --shard`", path.display())
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let result = ShardResult::merge(&shards).context("cannot merge these shard files")?;
    ctx.print(&search_report(&result)?)
}

/// Best parameters with their confidence regions, and the marginal distributions.
fn search_report(result: &SearchResult) -> Result<Report> {
    let best = result.best().ok_or_else(|| {
        anyhow!("no point of the grid has a finite score; check the events and the grid")
    })?;
    let mut best_table = Table::new(&[
        ("parameter", None),
        ("value", None),
        ("unit", None),
        ("ci_lower", None),
        ("ci_upper", None),
    ]);
    let mut marginal_table = Table::new(&[
        ("parameter", None),
        ("value", None),
        ("probability", None),
        ("profile_score", None),
    ]);
    let mut regions = Map::new();
    let mut marginals = Map::new();
    for param in Param::ALL {
        let (lower, upper) = if result.space().axis(param).is_some() {
            let region = result.confidence_region(param, CONFIDENCE_LEVEL)?;
            let marginal = result.marginal(param)?;
            for i in 0..marginal.values.len() {
                marginal_table.push(vec![
                    param.name().into(),
                    marginal.values[i].into(),
                    marginal.probability[i].into(),
                    marginal.profile[i].into(),
                ]);
            }
            regions.insert(param.name().into(), serde_json::to_value(&region)?);
            marginals.insert(param.name().into(), serde_json::to_value(&marginal)?);
            (Cell::from(region.lower), Cell::from(region.upper))
        } else {
            (Cell::Null, Cell::Null)
        };
        best_table.push(vec![
            param.name().into(),
            best.params.get(param).into(),
            param_unit(param).map_or(Cell::Null, Cell::from),
            lower,
            upper,
        ]);
    }
    let json = json!({
        "best": params_json(&best.params),
        "score": best.score,
        "events": result.events(),
        "points": result.space().len(),
        "mini_amplitude_optimised": result.space().optimises_mini_amplitude(),
        "confidence_level": CONFIDENCE_LEVEL,
        "confidence_regions": regions,
        "marginals": marginals,
    });
    Ok(Report {
        notes: vec![
            ("score".into(), best.score.to_string()),
            ("events".into(), result.events().to_string()),
            ("points".into(), result.space().len().to_string()),
        ],
        sections: vec![
            (
                Some(format!(
                    "best parameters ({:.0}% confidence region of the grid values)",
                    CONFIDENCE_LEVEL * 100.0
                )),
                best_table,
            ),
            (Some("marginal distributions".into()), marginal_table),
        ],
        json: Some(json),
    })
}
