//! Classifying rows of pair results by their `pre_…` and `post_…` cell columns.

use std::collections::{BTreeMap, HashMap};

use synphys_cellclass::{
    CellAttributes, CellClass, CellRecord, CellTable, CellTableAliases, ClassSet, Criterion,
    ErrorKind,
};
use synphys_schema::{Schema, Value};

type Row = HashMap<String, Value>;

/// Every column of a cell's five tables under `aliases`, as the pair query returns them
/// (null where the cell has no value or no linked row).
fn put_cell(row: &mut Row, cell: &CellRecord, aliases: &CellTableAliases) {
    for table in CellTable::ALL {
        let columns = Schema::v22()
            .table(table.name())
            .expect("cell table")
            .columns;
        for column in columns {
            let value = cell
                .attribute(table, column.name)
                .map_or(Value::Null, |v| v.into_owned());
            row.insert(aliases.column_name(table, column.name), value);
        }
    }
}

fn pair_row(pre: &CellRecord, post: &CellRecord) -> Row {
    let mut row = Row::new();
    put_cell(&mut row, pre, &CellTableAliases::pre());
    put_cell(&mut row, post, &CellTableAliases::post());
    row.insert("pair.distance".to_string(), Value::Float(5e-5));
    row
}

fn cell(cre: Option<&str>, layer: Option<&str>, dendrite: Option<&str>) -> CellRecord {
    let mut cell = CellRecord::new().with(CellTable::Cell, "cre_type", cre);
    if let Some(layer) = layer {
        cell = cell.with(CellTable::CorticalCellLocation, "cortical_layer", layer);
    }
    if let Some(dendrite) = dendrite {
        cell = cell.with(CellTable::Morphology, "dendrite_type", dendrite);
    }
    cell
}

/// Cells of many kinds: every preset class, overlaps, nulls and missing rows.
fn cells() -> Vec<CellRecord> {
    let cres = [
        Some("sst"),
        Some("pvalb"),
        Some("vip"),
        Some("rorb"),
        Some("ntsr1"),
        None,
    ];
    let layers = [Some("2/3"), Some("4"), Some("6a"), None];
    let dendrites = [Some("spiny"), Some("aspiny"), None];
    let mut cells = Vec::new();
    for cre in cres {
        for layer in layers {
            for dendrite in dendrites {
                cells.push(cell(cre, layer, dendrite));
            }
        }
    }
    cells
}

#[test]
fn rows_get_the_classes_their_cells_get_in_memory() {
    let cells = cells();
    let rows: Vec<Row> = cells
        .iter()
        .zip(cells.iter().rev())
        .map(|(pre, post)| pair_row(pre, post))
        .collect();
    for preset in ["tutorial-l23", "broad", "mouse-layers"] {
        let classes = ClassSet::preset(preset).expect("preset");
        let got = classes
            .classify_pairs(&rows)
            .expect("rows have every column");
        let want: Vec<(Option<usize>, Option<usize>)> = cells
            .iter()
            .zip(cells.iter().rev())
            .map(|(pre, post)| (classes.classify(pre), classes.classify(post)))
            .collect();
        assert_eq!(got, want, "{preset}");
        assert!(
            got.iter().any(|(pre, _)| pre.is_some()),
            "{preset} classifies some cells"
        );
        assert!(
            got.iter().any(|(pre, _)| pre.is_none()),
            "{preset} leaves some cells out"
        );
    }
}

#[test]
fn the_first_matching_class_wins() {
    let classes = ClassSet::new([
        CellClass::builder()
            .name("sst")
            .criterion("cre_type", "sst")
            .build()
            .expect("class"),
        CellClass::builder()
            .name("L2/3 sst")
            .criterion("cre_type", "sst")
            .criterion("cortical_layer", "2/3")
            .build()
            .expect("class"),
        CellClass::builder()
            .name("L2/3")
            .criterion("cortical_layer", "2/3")
            .build()
            .expect("class"),
    ])
    .expect("a class set");
    let l23_sst = cell(Some("sst"), Some("2/3"), None);
    let l23_vip = cell(Some("vip"), Some("2/3"), None);
    let unplaced = cell(None, None, None);
    let rows = [
        pair_row(&l23_sst, &l23_vip),
        pair_row(&l23_vip, &unplaced),
        pair_row(&unplaced, &l23_sst),
    ];
    let got = classes.classify_pairs(&rows).expect("complete rows");
    assert_eq!(got, [(Some(0), Some(2)), (Some(2), None), (None, Some(0))]);

    // Rows as ordered maps work the same.
    let ordered: Vec<BTreeMap<String, Value>> = rows
        .iter()
        .map(|r| r.clone().into_iter().collect())
        .collect();
    assert_eq!(
        classes
            .classify_pairs(ordered.iter())
            .expect("complete rows"),
        got
    );
}

#[test]
fn a_missing_column_names_the_column_and_the_row() {
    let classes = ClassSet::preset("mouse-layers").expect("preset");
    let complete = pair_row(&cell(Some("sst"), Some("4"), None), &cell(None, None, None));
    let mut partial = complete.clone();
    partial.remove("post_morphology.dendrite_type");
    let err = classes
        .classify_pairs([&complete, &partial])
        .expect_err("the second row lacks a column");
    assert_eq!(
        err.kind(),
        &ErrorKind::MissingFrameColumn {
            column: "post_morphology.dendrite_type".to_string(),
            row: 1
        }
    );
}

#[test]
fn other_aliases_classify_one_side() {
    let classes = ClassSet::new([CellClass::builder()
        .criterion("t_type", Criterion::any_of(["Sst Chodl", "L5 IT"]))
        .compare("id", synphys_cellclass::CompareOp::Gt, 10)
        .build()
        .expect("class")])
    .expect("a class set");
    let aliases = CellTableAliases::with_prefix("a_").set(CellTable::PatchSeq, "seq");
    assert_eq!(
        aliases.column_name(CellTable::PatchSeq, "t_type"),
        "seq.t_type"
    );
    let member = CellRecord::new()
        .with(CellTable::PatchSeq, "t_type", "L5 IT")
        .with(CellTable::CorticalCellLocation, "id", 11);
    let mut row = Row::new();
    put_cell(&mut row, &member, &aliases);
    assert_eq!(classes.classify_row(&row, &aliases), Ok(Some(0)));
    // `id` reads the location row's id, as in the reference.
    row.insert("a_cortical_cell_location.id".to_string(), Value::Int(10));
    assert_eq!(classes.classify_row(&row, &aliases), Ok(None));
}
