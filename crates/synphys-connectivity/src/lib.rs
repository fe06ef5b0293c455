//! Work in progress: see the open issue for this crate.
#![deny(missing_docs)]
