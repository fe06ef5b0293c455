//! Parameter-space search: agreement with single-point fits, sharding, progress,
//! cancellation and summaries.

use rand::SeedableRng;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use synphys_release_model::{
    ErrorKind, Param, ParamSpace, Progress, ReleaseModel, ReleaseParams, Search, ShardResult,
    train_protocol,
};

fn truth() -> ReleaseParams {
    ReleaseParams::builder()
        .n_release_sites(3)
        .base_release_probability(0.6)
        .mini_amplitude(0.3e-3)
        .mini_amplitude_cv(0.25)
        .depression_amount(0.25)
        .depression_tau(0.1)
        .facilitation_amount(0.25)
        .facilitation_tau(0.5)
        .measurement_stdev(0.08e-3)
        .build()
        .unwrap()
}

fn events() -> (Vec<f64>, Vec<f64>) {
    let times = train_protocol(&[20.0, 50.0], &[0.25, 1.0], 5, 12.0);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
    let mut amps = ReleaseModel::new(truth())
        .random(&times, &mut rng)
        .unwrap()
        .amplitudes();
    amps[5] = f64::NAN;
    amps[50] = f64::NAN;
    (times, amps)
}

/// A small space with depletion, duplicate trajectories (amounts of 0) and two σ.
fn space() -> ParamSpace {
    ParamSpace::builder()
        .axis(Param::NReleaseSites, vec![1.0, 3.0, 8.0])
        .axis(Param::BaseReleaseProbability, vec![0.2, 0.6])
        .axis(Param::MiniAmplitudeCv, vec![0.1, 0.4])
        .axis(Param::DepressionAmount, vec![-1.0, 0.0, 0.25])
        .axis(Param::DepressionTau, vec![0.05, 0.2])
        .axis(Param::FacilitationAmount, vec![0.0, 0.5])
        .axis(Param::FacilitationTau, vec![0.1, 1.0])
        .axis(Param::MeasurementStdev, vec![0.06e-3, 0.1e-3])
        .build()
        .unwrap()
}

#[test]
fn every_point_equals_the_single_point_fit() {
    let (times, amps) = events();
    let space = space();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    assert_eq!(result.score().shape(), space.shape().as_slice());
    for flat in 0..space.len() {
        let index = space.unravel(flat);
        let params = space.params_at(&index, 1e-4).unwrap();
        let fit = ReleaseModel::new(params)
            .optimize_mini_amplitude(&times, &amps)
            .unwrap();
        let score = result.score()[index.as_slice()];
        let q = result.mini_amplitude()[index.as_slice()];
        assert_eq!(score.to_bits(), fit.score.to_bits(), "point {index:?}");
        assert_eq!(
            q.to_bits(),
            fit.params.mini_amplitude().to_bits(),
            "point {index:?}"
        );
    }
}

#[test]
fn fixed_mini_amplitude_points_score_like_the_model() {
    let (times, amps) = events();
    let space = ParamSpace::builder()
        .axis(Param::NReleaseSites, vec![2.0, 3.0])
        .axis(Param::MiniAmplitude, vec![0.2e-3, 0.3e-3])
        .fixed(Param::BaseReleaseProbability, 0.6)
        .fixed(Param::MiniAmplitudeCv, 0.25)
        .axis(Param::DepressionAmount, vec![-1.0, 0.25])
        .fixed(Param::DepressionTau, 0.1)
        .fixed(Param::FacilitationAmount, 0.25)
        .fixed(Param::FacilitationTau, 0.5)
        .fixed(Param::MeasurementStdev, 0.08e-3)
        .build()
        .unwrap();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    for flat in 0..space.len() {
        let index = space.unravel(flat);
        let params = space.params_at(&index, f64::NAN).unwrap();
        let slow = ReleaseModel::new(params)
            .likelihood(&times, &amps)
            .unwrap()
            .score()
            .unwrap();
        let fast = result.score()[index.as_slice()];
        assert!(
            ((fast - slow) / slow).abs() < 1e-12,
            "{index:?}: {fast} vs {slow}"
        );
    }
}

#[test]
fn shards_merge_bit_identically_whatever_the_thread_count() {
    let (times, amps) = events();
    let space = space();
    let whole = Search::new(&space, &times, &amps).threads(1).run().unwrap();
    let two_threads = Search::new(&space, &times, &amps).threads(2).run().unwrap();
    let dir = std::env::temp_dir().join(format!("synphys-release-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let count = 3;
    let mut shards = Vec::new();
    let mut covered = 0;
    for i in 0..count {
        let shard = Search::new(&space, &times, &amps)
            .run_shard(i, count)
            .unwrap();
        covered += shard.len();
        let path = dir.join(format!("shard-{i}.bin"));
        shard.write(&path).unwrap();
        let back = ShardResult::read(&path).unwrap();
        assert_eq!(back, shard);
        shards.push(back);
    }
    assert_eq!(covered, space.len());
    shards.reverse();
    let merged = ShardResult::merge(&shards).unwrap();
    for (a, b) in whole.score().iter().zip(merged.score()) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
    for (a, b) in whole.mini_amplitude().iter().zip(merged.mini_amplitude()) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
    for (a, b) in whole.score().iter().zip(two_threads.score()) {
        assert_eq!(a.to_bits(), b.to_bits());
    }

    // Incomplete, repeated, or foreign shards are refused.
    let missing = ShardResult::merge(&shards[1..]).unwrap_err();
    assert!(
        matches!(missing.kind(), ErrorKind::ShardMerge { .. }),
        "{missing}"
    );
    let twice = [
        shards[0].clone(),
        shards[0].clone(),
        shards[1].clone(),
        shards[2].clone(),
    ];
    assert!(ShardResult::merge(&twice).is_err());
    let mut other_amps = amps.clone();
    other_amps[0] *= 1.01;
    let foreign = Search::new(&space, &times, &other_amps)
        .run_shard(0, count)
        .unwrap();
    let mixed = [foreign, shards[0].clone(), shards[1].clone()];
    assert!(ShardResult::merge(&mixed).is_err());
    assert!(matches!(
        Search::new(&space, &times, &amps)
            .run_shard(3, 3)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidShard { .. }
    ));

    // A truncated file is an error, not a panic.
    let path = dir.join("shard-0.bin");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
    assert!(matches!(
        ShardResult::read(&path).unwrap_err().kind(),
        ErrorKind::ShardFormat { .. }
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_is_reported_and_cancellation_stops_the_search() {
    let (times, amps) = events();
    let space = space();
    let last = AtomicU64::new(0);
    let calls = AtomicU64::new(0);
    let progress = |p: Progress| {
        assert_eq!(p.total, space.len() as u64);
        last.fetch_max(p.done, Ordering::Relaxed);
        calls.fetch_add(1, Ordering::Relaxed);
    };
    Search::new(&space, &times, &amps)
        .progress(&progress)
        .run()
        .unwrap();
    assert_eq!(last.load(Ordering::Relaxed), space.len() as u64);
    assert!(calls.load(Ordering::Relaxed) > 1);

    let cancel = AtomicBool::new(false);
    let stop_early = |p: Progress| {
        if p.done > 0 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let err = Search::new(&space, &times, &amps)
        .threads(1)
        .progress(&stop_early)
        .cancel_flag(&cancel)
        .run()
        .unwrap_err();
    match err.kind() {
        ErrorKind::Cancelled { completed, total } => assert!(completed < total),
        other => panic!("expected a cancellation, got {other}"),
    }
}

#[test]
fn summaries_are_consistent() {
    let (times, amps) = events();
    let space = space();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    let best = result.best().unwrap();
    let max = result
        .score()
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(best.score, max);
    assert_eq!(result.score()[best.index.as_slice()], best.score);
    for axis in space.axes() {
        let m = result.marginal(axis.param).unwrap();
        let total: f64 = m.probability.iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(m.probability.iter().all(|p| (0.0..=1.0).contains(p)));
        let region = result.confidence_region(axis.param, 0.95).unwrap();
        let best_value = best.params.get(axis.param);
        assert!(
            region.values.contains(&best_value),
            "{:?} lacks the best value {best_value}",
            region
        );
        assert!(region.lower <= best_value && best_value <= region.upper);
    }
    assert!(result.marginal(Param::MiniAmplitude).is_err());
    assert!(result.confidence_region(Param::NReleaseSites, 1.5).is_err());
}

#[test]
fn default_grid_matches_the_design() {
    let grid = ParamSpace::default_grid(0.08e-3).unwrap();
    assert_eq!(grid.shape(), vec![10, 18, 6, 10, 8, 9, 8]);
    assert_eq!(grid.len(), 6_220_800);
    assert!(grid.optimises_mini_amplitude());
    let pr = &grid.axis(Param::BaseReleaseProbability).unwrap().values;
    assert_eq!(pr[0], 0.01);
    assert!((pr[17] - 1.0).abs() < 1e-15);
    let dep = &grid.axis(Param::DepressionAmount).unwrap().values;
    assert_eq!(
        dep,
        &vec![-1.0, 0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0]
    );
    let tau = &grid.axis(Param::DepressionTau).unwrap().values;
    assert!((tau[7] - 2.56).abs() < 1e-12 && tau[0] == 0.01);
    assert!(ParamSpace::default_grid(0.0).is_err());
}

#[test]
fn coarse_grid_spans_the_default_grid_with_fewer_values() {
    let coarse = ParamSpace::coarse_grid(0.08e-3).unwrap();
    let default = ParamSpace::default_grid(0.08e-3).unwrap();
    assert_eq!(coarse.shape(), vec![5, 8, 3, 5, 4, 4, 4]);
    assert_eq!(coarse.len(), 38_400);
    assert!(coarse.optimises_mini_amplitude());
    assert_eq!(coarse.fixed(Param::MeasurementStdev), Some(0.08e-3));
    for (c, d) in coarse.axes().iter().zip(default.axes()) {
        assert_eq!(c.param, d.param);
        let (lo, hi) = (d.values[0], d.values[d.values.len() - 1]);
        for v in &c.values {
            assert!(
                *v >= lo - 1e-12 && *v <= hi + 1e-12,
                "{:?} value {v} outside the default grid's [{lo}, {hi}]",
                c.param
            );
        }
    }
    assert!(ParamSpace::coarse_grid(-1.0).is_err());
}

/// In depletion mode the search builds the depression-τ-independent part of its tables
/// once per (Pr, facilitation, n) and reuses it for every depression τ; one thread makes
/// sure the classes that share it run one after another on the same buffers.
#[test]
fn depletion_tables_shared_across_depression_tau_give_the_single_point_fits() {
    let (times, amps) = events();
    let space = ParamSpace::builder()
        .axis(Param::NReleaseSites, vec![2.0, 6.0])
        .axis(Param::BaseReleaseProbability, vec![0.3, 0.7])
        .axis(Param::MiniAmplitudeCv, vec![0.2])
        .fixed(Param::DepressionAmount, -1.0)
        .axis(Param::DepressionTau, vec![0.02, 0.1, 0.5])
        .axis(Param::FacilitationAmount, vec![0.0, 0.4])
        .fixed(Param::FacilitationTau, 0.3)
        .fixed(Param::MeasurementStdev, 0.08e-3)
        .build()
        .unwrap();
    let result = Search::new(&space, &times, &amps).threads(1).run().unwrap();
    for flat in 0..space.len() {
        let index = space.unravel(flat);
        let params = space.params_at(&index, 1e-4).unwrap();
        let fit = ReleaseModel::new(params)
            .optimize_mini_amplitude(&times, &amps)
            .unwrap();
        let score = result.score()[index.as_slice()];
        let q = result.mini_amplitude()[index.as_slice()];
        assert_eq!(score.to_bits(), fit.score.to_bits(), "point {index:?}");
        assert_eq!(
            q.to_bits(),
            fit.params.mini_amplitude().to_bits(),
            "point {index:?}"
        );
    }
}
