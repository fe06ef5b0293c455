//! The reference's cell-class behaviour, case by case: `fixtures/golden/cell_class.json`
//! (names, excitatory/inhibitory inference, rejected criteria, column sources and
//! membership). Exact match required.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use synphys_cellclass::{
    CellClass, CellClassBuilder, CellRecord, CellTable, CompareOp, Criterion, EXCITATORY_CRE_TYPES,
    INHIBITORY_CRE_TYPES, Scalar, SequenceStyle,
};
use synphys_schema::Value;

const GOLDEN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/golden/cell_class.json"
));

/// JSON that keeps object keys in file order (dict order matters in Python names).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Json, E> {
                Ok(Json::Int(i))
            }
            fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Json, E> {
                i64::try_from(u).map(Json::Int).map_err(E::custom)
            }
            fn visit_f64<E>(self, x: f64) -> Result<Json, E> {
                Ok(Json::Float(x))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::Str(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn field(&self, key: &str) -> &Json {
        self.get(key)
            .unwrap_or_else(|| panic!("golden field {key} missing"))
    }
    fn entries(&self) -> &[(String, Json)] {
        match self {
            Json::Object(entries) => entries,
            other => panic!("expected an object, found {other:?}"),
        }
    }
    fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            other => panic!("expected an array, found {other:?}"),
        }
    }
    fn str(&self) -> &str {
        match self {
            Json::Str(s) => s,
            other => panic!("expected a string, found {other:?}"),
        }
    }
    fn scalar(&self) -> Scalar {
        match self {
            Json::Null => Scalar::Null,
            Json::Bool(b) => Scalar::Bool(*b),
            Json::Int(i) => Scalar::Int(*i),
            Json::Float(x) => Scalar::Float(*x),
            Json::Str(s) => Scalar::Str(s.clone()),
            other => panic!("expected a scalar, found {other:?}"),
        }
    }
    fn value(&self) -> Value {
        self.scalar().into()
    }
}

fn golden() -> Json {
    serde_json::from_str(GOLDEN).expect("golden cell_class.json parses")
}

/// A builder holding a golden case's criteria, containers and expressions.
fn builder(case: &Json) -> CellClassBuilder {
    let mut builder = CellClass::builder();
    let containers = case.field("criteria_container");
    for (column, value) in case.field("criteria").entries() {
        let criterion = match value {
            Json::Array(items) => {
                let style = match containers.get(column).map(Json::str) {
                    Some("list") => SequenceStyle::List,
                    Some("tuple") => SequenceStyle::Tuple,
                    other => panic!("array criterion {column} with container {other:?}"),
                };
                Criterion::AnyOf {
                    values: items.iter().map(Json::scalar).collect(),
                    style,
                }
            }
            Json::Object(entries) => Criterion::Alternatives(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.scalar()))
                    .collect(),
            ),
            scalar => Criterion::Equal(scalar.scalar()),
        };
        builder.criterion(column.clone(), criterion);
    }
    if let Some(Json::Array(expressions)) = case.get("expressions") {
        for e in expressions {
            let column = e.field("attr").str();
            let table = CellTable::from_name(e.field("table").str()).expect("a cell table");
            // An expression names its table; our comparisons name bare columns, which
            // must resolve to that same table.
            assert_eq!(CellTable::for_criterion(column), Some(table), "{column}");
            let op = CompareOp::parse(e.field("op").str()).expect("a comparison operator");
            builder.compare(column, op, e.field("value").scalar());
        }
    }
    if let Some(Json::Str(name)) = case.get("name_arg") {
        builder.name(name.clone());
    }
    builder
}

fn expect_ok_or_raises<T: PartialEq + fmt::Debug>(
    case: &Json,
    field: &str,
    got: Result<T, synphys_cellclass::Error>,
    want: impl Fn(&Json) -> T,
) {
    let raises = format!("{field}_raises");
    match (case.get(&raises), got) {
        (Some(_), Err(_)) => {}
        (Some(kind), Ok(v)) => panic!("{field}: expected {kind:?}, got {v:?} for {case:?}"),
        (None, Err(e)) => panic!("{field}: unexpected error {e} for {case:?}"),
        (None, Ok(v)) => assert_eq!(v, want(case.field(field)), "{field} for {case:?}"),
    }
}

#[test]
fn constants_are_the_reference_cre_lists() {
    let golden = golden();
    let constants = golden.field("constants");
    let list = |key: &str| -> Vec<String> {
        constants
            .field(key)
            .items()
            .iter()
            .map(|s| s.str().to_string())
            .collect()
    };
    assert_eq!(list("EXCITATORY_CRE_TYPES"), EXCITATORY_CRE_TYPES);
    assert_eq!(list("INHIBITORY_CRE_TYPES"), INHIBITORY_CRE_TYPES);
}

#[test]
fn class_cases_match_names_and_excitatory_inference() {
    let golden = golden();
    let cases = golden.field("class_cases").items();
    assert!(!cases.is_empty(), "the golden file has class cases");
    let mut checked = 0;
    for case in cases {
        let class = builder(case)
            .build()
            .unwrap_or_else(|e| panic!("{e} for {case:?}"));
        expect_ok_or_raises(case, "is_excitatory", class.is_excitatory(), |j| match j {
            Json::Null => None,
            Json::Bool(b) => Some(*b),
            other => panic!("is_excitatory {other:?}"),
        });
        expect_ok_or_raises(
            case,
            "output_synapse_type",
            class
                .output_synapse_type()
                .map(|t| t.map(|t| t.as_str().to_string())),
            |j| match j {
                Json::Null => None,
                other => Some(other.str().to_string()),
            },
        );
        expect_ok_or_raises(case, "name", class.name().map(|n| n.into_owned()), |j| {
            j.str().to_string()
        });
        expect_ok_or_raises(case, "as_tuple", class.name_parts(), |j| {
            j.items().iter().map(|s| s.str().to_string()).collect()
        });
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

#[test]
fn invalid_construction_cases_are_rejected() {
    let golden = golden();
    let cases = golden.field("invalid_construction_cases").items();
    assert!(
        !cases.is_empty(),
        "the golden file has invalid construction cases"
    );
    for case in cases {
        let criteria = case.field("criteria").entries();
        let mut builder = CellClass::builder();
        for (column, value) in criteria {
            builder.criterion(column.clone(), value.scalar());
        }
        let err = builder
            .build()
            .expect_err("the reference rejects this class");
        // The message names the criterion it refused, whichever of the case's it is.
        let message = err.to_string();
        assert!(
            criteria
                .iter()
                .any(|(column, _)| message.contains(column.as_str())),
            "{message} names none of {criteria:?}"
        );
    }
}

#[test]
fn criterion_columns_resolve_to_the_reference_tables() {
    let golden = golden();
    let sources = golden.field("criteria_attribute_source").entries();
    assert!(
        !sources.is_empty(),
        "the golden file lists criterion sources"
    );
    let table_of = |name: &str| match name {
        "cortical_location" => CellTable::CorticalCellLocation,
        other => CellTable::from_name(other).expect("a cell table"),
    };
    for (column, source) in sources {
        assert_eq!(
            CellTable::for_criterion(column),
            Some(table_of(source.str())),
            "source of {column}"
        );
    }
    // No criterion name beyond the reference's.
    for table in CellTable::ALL {
        let schema_table = synphys_schema::Schema::v22()
            .table(table.name())
            .expect("table");
        for column in schema_table.columns {
            assert!(
                sources.iter().any(|(c, _)| c == column.name),
                "{}",
                column.name
            );
        }
    }
}

#[test]
fn membership_matches_the_reference_for_every_class_and_cell() {
    let golden = golden();
    let membership = golden.field("membership");
    let cells: Vec<CellRecord> = membership
        .field("cells")
        .items()
        .iter()
        .map(|cell| {
            let mut record = CellRecord::new();
            for (object, attributes) in cell.entries() {
                let table = match object.as_str() {
                    "cortical_location" => CellTable::CorticalCellLocation,
                    other => CellTable::from_name(other).expect("a cell table"),
                };
                for (column, value) in attributes.entries() {
                    record.set(table, column.clone(), value.value());
                }
            }
            record
        })
        .collect();
    let classes = membership.field("classes").items();
    let member = membership.field("member").items();
    assert_eq!(classes.len(), member.len(), "one membership row per class");
    assert!(
        !classes.is_empty(),
        "the golden file has membership classes"
    );
    assert!(!cells.is_empty(), "the golden file has membership cells");
    let mut checked = 0;
    for (case, row) in classes.iter().zip(member) {
        let class = builder(case)
            .build()
            .unwrap_or_else(|e| panic!("{e} for {case:?}"));
        let row = row.items();
        assert_eq!(row.len(), cells.len());
        for (j, (cell, want)) in cells.iter().zip(row).enumerate() {
            assert_eq!(
                Json::Bool(class.contains(cell)),
                *want,
                "cell {j} in class {case:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, classes.len() * cells.len());
}
