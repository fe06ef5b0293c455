//! Class files: presets, printing and reading back, and the errors a bad file gets.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use synphys_cellclass::{
    CellClass, ClassSet, CompareOp, Criterion, ErrorKind, Preset, Scalar, SequenceStyle,
};

#[test]
fn every_preset_reads_and_prints_back_to_an_equal_set() {
    let sizes = [
        ("tutorial-l23", 4),
        ("broad", 4),
        ("mouse-layers", 17),
        ("ei", 2),
        ("human-layers", 5),
    ];
    assert_eq!(Preset::ALL.len(), sizes.len());
    for (name, size) in sizes {
        let set = ClassSet::preset(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(set.len(), size, "{name}");
        let printed = set.to_toml();
        assert_eq!(
            ClassSet::from_toml(&printed),
            Ok(set.clone()),
            "{name}:\n{printed}"
        );
        assert_eq!(printed.parse::<ClassSet>(), Ok(set), "{name} via FromStr");
    }
}

#[test]
fn unknown_preset_lists_the_presets() {
    let err = ClassSet::preset("mouse").unwrap_err();
    let message = err.to_string();
    for preset in Preset::ALL {
        assert!(message.contains(preset.name), "{message}");
    }
}

/// The tutorial's classes, as its Python code defines them (DESIGN §5, seed tutorial).
#[test]
fn presets_hold_the_tutorial_definitions() {
    fn class(name: &str, criteria: &[(&str, Criterion)]) -> CellClass {
        let mut builder = CellClass::builder();
        builder.name(name);
        for (column, criterion) in criteria {
            builder.criterion(*column, criterion.clone());
        }
        builder.build().expect("a tutorial class")
    }
    let eq = |v: &str| Criterion::Equal(Scalar::from(v));
    let tuple = |a: &str, b: &str| Criterion::any_of([a, b]);

    let l23 = ClassSet::new([
        class(
            "L2/3 Excit.",
            &[("cell_class", eq("ex")), ("cortical_layer", eq("2/3"))],
        ),
        class(
            "L2/3 Pvalb",
            &[("cre_type", eq("pvalb")), ("cortical_layer", eq("2/3"))],
        ),
        class(
            "L2/3 Sst",
            &[("cre_type", eq("sst")), ("cortical_layer", eq("2/3"))],
        ),
        class(
            "L2/3 Vip",
            &[("cre_type", eq("vip")), ("cortical_layer", eq("2/3"))],
        ),
    ]);
    assert_eq!(ClassSet::preset("tutorial-l23"), l23);

    let broad = ClassSet::new([
        class("Excit.", &[("cell_class", eq("ex"))]),
        class("Pvalb", &[("cre_type", eq("pvalb"))]),
        class("Sst", &[("cre_type", eq("sst"))]),
        class("Vip", &[("cre_type", eq("vip"))]),
    ]);
    assert_eq!(ClassSet::preset("broad"), broad);

    let l6 = || tuple("6a", "6b");
    let mouse: Vec<(&str, &str, Criterion, Criterion)> = vec![
        ("l23pyr", "dendrite_type", eq("spiny"), eq("2/3")),
        ("l23pv", "cre_type", eq("pvalb"), eq("2/3")),
        ("l23sst", "cre_type", eq("sst"), eq("2/3")),
        ("l23vip", "cre_type", eq("vip"), eq("2/3")),
        ("l4pyr", "cre_type", tuple("nr5a1", "rorb"), eq("4")),
        ("l4pv", "cre_type", eq("pvalb"), eq("4")),
        ("l4sst", "cre_type", eq("sst"), eq("4")),
        ("l4vip", "cre_type", eq("vip"), eq("4")),
        ("l5et", "cre_type", tuple("sim1", "fam84b"), eq("5")),
        ("l5it", "cre_type", eq("tlx3"), eq("5")),
        ("l5pv", "cre_type", eq("pvalb"), eq("5")),
        ("l5sst", "cre_type", eq("sst"), eq("5")),
        ("l5vip", "cre_type", eq("vip"), eq("5")),
        ("l6pyr", "cre_type", eq("ntsr1"), l6()),
        ("l6pv", "cre_type", eq("pvalb"), l6()),
        ("l6sst", "cre_type", eq("sst"), l6()),
        ("l6vip", "cre_type", eq("vip"), l6()),
    ];
    let mouse =
        ClassSet::new(mouse.into_iter().map(|(name, column, c, layer)| {
            class(name, &[(column, c), ("cortical_layer", layer)])
        }));
    assert_eq!(ClassSet::preset("mouse-layers"), mouse);

    let ei = ClassSet::preset("ei").expect("ei preset");
    let criteria: Vec<Vec<(String, Criterion)>> = ei
        .iter()
        .map(|c| {
            c.criteria()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        })
        .collect();
    assert_eq!(
        criteria,
        [
            vec![("cell_class_nonsynaptic".to_string(), eq("ex"))],
            vec![("cell_class_nonsynaptic".to_string(), eq("in"))],
        ]
    );
    for class in &ei {
        assert!(class.output_synapse_type().expect("valid").is_some());
    }

    let human = ClassSet::preset("human-layers").expect("human preset");
    for (class, layer) in human.iter().zip(["2", "3", "4", "5", "6"]) {
        let layers: Vec<&Criterion> = class
            .criteria()
            .filter(|(k, _)| *k == "cortical_layer")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(layers, [&eq(layer)]);
        assert_eq!(class.is_excitatory(), Ok(Some(true)));
    }
}

#[test]
fn every_criterion_form_reads_as_documented() {
    let set = ClassSet::from_toml(
        r#"
[[class]]
cre_type = ["sst", { null = true }]
cortical_layer = { list = ["2/3", "4"] }
t_type = { tuple = ["L5 IT"] }

[[class]]
name = "alternatives"
cell_class = { any_of = { cell_class = "in", dendrite_type = "aspiny" } }
fractional_layer_depth = { ">=" = 0.5, "<" = 0.9, "!=" = 0.75 }
input_resistance = { gt = 1e8 }
pyramidal = false
genes_detected = 0x10
dendrite_type = { null = true }
"#,
    )
    .expect("a valid file");
    let first = &set.classes()[0];
    assert_eq!(first.explicit_name(), None);
    assert_eq!(
        first.name().expect("nameable"),
        "L['2/3', '4'] ('sst', None) ('L5 IT',)"
    );
    let criteria: Vec<(&str, &Criterion)> = first.criteria().collect();
    assert_eq!(
        criteria[1].1,
        &Criterion::AnyOf {
            values: vec![Scalar::from("2/3"), Scalar::from("4")],
            style: SequenceStyle::List
        }
    );
    let second: Vec<(&str, &Criterion)> = set.classes()[1].criteria().collect();
    assert_eq!(
        second[0].1,
        &Criterion::alternatives([("cell_class", "in"), ("dendrite_type", "aspiny")])
    );
    assert_eq!(
        second[1].1,
        &Criterion::Compare(vec![
            (CompareOp::Ge, Scalar::Float(0.5)),
            (CompareOp::Lt, Scalar::Float(0.9)),
            (CompareOp::Ne, Scalar::Float(0.75)),
        ])
    );
    assert_eq!(second[2].1, &Criterion::compare(CompareOp::Gt, 1e8));
    assert_eq!(second[3].1, &Criterion::Equal(Scalar::Bool(false)));
    assert_eq!(second[4].1, &Criterion::Equal(Scalar::Int(16)));
    assert_eq!(second[5].1, &Criterion::Equal(Scalar::Null));
}

/// Each bad file, the line the error must point at, and words the message must hold.
#[test]
fn errors_give_the_line_and_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "no classes: expected one or more `[[class]]` tables"),
        ("# only a comment\n", 1, "no classes"),
        ("[[class]]\nname = \n", 2, "invalid TOML"),
        ("[[class]]\nname = 'a'\nname = 'b'\n", 3, "duplicate key"),
        (
            "title = \"x\"\n",
            1,
            "unknown key `title`: a class file holds `[[class]]` tables only",
        ),
        (
            "[class]\ncre_type = 'sst'\n",
            1,
            "expected `[[class]]` tables (an array of tables), found a table",
        ),
        (
            "class = [1]\n",
            1,
            "expected a `[[class]]` table, found an integer",
        ),
        (
            "[[class]]\n\ncre_typ = 'sst'\n",
            3,
            "unknown cell class criterion `cre_typ` (did you mean cre_type",
        ),
        (
            "[[class]]\nname = 5\n",
            2,
            "expected the class name as a string, found an integer",
        ),
        (
            "[[class]]\ncortical_layer = 2023-01-01\n",
            2,
            "is a date/time: expected a string, integer, float or boolean",
        ),
        (
            "[[class]]\ncre_type = [['sst']]\n",
            2,
            "expected a string, integer, float, boolean or `{ null = true }`, found an array",
        ),
        (
            "[[class]]\ncre_type = { list = 'sst' }\n",
            2,
            "`list` expects an array of values, found a string",
        ),
        (
            "[[class]]\ncre_type = { list = ['sst'], null = true }\n",
            2,
            "`list` cannot be combined with `null`",
        ),
        (
            "[[class]]\ncre_type = { like = 'ss%' }\n",
            2,
            "unknown key `like` in criterion `cre_type`: expected `list`, `tuple`, `any_of`, `null`, or a comparison operator",
        ),
        (
            "[[class]]\ncre_type = {}\n",
            2,
            "criterion `cre_type` is an empty table",
        ),
        (
            "[[class]]\ncre_type = { null = false }\n",
            2,
            "expected `null = true`",
        ),
        (
            "[[class]]\ncre_type = { any_of = ['sst'] }\n",
            2,
            "`any_of` expects a table of column = value, found an array",
        ),
        (
            "[[class]]\ncre_type = { any_of = { dendrit_type = 'spiny' } }\n",
            2,
            "unknown cell class criterion `dendrit_type` (did you mean dendrite_type",
        ),
        (
            "[[class]]\ndepth = { \"<\" = { null = true } }\n",
            2,
            "compares with `<` against null",
        ),
        (
            "[[class]]\ncortical_layer = { \">=\" = 5 }\n",
            2,
            "orders (>=) a str column against a value of type integer",
        ),
        (
            "[[class]]\ndepth = { \"<\" = 'deep' }\n",
            2,
            "a numeric column orders against numbers or booleans",
        ),
        ("[[class]]\ndepth = nan\n", 2, "NaN"),
        (
            "[[class]]\ngenes_detected = 99999999999999999999\n",
            2,
            "does not fit in 64 bits",
        ),
        (
            "[[class]]\nmeta = 'x'\n",
            2,
            "holds object values and cannot be a cell class criterion",
        ),
        (
            "[[class]]\nname = 'a'\n\n[[class]]\nname = 'b'\n\n[[class]]\nname = 'a'\n",
            7,
            "class name \"a\" is already used by the class at line 1",
        ),
        (
            "[[class]]\ncre_type = 'sst'\n[[class]]\ncre_type = 'sst'\n",
            3,
            "class name \"sst\" is already used by the class at line 1",
        ),
        (
            "[[class]]\ntarget_layer = 5\n",
            1,
            "cannot name the class: its target_layer criterion is 5",
        ),
    ];
    for (text, line, words) in cases {
        let err = ClassFile::read(text);
        assert_eq!(err.line(), Some(*line), "line of {err} for {text:?}");
        assert!(matches!(err.kind(), ErrorKind::ClassFile { .. }));
        assert!(
            err.to_string().contains(words),
            "{err}\nshould contain {words:?}"
        );
    }
}

struct ClassFile;

impl ClassFile {
    fn read(text: &str) -> synphys_cellclass::Error {
        match ClassSet::from_toml(text) {
            Ok(set) => panic!("{text:?} read as {set:?}"),
            Err(err) => err,
        }
    }
}

#[test]
fn error_columns_count_characters() {
    let before = "cre_type = { \"<\" = \"é\", ";
    let err = ClassFile::read(&format!("[[class]]\n{before}like = 2 }}\n"));
    match err.kind() {
        ErrorKind::ClassFile { line, column, .. } => {
            assert_eq!((*line, *column), (2, before.chars().count() + 1), "{err}");
        }
        other => panic!("not a class-file error: {other:?}"),
    }
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        Just(Scalar::Null),
        any::<i64>().prop_map(Scalar::Int),
        prop_oneof![
            any::<f64>().prop_filter("not NaN", |x| !x.is_nan()),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(5.0),
            Just(1e-300),
        ]
        .prop_map(Scalar::Float),
        any::<bool>().prop_map(Scalar::Bool),
        ".{0,12}".prop_map(Scalar::Str),
    ]
}

/// Columns of every kind a criterion may use.
const COLUMNS: &[&str] = &[
    "cre_type",
    "target_layer",
    "cell_class",
    "depth",
    "dendrite_type",
    "pyramidal",
    "t_type",
    "genes_detected",
    "input_resistance",
    "cortical_layer",
    "fractional_layer_depth",
];

fn criterion() -> impl Strategy<Value = Criterion> {
    let alternatives =
        proptest::sample::subsequence(COLUMNS.to_vec(), 0..4).prop_flat_map(|cols| {
            cols.into_iter()
                .map(|c| scalar().prop_map(move |v| (c.to_string(), v)))
                .collect::<Vec<_>>()
        });
    let comparisons = proptest::sample::subsequence(vec![CompareOp::Eq, CompareOp::Ne], 1..3)
        .prop_flat_map(|ops| {
            ops.into_iter()
                .map(|op| {
                    scalar()
                        .prop_filter("not null", |v| !v.is_null())
                        .prop_map(move |v| (op, v))
                })
                .collect::<Vec<_>>()
        });
    prop_oneof![
        scalar().prop_map(Criterion::Equal),
        (
            proptest::collection::vec(scalar(), 0..4),
            prop_oneof![Just(SequenceStyle::Tuple), Just(SequenceStyle::List)]
        )
            .prop_map(|(values, style)| Criterion::AnyOf { values, style }),
        alternatives.prop_map(Criterion::Alternatives),
        comparisons.prop_map(Criterion::Compare),
    ]
}

fn class_set() -> impl Strategy<Value = ClassSet> {
    let class = (
        proptest::option::of(".{0,16}"),
        proptest::sample::subsequence(COLUMNS.to_vec(), 0..5).prop_flat_map(|cols| {
            cols.into_iter()
                .map(|c| criterion().prop_map(move |k| (c, k)))
                .collect::<Vec<_>>()
        }),
    );
    proptest::collection::vec(class, 1..5).prop_map(|classes| {
        let built = classes
            .into_iter()
            .enumerate()
            .map(|(i, (name, criteria))| {
                let mut builder = CellClass::builder();
                // Names must differ within a set; keep the random text but make it unique.
                builder.name(format!("{i}: {}", name.unwrap_or_default()));
                for (column, criterion) in criteria {
                    builder.criterion(column, criterion);
                }
                builder.build().expect("generated criteria are valid")
            });
        ClassSet::new(built).expect("names differ")
    })
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0xc1a55f11e),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn printed_sets_read_back_equal(set in class_set()) {
        let printed = set.to_toml();
        prop_assert_eq!(ClassSet::from_toml(&printed), Ok(set), "{}", printed);
    }
}
