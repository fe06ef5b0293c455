//! `cargo xtask check-report`: builds the tutorial report on the demo database, opens it
//! in headless Chromium, and fails if a figure is missing or broken, the page logs an
//! error, or the screenshot is blank. `cargo xtask readme-figure`: regenerates the
//! README's figure (`docs/report-figure.png`) from the same report.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use synphys_demo::{DEFAULT_SEED, DemoConfig, Scale};
use synphys_query::SynphysDb;
use synphys_report::{TutorialOptions, TutorialReport, run_tutorial};

use crate::gen_schema::workspace_root;

const CHROMIUM: &str = "/usr/bin/chromium";
/// The screenshot's window, tall enough for the first figures.
const WINDOW: (u32, u32) = (1280, 4000);
/// The figure the README shows.
const README_FIGURE: &str = "profile_ei.png";

/// Writes the demo database (small scale, default seed) into `dir` and runs the
/// tutorial on it into `out`, with progress on stderr.
fn build_report(dir: &Path, out: &Path, png: bool) -> Result<TutorialReport> {
    let db_path = dir.join("demo-small.sqlite");
    synphys_demo::write(&db_path, &DemoConfig::new(Scale::Small).seed(DEFAULT_SEED))
        .with_context(|| format!("writing the demo database {}", db_path.display()))?;
    let db = SynphysDb::open(&db_path)?;
    let options = TutorialOptions::new(out).png(png);
    let report = run_tutorial(&db, &options, |step| eprintln!("tutorial: {step}"))?;
    ensure!(
        report.skipped.is_empty(),
        "tutorial steps skipped on the demo database: {:?}",
        report.skipped
    );
    Ok(report)
}

/// The Chromium binary, installed from Debian's `chromium` package when missing.
fn chromium() -> Result<PathBuf> {
    let path = PathBuf::from(CHROMIUM);
    if path.exists() {
        return Ok(path);
    }
    eprintln!("check-report: {CHROMIUM} is missing; installing Debian's chromium with apt-get");
    let status = Command::new("apt-get")
        .arg("update")
        .status()
        .context("running apt-get update")?;
    ensure!(status.success(), "apt-get update failed ({status})");
    let status = Command::new("apt-get")
        .args(["install", "-y", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get install -y chromium")?;
    ensure!(
        status.success() && path.exists(),
        "apt-get install -y chromium failed ({status})"
    );
    Ok(path)
}

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr).
fn run_chromium(page: &Path, extra: &[String]) -> Result<(String, String)> {
    let profile = tempfile::tempdir()?;
    let output = Command::new(chromium()?)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .context("running headless chromium")?;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    ensure!(
        output.status.success(),
        "chromium exited with {}:\n{stderr}",
        output.status
    );
    Ok((stdout, stderr))
}

/// Lines of Chromium's log that come from the page: console messages (the page has no
/// script, so any is an error), failed loads, and uncaught errors.
fn page_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("CONSOLE") || l.contains("Failed to load resource") || l.contains("Uncaught")
        })
        .collect()
}

/// Checks the rendered DOM: one inline `<svg>` per figure, every `<img>` (none are
/// expected) pointing at an existing file, and the whole document there.
fn check_dom(dom: &str, report: &TutorialReport) -> Result<()> {
    let figures = report
        .files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .count();
    let svgs = dom.matches("<svg").count();
    ensure!(
        svgs == figures,
        "the page shows {svgs} inline SVG figures, expected {figures}"
    );
    let closed = dom.matches("</svg>").count();
    ensure!(
        closed == svgs,
        "{} of {svgs} SVG figures are not complete in the DOM",
        svgs - closed
    );
    let dir = report.index_html.parent().unwrap_or(Path::new("."));
    for img in dom.split("<img").skip(1) {
        let src = img
            .split("src=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("");
        ensure!(dir.join(src).exists(), "broken image: <img src=\"{src}\">");
    }
    ensure!(
        dom.contains("</html>") && dom.contains("Synaptic Physiology tutorial report"),
        "the DOM is incomplete"
    );
    Ok(())
}

/// Decodes the screenshot and fails when it is blank (almost no variation).
fn check_screenshot(path: &Path) -> Result<()> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("opening the screenshot {}", path.display()))?;
    let mut reader = png::Decoder::new(file).read_info()?;
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer)?;
    ensure!(
        (frame.width, frame.height) == WINDOW,
        "screenshot is {}×{}, expected {}×{}",
        frame.width,
        frame.height,
        WINDOW.0,
        WINDOW.1
    );
    let channels = frame.color_type.samples();
    let pixels = &buffer[..frame.buffer_size()];
    let luminance: Vec<f64> = pixels
        .chunks(channels)
        .map(|p| p.iter().take(3).map(|c| f64::from(*c)).sum::<f64>() / p.len().min(3) as f64)
        .collect();
    let n = luminance.len() as f64;
    let mean = luminance.iter().sum::<f64>() / n;
    let variance = luminance.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n;
    let inked = luminance.iter().filter(|l| **l < 200.0).count() as f64 / n;
    eprintln!(
        "check-report: screenshot luminance variance {variance:.0}, {:.1} % dark pixels",
        inked * 100.0
    );
    ensure!(
        variance > 100.0 && inked > 0.01,
        "the screenshot {} is blank",
        path.display()
    );
    Ok(())
}

pub(crate) fn check_report(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("check-report takes no arguments, not {args:?}");
    }
    let target = workspace_root().join("target");
    let scratch = tempfile::tempdir()?;
    let out = target.join("report");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    let report = build_report(scratch.path(), &out, false)?;
    let page = std::fs::canonicalize(&report.index_html)?;
    let screenshot = target.join("report-screenshot.png");
    let (_, log) = run_chromium(
        &page,
        &[
            format!("--screenshot={}", screenshot.display()),
            format!("--window-size={},{}", WINDOW.0, WINDOW.1),
        ],
    )?;
    let errors = page_errors(&log);
    ensure!(
        errors.is_empty(),
        "the page logged errors:\n{}",
        errors.join("\n")
    );
    check_screenshot(&screenshot)?;
    let (dom, log) = run_chromium(&page, &["--dump-dom".to_string()])?;
    let errors = page_errors(&log);
    ensure!(
        errors.is_empty(),
        "the page logged errors:\n{}",
        errors.join("\n")
    );
    check_dom(&dom, &report)?;
    println!(
        "check-report: {} opened in headless Chromium: {} figures inline, no page errors; screenshot {}",
        page.display(),
        dom.matches("<svg").count(),
        screenshot.display()
    );
    Ok(())
}

pub(crate) fn readme_figure(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("readme-figure takes no arguments, not {args:?}");
    }
    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("report");
    build_report(scratch.path(), &out, true)?;
    let docs = workspace_root().join("docs");
    std::fs::create_dir_all(&docs)?;
    let target = docs.join("report-figure.png");
    std::fs::copy(out.join(README_FIGURE), &target)
        .with_context(|| format!("copying {README_FIGURE} to {}", target.display()))?;
    println!(
        "readme-figure: wrote {} (the report's {README_FIGURE})",
        target.display()
    );
    Ok(())
}
