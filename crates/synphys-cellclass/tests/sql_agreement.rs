//! The SQL filter and in-memory membership select the same cells.
//!
//! Random cells go into the real schema's tables in an in-memory SQLite database (some
//! without morphology, patch-seq, intrinsic or location rows); random classes — with
//! values of the wrong type, nulls, lists, alternatives and comparisons — are applied
//! both ways, and the selected cell ids must agree.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rusqlite::Connection;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SqliteQueryBuilder};
use synphys_cellclass::{
    CellClass, CellRecord, CellTable, CellTableAliases, CompareOp, Criterion, Scalar, SequenceStyle,
};
use synphys_schema::{ColumnKind, Schema, Value};

/// A column the generated cells fill, with the values it may hold.
struct Col {
    table: CellTable,
    name: &'static str,
    pool: fn() -> Vec<Scalar>,
}

fn strs(values: &[&str]) -> Vec<Scalar> {
    values.iter().map(|s| Scalar::from(*s)).collect()
}

fn floats(values: &[f64]) -> Vec<Scalar> {
    values.iter().map(|x| Scalar::Float(*x)).collect()
}

const COLUMNS: &[Col] = &[
    Col {
        table: CellTable::Cell,
        name: "cre_type",
        pool: || strs(&["sst", "pvalb", "vip", "tlx3", "unknown", "5"]),
    },
    Col {
        table: CellTable::Cell,
        name: "target_layer",
        pool: || strs(&["2/3", "4", "5", "6a"]),
    },
    Col {
        table: CellTable::Cell,
        name: "cell_class",
        pool: || strs(&["ex", "in", "mixed"]),
    },
    Col {
        table: CellTable::Cell,
        name: "depth",
        pool: || floats(&[0.0, 2.5e-5, 5e-5, 1e-4]),
    },
    Col {
        table: CellTable::Morphology,
        name: "dendrite_type",
        pool: || strs(&["spiny", "aspiny", "sparsely spiny", "NA"]),
    },
    Col {
        table: CellTable::Morphology,
        name: "pyramidal",
        pool: || vec![Scalar::Bool(true), Scalar::Bool(false)],
    },
    Col {
        table: CellTable::PatchSeq,
        name: "t_type",
        pool: || strs(&["Sst Chodl", "L5 IT", "Pvalb Vipr2"]),
    },
    Col {
        table: CellTable::PatchSeq,
        name: "genes_detected",
        pool: || vec![Scalar::Int(0), Scalar::Int(1), Scalar::Int(5000)],
    },
    Col {
        table: CellTable::Intrinsic,
        name: "input_resistance",
        pool: || floats(&[0.0, 1.0, 1e8, 2.5e8]),
    },
    Col {
        table: CellTable::CorticalCellLocation,
        name: "cortical_layer",
        pool: || strs(&["2/3", "4", "5", "1"]),
    },
    Col {
        table: CellTable::CorticalCellLocation,
        name: "fractional_layer_depth",
        pool: || floats(&[0.0, 0.25, 0.5, 0.999]),
    },
];

/// Every value any column holds, plus values of the wrong type for some columns.
fn criterion_values() -> Vec<Scalar> {
    let mut all: Vec<Scalar> = COLUMNS.iter().flat_map(|c| (c.pool)()).collect();
    all.extend([
        Scalar::Null,
        Scalar::Int(0),
        Scalar::Int(1),
        Scalar::Int(5),
        Scalar::Float(0.5),
        Scalar::Float(1.0),
        Scalar::Bool(true),
        Scalar::Bool(false),
        Scalar::from("True"),
    ]);
    all
}

fn kind(col: &Col) -> ColumnKind {
    Schema::v22()
        .require_column(col.table.name(), col.name)
        .expect("generated columns exist")
        .kind
}

/// One generated cell: per linked table, `None` for a missing row, else its values.
#[derive(Debug, Clone)]
struct GenCell {
    rows: Vec<Option<Vec<Option<Scalar>>>>,
}

fn cell_strategy() -> impl Strategy<Value = GenCell> {
    let tables = CellTable::ALL;
    let per_table: Vec<BoxedStrategy<Option<Vec<Option<Scalar>>>>> = tables
        .iter()
        .map(|&table| {
            let values: Vec<BoxedStrategy<Option<Scalar>>> = COLUMNS
                .iter()
                .filter(|c| c.table == table)
                .map(|c| {
                    proptest::option::weighted(0.8, proptest::sample::select((c.pool)())).boxed()
                })
                .collect();
            let row = values.prop_map(Some);
            if table == CellTable::Cell {
                row.boxed()
            } else {
                prop_oneof![1 => Just(None), 2 => row].boxed()
            }
        })
        .collect();
    per_table.prop_map(|rows| GenCell { rows })
}

fn scalar_strategy() -> BoxedStrategy<Scalar> {
    proptest::sample::select(criterion_values()).boxed()
}

fn compare_strategy(col: &'static Col) -> BoxedStrategy<Criterion> {
    let k = kind(col);
    let op_value = (
        proptest::sample::select(CompareOp::ALL.to_vec()),
        scalar_strategy(),
    )
        .prop_filter("a value the operator accepts", move |(op, value)| {
            !value.is_null() && (!is_ordering(*op) || fits(value, k))
        });
    proptest::collection::vec(op_value, 1..3)
        .prop_map(|mut list| {
            let mut seen = Vec::new();
            list.retain(|(op, _)| {
                let fresh = !seen.contains(op);
                seen.push(*op);
                fresh
            });
            Criterion::Compare(list)
        })
        .boxed()
}

fn is_ordering(op: CompareOp) -> bool {
    !matches!(op, CompareOp::Eq | CompareOp::Ne)
}

fn fits(value: &Scalar, kind: ColumnKind) -> bool {
    match value {
        Scalar::Str(_) => kind == ColumnKind::Str,
        _ => kind != ColumnKind::Str,
    }
}

fn criterion_strategy(col: &'static Col) -> BoxedStrategy<Criterion> {
    let any_of = (
        proptest::collection::vec(scalar_strategy(), 0..4),
        prop_oneof![Just(SequenceStyle::Tuple), Just(SequenceStyle::List)],
    )
        .prop_map(|(values, style)| Criterion::AnyOf { values, style });
    let alternatives = proptest::collection::vec(
        (
            proptest::sample::select((0..COLUMNS.len()).collect::<Vec<_>>()),
            scalar_strategy(),
        ),
        0..3,
    )
    .prop_map(|mut list| {
        list.sort_by_key(|(i, _)| *i);
        list.dedup_by_key(|(i, _)| *i);
        Criterion::Alternatives(
            list.into_iter()
                .map(|(i, v)| (COLUMNS[i].name.to_string(), v))
                .collect(),
        )
    });
    prop_oneof![
        3 => scalar_strategy().prop_map(Criterion::Equal),
        2 => any_of,
        1 => alternatives,
        2 => compare_strategy(col),
    ]
    .boxed()
}

/// A class of up to four criteria on distinct columns; sometimes on `id`, which reads
/// `cortical_cell_location.id` as in the reference.
fn class_strategy() -> impl Strategy<Value = CellClass> {
    let criteria = proptest::sample::subsequence((0..COLUMNS.len()).collect::<Vec<_>>(), 0..4)
        .prop_flat_map(|indices| {
            indices
                .into_iter()
                .map(|i| criterion_strategy(&COLUMNS[i]).prop_map(move |c| (i, c)))
                .collect::<Vec<_>>()
        });
    let by_id = proptest::option::weighted(0.15, 0i64..12);
    (criteria, by_id).prop_map(|(criteria, by_id)| {
        let mut builder = CellClass::builder();
        for (i, criterion) in criteria {
            builder.criterion(COLUMNS[i].name, criterion);
        }
        if let Some(id) = by_id {
            builder.compare("id", CompareOp::Le, 100 + id);
        }
        builder.build().expect("generated criteria are valid")
    })
}

fn to_sql(value: &Scalar) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Scalar::Null => Sql::Null,
        Scalar::Int(i) => Sql::Integer(*i),
        Scalar::Float(x) => Sql::Real(*x),
        Scalar::Bool(b) => Sql::Integer(i64::from(*b)),
        Scalar::Str(s) => Sql::Text(s.clone()),
    }
}

fn bound_to_sql(value: &sea_query::Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        sea_query::Value::Bool(b) => b.map_or(Sql::Null, |b| Sql::Integer(i64::from(b))),
        sea_query::Value::BigInt(i) => i.map_or(Sql::Null, Sql::Integer),
        sea_query::Value::Double(x) => x.map_or(Sql::Null, Sql::Real),
        sea_query::Value::String(s) => s.clone().map_or(Sql::Null, Sql::Text),
        other => panic!("unexpected bound value {other:?}"),
    }
}

/// Writes the cells (ids 0..n) into a fresh database and returns them as records.
fn store(db: &Connection, cells: &[GenCell]) -> Vec<CellRecord> {
    let mut records = Vec::with_capacity(cells.len());
    for (id, cell) in cells.iter().enumerate() {
        let id = id as i64;
        let mut record = CellRecord::new();
        for (table, row) in CellTable::ALL.into_iter().zip(&cell.rows) {
            let Some(values) = row else { continue };
            let cols: Vec<&Col> = COLUMNS.iter().filter(|c| c.table == table).collect();
            let mut names = vec!["id"];
            let mut params = vec![rusqlite::types::Value::Integer(
                if table == CellTable::Cell {
                    id
                } else {
                    100 + id
                },
            )];
            if table == CellTable::CorticalCellLocation {
                record.set(table, "id", Value::Int(100 + id));
            }
            if table != CellTable::Cell {
                names.push("cell_id");
                params.push(rusqlite::types::Value::Integer(id));
            }
            for (col, value) in cols.iter().zip(values) {
                names.push(col.name);
                let value = value.clone().unwrap_or(Scalar::Null);
                params.push(to_sql(&value));
                record.set(table, col.name, value.into());
            }
            let placeholders = vec!["?"; names.len()].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({placeholders})",
                table.name(),
                names.join(", ")
            );
            db.execute(&sql, rusqlite::params_from_iter(params))
                .expect("insert a generated row");
        }
        records.push(record);
    }
    records
}

/// Ids of the cells the SQL filter of `class` selects.
fn select(db: &Connection, class: &CellClass) -> Vec<i64> {
    let aliases = CellTableAliases::pre();
    let cell = Alias::new(aliases.alias(CellTable::Cell));
    let mut query = Query::select();
    query
        .column((cell.clone(), Alias::new("id")))
        .from_as(Alias::new("cell"), cell.clone());
    for table in &CellTable::ALL[1..] {
        let alias = Alias::new(aliases.alias(*table));
        query.join_as(
            JoinType::LeftJoin,
            Alias::new(table.name()),
            alias.clone(),
            Expr::col((alias, Alias::new("cell_id"))).equals((cell.clone(), Alias::new("id"))),
        );
    }
    query
        .cond_where(class.sql_condition(&aliases))
        .order_by((cell, Alias::new("id")), Order::Asc);
    let (sql, values) = query.build(SqliteQueryBuilder);
    // Values travel as parameters, never as SQL text.
    assert!(!sql.contains('\''), "a literal in {sql}");
    assert_eq!(sql.matches('?').count(), values.0.len(), "{sql}");
    let params: Vec<rusqlite::types::Value> = values.iter().map(bound_to_sql).collect();
    let mut statement = db.prepare(&sql).expect("the filter is valid SQL");
    statement
        .query_map(rusqlite::params_from_iter(params), |row| {
            row.get::<_, i64>(0)
        })
        .expect("the filter runs")
        .collect::<Result<Vec<i64>, _>>()
        .expect("ids read")
}

fn config() -> Config {
    Config {
        cases: 192,
        rng_seed: RngSeed::Fixed(0x5e1c1a55),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sql_filter_selects_the_members(
        cells in proptest::collection::vec(cell_strategy(), 1..12),
        classes in proptest::collection::vec(class_strategy(), 1..6),
    ) {
        let db = Connection::open_in_memory().expect("an in-memory database");
        db.execute_batch(&Schema::v22().create_sql()).expect("the v22 schema");
        let records = store(&db, &cells);
        for class in &classes {
            let in_memory: Vec<i64> = records
                .iter()
                .enumerate()
                .filter(|(_, r)| class.contains(*r))
                .map(|(i, _)| i as i64)
                .collect();
            prop_assert_eq!(select(&db, class), in_memory, "class {:?}", class);
        }
    }
}

#[test]
fn generated_classes_cover_matches_and_misses() {
    // Guard against a generator that only ever selects nothing (or everything): the
    // agreement above would then prove little. Count, over a fixed sample, how many
    // class/cell pairs match.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::new(config());
    let (mut matched, mut total) = (0usize, 0usize);
    for _ in 0..200 {
        let cells = proptest::collection::vec(cell_strategy(), 8)
            .new_tree(&mut runner)
            .expect("cells")
            .current();
        let class = class_strategy()
            .new_tree(&mut runner)
            .expect("a class")
            .current();
        let db = Connection::open_in_memory().expect("an in-memory database");
        db.execute_batch(&Schema::v22().create_sql())
            .expect("the v22 schema");
        let records = store(&db, &cells);
        matched += records.iter().filter(|r| class.contains(*r)).count();
        total += records.len();
    }
    let share = matched as f64 / total as f64;
    assert!((0.05..0.95).contains(&share), "share of members {share}");
}
