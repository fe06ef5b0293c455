//! Bad input of every kind: one clear error line, a non-zero status, no panic, and the
//! database's bytes unchanged.

use crate::support::{bytes, copy_of, fixture, on, pair_with_events, scratch, small_db, synphys};

#[test]
fn bad_units_are_usage_errors() {
    let db = small_db();
    let before = bytes(db);
    let run = on(
        db,
        &["connectivity", "--classes", "broad", "--sigma", "2ms"],
    );
    run.fails_with(&["'2ms'", "expected a length like 120um"]);
    assert_eq!(run.code, 2);
    on(db, &["pairs", "--distance", "100um"]).fails_with(&["MIN:MAX", ":100um"]);
    synphys(&[
        "release",
        "fit",
        "--events",
        "x.csv",
        "--measurement-stdev",
        "0.1mm",
    ])
    .fails_with(&["0.5mV"]);
    synphys(&[
        "release",
        "simulate",
        "--params",
        "p.json",
        "--protocol",
        "50hz",
    ])
    .fails_with(&["50hz:250ms"]);
    on(db, &["profile", "--bins", "0:500um"]).fails_with(&["START:STOP:STEP"]);
    assert_eq!(bytes(db), before);
}

#[test]
fn unknown_columns_and_classes_get_suggestions() {
    let db = small_db();
    let before = bytes(db);
    on(
        db,
        &["matrix", "--classes", "broad", "--metric", "synapse.latncy"],
    )
    .fails_with(&["latncy", "latency"]);
    on(db, &["pairs", "--where", "pair.distanse < 100um"]).fails_with(&["distanse", "distance"]);
    on(db, &["pairs", "--where", "synapze.latency < 2ms"]).fails_with(&["synapze", "synapse"]);
    on(db, &["pairs", "--columns", "pair.idd"]).fails_with(&["pair.idd", "pair.id"]);
    on(db, &["pairs", "--classes", "broad", "--pre-class", "Sstt"])
        .fails_with(&["Sstt", "did you mean Sst"]);
    on(db, &["pairs", "--pre-class", "cre_typ=sst"]).fails_with(&["cre_typ", "cre_type"]);
    on(db, &["pairs", "--post-class", "Sst"]).fails_with(&["--classes"]);
    on(db, &["connectivity", "--classes", "brod"]).fails_with(&["brod", "did you mean broad"]);
    on(db, &["pairs", "--project-name", "mouse V1 coarse matrx"])
        .fails_with(&["mouse V1 coarse matrx"]);
    on(db, &["sql", "DELETE FROM pair"]).fails_with(&["read-only"]);
    assert_eq!(bytes(db), before);
}

#[test]
fn a_small_file_lacks_the_event_tables() {
    let (pair, _) = pair_with_events(fixture());
    let small = copy_of(fixture(), "small-layout.sqlite");
    {
        let conn = rusqlite::Connection::open(&small).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
        for table in [
            "pulse_response_fit",
            "pulse_response_strength",
            "baseline",
            "pulse_response",
            "stim_spike",
            "stim_pulse",
            "test_pulse",
            "multi_patch_probe",
            "patch_clamp_recording",
            "recording",
            "sync_rec",
            "synapse_prediction",
            "pipeline",
        ] {
            conn.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))
                .unwrap();
        }
    }
    let before = bytes(&small);
    let run = on(&small, &["events", "--pair", &pair]);
    run.fails_with(&["has no table", "synphys db download medium"]);
    on(&small, &["dynamics", "--pair", &pair]).fails_with(&["has no table"]);
    on(
        &small,
        &["release", "fit", "--pair", &pair, "--grid", "coarse"],
    )
    .fails_with(&["has no table"]);
    assert_eq!(bytes(&small), before);
}

#[test]
fn files_that_are_not_databases_or_of_another_version_are_refused() {
    let text = scratch().join("notes.sqlite");
    std::fs::write(
        &text,
        "these are not the tables you are looking for\n".repeat(100),
    )
    .unwrap();
    on(&text, &["db", "info"]).fails_with(&["notes.sqlite", "not a readable SQLite database"]);
    assert_eq!(
        bytes(&text),
        "these are not the tables you are looking for\n"
            .repeat(100)
            .into_bytes()
    );

    let old = copy_of(fixture(), "version-21.sqlite");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        let meta: String = conn
            .query_row("SELECT meta FROM metadata", [], |r| r.get(0))
            .unwrap();
        let meta = meta.replace("\"db_version\":\"22\"", "\"db_version\":\"21\"");
        assert!(meta.contains("\"21\""), "{meta}");
        conn.execute("UPDATE metadata SET meta = ?1", [meta])
            .unwrap();
    }
    let before = bytes(&old);
    on(&old, &["db", "info"]).fails_with(&["version-21.sqlite", "21", "22"]);
    let run = on(
        &old,
        &["db", "info", "--allow-other-version", "--format", "json"],
    );
    assert_eq!(run.json()["schema_version"], "21");
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(bytes(&old), before);
}

#[test]
fn unknown_pairs_are_named() {
    let db = fixture();
    on(db, &["events", "--pair", "1.0:99:98"]).fails_with(&["1.0:99:98"]);
    on(db, &["events", "--pair", "nonsense"]).fails_with(&["nonsense", "3 parts"]);
    on(db, &["release", "simulate", "--pair", "1.0:99:98"]).fails_with(&["1.0:99:98"]);
}

#[test]
fn malformed_params_and_events_files_are_named() {
    let dir = scratch();
    let good = dir.join("good-params.json");
    std::fs::write(&good, crate::release::PARAMS).unwrap();
    let events = dir.join("ok-events.csv");
    std::fs::write(&events, "spike_time,amplitude\n0.1,0.0004\n0.2,\n").unwrap();
    let cases = [
        (
            "not-json.json",
            "{n_release_sites: 3",
            vec!["not-json.json", "not valid JSON"],
        ),
        (
            "missing.json",
            r#"{"n_release_sites": 3}"#,
            vec!["missing.json", "lacks", "measurement_stdev"],
        ),
        (
            "typo.json",
            &crate::release::PARAMS.replace("facilitation_tau", "facilitation_tua"),
            vec!["facilitation_tua", "did you mean facilitation_tau"],
        ),
        (
            "text.json",
            &crate::release::PARAMS.replace("2.56", "\"fast\""),
            vec!["facilitation_tau", "expected a number"],
        ),
        (
            "invalid.json",
            &crate::release::PARAMS.replace("0.125", "1.5"),
            vec!["invalid.json", "depression_amount"],
        ),
    ];
    for (name, text, needles) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        synphys(&[
            "release",
            "run",
            "--params",
            path.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ])
        .fails_with(&needles);
    }
    let event_cases = [
        (
            "no-column.csv",
            "time,amplitude\n0.1,0.1\n",
            vec!["no-column.csv", "spike_time"],
        ),
        (
            "bad-number.csv",
            "spike_time,amplitude\n0.1,0.1\n0.2,big\n",
            vec!["bad-number.csv", "line 3", "big"],
        ),
        (
            "bad-time.csv",
            "spike_time,amplitude\nsoon,0.1\n",
            vec!["line 2", "soon"],
        ),
        ("empty.csv", "spike_time,amplitude\n", vec!["no events"]),
        (
            "descending.csv",
            "spike_time,amplitude\n0.2,0.1\n0.1,0.1\n",
            vec!["spike time"],
        ),
    ];
    for (name, text, needles) in event_cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        synphys(&[
            "release",
            "run",
            "--params",
            good.to_str().unwrap(),
            "--events",
            path.to_str().unwrap(),
        ])
        .fails_with(&needles);
    }
    synphys(&[
        "release",
        "run",
        "--params",
        "no/such.json",
        "--events",
        events.to_str().unwrap(),
    ])
    .fails_with(&["no/such.json"]);
    let garbage = dir.join("garbage.bin");
    std::fs::write(&garbage, b"garbage").unwrap();
    synphys(&["release", "merge", garbage.to_str().unwrap()]).fails_with(&["garbage.bin"]);
}
