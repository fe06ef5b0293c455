//! Class files: TOML holding an ordered list of classes (format in the crate docs).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::class::check_criterion;
use crate::{
    CellClass, ClassSet, CompareOp, Criterion, Error, ErrorKind, Result, Scalar, SequenceStyle,
};

const HEADER: &str = "\
# Cell classes for synphys. A cell belongs to the first class (in file order) whose
# criteria it meets. Each key is a column of cell, morphology, patch_seq, intrinsic or
# cortical_cell_location.
";

/// What a criterion may be, for messages.
const CRITERION_FORMS: &str = "a string, integer, float or boolean (equality), an array \
     of those (any of), or an inline table: `{ list = [...] }`, `{ tuple = [...] }`, \
     `{ any_of = { column = value, ... } }`, `{ null = true }`, or comparisons such as \
     `{ \">=\" = 0.5, \"<\" = 0.8 }`";

const SCALAR_FORMS: &str = "a string, integer, float, boolean or `{ null = true }`";

/// Where a problem is, and what is wrong there.
struct Problem {
    span: Range<usize>,
    reason: String,
}

fn problem(span: Range<usize>, reason: impl Into<String>) -> Problem {
    Problem {
        span,
        reason: reason.into(),
    }
}

/// The 1-based line and character column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn located(text: &str, p: Problem) -> Error {
    let (line, column) = position(text, p.span.start);
    ErrorKind::ClassFile {
        line,
        column,
        reason: p.reason,
    }
    .into()
}

pub(crate) fn parse(text: &str) -> Result<ClassSet> {
    parse_located(text).map_err(|p| located(text, p))
}

fn parse_located(text: &str) -> Result<ClassSet, Problem> {
    let document = DeTable::parse(text).map_err(|e| {
        let reason = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        problem(e.span().unwrap_or(0..0), format!("invalid TOML: {reason}"))
    })?;
    let mut classes: Vec<(CellClass, Range<usize>)> = Vec::new();
    for (key, value) in document.get_ref().iter() {
        if key.get_ref() != "class" {
            return Err(problem(
                key.span(),
                format!(
                    "unknown key `{}`: a class file holds `[[class]]` tables only",
                    key.get_ref()
                ),
            ));
        }
        let tables = match value.get_ref() {
            DeValue::Array(items) => items,
            other => {
                return Err(problem(
                    value.span(),
                    format!(
                        "expected `[[class]]` tables (an array of tables), found {}",
                        describe(other)
                    ),
                ));
            }
        };
        for item in tables.iter() {
            match item.get_ref() {
                DeValue::Table(table) => classes.push((parse_class(table)?, item.span())),
                other => {
                    return Err(problem(
                        item.span(),
                        format!("expected a `[[class]]` table, found {}", describe(other)),
                    ));
                }
            }
        }
    }
    if classes.is_empty() {
        return Err(problem(
            0..0,
            "no classes: expected one or more `[[class]]` tables",
        ));
    }
    let mut names: Vec<(String, Range<usize>)> = Vec::with_capacity(classes.len());
    for (class, span) in &classes {
        let name = class
            .name()
            .map_err(|e| problem(span.clone(), e.to_string()))?
            .into_owned();
        if let Some((_, first)) = names.iter().find(|(n, _)| *n == name) {
            let (line, _) = position(text, first.start);
            return Err(problem(
                span.clone(),
                format!(
                    "class name {name:?} is already used by the class at line {line}: names must differ"
                ),
            ));
        }
        names.push((name, span.clone()));
    }
    // Names were just checked, so this cannot fail; map the error all the same.
    ClassSet::new(classes.into_iter().map(|(c, _)| c)).map_err(|e| problem(0..0, e.to_string()))
}

fn parse_class(table: &DeTable<'_>) -> Result<CellClass, Problem> {
    let mut name = None;
    let mut entries = Vec::with_capacity(table.len());
    for (key, value) in table.iter() {
        let column = key.get_ref().as_ref();
        if column == "name" {
            match value.get_ref() {
                DeValue::String(s) => name = Some(s.to_string()),
                other => {
                    return Err(problem(
                        value.span(),
                        format!(
                            "expected the class name as a string, found {}",
                            describe(other)
                        ),
                    ));
                }
            }
            continue;
        }
        let criterion = parse_criterion(column, value)?;
        let entry =
            check_criterion(column, criterion).map_err(|e| problem(key.span(), e.to_string()))?;
        entries.push(entry);
    }
    Ok(CellClass::from_entries(name, entries))
}

fn parse_criterion(column: &str, value: &Spanned<DeValue<'_>>) -> Result<Criterion, Problem> {
    match value.get_ref() {
        DeValue::Array(items) => Ok(Criterion::AnyOf {
            values: parse_scalars(items)?,
            style: SequenceStyle::Tuple,
        }),
        DeValue::Table(table) => parse_criterion_table(column, table, value.span()),
        DeValue::Datetime(_) => Err(problem(
            value.span(),
            format!("criterion `{column}` is a date/time: expected {CRITERION_FORMS}"),
        )),
        _ => Ok(Criterion::Equal(parse_scalar(value)?)),
    }
}

fn parse_criterion_table(
    column: &str,
    table: &DeTable<'_>,
    span: Range<usize>,
) -> Result<Criterion, Problem> {
    let mut entries = table.iter();
    let Some((first_key, first_value)) = entries.next() else {
        return Err(problem(
            span,
            format!("criterion `{column}` is an empty table: expected {CRITERION_FORMS}"),
        ));
    };
    let form = first_key.get_ref().as_ref();
    if matches!(form, "null" | "list" | "tuple" | "any_of") {
        if let Some((extra, _)) = entries.next() {
            return Err(problem(
                extra.span(),
                format!(
                    "criterion `{column}`: `{form}` cannot be combined with `{}` in one table",
                    extra.get_ref()
                ),
            ));
        }
        return match (form, first_value.get_ref()) {
            ("null", DeValue::Boolean(true)) => Ok(Criterion::Equal(Scalar::Null)),
            ("null", _) => Err(problem(
                first_value.span(),
                format!("criterion `{column}`: expected `null = true`"),
            )),
            ("list" | "tuple", DeValue::Array(items)) => Ok(Criterion::AnyOf {
                values: parse_scalars(items)?,
                style: if form == "list" {
                    SequenceStyle::List
                } else {
                    SequenceStyle::Tuple
                },
            }),
            ("list" | "tuple", other) => Err(problem(
                first_value.span(),
                format!(
                    "criterion `{column}`: `{form}` expects an array of values, found {}",
                    describe(other)
                ),
            )),
            (_, DeValue::Table(alternatives)) => {
                let mut list = Vec::with_capacity(alternatives.len());
                for (key, value) in alternatives.iter() {
                    list.push((key.get_ref().to_string(), parse_scalar(value)?));
                }
                Ok(Criterion::Alternatives(list))
            }
            (_, other) => Err(problem(
                first_value.span(),
                format!(
                    "criterion `{column}`: `any_of` expects a table of column = value, found {}",
                    describe(other)
                ),
            )),
        };
    }
    let mut comparisons = Vec::with_capacity(table.len());
    for (key, value) in table.iter() {
        let Some(op) = CompareOp::parse(key.get_ref()) else {
            return Err(problem(
                key.span(),
                format!(
                    "unknown key `{}` in criterion `{column}`: expected `list`, `tuple`, \
                     `any_of`, `null`, or a comparison operator (\"<\", \"<=\", \">\", \">=\", \
                     \"==\", \"!=\")",
                    key.get_ref()
                ),
            ));
        };
        comparisons.push((op, parse_scalar(value)?));
    }
    Ok(Criterion::Compare(comparisons))
}

fn parse_scalars(items: &[Spanned<DeValue<'_>>]) -> Result<Vec<Scalar>, Problem> {
    items.iter().map(parse_scalar).collect()
}

fn parse_scalar(value: &Spanned<DeValue<'_>>) -> Result<Scalar, Problem> {
    let span = value.span();
    match value.get_ref() {
        DeValue::String(s) => Ok(Scalar::Str(s.to_string())),
        DeValue::Boolean(b) => Ok(Scalar::Bool(*b)),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Scalar::Int)
            .map_err(|_| problem(span, format!("integer {i} does not fit in 64 bits"))),
        DeValue::Float(x) => x
            .as_str()
            .parse::<f64>()
            .map(Scalar::Float)
            .map_err(|_| problem(span, format!("cannot read float {x}"))),
        DeValue::Table(table)
            if table.len() == 1
                && table.iter().all(|(k, v)| {
                    k.get_ref() == "null" && matches!(v.get_ref(), DeValue::Boolean(true))
                }) =>
        {
            Ok(Scalar::Null)
        }
        other => Err(problem(
            span,
            format!("expected {SCALAR_FORMS}, found {}", describe(other)),
        )),
    }
}

/// The TOML type of a value with its article, for messages.
fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

pub(crate) fn print(set: &ClassSet) -> String {
    let mut out = String::from(HEADER);
    for class in set {
        out.push_str("\n[[class]]\n");
        if let Some(name) = class.explicit_name() {
            out.push_str(&format!("name = {}\n", toml_string(name)));
        }
        for (column, criterion) in class.criteria() {
            out.push_str(&format!("{column} = {}\n", print_criterion(criterion)));
        }
    }
    out
}

fn print_criterion(criterion: &Criterion) -> String {
    match criterion {
        Criterion::Equal(value) => print_scalar(value),
        Criterion::AnyOf { values, style } => {
            let array = format!(
                "[{}]",
                values
                    .iter()
                    .map(print_scalar)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            match style {
                SequenceStyle::Tuple => array,
                SequenceStyle::List => format!("{{ list = {array} }}"),
            }
        }
        Criterion::Alternatives(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|(c, v)| format!("{} = {}", toml_key(c), print_scalar(v)))
                .collect();
            if items.is_empty() {
                "{ any_of = {} }".to_string()
            } else {
                format!("{{ any_of = {{ {} }} }}", items.join(", "))
            }
        }
        Criterion::Compare(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|(op, v)| format!("{} = {}", toml_string(op.symbol()), print_scalar(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

fn print_scalar(value: &Scalar) -> String {
    match value {
        Scalar::Null => "{ null = true }".to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(x) => toml::Value::Float(*x).to_string(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Str(s) => toml_string(s),
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}
