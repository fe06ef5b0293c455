//! Class membership as an SQL condition (sea-query), for filtering inside the database.

use sea_query::{Alias, Condition, Expr, ExprTrait};
use synphys_schema::Column;

use crate::class::Entry;
use crate::columns::CellTable;
use crate::{CellClass, CompareOp, Criterion, Scalar};

/// The names under which a query refers to one cell's five tables.
///
/// The pair query joins each pair's two cells, so it aliases their tables: the
/// presynaptic cell's as `pre_cell`, `pre_morphology`, `pre_patch_seq`, `pre_intrinsic`,
/// `pre_cortical_cell_location` ([`CellTableAliases::pre`]) and the postsynaptic cell's
/// likewise with `post_` ([`CellTableAliases::post`]). Result columns are named
/// `<alias>.<column>`, which is also how [`crate::ClassSet::classify_pairs`] finds them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellTableAliases {
    names: [String; 5],
}

impl CellTableAliases {
    /// Each table under its own name prefixed by `prefix` (`""` for the plain names).
    pub fn with_prefix(prefix: &str) -> CellTableAliases {
        CellTableAliases {
            names: CellTable::ALL.map(|t| format!("{prefix}{}", t.name())),
        }
    }

    /// The presynaptic cell's tables: `pre_cell`, `pre_morphology`, ….
    pub fn pre() -> CellTableAliases {
        CellTableAliases::with_prefix("pre_")
    }

    /// The postsynaptic cell's tables: `post_cell`, `post_morphology`, ….
    pub fn post() -> CellTableAliases {
        CellTableAliases::with_prefix("post_")
    }

    /// Replaces the alias of one table.
    pub fn set(mut self, table: CellTable, alias: impl Into<String>) -> CellTableAliases {
        self.names[index(table)] = alias.into();
        self
    }

    /// The alias of `table`.
    pub fn alias(&self, table: CellTable) -> &str {
        &self.names[index(table)]
    }

    /// The result-column name of `table.column`: `<alias>.<column>`.
    pub fn column_name(&self, table: CellTable, column: &str) -> String {
        format!("{}.{column}", self.alias(table))
    }
}

impl Default for CellTableAliases {
    /// The presynaptic aliases.
    fn default() -> CellTableAliases {
        CellTableAliases::pre()
    }
}

fn index(table: CellTable) -> usize {
    match table {
        CellTable::Cell => 0,
        CellTable::Morphology => 1,
        CellTable::PatchSeq => 2,
        CellTable::Intrinsic => 3,
        CellTable::CorticalCellLocation => 4,
    }
}

impl CellClass {
    /// The class as an SQL condition on a cell's tables under `aliases`, for
    /// `Select::cond_where`. The query must outer-join the linked tables (a missing row
    /// gives nulls), as the pair query does.
    ///
    /// Every value is a bound parameter; column names come from the schema and aliases
    /// are quoted identifiers. The condition selects exactly the cells
    /// [`CellClass::contains`] accepts (checked by a property test against SQLite): null
    /// criteria become `IS NULL`, and a value whose type the column cannot hold (text
    /// for a number column) becomes `FALSE` rather than letting SQLite's type affinity
    /// convert it.
    ///
    /// ```
    /// use sea_query::{Alias, Query, SqliteQueryBuilder};
    /// use synphys_cellclass::{CellClass, CellTableAliases, Criterion};
    ///
    /// # fn main() -> Result<(), synphys_cellclass::Error> {
    /// let class = CellClass::builder()
    ///     .criterion("cre_type", Criterion::any_of(["sst", "pvalb"]))
    ///     .criterion("cortical_layer", "2/3")
    ///     .build()?;
    /// let (sql, values) = Query::select()
    ///     .column((Alias::new("pre_cell"), Alias::new("id")))
    ///     .from_as(Alias::new("cell"), Alias::new("pre_cell"))
    ///     .cond_where(class.sql_condition(&CellTableAliases::pre()))
    ///     .build(SqliteQueryBuilder);
    /// assert_eq!(
    ///     sql,
    ///     r#"SELECT "pre_cell"."id" FROM "cell" AS "pre_cell" WHERE "pre_cell"."cre_type" IN (?, ?) AND "pre_cortical_cell_location"."cortical_layer" = ?"#
    /// );
    /// assert_eq!(values.0.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn sql_condition(&self, aliases: &CellTableAliases) -> Condition {
        self.entries().iter().fold(Condition::all(), |all, entry| {
            all.add(entry_condition(entry, aliases))
        })
    }
}

fn column(aliases: &CellTableAliases, table: CellTable, column: &Column) -> Expr {
    Expr::col((Alias::new(aliases.alias(table)), Alias::new(column.name)))
}

fn never() -> Expr {
    Expr::Constant(false.into())
}

fn bound(value: &Scalar) -> sea_query::Value {
    match value {
        Scalar::Null => sea_query::Value::String(None),
        Scalar::Int(i) => sea_query::Value::BigInt(Some(*i)),
        Scalar::Float(x) => sea_query::Value::Double(Some(*x)),
        Scalar::Bool(b) => sea_query::Value::Bool(Some(*b)),
        Scalar::Str(s) => sea_query::Value::String(Some(s.clone())),
    }
}

/// `column == value` with the membership's Python equality.
fn equality(col: Expr, column: &Column, value: &Scalar) -> Expr {
    if value.is_null() {
        col.is_null()
    } else if value.fits(column.kind) {
        col.eq(bound(value))
    } else {
        never()
    }
}

fn entry_condition(entry: &Entry, aliases: &CellTableAliases) -> Condition {
    let col = || column(aliases, entry.table, entry.column);
    match &entry.criterion {
        Criterion::Equal(value) => equality(col(), entry.column, value).into(),
        Criterion::AnyOf { values, .. } => {
            let listed: Vec<sea_query::Value> = values
                .iter()
                .filter(|v| !v.is_null() && v.fits(entry.column.kind))
                .map(bound)
                .collect();
            let mut any = Condition::any();
            if !listed.is_empty() {
                any = any.add(col().is_in(listed));
            }
            if values.iter().any(Scalar::is_null) {
                any = any.add(col().is_null());
            }
            if any.is_empty() {
                any = any.add(never());
            }
            any
        }
        Criterion::Alternatives(list) => {
            let any = list.iter().zip(&entry.alternatives).fold(
                Condition::any(),
                |any, ((_, value), (table, column_def))| {
                    any.add(equality(
                        column(aliases, *table, column_def),
                        column_def,
                        value,
                    ))
                },
            );
            if any.is_empty() {
                any.add(never())
            } else {
                any
            }
        }
        Criterion::Compare(list) => list.iter().fold(Condition::all(), |all, (op, value)| {
            let fits = value.fits(entry.column.kind);
            let expr = match op {
                CompareOp::Eq if fits => col().eq(bound(value)),
                CompareOp::Ne if fits => col().ne(bound(value)),
                // Python: a value of another type equals nothing and differs from every
                // non-null value.
                CompareOp::Eq => never(),
                CompareOp::Ne => col().is_not_null(),
                CompareOp::Lt => col().lt(bound(value)),
                CompareOp::Le => col().lte(bound(value)),
                CompareOp::Gt => col().gt(bound(value)),
                CompareOp::Ge => col().gte(bound(value)),
            };
            all.add(expr)
        }),
    }
}
