//! `release_grid_sample.json`: at every sampled grid point, the optimised score is never
//! below the reference's (`ours >= score − 1e-6·max(1, |score|)`), both from
//! `optimize_mini_amplitude` and from a `Search` of a space holding the point.

mod common;

use common::{golden, num, nums};
use serde_json::Value;
use synphys_release_model::{Param, ParamSpace, ReleaseModel, ReleaseParams, Search};

/// The point's parameters (every one but the mini amplitude, which the fit ignores and
/// which takes the synapse's generating value here).
fn point_params(point: &Value, truth: &Value) -> ReleaseParams {
    let mut values = [0.0; 9];
    for p in Param::ALL {
        values[p.index()] = if p == Param::MiniAmplitude {
            num(&truth[p.name()])
        } else {
            num(&point["params"][p.name()])
        };
    }
    ReleaseParams::from_values(values).unwrap()
}

/// A space of one point: `params` with the mini amplitude optimised.
fn one_point_space(params: &ReleaseParams) -> ParamSpace {
    let mut builder = ParamSpace::builder();
    builder.axis(
        Param::NReleaseSites,
        vec![f64::from(params.n_release_sites())],
    );
    for p in Param::ALL {
        if p != Param::NReleaseSites && p != Param::MiniAmplitude {
            builder.fixed(p, params.get(p));
        }
    }
    builder.build().unwrap()
}

#[test]
fn no_point_scores_below_the_reference() {
    let g = golden("release_grid_sample.json");
    let (mut higher, mut equal, mut points) = (0usize, 0usize, 0usize);
    // Smallest (ours − reference) / max(1, |reference|) over all points.
    let mut worst_margin = f64::INFINITY;
    let mut failures = Vec::new();
    // Score evaluations per point: (smooth points, their evaluations, depletion ...).
    let mut evaluations = [0u64; 4];
    for synapse in g["synapses"].as_array().unwrap() {
        let name = synapse["name"].as_str().unwrap_or("?");
        let times = nums(&synapse["spike_times"]);
        let amps = nums(&synapse["amplitudes"]);
        for point in synapse["points"].as_array().unwrap() {
            let params = point_params(point, &synapse["truth"]);
            let reference = num(&point["score"]);
            let fit = ReleaseModel::new(params)
                .optimize_mini_amplitude(&times, &amps)
                .unwrap();
            let mode = 2 * usize::from(params.vesicle_depletion());
            evaluations[mode] += 1;
            evaluations[mode + 1] += u64::from(fit.evaluations);
            let scale = reference.abs().max(1.0);
            let margin = (fit.score - reference) / scale;
            worst_margin = worst_margin.min(margin);
            points += 1;
            if margin > 1e-6 {
                higher += 1;
            } else if margin >= -1e-6 {
                equal += 1;
            } else {
                failures.push(format!(
                    "{name} flat index {}: {} < reference {reference} (q {:e} vs {:e})",
                    point["flat_index"],
                    fit.score,
                    fit.params.mini_amplitude(),
                    num(&point["mini_amplitude"]),
                ));
            }
            // The search's path is the single-point fit's, bit for bit.
            let searched = Search::new(&one_point_space(&params), &times, &amps)
                .threads(1)
                .run()
                .unwrap();
            let searched_score = searched.score().iter().next().copied().unwrap();
            assert_eq!(
                searched_score.to_bits(),
                fit.score.to_bits(),
                "{name} flat index {}: search {searched_score} vs fit {}",
                point["flat_index"],
                fit.score
            );
        }
    }
    eprintln!(
        "{points} points: {higher} higher than the reference, {equal} equal (within 1e-6), \
         {} lower; worst relative margin {worst_margin:e}",
        failures.len()
    );
    let per_point = |k: usize| evaluations[k + 1] as f64 / evaluations[k].max(1) as f64;
    eprintln!(
        "score evaluations per point: {:.1} outside depletion mode, {:.1} in it",
        per_point(0),
        per_point(2)
    );
    assert!(points > 0, "no points in release_grid_sample.json");
    assert!(
        failures.is_empty(),
        "{} points below the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
