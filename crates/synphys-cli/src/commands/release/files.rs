//! The release commands' input files: parameters (JSON), events (CSV), grids (JSON).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::Value as Json;
use synphys_release_model::{Param, ParamSpace, ReleaseParams};

fn param_names() -> String {
    Param::ALL
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The parameter called `name`, or an error naming the file, a close match and the
/// accepted names.
fn param_named(name: &str, file: &Path) -> Result<Param> {
    if let Some(param) = Param::ALL.into_iter().find(|p| p.name() == name) {
        return Ok(param);
    }
    let close = synphys_schema::close_matches(name, Param::ALL.iter().map(|p| p.name()));
    let hint = close
        .first()
        .map(|c| format!(" (did you mean {c}?)"))
        .unwrap_or_default();
    bail!(
        "{}: unknown parameter '{name}'{hint}; the parameters are {}",
        file.display(),
        param_names()
    )
}

fn read_json_object(path: &Path, what: &str) -> Result<serde_json::Map<String, Json>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {what} file {}", path.display()))?;
    match serde_json::from_str::<Json>(&text) {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) => bail!(
            "{what} file {} must hold a JSON object keyed by parameter name",
            path.display()
        ),
        Err(e) => bail!(
            "{what} file {} is not valid JSON ({e}); expected an object keyed by parameter name",
            path.display()
        ),
    }
}

/// Model parameters from a JSON object with the nine parameter names (SI units).
pub(crate) fn read_params(path: &Path) -> Result<ReleaseParams> {
    let object = read_json_object(path, "params")?;
    let mut builder = ReleaseParams::builder();
    let mut given = Vec::new();
    for (name, value) in &object {
        let param = param_named(name, path)?;
        let Some(number) = value.as_f64() else {
            bail!(
                "{}: {name} is {value}, expected a number in SI units",
                path.display()
            );
        };
        builder.set(param, number);
        given.push(param);
    }
    let missing: Vec<&str> = Param::ALL
        .iter()
        .filter(|p| !given.contains(p))
        .map(|p| p.name())
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} lacks {}: a params file sets all nine parameters ({})",
            path.display(),
            missing.join(", "),
            param_names()
        );
    }
    builder
        .build()
        .with_context(|| format!("invalid parameters in {}", path.display()))
}

/// Spike times and amplitudes from a CSV file with the columns `spike_time` and
/// `amplitude` (SI; other columns are ignored; an empty or NaN amplitude is a missing
/// event, NaN).
pub(crate) fn read_events(path: &Path) -> Result<(Vec<f64>, Vec<f64>)> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read events file {}", path.display()))?;
    let mut reader = csv::Reader::from_reader(file);
    let headers = reader
        .headers()
        .with_context(|| format!("cannot read the header of events file {}", path.display()))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            anyhow!(
                "events file {} has no column '{name}'; expected a CSV header with spike_time,amplitude (SI units)",
                path.display()
            )
        })
    };
    let (time_column, amplitude_column) = (column("spike_time")?, column("amplitude")?);
    let (mut times, mut amplitudes) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record =
            record.with_context(|| format!("{} line {line}: malformed CSV", path.display()))?;
        let field = |c: usize| record.get(c).unwrap_or("").trim();
        let time: f64 = field(time_column)
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite())
            .ok_or_else(|| {
                anyhow!(
                    "{} line {line}: spike_time '{}' is not a finite number of seconds",
                    path.display(),
                    field(time_column)
                )
            })?;
        let amplitude = match field(amplitude_column) {
            "" => f64::NAN,
            text => text.parse::<f64>().ok().filter(|a| !a.is_infinite()).ok_or_else(|| {
                anyhow!(
                    "{} line {line}: amplitude '{text}' is not a number of volts (leave it empty or write NaN for a missing event)",
                    path.display()
                )
            })?,
        };
        times.push(time);
        amplitudes.push(amplitude);
    }
    if times.is_empty() {
        bail!("events file {} has no events", path.display());
    }
    Ok((times, amplitudes))
}

/// The search grid of `--grid`: `default`, `coarse`, or a JSON file mapping parameter
/// names to a list of values or one number. In a file, `mini_amplitude` absent means
/// optimised at each point and `measurement_stdev` absent means `measurement_stdev_v`;
/// every other parameter must be given.
pub(crate) fn grid(spec: &str, measurement_stdev_v: f64) -> Result<ParamSpace> {
    match spec {
        "default" => Ok(ParamSpace::default_grid(measurement_stdev_v)?),
        "coarse" => Ok(synphys_release_model::ParamSpace::coarse_grid(
            measurement_stdev_v,
        )?),
        file => {
            let path = Path::new(file);
            if !path.exists() {
                bail!("--grid {file}: no such file; give default, coarse or a JSON grid file");
            }
            let object = read_json_object(path, "grid")?;
            let mut settings: BTreeMap<Param, Json> = BTreeMap::new();
            for (name, value) in object {
                settings.insert(param_named(&name, path)?, value);
            }
            let mut builder = ParamSpace::builder();
            for param in Param::ALL {
                match (settings.get(&param), param) {
                    (None, Param::MiniAmplitude) => {}
                    (None, Param::MeasurementStdev) => {
                        builder.fixed(param, measurement_stdev_v);
                    }
                    (None, _) => bail!(
                        "grid file {file} lacks {}: give a list of values or one number",
                        param.name()
                    ),
                    (Some(Json::Number(n)), _) => {
                        builder.fixed(param, n.as_f64().unwrap_or(f64::NAN));
                    }
                    (Some(Json::Array(values)), _) => {
                        let values = values
                            .iter()
                            .map(|v| v.as_f64())
                            .collect::<Option<Vec<f64>>>()
                            .ok_or_else(|| {
                                anyhow!("grid file {file}: {} must list numbers", param.name())
                            })?;
                        builder.axis(param, values);
                    }
                    (Some(other), _) => bail!(
                        "grid file {file}: {} is {other}; expected a list of numbers or one number",
                        param.name()
                    ),
                }
            }
            builder
                .build()
                .with_context(|| format!("invalid grid in {file}"))
        }
    }
}
