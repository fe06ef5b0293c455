//! Writes a deterministic synthetic Synaptic Physiology database in the exact schema-22
//! layout, drawn from explicit ground truth so that estimators can be checked against it.
//!
//! The demo database is what the CLI uses when no real file is configured, and what the
//! data-facing crates test against. Everything in it is synthetic: slices, experiments,
//! cells and their annotations, every ordered pair within an experiment, connections
//! drawn from per-class-pair distance profiles times known bias factors, gap junctions,
//! synapse properties, release-model parameters (`synapse_model.ml_*`), short-term
//! dynamics computed from simulated events and, at [`Scale::Medium`] (and for a few
//! synapses at [`Scale::Tiny`]), the per-event tables. The numbers come from the truth
//! file embedded in the crate ([`Truth::default`]); the same configuration always gives
//! the same logical content ([`logical_digest`]).
//!
//! # Example: write a tiny demo database and count its rows
//!
//! ```
//! use synphys_demo::{DemoConfig, Scale};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("demo.sqlite");
//! let summary = synphys_demo::write(&path, &DemoConfig::new(Scale::Tiny))?;
//!
//! let db = rusqlite::Connection::open(&path)?;
//! let experiments: i64 = db.query_row("SELECT count(*) FROM experiment", [], |r| r.get(0))?;
//! let synapses: i64 = db.query_row("SELECT count(*) FROM synapse", [], |r| r.get(0))?;
//! assert_eq!(experiments as usize, summary.experiments);
//! assert_eq!(synapses as usize, summary.synapses);
//!
//! // The metadata row says what the file is.
//! let meta: String = db.query_row("SELECT meta FROM metadata", [], |r| r.get(0))?;
//! assert!(meta.contains("\"db_version\":\"22\"") && meta.contains("synthetic"));
//!
//! // Writing again over it needs permission.
//! assert!(synphys_demo::write(&path, &DemoConfig::new(Scale::Tiny)).is_err());
//! # Ok(())
//! # }
//! ```
//!
//! # Example: compare an estimate with the truth
//!
//! Cells carry their truth class in `cell.meta` (`demo_class`); the truth gives each class
//! pair's connection profile and synapse properties.
//!
//! ```
//! use synphys_demo::{Species, Truth};
//!
//! # fn main() -> Result<(), synphys_demo::Error> {
//! let truth = Truth::default();
//! let pv_pv = truth.class_pair(Species::Mouse, "l23pvalb", "l23pvalb")?;
//! assert_eq!(pv_pv.pmax, 0.79);
//! assert_eq!(pv_pv.release_name, "strongly_depressing");
//! # Ok(())
//! # }
//! ```
//!
//! # Example: follow progress
//!
//! ```
//! use synphys_demo::{DemoConfig, Scale, Stage};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let mut stages = Vec::new();
//! let config = DemoConfig::new(Scale::Tiny).seed(3);
//! synphys_demo::write_with_progress(dir.path().join("demo.sqlite"), &config, &mut |p| {
//!     stages.push(p.stage)
//! })?;
//! assert_eq!(stages.last(), Some(&Stage::Done));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod draw;
mod error;
mod events;
mod generate;
mod simulate;
mod sqlite;
mod truth;

use std::path::Path;

use rand::SeedableRng;
use synphys_schema::{Metadata, Schema, Value};

pub use config::{DEFAULT_SEED, DemoConfig, DemoSummary, Progress, Scale, Stage};
pub use error::{Error, ErrorKind, Result};
pub use sqlite::logical_digest;
pub use truth::{
    BiasTruth, CellTruth, CellType, ClassPairEntry, ClassPairTruth, ClassTruth, Defaults,
    EMBEDDED_TRUTH, GapJunctionTruth, Genotype, PairConditions, PolysynapseTruth, ReleaseSet,
    Species, SpeciesTruth, TRUTH_VERSION, Truth, TypeDefaults, detection_power,
};

/// Version of the generator's output: bumped whenever the same configuration would write
/// different content (so `fixtures/demo_tiny.sqlite` must be regenerated).
pub const GENERATOR_VERSION: &str = "1";

/// The `creation_date` of every demo file: fixed, so the content depends on nothing but
/// the configuration.
pub const CREATION_DATE: &str = "2022-01-01 00:00:00";

/// Writes a demo database to `path`.
///
/// The file is written under a temporary name in the same directory and renamed when
/// complete, so an interrupted write never leaves a half-written database at `path`.
///
/// # Errors
///
/// [`ErrorKind::Exists`] when `path` exists and the configuration does not allow
/// overwriting; I/O and SQLite errors naming the file.
pub fn write(path: impl AsRef<Path>, config: &DemoConfig) -> Result<DemoSummary> {
    write_with_progress(path, config, &mut |_| {})
}

/// [`write()`], reporting progress to `progress` (stages in order, `done` counting up to
/// `total` within each).
///
/// # Errors
///
/// As [`write()`].
pub fn write_with_progress(
    path: impl AsRef<Path>,
    config: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<DemoSummary> {
    let path = path.as_ref();
    if !config.overwrite && path.exists() {
        return Err(ErrorKind::Exists {
            path: path.to_path_buf(),
        }
        .into());
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(config.seed);
    let data = generate::draw(config, &mut rng, progress)?;
    let simulated = simulate::simulate(&data, config.scale, config.seed, progress)?;
    let mut summary = data.summary.clone();
    summary.event_synapses = simulated.event_synapses;
    summary.events = simulated.events.pulse_responses.len();
    sqlite::write_atomically(
        path,
        config.overwrite,
        config.scale.page_size(),
        config.scale.has_event_tables(),
        |tx| write_tables(tx, config, &data, &simulated, progress),
    )?;
    progress(Progress {
        stage: Stage::Done,
        done: 1,
        total: 1,
    });
    Ok(summary)
}

fn metadata_row(config: &DemoConfig) -> Result<sqlite::GenericRow> {
    let mut meta = Metadata::new(
        CREATION_DATE,
        format!(
            "synthetic demo data (not recorded from cells) written by synphys-demo generator \
             version {GENERATOR_VERSION}, seed {}, scale {}",
            config.seed, config.scale
        ),
    );
    meta.extra.insert(
        "demo".into(),
        serde_json::json!({
            "generator_version": GENERATOR_VERSION,
            "seed": config.seed,
            "scale": config.scale.as_str(),
            "truth_version": config.truth.version,
        }),
    );
    let json: serde_json::Value = serde_json::from_str(&meta.to_json())
        .map_err(|e| ErrorKind::Invalid(format!("metadata JSON: {e}")))?;
    sqlite::GenericRow::new(
        Schema::v22().require_table("metadata")?,
        1,
        vec![("meta", Value::Object(json))],
    )
}

/// Inserts every table, parents before children.
fn write_tables(
    tx: &rusqlite::Transaction<'_>,
    config: &DemoConfig,
    data: &generate::Dataset,
    simulated: &simulate::Simulated,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let schema = Schema::v22();
    let events = &simulated.events;
    let steps: Vec<Box<dyn Fn() -> Result<usize> + '_>> = vec![
        Box::new(|| {
            sqlite::insert_generic(
                tx,
                schema.require_table("metadata")?,
                &[metadata_row(config)?],
            )
        }),
        Box::new(|| sqlite::insert_rows(tx, &data.slices)),
        Box::new(|| sqlite::insert_rows(tx, &data.experiments)),
        Box::new(|| {
            sqlite::insert_generic(
                tx,
                schema.require_table("cortical_site")?,
                &data.cortical_sites,
            )
        }),
        Box::new(|| {
            sqlite::insert_generic(tx, schema.require_table("electrode")?, &data.electrodes)
        }),
        Box::new(|| sqlite::insert_rows(tx, &data.cells)),
        Box::new(|| sqlite::insert_rows(tx, &data.morphologies)),
        Box::new(|| sqlite::insert_rows(tx, &data.locations)),
        Box::new(|| sqlite::insert_rows(tx, &data.intrinsics)),
        Box::new(|| sqlite::insert_rows(tx, &data.patch_seqs)),
        Box::new(|| sqlite::insert_rows(tx, &data.pairs)),
        Box::new(|| sqlite::insert_rows(tx, &data.synapses)),
        Box::new(|| sqlite::insert_rows(tx, &data.poly_synapses)),
        Box::new(|| sqlite::insert_rows(tx, &data.resting_state_fits)),
        Box::new(|| sqlite::insert_rows(tx, &simulated.synapse_models)),
        Box::new(|| sqlite::insert_rows(tx, &simulated.dynamics)),
        Box::new(|| sqlite::insert_rows(tx, &data.conductances)),
        Box::new(|| sqlite::insert_rows(tx, &data.gap_junctions)),
        Box::new(|| sqlite::insert_rows(tx, &events.sync_recs)),
        Box::new(|| sqlite::insert_rows(tx, &events.recordings)),
        Box::new(|| sqlite::insert_rows(tx, &events.patch_clamp_recordings)),
        Box::new(|| sqlite::insert_rows(tx, &events.multi_patch_probes)),
        Box::new(|| sqlite::insert_rows(tx, &events.stim_pulses)),
        Box::new(|| sqlite::insert_rows(tx, &events.baselines)),
        Box::new(|| sqlite::insert_rows(tx, &events.pulse_responses)),
        Box::new(|| sqlite::insert_rows(tx, &events.pulse_response_fits)),
    ];
    let total = steps.len();
    for (i, step) in steps.iter().enumerate() {
        step()?;
        progress(Progress {
            stage: Stage::Writing,
            done: i + 1,
            total,
        });
    }
    Ok(())
}
