use super::*;
use crate::binomial::Coefficients;
use crate::engine::tables::DepletionTable;
use crate::model::ReleaseModel;
use crate::optim::{maximise, nelder_mead};
use crate::params::{Param, ReleaseParams};
use rand::{RngExt, SeedableRng};

/// A realistic train protocol and amplitudes simulated from `truth`, with a few
/// missing events.
fn synapse(truth: &ReleaseParams, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let times = crate::train_protocol(&[20.0, 50.0, 100.0], &[0.25, 1.0], 6, 12.0);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let mut amps = ReleaseModel::new(*truth)
        .random(&times, &mut rng)
        .unwrap()
        .amplitudes();
    for i in (3..amps.len()).step_by(17) {
        amps[i] = f64::NAN;
    }
    (times, amps)
}

fn random_params(rng: &mut rand_pcg::Pcg64, depletion: bool) -> ReleaseParams {
    let n = [1u32, 2, 3, 5, 8, 12, 24, 32, 100][rng.random_range(0..9)];
    ReleaseParams::from_values([
        f64::from(n),
        rng.random_range(0.02..1.0),
        rng.random_range(0.05e-3..0.5e-3) * if rng.random_bool(0.3) { -1.0 } else { 1.0 },
        rng.random_range(0.05..1.0),
        if depletion {
            -1.0
        } else {
            rng.random_range(0.0..1.0)
        },
        rng.random_range(0.01..2.0),
        rng.random_range(0.0..1.0),
        rng.random_range(0.01..2.0),
        rng.random_range(0.02e-3..0.2e-3),
    ])
    .unwrap()
}

/// Builds the engine's view of `params` and returns (score at `q`, score and
/// derivatives at `q` from the portable kernel, the same from the dispatched one).
fn engine_scores(
    params: &ReleaseParams,
    times: &[f64],
    amps: &[f64],
    q: f64,
    source: Coefficients,
) -> [(f64, f64, f64); 2] {
    let syn = Synapse::new(times, amps, 0.0).unwrap();
    let n = params.n_release_sites();
    let dep_decay = syn.decay(params.depression_tau());
    let fac_decay = syn.decay(params.facilitation_tau());
    let mut probs = Trajectory::default();
    let dep_amount = if params.vesicle_depletion() {
        0.0
    } else {
        params.depression_amount()
    };
    release_probabilities(
        params.base_release_probability(),
        dep_amount,
        &dep_decay,
        params.facilitation_amount(),
        &fac_decay,
        &mut probs,
    );
    let ln_c = LnCoefficients::new(n, source).unwrap();
    let mut work = Work::default();
    work.trial.set(
        n,
        q,
        params.mini_amplitude_cv(),
        params.measurement_stdev(),
        ln_term_floor(n),
    );
    let (portable, dispatched) = if params.vesicle_depletion() {
        let t = DepletionTable::new(
            &syn,
            n,
            &probs,
            &dep_decay,
            &ln_c,
            params.measurement_stdev(),
        );
        let a = t.evaluate_portable::<true>(&mut work);
        let b = t.evaluate::<true>(&mut work);
        (a, b)
    } else {
        let mut t = FixedTable::default();
        t.build(&syn, n, &probs, &ln_c, params.measurement_stdev());
        let a = t.evaluate_portable::<true>(&work.trial);
        let b = t.evaluate::<true>(&work.trial);
        (a, b)
    };
    [means(&portable), means(&dispatched)]
}

fn straightforward(
    params: &ReleaseParams,
    times: &[f64],
    amps: &[f64],
    q: f64,
    source: Coefficients,
) -> f64 {
    ReleaseModel::builder(params.with(Param::MiniAmplitude, q).unwrap())
        .coefficients(source)
        .build()
        .unwrap()
        .likelihood(times, amps)
        .unwrap()
        .score()
        .unwrap()
}

#[test]
fn fast_score_equals_the_straightforward_model() {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
    let mut worst = 0.0f64;
    for case in 0..80 {
        let truth = random_params(&mut rng, case % 3 == 0);
        let (times, amps) = synapse(&truth, case);
        let source = if case % 2 == 0 {
            Coefficients::Exact
        } else {
            Coefficients::ReferenceTable
        };
        if source == Coefficients::ReferenceTable && truth.n_release_sites() > 66 {
            continue;
        }
        // Score the data at the truth and at a wrong q (a poor fit has tiny densities).
        for factor in [1.0, 0.37, 2.9] {
            let q = truth.mini_amplitude() * factor;
            let slow = straightforward(&truth, &times, &amps, q, source);
            for (f, _, _) in engine_scores(&truth, &times, &amps, q, source) {
                let rel = ((f.exp() - slow) / slow).abs();
                worst = worst.max(rel);
                assert!(
                    rel < 1e-12,
                    "case {case} factor {factor}: {} vs {slow} ({rel:e})",
                    f.exp()
                );
            }
        }
    }
    eprintln!("worst relative difference {worst:e}");
}

#[test]
fn simd_and_portable_kernels_agree() {
    // Without AVX2 + FMA the dispatched kernel is the portable one: comparing it with
    // itself would check nothing.
    if !crate::simd::available() {
        eprintln!(
            "SKIPPED simd_and_portable_kernels_agree: this CPU lacks AVX2 + FMA, so there is \
             no SIMD kernel to compare with the portable one"
        );
        return;
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(12);
    for case in 0..40 {
        let truth = random_params(&mut rng, case % 2 == 0);
        let (times, amps) = synapse(&truth, case);
        let [a, b] = engine_scores(
            &truth,
            &times,
            &amps,
            truth.mini_amplitude() * 1.3,
            Coefficients::Exact,
        );
        assert!(
            (a.0 - b.0).abs() <= 1e-14 * a.0.abs().max(1.0),
            "{a:?} {b:?}"
        );
        assert!(
            (a.1 - b.1).abs() <= 1e-11 * a.1.abs().max(1.0),
            "{a:?} {b:?}"
        );
        assert!(
            (a.2 - b.2).abs() <= 1e-11 * a.2.abs().max(1.0),
            "{a:?} {b:?}"
        );
    }
}

/// |got − want| ≤ tol·(1 + |want|).
fn assert_within(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol * (1.0 + want.abs()),
        "{what}: {got} vs {want}"
    );
}

#[test]
fn depletion_pool_from_deficits_equals_the_step_by_step_pool() {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(15);
    let mut ties = 0;
    for case in 0..40 {
        let truth = random_params(&mut rng, true);
        let (times, amps) = synapse(&truth, case);
        let syn = Synapse::new(&times, &amps, 0.0).unwrap();
        let n = truth.n_release_sites();
        let recovery = syn.decay(truth.depression_tau());
        let mut probs = Trajectory::default();
        release_probabilities(
            truth.base_release_probability(),
            0.0,
            &recovery,
            truth.facilitation_amount(),
            &syn.decay(truth.facilitation_tau()),
            &mut probs,
        );
        let ln_c = LnCoefficients::new(n, Coefficients::Exact).unwrap();
        let sigma = truth.measurement_stdev();
        let table = DepletionTable::new(&syn, n, &probs, &recovery, &ln_c, sigma);
        let (mut fast, mut slow) = (Work::default(), Work::default());
        let mut compare = |q: f64| {
            fast.trial
                .set(n, q, truth.mini_amplitude_cv(), sigma, ln_term_floor(n));
            let trial = &fast.trial;
            table.fill(trial, &mut fast.lanes);
            table.fill_step_by_step(trial, &mut slow.lanes);
            let (a, b) = (&fast.lanes, &slow.lanes);
            assert_eq!(a.m, b.m, "case {case} q {q:e}");
            assert_eq!((&a.sites, &a.row), (&b.sites, &b.row));
            assert_eq!((&a.x, &a.lp, &a.lq), (&b.x, &b.lp, &b.lq));
            assert_eq!((&a.lo, &a.hi), (&b.lo, &b.hi));
        };
        for factor in [0.05, 0.3, 0.9, 1.0, 1.7, 6.0] {
            compare(truth.mini_amplitude() * factor);
        }
        // A pool within rounding of a half-integer (0.5 at one counted event)
        // takes the step-by-step path.
        let c = *table.deficit.last().unwrap();
        if c != 0.0 && n > 1 {
            compare(c / (f64::from(n) - 0.5));
            ties += 1;
        }
    }
    assert!(ties > 10);
}

#[test]
fn analytic_derivatives_match_finite_differences() {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(13);
    for case in 0..30 {
        let truth = random_params(&mut rng, false);
        let (times, amps) = synapse(&truth, case);
        let q = truth.mini_amplitude() * rng.random_range(0.5..2.0);
        let h = 1e-4;
        let f = |u: f64| engine_scores(&truth, &times, &amps, q * u.exp(), Coefficients::Exact)[1];
        let (f0, g0, h0) = f(0.0);
        let (fp, gp, _) = f(h);
        let (fm, gm, _) = f(-h);
        let g_fd = (fp - fm) / (2.0 * h);
        let h_fd = (gp - gm) / (2.0 * h);
        let second = (fp - 2.0 * f0 + fm) / (h * h);
        assert_within(g_fd, g0, 1e-5, &format!("case {case}: g"));
        assert_within(h_fd, h0, 1e-4, &format!("case {case}: h"));
        assert_within(
            second,
            h0,
            1e-2,
            &format!("case {case}: h (second difference)"),
        );
    }
}

#[test]
fn newton_reaches_the_maximum_of_a_smooth_function() {
    for centre in [-3.0, -0.4, 0.0, 0.8, 4.0, 6.0] {
        let opt = maximise(
            |u| {
                (
                    -(u - centre) * (u - centre) - 0.1 * (u - centre).powi(4),
                    -2.0 * (u - centre) - 0.4 * (u - centre).powi(3),
                    -2.0 - 1.2 * (u - centre).powi(2),
                )
            },
            0.0,
            U_BOUNDS.0,
            U_BOUNDS.1,
        );
        let expected = centre.clamp(U_BOUNDS.0, U_BOUNDS.1);
        assert!((opt.u - expected).abs() < 1e-3, "centre {centre}: {opt:?}");
    }
}

#[test]
fn nelder_mead_minimises_a_parabola_like_scipy() {
    let (x, f, calls) = nelder_mead(|x| (x - 3.0) * (x - 3.0), 1.0);
    assert!(
        (x - 3.0).abs() < 0.2 && f <= 0.01 && calls < 60,
        "{x} {f} {calls}"
    );
}

#[test]
fn estimate_rejects_zero_release_probability() {
    assert!(raw_estimate(1e-3, 3, 0.0).is_err());
    assert!(raw_estimate(0.0, 3, 0.5).is_err());
    assert!(raw_estimate(1e-3, 3, 1e-320).is_err());
}

/// `release_optimize.json` records every model run of the reference's optimisation in
/// call order (the first is its initial-likelihood run at the raw estimate, the rest
/// are Nelder–Mead's calls). Every fit follows that path first, in both modes: check it
/// call by call. In depletion mode the path's end is the result; outside it, Newton
/// may only climb from there.
#[test]
fn nelder_mead_path_follows_the_reference_call_by_call() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/golden/release_optimize.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let golden: serde_json::Value = serde_json::from_str(&text).unwrap();
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let mut checked = 0;
    for case in golden["cases"].as_array().unwrap() {
        let label = case["label"].as_str().unwrap();
        let mut values = [0.0; 9];
        for p in Param::ALL {
            values[p.index()] = num(&case["params"][p.name()]);
        }
        let params = ReleaseParams::from_values(values).unwrap();
        let depletion = params.vesicle_depletion();
        let floats =
            |key: &str| -> Vec<f64> { case[key].as_array().unwrap().iter().map(num).collect() };
        let (times, amps) = (floats("spike_times"), floats("amplitudes"));
        let syn = Synapse::new(&times, &amps, 0.0).unwrap();
        let n = params.n_release_sites();
        let recovery = syn.decay(params.depression_tau());
        let mut probs = Trajectory::default();
        release_probabilities(
            params.base_release_probability(),
            if depletion {
                0.0
            } else {
                params.depression_amount()
            },
            &recovery,
            params.facilitation_amount(),
            &syn.decay(params.facilitation_tau()),
            &mut probs,
        );
        let base = params.base_release_probability();
        let pool = depletion.then_some(recovery.as_slice());
        let start = starting_point(&syn, n, base, &probs.p, pool).unwrap();
        let ln_c = LnCoefficients::new(n, Coefficients::Exact).unwrap();
        let sigma = params.measurement_stdev();
        let depletion_table = DepletionTable::new(&syn, n, &probs, &recovery, &ln_c, sigma);
        let mut fixed_table = FixedTable::default();
        fixed_table.build(&syn, n, &probs, &ln_c, sigma);
        let (mut work, mut trace) = (Work::default(), Vec::new());
        let cv = params.mini_amplitude_cv();
        let shape = if depletion {
            Shape::Depletion(&depletion_table)
        } else {
            Shape::Fixed(&fixed_table)
        };
        let fit = reference_path(
            shape,
            n,
            start.corrected,
            cv,
            sigma,
            &mut work,
            Some(&mut trace),
        );
        let reference: Vec<(f64, f64)> = case["evaluations_in_call_order"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .map(|e| (num(&e[0]), num(&e[1])))
            .collect();
        assert_eq!(trace.len(), reference.len(), "{label}: number of calls");
        for (i, (&(q, f), &(q_ref, f_ref))) in trace.iter().zip(&reference).enumerate() {
            assert!(
                (q - q_ref).abs() <= 1e-12 * q_ref.abs(),
                "{label} call {i}: q {q:e} vs {q_ref:e}"
            );
            assert!(
                (f - f_ref).abs() <= 1e-8 * f_ref.abs(),
                "{label} call {i}: score {f} vs {f_ref}"
            );
        }
        // ...to the reference's end...
        let best = num(&case["likelihood_at_optimum"]);
        assert!((fit.score - best).abs() <= 1e-8 * best, "{label}");
        // ...which the fit reports in depletion mode and may only improve on outside it.
        let result = optimise_point(shape, n, start.corrected, cv, sigma, &mut work);
        if depletion {
            assert_eq!(result, fit, "{label}");
        } else {
            assert!(result.score >= fit.score, "{label}: {result:?} vs {fit:?}");
        }
        checked += 1;
    }
    assert!(checked > 0, "no case in release_optimize.json");
}
