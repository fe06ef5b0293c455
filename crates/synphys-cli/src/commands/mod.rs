//! One module per command; [`run`] dispatches.

mod analysis;
mod classes;
mod database;
mod pairs;
mod plots;
mod release;
mod synapse;
mod tutorial;

use anyhow::Result;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::output::{Report, Sink};

/// What every command gets: the global options and where its output goes.
pub(crate) struct Context {
    pub(crate) global: GlobalArgs,
    pub(crate) sink: Sink,
}

impl Context {
    /// A notice on stderr, unless `--quiet`.
    pub(crate) fn notice(&self, message: &str) {
        if !self.global.quiet {
            eprintln!("synphys: {message}");
        }
    }

    /// Prints a report in the chosen format.
    pub(crate) fn print(&self, report: &Report) -> Result<()> {
        self.sink.write_report(report)
    }
}

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<()> {
    let sink = Sink::resolve(cli.global.format, cli.global.output.as_deref());
    let mut ctx = Context {
        global: cli.global,
        sink,
    };
    match cli.command {
        Command::Classes(args) => classes::run(&ctx, &args),
        Command::Release(command) => release::run(&mut ctx, command),
        Command::Db(command) => database::run(&ctx, &command),
        Command::Pairs(args) => pairs::run_pairs(&ctx, &args),
        Command::Sql(args) => pairs::run_sql(&ctx, &args),
        Command::Matrix(args) => analysis::matrix(&ctx, &args),
        Command::Connectivity(args) => analysis::connectivity(&ctx, &args),
        Command::Profile(args) => analysis::profile(&ctx, &args),
        Command::Hist(args) => analysis::hist(&ctx, &args),
        Command::Box(args) => analysis::box_plot(&ctx, &args),
        Command::Priors(args) => analysis::priors(&ctx, &args),
        Command::Events(args) => synapse::events(&ctx, &args),
        Command::Dynamics(args) => synapse::dynamics(&ctx, &args),
        Command::Tutorial(args) => tutorial::run(&ctx, &args),
    }
}
