//! What a class may be built from, and the errors for what it may not.

use synphys_cellclass::{
    CellClass, CellRecord, CellTable, CompareOp, Criterion, ErrorKind, Scalar, SynapseType,
};
use synphys_schema::ColumnKind;

fn build(criteria: &[(&str, Criterion)]) -> Result<CellClass, synphys_cellclass::Error> {
    let mut builder = CellClass::builder();
    for (column, criterion) in criteria {
        builder.criterion(*column, criterion.clone());
    }
    builder.build()
}

fn kind_of(criteria: &[(&str, Criterion)]) -> ErrorKind {
    build(criteria)
        .expect_err("an invalid class")
        .kind()
        .clone()
}

#[test]
fn unknown_columns_are_rejected_with_close_matches() {
    let kind = kind_of(&[("dendrite", "spiny".into())]);
    let ErrorKind::UnknownColumn {
        column,
        close_matches,
    } = &kind
    else {
        panic!("{kind:?}");
    };
    assert_eq!(column, "dendrite");
    assert!(
        close_matches.contains(&"dendrite_type".to_string()),
        "{close_matches:?}"
    );
    // The reference's own example of a typo: `layer` is not a column.
    assert!(matches!(
        kind_of(&[("layer", "6".into())]),
        ErrorKind::UnknownColumn { .. }
    ));
    // Alternatives are checked too.
    let kind = kind_of(&[("cre_type", Criterion::alternatives([("cre_typo", "sst")]))]);
    assert!(matches!(kind, ErrorKind::UnknownColumn { column, .. } if column == "cre_typo"));
}

#[test]
fn json_columns_cannot_be_criteria() {
    for column in ["meta", "position"] {
        let kind = kind_of(&[(column, "x".into())]);
        assert_eq!(
            kind,
            ErrorKind::UnsupportedColumn {
                column: format!("cortical_cell_location.{column}"),
                kind: ColumnKind::Object
            }
        );
    }
}

#[test]
fn repeated_criteria_are_rejected() {
    let kind = kind_of(&[("cre_type", "sst".into()), ("cre_type", "vip".into())]);
    assert_eq!(
        kind,
        ErrorKind::DuplicateCriterion {
            column: "cre_type".into()
        }
    );

    let twice = Criterion::alternatives([("cre_type", "sst"), ("cre_type", "vip")]);
    let kind = kind_of(&[("cre_type", twice)]);
    assert!(matches!(kind, ErrorKind::DuplicateAlternative { .. }));

    let lt_twice = Criterion::Compare(vec![
        (CompareOp::Lt, 1.0.into()),
        (CompareOp::Lt, 2.0.into()),
    ]);
    let kind = kind_of(&[("depth", lt_twice)]);
    assert_eq!(
        kind,
        ErrorKind::DuplicateComparison {
            column: "depth".into(),
            op: CompareOp::Lt
        }
    );

    let kind = kind_of(&[("depth", Criterion::Compare(vec![]))]);
    assert_eq!(
        kind,
        ErrorKind::EmptyComparison {
            column: "depth".into()
        }
    );

    // A comparison on a column that already has a value criterion is a second criterion.
    let err = CellClass::builder()
        .criterion("cortical_layer", "2/3")
        .compare("cortical_layer", CompareOp::Ne, "2")
        .build()
        .expect_err("two criteria on one column");
    assert!(matches!(err.kind(), ErrorKind::DuplicateCriterion { .. }));
}

#[test]
fn comparisons_on_one_column_combine() {
    let class = CellClass::builder()
        .compare("fractional_layer_depth", CompareOp::Ge, 0.25)
        .criterion("cortical_layer", "2/3")
        .compare("fractional_layer_depth", CompareOp::Lt, 0.5)
        .build()
        .expect("a valid class");
    let criteria: Vec<(&str, &Criterion)> = class.criteria().collect();
    assert_eq!(criteria.len(), 2);
    assert_eq!(
        criteria[0],
        (
            "fractional_layer_depth",
            &Criterion::Compare(vec![
                (CompareOp::Ge, 0.25.into()),
                (CompareOp::Lt, 0.5.into())
            ])
        )
    );
    let at = |depth: f64| {
        CellRecord::new()
            .with(CellTable::CorticalCellLocation, "cortical_layer", "2/3")
            .with(
                CellTable::CorticalCellLocation,
                "fractional_layer_depth",
                depth,
            )
    };
    assert!(class.contains(&at(0.25)));
    assert!(!class.contains(&at(0.5)));
    assert!(!class.contains(&at(0.1)));
    // Comparisons are not part of the name or the excitatory inference.
    assert_eq!(class.name().expect("nameable"), "L2/3");
    assert_eq!(class.is_excitatory(), Ok(None));
}

#[test]
fn comparisons_need_a_value_of_an_orderable_type() {
    let kind = kind_of(&[("depth", Criterion::compare(CompareOp::Eq, Scalar::Null))]);
    assert_eq!(
        kind,
        ErrorKind::NullComparison {
            column: "depth".into(),
            op: CompareOp::Eq
        }
    );

    let kind = kind_of(&[("cortical_layer", Criterion::compare(CompareOp::Lt, 3))]);
    assert!(matches!(
        kind,
        ErrorKind::IncomparableValue {
            value_type: "integer",
            ..
        }
    ));
    let kind = kind_of(&[("depth", Criterion::compare(CompareOp::Ge, "deep"))]);
    assert!(matches!(
        kind,
        ErrorKind::IncomparableValue {
            value_type: "string",
            ..
        }
    ));

    // Equality comparisons accept any non-null value (Python: never equal, always differ).
    let class = build(&[("cortical_layer", Criterion::compare(CompareOp::Ne, 3))]).expect("valid");
    let located = CellRecord::new().with(CellTable::CorticalCellLocation, "cortical_layer", "3");
    assert!(class.contains(&located));
    assert!(
        !class.contains(&CellRecord::new()),
        "null never meets a comparison"
    );
    // Booleans order against numeric columns, as in Python.
    assert!(build(&[("pyramidal", Criterion::compare(CompareOp::Ge, 0.5))]).is_ok());
}

#[test]
fn nan_values_are_rejected_everywhere() {
    let nan = || Scalar::Float(f64::NAN);
    for criterion in [
        Criterion::Equal(nan()),
        Criterion::any_of([nan()]),
        Criterion::alternatives([("depth", nan())]),
        Criterion::compare(CompareOp::Lt, nan()),
    ] {
        let kind = kind_of(&[("depth", criterion)]);
        assert_eq!(
            kind,
            ErrorKind::NanValue {
                column: "depth".into()
            }
        );
    }
}

#[test]
fn a_class_without_criteria_holds_every_cell() {
    let everything = CellClass::builder().build().expect("an empty class");
    assert!(everything.contains(&CellRecord::new()));
    assert!(everything.contains(&CellRecord::new().with(CellTable::Cell, "cre_type", "sst")));
    assert_eq!(everything.name().expect("nameable"), "");
    assert_eq!(everything.output_synapse_type(), Ok(None));
}

#[test]
fn null_criteria_select_null_values_and_nan_counts_as_null() {
    let no_reporter = build(&[("cre_type", Scalar::Null.into())]).expect("valid");
    assert!(no_reporter.contains(&CellRecord::new()));
    assert!(!no_reporter.contains(&CellRecord::new().with(CellTable::Cell, "cre_type", "sst")));

    let at_surface = build(&[(
        "depth",
        Criterion::any_of([Scalar::Null, Scalar::Float(0.0)]),
    )])
    .expect("valid");
    let depth = |x: f64| CellRecord::new().with(CellTable::Cell, "depth", x);
    assert!(at_surface.contains(&depth(0.0)));
    assert!(
        at_surface.contains(&depth(f64::NAN)),
        "NaN is stored as null"
    );
    assert!(!at_surface.contains(&depth(1e-5)));
}

#[test]
fn excitatory_inference_reports_invalid_cell_classes() {
    let class = build(&[("cell_class_nonsynaptic", Criterion::any_of(["ex"]))]).expect("valid");
    let err = class
        .is_excitatory()
        .expect_err("a list is not a cell class");
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidCellClass {
            column: "cell_class_nonsynaptic",
            value: "('ex',)".into()
        }
    );
    assert!(class.output_synapse_type().is_err());
    let ex = build(&[("cell_class", "ex".into())]).expect("valid");
    assert_eq!(ex.output_synapse_type(), Ok(Some(SynapseType::Ex)));
    assert_eq!(SynapseType::In.to_string(), "in");
}

#[test]
fn an_explicit_name_does_not_hide_an_unnamable_target_layer() {
    let class = CellClass::builder()
        .name("layer five")
        .criterion("target_layer", 5)
        .build()
        .expect("the reference accepts the class");
    assert_eq!(class.name().expect("explicit"), "layer five");
    let err = class
        .name_parts()
        .expect_err("'L' + 5 is a TypeError in the reference");
    assert_eq!(
        err.kind(),
        &ErrorKind::UnnamableTargetLayer { value: "5".into() }
    );
}
