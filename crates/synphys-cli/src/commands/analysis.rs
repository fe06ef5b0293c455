//! The tutorial's analyses over pair queries: `matrix`, `connectivity`, `profile`,
//! `hist`, `box` and `priors`. Each queries the pairs, hands them to a crate, and
//! prints what comes back.

use anyhow::{Context as _, Result, bail};
use serde_json::json;
use synphys_cellclass::{ClassSet, CompareOp, Scalar, SynapseType};
use synphys_connectivity::{
    AdjustedConnectivity, ConnectivityModel, DistanceMeasure, DistanceModelKind, DistanceProfile,
    ExactPmax, FitOptions, Simulator, SummaryOptions, export_network,
};
use synphys_priors::PriorsBuilder;
use synphys_query::{
    Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Frame, Grouping, PairQuery,
    Preload, SynphysDb, pair_records,
};

use super::pairs::{filtered, preload_for, value_text};
use super::{Context, classes, database, plots};
use crate::cli::{
    self, BoxArgs, ConnectivityArgs, DistanceMeasureArg, HistArgs, Mask, MatrixArgs, ModelArg,
    PairFilters, PriorFormat, PriorsArgs, ProfileArgs,
};
use crate::output::{Cell, Report, Table};

/// Confidence intervals are at 1 − alpha.
const ALPHA: f64 = 0.05;

/// The pair query with the filters, the cell columns and the preload of `column`.
fn query_with<'a>(
    db: &'a SynphysDb,
    filters: &PairFilters,
    classes: Option<&ClassSet>,
    column: Option<&str>,
) -> Result<PairQuery<'a>> {
    let mut query = filtered(db, filters, classes)?.preload(Preload::Cell);
    if let Some(preload) = column.map(preload_for).transpose()?.flatten() {
        query = query.preload(preload);
    }
    Ok(query)
}

pub(crate) fn matrix(ctx: &Context, args: &MatrixArgs) -> Result<()> {
    let classes = classes::required(&args.classes, "matrix")?;
    let db = database::open(ctx)?;
    let frame = query_with(&db, &args.filters, Some(&classes), Some(&args.metric))?.frame()?;
    let aggregate = match args.agg {
        cli::Aggregate::Mean => Aggregate::Mean,
        cli::Aggregate::Median => Aggregate::Median,
        cli::Aggregate::Count => Aggregate::Count,
        cli::Aggregate::Std => Aggregate::Std,
        cli::Aggregate::Min => Aggregate::Min,
        cli::Aggregate::Max => Aggregate::Max,
    };
    // The tutorial's pivot table groups each pair by its cells' first matching class.
    let matrix = ClassMatrix::new(
        &frame,
        &classes,
        &classes,
        &args.metric,
        aggregate,
        Grouping::FirstMatch,
    )?;
    if let Some(path) = &args.plot.plot {
        plots::matrix(ctx, path, &matrix)?;
    }
    let post = matrix.post_names();
    let mut columns: Vec<(&str, Option<&'static str>)> = vec![("pre_class", None)];
    columns.extend(post.iter().map(|n| (n.as_str(), None)));
    let mut values = Table::new(&columns);
    let mut counts = Table::new(&columns);
    for (i, pre) in matrix.pre_names().iter().enumerate() {
        let mut row = vec![Cell::from(pre.as_str())];
        row.extend((0..post.len()).map(|j| Cell::from(matrix.get(i, j))));
        values.push(row);
        let mut row = vec![Cell::from(pre.as_str())];
        row.extend((0..post.len()).map(|j| Cell::from(matrix.count(i, j))));
        counts.push(row);
    }
    ctx.print(&Report {
        notes: vec![
            ("metric".into(), args.metric.clone()),
            ("aggregate".into(), aggregate.name().into()),
            ("pairs".into(), frame.n_rows().to_string()),
        ],
        sections: vec![
            (
                Some(format!(
                    "{} of {} (rows: presynaptic class, columns: postsynaptic class)",
                    aggregate.name(),
                    args.metric
                )),
                values,
            ),
            (Some("values per cell".into()), counts),
        ],
        json: None,
    })
}

fn summary_options(sigma_m: f64, measure: DistanceMeasureArg) -> Result<SummaryOptions> {
    let distance = match measure {
        DistanceMeasureArg::Lateral => DistanceMeasure::Lateral,
        DistanceMeasureArg::ThreeD => DistanceMeasure::Distance3d,
        DistanceMeasureArg::Vertical => DistanceMeasure::Vertical,
    };
    if sigma_m.is_nan() || sigma_m <= 0.0 {
        bail!("--sigma must be positive, e.g. 100um");
    }
    Ok(SummaryOptions::new()
        .alpha(ALPHA)
        .sigma(sigma_m)
        .distance(distance))
}

fn connectivity_matrix(
    ctx: &Context,
    filters: &PairFilters,
    classes: &ClassSet,
    summary: SummaryOptions,
) -> Result<ConnectivityMatrix> {
    let db = database::open(ctx)?;
    let frame = query_with(&db, filters, Some(classes), None)?.frame()?;
    let options = ConnectivityOptions::new().summary(summary);
    Ok(ConnectivityMatrix::new(&frame, classes, classes, &options)?)
}

fn adjusted_cells(adjusted: Option<&AdjustedConnectivity>) -> [Cell; 3] {
    match adjusted {
        Some(a) => [a.pmax.into(), a.lower.into(), a.upper.into()],
        None => [Cell::Null, Cell::Null, Cell::Null],
    }
}

pub(crate) fn connectivity(ctx: &Context, args: &ConnectivityArgs) -> Result<()> {
    let classes = classes::required(&args.classes, "connectivity")?;
    let summary = summary_options(args.sigma, args.distance_measure)?;
    let matrix = connectivity_matrix(ctx, &args.filters, &classes, summary)?;
    if let Some(path) = &args.plot.plot {
        plots::connectivity(ctx, path, &matrix)?;
    }
    let mut table = Table::new(&[
        ("pre_class", None),
        ("post_class", None),
        ("n_probed", None),
        ("n_connected", None),
        ("probability", None),
        ("ci_lower", None),
        ("ci_upper", None),
        ("adjusted_probability", None),
        ("adjusted_ci_lower", None),
        ("adjusted_ci_upper", None),
    ]);
    for s in matrix.summaries() {
        let c = &s.connection;
        let mut row = vec![
            s.key.pre.as_str().into(),
            s.key.post.as_str().into(),
            c.n_probed.into(),
            c.n_connected.into(),
            c.estimate.into(),
            c.lower.into(),
            c.upper.into(),
        ];
        // The scaled approximation is the tutorial's (and the reference's) number.
        row.extend(adjusted_cells(s.adjusted.as_ref()));
        table.push(row);
    }
    let mut report = Report::table(table);
    report.notes = vec![
        (
            "classes grouped by".into(),
            "membership (a pair counts in every class pair its cells belong to)".into(),
        ),
        (
            "distance adjustment".into(),
            format!(
                "Gaussian, sigma {} um, {} distance",
                crate::output::format_float_short(args.sigma * 1e6),
                match args.distance_measure {
                    DistanceMeasureArg::Lateral => "lateral",
                    DistanceMeasureArg::ThreeD => "3d",
                    DistanceMeasureArg::Vertical => "vertical",
                }
            ),
        ),
        (
            "intervals".into(),
            format!("{:.0}% Clopper-Pearson", (1.0 - ALPHA) * 100.0),
        ),
    ];
    ctx.print(&report)
}

fn model_kind(model: ModelArg) -> DistanceModelKind {
    match model {
        ModelArg::Gaussian => DistanceModelKind::Gaussian,
        ModelArg::Exp => DistanceModelKind::Exponential,
        ModelArg::Linear => DistanceModelKind::Linear,
        ModelArg::Sphere => DistanceModelKind::SphereIntersection,
    }
}

pub(crate) fn profile(ctx: &Context, args: &ProfileArgs) -> Result<()> {
    let classes = super::classes::optional(&args.classes)?;
    let db = database::open(ctx)?;
    let mut query = query_with(&db, &args.filters, classes.as_ref(), None)?.filter_expr(
        "pair.lateral_distance",
        CompareOp::Lt,
        Scalar::Float(args.max_distance),
    );
    // The output synapse type decides which test spikes make a pair probed.
    let output = match args.mask {
        Some(mask) => {
            let (pre, post) = match mask {
                Mask::Ei => ("ex", "in"),
                Mask::Ee => ("ex", "ex"),
                Mask::Ie => ("in", "ex"),
                Mask::Ii => ("in", "in"),
            };
            query = query
                .filter_expr("pre_cell.cell_class", CompareOp::Eq, Scalar::from(pre))
                .filter_expr("post_cell.cell_class", CompareOp::Eq, Scalar::from(post));
            Some(if pre == "ex" {
                SynapseType::Ex
            } else {
                SynapseType::In
            })
        }
        None => match &args.filters.pre_class {
            Some(spec) => super::pairs::class_arg(spec, classes.as_ref())?.output_synapse_type()?,
            None => None,
        },
    };
    let frame: Frame = query.frame()?;
    let (x, connected): (Vec<f64>, Vec<bool>) = pair_records(&frame, output)?
        .iter()
        .filter(|r| r.probed && r.lateral_distance_m.is_finite())
        .map(|r| (r.lateral_distance_m, r.connected))
        .unzip();
    if x.is_empty() {
        bail!(
            "no probed pair with a lateral distance matches these filters; loosen them (e.g. drop --species or --max-distance)"
        );
    }
    let edges = args.bins.edges();
    let binned = DistanceProfile::new(&connected, &x, &edges, ALPHA)?;
    let kind = model_kind(args.model);
    let fit = kind
        .fit(&x, &connected, &FitOptions::new())
        .context("cannot fit the distance model")?;
    let exact = match kind {
        DistanceModelKind::Gaussian => Some(ExactPmax::gaussian(fit.model.size_m())),
        DistanceModelKind::Exponential => Some(ExactPmax::exponential(fit.model.size_m())),
        _ => None,
    }
    .map(|e| e.alpha(ALPHA).estimate(&x, &connected))
    .transpose()?
    .flatten();

    let mut table = Table::new(&[
        ("bin_start", Some("m")),
        ("bin_end", Some("m")),
        ("n_probed", None),
        ("n_connected", None),
        ("probability", None),
        ("ci_lower", None),
        ("ci_upper", None),
        ("model_probability", None),
    ]);
    for bin in &binned.bins {
        let p = &bin.probability;
        let centre = 0.5 * (bin.lower_edge_m + bin.upper_edge_m);
        table.push(vec![
            bin.lower_edge_m.into(),
            bin.upper_edge_m.into(),
            p.n_probed.into(),
            p.n_connected.into(),
            p.estimate.into(),
            p.lower.into(),
            p.upper.into(),
            fit.model.connection_probability(centre).into(),
        ]);
    }
    let [exact_pmax, exact_lower, exact_upper] = adjusted_cells(exact.as_ref());
    let mut fit_table = Table::new(&[
        ("model", None),
        ("pmax", None),
        ("size", Some("m")),
        ("nll", None),
        ("exact_pmax", None),
        ("exact_pmax_ci_lower", None),
        ("exact_pmax_ci_upper", None),
        ("n_pairs", None),
    ]);
    let model_name = serde_json::to_value(kind)?
        .as_str()
        .unwrap_or_default()
        .to_string();
    if let Some(path) = &args.plot.plot {
        plots::profile(
            ctx,
            path,
            &binned,
            &fit,
            &model_name,
            (&x, &connected),
            1.0 - ALPHA,
        )?;
    }
    fit_table.push(vec![
        model_name.as_str().into(),
        fit.model.pmax().into(),
        fit.model.size_m().into(),
        fit.nll.into(),
        exact_pmax,
        exact_lower,
        exact_upper,
        x.len().into(),
    ]);
    let json = json!({
        "bins": table.json_rows(),
        "fit": fit_table.json_rows().into_iter().next(),
    });
    ctx.print(&Report {
        notes: vec![("probed pairs".into(), x.len().to_string())],
        sections: vec![
            (Some("connection probability by lateral distance".into()), table),
            (Some(format!("fitted {model_name} model (size = sigma, lambda, reach or radius; exact pmax: likelihood-ratio interval at that size)")), fit_table),
        ],
        json: Some(json),
    })
}

/// The values of a numeric column of the filtered pairs, with their frame.
fn metric_values(
    ctx: &Context,
    filters: &PairFilters,
    classes: Option<&ClassSet>,
    metric: &str,
    extra: Option<&str>,
) -> Result<(Frame, Vec<f64>)> {
    let db = database::open(ctx)?;
    let mut query = query_with(&db, filters, classes, Some(metric))?;
    if let Some(preload) = extra.map(preload_for).transpose()?.flatten() {
        query = query.preload(preload);
    }
    let frame = query.frame()?;
    let values: Vec<f64> = frame
        .numbers(metric)?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    Ok((frame, values))
}

pub(crate) fn hist(ctx: &Context, args: &HistArgs) -> Result<()> {
    if args.bins == 0 {
        bail!("--bins 0: give at least one bin");
    }
    let classes = super::classes::optional(&args.classes)?;
    let (_, values) = metric_values(ctx, &args.filters, classes.as_ref(), &args.metric, None)?;
    let bins = synphys_report::histogram(&values, args.bins);
    if let Some(path) = &args.plot.plot {
        plots::histogram(ctx, path, &args.metric, &bins)?;
    }
    let mut table = Table::new(&[("bin_start", None), ("bin_end", None), ("count", None)]);
    for bin in &bins {
        table.push(vec![bin.lower.into(), bin.upper.into(), bin.count.into()]);
    }
    let counted: usize = bins.iter().map(|b| b.count).sum();
    let mut report = Report::table(table);
    report.notes = vec![
        ("metric".into(), args.metric.clone()),
        (
            "values".into(),
            format!("{counted} of {} pairs (null values left out)", values.len()),
        ),
    ];
    ctx.print(&report)
}

pub(crate) fn box_plot(ctx: &Context, args: &BoxArgs) -> Result<()> {
    let classes = super::classes::optional(&args.classes)?;
    let (frame, values) = metric_values(
        ctx,
        &args.filters,
        classes.as_ref(),
        &args.metric,
        Some(&args.by),
    )?;
    let by = frame.column(&args.by)?;
    let mut groups: Vec<(Option<String>, Vec<f64>)> = Vec::new();
    for (row, value) in values.iter().enumerate() {
        let key = value_text(&by.value(row)?);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(*value),
            None => groups.push((key, vec![*value])),
        }
    }
    // Sorted by group label, null last, so output is stable.
    groups.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut table = Table::new(&[
        ("group", None),
        ("n", None),
        ("min", None),
        ("q1", None),
        ("median", None),
        ("q3", None),
        ("max", None),
        ("mean", None),
    ]);
    let mut drawn = Vec::new();
    for (key, list) in &groups {
        let Some(s) = synphys_report::box_stats(list) else {
            continue;
        };
        drawn.push((
            key.clone().unwrap_or_else(|| "null".to_string()),
            s,
            list.clone(),
        ));
        table.push(vec![
            key.clone().into(),
            s.n.into(),
            s.min.into(),
            s.q1.into(),
            s.median.into(),
            s.q3.into(),
            s.max.into(),
            s.mean.into(),
        ]);
    }
    if let Some(path) = &args.plot.plot {
        plots::box_plot(ctx, path, &args.metric, &args.by, &drawn)?;
    }
    let mut report = Report::table(table);
    report.notes = vec![
        ("metric".into(), args.metric.clone()),
        ("grouped by".into(), args.by.clone()),
    ];
    ctx.print(&report)
}

pub(crate) fn priors(ctx: &Context, args: &PriorsArgs) -> Result<()> {
    let classes = classes::required(&args.classes, "priors")?;
    if args.sigma.is_nan() || args.sigma <= 0.0 {
        bail!("--sigma must be positive, e.g. 100um");
    }
    let db = database::open(ctx)?;
    let priors = PriorsBuilder::new(&db, &classes)
        .pairs(filtered(&db, &args.filters, Some(&classes))?)
        .alpha(ALPHA)
        .sigma_m(args.sigma)
        .build()?;
    let simulator = match args.to {
        PriorFormat::Json => return write_line_ended(ctx, synphys_priors::to_json(&priors)?),
        PriorFormat::Csv => return write_line_ended(ctx, synphys_priors::to_csv(&priors)?),
        PriorFormat::Nest => Simulator::Nest,
        PriorFormat::Pynn => Simulator::PyNN,
        PriorFormat::Netpyne => Simulator::NetPyNE,
        PriorFormat::Brian2 => Simulator::Brian2,
        PriorFormat::Sonata => Simulator::Sonata,
    };
    let projections = synphys_priors::projections(&priors)?;
    write_line_ended(ctx, export_network(&projections, simulator)?)
}

/// Writes `text` ending in exactly one newline.
fn write_line_ended(ctx: &Context, text: String) -> Result<()> {
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    ctx.sink.write_text(&text)
}
