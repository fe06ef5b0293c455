//! `synphys events` and `synphys dynamics`: one synapse's events (DESIGN §7a) and the
//! short-term dynamics recomputed from them (§7b), from a medium or full file.

use anyhow::Result;
use serde_json::{Value as Json, json};

use super::{Context, database};
use crate::cli::PairArgs;
use crate::output::{Cell, Report, Table};

pub(crate) fn events(ctx: &Context, args: &PairArgs) -> Result<()> {
    let pair = database::pair_ref(&args.pair)?;
    let events = database::open(ctx)?.synapse_events(&pair)?;
    let mut table = Table::new(&[
        ("spike_time", Some("s")),
        ("amplitude", Some("V")),
        ("baseline_amplitude", Some("V")),
        ("sync_rec_ext_id", None),
        ("pulse_number", None),
        ("induction_frequency", Some("Hz")),
        ("recovery_delay", Some("s")),
        ("stim_name", None),
    ]);
    for (i, info) in events.events.iter().enumerate() {
        let number = |v: Option<&f64>| {
            v.copied()
                .filter(|x| !x.is_nan())
                .map_or(Cell::Null, Cell::Float)
        };
        table.push(vec![
            number(events.spike_times_s.get(i)),
            number(events.amplitudes_v.get(i)),
            number(events.baseline_amplitudes_v.get(i)),
            match &info.sync_rec_ext_id {
                Json::Null => Cell::Null,
                Json::Number(n) => n.as_i64().map_or_else(|| Cell::from(n.as_f64()), Cell::Int),
                Json::String(s) => Cell::Text(s.clone()),
                other => Cell::Json(other.clone()),
            },
            info.pulse_number
                .map_or(Cell::Null, |n| Cell::Int(i64::from(n))),
            info.induction_frequency_hz.into(),
            info.recovery_delay_s.into(),
            info.stim_name.clone().into(),
        ]);
    }
    let json = json!({
        "measurement_stdev": events.measurement_stdev_v,
        "events": table.json_rows(),
    });
    let mut report = Report::table(table);
    report.notes = vec![
        ("pair".into(), format!("{pair} (id {})", events.pair_id)),
        (
            "synapse type".into(),
            events
                .synapse_type
                .clone()
                .unwrap_or_else(|| "unknown".into()),
        ),
        (
            "measurement stdev".into(),
            format!("{} V", events.measurement_stdev_v),
        ),
        ("events".into(), events.events.len().to_string()),
    ];
    report.json = Some(json);
    ctx.print(&report)
}

pub(crate) fn dynamics(ctx: &Context, args: &PairArgs) -> Result<()> {
    let pair = database::pair_ref(&args.pair)?;
    let metrics = database::open(ctx)?.pair_dynamics(&pair)?;
    // Serialised with the `dynamics` table's column names as keys.
    let json = serde_json::to_value(&metrics)?;
    let Json::Object(object) = &json else {
        anyhow::bail!("the dynamics metrics did not serialise to an object");
    };
    let names: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut table = Table::new(&names.iter().map(|n| (*n, None)).collect::<Vec<_>>());
    table.push(
        object
            .values()
            .map(|v| match v {
                Json::Null => Cell::Null,
                Json::Bool(b) => Cell::Bool(*b),
                Json::Number(n) => n.as_i64().map_or_else(|| Cell::from(n.as_f64()), Cell::Int),
                other => Cell::Json(other.clone()),
            })
            .collect(),
    );
    let mut report = Report::table(transpose_for_terminal(&table, ctx));
    report.json = Some(json);
    ctx.print(&report)
}

/// One wide row reads better on a terminal as `metric, value` lines.
fn transpose_for_terminal(table: &Table, ctx: &Context) -> Table {
    if ctx.sink.format != crate::cli::Format::Table {
        return table.clone();
    }
    let mut long = Table::new(&[("metric", None), ("value", None)]);
    if let Some(row) = table.rows.first() {
        for (column, cell) in table.columns.iter().zip(row) {
            long.push(vec![column.name.as_str().into(), cell.clone()]);
        }
    }
    long
}
