//! Output: one [`Table`] model (named columns with units, typed cells) and its
//! renderings — an aligned terminal table, CSV, JSON and JSON lines — written to stdout
//! or to `-o FILE`.
//!
//! Conventions: CSV headers are the bare column names (scripts rely on them), the
//! terminal table adds the unit (`latency [s]`); values are SI; null (and NaN) is an
//! empty CSV field and JSON `null`; booleans print `true`/`false`; floats print in their
//! shortest round-trip form in CSV and JSON.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value as Json};

use crate::cli::Format;

/// One typed value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Json(Json),
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Float(v)
    }
}
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        v.map_or(Cell::Null, Cell::Float)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(v)
    }
}
impl From<u64> for Cell {
    fn from(v: u64) -> Cell {
        i64::try_from(v).map_or(Cell::Float(v as f64), Cell::Int)
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::from(v as u64)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Cell {
        Cell::Bool(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(v)
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        v.map_or(Cell::Null, Cell::Text)
    }
}

impl Cell {
    fn to_json(&self) -> Json {
        match self {
            Cell::Null => Json::Null,
            Cell::Bool(b) => Json::Bool(*b),
            Cell::Int(i) => Json::from(*i),
            // Non-finite floats have no JSON spelling: null, like pandas' to_json.
            Cell::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Json(j) => j.clone(),
        }
    }

    fn to_csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) if f.is_nan() => String::new(),
            Cell::Float(f) => format_float_exact(*f),
            Cell::Text(s) => s.clone(),
            Cell::Json(j) => j.to_string(),
        }
    }

    fn to_terminal(&self) -> String {
        /// Longer JSON values are cut on a terminal (the other formats keep them whole).
        const MAX_JSON_CHARS: usize = 40;
        match self {
            Cell::Float(f) if f.is_nan() => String::new(),
            Cell::Float(f) => format_float_short(*f),
            Cell::Json(j) => {
                let text = j.to_string();
                if text.chars().count() > MAX_JSON_CHARS {
                    let cut: String = text.chars().take(MAX_JSON_CHARS).collect();
                    format!("{cut}… (see --format json)")
                } else {
                    text
                }
            }
            other => other.to_csv(),
        }
    }
}

/// Shortest text that reads back to the same float (`0.00193`, `1e-20`, `3.0`).
pub(crate) fn format_float_exact(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    format!("{f:?}")
}

/// Six significant digits for reading on a terminal.
pub(crate) fn format_float_short(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    if !f.is_finite() {
        return format_float_exact(f);
    }
    let magnitude = f.abs().log10().floor();
    if (-4.0..6.0).contains(&magnitude) {
        let decimals = (5.0 - magnitude).max(0.0) as usize;
        let text = format!("{f:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    } else {
        let text = format!("{f:.5e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if mantissa.contains('.') => {
                let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
                format!("{mantissa}e{exponent}")
            }
            _ => text,
        }
    }
}

/// A column: its name (as in CSV/JSON) and the unit of its values, if any.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) unit: Option<&'static str>,
}

impl Column {
    fn header(&self) -> String {
        match self.unit {
            Some(unit) => format!("{} [{unit}]", self.name),
            None => self.name.clone(),
        }
    }
}

/// Rows of typed cells under named columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these `(name, unit)` columns.
    pub(crate) fn new(columns: &[(&str, Option<&'static str>)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(name, unit)| Column {
                    name: (*name).to_string(),
                    unit: *unit,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (one cell per column).
    pub(crate) fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Each row as a JSON object keyed by column name.
    pub(crate) fn json_rows(&self) -> Vec<Json> {
        self.rows
            .iter()
            .map(|row| {
                let object: Map<String, Json> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.name.clone(), v.to_json()))
                    .collect();
                Json::Object(object)
            })
            .collect()
    }

    fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(self.columns.iter().map(|c| c.name.as_str()))?;
        for row in &self.rows {
            writer.write_record(row.iter().map(Cell::to_csv))?;
        }
        writer.flush()?;
        Ok(())
    }

    fn write_terminal(&self, out: &mut dyn Write) -> Result<()> {
        use comfy_table::{CellAlignment, ContentArrangement};
        // Only a rule under the header: compact, and still easy to read and grep.
        const HEADER_RULE_ONLY: &str = "    ────           ";
        let mut table = comfy_table::Table::new();
        table
            .load_preset(HEADER_RULE_ONLY)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.columns.iter().map(Column::header));
        for row in &self.rows {
            table.add_row(row.iter().map(|cell| {
                let text = comfy_table::Cell::new(cell.to_terminal());
                match cell {
                    Cell::Int(_) | Cell::Float(_) => text.set_alignment(CellAlignment::Right),
                    _ => text,
                }
            }));
        }
        writeln!(out, "{table}")?;
        Ok(())
    }
}

/// What a command prints: key facts, one or more titled tables, and optionally the
/// exact JSON document to print with `--format json`.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// `key: value` lines shown above the tables on a terminal.
    pub(crate) notes: Vec<(String, String)>,
    /// Tables; CSV and JSON lines print the first only.
    pub(crate) sections: Vec<(Option<String>, Table)>,
    /// The JSON document; without it JSON is the first table as an array of objects.
    pub(crate) json: Option<Json>,
}

impl Report {
    /// A report of one table.
    pub(crate) fn table(table: Table) -> Report {
        Report {
            sections: vec![(None, table)],
            ..Report::default()
        }
    }

    fn first(&self) -> Result<&Table> {
        match self.sections.first() {
            Some((_, t)) => Ok(t),
            None => bail!("this command has no tabular output; use --format json"),
        }
    }
}

/// Where output goes and in which format.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub(crate) format: Format,
    pub(crate) path: Option<PathBuf>,
}

impl Sink {
    /// `--format` if given; else from `-o`'s extension; else a table on a terminal and
    /// CSV when piped.
    pub(crate) fn resolve(format: Option<Format>, path: Option<&Path>) -> Sink {
        let from_extension = || {
            let ext = path?.extension()?.to_str()?.to_ascii_lowercase();
            Some(match ext.as_str() {
                "json" => Format::Json,
                "jsonl" | "ndjson" => Format::Jsonl,
                "parquet" => Format::Parquet,
                "txt" => Format::Table,
                _ => Format::Csv,
            })
        };
        let format = format.or_else(from_extension).unwrap_or_else(|| {
            if path.is_none() && std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            }
        });
        Sink {
            format,
            path: path.map(Path::to_path_buf),
        }
    }

    /// Runs `write` on the output file (created) or on stdout. A broken pipe (e.g.
    /// `| head`) is not an error.
    pub(crate) fn with_writer(
        &self,
        write: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let result = match &self.path {
            Some(path) => {
                let file = std::fs::File::create(path).with_context(|| {
                    format!(
                        "cannot create output file {}; check the directory exists and is writable",
                        path.display()
                    )
                })?;
                let mut out = std::io::BufWriter::new(file);
                write(&mut out).and_then(|()| out.flush().map_err(Into::into))
            }
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                write(&mut out).and_then(|()| out.flush().map_err(Into::into))
            }
        };
        match result {
            Err(e) if is_broken_pipe(&e) => Ok(()),
            other => other,
        }
    }

    /// Writes a report in the sink's format.
    pub(crate) fn write_report(&self, report: &Report) -> Result<()> {
        self.with_writer(|out| match self.format {
            Format::Table => {
                for (key, value) in &report.notes {
                    writeln!(out, "{key}: {value}")?;
                }
                for (i, (title, table)) in report.sections.iter().enumerate() {
                    if i > 0 || !report.notes.is_empty() {
                        writeln!(out)?;
                    }
                    if let Some(title) = title {
                        writeln!(out, "{title}")?;
                    }
                    table.write_terminal(out)?;
                }
                Ok(())
            }
            Format::Csv => report.first()?.write_csv(out),
            Format::Json => {
                let document = match &report.json {
                    Some(json) => json.clone(),
                    None => Json::Array(report.first()?.json_rows()),
                };
                serde_json::to_writer_pretty(&mut *out, &document)?;
                writeln!(out)?;
                Ok(())
            }
            Format::Jsonl => {
                for row in report.first()?.json_rows() {
                    serde_json::to_writer(&mut *out, &row)?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Parquet => bail!(
                "parquet output is available for `synphys pairs` and `synphys sql` only; use --format csv or json"
            ),
        })
    }

    /// Writes text as it is (TOML, simulator scripts), refusing tabular formats that
    /// would not apply.
    pub(crate) fn write_text(&self, text: &str) -> Result<()> {
        self.with_writer(|out| {
            out.write_all(text.as_bytes())?;
            Ok(())
        })
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&[
            ("name", None),
            ("latency", Some("s")),
            ("n", None),
            ("ok", None),
        ]);
        t.push(vec!["a,b".into(), 0.00193.into(), 3i64.into(), true.into()]);
        t.push(vec![Cell::Null, f64::NAN.into(), Cell::Null, false.into()]);
        t
    }

    fn render(format: Format, report: &Report) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let sink = Sink {
            format,
            path: Some(path.clone()),
        };
        sink.write_report(report).unwrap();
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn csv_has_bare_names_empty_nulls_and_exact_floats() {
        let csv = render(Format::Csv, &Report::table(sample()));
        assert_eq!(csv, "name,latency,n,ok\n\"a,b\",0.00193,3,true\n,,,false\n");
    }

    #[test]
    fn json_and_jsonl_use_null_for_missing_values() {
        let json: Json =
            serde_json::from_str(&render(Format::Json, &Report::table(sample()))).unwrap();
        assert_eq!(json[0]["latency"], Json::from(0.00193));
        assert_eq!(json[1]["latency"], Json::Null);
        assert_eq!(json[1]["name"], Json::Null);
        assert_eq!(json[1]["ok"], Json::Bool(false));
        let jsonl = render(Format::Jsonl, &Report::table(sample()));
        let lines: Vec<Json> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["n"], Json::from(3));
    }

    #[test]
    fn a_json_document_replaces_the_row_array() {
        let report = Report {
            json: Some(serde_json::json!({"score": 1.5, "events": sample().json_rows()})),
            ..Report::table(sample())
        };
        let json: Json = serde_json::from_str(&render(Format::Json, &report)).unwrap();
        assert_eq!(json["score"], Json::from(1.5));
        assert_eq!(json["events"][0]["name"], Json::from("a,b"));
    }

    #[test]
    fn terminal_table_labels_units_and_aligns() {
        let mut report = Report::table(sample());
        report.notes.push(("score".into(), "2".into()));
        let text = render(Format::Table, &report);
        assert!(text.starts_with("score: 2\n"), "{text}");
        assert!(text.contains("latency [s]"), "{text}");
        assert!(text.contains("0.00193"), "{text}");
        let widths: Vec<usize> = text.lines().skip(2).map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn floats_format_for_people_and_for_machines() {
        assert_eq!(format_float_exact(1e-20), "1e-20");
        assert_eq!(format_float_exact(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_float_short(0.1 + 0.2), "0.3");
        assert_eq!(format_float_short(123456.7), "123457");
        assert_eq!(format_float_short(1.2345678e-7), "1.23457e-7");
        assert_eq!(format_float_short(2.5e-5), "2.5e-5");
        assert_eq!(format_float_short(0.0), "0");
        assert_eq!(format_float_short(-0.00086216), "-0.00086216");
    }

    #[test]
    fn format_follows_the_output_extension_unless_given() {
        let json = Sink::resolve(None, Some(Path::new("x.JSON")));
        assert_eq!(json.format, Format::Json);
        let csv = Sink::resolve(None, Some(Path::new("x.out")));
        assert_eq!(csv.format, Format::Csv);
        let forced = Sink::resolve(Some(Format::Jsonl), Some(Path::new("x.json")));
        assert_eq!(forced.format, Format::Jsonl);
    }
}
