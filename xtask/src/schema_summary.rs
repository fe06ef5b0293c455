//! `cargo xtask schema-summary [--ddl]`: what the schema v22 catalogue holds.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use synphys_schema::{ColumnKind, Schema};

pub(crate) fn run(args: &[String]) -> Result<()> {
    let schema = Schema::v22();
    match args {
        [] => summary(schema),
        [flag] if flag == "--ddl" => {
            print!("{}", schema.create_sql());
            Ok(())
        }
        other => bail!("schema-summary takes no arguments or --ddl, not {other:?}"),
    }
}

fn summary(schema: &Schema) -> Result<()> {
    let columns: usize = schema.tables.iter().map(|t| t.columns.len()).sum();
    println!(
        "Synaptic Physiology Dataset database, schema version {}: {} tables, {} columns\n",
        schema.version,
        schema.tables.len(),
        columns
    );
    println!(
        "{:<26} {:>7} {:>7} {:>8}  references",
        "table", "columns", "indexed", "deferred"
    );
    for table in schema.tables {
        let indexed = table.columns.iter().filter(|c| c.index).count();
        let deferred = table.columns.iter().filter(|c| c.deferred).count();
        let mut references: Vec<&str> = table.foreign_keys().filter_map(|c| c.references).collect();
        references.dedup();
        println!(
            "{:<26} {:>7} {:>7} {:>8}  {}",
            table.name,
            table.columns.len(),
            indexed,
            deferred,
            references.join(", ")
        );
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for column in schema.tables.iter().flat_map(|t| t.columns.iter()) {
        *kinds.entry(column.kind.name()).or_default() += 1;
    }
    println!("\ncolumns by storage kind:");
    for kind in ColumnKind::ALL {
        if let Some(n) = kinds.get(kind.name()) {
            println!(
                "  {:<9} {:>4}  stored as {}",
                kind.name(),
                n,
                kind.sql_type()
            );
        }
    }
    let statements = schema.create_statements();
    println!(
        "\n{} CREATE statements recreate this layout (`cargo xtask schema-summary --ddl` prints them)",
        statements.len()
    );
    Ok(())
}
