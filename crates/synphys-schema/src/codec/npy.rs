//! NumPy `.npy` arrays, the storage of `array` columns.

use ndarray::ArrayD;
use ndarray_npy::npy::header::Header;
use ndarray_npy::{ReadNpyExt, WriteNpyExt};
use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind, Result};

/// An n-dimensional array of one of the element types the database stores.
///
/// Read from and written to NumPy `.npy` bytes: format versions 1.0, 2.0 and 3.0,
/// little- and big-endian, C and Fortran order, 0-d and empty arrays. Arrays are
/// always written as version 1.0 (2.0 when the header needs it), little-endian, C order,
/// which is what NumPy writes by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dtype", content = "array", rename_all = "lowercase")]
pub enum NpyArray {
    /// `float64` elements.
    F64(ArrayD<f64>),
    /// `float32` elements.
    F32(ArrayD<f32>),
    /// `int64` elements.
    I64(ArrayD<i64>),
    /// `int32` elements.
    I32(ArrayD<i32>),
    /// `bool` elements.
    Bool(ArrayD<bool>),
}

#[derive(Clone, Copy)]
enum Dtype {
    F64,
    F32,
    I64,
    I32,
    Bool,
}

impl Dtype {
    fn from_descriptor(descriptor: &str) -> Option<Dtype> {
        let code = descriptor.trim_start_matches(['<', '>', '=', '|']);
        Some(match code {
            "f8" => Dtype::F64,
            "f4" => Dtype::F32,
            "i8" => Dtype::I64,
            "i4" => Dtype::I32,
            "b1" => Dtype::Bool,
            _ => return None,
        })
    }

    fn item_size(self) -> usize {
        match self {
            Dtype::F64 | Dtype::I64 => 8,
            Dtype::F32 | Dtype::I32 => 4,
            Dtype::Bool => 1,
        }
    }
}

impl NpyArray {
    /// Reads `.npy` bytes. `source` names where they came from, for error messages
    /// (a file name or `table.column`).
    ///
    /// # Errors
    ///
    /// When the bytes are not a complete `.npy` file (bad magic string, unknown version,
    /// malformed header, truncated or trailing data, invalid booleans) or hold an element
    /// type other than f64, f32, i64, i32 or bool.
    pub fn from_npy_bytes(bytes: &[u8], source: &str) -> Result<NpyArray> {
        let invalid = |reason: String| {
            Error::new(ErrorKind::InvalidNpy {
                source: source.to_string(),
                reason,
            })
        };
        let mut rest = bytes;
        let header = Header::from_reader(&mut rest).map_err(|e| invalid(e.to_string()))?;
        let descriptor = header.type_descriptor.to_string();
        let dtype =
            Dtype::from_descriptor(descriptor.trim_matches(['\'', '"'])).ok_or_else(|| {
                Error::new(ErrorKind::UnsupportedDtype {
                    source: source.to_string(),
                    descriptor: descriptor.clone(),
                })
            })?;
        // Check the length before reading so that a corrupt shape cannot make the reader
        // allocate more memory than the file holds.
        let expected = header
            .shape
            .iter()
            .try_fold(dtype.item_size(), |acc, &d| acc.checked_mul(d))
            .ok_or_else(|| invalid(format!("shape {:?} overflows", header.shape)))?;
        if rest.len() != expected {
            return Err(invalid(format!(
                "header describes {} elements of shape {:?} ({expected} bytes) but {} bytes \
                 of data follow{}",
                expected / dtype.item_size(),
                header.shape,
                rest.len(),
                if rest.len() < expected {
                    " (truncated?)"
                } else {
                    ""
                },
            )));
        }
        let read = |e: ndarray_npy::ReadNpyError| invalid(e.to_string());
        Ok(match dtype {
            Dtype::F64 => NpyArray::F64(ArrayD::read_npy(bytes).map_err(read)?),
            Dtype::F32 => NpyArray::F32(ArrayD::read_npy(bytes).map_err(read)?),
            Dtype::I64 => NpyArray::I64(ArrayD::read_npy(bytes).map_err(read)?),
            Dtype::I32 => NpyArray::I32(ArrayD::read_npy(bytes).map_err(read)?),
            Dtype::Bool => NpyArray::Bool(ArrayD::read_npy(bytes).map_err(read)?),
        })
    }

    /// Reads an `array` column's BLOB: empty means null (`None`).
    ///
    /// # Errors
    ///
    /// As [`NpyArray::from_npy_bytes`].
    pub fn from_blob(blob: &[u8], source: &str) -> Result<Option<NpyArray>> {
        if blob.is_empty() {
            return Ok(None);
        }
        NpyArray::from_npy_bytes(blob, source).map(Some)
    }

    /// Writes the array as `.npy` bytes (little-endian, C order).
    pub fn to_npy_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let written = match self {
            NpyArray::F64(a) => a.write_npy(&mut out),
            NpyArray::F32(a) => a.write_npy(&mut out),
            NpyArray::I64(a) => a.write_npy(&mut out),
            NpyArray::I32(a) => a.write_npy(&mut out),
            NpyArray::Bool(a) => a.write_npy(&mut out),
        };
        // Writing to a Vec cannot fail on I/O, and every element type here has a fixed
        // header descriptor, so the only possible error would be a bug in ndarray-npy.
        debug_assert!(
            written.is_ok(),
            "writing .npy to memory failed: {written:?}"
        );
        out
    }

    /// The array's shape.
    pub fn shape(&self) -> &[usize] {
        match self {
            NpyArray::F64(a) => a.shape(),
            NpyArray::F32(a) => a.shape(),
            NpyArray::I64(a) => a.shape(),
            NpyArray::I32(a) => a.shape(),
            NpyArray::Bool(a) => a.shape(),
        }
    }

    /// The NumPy name of the element type (`"float64"`, `"float32"`, `"int64"`, `"int32"`,
    /// `"bool"`).
    pub fn dtype_name(&self) -> &'static str {
        match self {
            NpyArray::F64(_) => "float64",
            NpyArray::F32(_) => "float32",
            NpyArray::I64(_) => "int64",
            NpyArray::I32(_) => "int32",
            NpyArray::Bool(_) => "bool",
        }
    }

    /// The elements converted to f64 (booleans as 0/1), keeping the shape.
    pub fn to_f64(&self) -> ArrayD<f64> {
        match self {
            NpyArray::F64(a) => a.clone(),
            NpyArray::F32(a) => a.mapv(f64::from),
            NpyArray::I64(a) => a.mapv(|x| x as f64),
            NpyArray::I32(a) => a.mapv(f64::from),
            NpyArray::Bool(a) => a.mapv(|x| f64::from(u8::from(x))),
        }
    }
}
