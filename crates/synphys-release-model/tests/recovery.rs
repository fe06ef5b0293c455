//! Ground-truth recovery: events simulated from the published example fit
//! (fixtures/calibration.md, "Release model") on the dataset's 12-pulse protocols are
//! searched, and the best point must be the truth or a neighbouring value of the
//! default grid for n_release_sites, base_release_probability, depression_amount and
//! facilitation_amount.
//!
//! To stay fast in CI the search covers a reduced grid — the default grid's values
//! around the truth, several steps either side for the four checked parameters and
//! one step either side for cv and the time constants — not all 6,220,800 points.

use rand::SeedableRng;
use synphys_release_model::{
    Param, ParamSpace, ReleaseModel, ReleaseParams, Search, train_protocol,
};

/// The published example (all values on the default grid).
fn published(stdev: f64) -> ReleaseParams {
    let grid = ParamSpace::default_grid(stdev).unwrap();
    let on_grid = |p: Param, i: usize| grid.axis(p).unwrap().values[i];
    ReleaseParams::builder()
        .n_release_sites(3)
        .base_release_probability(on_grid(Param::BaseReleaseProbability, 16)) // 0.7627
        .mini_amplitude(0.3335e-3)
        .mini_amplitude_cv(on_grid(Param::MiniAmplitudeCv, 2)) // 0.2512
        .depression_amount(0.125)
        .depression_tau(on_grid(Param::DepressionTau, 3)) // 0.1077 s
        .facilitation_amount(0.375)
        .facilitation_tau(on_grid(Param::FacilitationTau, 7)) // 2.56 s
        .measurement_stdev(stdev)
        .build()
        .unwrap()
}

#[test]
fn search_recovers_the_published_synapse() {
    let stdev = 0.0862e-3;
    let truth = published(stdev);
    // Every induction frequency and recovery delay of the dataset, 3 rounds: 1080 events.
    let times = train_protocol(
        &[10.0, 20.0, 50.0, 100.0, 200.0],
        &[0.125, 0.25, 0.5, 1.0, 2.0, 4.0],
        3,
        15.0,
    );
    assert!(times.len() >= 1000);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(2022);
    let amps = ReleaseModel::new(truth)
        .random(&times, &mut rng)
        .unwrap()
        .amplitudes();

    let grid = ParamSpace::default_grid(stdev).unwrap();
    let values = |p: Param, idx: &[usize]| -> Vec<f64> {
        let axis = &grid.axis(p).unwrap().values;
        idx.iter().map(|&i| axis[i]).collect()
    };
    let space = ParamSpace::builder()
        .axis(
            Param::NReleaseSites,
            values(Param::NReleaseSites, &[0, 1, 2, 3, 4]),
        ) // 1,2,3,4,6
        .axis(
            Param::BaseReleaseProbability,
            values(Param::BaseReleaseProbability, &[13, 14, 15, 16, 17]),
        )
        .axis(
            Param::MiniAmplitudeCv,
            values(Param::MiniAmplitudeCv, &[1, 2, 3]),
        )
        .axis(
            Param::DepressionAmount,
            values(Param::DepressionAmount, &[0, 1, 2, 3, 5]),
        ) // -1,0,.125,.25,.5
        .axis(
            Param::DepressionTau,
            values(Param::DepressionTau, &[2, 3, 4]),
        )
        .axis(
            Param::FacilitationAmount,
            values(Param::FacilitationAmount, &[0, 1, 2, 3, 4, 6]),
        )
        .axis(
            Param::FacilitationTau,
            values(Param::FacilitationTau, &[5, 6, 7]),
        )
        .fixed(Param::MeasurementStdev, stdev)
        .build()
        .unwrap();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    let best = result.best().unwrap();
    eprintln!(
        "best of {} points: {:?} (score {})",
        space.len(),
        best.params,
        best.score
    );

    let position = |p: Param, v: f64| {
        grid.axis(p)
            .unwrap()
            .values
            .iter()
            .position(|&g| g == v)
            .unwrap() as i64
    };
    for p in [
        Param::NReleaseSites,
        Param::BaseReleaseProbability,
        Param::DepressionAmount,
        Param::FacilitationAmount,
    ] {
        let found = position(p, best.params.get(p));
        let expected = position(p, truth.get(p));
        assert!(
            (found - expected).abs() <= 1,
            "{p}: best {} is not the truth {} or a neighbour (best point {:?})",
            best.params.get(p),
            truth.get(p),
            best.params
        );
    }
    // The fitted mini amplitude is close to the truth too.
    let q = best.params.mini_amplitude();
    assert!((q / truth.mini_amplitude() - 1.0).abs() < 0.3, "q {q}");
}
