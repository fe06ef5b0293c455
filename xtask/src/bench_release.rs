//! `cargo xtask bench-release`: release-model speed figures on a simulated 1000-event
//! synapse (the published example fit on the dataset's 12-pulse protocols).
//!
//! * `--quick` (under a minute): model-run events/s for n = 2, 8, 32 in both depression
//!   modes, and µs per optimised point over a slice of the default grid, single-threaded;
//!   writes them with the CPU model to `target/bench-release.json` and prints them.
//! * `--full-grid`: searches the whole 6,220,800-point default grid on all cores and
//!   prints points/s and the total time.
//! * `--sample [K [smooth|depletion]]`: one shard in K (default 64) of the default grid, single-threaded,
//!   timed separately for the depletion-mode points and the others, and the full-grid
//!   CPU per point estimated from the two (a stratified sample: shards deal whole
//!   trajectory classes round-robin). Writes the scores and mini amplitudes to
//!   `target/bench-release-sample-K.bin` and, when
//!   `target/bench-release-sample-K-baseline.bin` exists (a copy of an earlier run),
//!   compares with it point by point.
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
        Some("--sample") => sample(
            args.get(1)
                .map(|k| k.parse())
                .transpose()
                .context("--sample K: K is a shard count")?
                .unwrap_or(64),
            args.get(2).map(String::as_str),
        ),
        _ => bail!(
            "usage: cargo xtask bench-release --quick | --full-grid | --sample [K [smooth|depletion]]"
        ),
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

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The default grid restricted to depletion mode (`true`) or to the other depression
/// amounts.
fn mode_space(full: &ParamSpace, depletion: bool) -> Result<ParamSpace> {
    let mut b = ParamSpace::builder();
    for axis in full.axes() {
        let values = if axis.param == Param::DepressionAmount {
            axis.values
                .iter()
                .copied()
                .filter(|&d| (d == -1.0) == depletion)
                .collect()
        } else {
            axis.values.clone()
        };
        b.axis(axis.param, values);
    }
    Ok(b.fixed(Param::MeasurementStdev, STDEV).build()?)
}

/// CPU seconds used by this process so far (user + system, from `/proc/self/stat`;
/// 0 where that is unavailable). Unlike wall time, not inflated when other work shares
/// the cores.
fn cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
        })
        .unwrap_or(0.0);
    ticks / 100.0
}

fn sample(count: usize, only: Option<&str>) -> Result<()> {
    let (times, amps) = synapse()?;
    let full = ParamSpace::default_grid(STDEV)?;
    let mut total_us = 0.0;
    let mut records = Vec::new();
    for (name, depletion) in [("smooth", false), ("depletion", true)] {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let space = mode_space(&full, depletion)?;
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        let shard = Search::new(&space, &times, &amps)
            .threads(1)
            .run_shard(0, count)?;
        let wall_us = start.elapsed().as_secs_f64() * 1e6 / shard.len() as f64;
        let us = (cpu_seconds() - cpu_start) * 1e6 / shard.len() as f64;
        total_us += us * space.len() as f64;
        println!(
            "{name:<9}: {} points of {}, {us:.1} µs of CPU per point ({wall_us:.1} µs wall; 1 thread)",
            shard.len(),
            space.len()
        );
        records.extend(shard.records().iter().map(|&(_, s, q)| (s, q)));
    }
    println!(
        "estimated full grid: {:.1} µs of CPU per point, {:.0} CPU-s; cpu: {}",
        total_us / full.len() as f64,
        total_us * 1e-6,
        cpu_model()
    );
    let bytes: Vec<u8> = records
        .iter()
        .flat_map(|&(s, q)| s.to_le_bytes().into_iter().chain(q.to_le_bytes()))
        .collect();
    let dir = target_dir();
    std::fs::write(
        dir.join(format!("bench-release-sample-{count}.bin")),
        &bytes,
    )?;
    if let Ok(base) = std::fs::read(dir.join(format!("bench-release-sample-{count}-baseline.bin")))
    {
        if base.len() != bytes.len() {
            bail!("the baseline has another sample size");
        }
        let f = |b: &[u8]| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
        let (mut worse, mut better, mut same, mut worst, mut q_rel) = (0, 0, 0, 0.0f64, 0.0f64);
        let mut worse_by = [0usize; 4];
        for (new, old) in bytes.chunks_exact(16).zip(base.chunks_exact(16)) {
            let (s, q, s0, q0) = (f(&new[..8]), f(&new[8..]), f(&old[..8]), f(&old[8..]));
            let rel = (s - s0) / s0.abs();
            if s.to_bits() == s0.to_bits() {
                same += 1;
            } else if rel < 0.0 {
                worse += 1;
                worst = worst.min(rel);
                for (count, limit) in worse_by.iter_mut().zip([1e-12, 1e-9, 1e-6, 1e-3]) {
                    if rel < -limit {
                        *count += 1;
                    }
                }
            } else {
                better += 1;
            }
            if q.is_finite() && q0.is_finite() {
                q_rel = q_rel.max(((q - q0) / q0).abs());
            }
        }
        println!(
            "vs baseline: {same} identical, {better} better, {worse} worse (worst {worst:e} relative; by more than 1e-12, 1e-9, 1e-6, 1e-3: {worse_by:?}), largest q change {q_rel:e} relative"
        );
    }
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
