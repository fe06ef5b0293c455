//! Simulator exports: exact output for a small network, escaping of hostile class names,
//! and the errors for what no format can carry. Loading the files in the simulators
//! themselves is `cargo xtask check-simulators`.

use std::path::PathBuf;

use synphys_connectivity::{
    ConnectionRule, DistanceMeasure, ErrorKind, Kernel, Projection, Simulator, export_bmtk_builder,
    export_network,
};

/// Two classes, every kernel and distance measure once, one projection without a synapse.
fn small_network() -> Vec<Projection> {
    let rule = |pre: &str, post: &str, kernel, pmax, scale_m, measure| {
        ConnectionRule::new(pre, post, kernel, pmax, scale_m, measure).unwrap()
    };
    vec![
        Projection::new(rule(
            "pyr",
            "pvalb",
            Kernel::Gaussian,
            0.14,
            102e-6,
            DistanceMeasure::Lateral,
        ))
        .psp_amplitude_v(0.5e-3)
        .latency_s(1.25e-3),
        Projection::new(rule(
            "pvalb",
            "pyr",
            Kernel::Exponential,
            1.3,
            80e-6,
            DistanceMeasure::Lateral,
        ))
        .psp_amplitude_v(-0.8e-3)
        .latency_s(0.9e-3),
        Projection::new(rule(
            "pyr",
            "pyr",
            Kernel::Gaussian,
            0.05,
            120e-6,
            DistanceMeasure::Distance3d,
        ))
        .psp_amplitude_v(0.3e-3),
        Projection::new(rule(
            "pvalb",
            "pvalb",
            Kernel::Exponential,
            0.3,
            60e-6,
            DistanceMeasure::Vertical,
        )),
    ]
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/export_snapshots")
        .join(name)
}

/// Compares with the committed snapshot; `SYNPHYS_UPDATE_SNAPSHOTS=1` rewrites it.
fn check_snapshot(name: &str, text: &str) {
    let path = snapshot_path(name);
    if std::env::var_os("SYNPHYS_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (SYNPHYS_UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )
    });
    // The version line is the only part that changes between releases.
    let version = format!("synphys-connectivity {}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        text.replace(&version, "synphys-connectivity VERSION"),
        expected.replace(&version, "synphys-connectivity VERSION"),
        "{name} differs from its snapshot"
    );
}

#[test]
fn every_format_matches_its_snapshot() {
    let network = small_network();
    for simulator in Simulator::all() {
        let text = export_network(&network, simulator).unwrap();
        check_snapshot(
            &format!("{simulator}.{}", simulator.file_extension()),
            &text,
        );
    }
    check_snapshot("bmtk.py", &export_bmtk_builder(&network).unwrap());
}

const HOSTILE: &str = "L2/3 ('sst', \"pvalb\")\\x\n→µ";
const HOSTILE_PY: &str = r#"'L2/3 (\'sst\', \"pvalb\")\\x\n\u2192\xb5'"#;

fn hostile_network() -> Vec<Projection> {
    let rule = ConnectionRule::new(
        HOSTILE,
        "pyr",
        Kernel::Gaussian,
        0.2,
        100e-6,
        DistanceMeasure::Lateral,
    )
    .unwrap();
    vec![Projection::new(rule).psp_amplitude_v(1e-3).latency_s(1e-3)]
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let network = hostile_network();
    for simulator in Simulator::all() {
        let text = export_network(&network, simulator).unwrap();
        // No raw newline, quote or non-ASCII character of the name reaches the file.
        assert!(text.is_ascii(), "{simulator}: {text}");
        assert!(!text.contains("pvalb\")"), "{simulator}: {text}");
        assert!(!text.contains("\\x\n"), "{simulator}: {text}");
        match simulator {
            Simulator::Sonata => {
                let row = text.lines().nth(1).unwrap();
                // The query is a Python literal inside a CSV field: its `"` are doubled.
                let query = HOSTILE_PY.replace('"', "\"\"");
                assert_eq!(
                    row,
                    format!(
                        "100 \"pop_name=={query}\" \"pop_name=='pyr'\" gaussian lateral 0.2 0.2 100.0 1.0 1.0"
                    )
                );
            }
            Simulator::NetPyNE => {
                assert!(
                    text.contains(&format!("'preConds': {{'pop': {HOSTILE_PY}}}")),
                    "{text}"
                );
                assert!(
                    text.contains(r#"'L2/3 (\'sst\', \"pvalb\")\\x\n\u2192\xb5->pyr'"#),
                    "{text}"
                );
            }
            Simulator::Brian2 => {
                assert!(
                    text.contains(&format!("groups[{HOSTILE_PY}], groups['pyr']")),
                    "{text}"
                );
            }
            Simulator::Nest => {
                assert!(
                    text.contains(&format!("populations[{HOSTILE_PY}],\n")),
                    "{text}"
                );
            }
            Simulator::PyNN => {
                assert!(
                    text.contains(&format!(
                        "pre, post = populations[{HOSTILE_PY}], populations['pyr']\n"
                    )),
                    "{text}"
                );
            }
        }
        assert!(text.contains(&format!("'pre': {HOSTILE_PY}")) || simulator == Simulator::Sonata);
    }
    let builder = export_bmtk_builder(&network).unwrap();
    assert!(
        builder.contains(&format!("source={{'pop_name': {HOSTILE_PY}}}")),
        "{builder}"
    );
}

#[test]
fn generated_class_names_survive() {
    // The names the cellclass crate generates for class sets.
    let name = "L2/3 ('sst', 'pvalb')";
    let rule = ConnectionRule::new(
        name,
        name,
        Kernel::Gaussian,
        0.1,
        1e-4,
        DistanceMeasure::Lateral,
    )
    .unwrap();
    let text = export_network(&[Projection::new(rule)], Simulator::Sonata).unwrap();
    assert!(
        text.contains(r#""pop_name=='L2/3 (\'sst\', \'pvalb\')'""#),
        "{text}"
    );
}

#[test]
fn unrepresentable_names_are_errors_naming_the_class() {
    let rule = ConnectionRule::new(
        "pv\0b",
        "pyr",
        Kernel::Gaussian,
        0.1,
        1e-4,
        DistanceMeasure::Lateral,
    )
    .unwrap();
    let network = [Projection::new(rule)];
    for simulator in Simulator::all() {
        let err = export_network(&network, simulator).unwrap_err();
        match err.kind() {
            ErrorKind::UnrepresentableName { class, format, .. } => {
                assert_eq!(class, "pv\0b");
                assert_eq!(*format, simulator.name());
            }
            other => panic!("{simulator}: {other:?}"),
        }
        assert!(err.to_string().contains("pv\\0b"), "{err}");
    }
    assert!(export_bmtk_builder(&network).is_err());
}

#[test]
fn invalid_synapses_are_refused() {
    let rule = ConnectionRule::new(
        "a",
        "b",
        Kernel::Gaussian,
        0.1,
        1e-4,
        DistanceMeasure::Lateral,
    )
    .unwrap();
    let nan_weight = Projection::new(rule.clone()).psp_amplitude_v(f64::NAN);
    let negative_delay = Projection::new(rule.clone()).latency_s(-1e-3);
    let mut bad_pmax = Projection::new(rule);
    bad_pmax.rule.pmax = 1.5;
    for (p, name) in [
        (nan_weight, "psp_amplitude_v"),
        (negative_delay, "latency_s"),
        (bad_pmax, "pmax"),
    ] {
        let err = export_network(&[p], Simulator::Nest).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidParameter { name: n, .. } if *n == name),
            "{err}"
        );
    }
}

#[test]
fn simulator_names_round_trip() {
    for simulator in Simulator::all() {
        assert_eq!(simulator.name().parse::<Simulator>().unwrap(), simulator);
        assert_eq!(simulator.to_string(), simulator.name());
        let json = serde_json::to_string(&simulator).unwrap();
        assert_eq!(json, format!("\"{}\"", simulator.name()));
    }
    assert_eq!("NEST".parse::<Simulator>().unwrap(), Simulator::Nest);
    let err = "neuron".parse::<Simulator>().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownSimulator { name } if name == "neuron"));
}

#[test]
fn empty_networks_are_loadable_files() {
    for simulator in Simulator::all() {
        let text = export_network(&[], simulator).unwrap();
        assert!(text.ends_with('\n'), "{simulator}");
    }
    assert_eq!(
        export_network(&[], Simulator::Sonata)
            .unwrap()
            .lines()
            .count(),
        1
    );
}
