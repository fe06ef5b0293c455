//! The single row of the `metadata` table: schema version, creation date, origin.

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind, Result, StoredValue};

/// The schema version this crate reads and writes.
pub const SCHEMA_VERSION: &str = "22";

/// The tables the published `small` files leave out (DESIGN §3): every per-event table.
/// A `medium` file has them without the recorded `data` arrays; a `full` file has all.
pub const PER_EVENT_TABLES: &[&str] = &[
    "pulse_response",
    "baseline",
    "stim_pulse",
    "stim_spike",
    "recording",
    "patch_clamp_recording",
    "multi_patch_probe",
    "test_pulse",
    "sync_rec",
    "pulse_response_fit",
    "pulse_response_strength",
    "synapse_prediction",
    "pipeline",
];

/// The contents of the database's single `metadata` row, held in its `meta` JSON.
///
/// # Example
///
/// ```
/// use synphys_schema::Metadata;
///
/// let meta = Metadata::from_json(r#"{"db_version": "21", "creation_date": "2020-05-01", "origin": "aisynphys"}"#)?;
/// let err = meta.check_version().unwrap_err();
/// assert!(err.to_string().contains("version is 21"));
/// assert!(err.to_string().contains("reads schema version 22"));
/// # Ok::<(), synphys_schema::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Schema version of the file, e.g. `"22"`.
    pub db_version: String,
    /// When the file was created, as the writer recorded it (ISO 8601 text).
    pub creation_date: String,
    /// Who or what wrote the file, e.g. `"synphys-demo 0.1.0"`.
    pub origin: String,
    /// Any further keys the writer stored, kept so a rewrite loses nothing.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Metadata {
    /// The statement that reads the row's `meta` value.
    pub const SELECT_SQL: &'static str = "SELECT meta FROM metadata ORDER BY id";
    /// The statement that writes the row; bind the JSON from [`Metadata::to_json`] as `?1`.
    pub const INSERT_SQL: &'static str = "INSERT INTO metadata (id, meta) VALUES (1, ?1)";

    /// Metadata for a new file of the current schema version.
    pub fn new(creation_date: impl Into<String>, origin: impl Into<String>) -> Metadata {
        Metadata {
            db_version: SCHEMA_VERSION.to_string(),
            creation_date: creation_date.into(),
            origin: origin.into(),
            extra: serde_json::Map::new(),
        }
    }

    /// Parses the `meta` JSON of the metadata row.
    ///
    /// # Errors
    ///
    /// When the text is not a JSON object with a `db_version` (the other keys default to
    /// empty text: older files lack them).
    pub fn from_json(text: &str) -> Result<Metadata> {
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::InvalidJson {
                column: "metadata.meta".into(),
                message: e.to_string(),
            })
        })?;
        let Some(object) = value.as_object_mut() else {
            return Err(invalid(format!("meta is {text:?}, not a JSON object")));
        };
        // Some writers store the version as a number.
        let db_version = match object.remove("db_version") {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(other) => return Err(invalid(format!("db_version is {other}, not text"))),
            None => return Err(invalid("meta has no db_version".to_string())),
        };
        let mut text_field = |key: &str| match object.remove(key) {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let creation_date = text_field("creation_date");
        let origin = text_field("origin");
        Ok(Metadata {
            db_version,
            creation_date,
            origin,
            extra: std::mem::take(object),
        })
    }

    /// Reads the metadata from the values of the `meta` column of every row of the
    /// `metadata` table (the result of [`Metadata::SELECT_SQL`]).
    ///
    /// # Errors
    ///
    /// When there is not exactly one row, or its `meta` is not valid metadata.
    pub fn from_rows(rows: &[StoredValue]) -> Result<Metadata> {
        match rows {
            [] => Err(invalid("the metadata table has no row: this is not a synphys database file, or it was not completely written".into())),
            [StoredValue::Text(text)] => Metadata::from_json(text),
            [StoredValue::Blob(bytes)] => Metadata::from_json(&String::from_utf8_lossy(bytes)),
            [other] => Err(invalid(format!("meta holds {other:?}, not JSON text"))),
            more => Err(invalid(format!("the metadata table has {} rows; exactly one is expected", more.len()))),
        }
    }

    /// The `meta` JSON text to store.
    pub fn to_json(&self) -> String {
        let mut object = self.extra.clone();
        object.insert("db_version".into(), self.db_version.clone().into());
        object.insert("creation_date".into(), self.creation_date.clone().into());
        object.insert("origin".into(), self.origin.clone().into());
        serde_json::Value::Object(object).to_string()
    }

    /// Checks that the file has the schema version this crate reads.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SchemaVersionMismatch`] naming the version found and the one expected.
    pub fn check_version(&self) -> Result<()> {
        if self.db_version == SCHEMA_VERSION {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::SchemaVersionMismatch {
                found: self.db_version.clone(),
                expected: SCHEMA_VERSION.to_string(),
            }))
        }
    }
}

fn invalid(reason: String) -> Error {
    Error::new(ErrorKind::InvalidMetadata { reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_unknown_keys() {
        let text = r#"{"db_version":"22","creation_date":"2021-06-01 10:00:00","origin":"x","note":[1,2]}"#;
        let meta = Metadata::from_json(text).unwrap();
        assert_eq!(meta.extra["note"], serde_json::json!([1, 2]));
        let again = Metadata::from_json(&meta.to_json()).unwrap();
        assert_eq!(meta, again);
        assert!(meta.check_version().is_ok());
    }

    #[test]
    fn numeric_version_is_read_as_text() {
        let meta = Metadata::from_json(r#"{"db_version": 21}"#).unwrap();
        match meta.check_version().unwrap_err().into_kind() {
            ErrorKind::SchemaVersionMismatch { found, expected } => {
                assert_eq!((found.as_str(), expected.as_str()), ("21", "22"));
            }
            other => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn row_count_and_shape_errors_are_clear() {
        assert!(
            Metadata::from_rows(&[])
                .unwrap_err()
                .to_string()
                .contains("no row")
        );
        let two = [
            StoredValue::Text("{}".into()),
            StoredValue::Text("{}".into()),
        ];
        assert!(
            Metadata::from_rows(&two)
                .unwrap_err()
                .to_string()
                .contains("2 rows")
        );
        let no_version = [StoredValue::Text("{}".into())];
        assert!(
            Metadata::from_rows(&no_version)
                .unwrap_err()
                .to_string()
                .contains("db_version")
        );
        assert!(Metadata::from_json("[1]").is_err());
        assert!(Metadata::from_json("{").is_err());
    }
}
