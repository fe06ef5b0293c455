//! Every command on the demo databases: outputs, formats, `--db` resolution.

use synphys_query::{PairRef, SynphysDb};

use crate::support::{
    bytes, fixture, on, pair_with_events, scratch, small_db, synphys, synphys_env,
};

const COMMANDS: [&[&str]; 20] = [
    &[],
    &["db"],
    &["db", "info"],
    &["db", "list"],
    &["db", "download"],
    &["db", "demo"],
    &["pairs"],
    &["sql"],
    &["classes"],
    &["matrix"],
    &["connectivity"],
    &["profile"],
    &["hist"],
    &["box"],
    &["priors"],
    &["events"],
    &["dynamics"],
    &["release", "simulate"],
    &["release", "fit"],
    &["release", "merge"],
];

#[test]
fn every_command_has_help_with_examples() {
    for command in COMMANDS.iter().chain([&["release", "run"][..]].iter()) {
        let mut args = command.to_vec();
        args.push("--help");
        let run = synphys(&args);
        let help = run.ok();
        assert!(help.contains("Usage:"), "{command:?}: {help}");
        if !matches!(*command, [] | ["db"] | ["release"]) {
            assert!(
                help.contains("Example"),
                "{command:?} has no example: {help}"
            );
        }
    }
}

#[test]
fn db_info_reports_version_size_and_tables() {
    let info = on(fixture(), &["db", "info", "--format", "json"]).json();
    assert_eq!(info["schema_version"], "22");
    assert_eq!(info["size_class"], "medium");
    assert!(info["origin"].as_str().unwrap().contains("synthetic"));
    let db = SynphysDb::open(fixture()).unwrap();
    let tables = db.tables().unwrap();
    let printed = info["tables"].as_array().unwrap();
    assert_eq!(printed.len(), tables.len());
    for (p, t) in printed.iter().zip(&tables) {
        assert_eq!(p["table"], t.name.as_str());
        assert_eq!(p["rows"].as_u64(), Some(t.rows));
    }
    // The terminal form names the facts too.
    let text = on(fixture(), &["db", "info", "--format", "table"]);
    assert!(text.ok().contains("schema version: 22"), "{}", text.stdout);
}

#[test]
fn db_list_marks_cached_files() {
    let cache = scratch().join("list-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let catalog = synphys_query::Catalog::published().unwrap();
    let small = catalog.resolve("small").unwrap();
    std::fs::write(cache.join(&small.file), b"not really").unwrap();
    let rows = synphys_env(
        &["db", "list", "--format", "json"],
        &[("SYNPHYS_CACHE", &cache)],
    )
    .json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), catalog.files().len());
    for row in rows {
        let cached = if row["file"] == small.file.as_str() {
            "yes"
        } else {
            "no"
        };
        assert_eq!(row["cached"], cached, "{row}");
    }
    assert!(
        rows.iter()
            .any(|r| r["newest"] == true && r["size"] == "small")
    );
}

#[test]
fn db_demo_writes_the_counts_it_reports() {
    let (path, report) = crate::support::small_demo();
    assert_eq!(report["path"], path.to_str().unwrap());
    assert_eq!(report["seed"], synphys_demo::DEFAULT_SEED);
    let db = SynphysDb::open(path).unwrap();
    let tables = db.tables().unwrap();
    let count = |table: &str| tables.iter().find(|t| t.name == table).unwrap().rows;
    for (key, table) in [
        ("pairs", "pair"),
        ("cells", "cell"),
        ("synapses", "synapse"),
        ("experiments", "experiment"),
    ] {
        assert_eq!(report["summary"][key].as_u64(), Some(count(table)), "{key}");
    }
    assert!(count("pair") > 1000, "a small demo has many pairs");
    // An existing file is not replaced without --overwrite, and stays as it was.
    let before = bytes(path);
    synphys(&["db", "demo", "--out", path.to_str().unwrap()])
        .fails_with(&["exists", "--overwrite"]);
    assert_eq!(bytes(path), before);
}

#[test]
fn default_database_is_env_then_cache_then_demo() {
    let cache = scratch().join("default-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let env = [("SYNPHYS_CACHE", cache.as_path())];
    // Nothing downloaded: the demo database is written once into the cache, and every
    // use says it is synthetic.
    let first = synphys_env(&["db", "info", "--format", "json"], &env);
    let demo = cache.join(format!(
        "demo-small-seed{}.sqlite",
        synphys_demo::DEFAULT_SEED
    ));
    assert_eq!(first.json()["path"], demo.to_str().unwrap());
    assert!(
        first.stderr.contains("writing the synthetic demo database"),
        "{}",
        first.stderr
    );
    assert!(first.stderr.contains("SYNTHETIC"), "{}", first.stderr);
    let written = bytes(&demo);
    let second = synphys_env(&["db", "info", "--format", "json"], &env);
    assert_eq!(second.json()["path"], demo.to_str().unwrap());
    assert!(!second.stderr.contains("writing"), "{}", second.stderr);
    assert!(second.stderr.contains("SYNTHETIC"), "{}", second.stderr);
    assert_eq!(bytes(&demo), written);
    // --quiet silences the notice.
    let quiet = synphys_env(&["db", "info", "--quiet"], &env);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    // A downloaded public file wins over the demo (here the fixture under that name).
    let catalog = synphys_query::Catalog::published().unwrap();
    let small = cache.join(&catalog.resolve("small").unwrap().file);
    std::fs::copy(fixture(), &small).unwrap();
    let run = synphys_env(&["db", "info", "--format", "json"], &env);
    assert_eq!(run.json()["path"], small.to_str().unwrap());
    assert!(!run.stderr.contains("SYNTHETIC"), "{}", run.stderr);
    let named = synphys_env(&["--db", "small", "db", "info", "--format", "json"], &env);
    assert_eq!(named.json()["path"], small.to_str().unwrap());
    // SYNPHYS_DB wins over the cache, and --db over SYNPHYS_DB.
    let run = synphys_env(
        &["db", "info", "--format", "json"],
        &[env[0], ("SYNPHYS_DB", fixture())],
    );
    assert_eq!(run.json()["path"], fixture().to_str().unwrap());
    let run = synphys_env(
        &["--db", "demo", "db", "info", "--format", "json"],
        &[env[0], ("SYNPHYS_DB", fixture())],
    );
    assert_eq!(run.json()["path"], demo.to_str().unwrap());
    // A size word means a downloaded file.
    synphys_env(&["--db", "medium", "db", "info"], &env)
        .fails_with(&["not downloaded", "synphys db download medium"]);
    synphys(&["--db", "no/such/file.sqlite", "db", "info"])
        .fails_with(&["no/such/file.sqlite", "no such file"]);
}

#[test]
fn pairs_write_every_format() {
    let db = small_db();
    let args = [
        "pairs",
        "--species",
        "human",
        "--synapse",
        "--preload",
        "synapse",
        "--columns",
        "pair.id,pair.has_synapse,synapse.latency",
    ];
    let (header, rows) = on(db, &[&args[..], &["--format", "csv"]].concat()).csv();
    assert_eq!(header, ["pair.id", "pair.has_synapse", "synapse.latency"]);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[1] == "true"));
    let json = on(db, &[&args[..], &["--format", "json"]].concat()).json();
    assert_eq!(json.as_array().unwrap().len(), rows.len());
    let jsonl = on(db, &[&args[..], &["--format", "jsonl"]].concat());
    assert_eq!(jsonl.ok().lines().count(), rows.len());
    for (line, row) in jsonl.stdout.lines().zip(&rows) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["pair.id"].to_string(), row[0]);
    }
    let table = on(db, &[&args[..], &["--format", "table"]].concat());
    assert!(table.ok().contains("synapse.latency"));
    // -o FILE takes its format from the extension and prints nothing.
    let out = scratch().join("pairs.json");
    let run = on(db, &[&args[..], &["-o", out.to_str().unwrap()]].concat());
    assert!(run.ok().is_empty());
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written, json);
    // Piped output without --format is CSV.
    assert!(
        on(db, &args)
            .ok()
            .starts_with("pair.id,pair.has_synapse,synapse.latency\n")
    );
    // Parquet: a file that starts and ends with the format's magic bytes, and is the same
    // file through --format and through the extension.
    let by_flag = scratch().join("pairs-flag.bin");
    let by_extension = scratch().join("pairs.parquet");
    on(
        db,
        &[
            &args[..],
            &["--format", "parquet", "-o", by_flag.to_str().unwrap()],
        ]
        .concat(),
    )
    .ok();
    on(
        db,
        &[&args[..], &["-o", by_extension.to_str().unwrap()]].concat(),
    )
    .ok();
    let parquet = std::fs::read(&by_flag).unwrap();
    assert!(parquet.len() > 8 && parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    assert_eq!(parquet, std::fs::read(&by_extension).unwrap());
}

#[test]
fn pairs_filters_match_the_library() {
    let db_path = small_db();
    let db = SynphysDb::open(db_path).unwrap();
    let classes = synphys_cellclass::ClassSet::preset("broad").unwrap();
    let sst = classes.iter().nth(2).unwrap();
    let cases: Vec<(Vec<&str>, u64)> = vec![
        (
            vec!["--distance", ":100um"],
            db.pair_query()
                .distance_m(None, Some(100e-6))
                .count()
                .unwrap(),
        ),
        (
            vec!["--age", "40:"],
            db.pair_query().age(Some(40.0), None).count().unwrap(),
        ),
        (
            vec!["--electrical=false", "--synapse"],
            db.pair_query()
                .electrical(false)
                .synapse(true)
                .count()
                .unwrap(),
        ),
        (
            vec!["--synapse-type", "in"],
            db.pair_query().synapse_type("in").count().unwrap(),
        ),
        (
            vec!["--classes", "broad", "--pre-class", "Sst"],
            db.pair_query().pre_class(sst).count().unwrap(),
        ),
        (
            vec![
                "--post-class",
                "cortical_layer=5|6a,cell_class_nonsynaptic=ex",
            ],
            {
                let class = synphys_cellclass::CellClass::builder()
                    .criterion(
                        "cortical_layer",
                        synphys_cellclass::Criterion::any_of(["5", "6a"]),
                    )
                    .criterion("cell_class_nonsynaptic", "ex")
                    .build()
                    .unwrap();
                db.pair_query().post_class(&class).count().unwrap()
            },
        ),
        (
            vec!["--where", "pair.distance < 50um"],
            db.pair_query()
                .filter("pair.distance < 5e-5")
                .count()
                .unwrap(),
        ),
        (
            vec!["--project-name", "mouse V1 coarse matrix"],
            db.pair_query()
                .project_names(["mouse V1 coarse matrix"])
                .count()
                .unwrap(),
        ),
    ];
    for (filters, expected) in cases {
        assert!(expected > 0, "{filters:?} selects nothing: a weak case");
        let args = [
            &["pairs", "--columns", "pair.id", "--format", "csv"][..],
            &filters,
        ]
        .concat();
        let (_, rows) = on(db_path, &args).csv();
        assert_eq!(rows.len() as u64, expected, "{filters:?}");
    }
}

#[test]
fn sql_runs_read_only_queries() {
    let db = small_db();
    let rows = on(
        db,
        &[
            "sql",
            "SELECT species, count(*) AS n FROM slice GROUP BY species ORDER BY species",
            "--format",
            "json",
        ],
    )
    .json();
    let species = SynphysDb::open(db).unwrap().species().unwrap();
    let printed: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["species"].as_str().unwrap())
        .collect();
    assert_eq!(printed, species);
}

#[test]
fn classes_print_presets_and_files() {
    let list = synphys(&["classes", "--list-presets", "--format", "json"]).json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["preset"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = synphys_cellclass::Preset::ALL
        .iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, expected);
    let toml = synphys(&["classes", "--classes", "mouse-layers"]);
    let set = synphys_cellclass::ClassSet::from_toml(toml.ok()).unwrap();
    assert_eq!(
        set,
        synphys_cellclass::ClassSet::preset("mouse-layers").unwrap()
    );
    // A printed set is a class file that reads back.
    let file = scratch().join("classes.toml");
    std::fs::write(&file, toml.ok()).unwrap();
    assert_eq!(
        synphys(&["classes", "--classes", file.to_str().unwrap()]).ok(),
        toml.ok()
    );
}

#[test]
fn events_and_dynamics_match_the_library() {
    let db_path = fixture();
    let before = bytes(db_path);
    let (pair, pair_id) = pair_with_events(db_path);
    let db = SynphysDb::open(db_path).unwrap();
    let expected = db
        .synapse_events(&pair.parse::<PairRef>().unwrap())
        .unwrap();
    assert_eq!(expected.pair_id, pair_id);

    let json = on(db_path, &["events", "--pair", &pair, "--format", "json"]).json();
    assert_eq!(
        json["measurement_stdev"].as_f64(),
        Some(expected.measurement_stdev_v)
    );
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), expected.events.len());
    for (i, event) in events.iter().enumerate() {
        assert_eq!(
            event["spike_time"].as_f64(),
            Some(expected.spike_times_s[i])
        );
        let amplitude = expected.amplitudes_v[i];
        assert_eq!(
            event["amplitude"].as_f64(),
            (!amplitude.is_nan()).then_some(amplitude)
        );
        assert_eq!(
            event["pulse_number"].as_u64(),
            expected.events[i].pulse_number.map(u64::from)
        );
    }
    let (header, rows) = on(db_path, &["events", "--pair", &pair, "--format", "csv"]).csv();
    assert_eq!(
        header,
        [
            "spike_time",
            "amplitude",
            "baseline_amplitude",
            "sync_rec_ext_id",
            "pulse_number",
            "induction_frequency",
            "recovery_delay",
            "stim_name"
        ]
    );
    assert_eq!(rows.len(), events.len());
    // By id too.
    let by_id = on(
        db_path,
        &[
            "events",
            "--pair",
            &format!("id:{pair_id}"),
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(by_id, json);

    let dynamics = on(db_path, &["dynamics", "--pair", &pair, "--format", "json"]).json();
    let metrics = db.pair_dynamics(&pair.parse::<PairRef>().unwrap()).unwrap();
    assert_eq!(dynamics, serde_json::to_value(&metrics).unwrap());
    assert!(dynamics.get("stp_induction_50hz").is_some());
    assert_eq!(bytes(db_path), before, "the database was modified");
}

#[test]
fn connectivity_adjusts_on_the_distance_measure_asked_for() {
    use synphys_cellclass::ClassSet;
    use synphys_connectivity::{DistanceMeasure, SummaryOptions};
    use synphys_query::{ConnectivityMatrix, ConnectivityOptions, SynphysDb};

    let db_path = small_db();
    let db = SynphysDb::open(db_path).unwrap();
    let frame = db
        .pair_query()
        .species("mouse")
        .synapse_probed(true)
        .preload(synphys_query::Preload::Cell)
        .frame()
        .unwrap();
    let classes = ClassSet::preset("ei").unwrap();
    let mut adjusted = Vec::new();
    for (flag, measure) in [
        ("lateral", DistanceMeasure::Lateral),
        ("vertical", DistanceMeasure::Vertical),
        ("3d", DistanceMeasure::Distance3d),
    ] {
        let (header, rows) = on(
            db_path,
            &[
                "connectivity",
                "--classes",
                "ei",
                "--species",
                "mouse",
                "--synapse-probed",
                "--distance-measure",
                flag,
                "--format",
                "csv",
            ],
        )
        .csv();
        let column = header
            .iter()
            .position(|h| h == "adjusted_probability")
            .unwrap();
        let summary = SummaryOptions::new()
            .alpha(0.05)
            .sigma(100e-6)
            .distance(measure);
        let options = ConnectivityOptions::new().summary(summary);
        let matrix = ConnectivityMatrix::new(&frame, &classes, &classes, &options).unwrap();
        let first = matrix.get(0, 0).unwrap();
        assert_eq!(first.distance_measure, measure);
        let printed: f64 = rows[0][column].parse().unwrap();
        let library = first.adjusted.as_ref().unwrap().pmax;
        assert!(
            (printed - library).abs() <= 1e-9 * library.abs().max(1.0),
            "{flag}: {printed} vs {library}"
        );
        adjusted.push(printed);
    }
    // Pairs lie closer vertically than laterally in a slice, so the measures differ.
    assert!(
        adjusted[0] != adjusted[1] && adjusted[1] != adjusted[2],
        "{adjusted:?}"
    );
}

#[test]
fn analysis_commands_run_on_the_fixture() {
    let db = fixture();
    let before = bytes(db);
    for args in [
        &[
            "matrix",
            "--classes",
            "broad",
            "--metric",
            "synapse.latency",
            "--synapse",
        ][..],
        &["connectivity", "--classes", "ei"],
        &["profile", "--mask", "ee", "--bins", "0:300um:50um"],
        &["hist", "--metric", "pair.distance", "--bins", "4"],
        &[
            "box",
            "--metric",
            "pair.distance",
            "--by",
            "pre_cell.cell_class",
        ],
        &["priors", "--classes", "ei", "--to", "json"],
        &[
            "pairs",
            "--preload",
            "experiment,cell,synapse,synapse_prediction",
        ],
    ] {
        let run = on(db, &[args, &["--format", "json"]].concat());
        assert!(!run.json().is_null(), "{args:?}");
    }
    assert_eq!(bytes(db), before, "the database was modified");
}

#[test]
fn priors_write_the_complete_priors_as_the_library_does() {
    let db = small_db();
    let json = on(
        db,
        &[
            "priors",
            "--classes",
            "ei",
            "--species",
            "mouse",
            "--to",
            "json",
        ],
    )
    .ok()
    .to_string();
    let priors = synphys_priors::from_json(&json).unwrap();
    let opened = SynphysDb::open(db).unwrap();
    let classes = synphys_cellclass::ClassSet::preset("ei").unwrap();
    let library = synphys_priors::PriorsBuilder::new(&opened, &classes)
        .pairs(opened.pair_query().species("mouse"))
        .build()
        .unwrap();
    assert_eq!(json.trim_end(), synphys_priors::to_json(&library).unwrap());
    assert_eq!(priors.pairs.len(), classes.len() * classes.len());
    assert!(
        priors
            .pairs
            .iter()
            .any(|p| p.synapse.psp_amplitude_v.count > 0)
    );
    assert!(priors.pairs.iter().any(|p| p.gap_junction.n_probed > 0));

    let (header, rows) = on(db, &["priors", "--classes", "ei", "--to", "csv"]).csv();
    assert_eq!(header, synphys_priors::csv_header().unwrap());
    assert_eq!(rows.len(), classes.len() * classes.len());

    // -o writes the same text to a file.
    let out = scratch().join("priors-ei.json");
    let run = on(
        db,
        &[
            "priors",
            "--classes",
            "ei",
            "--species",
            "mouse",
            "--to",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    run.ok();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), json);
}

#[test]
fn priors_export_a_network_file_for_every_simulator() {
    let db = small_db();
    let opened = SynphysDb::open(db).unwrap();
    let classes = synphys_cellclass::ClassSet::preset("ei").unwrap();
    let priors = synphys_priors::PriorsBuilder::new(&opened, &classes)
        .build()
        .unwrap();
    let projections = synphys_priors::projections(&priors).unwrap();
    for (format, simulator, needle) in [
        (
            "nest",
            synphys_connectivity::Simulator::Nest,
            "nest.Connect",
        ),
        (
            "pynn",
            synphys_connectivity::Simulator::PyNN,
            "DistanceDependentProbabilityConnector",
        ),
        (
            "netpyne",
            synphys_connectivity::Simulator::NetPyNE,
            "connParams",
        ),
        (
            "brian2",
            synphys_connectivity::Simulator::Brian2,
            ".connect(",
        ),
        (
            "sonata",
            synphys_connectivity::Simulator::Sonata,
            "edge_type_id",
        ),
    ] {
        let text = on(db, &["priors", "--classes", "ei", "--to", format])
            .ok()
            .to_string();
        assert!(text.contains(needle), "{format}: {text}");
        let expected = synphys_connectivity::export_network(&projections, simulator).unwrap();
        assert_eq!(text.trim_end(), expected.trim_end(), "{format}");
    }
}

#[test]
fn release_simulate_takes_a_pairs_stored_parameters() {
    let db = fixture();
    let (pair, _) = pair_with_events(db);
    let run = on(
        db,
        &[
            "release", "simulate", "--pair", &pair, "--trials", "20", "--format", "json",
        ],
    );
    let json = run.json();
    let params = &json["params"];
    let mut builder = synphys_release_model::ReleaseParams::builder();
    for p in synphys_release_model::Param::ALL {
        builder.set(p, params[p.name()].as_f64().unwrap());
    }
    let model = synphys_release_model::ReleaseModel::new(builder.build().unwrap());
    let frame = SynphysDb::open(db)
        .unwrap()
        .sql(&format!(
            "SELECT ml_base_release_probability AS pr FROM synapse_model WHERE pair_id = {}",
            pair_with_events(db).1
        ))
        .unwrap();
    assert_eq!(
        frame.f64s("pr").unwrap()[0],
        params["base_release_probability"].as_f64()
    );
    let spikes = [
        0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52,
    ];
    let expected = model.expected(&spikes).unwrap().expected_amplitudes();
    for (event, e) in json["events"].as_array().unwrap().iter().zip(&expected) {
        assert_eq!(event["expected_amplitude"].as_f64(), Some(*e));
    }
    // The events of a pair feed the fit (tiny grid: the point is the wiring).
    let grid = scratch().join("tiny-grid.json");
    std::fs::write(&grid, r#"{"n_release_sites": [1, 2], "base_release_probability": [0.2, 0.6], "mini_amplitude_cv": 0.3,
        "depression_amount": 0.0, "depression_tau": 0.1, "facilitation_amount": 0.0, "facilitation_tau": 0.1}"#).unwrap();
    let fit = on(
        db,
        &[
            "release",
            "fit",
            "--pair",
            &pair,
            "--grid",
            grid.to_str().unwrap(),
            "--format",
            "json",
        ],
    )
    .json();
    let stdev = SynphysDb::open(db)
        .unwrap()
        .synapse_events(&pair.parse().unwrap())
        .unwrap()
        .measurement_stdev_v;
    assert_eq!(fit["best"]["measurement_stdev"].as_f64(), Some(stdev));
}

/// Serves `body` as the file named in the first request, then stops (one connection).
fn serve_once(body: Vec<u8>) -> (String, std::thread::JoinHandle<String>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let prefix = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            if header.trim().is_empty() {
                break;
            }
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(&body).unwrap();
        request_line
    });
    (prefix, handle)
}

#[test]
fn db_download_fetches_into_the_cache_from_a_mirror() {
    let cache = scratch().join("download-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (prefix, server) = serve_once(body.clone());
    let mirror = std::path::PathBuf::from(&prefix);
    let run = synphys_env(
        &["db", "download", "small", "--format", "json"],
        &[("SYNPHYS_CACHE", &cache), ("SYNPHYS_MIRROR", &mirror)],
    );
    let report = run.json();
    let request = server.join().unwrap();
    let catalog = synphys_query::Catalog::published().unwrap();
    let small = catalog.resolve("small").unwrap();
    assert!(
        request.starts_with(&format!("GET /{} ", small.file)),
        "{request}"
    );
    assert_eq!(report[0]["bytes"].as_u64(), Some(body.len() as u64));
    assert_eq!(std::fs::read(cache.join(&small.file)).unwrap(), body);
    // Now listed as cached, and a second download fetches nothing.
    let list = synphys_env(
        &["db", "list", "--format", "json"],
        &[("SYNPHYS_CACHE", &cache)],
    )
    .json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["file"] == small.file.as_str() && r["cached"] == "yes")
    );
    let again = synphys_env(
        &["db", "download", "small", "--format", "json"],
        &[("SYNPHYS_CACHE", &cache)],
    )
    .json();
    assert_eq!(again[0]["already_cached"], true);
    // An unknown name lists what there is.
    synphys_env(&["db", "download", "smal"], &[("SYNPHYS_CACHE", &cache)]).fails_with(&["smal"]);
}
