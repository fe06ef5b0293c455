//! `--plot FILE`: hands what a command computed to `synphys-plot` (SVG or PNG by the
//! extension, `FILE.csv` beside it). Only the mapping from results to figure inputs is
//! here; figures draw, crates compute.

use std::path::Path;

use anyhow::{Context as _, Result};
use synphys_connectivity::{AnyDistanceModel, ConnectivityModel, DistanceProfile, Fit};
use synphys_plot::{
    BoxGroup, BoxPlot, DistanceProfilePlot, FittedCurve, Heatmap, Histogram, MarginalPanel,
    Marginals, ReleaseTrials, Unit, Written,
};
use synphys_query::{ClassMatrix, ConnectivityMatrix};
use synphys_release_model::{Param, SearchResult};
use synphys_report::{BoxStats, HistogramBin};

use super::Context;

fn wrote(ctx: &Context, written: synphys_plot::Result<Written>, path: &Path) -> Result<()> {
    let written = written.with_context(|| format!("cannot plot to {}", path.display()))?;
    ctx.notice(&format!(
        "wrote {} and {} (the data it draws)",
        written.image.display(),
        written.csv.display()
    ));
    Ok(())
}

/// `matrix --plot`: the aggregate per class pair, annotated with its value.
pub(crate) fn matrix(ctx: &Context, path: &Path, matrix: &ClassMatrix) -> Result<()> {
    let label = format!("{} of {}", matrix.aggregate().name(), matrix.column());
    let heatmap = Heatmap::new(
        label.clone(),
        matrix.pre_names().to_vec(),
        matrix.post_names().to_vec(),
        matrix.to_rows(),
    )
    .colour_label(label);
    wrote(ctx, synphys_plot::write_heatmap(path, &heatmap), path)
}

/// `connectivity --plot`: the adjusted probability on a log colour scale, each cell
/// annotated connected/probed, unprobed class pairs grey.
pub(crate) fn connectivity(ctx: &Context, path: &Path, matrix: &ConnectivityMatrix) -> Result<()> {
    let heatmap =
        synphys_report::connectivity_heatmap("Connection probability, distance-adjusted", matrix);
    wrote(ctx, synphys_plot::write_heatmap(path, &heatmap), path)
}

/// `profile --plot`: binned proportion with its interval, the fitted model, and the
/// raster of the probed pairs (`(distance m, connected)` of each).
pub(crate) fn profile(
    ctx: &Context,
    path: &Path,
    binned: &DistanceProfile,
    fit: &Fit<AnyDistanceModel>,
    model_name: &str,
    (x_m, connected): (&[f64], &[bool]),
    confidence: f64,
) -> Result<()> {
    let extent = binned.bins.last().map_or(500e-6, |b| b.upper_edge_m);
    let label = format!(
        "{model_name} fit: pmax = {:.2}, size = {:.0} µm",
        fit.model.pmax(),
        fit.model.size_m() * 1e6
    );
    let curve = FittedCurve::sample(label, extent, 200, |x| fit.model.connection_probability(x));
    let figure = DistanceProfilePlot::new(
        "Connectivity vs lateral distance",
        synphys_report::profile_bins(binned),
        x_m.to_vec(),
        connected.to_vec(),
    )
    .fit(curve)
    .confidence(confidence);
    wrote(
        ctx,
        synphys_plot::write_distance_profile(path, &figure),
        path,
    )
}

/// `hist --plot`.
pub(crate) fn histogram(
    ctx: &Context,
    path: &Path,
    metric: &str,
    bins: &[HistogramBin],
) -> Result<()> {
    let bars = bins
        .iter()
        .map(|b| synphys_plot::HistogramBin {
            lower: b.lower,
            upper: b.upper,
            count: b.count,
        })
        .collect();
    let figure =
        Histogram::new(format!("Distribution of {metric}"), metric, bars).unit(Unit::none());
    wrote(ctx, synphys_plot::write_histogram(path, &figure), path)
}

/// `box --plot`: one box per group (whiskers at the smallest and largest value).
pub(crate) fn box_plot(
    ctx: &Context,
    path: &Path,
    metric: &str,
    by: &str,
    groups: &[(String, BoxStats, Vec<f64>)],
) -> Result<()> {
    let mut figure = BoxPlot::new(format!("{metric} by {by}"), metric, by);
    for (name, s, values) in groups {
        figure = figure.group(BoxGroup {
            name: name.clone(),
            whisker_low: s.min,
            q1: s.q1,
            median: s.median,
            q3: s.q3,
            whisker_high: s.max,
            values: values.clone(),
        });
    }
    wrote(ctx, synphys_plot::write_box_plot(path, &figure), path)
}

/// `release simulate --plot`.
pub(crate) fn trials(
    ctx: &Context,
    path: &Path,
    spikes_s: &[f64],
    trials_v: &[Vec<f64>],
    mean_v: &[f64],
) -> Result<()> {
    let figure = ReleaseTrials::new(
        format!("Release model: {} simulated trials", trials_v.len()),
        spikes_s.to_vec(),
        trials_v.to_vec(),
        mean_v.to_vec(),
    );
    wrote(ctx, synphys_plot::write_release_trials(path, &figure), path)
}

/// `release fit --plot`: one panel per grid axis.
pub(crate) fn marginals(ctx: &Context, path: &Path, result: &SearchResult) -> Result<()> {
    let best = result.best();
    let mut panels = Vec::new();
    for axis in result.space().axes() {
        let marginal = result.marginal(axis.param)?;
        panels.push(MarginalPanel {
            parameter: axis.param.name().to_string(),
            unit: match axis.param {
                Param::DepressionTau | Param::FacilitationTau => Unit::millisecond(),
                Param::MiniAmplitude | Param::MeasurementStdev => Unit::millivolt(),
                _ => Unit::none(),
            },
            values: marginal.values,
            probability: marginal.probability,
            best: best.as_ref().map(|b| b.params.get(axis.param)),
        });
    }
    let figure = Marginals::new(
        "Release-model fit: marginal likelihood per parameter",
        panels,
    );
    wrote(ctx, synphys_plot::write_marginals(path, &figure), path)
}
