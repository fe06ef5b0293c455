//! `synphys`: the command-line program of the Synaptic Physiology Dataset toolkit —
//! every step of the dataset tutorial as a command over the workspace's crates.
//!
//! The commands are thin: they parse arguments ([`cli`], [`units`]), call the crates,
//! and print a [`output::Table`]; nothing here computes (histogram bins, quartiles and
//! trial means come from `synphys-report`, the coarse grid from `synphys-release-model`).
//! Errors are one line on stderr
//! (`synphys: error: …`) and a non-zero exit status; `anyhow` is used only here, at the
//! binary's boundary.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod cli;
mod commands;
mod output;
mod progress;
mod units;

use std::process::ExitCode;

use clap::Parser;

/// Exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;
/// Exit status of a command-line usage error (as clap's).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // A panic is a bug; keep the one-line contract even then.
        let message = info.to_string().replace('\n', " ");
        eprintln!(
            "synphys: internal error: {message}; please report this with the command you ran"
        );
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("synphys: error: {}", one_line(&error));
            if progress::cancelled() {
                ExitCode::from(EXIT_INTERRUPTED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// An error and its causes on one line: `what: why: why`.
fn one_line(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string().replace('\n', " ");
        // thiserror's `transparent` and `{source}` messages repeat their cause.
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// Prints clap's help and version as they are, and a usage error on one line.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(EXIT_USAGE)
        }
        _ => {
            let text = error.render().to_string();
            let message: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|line| {
                    !line.starts_with("Usage:") && !line.starts_with("For more information")
                })
                .filter(|line| !line.is_empty())
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("synphys: error: {message}; see --help");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
