//! Group summaries, priors (JSON/CSV, clamp flag, rules) and connectome sampling.

mod common;

use common::synth::{outcomes, realistic_distances, rng};
use synphys_connectivity::{
    ClassPair, ConnectionRule, ConnectivityModel, ConnectivityPrior, DistanceMeasure,
    DistanceModelKind, ErrorKind, ExactPmax, GaussianModel, Kernel, PairRecord, PlacedCell,
    PreferredAdjustment, SummaryOptions, distance_adjusted_connectivity, measure_connectivity,
    priors_from_json, priors_to_csv, priors_to_json, sample_connectome,
};

fn group(n: usize, pmax: f64, seed: u64) -> Vec<PairRecord> {
    let mut r = rng(seed);
    let x = realistic_distances(n, &mut r);
    let truth = GaussianModel::new(pmax.min(1.0), 100e-6).unwrap();
    let connected = outcomes(
        &x,
        |x| pmax * (-x * x / (2.0 * truth.sigma_m().powi(2))).exp(),
        &mut r,
    );
    let gaps = outcomes(&x, |x| 0.05 * (-x / 80e-6).exp(), &mut r);
    x.iter()
        .zip(connected)
        .zip(gaps)
        .enumerate()
        .map(|(i, ((&x, c), g))| {
            let mut p = PairRecord::new(i as u64, 10_000 + i as u64);
            p.lateral_distance_m = x;
            p.distance_m = (x * x + 1e-10).sqrt();
            p.probed = i % 10 != 0;
            p.connected = c && p.probed;
            p.gap_junction_probed = i % 3 == 0;
            p.gap_junction = g && p.gap_junction_probed;
            if i % 17 == 0 {
                p.lateral_distance_m = f64::NAN;
            }
            p
        })
        .collect()
}

#[test]
fn summaries_count_and_adjust_like_the_underlying_functions() {
    let pairs = group(600, 0.2, 1);
    let options = SummaryOptions::new()
        .sigma(100e-6)
        .gap_junction_sigma(75e-6)
        .distance(DistanceMeasure::Lateral)
        .fit(DistanceModelKind::Gaussian);
    let s = measure_connectivity(
        [(ClassPair::new("pyr", "pvalb"), pairs.as_slice())],
        &options,
    )
    .unwrap();
    let g = &s[0];
    let probed: Vec<&PairRecord> = pairs.iter().filter(|p| p.probed).collect();
    assert_eq!(g.connection.n_probed, probed.len() as u64);
    assert_eq!(
        g.connection.n_connected,
        probed.iter().filter(|p| p.connected).count() as u64
    );
    let gaps: Vec<&PairRecord> = pairs.iter().filter(|p| p.gap_junction_probed).collect();
    assert_eq!(g.gap_junction.n_probed, gaps.len() as u64);
    assert_eq!(
        g.gap_junction.n_connected,
        gaps.iter().filter(|p| p.gap_junction).count() as u64
    );
    // The adjustment uses the probed pairs with a known lateral distance.
    let (x, y): (Vec<f64>, Vec<bool>) = probed
        .iter()
        .filter(|p| p.lateral_distance_m.is_finite())
        .map(|p| (p.lateral_distance_m, p.connected))
        .unzip();
    assert_eq!(g.n_with_distance, x.len() as u64);
    let scaled = distance_adjusted_connectivity(&x, &y, 100e-6, 0.05)
        .unwrap()
        .unwrap();
    let key = |a: synphys_connectivity::AdjustedConnectivity| {
        (
            a.pmax,
            a.lower,
            a.upper,
            a.n_probed,
            a.n_connected,
            a.method,
        )
    };
    assert_eq!(key(g.adjusted.unwrap()), key(scaled));
    let exact = ExactPmax::gaussian(100e-6)
        .estimate(&x, &y)
        .unwrap()
        .unwrap();
    assert_eq!(g.adjusted_exact.unwrap(), exact);
    // With σ given, the fit holds it fixed; its pmax is then the exact estimate (the fit
    // bounds pmax to [0.001, 1], which contains it here). Above 256 unconnected pairs the
    // fit searches compressed data and accepts the optimum once a Newton step on the raw
    // data would gain less than 1e-10 of the likelihood: equal NLL to that, pmax to ~1e-5.
    let fit = g.fit.as_ref().unwrap();
    assert_eq!(fit.model.size_m(), 100e-6);
    let at_exact = -GaussianModel::new(exact.pmax, 100e-6)
        .unwrap()
        .log_likelihood(&x, &y)
        .unwrap();
    assert!(fit.nll <= at_exact + 1e-10 * at_exact.abs());
    assert!((fit.model.pmax() - exact.pmax).abs() <= 1e-5 * exact.pmax);
    assert_eq!(g.adjusted_gap_junction.unwrap().scale_m, 75e-6);
}

#[test]
fn priors_round_trip_and_flag_a_clamped_pmax() {
    // Every probed pair connected at long distance: the adjusted pmax exceeds 1.
    let mut far: Vec<PairRecord> = (0..20u64)
        .map(|i| {
            let mut p = PairRecord::new(i, 100 + i);
            p.probed = true;
            p.connected = i % 2 == 0;
            p.lateral_distance_m = 250e-6;
            p
        })
        .collect();
    far[1].connected = true;
    let near = group(300, 0.15, 2);
    let options = SummaryOptions::new()
        .sigma(100e-6)
        .distance(DistanceMeasure::Lateral);
    let summaries = measure_connectivity(
        [
            (ClassPair::new("a", "b"), far.as_slice()),
            (ClassPair::new("a", "a"), near.as_slice()),
            (ClassPair::new("b", "b"), &[][..]),
        ],
        &options,
    )
    .unwrap();
    let priors: Vec<ConnectivityPrior> = summaries
        .iter()
        .map(|s| ConnectivityPrior::from_summary(s, PreferredAdjustment::Scaled))
        .collect();
    let clamped = &priors[0];
    assert!(clamped.pmax_clamped && clamped.adjusted_pmax.unwrap() > 1.0);
    let rule = clamped.rule().unwrap();
    assert_eq!(rule.pmax, 1.0);
    assert_eq!(rule.unclamped_pmax, clamped.adjusted_pmax.unwrap());
    assert!(!priors[1].pmax_clamped);
    assert!(
        priors
            .iter()
            .all(|p| p.distance_measure == DistanceMeasure::Lateral)
    );
    // An empty group has no rule.
    assert!(matches!(
        priors[2].rule().unwrap_err().kind(),
        ErrorKind::IncompletePrior { .. }
    ));

    let json = priors_to_json(&priors).unwrap();
    let back = priors_from_json(&json).unwrap();
    assert_eq!(priors_to_json(&back).unwrap(), json);
    assert!(back[2].raw_probability.is_nan());

    let csv = priors_to_csv(&priors).unwrap();
    let header = csv.lines().next().unwrap();
    for column in [
        "sigma_m",
        "fit_size_m",
        "pmax_clamped",
        "kernel",
        "adjusted_method",
    ] {
        assert!(header.split(',').any(|c| c == column), "{header}");
    }
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn sampled_connectomes_are_seeded_and_follow_the_rules() {
    let cells: Vec<PlacedCell> = (0..400)
        .map(|i| PlacedCell {
            class: if i % 4 == 0 {
                "pv".into()
            } else {
                "pyr".into()
            },
            position_m: [
                (i % 20) as f64 * 25e-6,
                (i / 20) as f64 * 25e-6,
                (i % 7) as f64 * 40e-6,
            ],
        })
        .collect();
    let rules = [
        ConnectionRule::new(
            "pyr",
            "pv",
            Kernel::Gaussian,
            0.4,
            100e-6,
            DistanceMeasure::Lateral,
        )
        .unwrap(),
        ConnectionRule::new(
            "pyr",
            "pyr",
            Kernel::Exponential,
            0.1,
            80e-6,
            DistanceMeasure::Distance3d,
        )
        .unwrap(),
    ];
    let a = sample_connectome(&cells, &rules, 5).unwrap();
    assert_eq!(a, sample_connectome(&cells, &rules, 5).unwrap());
    assert_ne!(a, sample_connectome(&cells, &rules, 6).unwrap());
    // No rule for pv → anything, and no autapses.
    assert!(
        a.iter()
            .all(|c| cells[c.pre].class == "pyr" && c.pre != c.post)
    );
    // The count matches its expectation within three binomial standard deviations.
    for rule in &rules {
        let (mut mean, mut var) = (0.0, 0.0);
        for (i, pre) in cells.iter().enumerate() {
            for (j, post) in cells.iter().enumerate() {
                if i == j || pre.class != rule.pre_class || post.class != rule.post_class {
                    continue;
                }
                let [dx, dy, dz] = [0, 1, 2].map(|k| pre.position_m[k] - post.position_m[k]);
                let d = match rule.distance_measure {
                    DistanceMeasure::Lateral => dx.hypot(dy),
                    DistanceMeasure::Distance3d => (dx * dx + dy * dy + dz * dz).sqrt(),
                    DistanceMeasure::Vertical => dz.abs(),
                };
                let p = rule.probability(d);
                mean += p;
                var += p * (1.0 - p);
            }
        }
        let count = a
            .iter()
            .filter(|c| {
                cells[c.pre].class == rule.pre_class && cells[c.post].class == rule.post_class
            })
            .count() as f64;
        assert!(
            (count - mean).abs() <= 3.0 * var.sqrt(),
            "{} -> {}: {count} vs {mean}",
            rule.pre_class,
            rule.post_class
        );
    }
    let bad = [PlacedCell {
        class: "pyr".into(),
        position_m: [f64::NAN, 0.0, 0.0],
    }];
    assert!(sample_connectome(&bad, &rules, 1).is_err());
}
