//! `synphys classes`: class sets as TOML, and the presets.

use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use synphys_cellclass::{ClassSet, Preset};

use super::Context;
use crate::cli::{ClassesArgs, ClassesOption};
use crate::output::{Report, Table};

pub(crate) fn run(ctx: &Context, args: &ClassesArgs) -> Result<()> {
    match (&args.classes.classes, args.list_presets) {
        (Some(spec), false) => ctx.sink.write_text(&load(spec)?.to_toml()),
        _ => ctx.print(&presets_report()),
    }
}

fn presets_report() -> Report {
    let mut table = Table::new(&[("preset", None), ("classes", None), ("description", None)]);
    for preset in Preset::ALL {
        let count = preset.class_set().map(|s| s.len()).unwrap_or(0);
        table.push(vec![
            preset.name.into(),
            count.into(),
            preset.description.into(),
        ]);
    }
    Report::table(table)
}

/// A class set from a TOML file (when `spec` names an existing file) or a preset.
pub(crate) fn load(spec: &str) -> Result<ClassSet> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read class file {spec}"))?;
        return ClassSet::from_toml(&text).with_context(|| format!("in class file {spec}"));
    }
    if let Some(preset) = Preset::find(spec) {
        return Ok(preset.class_set()?);
    }
    let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name).collect();
    let close = synphys_schema::close_matches(spec, names.iter().copied());
    let hint = match close.first() {
        Some(name) => format!(" (did you mean {name}?)"),
        None => String::new(),
    };
    Err(anyhow!(
        "no class file or preset named '{spec}'{hint}; give a TOML class file or one of the presets: {}",
        names.join(", ")
    ))
}

/// The class set of `--classes`, if given.
pub(crate) fn optional(option: &ClassesOption) -> Result<Option<ClassSet>> {
    option.classes.as_deref().map(load).transpose()
}

/// The class set of `--classes`, which this command needs.
pub(crate) fn required(option: &ClassesOption, command: &str) -> Result<ClassSet> {
    match &option.classes {
        Some(spec) => load(spec),
        None => Err(anyhow!(
            "`synphys {command}` needs --classes FILE|PRESET; list the presets with `synphys classes --list-presets`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_load_by_name_and_typos_get_a_suggestion() {
        assert_eq!(load("broad").unwrap().len(), 4);
        let err = load("brod").unwrap_err().to_string();
        assert!(err.contains("did you mean broad"), "{err}");
        assert!(err.contains("mouse-layers"), "{err}");
    }

    #[test]
    fn class_files_report_their_name_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[[class]]\nname = \"x\"\ncre_typ = \"sst\"\n").unwrap();
        let err = format!("{:#}", load(path.to_str().unwrap()).unwrap_err());
        assert!(err.contains("bad.toml"), "{err}");
    }
}
