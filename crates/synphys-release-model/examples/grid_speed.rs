//! Rough timing of the default grid on a simulated 1000-event synapse (development aid).
use rand::SeedableRng;
use synphys_release_model::*;
fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let truth = ReleaseParams::builder()
        .n_release_sites(3)
        .base_release_probability(0.7627)
        .mini_amplitude(0.3335e-3)
        .mini_amplitude_cv(0.2512)
        .depression_amount(0.125)
        .depression_tau(0.1077)
        .facilitation_amount(0.375)
        .facilitation_tau(2.56)
        .measurement_stdev(0.0862e-3)
        .build()?;
    let times: Vec<f64> = train_protocol(
        &[10.0, 20.0, 50.0, 100.0, 200.0],
        &[0.125, 0.25, 0.5, 1.0],
        5,
        15.0,
    )[..1000]
        .to_vec();
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let amps = ReleaseModel::new(truth)
        .random(&times, &mut rng)?
        .amplitudes();
    let full = ParamSpace::default_grid(0.0862e-3)?;
    // A slice: fix facilitation_tau and depression_tau to two values each.
    let mut b = ParamSpace::builder();
    for a in full.axes() {
        let v = match a.param {
            Param::DepressionTau | Param::FacilitationTau => a.values[3..4].to_vec(),
            Param::DepressionAmount => match std::env::var("DEP").as_deref() {
                Ok("d") => vec![-1.0],
                Ok("f") => a.values[1..].to_vec(),
                _ => a.values.clone(),
            },
            _ => a.values.clone(),
        };
        b.axis(a.param, v);
    }
    b.fixed(Param::MeasurementStdev, 0.0862e-3);
    let space = b.build()?;
    let threads: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(1);
    let t0 = std::time::Instant::now();
    let r = Search::new(&space, &times, &amps).threads(threads).run()?;
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{} points in {:.2} s: {:.2} us/point ({} threads)",
        space.len(),
        dt,
        dt / space.len() as f64 * 1e6,
        threads
    );
    let best = r.best().unwrap();
    println!("best {:?} score {}", best.params, best.score);
    Ok(())
}
