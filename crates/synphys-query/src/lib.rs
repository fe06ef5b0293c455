//! Read-only access to Synaptic Physiology databases: opening files, the pair query,
//! result frames, class matrices, a synapse's events, and the published-file catalogue.
//!
//! # Example: the tutorial's first query
//!
//! Every human excitatory synapse of standard multipatch experiments, with the synapse's
//! and both cells' columns (here on the small synthetic fixture the demo generator
//! writes; point [`SynphysDb::open`] at a downloaded `synphys_r2.x_small.sqlite` for the
//! real data):
//!
//! ```
//! use synphys_query::{Preload, SynphysDb};
//!
//! # fn main() -> Result<(), synphys_query::Error> {
//! let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
//! let synapses = db
//!     .pair_query()
//!     .experiment_type("standard multipatch") // just multipatch experiments
//!     .species("human")                       // only human data
//!     .synapse(true)                          // only pairs connected by a synapse
//!     .synapse_type("ex")                     // only excitatory synapses
//!     .preload(Preload::Synapse)              // synapse, resting_state_fit, dynamics, synapse_model
//!     .preload(Preload::Cell)                 // pre_cell, post_cell, pre_morphology, …
//!     .frame()?;
//! println!("Loaded {} synapses", synapses.n_rows());
//!
//! // Columns are named `table.column`, the per-cell tables prefixed `pre_` / `post_`.
//! let amplitude_v = synapses.f64s("synapse.psp_amplitude")?;
//! let layer = synapses.strs("pre_cortical_cell_location.cortical_layer")?;
//! for row in 0..synapses.n_rows() {
//!     println!("L{} → {:?} V", layer.get(row).unwrap_or("?"), amplitude_v[row]);
//! }
//! assert!(synapses.strs("synapse.synapse_type")?.iter().all(|t| t == Some("ex")));
//! # Ok(())
//! # }
//! ```
//!
//! # Example: classify, aggregate, write
//!
//! ```
//! use synphys_cellclass::ClassSet;
//! use synphys_query::{Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Grouping, Preload, SynphysDb};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
//! let pairs = db.pair_query().species("mouse").synapse_probed(true).preload(Preload::Cell).preload(Preload::Synapse).frame()?;
//! let classes = ClassSet::preset("tutorial-l23")?;
//!
//! // The first class each cell belongs to (the tutorial's `classify_pair_dataframe`).
//! let classified = classes.classify_pairs(pairs.rows())?;
//! assert_eq!(classified.len(), pairs.n_rows());
//!
//! // A pivot table of mean latency, and connection probabilities with intervals.
//! let latency = ClassMatrix::new(&pairs, &classes, &classes, "synapse.latency", Aggregate::Mean, Grouping::FirstMatch)?;
//! let connectivity = ConnectivityMatrix::new(&pairs, &classes, &classes, &ConnectivityOptions::new())?;
//! println!("{:?}", latency.to_rows());
//! println!("{} of {} probed", connectivity.summaries()[0].connection.n_connected, connectivity.summaries()[0].connection.n_probed);
//!
//! // Any result writes as CSV, JSON lines or JSON (and Parquet with the `parquet` feature).
//! let mut csv = Vec::new();
//! pairs.select(&["pair.id", "synapse.latency"])?.write_csv(&mut csv)?;
//! assert!(String::from_utf8(csv)?.starts_with("pair.id,synapse.latency\n"));
//! # Ok(())
//! # }
//! ```
//!
//! # Reading files safely
//!
//! Files are opened read-only and `immutable`: nothing is written, not even a journal
//! or lock file, so a file's bytes and modification time never change. Values are read
//! as the Python package writes them: booleans 0/1, date/times as text, the JSON text
//! `null` and empty BLOBs as null. JSON and array columns keep their stored text and
//! bytes until asked for ([`Frame::json`], [`Frame::arrays`]).
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod backend;
mod cache;
mod catalog;
mod connectivity;
mod db;
mod download;
mod error;
mod events;
mod frame;
mod matrix;
mod query;

pub use backend::QueryBackend;
pub use cache::{CACHE_ENV_VAR, Cache, CacheStatus, CachedFile};
pub use catalog::{Catalog, PublishedFile, Release};
pub use connectivity::{ConnectivityMatrix, ConnectivityOptions, DEFAULT_SIGMA_M, pair_records};
pub use db::{OpenOptions, SizeClass, SynphysDb, TableInfo};
pub use download::{DownloadProgress, Downloaded, Downloader};
pub use error::{Error, ErrorKind, Result};
pub use events::{EventInfo, PairRef, SynapseEvents};
pub use frame::{
    BytesColumn, ColumnData, ColumnSpec, Frame, FrameColumn, FrameKind, FrameRow, TextColumn,
    VarColumn, VarItem,
};
pub use matrix::{Aggregate, ClassAssignment, ClassMatrix, Grouping, percentile};
pub use query::{FilterExpr, PairQuery, Preload, STANDARD_MULTIPATCH_PROJECTS};
