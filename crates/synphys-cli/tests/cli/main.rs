//! End-to-end tests: the built `synphys` binary run on demo databases and files.

mod commands;
mod errors;
mod plots;
mod release;
mod support;
mod tutorial;
