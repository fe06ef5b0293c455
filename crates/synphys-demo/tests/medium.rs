//! The medium scale: per-event tables for at least 100 synapses with at least 400
//! current-clamp events each, filled as the event loader (DESIGN §7a) reads them.

mod common;

use std::sync::OnceLock;

use common::{Written, count, open};
use synphys_demo::{DemoConfig, Scale};

fn medium() -> &'static Written {
    static MEDIUM: OnceLock<Written> = OnceLock::new();
    MEDIUM.get_or_init(|| common::write(DemoConfig::new(Scale::Medium)))
}

#[test]
fn at_least_100_synapses_have_400_current_clamp_events() {
    let written = medium();
    assert!(written.summary.event_synapses >= 100);
    let db = open(&written.path);
    let mut statement = db
        .prepare(
            "SELECT pr.pair_id, count(*) FROM pulse_response pr
             JOIN recording r ON r.id = pr.recording_id
             JOIN patch_clamp_recording pcr ON pcr.recording_id = r.id
             WHERE pcr.clamp_mode = 'ic' GROUP BY pr.pair_id",
        )
        .unwrap();
    let per_pair: Vec<(i64, i64)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(per_pair.len(), written.summary.event_synapses);
    let fewest = per_pair.iter().map(|p| p.1).min().unwrap();
    assert!(
        fewest >= 400,
        "a synapse has only {fewest} current-clamp events"
    );
    // Only synapses have events.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pulse_response pr JOIN pair p ON p.id = pr.pair_id WHERE p.has_synapse = 0"
        ),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pulse_response") as usize,
        written.summary.events
    );
}

#[test]
fn event_rows_resolve_and_hold_what_the_loader_reads() {
    let db = open(&medium().path);
    let mut check = db.prepare("PRAGMA foreign_key_check").unwrap();
    assert!(
        check.query([]).unwrap().next().unwrap().is_none(),
        "a foreign key dangles"
    );
    // Every response has a baseline and a fit with both amplitudes or a missing fit.
    let responses = count(&db, "SELECT count(*) FROM pulse_response");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pulse_response pr JOIN baseline b ON b.id = pr.baseline_id"
        ),
        responses
    );
    let fitted = count(
        &db,
        "SELECT count(*) FROM pulse_response_fit WHERE dec_fit_reconv_amp IS NOT NULL",
    );
    assert!(
        fitted > responses * 9 / 10,
        "{fitted} of {responses} fitted"
    );
    // A few voltage-clamp recordings, missing spikes and QC failures, as in real files.
    let vc = count(
        &db,
        "SELECT count(*) FROM patch_clamp_recording WHERE clamp_mode = 'vc'",
    );
    let ic = count(
        &db,
        "SELECT count(*) FROM patch_clamp_recording WHERE clamp_mode = 'ic'",
    );
    assert!(vc > 0 && vc < ic, "{vc} vc, {ic} ic recordings");
    let missing = count(
        &db,
        "SELECT count(*) FROM stim_pulse WHERE first_spike_time IS NULL",
    );
    assert!(
        missing > 0 && missing < responses / 10,
        "{missing} missing spikes"
    );
    let failed = count(
        &db,
        "SELECT count(*) FROM pulse_response WHERE ex_qc_pass = 0 AND in_qc_pass = 0",
    );
    assert!(failed > 0 && failed < responses / 5, "{failed} failing QC");
    // Stimulus protocols of the dataset.
    let mut frequencies = db
        .prepare("SELECT DISTINCT induction_frequency FROM multi_patch_probe ORDER BY 1")
        .unwrap();
    let frequencies: Vec<f64> = frequencies
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        frequencies
            .iter()
            .all(|f| [10.0, 20.0, 50.0, 100.0, 200.0].contains(f)),
        "{frequencies:?}"
    );
    let (min_delay, max_delay): (f64, f64) = db
        .query_row(
            "SELECT min(recovery_delay), max(recovery_delay) FROM multi_patch_probe",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        min_delay > 0.1 && max_delay < 4.1,
        "{min_delay} … {max_delay}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM stim_pulse WHERE pulse_number < 1 OR pulse_number > 12"
        ),
        0
    );
    // Recordings point at the electrodes of their cells' experiment.
    assert_eq!(
        count(&db, "SELECT count(*) FROM recording r JOIN sync_rec s ON s.id = r.sync_rec_id
                    JOIN electrode e ON e.id = r.electrode_id WHERE e.experiment_id != s.experiment_id"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM recording WHERE electrode_id IS NULL"
        ),
        0
    );
}
