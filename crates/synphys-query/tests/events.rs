//! A synapse's events (DESIGN §7a), one test per rule, on databases built by hand.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use synphys_demo::{DemoConfig, Scale};
use synphys_dynamics::ClampMode;
use synphys_query::{ErrorKind, PairRef, SynapseEvents, SynphysDb};
use synphys_schema::{
    Baseline, Cell, Dynamics, Experiment, Metadata, MultiPatchProbe, Pair, PatchClampRecording,
    PulseResponse, PulseResponseFit, Recording, Schema, StimPulse, StoredValue, Synapse,
    SynapseModel, SyncRec, TableRow, Value,
};

const EXPERIMENT: &str = "1525829536.548";
const PAIR: &str = "1525829536.548:7:2";

/// A row of type `R` with every column null except its id.
fn blank<R: TableRow>(id: i64) -> R {
    let mut values = vec![Value::Null; R::COLUMNS.len()];
    values[0] = Value::Int(id);
    R::from_values(values).unwrap()
}

fn insert<R: TableRow>(conn: &Connection, row: &R) {
    let table = Schema::v22().require_table(R::TABLE).unwrap();
    let stored = table
        .columns
        .iter()
        .zip(row.to_values())
        .map(|(column, value)| match column.encode(&value).unwrap() {
            StoredValue::Null => rusqlite::types::Value::Null,
            StoredValue::Integer(i) => rusqlite::types::Value::Integer(i),
            StoredValue::Real(r) => rusqlite::types::Value::Real(r),
            StoredValue::Text(t) => rusqlite::types::Value::Text(t),
            StoredValue::Blob(b) => rusqlite::types::Value::Blob(b),
        })
        .collect::<Vec<_>>();
    let placeholders = vec!["?"; stored.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({placeholders})",
        R::TABLE,
        R::COLUMNS.join(", ")
    );
    conn.execute(&sql, rusqlite::params_from_iter(stored))
        .unwrap();
}

fn experiment_start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2018, 5, 9)
        .unwrap()
        .and_hms_micro_opt(10, 0, 0, 0)
        .unwrap()
}

/// One sweep as the test describes it.
struct SweepSpec {
    start_s: f64,
    ext_id: serde_json::Value,
    post_clamp: &'static str,
    pre_clamp: &'static str,
    stim_name: &'static str,
    /// (induction frequency Hz, recovery delay s); `None` writes no probe row.
    probe: Option<(f64, f64)>,
}

fn sweep(start_s: f64) -> SweepSpec {
    SweepSpec {
        start_s,
        ext_id: serde_json::json!(1),
        post_clamp: "ic",
        pre_clamp: "ic",
        stim_name: "PulseTrain_50Hz_DA_0",
        probe: Some((50.0, 0.25)),
    }
}

/// One pulse and its response as the test describes it.
#[derive(Clone)]
struct PulseSpec {
    pulse_number: i64,
    onset_s: f64,
    spike_s: Option<f64>,
    /// `None` writes no fit row.
    amplitude_v: Option<f64>,
    baseline_amplitude_v: Option<f64>,
    has_baseline: bool,
    ex_qc_pass: Option<bool>,
    in_qc_pass: Option<bool>,
    previous_pulse_dt_s: f64,
}

fn pulse(pulse_number: i64, onset_s: f64, amplitude_v: f64) -> PulseSpec {
    PulseSpec {
        pulse_number,
        onset_s,
        spike_s: Some(onset_s + 1.5e-3),
        amplitude_v: Some(amplitude_v),
        baseline_amplitude_v: Some(amplitude_v / 10.0),
        has_baseline: true,
        ex_qc_pass: Some(true),
        in_qc_pass: Some(true),
        previous_pulse_dt_s: 0.02,
    }
}

/// Ids of a written sweep's rows.
struct SweepIds {
    pre_recording: i64,
    post_recording: i64,
}

/// A hand-built database: one experiment with cells `7` → `2` (pair 1) and `2` → `7`
/// (pair 2, no events), a synapse on pair 1, and whatever sweeps a test adds.
struct TestDb {
    dir: tempfile::TempDir,
    conn: Connection,
    next_id: i64,
}

impl TestDb {
    fn new(synapse_type: Option<&str>) -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("events.sqlite")).unwrap();
        // A throwaway file: no need to wait for the disk after every insert.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;",
        )
        .unwrap();
        conn.execute_batch(&Schema::v22().create_sql()).unwrap();
        conn.execute(
            Metadata::INSERT_SQL,
            [Metadata::new("2026-11-29T12:00:00", "events test").to_json()],
        )
        .unwrap();
        let mut experiment: Experiment = blank(1);
        experiment.ext_id = Some(EXPERIMENT.into());
        insert(&conn, &experiment);
        for (id, ext_id) in [(1, "7"), (2, "2")] {
            let mut cell: Cell = blank(id);
            cell.experiment_id = Some(1);
            cell.ext_id = Some(ext_id.into());
            insert(&conn, &cell);
        }
        for (id, pre, post) in [(1, 1, 2), (2, 2, 1)] {
            let mut pair: Pair = blank(id);
            pair.experiment_id = Some(1);
            pair.pre_cell_id = Some(pre);
            pair.post_cell_id = Some(post);
            pair.has_synapse = Some(id == 1);
            insert(&conn, &pair);
        }
        if let Some(synapse_type) = synapse_type {
            let mut synapse: Synapse = blank(1);
            synapse.pair_id = Some(1);
            synapse.synapse_type = Some(synapse_type.into());
            insert(&conn, &synapse);
        }
        TestDb {
            dir,
            conn,
            next_id: 1,
        }
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn sweep(&mut self, spec: &SweepSpec) -> SweepIds {
        let sync_rec_id = self.id();
        let mut sync_rec: SyncRec = blank(sync_rec_id);
        sync_rec.experiment_id = Some(1);
        sync_rec.ext_id = Some(spec.ext_id.clone());
        insert(&self.conn, &sync_rec);
        let start =
            experiment_start() + TimeDelta::microseconds((spec.start_s * 1e6).round() as i64);
        let mut ids = [0; 2];
        for (slot, (clamp, stim_name)) in [
            (spec.pre_clamp, spec.stim_name),
            // The post recording's own stimulus name differs: stim_name must come from pre.
            (spec.post_clamp, "post holding"),
        ]
        .into_iter()
        .enumerate()
        {
            let recording_id = self.id();
            let mut recording: Recording = blank(recording_id);
            recording.sync_rec_id = Some(sync_rec_id);
            recording.start_time = Some(start);
            recording.stim_name = Some(stim_name.into());
            insert(&self.conn, &recording);
            let pcr_id = self.id();
            let mut pcr: PatchClampRecording = blank(pcr_id);
            pcr.recording_id = Some(recording_id);
            pcr.clamp_mode = Some(clamp.into());
            insert(&self.conn, &pcr);
            if let Some((frequency, delay)) = spec.probe {
                let mut probe: MultiPatchProbe = blank(self.id());
                probe.patch_clamp_recording_id = Some(pcr_id);
                probe.induction_frequency = Some(frequency);
                probe.recovery_delay = Some(delay);
                insert(&self.conn, &probe);
            }
            ids[slot] = recording_id;
        }
        SweepIds {
            pre_recording: ids[0],
            post_recording: ids[1],
        }
    }

    /// Writes one pulse and its response on pair 1; returns the pulse_response id.
    fn pulse(&mut self, sweep: &SweepIds, spec: &PulseSpec) -> i64 {
        let stim_pulse_id = self.id();
        let mut stim_pulse: StimPulse = blank(stim_pulse_id);
        stim_pulse.recording_id = Some(sweep.pre_recording);
        stim_pulse.cell_id = Some(1);
        stim_pulse.pulse_number = Some(spec.pulse_number);
        stim_pulse.onset_time = Some(spec.onset_s);
        stim_pulse.first_spike_time = spec.spike_s;
        stim_pulse.previous_pulse_dt = Some(spec.previous_pulse_dt_s);
        insert(&self.conn, &stim_pulse);
        let baseline_id = spec.has_baseline.then(|| {
            let baseline_id = self.id();
            let mut baseline: Baseline = blank(baseline_id);
            baseline.recording_id = Some(sweep.post_recording);
            // The baseline's own flags fail: the loader must not use them.
            baseline.ex_qc_pass = Some(false);
            baseline.in_qc_pass = Some(false);
            insert(&self.conn, &baseline);
            baseline_id
        });
        let response_id = self.id();
        let mut response: PulseResponse = blank(response_id);
        response.recording_id = Some(sweep.post_recording);
        response.stim_pulse_id = Some(stim_pulse_id);
        response.pair_id = Some(1);
        response.baseline_id = baseline_id;
        response.ex_qc_pass = spec.ex_qc_pass;
        response.in_qc_pass = spec.in_qc_pass;
        insert(&self.conn, &response);
        if let Some(amplitude) = spec.amplitude_v {
            let mut fit: PulseResponseFit = blank(self.id());
            fit.pulse_response_id = Some(response_id);
            fit.dec_fit_reconv_amp = Some(amplitude);
            fit.baseline_dec_fit_reconv_amp = spec.baseline_amplitude_v;
            insert(&self.conn, &fit);
        }
        response_id
    }

    fn open(self) -> (tempfile::TempDir, SynphysDb) {
        let path = self.dir.path().join("events.sqlite");
        drop(self.conn);
        (self.dir, SynphysDb::open(path).unwrap())
    }
}

fn pair() -> PairRef {
    PAIR.parse().unwrap()
}

fn load(db: TestDb) -> SynapseEvents {
    let (_dir, db) = db.open();
    db.synapse_events(&pair()).unwrap()
}

fn response_ids(events: &SynapseEvents) -> Vec<i64> {
    events.events.iter().map(|e| e.pulse_response_id).collect()
}

#[test]
fn a_response_without_a_baseline_is_dropped() {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    let kept = db.pulse(&s, &pulse(1, 0.1, 1e-3));
    let dropped = db.pulse(
        &s,
        &PulseSpec {
            has_baseline: false,
            ..pulse(2, 0.12, 2e-3)
        },
    );
    let events = load(db);
    assert_eq!(response_ids(&events), vec![kept]);
    assert!(!response_ids(&events).contains(&dropped));
    assert_eq!(events.amplitudes_v, vec![1e-3]);
}

#[test]
fn a_response_without_a_fit_is_kept_with_missing_amplitudes() {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    db.pulse(&s, &pulse(1, 0.1, 1e-3));
    let unfitted = db.pulse(
        &s,
        &PulseSpec {
            amplitude_v: None,
            ..pulse(2, 0.12, 0.0)
        },
    );
    let events = load(db);
    assert_eq!(events.events.len(), 2);
    assert_eq!(events.events[1].pulse_response_id, unfitted);
    assert_eq!(events.events[1].fit_amplitude_v, None);
    assert!(events.amplitudes_v[1].is_nan());
    assert!(events.baseline_amplitudes_v[1].is_nan());
    assert_eq!(events.amplitudes_v[0], 1e-3);
}

#[test]
fn only_current_clamp_post_recordings_are_loaded_whatever_the_pre_mode() {
    let mut db = TestDb::new(Some("ex"));
    let ic = db.sweep(&sweep(0.0));
    let vc_post = db.sweep(&SweepSpec {
        post_clamp: "vc",
        ..sweep(15.0)
    });
    let vc_pre = db.sweep(&SweepSpec {
        pre_clamp: "vc",
        ..sweep(30.0)
    });
    let a = db.pulse(&ic, &pulse(1, 0.1, 1e-3));
    let b = db.pulse(&vc_post, &pulse(1, 0.1, 2e-3));
    let c = db.pulse(&vc_pre, &pulse(1, 0.1, 3e-3));
    let events = load(db);
    assert_eq!(response_ids(&events), vec![a, c]);
    assert!(!response_ids(&events).contains(&b));
    assert!(
        events
            .events
            .iter()
            .all(|e| e.clamp_mode == ClampMode::Current)
    );
}

#[test]
fn events_are_ordered_by_recording_start_then_onset_not_by_id() {
    let mut db = TestDb::new(Some("ex"));
    // Written latest sweep first and, within a sweep, latest pulse first, so ids run
    // against time.
    let late = db.sweep(&sweep(20.0));
    let early = db.sweep(&sweep(5.0));
    let late_2 = db.pulse(&late, &pulse(2, 0.30, 4e-3));
    let late_1 = db.pulse(&late, &pulse(1, 0.10, 3e-3));
    let early_2 = db.pulse(&early, &pulse(2, 0.30, 2e-3));
    let early_1 = db.pulse(&early, &pulse(1, 0.10, 1e-3));
    let events = load(db);
    let ids = response_ids(&events);
    assert_eq!(ids, vec![early_1, early_2, late_1, late_2]);
    let mut by_id = ids.clone();
    by_id.sort_unstable();
    assert_ne!(ids, by_id, "the test must put ids out of time order");
    assert_eq!(events.amplitudes_v, vec![1e-3, 2e-3, 3e-3, 4e-3]);
}

#[test]
fn spike_times_are_offset_by_the_recording_start_relative_to_the_first_event() {
    let mut db = TestDb::new(Some("ex"));
    // The first loaded event's recording starts 3 s into the experiment; offsets are from
    // there, to the microsecond.
    let starts_s = [3.0, 15.5, 33.000_250];
    let spike_s = [0.101_5, 0.201_5, 0.301_5];
    for (start, spike) in starts_s.iter().zip(spike_s) {
        let s = db.sweep(&sweep(*start));
        db.pulse(
            &s,
            &PulseSpec {
                spike_s: Some(spike),
                ..pulse(1, spike - 1.5e-3, 1e-3)
            },
        );
    }
    let events = load(db);
    for (i, time) in events.spike_times_s.iter().enumerate() {
        let expected = spike_s[i] + (starts_s[i] - starts_s[0]);
        assert!(
            (time - expected).abs() < 1e-9,
            "event {i}: {time} != {expected}"
        );
    }
    assert_eq!(events.spike_times_s[0], spike_s[0]);
}

#[test]
fn a_missing_spike_is_placed_at_onset_plus_the_median_latency_and_its_amplitude_dropped() {
    let mut db = TestDb::new(Some("ex"));
    let first = db.sweep(&sweep(0.0));
    let second = db.sweep(&sweep(10.0));
    // Latencies 1, 2 and 4 ms plus one missing: median of the present ones is 2 ms.
    let latencies = [1e-3, 2e-3, 4e-3];
    for (i, latency) in latencies.iter().enumerate() {
        let onset = 0.1 + 0.02 * i as f64;
        db.pulse(
            &first,
            &PulseSpec {
                spike_s: Some(onset + latency),
                ..pulse(i as i64 + 1, onset, 1e-3)
            },
        );
    }
    let onset = 0.35;
    db.pulse(
        &second,
        &PulseSpec {
            spike_s: None,
            ..pulse(1, onset, 5e-3)
        },
    );
    let events = load(db);
    let missing = events.events.len() - 1;
    let mut sorted = latencies.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median_latency = sorted[1];
    let expected = onset + median_latency + 10.0;
    assert!((events.spike_times_s[missing] - expected).abs() < 1e-12);
    assert!(!events.events[missing].spike_detected);
    assert!(events.amplitudes_v[missing].is_nan());
    assert_eq!(events.events[missing].fit_amplitude_v, Some(5e-3));
    assert!(events.amplitudes_v[..missing].iter().all(|a| a.is_finite()));
}

/// Four events: ex pass only, in pass only, both, neither.
fn qc_database(synapse_type: Option<&str>) -> TestDb {
    let mut db = TestDb::new(synapse_type);
    let s = db.sweep(&sweep(0.0));
    let flags = [(true, false), (false, true), (true, true), (false, false)];
    for (i, (ex, inh)) in flags.into_iter().enumerate() {
        db.pulse(
            &s,
            &PulseSpec {
                ex_qc_pass: Some(ex),
                in_qc_pass: Some(inh),
                ..pulse(i as i64 + 1, 0.1 + 0.02 * i as f64, (i + 1) as f64 * 1e-3)
            },
        );
    }
    db
}

fn finite_mask(values: &[f64]) -> Vec<bool> {
    values.iter().map(|v| v.is_finite()).collect()
}

#[test]
fn amplitudes_are_masked_by_the_qc_flag_of_the_synapse_type() {
    let ex = load(qc_database(Some("ex")));
    assert_eq!(finite_mask(&ex.amplitudes_v), [true, false, true, false]);
    assert_eq!(ex.amplitudes_v[0], 1e-3);
    let inh = load(qc_database(Some("in")));
    assert_eq!(finite_mask(&inh.amplitudes_v), [false, true, true, false]);
    assert_eq!(inh.amplitudes_v[1], 2e-3);
    assert_eq!(
        inh.events.iter().map(|e| e.qc_pass).collect::<Vec<_>>(),
        [false, true, true, false]
    );
    // Mixed or unknown type: both flags must pass.
    for synapse_type in [Some("mixed"), None] {
        let both = load(qc_database(synapse_type));
        assert_eq!(finite_mask(&both.amplitudes_v), [false, false, true, false]);
        assert_eq!(both.synapse_type.as_deref(), synapse_type);
    }
}

/// Four events on an excitatory synapse: passing; failing QC; without a spike; with a
/// null QC flag. Amplitudes 1–4 mV, baselines a tenth of them.
fn masking_database() -> TestDb {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    let variants = [
        pulse(1, 0.10, 1e-3),
        PulseSpec {
            ex_qc_pass: Some(false),
            ..pulse(2, 0.12, 2e-3)
        },
        PulseSpec {
            spike_s: None,
            ..pulse(3, 0.14, 3e-3)
        },
        PulseSpec {
            ex_qc_pass: None,
            ..pulse(4, 0.16, 4e-3)
        },
    ];
    for spec in &variants {
        db.pulse(&s, spec);
    }
    db
}

#[test]
fn baselines_are_masked_by_the_response_qc_flag_not_by_a_missing_spike() {
    let events = load(masking_database());
    // Every baseline row fails its own QC flags (see `TestDb::pulse`); they are ignored.
    assert_eq!(
        finite_mask(&events.baseline_amplitudes_v),
        [true, false, true, false]
    );
    assert_eq!(events.baseline_amplitudes_v[2], 3e-3 / 10.0);
    assert!(events.amplitudes_v[2].is_nan());
}

#[test]
fn measurement_stdev_is_the_population_stdev_of_the_unmasked_baselines() {
    let mut rng = Pcg64::seed_from_u64(7);
    let mut db = TestDb::new(Some("in"));
    let s = db.sweep(&sweep(0.0));
    let mut kept = Vec::new();
    for i in 0..24 {
        let baseline = rng.random_range(-2e-4..2e-4);
        let passes = i % 5 != 3;
        db.pulse(
            &s,
            &PulseSpec {
                baseline_amplitude_v: Some(if passes { baseline } else { 1.0 }),
                in_qc_pass: Some(passes),
                ..pulse(i + 1, 0.1 + 0.02 * i as f64, -1e-3)
            },
        );
        if passes {
            kept.push(baseline);
        }
    }
    // One response without a baseline amplitude: ignored, not zero.
    db.pulse(
        &s,
        &PulseSpec {
            baseline_amplitude_v: None,
            ..pulse(25, 0.7, -1e-3)
        },
    );
    let events = load(db);
    // Independently: sqrt(E[x²] − E[x]²) over the kept values (ddof 0).
    let n = kept.len() as f64;
    let mean = kept.iter().sum::<f64>() / n;
    let mean_square = kept.iter().map(|x| x * x).sum::<f64>() / n;
    let expected = (mean_square - mean * mean).sqrt();
    assert!(
        (events.measurement_stdev_v - expected).abs() < 1e-12 * expected.max(1e-300) + 1e-18,
        "{} != {expected}",
        events.measurement_stdev_v
    );
    // The sample (ddof 1) value differs measurably: the test tells them apart.
    let sample = expected * (n / (n - 1.0)).sqrt();
    assert!((events.measurement_stdev_v - sample).abs() > 1e-3 * expected);
}

#[test]
fn events_carry_their_metadata() {
    let mut db = TestDb::new(Some("ex"));
    let with_probe = db.sweep(&SweepSpec {
        ext_id: serde_json::json!(17),
        stim_name: "PulseTrain_20Hz_DA_0",
        probe: Some((20.0, 0.5)),
        ..sweep(0.0)
    });
    let without_probe = db.sweep(&SweepSpec {
        ext_id: serde_json::json!("sweep-b"),
        probe: None,
        ..sweep(12.0)
    });
    db.pulse(
        &with_probe,
        &PulseSpec {
            previous_pulse_dt_s: f64::INFINITY,
            ..pulse(1, 0.1, 1e-3)
        },
    );
    db.pulse(&with_probe, &pulse(2, 0.15, 1e-3));
    db.pulse(&without_probe, &pulse(3, 0.2, 1e-3));
    let events = load(db);
    let e = &events.events;
    assert_eq!(events.pair_id, 1);
    assert_eq!(events.synapse_type.as_deref(), Some("ex"));
    assert_eq!(e[0].sync_rec_ext_id, serde_json::json!(17));
    assert_eq!(e[2].sync_rec_ext_id, serde_json::json!("sweep-b"));
    assert_eq!(
        e.iter().map(|e| e.pulse_number).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert_eq!(e[0].induction_frequency_hz, Some(20.0));
    assert_eq!(e[0].recovery_delay_s, Some(0.5));
    // The probe information is an outer join: its absence keeps the event.
    assert_eq!(e[2].induction_frequency_hz, None);
    assert_eq!(e[2].recovery_delay_s, None);
    assert_eq!(e[0].stim_name.as_deref(), Some("PulseTrain_20Hz_DA_0"));
    assert_eq!(e[2].stim_name.as_deref(), Some("PulseTrain_50Hz_DA_0"));
    assert_eq!(e[0].previous_pulse_dt_s, Some(f64::INFINITY));
    assert_eq!(e[1].previous_pulse_dt_s, Some(0.02));
    assert_eq!(e[0].recording_id, with_probe.post_recording);
    assert_eq!(e[2].recording_id, without_probe.post_recording);
    assert!(e.iter().all(|e| e.qc_pass && e.spike_detected));
}

/// Pair 1 with a single event, opened.
fn one_event_database() -> (tempfile::TempDir, SynphysDb) {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    db.pulse(&s, &pulse(1, 0.1, 1e-3));
    db.open()
}

#[test]
fn a_pair_without_events_is_an_error_naming_it() {
    let (_dir, db) = one_event_database();
    // Pair 2 (cells 2 → 7) has no responses.
    let reverse: PairRef = format!("{EXPERIMENT}:2:7").parse().unwrap();
    let err = db.synapse_events(&reverse).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoEvents { .. }), "{err}");
    assert!(err.to_string().contains(&reverse.to_string()), "{err}");
    let err = db.synapse_events(&PairRef::Id(2)).unwrap_err();
    assert!(err.to_string().contains("id:2"), "{err}");
}

#[test]
fn a_pair_without_any_finite_amplitude_is_an_error_naming_it() {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    for i in 0..3 {
        db.pulse(
            &s,
            &PulseSpec {
                amplitude_v: None,
                ..pulse(i + 1, 0.1 + 0.02 * i as f64, 0.0)
            },
        );
    }
    let (_dir, db) = db.open();
    let err = db.synapse_events(&pair()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NoEventAmplitudes { n_events: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains(PAIR), "{err}");
}

#[test]
fn fitted_amplitudes_that_all_fail_qc_still_load_as_the_reference_checks_before_masking() {
    let mut db = TestDb::new(Some("ex"));
    let s = db.sweep(&sweep(0.0));
    for i in 0..3 {
        db.pulse(
            &s,
            &PulseSpec {
                ex_qc_pass: Some(false),
                ..pulse(i + 1, 0.1 + 0.02 * i as f64, 1e-3)
            },
        );
    }
    let events = load(db);
    assert_eq!(events.events.len(), 3);
    assert!(events.amplitudes_v.iter().all(|a| a.is_nan()));
    assert!(events.measurement_stdev_v.is_nan());
}

#[test]
fn a_small_layout_file_names_the_missing_table() {
    let db = TestDb::new(Some("ex"));
    // A small file lacks the per-event tables; drop children before parents.
    db.conn
        .execute_batch(
            "DROP TABLE pulse_response_fit; DROP TABLE pulse_response_strength;
             DROP TABLE synapse_prediction; DROP TABLE pulse_response; DROP TABLE baseline;
             DROP TABLE stim_spike; DROP TABLE stim_pulse; DROP TABLE multi_patch_probe;
             DROP TABLE patch_clamp_recording; DROP TABLE test_pulse; DROP TABLE recording;
             DROP TABLE sync_rec;",
        )
        .unwrap();
    let (_dir, db) = db.open();
    let err = db.synapse_events(&pair()).unwrap_err();
    match err.kind() {
        ErrorKind::MissingTable { table, .. } => assert_eq!(table, "pulse_response"),
        other => panic!("expected a missing table, got {other}"),
    }
    assert!(err.to_string().contains("pulse_response"), "{err}");
    assert!(err.to_string().contains(PAIR), "{err}");
    let err = db.pair_dynamics(&pair()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MissingTable { .. }),
        "{err}"
    );
}

#[test]
fn pairs_are_found_by_ext_ids_or_id_and_unknown_ones_explained() {
    let (_dir, db) = one_event_database();
    let by_ext = db.synapse_events(&pair()).unwrap();
    let by_id = db.synapse_events(&PairRef::Id(1)).unwrap();
    assert_eq!(by_ext, by_id);

    let err = db
        .synapse_events(&format!("{EXPERIMENT}:7:9").parse().unwrap())
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::PairNotFound { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("its cells are 2, 7"), "{err}");
    let err = db.synapse_events(&"1.5:7:2".parse().unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("no experiment has ext_id 1.5"),
        "{err}"
    );
    let err = db.synapse_events(&PairRef::Id(99)).unwrap_err();
    assert!(err.to_string().contains("id:99"), "{err}");
}

#[test]
fn dynamics_inputs_keep_qc_failed_amplitudes_with_their_flags_but_drop_missed_spikes() {
    let events = load(masking_database());
    let (pulses, baselines) = events.dynamics_inputs();
    assert_eq!(
        pulses.iter().map(|p| p.amplitude_v).collect::<Vec<_>>(),
        // QC failures keep their amplitude (with the flag); a missed spike has none.
        [Some(1e-3), Some(2e-3), None, Some(4e-3)]
    );
    assert_eq!(
        pulses.iter().map(|p| p.qc_pass).collect::<Vec<_>>(),
        [true, false, true, false]
    );
    assert_eq!(
        pulses.iter().map(|p| p.pulse_number).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(pulses.iter().all(|p| p.induction_frequency_hz == Some(50.0)
        && p.recovery_delay_s == Some(0.25)
        && p.clamp_mode == ClampMode::Current
        && p.recording_id == events.events[0].recording_id));
    // The QC-masked baselines, as loaded (NaN where masked).
    assert_eq!(finite_mask(&baselines), [true, false, true, false]);
    assert_eq!(
        baselines[0].to_bits(),
        events.baseline_amplitudes_v[0].to_bits()
    );
    assert_eq!(baselines[2], 3e-3 / 10.0);
}

#[test]
fn pair_dynamics_needs_a_signed_synapse() {
    let mut db = qc_database(Some("mixed"));
    let s = db.sweep(&sweep(30.0));
    db.pulse(&s, &pulse(1, 0.1, 1e-3));
    let (_dir, db) = db.open();
    let err = db.pair_dynamics(&pair()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnsignedSynapse { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("`mixed`"), "{err}");
    assert!(err.to_string().contains(PAIR), "{err}");
}

// ---- demo databases (per-event tables for a few synapses) ----

fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo_tiny.sqlite")
}

/// A tiny demo written now by the current generator, then the committed fixture (which
/// the same generator wrote).
fn demo_files() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("demo_tiny.sqlite");
    synphys_demo::write(&fresh, &DemoConfig::new(Scale::Tiny)).unwrap();
    (dir, vec![fresh, fixture_path()])
}

/// A pair with events in a demo file.
struct DemoPair {
    conn: Rc<Connection>,
    db: Rc<SynphysDb>,
    pair_id: i64,
    ext_ids: PairRef,
}

/// Every pair with events in each of `files`.
fn demo_event_pairs(files: &[PathBuf]) -> Vec<DemoPair> {
    let sql = "SELECT pair.id, experiment.ext_id, pre_cell.ext_id, post_cell.ext_id FROM pair
               JOIN experiment ON experiment.id = pair.experiment_id
               JOIN cell AS pre_cell ON pre_cell.id = pair.pre_cell_id
               JOIN cell AS post_cell ON post_cell.id = pair.post_cell_id
               WHERE pair.id IN (SELECT pair_id FROM pulse_response) ORDER BY pair.id";
    let mut pairs = Vec::new();
    for path in files {
        let conn = Rc::new(
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap(),
        );
        let db = Rc::new(SynphysDb::open(path).unwrap());
        let before = pairs.len();
        let mut statement = conn.prepare(sql).unwrap();
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    PairRef::ExtIds {
                        experiment: row.get(1)?,
                        pre_cell: row.get(2)?,
                        post_cell: row.get(3)?,
                    },
                ))
            })
            .unwrap();
        for row in rows {
            let (pair_id, ext_ids) = row.unwrap();
            pairs.push(DemoPair {
                conn: Rc::clone(&conn),
                db: Rc::clone(&db),
                pair_id,
                ext_ids,
            });
        }
        assert!(
            pairs.len() > before,
            "{} has per-event tables",
            path.display()
        );
    }
    pairs
}

/// The row of a per-pair table for `pair_id`, decoded through the schema catalogue.
fn pair_row<R: TableRow>(conn: &Connection, pair_id: i64) -> R {
    let table = Schema::v22().require_table(R::TABLE).unwrap();
    let sql = format!(
        "SELECT {} FROM {} WHERE pair_id = ?1",
        R::COLUMNS.join(", "),
        R::TABLE
    );
    let stored = conn
        .query_row(&sql, [pair_id], |row| {
            (0..R::COLUMNS.len())
                .map(|i| row.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap();
    let values = table
        .columns
        .iter()
        .zip(stored)
        .map(|(column, value)| {
            use rusqlite::types::Value as Sql;
            let stored = match value {
                Sql::Null => StoredValue::Null,
                Sql::Integer(v) => StoredValue::Integer(v),
                Sql::Real(v) => StoredValue::Real(v),
                Sql::Text(v) => StoredValue::Text(v),
                Sql::Blob(v) => StoredValue::Blob(v),
            };
            column.decode(stored).unwrap()
        })
        .collect();
    R::from_values(values).unwrap()
}

/// JSON values equal, numbers within 1e-9 (relative above magnitude 1).
fn assert_json_close(path: &str, expected: &serde_json::Value, found: &serde_json::Value) {
    use serde_json::Value as J;
    match (expected, found) {
        (J::Number(a), J::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                "{path}: stored {a}, recomputed {b}"
            );
        }
        (J::Array(a), J::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: lengths differ");
            for (i, (a, b)) in a.iter().zip(b).enumerate() {
                assert_json_close(&format!("{path}[{i}]"), a, b);
            }
        }
        (J::Object(a), J::Object(b)) => {
            let keys_a: Vec<_> = a.keys().collect();
            let keys_b: Vec<_> = b.keys().collect();
            assert_eq!(keys_a, keys_b, "{path}: keys differ");
            for (key, a) in a {
                assert_json_close(&format!("{path}.{key}"), a, &b[key]);
            }
        }
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn demo_events_load_with_finite_amplitudes_and_the_true_noise() {
    let (_dir, files) = demo_files();
    for pair in demo_event_pairs(&files) {
        let name = &pair.ext_ids;
        let events = pair.db.synapse_events(name).unwrap();
        assert_eq!(events.pair_id, pair.pair_id);
        let by_id = pair.db.synapse_events(&PairRef::Id(pair.pair_id)).unwrap();
        // Debug text compares NaN with NaN too.
        assert!(
            format!("{events:?}") == format!("{by_id:?}"),
            "pair {name}: by id"
        );
        let n = events.events.len();
        assert!(n >= 24, "pair {name}: only {n} events");
        let finite = events.amplitudes_v.iter().filter(|a| a.is_finite()).count();
        assert!(finite * 10 >= n * 8, "pair {name}: {finite} of {n} finite");
        assert!(
            events.spike_times_s.windows(2).all(|w| w[0] < w[1]),
            "pair {name}: spike times ascend"
        );
        // The demo's truth: synapse_model.ml_measurement_stdev of the pair.
        let model: SynapseModel = pair_row(&pair.conn, pair.pair_id);
        let truth = model.ml_measurement_stdev.unwrap();
        // The standard error of a stdev of n normal samples is about 1/sqrt(2n): allow 4.
        let samples = finite_mask(&events.baseline_amplitudes_v)
            .into_iter()
            .filter(|finite| *finite)
            .count();
        let relative = (events.measurement_stdev_v / truth - 1.0).abs();
        assert!(
            relative < 4.0 / (2.0 * samples as f64).sqrt(),
            "pair {name}: noise {} V, truth {truth} V",
            events.measurement_stdev_v
        );
    }
}

#[test]
fn pair_dynamics_reproduces_the_demo_dynamics_rows() {
    let (_dir, files) = demo_files();
    for pair in demo_event_pairs(&files) {
        let stored: Dynamics = pair_row(&pair.conn, pair.pair_id);
        let mut stored = serde_json::to_value(&stored).unwrap();
        let stored = stored.as_object_mut().unwrap();
        for key in ["id", "pair_id", "meta"] {
            stored.remove(key);
        }
        let recomputed = pair.db.pair_dynamics(&pair.ext_ids).unwrap();
        assert_json_close(
            &format!("pair {}", pair.ext_ids),
            &serde_json::Value::Object(stored.clone()),
            &serde_json::to_value(recomputed).unwrap(),
        );
    }
}
