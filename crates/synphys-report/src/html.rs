//! The report page: one self-contained HTML file, figures inline, no script.

use std::fmt::Write as _;
use std::path::Path;

use synphys_release_model::Param;

use crate::error::{Result, io_error};
use crate::report::{EventSource, TutorialReport};
use crate::tutorial::{AMPLITUDE_COLUMN, LAYER_COLUMN, STP_COLUMN};

/// Text safe inside HTML elements and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number briefly: up to 3 significant digits, "–" for NaN.
fn brief(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e5) {
        return format!("{x:.2e}");
    }
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The SVG file's markup, inline, with links to it and its CSV.
fn figure(out: &mut String, dir: &Path, file: &str, caption: &str) -> Result<()> {
    let path = dir.join(file);
    let svg = std::fs::read_to_string(&path).map_err(io_error(&path))?;
    let start = svg.find("<svg").unwrap_or(0);
    let _ = writeln!(
        out,
        "<figure>{}<figcaption>{} <a href=\"{file}\">SVG</a> · <a href=\"{file}.csv\">CSV of what it draws</a></figcaption></figure>",
        &svg[start..],
        escape(caption),
    );
    Ok(())
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.8em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}\
figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:.9em;color:#555}\
.note{background:#fff8e0;border:1px solid #e8d9a0;padding:.6em 1em}code{background:#f4f4f4;padding:0 .2em}";

/// Writes `dir/index.html` for `report`.
pub(crate) fn write_index(dir: &Path, report: &TutorialReport) -> Result<()> {
    let mut out = String::new();
    let db = &report.database;
    let db_name = if db.synthetic {
        "the synthetic demo database".to_string()
    } else {
        format!("the database {}", db.path.display())
    };
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Synaptic Physiology tutorial report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Synaptic Physiology tutorial report</h1>"
    );
    let _ = writeln!(
        out,
        "<p>Every step of the Synaptic Physiology Dataset tutorial, computed by <code>synphys</code> on {} (<code>{}</code>; origin: “{}”).</p>",
        escape(&db_name),
        escape(&db.path.display().to_string()),
        escape(&db.origin)
    );
    if db.synthetic {
        out.push_str("<p class=\"note\">This is a <strong>synthetic demo database</strong>: its cells, pairs, synapses and events were generated from known ground truth, not recorded. The numbers below show what the analyses recover from it, not properties of real cortex.</p>\n");
    }
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "<p class=\"note\">Skipped: {} — {}</p>",
            escape(&s.step),
            escape(&s.reason)
        );
    }

    if let Some(q) = &report.first_query {
        let _ = writeln!(
            out,
            "<h2>1. Querying synapse data</h2>\n<p>The pair query of the tutorial's first cell — standard multipatch experiments, human, pairs with a synapse of type <code>ex</code>, synapse and cell columns preloaded — returns <strong>{}</strong> synapses on {}. The first rows (the selected columns of every row are in <a href=\"first_query.csv\">first_query.csv</a>):</p>",
            q.n_synapses,
            escape(&db_name)
        );
        table(&mut out, &q.preview_columns, &q.preview_rows);
    }

    if let Some(l) = &report.latency {
        let _ = writeln!(
            out,
            "<h2>2. Latency by cell class</h2>\n<p>Mean <code>synapse.latency</code> of the {} mouse synapses, each pair placed in the first matching layer 2/3 class of its pre- and postsynaptic cell (the tutorial's pivot table); grey cells have no synapse.</p>",
            l.n_synapses
        );
        figure(
            &mut out,
            dir,
            "latency_matrix.svg",
            "Mean latency (ms), rows presynaptic, columns postsynaptic.",
        )?;
        let mut header = vec!["pre \\ post (ms)".to_string()];
        header.extend(l.post_names.iter().cloned());
        let rows: Vec<Vec<String>> = l
            .pre_names
            .iter()
            .zip(&l.mean_latency_s)
            .map(|(name, row)| {
                let mut cells = vec![name.clone()];
                cells.extend(
                    row.iter()
                        .map(|v| v.map_or("–".to_string(), |s| brief(s * 1e3))),
                );
                cells
            })
            .collect();
        table(&mut out, &header, &rows);
    }

    if let Some(c) = &report.connectivity {
        let probed: Vec<Vec<String>> = c
            .cells
            .iter()
            .filter(|cell| cell.n_probed > 0)
            .map(|cell| {
                let adjusted = cell.adjusted.map_or("–".to_string(), |a| {
                    format!("{} [{}, {}]", brief(a[0]), brief(a[1]), brief(a[2]))
                });
                vec![
                    cell.pre.clone(),
                    cell.post.clone(),
                    format!("{}/{}", cell.n_connected, cell.n_probed),
                    format!(
                        "{} [{}, {}]",
                        brief(cell.probability),
                        brief(cell.ci_lower),
                        brief(cell.ci_upper)
                    ),
                    adjusted,
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "<h2>3. Connectivity matrix</h2>\n<p>{} probed mouse pairs grouped by membership in the tutorial's 17 classes (a pair counts in every class pair its cells belong to). Each cell shows connected/probed; its colour is the probability adjusted for lateral distance (Gaussian, σ = 100 µm) on a log scale; grey class pairs were never probed. {} class pairs were probed; their 95 % Clopper–Pearson intervals:</p>",
            c.n_pairs,
            probed.len()
        );
        figure(
            &mut out,
            dir,
            "connectivity_matrix.svg",
            "Connection probability, adjusted for lateral distance.",
        )?;
        table(
            &mut out,
            &strings(&[
                "pre",
                "post",
                "connected/probed",
                "probability [95 % CI]",
                "adjusted [95 % CI]",
            ]),
            &probed,
        );
    }

    if !report.profiles.is_empty() {
        out.push_str("<h2>4. Connectivity versus lateral distance</h2>\n<p>Mouse probed pairs from excitatory to excitatory (E→E) and to inhibitory (E→I) cells closer than the profile's extent: the connected proportion per distance bin with its 95 % interval, the maximum-likelihood Gaussian fit, and below the axis a raster of every probed pair (lower row) and every connected pair (upper row).</p>\n");
        let rows: Vec<Vec<String>> = report
            .profiles
            .iter()
            .map(|p| {
                vec![
                    p.label.clone(),
                    p.n_probed.to_string(),
                    p.n_connected.to_string(),
                    brief(p.pmax),
                    brief(p.sigma_m * 1e6),
                    brief(p.nll),
                ]
            })
            .collect();
        table(
            &mut out,
            &strings(&["mask", "probed", "connected", "pmax", "σ (µm)", "NLL"]),
            &rows,
        );
        for p in &report.profiles {
            let file = profile_file(&p.label);
            figure(
                &mut out,
                dir,
                &file,
                &format!(
                    "{}: Gaussian fit pmax = {}, σ = {} µm.",
                    p.label,
                    brief(p.pmax),
                    brief(p.sigma_m * 1e6)
                ),
            )?;
        }
    }

    if let Some(h) = &report.amplitude_histogram {
        let _ = writeln!(
            out,
            "<h2>5. Synapse strength</h2>\n<p>Histogram of <code>{}</code> over the {} human excitatory synapses of step 1 that have one ({} equal-width bins).</p>",
            AMPLITUDE_COLUMN,
            h.n_values,
            h.bins.len()
        );
        figure(
            &mut out,
            dir,
            "amplitude_histogram.svg",
            "PSP amplitude (mV).",
        )?;
    }

    if let Some(b) = &report.stp_by_layer {
        let _ = writeln!(
            out,
            "<h2>6. Short-term plasticity by layer</h2>\n<p><code>{}</code> of the human excitatory synapses grouped by <code>{}</code> (boxes: quartiles; whiskers: smallest and largest value; points: every synapse).</p>",
            STP_COLUMN, LAYER_COLUMN
        );
        figure(
            &mut out,
            dir,
            "stp_by_layer.svg",
            "50 Hz STP induction by presynaptic layer.",
        )?;
        let rows: Vec<Vec<String>> = b
            .groups
            .iter()
            .map(|(layer, s)| {
                vec![
                    layer.clone(),
                    s.n.to_string(),
                    brief(s.min),
                    brief(s.q1),
                    brief(s.median),
                    brief(s.q3),
                    brief(s.max),
                ]
            })
            .collect();
        table(
            &mut out,
            &strings(&["layer", "n", "min", "q1", "median", "q3", "max"]),
            &rows,
        );
    }

    if let Some(s) = &report.simulation {
        let _ = writeln!(
            out,
            "<h2>7. Stochastic release model</h2>\n<p>The maximum-likelihood parameters stored for pair {} (<code>synapse_model.ml_*</code>), run {} times (seed {}) on the tutorial's spike train; every trial is drawn faint, the mean bold.</p>",
            s.pair_id, s.n_trials, s.seed
        );
        let params: Vec<Vec<String>> = Param::ALL
            .iter()
            .map(|p| vec![p.name().to_string(), brief(s.params.get(*p))])
            .collect();
        table(&mut out, &strings(&["parameter (SI)", "value"]), &params);
        figure(
            &mut out,
            dir,
            "release_trials.svg",
            "Simulated PSP amplitudes after each spike.",
        )?;
        let means: Vec<Vec<String>> = s
            .spike_times_s
            .iter()
            .zip(&s.mean_amplitude_v)
            .map(|(t, a)| vec![brief(t * 1e3), brief(a * 1e3)])
            .collect();
        table(
            &mut out,
            &strings(&["spike time (ms)", "mean amplitude (mV)"]),
            &means,
        );
    }

    if let Some(f) = &report.fit {
        let source = match f.source {
            EventSource::Database => format!(
                "the {} events recorded for pair {} (per-event tables of the file)",
                f.n_events, f.pair_id
            ),
            EventSource::Simulated => format!(
                "{} events simulated from pair {}'s parameters, because the file has no per-event tables",
                f.n_events, f.pair_id
            ),
        };
        let _ = writeln!(
            out,
            "<h2>8. Fitting the release model</h2>\n<p>A search of a reduced grid ({} points, mini amplitude optimised at each, measurement noise fixed at {} mV) over {}; it took {:.1} s. The best point scores {}:</p>",
            f.grid_points,
            brief(f.measurement_stdev_v * 1e3),
            escape(&source),
            f.seconds,
            brief(f.best_score)
        );
        let best: Vec<Vec<String>> = Param::ALL
            .iter()
            .map(|p| vec![p.name().to_string(), brief(f.best.get(*p))])
            .collect();
        table(&mut out, &strings(&["parameter (SI)", "best"]), &best);
        figure(
            &mut out,
            dir,
            "release_fit_marginals.svg",
            "Marginal likelihood of each grid axis; red line: best point.",
        )?;
    }

    out.push_str("<h2>Files</h2>\n<ul>\n");
    for file in &report.files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let _ = writeln!(out, "<li><a href=\"{0}\">{0}</a></li>", escape(&name));
    }
    out.push_str("</ul>\n</body>\n</html>\n");
    let path = dir.join("index.html");
    std::fs::write(&path, out).map_err(io_error(&path))
}

/// The file of a profile's figure.
pub(crate) fn profile_file(label: &str) -> String {
    let slug: String = label
        .chars()
        .map(|c| match c {
            'E' => 'e',
            'I' => 'i',
            _ => '_',
        })
        .collect::<String>()
        .replace('_', "");
    format!("profile_{slug}.svg")
}
