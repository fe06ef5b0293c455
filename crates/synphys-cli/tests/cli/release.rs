//! `synphys release …` on files, against the release-model crate.

use rand::SeedableRng;
use synphys_release_model::{Param, ParamSpace, ReleaseModel, ReleaseParams, Search};

use crate::support::{scratch, synphys};

/// The tutorial's human synapse (SI units).
pub(crate) const PARAMS: &str = r#"{"n_release_sites": 3, "base_release_probability": 0.762698585902344,
 "mini_amplitude": 0.000333520496496931, "mini_amplitude_cv": 0.251188643150958,
 "depression_amount": 0.125, "depression_tau": 0.107672015410588, "facilitation_amount": 0.375,
 "facilitation_tau": 2.56, "measurement_stdev": 8.62167096775792e-05}"#;

fn params() -> ReleaseParams {
    ReleaseParams::builder()
        .n_release_sites(3)
        .base_release_probability(0.762698585902344)
        .mini_amplitude(0.000333520496496931)
        .mini_amplitude_cv(0.251188643150958)
        .depression_amount(0.125)
        .depression_tau(0.107672015410588)
        .facilitation_amount(0.375)
        .facilitation_tau(2.56)
        .measurement_stdev(8.62167096775792e-05)
        .build()
        .unwrap()
}

/// Files: the params, and seeded random events of the model (one missing).
pub(crate) fn inputs(name: &str) -> (std::path::PathBuf, std::path::PathBuf, Vec<f64>, Vec<f64>) {
    let dir = scratch();
    let params_path = dir.join(format!("{name}-params.json"));
    std::fs::write(&params_path, PARAMS).unwrap();
    let times = synphys_release_model::train_protocol(&[20.0, 50.0], &[0.25], 4, 10.0);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
    let mut amplitudes = ReleaseModel::new(params())
        .random(&times, &mut rng)
        .unwrap()
        .amplitudes();
    amplitudes[5] = f64::NAN;
    let mut csv = String::from("spike_time,amplitude\n");
    for (t, a) in times.iter().zip(&amplitudes) {
        if a.is_nan() {
            csv.push_str(&format!("{t:?},\n"));
        } else {
            csv.push_str(&format!("{t:?},{a:?}\n"));
        }
    }
    let events_path = dir.join(format!("{name}-events.csv"));
    std::fs::write(&events_path, csv).unwrap();
    (params_path, events_path, times, amplitudes)
}

#[test]
fn run_scores_events_like_the_library() {
    let (params_path, events_path, times, amplitudes) = inputs("run");
    let json = synphys(&[
        "release",
        "run",
        "--params",
        params_path.to_str().unwrap(),
        "--events",
        events_path.to_str().unwrap(),
        "--format",
        "json",
    ])
    .json();
    let expected = ReleaseModel::new(params())
        .likelihood(&times, &amplitudes)
        .unwrap();
    assert_eq!(json["score"].as_f64(), expected.score());
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), times.len());
    for (printed, event) in events.iter().zip(expected.events()) {
        assert_eq!(printed["spike_time"].as_f64(), Some(event.spike_time));
        assert_eq!(printed["likelihood"].as_f64(), event.likelihood);
        assert_eq!(
            printed["expected_amplitude"].as_f64(),
            event.expected_amplitude
        );
        assert_eq!(
            printed["release_probability"].as_f64(),
            event.pre_spike.map(|s| s.release_probability)
        );
        assert_eq!(
            printed["vesicle_pool"].as_f64(),
            event.pre_spike.map(|s| s.vesicle_pool)
        );
    }
    // The missing event is null, and carries no likelihood.
    assert!(events[5]["amplitude"].is_null() && events[5]["likelihood"].is_null());
}

#[test]
fn simulate_uses_protocols_spikes_and_seeds() {
    let (params_path, ..) = inputs("simulate");
    let p = params_path.to_str().unwrap();
    let protocol = synphys(&[
        "release",
        "simulate",
        "--params",
        p,
        "--protocol",
        "50hz:250ms",
        "--trials",
        "10",
        "--format",
        "json",
    ])
    .json();
    let times: Vec<f64> = protocol["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["spike_time"].as_f64().unwrap())
        .collect();
    assert_eq!(
        times,
        synphys_release_model::twelve_pulse_train(0.0, 50.0, 0.25)
    );
    let with_seed = |seed: &str| {
        synphys(&[
            "release",
            "simulate",
            "--params",
            p,
            "--spikes",
            "100ms,0.2",
            "--trials",
            "10",
            "--seed",
            seed,
            "--format",
            "csv",
        ])
    };
    let spikes = with_seed("5");
    let (header, rows) = spikes.csv();
    assert_eq!(
        header,
        [
            "spike_time",
            "expected_amplitude",
            "mean_amplitude",
            "std_amplitude"
        ]
    );
    assert_eq!((rows[0][0].as_str(), rows[1][0].as_str()), ("0.1", "0.2"));
    let again = with_seed("5");
    assert_eq!(again.ok(), spikes.ok(), "a seed gives the same trials");
    let other = with_seed("6");
    assert_ne!(other.ok(), spikes.ok());
}

pub(crate) const GRID: &str = r#"{"n_release_sites": [1, 2, 3, 4], "base_release_probability": [0.4, 0.6, 0.76, 0.9],
 "mini_amplitude_cv": [0.25], "depression_amount": [0.0, 0.125], "depression_tau": 0.107672015410588,
 "facilitation_amount": 0.375, "facilitation_tau": 2.56}"#;

#[test]
fn fit_shards_and_merge_agree_with_the_library() {
    let (_, events_path, times, amplitudes) = inputs("fit");
    let dir = scratch();
    let grid = dir.join("grid.json");
    std::fs::write(&grid, GRID).unwrap();
    let (e, g) = (events_path.to_str().unwrap(), grid.to_str().unwrap());
    let whole = synphys(&[
        "release",
        "fit",
        "--events",
        e,
        "--measurement-stdev",
        "86.2167096775792uV",
        "--grid",
        g,
        "--threads",
        "2",
        "--format",
        "json",
    ])
    .json();

    let space = ParamSpace::builder()
        .axis(Param::NReleaseSites, vec![1.0, 2.0, 3.0, 4.0])
        .axis(Param::BaseReleaseProbability, vec![0.4, 0.6, 0.76, 0.9])
        .axis(Param::MiniAmplitudeCv, vec![0.25])
        .axis(Param::DepressionAmount, vec![0.0, 0.125])
        .fixed(Param::DepressionTau, 0.107672015410588)
        .fixed(Param::FacilitationAmount, 0.375)
        .fixed(Param::FacilitationTau, 2.56)
        .fixed(Param::MeasurementStdev, 86.2167096775792e-6)
        .build()
        .unwrap();
    let result = Search::new(&space, &times, &amplitudes).run().unwrap();
    let best = result.best().unwrap();
    assert_eq!(whole["score"].as_f64(), Some(best.score));
    for p in Param::ALL {
        assert_eq!(
            whole["best"][p.name()].as_f64(),
            Some(best.params.get(p)),
            "{}",
            p.name()
        );
    }
    let region = result
        .confidence_region(Param::BaseReleaseProbability, 0.95)
        .unwrap();
    assert_eq!(
        whole["confidence_regions"]["base_release_probability"]["values"],
        serde_json::to_value(&region.values).unwrap()
    );

    let mut shards = Vec::new();
    for i in 0..3 {
        let out = dir.join(format!("shard-{i}.bin"));
        let run = synphys(&[
            "release",
            "fit",
            "--events",
            e,
            "--measurement-stdev",
            "86.2167096775792uV",
            "--grid",
            g,
            "--shard",
            &format!("{i}/3"),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.ok().is_empty());
        assert!(
            run.stderr.contains(&format!("wrote shard {i}/3")),
            "{}",
            run.stderr
        );
        shards.push(out.to_str().unwrap().to_string());
    }
    let merged_path = dir.join("merged.json");
    let mut args = vec!["release", "merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", merged_path.to_str().unwrap()]);
    synphys(&args).ok();
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&merged_path).unwrap()).unwrap();
    assert_eq!(merged, whole, "merged shards equal one run");
    // Fewer shards than written cannot merge.
    synphys(&["release", "merge", &shards[0], &shards[1]]).fails_with(&["merge"]);
}

#[test]
fn fit_needs_a_noise_level_with_an_events_file() {
    let (_, events_path, ..) = inputs("noise");
    let run = synphys(&["release", "fit", "--events", events_path.to_str().unwrap()]);
    run.fails_with(&["--measurement-stdev"]);
    let run = synphys(&[
        "release",
        "fit",
        "--events",
        events_path.to_str().unwrap(),
        "--measurement-stdev",
        "0.1mV",
        "--grid",
        "nosuch.json",
    ]);
    run.fails_with(&["nosuch.json", "default, coarse"]);
}
