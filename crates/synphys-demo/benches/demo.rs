//! Criterion benchmarks of writing demo databases (figures in the crate README).

use criterion::{Criterion, criterion_group, criterion_main};
use synphys_demo::{DemoConfig, Scale};

fn bench_write(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("synphys-demo-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    for (scale, seconds) in [(Scale::Tiny, 5), (Scale::Small, 20), (Scale::Medium, 40)] {
        group.measurement_time(std::time::Duration::from_secs(seconds));
        let path = dir.join(format!("{scale}.sqlite"));
        let config = DemoConfig::new(scale).overwrite(true);
        group.bench_function(format!("write_{scale}"), |b| {
            b.iter(|| {
                synphys_demo::write(&path, &config)
                    .map(|s| s.pairs)
                    .unwrap_or(0)
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_write);
criterion_main!(benches);
