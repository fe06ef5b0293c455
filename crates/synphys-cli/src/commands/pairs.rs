//! `synphys pairs` and `synphys sql`, and what every pair-querying command shares:
//! turning the filter options into a `PairQuery`, class arguments into classes, and
//! writing a `Frame`.

use anyhow::{Result, anyhow, bail};
use serde_json::Value as Json;
use synphys_cellclass::{CellClass, CellTable, ClassSet, Criterion, Scalar};
use synphys_query::{Frame, PairQuery, Preload, SynphysDb};
use synphys_schema::{ColumnKind, Schema, Value};

use super::Context;
use crate::cli::{Format, PairFilters, PairsArgs, PreloadArg, SqlArgs};
use crate::output::{Cell, Report, Table};
use crate::units::{self, Dimension};

pub(crate) fn run_pairs(ctx: &Context, args: &PairsArgs) -> Result<()> {
    let classes = super::classes::optional(&args.classes)?;
    let db = super::database::open(ctx)?;
    let mut query = filtered(&db, &args.filters, classes.as_ref())?;
    for preload in &args.preload {
        query = query.preload(match preload {
            PreloadArg::Experiment => Preload::Experiment,
            PreloadArg::Cell => Preload::Cell,
            PreloadArg::Synapse => Preload::Synapse,
            PreloadArg::SynapsePrediction => Preload::SynapsePrediction,
        });
    }
    let frame = query.frame()?;
    let frame = if args.columns.is_empty() {
        frame
    } else {
        frame.select(&args.columns)?
    };
    print_frame(ctx, &frame)
}

pub(crate) fn run_sql(ctx: &Context, args: &SqlArgs) -> Result<()> {
    let db = super::database::open(ctx)?;
    print_frame(ctx, &db.sql(&args.query)?)
}

/// Writes a frame in the sink's format (the query crate's writers for files and pipes,
/// an aligned table on a terminal).
pub(crate) fn print_frame(ctx: &Context, frame: &Frame) -> Result<()> {
    match ctx.sink.format {
        Format::Csv => ctx.sink.with_writer(|out| Ok(frame.write_csv(out)?)),
        Format::Json => ctx.sink.with_writer(|out| Ok(frame.write_json(out)?)),
        Format::Jsonl => ctx.sink.with_writer(|out| Ok(frame.write_jsonl(out)?)),
        Format::Parquet => ctx.sink.with_writer(|out| {
            // The parquet writer needs a `Send` sink; a file's bytes are small next to
            // the frame they encode.
            let mut bytes = Vec::new();
            frame.write_parquet(&mut bytes)?;
            Ok(out.write_all(&bytes)?)
        }),
        Format::Table => {
            let mut report = Report::table(frame_table(frame)?);
            report.notes = vec![(
                "rows".into(),
                format!("{} ({} columns)", frame.n_rows(), frame.n_columns()),
            )];
            ctx.print(&report)
        }
    }
}

/// A frame as a [`Table`], by way of its JSON-lines writer (so values print exactly as
/// in JSON output).
fn frame_table(frame: &Frame) -> Result<Table> {
    let mut buffer = Vec::new();
    frame.write_jsonl(&mut buffer)?;
    let names: Vec<&str> = frame.column_names().collect();
    let mut table = Table::new(&names.iter().map(|n| (*n, None)).collect::<Vec<_>>());
    for line in buffer.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let Json::Object(object) = serde_json::from_slice::<Json>(line)? else {
            bail!("the frame writer produced a row that is not an object");
        };
        table.push(names.iter().map(|n| json_cell(object.get(*n))).collect());
    }
    Ok(table)
}

fn json_cell(value: Option<&Json>) -> Cell {
    match value {
        None | Some(Json::Null) => Cell::Null,
        Some(Json::Bool(b)) => Cell::Bool(*b),
        Some(Json::Number(n)) => n.as_i64().map_or_else(|| Cell::from(n.as_f64()), Cell::Int),
        Some(Json::String(s)) => Cell::Text(s.clone()),
        Some(other) => Cell::Json(other.clone()),
    }
}

/// A database value as text, for grouping and labels.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(crate::output::format_float_exact(*f)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Str(s) => Some(s.clone()),
        Value::Date(d) => Some(d.to_string()),
        Value::DateTime(d) => Some(d.to_string()),
        Value::Object(j) => Some(j.to_string()),
        Value::Array(_) => Some("<array>".into()),
    }
}

/// The preload that brings `column` (`alias.column`) into a pair query's results, if
/// any (`pair.*` needs none).
pub(crate) fn preload_for(column: &str) -> Result<Option<Preload>> {
    let Some((alias, _)) = column.split_once('.') else {
        bail!(
            "name the column as table.column, e.g. synapse.latency or pair.distance (got '{column}')"
        );
    };
    if alias == "pair" {
        return Ok(None);
    }
    if let Some(preload) = Preload::ALL
        .into_iter()
        .find(|p| p.aliases().contains(&alias))
    {
        return Ok(Some(preload));
    }
    let aliases: Vec<&str> = std::iter::once("pair")
        .chain(
            Preload::ALL
                .iter()
                .flat_map(|p| p.aliases().iter().copied()),
        )
        .collect();
    let close = synphys_schema::close_matches(alias, aliases.iter().copied());
    let hint = close
        .first()
        .map(|c| format!(" (did you mean {c}?)"))
        .unwrap_or_default();
    bail!(
        "the pair query has no table '{alias}' in '{column}'{hint}; its tables are {}",
        aliases.join(", ")
    )
}

/// A pair query over `db` with the filter options applied.
pub(crate) fn filtered<'a>(
    db: &'a SynphysDb,
    filters: &PairFilters,
    classes: Option<&ClassSet>,
) -> Result<PairQuery<'a>> {
    let mut query = db.pair_query();
    if let Some(species) = &filters.species {
        query = query.species(species);
    }
    if let Some(synapse) = filters.synapse {
        query = query.synapse(synapse);
    }
    if let Some(kind) = filters.synapse_type {
        query = query.synapse_type(kind.as_str());
    }
    if filters.synapse_probed {
        query = query.synapse_probed(true);
    }
    if let Some(electrical) = filters.electrical {
        query = query.electrical(electrical);
    }
    if let Some(experiment_type) = &filters.experiment_type {
        query = query.experiment_type(experiment_type);
    }
    if !filters.project_name.is_empty() {
        query = query.project_names(&filters.project_name);
    }
    if !filters.acsf.is_empty() {
        query = query.acsf(&filters.acsf);
    }
    if !filters.internal.is_empty() {
        query = query.internal(&filters.internal);
    }
    if let Some(age) = filters.age {
        query = query.age(age.min, age.max);
    }
    if let Some(distance) = filters.distance {
        query = query.distance_m(distance.min, distance.max);
    }
    if let Some(spec) = &filters.pre_class {
        query = query.pre_class(&class_arg(spec, classes)?);
    }
    if let Some(spec) = &filters.post_class {
        query = query.post_class(&class_arg(spec, classes)?);
    }
    for expression in &filters.where_ {
        query = query.filter(&si_expression(expression));
    }
    Ok(query)
}

/// `COLUMN OP VALUE` with a value such as `2ms` or `100um` rewritten in SI units, so the
/// query crate's parser (which reads plain numbers) accepts it; anything else unchanged.
fn si_expression(expression: &str) -> String {
    const OPS: [&str; 8] = ["<=", ">=", "==", "!=", "<>", "<", ">", "="];
    let Some((at, op)) = OPS
        .iter()
        .filter_map(|op| expression.find(op).map(|at| (at, *op)))
        .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())))
    else {
        return expression.to_string();
    };
    let value = expression[at + op.len()..].trim();
    if value.parse::<f64>().is_ok() {
        return expression.to_string();
    }
    [
        Dimension::Length,
        Dimension::Time,
        Dimension::Voltage,
        Dimension::Frequency,
    ]
    .into_iter()
    .find_map(|d| units::parse_quantity(value, d).ok())
    .map_or_else(
        || expression.to_string(),
        |si| format!("{} {op} {si:?}", expression[..at].trim()),
    )
}

/// A class argument: a name from the class set, or inline criteria
/// `column=value[,column=a|b…]`.
pub(crate) fn class_arg(spec: &str, classes: Option<&ClassSet>) -> Result<CellClass> {
    if spec.contains('=') {
        return inline_class(spec);
    }
    let Some(classes) = classes else {
        bail!(
            "class '{spec}' is not defined: name classes with --classes FILE|PRESET, or give criteria inline like \"cortical_layer=5,cell_class_nonsynaptic=ex\""
        );
    };
    if let Some(class) = classes
        .iter()
        .zip(classes.names())
        .find_map(|(class, name)| (name == spec).then_some(class))
    {
        return Ok(class.clone());
    }
    let names: Vec<String> = classes.names().collect();
    let close = synphys_schema::close_matches(spec, names.iter().map(String::as_str));
    let hint = close
        .first()
        .map(|c| format!(" (did you mean {c}?)"))
        .unwrap_or_default();
    Err(anyhow!(
        "no class named '{spec}' in --classes{hint}; the classes are {}",
        names.join(", ")
    ))
}

/// `column=value,column=a|b` as a class; values are typed by the column's kind.
fn inline_class(spec: &str) -> Result<CellClass> {
    let mut builder = CellClass::builder();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((column, values)) = part.split_once('=') else {
            bail!(
                "cannot read class criterion '{part}' in \"{spec}\": write column=value or column=a|b"
            );
        };
        let column = column.trim();
        let kind = CellTable::for_criterion(column)
            .and_then(|table| Schema::v22().table(table.name()))
            .and_then(|table| table.column(column))
            .map(|c| c.kind);
        let values: Vec<Scalar> = values
            .split('|')
            .map(|v| typed_scalar(v.trim(), kind))
            .collect();
        match <[Scalar; 1]>::try_from(values) {
            Ok([one]) => builder.criterion(column, one),
            Err(many) => builder.criterion(column, Criterion::any_of(many)),
        };
    }
    Ok(builder.build()?)
}

fn typed_scalar(text: &str, kind: Option<ColumnKind>) -> Scalar {
    if text.eq_ignore_ascii_case("null") {
        return Scalar::Null;
    }
    let parsed = match kind {
        Some(ColumnKind::Int | ColumnKind::BigInt) => text.parse::<i64>().ok().map(Scalar::Int),
        Some(ColumnKind::Float) => text.parse::<f64>().ok().map(Scalar::Float),
        Some(ColumnKind::Bool) => text.parse::<bool>().ok().map(Scalar::Bool),
        _ => None,
    };
    // A value that does not fit the column stays text; building the class reports it.
    parsed.unwrap_or_else(|| Scalar::Str(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_values_in_expressions_become_si() {
        assert_eq!(
            si_expression("synapse.latency < 2ms"),
            "synapse.latency < 0.002"
        );
        assert_eq!(
            si_expression("pair.distance<=100um"),
            "pair.distance <= 0.0001"
        );
        assert_eq!(
            si_expression("pair.distance < 1e-4"),
            "pair.distance < 1e-4"
        );
        assert_eq!(
            si_expression("pre_cell.cre_type == 'sst'"),
            "pre_cell.cre_type == 'sst'"
        );
    }

    #[test]
    fn inline_classes_type_their_values_and_allow_any_of() {
        let class = inline_class("cortical_layer=5,cell_class_nonsynaptic=ex").unwrap();
        assert!(class.name().unwrap().contains("L5"));
        let class = inline_class("cre_type=sst|pvalb").unwrap();
        let (_, criterion) = class.criteria().next().unwrap();
        assert!(matches!(criterion, Criterion::AnyOf { values, .. } if values.len() == 2));
        let err = inline_class("cre_typ=sst").unwrap_err().to_string();
        assert!(err.contains("cre_type"), "{err}");
    }

    #[test]
    fn class_names_come_from_the_set_with_suggestions() {
        let set = ClassSet::preset("broad").unwrap();
        assert!(class_arg("Sst", Some(&set)).is_ok());
        let err = class_arg("Sstt", Some(&set)).unwrap_err().to_string();
        assert!(err.contains("did you mean Sst"), "{err}");
        let err = class_arg("Sst", None).unwrap_err().to_string();
        assert!(err.contains("--classes"), "{err}");
    }

    #[test]
    fn columns_map_to_their_preload() {
        assert_eq!(
            preload_for("synapse.latency").unwrap(),
            Some(Preload::Synapse)
        );
        assert_eq!(
            preload_for("pre_cortical_cell_location.cortical_layer").unwrap(),
            Some(Preload::Cell)
        );
        assert_eq!(preload_for("pair.distance").unwrap(), None);
        let err = preload_for("synapze.latency").unwrap_err().to_string();
        assert!(err.contains("did you mean synapse"), "{err}");
    }
}
