//! Criterion benchmarks of the release model: a model run per event (n = 2, 8, 32; both
//! depression modes), one optimised grid point, and a 10,800-point slice of the default
//! grid, all on a simulated 1000-event synapse. The whole default grid is
//! `cargo xtask bench-release --full-grid`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use std::hint::black_box;
use synphys_release_model::{
    Param, ParamSpace, ReleaseModel, ReleaseParams, Search, train_protocol,
};

const STDEV: f64 = 0.0862e-3;

/// The published example synapse (fixtures/calibration.md).
fn published() -> ReleaseParams {
    ReleaseParams::from_values([
        3.0, 0.7627, 0.3335e-3, 0.2512, 0.125, 0.1077, 0.375, 2.56, STDEV,
    ])
    .unwrap()
}

/// 1000 events of the dataset's 12-pulse protocols simulated from the published example.
fn synapse() -> (Vec<f64>, Vec<f64>) {
    let mut times = train_protocol(
        &[10.0, 20.0, 50.0, 100.0, 200.0],
        &[0.125, 0.25, 0.5, 1.0, 2.0, 4.0],
        3,
        15.0,
    );
    times.truncate(1000);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let amps = ReleaseModel::new(published())
        .random(&times, &mut rng)
        .unwrap()
        .amplitudes();
    (times, amps)
}

fn model_run(c: &mut Criterion) {
    let (times, amps) = synapse();
    let mut group = c.benchmark_group("model_run_1000_events");
    group.throughput(Throughput::Elements(times.len() as u64));
    for depletion in [false, true] {
        for n in [2u32, 8, 32] {
            let p = published()
                .with(Param::NReleaseSites, f64::from(n))
                .unwrap()
                .with(Param::MiniAmplitude, 0.75e-3 / (f64::from(n) * 0.7627))
                .unwrap()
                .with(
                    Param::DepressionAmount,
                    if depletion { -1.0 } else { 0.125 },
                )
                .unwrap();
            let model = ReleaseModel::new(p);
            let mode = if depletion { "depletion" } else { "depression" };
            group.bench_function(BenchmarkId::new(mode, n), |b| {
                b.iter(|| {
                    model
                        .likelihood(black_box(&times), black_box(&amps))
                        .unwrap()
                })
            });
        }
    }
    group.finish();
}

fn optimised_point(c: &mut Criterion) {
    let (times, amps) = synapse();
    let mut group = c.benchmark_group("optimised_grid_point_1000_events");
    for (name, dep) in [("depression", 0.125), ("depletion", -1.0)] {
        let model = ReleaseModel::new(published().with(Param::DepressionAmount, dep).unwrap());
        group.bench_function(name, |b| {
            b.iter(|| {
                model
                    .optimize_mini_amplitude(black_box(&times), black_box(&amps))
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn grid_slice(c: &mut Criterion) {
    let (times, amps) = synapse();
    let full = ParamSpace::default_grid(STDEV).unwrap();
    let mut b = ParamSpace::builder();
    for axis in full.axes() {
        let values = match axis.param {
            Param::DepressionTau => vec![axis.values[3]],
            Param::FacilitationAmount => vec![axis.values[3]],
            Param::FacilitationTau => vec![axis.values[5]],
            _ => axis.values.clone(),
        };
        b.axis(axis.param, values);
    }
    let space = b.fixed(Param::MeasurementStdev, STDEV).build().unwrap();
    let mut group = c.benchmark_group("default_grid_slice");
    group.sample_size(10);
    group.throughput(Throughput::Elements(space.len() as u64));
    group.bench_function(format!("{}_points_1_thread", space.len()), |bench| {
        bench.iter(|| Search::new(&space, &times, &amps).threads(1).run().unwrap())
    });
    group.finish();
}

criterion_group!(benches, model_run, optimised_point, grid_slice);
criterion_main!(benches);
