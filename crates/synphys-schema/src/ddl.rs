//! SQLite DDL for a schema, as the Python package's SQLAlchemy models create it.

use std::fmt::Write as _;

use crate::{Schema, Table};

impl Table {
    /// The `CREATE TABLE` statement, laid out as SQLAlchemy emits it for SQLite.
    pub fn create_table_sql(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        for c in self.columns {
            let not_null = if c.primary_key { " NOT NULL" } else { "" };
            lines.push(format!("{} {}{}", c.name, c.kind.sql_type(), not_null));
        }
        let pk: Vec<&str> = self
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name)
            .collect();
        if !pk.is_empty() {
            lines.push(format!("PRIMARY KEY ({})", pk.join(", ")));
        }
        // A unique column that is also indexed gets a unique index instead of a constraint.
        for c in self.columns.iter().filter(|c| c.unique && !c.index) {
            lines.push(format!("UNIQUE ({})", c.name));
        }
        for c in self.foreign_keys() {
            if let Some(target) = c.references {
                lines.push(format!("FOREIGN KEY({}) REFERENCES {target} (id)", c.name));
            }
        }
        let mut sql = format!("CREATE TABLE {} (\n", self.name);
        sql.push_str(
            &lines
                .iter()
                .map(|l| format!("\t{l}"))
                .collect::<Vec<_>>()
                .join(", \n"),
        );
        sql.push_str("\n)");
        sql
    }

    /// The `CREATE [UNIQUE] INDEX ix_<table>_<column>` statements of the table's indexed
    /// columns.
    pub fn create_index_sql(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.index)
            .map(|c| {
                let unique = if c.unique { "UNIQUE " } else { "" };
                format!(
                    "CREATE {unique}INDEX {} ON {} ({})",
                    index_name(self.name, c.name),
                    self.name,
                    c.name
                )
            })
            .collect()
    }
}

/// The name SQLAlchemy gives the index of an indexed column.
pub fn index_name(table: &str, column: &str) -> String {
    format!("ix_{table}_{column}")
}

impl Schema {
    /// Every statement that creates the schema in an empty database, in order: each
    /// table is followed by its indexes, and a table comes after the tables it references.
    pub fn create_statements(&self) -> Vec<String> {
        self.create_statements_for(|_| true)
    }

    /// The statements creating only the tables `include` accepts (by name), in the order
    /// of [`Schema::create_statements`]; e.g. the layout of a published `small` file,
    /// which leaves out [`PER_EVENT_TABLES`](crate::PER_EVENT_TABLES).
    pub fn create_statements_for(&self, include: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for table in self.tables.iter().filter(|table| include(table.name)) {
            out.push(table.create_table_sql());
            out.extend(table.create_index_sql());
        }
        out
    }

    /// All of [`Schema::create_statements`] as one SQL script, ready for
    /// `execute_batch`.
    pub fn create_sql(&self) -> String {
        let mut sql = String::new();
        for statement in self.create_statements() {
            // Writing to a String cannot fail.
            let _ = writeln!(sql, "{statement};");
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use crate::Schema;

    #[test]
    fn pair_table_matches_sqlalchemy_layout() {
        let pair = Schema::v22().table("pair").unwrap();
        let sql = pair.create_table_sql();
        assert!(sql.starts_with("CREATE TABLE pair (\n\tid INTEGER NOT NULL, \n"));
        assert!(sql.contains("\thas_synapse BOOLEAN, \n"));
        assert!(sql.contains("\tPRIMARY KEY (id), \n"));
        assert!(sql.contains("FOREIGN KEY(pre_cell_id) REFERENCES cell (id)"));
        assert!(sql.ends_with("\n)"));
        let indexes = pair.create_index_sql();
        assert!(
            indexes.contains(&"CREATE INDEX ix_pair_pre_cell_id ON pair (pre_cell_id)".to_string())
        );
    }

    #[test]
    fn unique_indexed_columns_get_unique_indexes() {
        let slice = Schema::v22().table("slice").unwrap();
        assert!(
            slice
                .create_index_sql()
                .contains(&"CREATE UNIQUE INDEX ix_slice_ext_id ON slice (ext_id)".to_string())
        );
        assert!(!slice.create_table_sql().contains("UNIQUE"));
    }
}
