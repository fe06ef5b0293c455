//! Statistical checks that the small demo database is drawn from its truth: connection
//! counts per class pair, the distance profile of pooled mouse connections, and the
//! short-term dynamics of facilitating and depressing class pairs.

mod common;

use std::collections::BTreeMap;

use common::{open, small};
use synphys_connectivity::{FitOptions, GaussianModel};
use synphys_demo::{CellType, PairConditions, Species, Truth};

/// One probed pair as read back from the database.
struct ProbedPair {
    species: Species,
    pre_class: String,
    post_class: String,
    lateral_m: f64,
    connected: bool,
    conditions: PairConditions,
}

/// Probed pairs (test spikes of the truth type of the presynaptic class > 10), with
/// everything the truth's connection probability depends on, read from the file.
fn probed_pairs(truth: &Truth) -> Vec<ProbedPair> {
    let db = open(&small().path);
    let mut statement = db
        .prepare(
            "SELECT s.species, pre.meta, post.meta, p.lateral_distance, p.has_synapse,
                    p.n_ex_test_spikes, p.n_in_test_spikes, pre.depth, post.depth,
                    m.axon_trunc_distance
             FROM pair p
             JOIN cell pre ON pre.id = p.pre_cell_id
             JOIN cell post ON post.id = p.post_cell_id
             JOIN experiment e ON e.id = p.experiment_id
             JOIN slice s ON s.id = e.slice_id
             LEFT JOIN morphology m ON m.cell_id = pre.id",
        )
        .unwrap();
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, f64>(7)?,
                r.get::<_, f64>(8)?,
                r.get::<_, Option<f64>>(9)?,
            ))
        })
        .unwrap();
    let mut out = Vec::new();
    for row in rows {
        let (
            species,
            pre_meta,
            post_meta,
            lateral,
            connected,
            n_ex,
            n_in,
            pre_depth,
            post_depth,
            axon,
        ) = row.unwrap();
        let species = if species == "mouse" {
            Species::Mouse
        } else {
            Species::Human
        };
        let pre_meta: serde_json::Value = serde_json::from_str(&pre_meta).unwrap();
        let post_meta: serde_json::Value = serde_json::from_str(&post_meta).unwrap();
        let pre_class = pre_meta["demo_class"].as_str().unwrap().to_string();
        let post_class = post_meta["demo_class"].as_str().unwrap().to_string();
        let n = match truth.class(species, &pre_class).unwrap().cell_type {
            CellType::Excitatory => n_ex,
            CellType::Inhibitory => n_in,
        };
        if n <= 10 {
            assert!(!connected, "an unprobed pair is connected");
            continue;
        }
        out.push(ProbedPair {
            species,
            pre_class,
            post_class,
            lateral_m: lateral,
            connected,
            conditions: PairConditions {
                lateral_distance_m: lateral,
                pre_axon_trunc_distance_m: axon,
                mean_depth_m: 0.5 * (pre_depth + post_depth),
                n_test_spikes: n,
                post_noise_v: post_meta["baseline_noise_v"].as_f64().unwrap(),
            },
        });
    }
    out
}

/// Exact two-sided tail probability of `observed` successes of independent Bernoulli
/// trials with probabilities `p` (Poisson-binomial, by dynamic programming).
fn poisson_binomial_two_sided(p: &[f64], observed: usize) -> f64 {
    let mut pmf = vec![1.0];
    for &pi in p {
        let mut next = vec![0.0; pmf.len() + 1];
        for (k, &mass) in pmf.iter().enumerate() {
            next[k] += mass * (1.0 - pi);
            next[k + 1] += mass * pi;
        }
        pmf = next;
    }
    let lower: f64 = pmf[..=observed.min(pmf.len() - 1)].iter().sum();
    let upper: f64 = pmf[observed.min(pmf.len())..].iter().sum();
    (2.0 * lower.min(upper)).min(1.0)
}

#[test]
fn poisson_binomial_tail_matches_the_binomial() {
    // 10 fair coins: P(X <= 2) = 56/1024, two-sided 112/1024.
    let p = poisson_binomial_two_sided(&[0.5; 10], 2);
    assert!((p - 112.0 / 1024.0).abs() < 1e-12, "{p}");
    assert_eq!(poisson_binomial_two_sided(&[0.5; 10], 5), 1.0);
}

/// The connected count of every class pair with at least 30 probed pairs is consistent
/// with the truth: the exact Poisson-binomial test of the count given each pair's true
/// probability (pmax × distance Gaussian × bias factors) is not rejected at a
/// family-wise level of 1e-4 (Bonferroni over the class pairs tested).
#[test]
fn connected_counts_per_class_pair_match_the_truth() {
    let truth = Truth::default();
    let pairs = probed_pairs(&truth);
    let mut groups: BTreeMap<(Species, &str, &str), (Vec<f64>, usize)> = BTreeMap::new();
    for pair in &pairs {
        let class_pair = truth
            .class_pair(pair.species, &pair.pre_class, &pair.post_class)
            .unwrap();
        let p = truth.connection_probability(&class_pair, &pair.conditions);
        let group = groups
            .entry((pair.species, &pair.pre_class, &pair.post_class))
            .or_default();
        group.0.push(p);
        group.1 += usize::from(pair.connected);
    }
    let tested: Vec<_> = groups.iter().filter(|(_, (p, _))| p.len() >= 30).collect();
    assert!(
        tested.len() >= 40,
        "only {} class pairs with 30 probes",
        tested.len()
    );
    let level = 1e-4 / tested.len() as f64;
    let mut worst = (1.0, String::new());
    for ((species, pre, post), (p, observed)) in &tested {
        let tail = poisson_binomial_two_sided(p, *observed);
        let expected: f64 = p.iter().sum();
        assert!(
            tail >= level,
            "{species} {pre} → {post}: {observed} connected of {} probed, truth expects {expected:.1} (p = {tail:.2e})",
            p.len()
        );
        if tail < worst.0 {
            worst = (tail, format!("{pre} → {post}"));
        }
    }
    eprintln!(
        "{} class pairs tested; smallest p = {:.3} ({})",
        tested.len(),
        worst.0,
        worst.1
    );
    // The totals agree too.
    let expected: f64 = groups.values().flat_map(|(p, _)| p).sum();
    let observed: usize = groups.values().map(|(_, k)| k).sum();
    let sd = groups
        .values()
        .flat_map(|(p, _)| p)
        .map(|p| p * (1.0 - p))
        .sum::<f64>()
        .sqrt();
    assert!(
        ((observed as f64) - expected).abs() < 5.0 * sd,
        "{observed} vs {expected:.0} ± {sd:.0}"
    );
}

fn gaussian_sigma(pairs: &[ProbedPair], truth: &Truth, post: CellType) -> f64 {
    let (x, y): (Vec<f64>, Vec<bool>) = pairs
        .iter()
        .filter(|p| p.species == Species::Mouse)
        .filter(|p| truth.class(p.species, &p.pre_class).unwrap().cell_type == CellType::Excitatory)
        .filter(|p| truth.class(p.species, &p.post_class).unwrap().cell_type == post)
        .map(|p| (p.lateral_m, p.connected))
        .unzip();
    let fit = GaussianModel::fit(&x, &y, &FitOptions::new()).unwrap();
    eprintln!(
        "E → {post:?}: {} probed, {} connected, σ = {:.1} µm, pmax = {:.3}",
        x.len(),
        y.iter().filter(|&&c| c).count(),
        fit.model.sigma_m() * 1e6,
        fit.model.pmax()
    );
    fit.model.sigma_m()
}

/// A maximum-likelihood Gaussian fit of pooled mouse E → E and E → I connections against
/// lateral distance recovers the truth's σ within 20 % (the bias factors do not depend on
/// distance, so they only scale pmax).
#[test]
fn gaussian_fit_recovers_sigma() {
    let truth = Truth::default();
    let pairs = probed_pairs(&truth);
    let ee = gaussian_sigma(&pairs, &truth, CellType::Excitatory);
    let ei = gaussian_sigma(&pairs, &truth, CellType::Inhibitory);
    let want_ee = truth.defaults.ee.sigma_m;
    let want_ei = truth.defaults.ei.sigma_m;
    assert!((ee / want_ee - 1.0).abs() < 0.2, "E→E σ {ee} vs {want_ee}");
    assert!((ei / want_ei - 1.0).abs() < 0.2, "E→I σ {ei} vs {want_ei}");
}

/// Dynamics rows computed from simulated events show each release set's character:
/// facilitating class pairs have a higher mean 50 Hz induction than strongly depressing
/// ones, and the latter are negative; the model's own simulated counterparts
/// (`synapse_model.ml_stp_induction_50hz`) agree.
#[test]
fn dynamics_reflect_the_release_sets() {
    let db = open(&small().path);
    let mut statement = db
        .prepare(
            "SELECT m.meta, d.stp_induction_50hz, m.ml_stp_induction_50hz, d.qc_pass
             FROM dynamics d JOIN synapse_model m ON m.pair_id = d.pair_id",
        )
        .unwrap();
    // Per release set: measured and simulated induction values.
    let mut by_set: BTreeMap<String, [Vec<f64>; 2]> = BTreeMap::new();
    let mut n_qc = 0;
    for row in statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<f64>>(1)?,
                r.get::<_, Option<f64>>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .unwrap()
    {
        let (meta, measured, simulated, qc) = row.unwrap();
        n_qc += usize::from(qc);
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        let set = by_set
            .entry(meta["demo_release_set"].as_str().unwrap().to_string())
            .or_default();
        set[0].extend(measured);
        set[1].extend(simulated);
    }
    assert!(n_qc > 1000, "{n_qc} dynamics rows pass QC");
    for (which, name) in [(0, "dynamics"), (1, "synapse_model.ml_")] {
        let mean = |set: &str| {
            let v = &by_set[set][which];
            assert!(v.len() > 100, "{set}: {} values", v.len());
            v.iter().sum::<f64>() / v.len() as f64
        };
        let (fac, dep) = (mean("facilitating"), mean("strongly_depressing"));
        eprintln!("{name} stp_induction_50hz: facilitating {fac:.3}, strongly depressing {dep:.3}");
        assert!(
            fac > dep + 0.2,
            "{name}: facilitating {fac} vs depressing {dep}"
        );
        assert!(dep < 0.0 && fac > 0.0, "{name}");
    }
}
