//! The layout of the Synaptic Physiology Dataset's database (schema version 22), as data:
//! its tables and columns, the SQLite DDL that creates it, typed rows, and the codecs
//! between stored values and typed ones.
//!
//! This crate describes the database; it never opens one. Executing SQL is the job of
//! the crates above it (and of your own code: the examples use `rusqlite`).
//!
//! # Example: create an empty v22 database and read its version
//!
//! ```
//! use synphys_schema::{Metadata, Schema, StoredValue};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = rusqlite::Connection::open_in_memory()?;
//! db.execute_batch(&Schema::v22().create_sql())?;
//! db.execute(Metadata::INSERT_SQL, [Metadata::new("2026-11-26T12:00:00", "example").to_json()])?;
//!
//! let meta: String = db.query_row(Metadata::SELECT_SQL, [], |row| row.get(0))?;
//! let meta = Metadata::from_rows(&[StoredValue::Text(meta)])?;
//! meta.check_version()?;
//! assert_eq!(meta.db_version, "22");
//! # Ok(())
//! # }
//! ```
//!
//! # Example: look up columns
//!
//! ```
//! use synphys_schema::{ColumnKind, Schema};
//!
//! # fn main() -> Result<(), synphys_schema::Error> {
//! let schema = Schema::v22();
//! let distance = schema.require_column("pair", "distance")?;
//! assert_eq!(distance.kind, ColumnKind::Float);
//! assert_eq!(schema.require_column("pair", "pre_cell_id")?.references, Some("cell"));
//!
//! // A typo gets a suggestion.
//! let err = schema.require_column("pair", "has_synapes").unwrap_err();
//! assert!(err.to_string().contains("did you mean has_synapse"));
//! # Ok(())
//! # }
//! ```
//!
//! # Example: decode stored values
//!
//! Values come out of SQLite as one of five storage classes ([`StoredValue`]); a
//! [`Column`] decodes them into its kind ([`Value`]). JSON text `null`, SQL NULL and an
//! empty BLOB are all null.
//!
//! ```
//! use synphys_schema::{NpyArray, Schema, StoredValue, Value};
//!
//! # fn main() -> Result<(), synphys_schema::Error> {
//! let schema = Schema::v22();
//! let has_synapse = schema.require_column("pair", "has_synapse")?;
//! assert_eq!(has_synapse.decode(StoredValue::Integer(1))?, Value::Bool(true));
//!
//! let meta = schema.require_column("pair", "meta")?;
//! assert_eq!(meta.decode(StoredValue::Text("null".into()))?, Value::Null);
//!
//! let data = schema.require_column("pulse_response", "data")?;
//! let array = NpyArray::F64(ndarray::arr1(&[1.0e-3, 2.0e-3]).into_dyn());
//! let stored = data.encode(&Value::Array(array.clone()))?;
//! assert_eq!(data.decode(stored)?, Value::Array(array));
//! assert_eq!(data.decode(StoredValue::Blob(vec![]))?, Value::Null);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: typed rows
//!
//! ```
//! use synphys_schema::{Cell, Schema, StoredValue, TableRow};
//!
//! # fn main() -> Result<(), synphys_schema::Error> {
//! let table = Schema::v22().require_table(Cell::TABLE)?;
//! let stored = vec![
//!     StoredValue::Integer(1),
//!     StoredValue::Integer(10),
//!     StoredValue::Text("3".into()),
//!     StoredValue::Null,
//!     StoredValue::Text("sst".into()),
//!     StoredValue::Text("2/3".into()),
//!     StoredValue::Text("[1e-4, 2e-4, 5e-5]".into()),
//!     StoredValue::Real(5.5e-5),
//!     StoredValue::Text("in".into()),
//!     StoredValue::Text("in".into()),
//!     StoredValue::Text("null".into()),
//! ];
//! let values = table
//!     .columns
//!     .iter()
//!     .zip(stored)
//!     .map(|(column, value)| column.decode(value))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let cell = Cell::from_values(values)?;
//! assert_eq!(cell.cre_type.as_deref(), Some("sst"));
//! assert_eq!(cell.depth, Some(5.5e-5)); // metres
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod catalog;
mod codec;
mod ddl;
mod error;
mod metadata;
mod rows;

pub use catalog::{Column, ColumnKind, Schema, Table, close_matches};
pub use codec::datetime::{parse_date, parse_datetime};
pub use codec::npy::NpyArray;
pub use codec::{StoredValue, Value};
pub use ddl::index_name;
pub use error::{Error, ErrorKind};
pub use metadata::{Metadata, PER_EVENT_TABLES, SCHEMA_VERSION};
pub use rows::*;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
