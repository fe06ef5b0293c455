//! Extra `column op value` conditions, checked against the schema catalogue.

use sea_query::{Condition, Expr, ExprTrait};
use synphys_cellclass::{CompareOp, Scalar};
use synphys_schema::{Column, ColumnKind, Schema, close_matches};

use super::joins;
use crate::error::{ErrorKind, Result};

/// A validated `alias.column op value` condition of a pair query.
///
/// The column must be a column of one of the query's tables under its alias (`pair`,
/// `pre_cell`, `post_cortical_cell_location`, `synapse`, `slice`, …); the value must be
/// of a type the column holds. The value is always a bound parameter.
///
/// ```
/// use synphys_query::FilterExpr;
///
/// let ok = FilterExpr::parse("pair.distance < 100e-6")?;
/// assert_eq!(ok.column_name(), "pair.distance");
/// let typo = FilterExpr::parse("pair.distanse < 1").unwrap_err();
/// assert!(typo.to_string().contains("did you mean distance"));
/// assert!(FilterExpr::parse("pre_cell.cre_type > 3").is_err()); // text column, number value
/// # Ok::<(), synphys_query::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FilterExpr {
    alias: &'static str,
    column: &'static Column,
    op: CompareOp,
    value: Scalar,
}

fn invalid(given: &str, reason: impl Into<String>) -> crate::Error {
    ErrorKind::InvalidFilter {
        what: "filter expression",
        given: given.to_string(),
        reason: reason.into(),
    }
    .into()
}

/// The alias and catalogue column of `alias.column`.
pub(crate) fn resolve(name: &str) -> Result<(&'static str, &'static Column)> {
    let Some((alias, column)) = name.split_once('.') else {
        return Err(invalid(
            name,
            "name the column as alias.column, e.g. pair.distance or pre_cell.cre_type",
        ));
    };
    let Some(joined) = joins::by_alias(alias) else {
        let near = close_matches(alias, joins::aliases());
        return Err(invalid(
            name,
            format!(
                "the pair query has no table `{alias}`{}; its tables are {}",
                if near.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", near.join(", "))
                },
                joins::aliases().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    let column = Schema::v22().require_column(joined.table, column)?;
    Ok((joined.alias, column))
}

/// Parses a literal: a quoted string, `true`/`false`, `null`/`none`, or a number.
fn parse_value(text: &str) -> Option<Scalar> {
    let text = text.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return Some(Scalar::Str(inner.to_string()));
        }
    }
    match text.to_ascii_lowercase().as_str() {
        "true" => return Some(Scalar::Bool(true)),
        "false" => return Some(Scalar::Bool(false)),
        "null" | "none" => return Some(Scalar::Null),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Some(Scalar::Int(i));
    }
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Scalar::Float)
}

impl FilterExpr {
    /// A condition from its parts; `column` is `alias.column`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidFilter`] for an unknown alias or a value the column cannot
    /// hold, [`ErrorKind::Schema`] (with suggestions) for an unknown column.
    pub fn new(column: &str, op: CompareOp, value: Scalar) -> Result<FilterExpr> {
        let (alias, col) = resolve(column)?;
        let given = || format!("{column} {op} {value:?}");
        let fits = match (&value, col.kind) {
            (Scalar::Null, _) => matches!(op, CompareOp::Eq | CompareOp::Ne),
            (_, ColumnKind::Object | ColumnKind::Array) => false,
            (Scalar::Str(_), kind) => {
                matches!(
                    kind,
                    ColumnKind::Str | ColumnKind::Date | ColumnKind::DateTime
                )
            }
            (Scalar::Int(_) | Scalar::Float(_), kind) => matches!(
                kind,
                ColumnKind::Int | ColumnKind::BigInt | ColumnKind::Float | ColumnKind::Bool
            ),
            (Scalar::Bool(_), kind) => kind == ColumnKind::Bool,
        };
        if !fits {
            let reason = match (&value, col.kind) {
                (Scalar::Null, _) => {
                    "null can only be compared with == or != (is null / is not null)".to_string()
                }
                (_, ColumnKind::Object | ColumnKind::Array) => {
                    format!(
                        "{column} holds {} values, which cannot be compared",
                        col.kind
                    )
                }
                _ => format!(
                    "{column} holds {} values; a {} cannot be compared with it",
                    col.kind,
                    value.type_name()
                ),
            };
            return Err(invalid(&given(), reason));
        }
        if let Scalar::Float(x) = value
            && !x.is_finite()
        {
            return Err(invalid(&given(), "the value must be a finite number"));
        }
        Ok(FilterExpr {
            alias,
            column: col,
            op,
            value,
        })
    }

    /// Parses `alias.column op value`: `op` one of `<`, `<=`, `>`, `>=`, `==` (or `=`),
    /// `!=` (or `<>`); `value` a number, a quoted string, `true`, `false` or `null`.
    /// `alias.column is null` and `alias.column is not null` are accepted too.
    ///
    /// # Errors
    ///
    /// As [`FilterExpr::new`], and when the text is not of this form.
    pub fn parse(text: &str) -> Result<FilterExpr> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        for (suffix, op) in [(" is not null", CompareOp::Ne), (" is null", CompareOp::Eq)] {
            if lower.ends_with(suffix) {
                let column = trimmed[..trimmed.len() - suffix.len()].trim();
                return FilterExpr::new(column, op, Scalar::Null);
            }
        }
        // Two-character operators first, so `<=` is not read as `<`.
        const OPS: [(&str, CompareOp); 8] = [
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<>", CompareOp::Ne),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
            ("=", CompareOp::Eq),
        ];
        let found = OPS
            .iter()
            .filter_map(|(symbol, op)| trimmed.find(symbol).map(|at| (at, *symbol, *op)))
            .min_by_key(|(at, symbol, _)| (*at, std::cmp::Reverse(symbol.len())));
        let Some((at, symbol, op)) = found else {
            return Err(invalid(
                text,
                "write `alias.column op value` with op one of < <= > >= == != (or `is null`)",
            ));
        };
        let column = trimmed[..at].trim();
        let value_text = trimmed[at + symbol.len()..].trim();
        let value = parse_value(value_text).ok_or_else(|| {
            invalid(
                text,
                format!("`{value_text}` is not a value: use a number, a quoted string, true, false or null"),
            )
        })?;
        FilterExpr::new(column, op, value)
    }

    /// The table alias the condition reads (`pair`, `pre_cell`, …).
    pub fn alias(&self) -> &'static str {
        self.alias
    }

    /// The column's result name, `alias.column`.
    pub fn column_name(&self) -> String {
        format!("{}.{}", self.alias, self.column.name)
    }

    /// The SQL condition, the value bound.
    pub(crate) fn condition(&self) -> Condition {
        let col = Expr::col((
            sea_query::Alias::new(self.alias),
            sea_query::Alias::new(self.column.name),
        ));
        let bound = match &self.value {
            Scalar::Null => None,
            Scalar::Int(i) => Some(sea_query::Value::BigInt(Some(*i))),
            Scalar::Float(x) => Some(sea_query::Value::Double(Some(*x))),
            Scalar::Bool(b) => Some(sea_query::Value::Bool(Some(*b))),
            Scalar::Str(s) => Some(sea_query::Value::String(Some(s.clone()))),
        };
        let expr = match (bound, self.op) {
            (None, CompareOp::Ne) => col.is_not_null(),
            (None, _) => col.is_null(),
            (Some(v), CompareOp::Lt) => col.lt(v),
            (Some(v), CompareOp::Le) => col.lte(v),
            (Some(v), CompareOp::Gt) => col.gt(v),
            (Some(v), CompareOp::Ge) => col.gte(v),
            (Some(v), CompareOp::Eq) => col.eq(v),
            (Some(v), CompareOp::Ne) => col.ne(v),
        };
        Condition::all().add(expr)
    }
}
