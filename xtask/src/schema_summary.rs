//! `cargo xtask schema-summary`: what the schema v22 catalogue holds.

use anyhow::Result;
use synphys_schema::Schema;

pub(crate) fn run(_args: &[String]) -> Result<()> {
    let schema = Schema::v22();
    Ok(println!(
        "schema v{}: {} tables",
        schema.version,
        schema.tables.len()
    ))
}
