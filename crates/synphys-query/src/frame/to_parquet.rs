//! Writing frames as Parquet (cargo feature `parquet`), with the parquet crate's
//! low-level column writers (no arrow).

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::{ColumnData, Frame, FrameColumn, FrameKind};
use crate::error::{ErrorKind, Result};

fn parquet_error(e: parquet::errors::ParquetError) -> crate::Error {
    ErrorKind::Write {
        format: "Parquet",
        source: std::io::Error::other(e.to_string()),
    }
    .into()
}

/// The Parquet field of a column: every field is optional (nullable).
fn field(column: &FrameColumn) -> parquet::errors::Result<Type> {
    let (physical, logical) = match column.kind() {
        FrameKind::Int => (Physical::INT64, None),
        FrameKind::Float => (Physical::DOUBLE, None),
        FrameKind::Bool => (Physical::BOOLEAN, None),
        FrameKind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        // Arrays are written as their JSON nesting, as in the JSON writers.
        FrameKind::Json | FrameKind::Array => (Physical::BYTE_ARRAY, Some(LogicalType::Json)),
        FrameKind::Date => (Physical::INT32, Some(LogicalType::Date)),
        FrameKind::DateTime => (
            Physical::INT64,
            Some(LogicalType::timestamp(false, TimeUnit::MICROS)),
        ),
    };
    Type::primitive_type_builder(column.name(), physical)
        .with_repetition(Repetition::OPTIONAL)
        .with_logical_type(logical)
        .build()
}

/// The non-null values of `values` and the definition levels (1 = present, 0 = null).
fn levels<T: Copy, U>(values: &[Option<T>], convert: impl Fn(T) -> U) -> (Vec<U>, Vec<i16>) {
    let present = values.iter().flatten().map(|&v| convert(v)).collect();
    let defined = values.iter().map(|v| i16::from(v.is_some())).collect();
    (present, defined)
}

impl Frame {
    /// Writes the frame as one Parquet row group: nullable columns named as the frame's,
    /// int → INT64, float → DOUBLE, bool → BOOLEAN, text → UTF-8 strings, date → DATE,
    /// datetime → TIMESTAMP (µs, not UTC-adjusted), JSON and arrays → JSON strings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Write`] when writing fails; malformed stored JSON or `.npy` bytes.
    pub fn write_parquet(&self, out: impl Write + Send) -> Result<()> {
        let fields = self
            .columns()
            .iter()
            .map(|c| field(c).map(Arc::new))
            .collect::<parquet::errors::Result<Vec<_>>>()
            .map_err(parquet_error)?;
        let schema = Type::group_type_builder("frame")
            .with_fields(fields)
            .build()
            .map_err(parquet_error)?;
        let properties = Arc::new(WriterProperties::builder().build());
        let mut writer =
            SerializedFileWriter::new(out, Arc::new(schema), properties).map_err(parquet_error)?;
        let mut group = writer.next_row_group().map_err(parquet_error)?;
        for column in self.columns() {
            let Some(mut out) = group.next_column().map_err(parquet_error)? else {
                break;
            };
            match column.data() {
                ColumnData::Int(v) => {
                    let (values, defined) = levels(v, |x| x);
                    out.typed::<Int64Type>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::Float(v) => {
                    let (values, defined) = levels(v, |x| x);
                    out.typed::<DoubleType>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::Bool(v) => {
                    let (values, defined) = levels(v, |x| x);
                    out.typed::<BoolType>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::Date(v) => {
                    let epoch = chrono::NaiveDate::default();
                    let (values, defined) = levels(v, |d| {
                        i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
                    });
                    out.typed::<Int32Type>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::DateTime(v) => {
                    let (values, defined) = levels(v, |t| t.and_utc().timestamp_micros());
                    out.typed::<Int64Type>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::Text(v) => {
                    let values: Vec<ByteArray> = v.iter().flatten().map(ByteArray::from).collect();
                    let defined: Vec<i16> = v.iter().map(|s| i16::from(s.is_some())).collect();
                    out.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defined), None)
                }
                ColumnData::Json(_) | ColumnData::Array(_) => {
                    let mut values = Vec::new();
                    let mut defined = Vec::with_capacity(self.n_rows());
                    for row in 0..self.n_rows() {
                        match column.json_value(row)? {
                            serde_json::Value::Null => defined.push(0),
                            value => {
                                values.push(ByteArray::from(value.to_string().into_bytes()));
                                defined.push(1);
                            }
                        }
                    }
                    out.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defined), None)
                }
            }
            .map_err(parquet_error)?;
            out.close().map_err(parquet_error)?;
        }
        group.close().map_err(parquet_error)?;
        writer.close().map_err(parquet_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    use super::*;
    use crate::frame::TextColumn;

    #[test]
    fn a_frame_reads_back_from_parquet_with_its_nulls() {
        let mut text = TextColumn::default();
        text.push(Some("sst"));
        text.push(None);
        let mut json = TextColumn::default();
        json.push(Some("{\"a\": [1, 2]}"));
        json.push(None);
        let date = chrono::NaiveDate::from_ymd_opt(2019, 3, 4);
        let frame = Frame::new(vec![
            FrameColumn::new("pair.id", ColumnData::Int(vec![Some(7), None])),
            FrameColumn::new("pair.distance", ColumnData::Float(vec![None, Some(5e-5)])),
            FrameColumn::new("pair.has_synapse", ColumnData::Bool(vec![Some(true), None])),
            FrameColumn::new("pre_cell.cre_type", ColumnData::Text(text)),
            FrameColumn::new("pair.meta", ColumnData::Json(json)),
            FrameColumn::new("slice.day", ColumnData::Date(vec![date, None])),
            FrameColumn::new(
                "slice.time",
                ColumnData::DateTime(vec![
                    None,
                    date.and_then(|d| d.and_hms_micro_opt(1, 2, 3, 4)),
                ]),
            ),
        ])
        .unwrap();
        let file = tempfile::tempfile().unwrap();
        frame.write_parquet(file.try_clone().unwrap()).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let rows: Vec<Vec<(String, Field)>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| {
                row.unwrap()
                    .get_column_iter()
                    .map(|(n, f)| (n.clone(), f.clone()))
                    .collect()
            })
            .collect();
        let names: Vec<&str> = rows[0].iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, frame.column_names().collect::<Vec<_>>());
        assert_eq!(rows[0][0].1, Field::Long(7));
        assert_eq!(rows[1][0].1, Field::Null);
        assert_eq!(rows[1][1].1, Field::Double(5e-5));
        assert_eq!(rows[0][2].1, Field::Bool(true));
        assert_eq!(rows[0][3].1, Field::Str("sst".to_string()));
        assert_eq!(rows[1][3].1, Field::Null);
        assert_eq!(rows[0][4].1, Field::Str("{\"a\":[1,2]}".to_string()));
        assert!(matches!(rows[0][5].1, Field::Date(_)));
        assert!(matches!(rows[1][6].1, Field::TimestampMicros(_)));
    }
}
