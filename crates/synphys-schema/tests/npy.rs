//! `.npy` codec: every file NumPy wrote in `fixtures/npy/` reads as `expected.json` says,
//! corrupt files give clear errors, and every dtype round-trips for random shapes.

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use proptest::prelude::*;
use serde_json::Value as Json;
use synphys_schema::{ErrorKind, NpyArray};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/npy");

fn expected() -> serde_json::Map<String, Json> {
    let text = std::fs::read_to_string(format!("{DIR}/expected.json")).expect("expected.json");
    let doc: Json = serde_json::from_str(&text).expect("expected.json is JSON");
    doc["files"]
        .as_object()
        .expect("files is an object")
        .clone()
}

fn json_number(v: &Json) -> f64 {
    match v {
        Json::Null => f64::NAN,
        Json::String(s) if s == "inf" => f64::INFINITY,
        Json::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Json::Bool(b) => f64::from(u8::from(*b)),
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("not a number: {other}")),
    }
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b
}

#[test]
fn every_reference_file_reads_as_expected() {
    let expected = expected();
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .expect("fixtures/npy")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".npy"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        expected.len(),
        "one expected.json entry per .npy file"
    );
    for file in files {
        let stem = file.trim_end_matches(".npy");
        let want = &expected[stem];
        let bytes = std::fs::read(format!("{DIR}/{file}")).expect("readable");
        let got = NpyArray::from_npy_bytes(&bytes, &file);
        if want.get("error").and_then(Json::as_bool) == Some(true) {
            let err = got.expect_err(&file);
            let message = err.to_string();
            assert!(
                message.starts_with(&file),
                "{file}: message names the input: {message}"
            );
            assert!(
                matches!(err.kind(), ErrorKind::InvalidNpy { .. }),
                "{file}: {err:?}"
            );
            continue;
        }
        let array = got.unwrap_or_else(|e| panic!("{file}: {e}"));
        let shape: Vec<usize> = want["shape"]
            .as_array()
            .expect("shape")
            .iter()
            .map(|d| d.as_u64().expect("dim") as usize)
            .collect();
        assert_eq!(array.shape(), shape.as_slice(), "{file}");
        let dtype = want["dtype"].as_str().expect("dtype");
        let dtype_name = match &dtype[1..] {
            "f8" => "float64",
            "f4" => "float32",
            "i8" => "int64",
            "i4" => "int32",
            "b1" => "bool",
            other => panic!("{file}: unexpected dtype {other}"),
        };
        assert_eq!(array.dtype_name(), dtype_name, "{file}");
        // Logical (C-order) iteration must give the listed values whatever the memory order.
        let values: Vec<f64> = array.to_f64().iter().copied().collect();
        let want_values: Vec<f64> = want["values_c_order"]
            .as_array()
            .expect("values")
            .iter()
            .map(json_number)
            .collect();
        assert_eq!(values.len(), want_values.len(), "{file}");
        for (i, (a, b)) in values.iter().zip(&want_values).enumerate() {
            assert!(same(*a, *b), "{file}[{i}]: {a} != {b}");
        }
        // Re-encoding gives the same logical array.
        let again = NpyArray::from_npy_bytes(&array.to_npy_bytes(), &file).expect("re-read");
        assert_eq!(again.shape(), array.shape());
        let again_values: Vec<f64> = again.to_f64().iter().copied().collect();
        assert!(
            again_values.iter().zip(&values).all(|(a, b)| same(*a, *b)),
            "{file}"
        );
    }
}

/// Builds a `.npy` file by hand for the format versions NumPy only writes when forced.
fn handmade(version: u8, descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let dict = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
        if fortran { "True" } else { "False" }
    );
    let prefix = if version == 1 { 10 } else { 12 };
    let padded = (prefix + dict.len() + 1).div_ceil(64) * 64;
    let mut header = dict.into_bytes();
    header.resize(padded - prefix - 1, b' ');
    header.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend([version, 0]);
    if version == 1 {
        out.extend((header.len() as u16).to_le_bytes());
    } else {
        out.extend((header.len() as u32).to_le_bytes());
    }
    out.extend(header);
    out.extend_from_slice(data);
    out
}

#[test]
fn version_3_big_endian_fortran_reads() {
    let data: Vec<u8> = [1i32, 2, 3, 4, 5, 6]
        .iter()
        .flat_map(|x| x.to_be_bytes())
        .collect();
    let bytes = handmade(3, ">i4", true, "(2, 3)", &data);
    let NpyArray::I32(a) = NpyArray::from_npy_bytes(&bytes, "v3").expect("reads") else {
        panic!("wrong dtype");
    };
    // Fortran order: memory runs down columns.
    let want = ArrayD::from_shape_vec(IxDyn(&[2, 3]).f(), vec![1, 2, 3, 4, 5, 6]).expect("shape");
    assert_eq!(a, want);
    assert_eq!(a[[0, 1]], 3);
}

#[test]
fn corrupt_inputs_are_errors_not_panics() {
    let good = handmade(1, "<f8", false, "(2,)", &[0u8; 16]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], ""),
        ("short data", good[..good.len() - 3].to_vec(), "truncated"),
        (
            "extra data",
            [good.clone(), vec![0]].concat(),
            "bytes of data follow",
        ),
        (
            "bad version",
            {
                let mut b = good.clone();
                b[6] = 9;
                b
            },
            "version",
        ),
        (
            "huge shape",
            handmade(1, "<f8", false, "(4611686018427387904, 4)", &[]),
            "overflows",
        ),
        (
            "claims much",
            handmade(1, "<f8", false, "(1000000000000,)", &[0u8; 8]),
            "truncated",
        ),
        ("bad bool", handmade(1, "|b1", false, "(1,)", &[7]), ""),
        (
            "garbage header",
            handmade(1, "<f8", false, "(2,", &[0u8; 16]),
            "",
        ),
    ];
    for (what, bytes, needle) in cases {
        let err = NpyArray::from_npy_bytes(&bytes, what).expect_err(what);
        let message = err.to_string();
        assert!(message.contains(needle), "{what}: {message}");
        assert!(message.starts_with(what), "{what}: {message}");
    }
    let unsupported = handmade(1, "<u2", false, "(1,)", &[0, 0]);
    let err = NpyArray::from_npy_bytes(&unsupported, "u2").expect_err("u2");
    assert!(matches!(err.kind(), ErrorKind::UnsupportedDtype { .. }));
    assert!(err.to_string().contains("'<u2'"), "{err}");
}

#[test]
fn empty_blob_is_null() {
    assert_eq!(NpyArray::from_blob(&[], "x").expect("empty blob"), None);
}

fn shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..5, 0..4)
}

fn arrays<T: std::fmt::Debug + Clone>(
    element: impl Strategy<Value = T> + Clone,
) -> impl Strategy<Value = (ArrayD<T>, bool)> {
    shape().prop_flat_map(move |shape| {
        let len = shape.iter().product::<usize>();
        (prop::collection::vec(element.clone(), len), any::<bool>()).prop_map(move |(data, f)| {
            let dim = IxDyn(&shape);
            let array = if f {
                ArrayD::from_shape_vec(dim.f(), data)
            } else {
                ArrayD::from_shape_vec(dim, data)
            };
            (array.expect("length matches shape"), f)
        })
    })
}

fn round_trip(array: NpyArray) {
    let bytes = array.to_npy_bytes();
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let back = NpyArray::from_npy_bytes(&bytes, "round trip").expect("reads back");
    assert_eq!(back, array);
}

proptest! {
    #[test]
    fn f64_round_trips((a, _) in arrays(any::<f64>().prop_filter("NaN != NaN", |x| !x.is_nan()))) {
        round_trip(NpyArray::F64(a));
    }

    #[test]
    fn f32_round_trips((a, _) in arrays(any::<f32>().prop_filter("NaN != NaN", |x| !x.is_nan()))) {
        round_trip(NpyArray::F32(a));
    }

    #[test]
    fn i64_round_trips((a, _) in arrays(any::<i64>())) {
        round_trip(NpyArray::I64(a));
    }

    #[test]
    fn i32_round_trips((a, _) in arrays(any::<i32>())) {
        round_trip(NpyArray::I32(a));
    }

    #[test]
    fn bool_round_trips((a, _) in arrays(any::<bool>())) {
        round_trip(NpyArray::Bool(a));
    }

    #[test]
    fn nan_payloads_survive(bits in prop::collection::vec(any::<u64>(), 0..20)) {
        let data: Vec<f64> = bits.iter().map(|b| f64::from_bits(*b)).collect();
        let array = NpyArray::F64(ArrayD::from_shape_vec(IxDyn(&[data.len()]), data.clone()).expect("1-d"));
        let NpyArray::F64(back) = NpyArray::from_npy_bytes(&array.to_npy_bytes(), "nan").expect("reads") else {
            panic!("dtype changed");
        };
        let back_bits: Vec<u64> = back.iter().map(|x| x.to_bits()).collect();
        prop_assert_eq!(back_bits, bits);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = NpyArray::from_npy_bytes(&bytes, "fuzz");
        let mut with_magic = b"\x93NUMPY\x01\x00".to_vec();
        with_magic.extend(&bytes);
        let _ = NpyArray::from_npy_bytes(&with_magic, "fuzz");
    }
}
