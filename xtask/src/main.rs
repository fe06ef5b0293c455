//! Developer tasks for the synphys workspace, run as `cargo xtask <task>`.
//!
//! Each task lives in its own module; this file only dispatches.

use anyhow::{Result, bail};

mod bench_release;
mod browser_check;
mod check_simulators;
mod fixtures;
mod gen_schema;
mod schema_summary;

const USAGE: &str = "usage: cargo xtask <task> [args]

tasks:
  schema-summary        print a summary of the schema v22 catalogue
  fixtures              regenerate fixtures/demo_tiny.sqlite (the tiny demo database)
  gen-schema            regenerate crates/synphys-schema/src/catalog/v22.rs from fixtures/schema_v22.json
  bench-release         release-model benchmarks: --quick (< 60 s, writes target/bench-release.json)
                        or --full-grid (the whole 6,220,800-point default grid for one synapse)
  check-report          build the tutorial report on the demo database and check it in headless
                        Chromium (screenshot: target/report-screenshot.png)
  check-simulators      export the demo priors for NEST, PyNN, NetPyNE, Brian2 and bmtk, build each
                        network in the simulator (venv: target/simulators-venv) and check the
                        connections made against the rules [--venv PATH] [--cells N]
  readme-figure         regenerate docs/report-figure.png (one figure of the tutorial report)
";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(task) = args.next() else {
        eprint!("{USAGE}");
        bail!("no task given");
    };
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        "bench-release" => bench_release::run(&rest),
        "check-report" => browser_check::check_report(&rest),
        "check-simulators" => check_simulators::run(&rest),
        "readme-figure" => browser_check::readme_figure(&rest),
        "fixtures" => fixtures::run(&rest),
        "gen-schema" => gen_schema::run(&rest),
        "schema-summary" => schema_summary::run(&rest),
        other => {
            eprint!("{USAGE}");
            bail!("unknown task `{other}`")
        }
    }
}
