//! `cargo xtask check-simulators`: the network files synphys exports, loaded into NEST,
//! PyNN, NetPyNE (with NEURON), Brian2 and bmtk, with the connections each simulator
//! makes counted against the rules' expectation.
//!
//! The simulators live in a Python virtual environment under `target/simulators-venv`,
//! created from `xtask/python/requirements-simulators.txt` and reused while complete.
//! The projections are the demo fixture's priors for the `ei` class set (one
//! class renamed to a hostile name, so escaping is exercised in every simulator), cells
//! are laid out uniformly on a 2-D sheet (seeded), and each simulator's driver
//! (`xtask/python/check_<sim>.py`) builds the network from the exported file and reports
//! per projection the connections made, autapses, weights and delays. Here, each count
//! must lie within 5 standard deviations (+1) of `Σ p(d_ij)` over the ordered pairs of
//! distinct cells, and the weights and delays must be the exported ones (to the
//! simulator's delay resolution).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use rand::{RngExt, SeedableRng};
use serde::Deserialize;
use synphys_cellclass::ClassSet;
use synphys_connectivity::{Projection, Simulator, export_bmtk_builder, export_network};
use synphys_priors::{PriorsBuilder, projections};
use synphys_query::SynphysDb;

use crate::gen_schema::workspace_root;

/// The class set whose priors are exported.
const CLASS_SET: &str = "ei";
/// Cells per class, on a square sheet of side [`SHEET_SIDE_UM`].
const DEFAULT_CELLS: usize = 200;
const SHEET_SIDE_UM: f64 = 400.0;
const SEED: u64 = 20_260_413;
/// Appended to the first class's name: quotes, a backslash, non-ASCII.
const HOSTILE_SUFFIX: &str = " ('q', \"dq\") \\ µ→";
/// Stand-ins where the demo priors have no synapse value, so every projection carries a
/// weight and a delay to check.
const FALLBACK_PSP_V: f64 = 0.25e-3;
const FALLBACK_LATENCY_S: f64 = 1.5e-3;
/// NEST's and PyNN's time step in the drivers (ms): delays are rounded to it.
const RESOLUTION_MS: f64 = 0.1;
/// Count tolerance: this many standard deviations, plus one.
const BOUND_SD: f64 = 5.0;
/// Modules every driver needs (import names).
const IMPORTS: &str = "import nest, pyNN, netpyne, neuron, brian2, bmtk, h5py, pandas";

/// The simulators checked, their driver and how each reports weights and delays.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Driver {
    Nest,
    PyNN,
    NetPyNE,
    Brian2,
    Bmtk,
}

impl Driver {
    const ALL: [Driver; 5] = [
        Driver::Nest,
        Driver::PyNN,
        Driver::NetPyNE,
        Driver::Brian2,
        Driver::Bmtk,
    ];

    fn name(self) -> &'static str {
        match self {
            Driver::Nest => "nest",
            Driver::PyNN => "pynn",
            Driver::NetPyNE => "netpyne",
            Driver::Brian2 => "brian2",
            Driver::Bmtk => "bmtk",
        }
    }

    /// Whether the simulator keeps the weight's sign (NetPyNE: the sign is the synaptic
    /// mechanism, checked separately; PyNN's current-based cells keep it).
    fn signed_weights(self) -> bool {
        self != Driver::NetPyNE
    }

    /// Whether delays are rounded to the time step [`RESOLUTION_MS`].
    fn rounds_delays(self) -> bool {
        matches!(self, Driver::Nest | Driver::PyNN)
    }
}

#[derive(Debug, Deserialize)]
struct DriverResult {
    version: String,
    projections: Vec<MadeProjection>,
}

#[derive(Debug, Deserialize)]
struct MadeProjection {
    pre: String,
    post: String,
    connections: u64,
    autapses: u64,
    weights: Vec<f64>,
    delays: Vec<f64>,
    #[serde(default)]
    receptor_type: Option<String>,
    #[serde(default)]
    syn_mechs: Option<Vec<String>>,
}

/// Cells of one class on the sheet, µm.
struct Population {
    class: String,
    x_um: Vec<f64>,
    y_um: Vec<f64>,
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let mut venv: Option<PathBuf> = None;
    let mut cells = DEFAULT_CELLS;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--venv" => venv = Some(rest.next().context("--venv needs a path")?.into()),
            "--cells" => {
                cells = rest
                    .next()
                    .context("--cells needs a number")?
                    .parse()
                    .context("--cells: not a whole number")?;
                ensure!(cells >= 2, "--cells must be at least 2");
            }
            other => bail!(
                "check-simulators: unknown argument `{other}` (expected --venv PATH, --cells N)"
            ),
        }
    }
    let root = workspace_root();
    let python_dir = root.join("xtask/python");
    let started = Instant::now();
    let python = match venv {
        Some(dir) => {
            let python = dir.join("bin/python");
            check_imports(&python)
                .with_context(|| format!("the virtual environment {}", dir.display()))?;
            python
        }
        None => ensure_venv(
            &root.join("target/simulators-venv"),
            &python_dir.join("requirements-simulators.txt"),
        )?,
    };
    eprintln!(
        "check-simulators: Python environment ready ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    let projections = demo_projections(&root)?;
    let populations = sheet(&projections, cells);
    let work = root.join("target/simulators-check");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let positions = work.join("positions.json");
    write_positions(&positions, &populations)?;
    let files = write_exports(&work, &projections)?;

    println!(
        "{:<8} {:<8} {:>11} {:>9} {:>9} {:>7} {:>8}",
        "sim", "version", "projections", "made", "expected", "max|z|", "time_s"
    );
    let expected: Vec<(f64, f64)> = projections
        .iter()
        .map(|p| expectation(p, &populations))
        .collect::<Result<_>>()?;
    let mut failures = Vec::new();
    for driver in Driver::ALL {
        let result_path = work.join(format!("result_{}.json", driver.name()));
        let mut command = Command::new(&python);
        command.arg(python_dir.join(format!("check_{}.py", driver.name())));
        match driver {
            Driver::Bmtk => command.arg(&files.bmtk_builder).arg(&files.sonata_csv),
            _ => command.arg(&files.modules[&driver_simulator(driver)]),
        };
        command
            .arg(&positions)
            .arg(&result_path)
            .current_dir(&python_dir);
        let t0 = Instant::now();
        let output = command
            .output()
            .with_context(|| format!("running the {} driver", driver.name()))?;
        let seconds = t0.elapsed().as_secs_f64();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(25).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "{} driver failed ({}):\n{}",
                driver.name(),
                output.status,
                tail.join("\n")
            );
        }
        let text = std::fs::read_to_string(&result_path)
            .with_context(|| format!("reading {}", result_path.display()))?;
        let result: DriverResult = serde_json::from_str(&text)
            .with_context(|| format!("parsing {}", result_path.display()))?;
        let (made, expected_total, max_z, problems) =
            compare(driver, &projections, &expected, &result);
        println!(
            "{:<8} {:<8} {:>11} {:>9} {:>9.0} {:>7.2} {:>8.1}",
            driver.name(),
            result.version,
            result.projections.len(),
            made,
            expected_total,
            max_z,
            seconds
        );
        failures.extend(
            problems
                .into_iter()
                .map(|p| format!("{}: {p}", driver.name())),
        );
    }
    ensure!(
        failures.is_empty(),
        "check-simulators: {} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!(
        "check-simulators: {} projections of {} classes × {cells} cells agree in every simulator ({:.0} s in all)",
        projections.len(),
        populations.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn driver_simulator(driver: Driver) -> Simulator {
    match driver {
        Driver::Nest => Simulator::Nest,
        Driver::PyNN => Simulator::PyNN,
        Driver::NetPyNE => Simulator::NetPyNE,
        Driver::Brian2 => Simulator::Brian2,
        Driver::Bmtk => Simulator::Sonata,
    }
}

/// `python -c IMPORTS` succeeds.
fn check_imports(python: &Path) -> Result<()> {
    let output = Command::new(python)
        .args(["-c", IMPORTS])
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    ensure!(
        output.status.success(),
        "`{} -c \"{IMPORTS}\"` failed:\n{}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// The venv's Python, after creating the venv and installing the pinned simulators unless
/// a complete one (same requirements, every module imports) is already there.
fn ensure_venv(dir: &Path, requirements: &Path) -> Result<PathBuf> {
    let wanted = std::fs::read_to_string(requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let stamp = dir.join("synphys-requirements.txt");
    let python = dir.join("bin/python");
    let installed = std::fs::read_to_string(&stamp).ok();
    if installed.as_deref() == Some(wanted.as_str()) && check_imports(&python).is_ok() {
        return Ok(python);
    }
    if !python.exists() {
        eprintln!("check-simulators: creating {}", dir.display());
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(dir)
            .status()
            .context("running python3 -m venv (is python3 with the venv module installed?)")?;
        ensure!(
            status.success(),
            "python3 -m venv {} failed ({status})",
            dir.display()
        );
    }
    eprintln!(
        "check-simulators: installing the simulators from {}",
        requirements.display()
    );
    let status = Command::new(dir.join("bin/pip"))
        .args(["install", "--disable-pip-version-check", "-r"])
        .arg(requirements)
        .status()
        .context("running pip install")?;
    ensure!(
        status.success(),
        "pip install -r {} failed ({status}): a simulator package did not install, so its export cannot be checked",
        requirements.display()
    );
    check_imports(&python)?;
    std::fs::write(&stamp, &wanted).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(python)
}

/// The demo fixture's priors as projections, the first class renamed to a hostile name,
/// every projection with a weight and a delay.
fn demo_projections(root: &Path) -> Result<Vec<Projection>> {
    let db_path = root.join("fixtures/demo_tiny.sqlite");
    let db = SynphysDb::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let classes = ClassSet::preset(CLASS_SET)?;
    let priors = PriorsBuilder::new(&db, &classes).build()?;
    let mut projections = projections(&priors)?;
    ensure!(
        !projections.is_empty(),
        "{}: no class pair of {CLASS_SET} has probed pairs",
        db_path.display()
    );
    let first = projections[0].rule.pre_class.clone();
    let hostile = format!("{first}{HOSTILE_SUFFIX}");
    for p in &mut projections {
        for name in [&mut p.rule.pre_class, &mut p.rule.post_class] {
            if *name == first {
                name.clone_from(&hostile);
            }
        }
        p.psp_amplitude_v.get_or_insert(FALLBACK_PSP_V);
        p.latency_s.get_or_insert(FALLBACK_LATENCY_S);
    }
    Ok(projections)
}

/// `cells` cells per class, uniform on the sheet, in order of first appearance.
fn sheet(projections: &[Projection], cells: usize) -> Vec<Population> {
    let mut classes: Vec<String> = Vec::new();
    for p in projections {
        for name in [&p.rule.pre_class, &p.rule.post_class] {
            if !classes.contains(name) {
                classes.push(name.clone());
            }
        }
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(SEED);
    classes
        .into_iter()
        .map(|class| {
            let mut draw = || -> Vec<f64> {
                (0..cells)
                    .map(|_| rng.random::<f64>() * SHEET_SIDE_UM)
                    .collect()
            };
            let x_um = draw();
            let y_um = draw();
            Population { class, x_um, y_um }
        })
        .collect()
}

fn write_positions(path: &Path, populations: &[Population]) -> Result<()> {
    let json = serde_json::json!({
        "seed": SEED,
        "populations": populations.iter().map(|p| serde_json::json!({
            "class": p.class, "x_um": p.x_um, "y_um": p.y_um,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(path, serde_json::to_string(&json)?)
        .with_context(|| format!("writing {}", path.display()))
}

struct Exports {
    modules: std::collections::HashMap<Simulator, PathBuf>,
    sonata_csv: PathBuf,
    bmtk_builder: PathBuf,
}

fn write_exports(dir: &Path, projections: &[Projection]) -> Result<Exports> {
    let mut modules = std::collections::HashMap::new();
    for simulator in Simulator::all() {
        let path = dir.join(format!(
            "network_{simulator}.{}",
            simulator.file_extension()
        ));
        std::fs::write(&path, export_network(projections, simulator)?)
            .with_context(|| format!("writing {}", path.display()))?;
        modules.insert(simulator, path);
    }
    let bmtk_builder = dir.join("network_bmtk.py");
    std::fs::write(&bmtk_builder, export_bmtk_builder(projections)?)
        .with_context(|| format!("writing {}", bmtk_builder.display()))?;
    let sonata_csv = modules[&Simulator::Sonata].clone();
    Ok(Exports {
        modules,
        sonata_csv,
        bmtk_builder,
    })
}

/// Mean and variance of the number of connections: Σ p and Σ p(1 − p) over the ordered
/// pairs of distinct cells, at their lateral distance.
fn expectation(projection: &Projection, populations: &[Population]) -> Result<(f64, f64)> {
    let find = |name: &str| {
        populations
            .iter()
            .position(|p| p.class == name)
            .with_context(|| format!("no population for class {name:?}"))
    };
    let (pre, post) = (
        find(&projection.rule.pre_class)?,
        find(&projection.rule.post_class)?,
    );
    let (a, b) = (&populations[pre], &populations[post]);
    let (mut mean, mut variance) = (0.0, 0.0);
    for i in 0..a.x_um.len() {
        for j in 0..b.x_um.len() {
            if pre == post && i == j {
                continue;
            }
            let d_m = (a.x_um[i] - b.x_um[j]).hypot(a.y_um[i] - b.y_um[j]) * 1e-6;
            let p = projection.rule.probability(d_m);
            mean += p;
            variance += p * (1.0 - p);
        }
    }
    Ok((mean, variance))
}

/// Connections made, expected in all, the largest |z| and the problems found.
fn compare(
    driver: Driver,
    projections: &[Projection],
    expected: &[(f64, f64)],
    result: &DriverResult,
) -> (u64, f64, f64, Vec<String>) {
    let mut problems = Vec::new();
    if result.projections.len() != projections.len() {
        problems.push(format!(
            "{} projections reported, {} exported",
            result.projections.len(),
            projections.len()
        ));
    }
    let (mut made, mut expected_total, mut max_z) = (0, 0.0, 0.0_f64);
    for ((p, &(mean, variance)), got) in projections.iter().zip(expected).zip(&result.projections) {
        let label = format!("{:?} -> {:?}", p.rule.pre_class, p.rule.post_class);
        if got.pre != p.rule.pre_class || got.post != p.rule.post_class {
            problems.push(format!(
                "{label}: reported as {:?} -> {:?}",
                got.pre, got.post
            ));
        }
        made += got.connections;
        expected_total += mean;
        let sd = variance.sqrt();
        let deviation = got.connections as f64 - mean;
        max_z = max_z.max(deviation.abs() / sd.max(1e-12));
        if deviation.abs() > BOUND_SD * sd + 1.0 {
            problems.push(format!(
                "{label}: {} connections, expected {mean:.1} ± {sd:.1}",
                got.connections
            ));
        }
        if got.autapses > 0 {
            problems.push(format!("{label}: {} self-connections", got.autapses));
        }
        if got.connections == 0 {
            continue;
        }
        let psp_mv = p.psp_amplitude_v.unwrap_or(f64::NAN) * 1e3;
        let weight = if driver.signed_weights() {
            psp_mv
        } else {
            psp_mv.abs()
        };
        if !(got.weights.len() == 1 && close(got.weights[0], weight, 1e-6)) {
            problems.push(format!(
                "{label}: weights {:?}, exported {weight}",
                got.weights
            ));
        }
        let latency_ms = p.latency_s.unwrap_or(f64::NAN) * 1e3;
        let delays_ok = if driver.rounds_delays() {
            let want = latency_ms.max(RESOLUTION_MS);
            !got.delays.is_empty()
                && got
                    .delays
                    .iter()
                    .all(|d| (d - want).abs() <= RESOLUTION_MS / 2.0 + 1e-9)
        } else {
            got.delays.len() == 1 && close(got.delays[0], latency_ms, 1e-6)
        };
        if !delays_ok {
            problems.push(format!(
                "{label}: delays {:?} ms, exported {latency_ms} ms",
                got.delays
            ));
        }
        let inhibitory = psp_mv < 0.0;
        if let Some(receptor) = &got.receptor_type {
            let want = if inhibitory {
                "inhibitory"
            } else {
                "excitatory"
            };
            if receptor != want {
                problems.push(format!(
                    "{label}: receptor type {receptor}, expected {want}"
                ));
            }
        }
        if let Some(mechs) = &got.syn_mechs {
            let want = if inhibitory { "inh" } else { "exc" };
            if mechs.as_slice() != [want] {
                problems.push(format!("{label}: synMech {mechs:?}, expected {want}"));
            }
        }
    }
    (made, expected_total, max_z, problems)
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()).max(1e-12)
}
