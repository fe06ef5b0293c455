//! `cargo xtask bench-release`: release-model speed figures on a simulated 1000-event
//! synapse (the published example fit on the dataset's 12-pulse protocols).
//!
//! * `--quick` (under a minute): model-run events/s for n = 2, 8, 32 in both depression
//!   modes, and µs per optimised point over a slice of the default grid, single-threaded;
//!   writes them with the CPU model to `target/bench-release.json` and prints them.
//! * `--full-grid`: searches the whole 6,220,800-point default grid on all cores and
//!   prints points/s and the total time.
//!
//! Figures are reported, not asserted: shared CI machines are noisy.

use anyhow::{Context, Result, bail};
use rand::SeedableRng;
use std::time::{Duration, Instant};
use synphys_release_model::{
    Param, ParamSpace, Progress, ReleaseModel, ReleaseParams, Search, train_protocol,
};

const STDEV: f64 = 0.0862e-3;

/// The reference (numba) figures quoted in the release-model issue, for the ratios.
const REFERENCE_US_PER_POINT: f64 = 6500.0;

pub(crate) fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("--quick") => quick(),
        Some("--full-grid") => full_grid(),
        _ => bail!("usage: cargo xtask bench-release --quick | --full-grid"),
    }
}

fn published() -> Result<ReleaseParams> {
    Ok(ReleaseParams::from_values([
        3.0, 0.7627, 0.3335e-3, 0.2512, 0.125, 0.1077, 0.375, 2.56, STDEV,
    ])?)
}

fn synapse() -> Result<(Vec<f64>, Vec<f64>)> {
    let mut times = train_protocol(
        &[10.0, 20.0, 50.0, 100.0, 200.0],
        &[0.125, 0.25, 0.5, 1.0, 2.0, 4.0],
        3,
        15.0,
    );
    times.truncate(1000);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let amps = ReleaseModel::new(published()?)
        .random(&times, &mut rng)?
        .amplitudes();
    Ok((times, amps))
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// Repeats `f` for at least `budget` and returns seconds per call.
fn time_per_call(budget: Duration, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < budget {
        f()?;
        calls += 1;
    }
    Ok(start.elapsed().as_secs_f64() / f64::from(calls))
}

/// A slice of the default grid: every n, Pr, cv and depression amount, one depression
/// τ, facilitation amount and facilitation τ (10,800 points; a tenth in depletion mode).
fn slice(full: &ParamSpace, pr_step: usize) -> Result<ParamSpace> {
    let mut b = ParamSpace::builder();
    for axis in full.axes() {
        let values = match axis.param {
            Param::DepressionTau => vec![axis.values[3]],
            Param::FacilitationAmount => vec![axis.values[3]],
            Param::FacilitationTau => vec![axis.values[5]],
            Param::BaseReleaseProbability => axis.values.iter().step_by(pr_step).copied().collect(),
            _ => axis.values.clone(),
        };
        b.axis(axis.param, values);
    }
    Ok(b.fixed(Param::MeasurementStdev, STDEV).build()?)
}

fn quick() -> Result<()> {
    let (times, amps) = synapse()?;
    let cpu = cpu_model();
    let mut runs = Vec::new();
    for (mode, dep) in [("depression", 0.125), ("depletion", -1.0)] {
        for n in [2u32, 8, 32] {
            let p = published()?
                .with(Param::NReleaseSites, f64::from(n))?
                .with(Param::MiniAmplitude, 0.75e-3 / (f64::from(n) * 0.7627))?
                .with(Param::DepressionAmount, dep)?;
            let model = ReleaseModel::new(p);
            let seconds = time_per_call(Duration::from_millis(400), || {
                model.likelihood(&times, &amps)?;
                Ok(())
            })?;
            let events_per_s = times.len() as f64 / seconds;
            println!(
                "model run   {mode:<10} n = {n:>2}: {:>6.2} M events/s",
                events_per_s / 1e6
            );
            runs.push(serde_json::json!({"mode": mode, "n_release_sites": n, "events_per_second": events_per_s}));
        }
    }
    let mut points = Vec::new();
    for (name, dep) in [("depression", 0.125), ("depletion", -1.0)] {
        let model = ReleaseModel::new(published()?.with(Param::DepressionAmount, dep)?);
        let seconds = time_per_call(Duration::from_millis(400), || {
            model.optimize_mini_amplitude(&times, &amps)?;
            Ok(())
        })?;
        println!("one optimised point ({name}): {:>8.1} µs", seconds * 1e6);
        points.push(serde_json::json!({"mode": name, "microseconds": seconds * 1e6}));
    }
    let full = ParamSpace::default_grid(STDEV)?;
    let space = slice(&full, 1)?;
    let start = Instant::now();
    Search::new(&space, &times, &amps).threads(1).run()?;
    let us_per_point = start.elapsed().as_secs_f64() * 1e6 / space.len() as f64;
    println!(
        "grid slice: {} points, {:.1} µs per optimised point (1 thread, 1000 events); reference {:.0} µs: {:.0}× less",
        space.len(),
        us_per_point,
        REFERENCE_US_PER_POINT,
        REFERENCE_US_PER_POINT / us_per_point
    );
    println!("cpu: {cpu}");
    let report = serde_json::json!({
        "cpu": cpu,
        "events": times.len(),
        "model_run": runs,
        "optimised_point": points,
        "grid_slice": {
            "points": space.len(),
            "threads": 1,
            "microseconds_per_point": us_per_point,
            "reference_microseconds_per_point": REFERENCE_US_PER_POINT,
        },
    });
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("bench-release.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn full_grid() -> Result<()> {
    let (times, amps) = synapse()?;
    let space = ParamSpace::default_grid(STDEV)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "searching the default grid: {} points, {} events, {threads} threads on {}",
        space.len(),
        times.len(),
        cpu_model()
    );
    let start = Instant::now();
    let last = std::sync::Mutex::new(Instant::now());
    let progress = |p: Progress| {
        if let Ok(mut last) = last.lock()
            && last.elapsed() > Duration::from_secs(10)
        {
            *last = Instant::now();
            eprintln!(
                "  {:5.1} % after {:.0} s",
                100.0 * p.done as f64 / p.total as f64,
                start.elapsed().as_secs_f64()
            );
        }
    };
    let result = Search::new(&space, &times, &amps)
        .progress(&progress)
        .run()?;
    let seconds = start.elapsed().as_secs_f64();
    let best = result.best().context("no finite score")?;
    println!(
        "{} points in {seconds:.1} s: {:.0} points/s, {:.1} µs of CPU per point ({threads} threads)",
        space.len(),
        space.len() as f64 / seconds,
        seconds * threads as f64 * 1e6 / space.len() as f64
    );
    println!("best: {:?} score {:.3}", best.params, best.score);
    Ok(())
}
