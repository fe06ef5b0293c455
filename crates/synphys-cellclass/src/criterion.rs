//! What a class requires of one column.

use std::fmt;

use crate::Scalar;

/// A requirement on one column of a cell. A class holds one criterion per column and
/// a cell must meet all of them.
///
/// A cell whose column is null (or whose linked row is missing) meets only criteria
/// that accept null: [`Criterion::Equal`] with [`Scalar::Null`], or a null among the
/// values of [`Criterion::AnyOf`] or [`Criterion::Alternatives`].
#[derive(Debug, Clone, PartialEq)]
pub enum Criterion {
    /// The column equals the value (with [`Scalar::Null`]: the column is null).
    Equal(Scalar),
    /// The column equals any of the values. An empty list matches no cell.
    AnyOf {
        /// The accepted values.
        values: Vec<Scalar>,
        /// How a generated name prints the values: the reference names classes with
        /// Python's `str()` of the container, `('a', 'b')` or `['a', 'b']`.
        style: SequenceStyle,
    },
    /// Any of these `column == value` equalities holds. The columns are other criterion
    /// columns; the column this criterion is filed under only appears in the class name.
    /// An empty map matches no cell.
    Alternatives(Vec<(String, Scalar)>),
    /// Every comparison holds for the column's (non-null) value. Comparisons, like the
    /// reference's expressions, play no part in names or excitatory/inhibitory inference.
    Compare(Vec<(CompareOp, Scalar)>),
}

impl Criterion {
    /// Any of `values`, named like a Python tuple: `('nr5a1', 'rorb')`.
    pub fn any_of<V: Into<Scalar>>(values: impl IntoIterator<Item = V>) -> Criterion {
        Criterion::AnyOf {
            values: values.into_iter().map(Into::into).collect(),
            style: SequenceStyle::Tuple,
        }
    }

    /// Any of `values`, named like a Python list: `['nr5a1', 'rorb']`.
    pub fn any_of_list<V: Into<Scalar>>(values: impl IntoIterator<Item = V>) -> Criterion {
        Criterion::AnyOf {
            values: values.into_iter().map(Into::into).collect(),
            style: SequenceStyle::List,
        }
    }

    /// Any of these column equalities.
    pub fn alternatives<C: Into<String>, V: Into<Scalar>>(
        alternatives: impl IntoIterator<Item = (C, V)>,
    ) -> Criterion {
        Criterion::Alternatives(
            alternatives
                .into_iter()
                .map(|(c, v)| (c.into(), v.into()))
                .collect(),
        )
    }

    /// One comparison: `column <op> value`.
    pub fn compare(op: CompareOp, value: impl Into<Scalar>) -> Criterion {
        Criterion::Compare(vec![(op, value.into())])
    }

    /// Whether this criterion counts for names and excitatory/inhibitory inference (the
    /// reference's keyword criteria); comparisons do not (the reference's expressions).
    pub(crate) fn is_keyword(&self) -> bool {
        !matches!(self, Criterion::Compare(_))
    }
}

impl<T: Into<Scalar>> From<T> for Criterion {
    fn from(value: T) -> Criterion {
        Criterion::Equal(value.into())
    }
}

/// The container a list of values was written as, which generated names print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequenceStyle {
    /// A Python tuple, `('a', 'b')`: the usual spelling in the tutorial.
    Tuple,
    /// A Python list, `['a', 'b']`.
    List,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl CompareOp {
    /// Every operator.
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Eq,
        CompareOp::Ne,
    ];

    /// The operator's symbol: `<`, `<=`, `>`, `>=`, `==` or `!=`.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
        }
    }

    /// The operator with this symbol, or with the name Python's `operator` module gives
    /// it (`lt`, `le`, `gt`, `ge`, `eq`, `ne`).
    pub fn parse(text: &str) -> Option<CompareOp> {
        let by_name = match text {
            "lt" => Some(CompareOp::Lt),
            "le" => Some(CompareOp::Le),
            "gt" => Some(CompareOp::Gt),
            "ge" => Some(CompareOp::Ge),
            "eq" => Some(CompareOp::Eq),
            "ne" => Some(CompareOp::Ne),
            _ => None,
        };
        by_name.or_else(|| CompareOp::ALL.into_iter().find(|op| op.symbol() == text))
    }

    /// Whether the operator orders values (rather than testing equality).
    pub(crate) fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}
