//! The JSON and CSV layouts (version 1).

use synphys_connectivity::{ConnectivityPrior, DistanceMeasure, Kernel};

use crate::error::{ErrorKind, Result};
use crate::priors::{ClassPairPrior, FORMAT, NetworkPriors, VERSION};
use crate::summary::{
    DynamicsSummary, Quartiles, ReleaseModelSummary, RestingStateSummary, SynapseSummary,
};

fn format_error(format: &'static str, e: impl std::fmt::Display) -> crate::Error {
    ErrorKind::Format {
        format,
        message: e.to_string(),
    }
    .into()
}

/// The priors as pretty-printed JSON (layout [`VERSION`], described by
/// [`crate::SCHEMA_V1`]). Absent numbers are `null`.
///
/// # Errors
///
/// [`ErrorKind::Format`] if serialisation fails.
pub fn to_json(priors: &NetworkPriors) -> Result<String> {
    serde_json::to_string_pretty(priors).map_err(|e| format_error("JSON", e))
}

/// Priors from JSON written by [`to_json`].
///
/// # Errors
///
/// [`ErrorKind::UnsupportedLayout`] when the document is not `"synphys-priors"` version
/// [`VERSION`]; [`ErrorKind::Format`] when it is not valid JSON or misses a field.
pub fn from_json(text: &str) -> Result<NetworkPriors> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format_error("JSON", e))?;
    let found_format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
    let found_version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if found_format != FORMAT || found_version != u64::from(VERSION) {
        return Err(ErrorKind::UnsupportedLayout {
            found_format: found_format.to_string(),
            found_version,
            supported: VERSION,
        }
        .into());
    }
    serde_json::from_value(value).map_err(|e| format_error("JSON", e))
}

/// The connectivity record as header and cells, through the CSV serializer so the
/// columns follow `ConnectivityPrior`'s own field order.
fn connectivity_cells(pair: &ClassPairPrior) -> Result<(Vec<String>, Vec<String>)> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .serialize(&pair.connectivity)
        .map_err(|e| format_error("CSV", e))?;
    let bytes = writer.into_inner().map_err(|e| format_error("CSV", e))?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader
        .headers()
        .map_err(|e| format_error("CSV", e))?
        .clone();
    let record = reader
        .records()
        .next()
        .transpose()
        .map_err(|e| format_error("CSV", e))?
        .unwrap_or_default();
    Ok(header
        .iter()
        .zip(record.iter().chain(std::iter::repeat("")))
        .filter(|(name, _)| !matches!(*name, "pre_class" | "post_class"))
        .map(|(name, cell)| (format!("connectivity.{name}"), cell.to_string()))
        .unzip())
}

fn number(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn push_quartiles(
    header: &mut Vec<String>,
    cells: &mut Vec<String>,
    section: &str,
    quantities: Vec<(&'static str, &Quartiles)>,
) {
    for (name, q) in quantities {
        for (stat, cell) in [
            ("median", number(q.median)),
            ("iqr_lower", number(q.iqr_lower)),
            ("iqr_upper", number(q.iqr_upper)),
            ("count", q.count.to_string()),
        ] {
            header.push(format!("{section}.{name}.{stat}"));
            cells.push(cell);
        }
    }
}

/// One CSV row: header names and cells.
fn csv_row(pair: &ClassPairPrior) -> Result<(Vec<String>, Vec<String>)> {
    let mut header: Vec<String> = vec!["pre_class".into(), "post_class".into()];
    let mut cells = vec![pair.pre_class.clone(), pair.post_class.clone()];
    let (h, c) = connectivity_cells(pair)?;
    header.extend(h);
    cells.extend(c);
    for (name, n) in [
        ("n_synapses", pair.n_synapses),
        ("n_excitatory", pair.n_excitatory),
        ("n_inhibitory", pair.n_inhibitory),
    ] {
        header.push(name.into());
        cells.push(n.to_string());
    }
    push_quartiles(
        &mut header,
        &mut cells,
        "synapse",
        pair.synapse.quantities(),
    );
    push_quartiles(
        &mut header,
        &mut cells,
        "resting_state",
        pair.resting_state.quantities(),
    );
    push_quartiles(
        &mut header,
        &mut cells,
        "dynamics",
        pair.dynamics.quantities(),
    );
    push_quartiles(
        &mut header,
        &mut cells,
        "release_model",
        pair.release_model.quantities(),
    );
    let gap = &pair.gap_junction;
    for (name, cell) in [
        ("n_probed", gap.n_probed.to_string()),
        ("n_gap_junctions", gap.n_gap_junctions.to_string()),
        ("probability", number(gap.probability)),
        ("ci_lower", gap.ci_lower.to_string()),
        ("ci_upper", gap.ci_upper.to_string()),
    ] {
        header.push(format!("gap_junction.{name}"));
        cells.push(cell);
    }
    Ok((header, cells))
}

/// The CSV header of layout version 1: `pre_class`, `post_class`, the connectivity
/// record's fields as `connectivity.<field>`, `n_synapses`, `n_excitatory`,
/// `n_inhibitory`, then `<section>.<quantity>.<median|iqr_lower|iqr_upper|count>` for
/// the sections `synapse`, `resting_state`, `dynamics` and `release_model` (quantities
/// in the order of their `COLUMNS`), and `gap_junction.<n_probed|n_gap_junctions|
/// probability|ci_lower|ci_upper>`.
///
/// ```
/// let header = synphys_priors::csv_header()?;
/// assert_eq!(&header[..3], ["pre_class", "post_class", "connectivity.n_probed"]);
/// assert!(header.iter().any(|h| h == "synapse.psp_amplitude_v.median"));
/// # Ok::<(), synphys_priors::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Format`] if the connectivity record cannot be serialised.
pub fn csv_header() -> Result<Vec<String>> {
    let empty = ConnectivityPrior {
        pre_class: String::new(),
        post_class: String::new(),
        n_probed: 0,
        n_connected: 0,
        alpha: 0.05,
        raw_probability: f64::NAN,
        raw_ci_lower: 0.0,
        raw_ci_upper: 1.0,
        distance_measure: DistanceMeasure::Lateral,
        kernel: Kernel::Gaussian,
        sigma_m: None,
        adjusted_pmax: None,
        adjusted_ci_lower: None,
        adjusted_ci_upper: None,
        adjusted_method: None,
        pmax_clamped: false,
        fit_model: None,
        fit_pmax: None,
        fit_size_m: None,
        fit_nll: None,
    };
    let pair = ClassPairPrior {
        pre_class: String::new(),
        post_class: String::new(),
        connectivity: empty,
        n_synapses: 0,
        n_excitatory: 0,
        n_inhibitory: 0,
        synapse: SynapseSummary::default(),
        resting_state: RestingStateSummary::default(),
        dynamics: DynamicsSummary::default(),
        release_model: ReleaseModelSummary::default(),
        gap_junction: crate::GapJunctionPrior {
            n_probed: 0,
            n_gap_junctions: 0,
            probability: None,
            ci_lower: 0.0,
            ci_upper: 1.0,
        },
    };
    Ok(csv_row(&pair)?.0)
}

/// The priors as CSV: the header of [`csv_header`], then one row per class pair. An
/// absent number is an empty cell. The document's `database`, `class_set` and
/// `options` are not in the CSV (use the JSON for them).
///
/// # Errors
///
/// [`ErrorKind::Format`] if a row cannot be written.
pub fn to_csv(priors: &NetworkPriors) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(csv_header()?)
        .map_err(|e| format_error("CSV", e))?;
    for pair in &priors.pairs {
        writer
            .write_record(csv_row(pair)?.1)
            .map_err(|e| format_error("CSV", e))?;
    }
    let bytes = writer.into_inner().map_err(|e| format_error("CSV", e))?;
    String::from_utf8(bytes).map_err(|e| format_error("CSV", e))
}
