//! Clopper–Pearson intervals, distance profiles and distance-adjusted connectivity against
//! the Python reference (fixtures/golden/connectivity_ci.json, connectivity_profile.json)
//! and the published checks in fixtures/calibration.md.

mod common;

use common::{bools, cases, close, golden, num, nums};
use synphys_connectivity::{
    ConnectionProbability, DistanceProfile, ErrorKind, clopper_pearson,
    distance_adjusted_connectivity,
};

#[test]
fn clopper_pearson_matches_every_reference_case() {
    let doc = golden("connectivity_ci.json");
    let mut checked = 0;
    let all = cases(&doc, "cases");
    for case in all {
        let k = case["n_connected"].as_u64().unwrap();
        let n = case["n_probed"].as_u64().unwrap();
        let alpha = num(&case["alpha"]);
        let result = clopper_pearson(k, n, alpha);
        if case.get("raises").is_some() {
            let err = result.expect_err("reference raised");
            assert!(
                matches!(err.kind(), ErrorKind::ConnectedExceedsProbed { .. }),
                "{err}"
            );
            continue;
        }
        let (lower, upper) = result.unwrap();
        checked += 1;
        let (el, eu) = (num(&case["lower"]), num(&case["upper"]));
        assert!(
            close(lower, el, 1e-10, 1e-8),
            "{k}/{n} alpha {alpha}: lower {lower} vs {el}"
        );
        assert!(
            close(upper, eu, 1e-10, 1e-8),
            "{k}/{n} alpha {alpha}: upper {upper} vs {eu}"
        );
    }
    let raising = all.iter().filter(|c| c.get("raises").is_some()).count();
    assert_eq!(checked + raising, all.len());
    assert!(checked > 0);
}

#[test]
fn published_calibration_checks() {
    // fixtures/calibration.md: 12/32 → 37.50 % (21.10 – 56.31 %); 4/126 → 3.17 % (0.87 – 7.93 %);
    // 0/23 → 0 % (0 – 14.82 %), Clopper–Pearson at alpha 0.05, given to 0.01 %.
    for (k, n, est, lo, hi) in [
        (12, 32, 37.50, 21.10, 56.31),
        (4, 126, 3.17, 0.87, 7.93),
        (0, 23, 0.0, 0.0, 14.82),
    ] {
        let cp = ConnectionProbability::new(k, n, 0.05).unwrap();
        for (got, want) in [(cp.estimate, est), (cp.lower, lo), (cp.upper, hi)] {
            assert!(
                (100.0 * got - want).abs() <= 0.005 + 1e-9,
                "{k}/{n}: {} vs {want}",
                100.0 * got
            );
        }
    }
}

#[test]
fn distance_profiles_match_the_reference() {
    let doc = golden("connectivity_profile.json");
    for (i, case) in cases(&doc, "profile_cases").iter().enumerate() {
        let connected = nums(&case["connected"]);
        let distance = nums(&case["distance"]);
        let edges = nums(&case["bin_edges"]);
        let profile = DistanceProfile::new(&connected, &distance, &edges, 0.05).unwrap();
        let (prop, lower, upper) = (
            nums(&case["prop"]),
            nums(&case["lower"]),
            nums(&case["upper"]),
        );
        assert_eq!(profile.bins.len(), prop.len());
        for (b, bin) in profile.bins.iter().enumerate() {
            let p = &bin.probability;
            assert!(
                close(p.estimate, prop[b], 1e-15, 0.0),
                "case {i} bin {b}: prop {} vs {}",
                p.estimate,
                prop[b]
            );
            assert!(
                close(p.lower, lower[b], 1e-10, 1e-8),
                "case {i} bin {b}: lower {} vs {}",
                p.lower,
                lower[b]
            );
            assert!(
                close(p.upper, upper[b], 1e-10, 1e-8),
                "case {i} bin {b}: upper {} vs {}",
                p.upper,
                upper[b]
            );
        }
    }
}

#[test]
fn distance_adjusted_connectivity_matches_the_reference() {
    let doc = golden("connectivity_profile.json");
    for (i, case) in cases(&doc, "distance_adjusted_cases").iter().enumerate() {
        let x = nums(&case["x_probed"]);
        let connected = bools(&case["connected"]);
        let sigma = num(&case["sigma"]);
        let alpha = num(&case["alpha"]);
        let result = distance_adjusted_connectivity(&x, &connected, sigma, alpha).unwrap();
        let (pmax, lower, upper) = (num(&case["pmax"]), num(&case["lower"]), num(&case["upper"]));
        match result {
            None => assert!(
                pmax.is_nan() && lower.is_nan() && upper.is_nan(),
                "case {i}: reference has values"
            ),
            Some(adj) => {
                assert!(
                    close(adj.pmax, pmax, 1e-10, 1e-8),
                    "case {i}: pmax {} vs {pmax}",
                    adj.pmax
                );
                assert!(
                    close(adj.lower, lower, 1e-10, 1e-8),
                    "case {i}: lower {} vs {lower}",
                    adj.lower
                );
                assert!(
                    close(adj.upper, upper, 1e-10, 1e-8),
                    "case {i}: upper {} vs {upper}",
                    adj.upper
                );
            }
        }
    }
}
