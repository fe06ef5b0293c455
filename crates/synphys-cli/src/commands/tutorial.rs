//! `synphys tutorial`: every step of the tutorial on the database, as one report
//! (`synphys_report::run_tutorial`), with progress on stderr.

use anyhow::{Context as _, Result};
use synphys_report::{TutorialOptions, run_tutorial};

use super::{Context, database};
use crate::cli::TutorialArgs;

pub(crate) fn run(ctx: &Context, args: &TutorialArgs) -> Result<()> {
    let db = database::open(ctx)?;
    let options = TutorialOptions::new(&args.out)
        .seed(args.seed)
        .trials(args.trials)
        .png(args.png);
    let report = run_tutorial(&db, &options, |step| ctx.notice(step)).with_context(|| {
        format!(
            "cannot write the tutorial report into {}",
            args.out.display()
        )
    })?;
    for skipped in &report.skipped {
        ctx.notice(&format!("skipped {}: {}", skipped.step, skipped.reason));
    }
    let figures = report
        .files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .count();
    ctx.notice(&format!(
        "report written: {} ({figures} figures; open it in a browser)",
        report.index_html.display()
    ));
    // The page's location on stdout, so scripts can pick it up.
    ctx.sink
        .write_text(&format!("{}\n", report.index_html.display()))
}
