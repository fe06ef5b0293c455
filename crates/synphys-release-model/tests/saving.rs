//! Saved search results and shard files: round trips, kernels recorded and checked,
//! version-1 files, and truncated, corrupted or foreign files refused with typed errors.

use proptest::prelude::*;
use std::path::PathBuf;
use synphys_release_model::{
    ErrorKind, FileProblem, Kernel, MergeOptions, Param, ParamSpace, ReleaseModel, ReleaseParams,
    Search, SearchResult, ShardResult, train_protocol,
};

fn events() -> (Vec<f64>, Vec<f64>) {
    let truth = ReleaseParams::builder()
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
        .unwrap();
    let times = train_protocol(&[20.0, 50.0], &[0.25], 2, 12.0);
    let amps = ReleaseModel::new(truth)
        .simulate(&times, 1, 3)
        .unwrap()
        .row(0)
        .to_vec();
    (times, amps)
}

/// A small space with both modes and an NaN-scored point (Pr = 0).
fn space() -> ParamSpace {
    ParamSpace::builder()
        .axis(Param::NReleaseSites, vec![1.0, 3.0])
        .axis(Param::BaseReleaseProbability, vec![0.0, 0.3, 0.6])
        .axis(Param::MiniAmplitudeCv, vec![0.1, 0.4])
        .axis(Param::DepressionAmount, vec![-1.0, 0.25])
        .fixed(Param::DepressionTau, 0.1)
        .axis(Param::FacilitationAmount, vec![0.0, 0.25])
        .fixed(Param::FacilitationTau, 0.5)
        .fixed(Param::MeasurementStdev, 0.08e-3)
        .build()
        .unwrap()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "synphys-release-saving-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn saved_result() -> (SearchResult, Vec<u8>) {
    let (times, amps) = events();
    let space = space();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    let dir = TempDir::new("bytes");
    let path = dir.path("result.bin");
    result.write(&path).unwrap();
    (result, std::fs::read(&path).unwrap())
}

fn problem(err: &synphys_release_model::Error) -> FileProblem {
    match err.kind() {
        ErrorKind::ShardFormat { problem, path, .. } => {
            assert!(err.to_string().contains(&path.display().to_string()));
            *problem
        }
        other => panic!("expected a file-format error, got {other}"),
    }
}

/// Equal results, NaN scores included (bit for bit).
fn assert_same(a: &SearchResult, b: &SearchResult) {
    assert_eq!(a.space(), b.space());
    assert_eq!(a.events(), b.events());
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!(a.kernels(), b.kernels());
    let bits = |r: &SearchResult| {
        r.score()
            .iter()
            .chain(r.mini_amplitude())
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(a), bits(b));
}

/// Equal scores and mini amplitudes, NaN included.
fn assert_same_scores(a: &SearchResult, b: &SearchResult) {
    let bits = |r: &SearchResult| {
        r.score()
            .iter()
            .chain(r.mini_amplitude())
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(a), bits(b));
}

#[test]
fn a_saved_result_reads_back_equal() {
    let (times, amps) = events();
    let space = space();
    let result = Search::new(&space, &times, &amps).run().unwrap();
    assert!(result.score().iter().any(|s| s.is_nan()));
    assert_eq!(result.kernels(), &[Kernel::current()]);
    let dir = TempDir::new("round-trip");
    let path = dir.path("result.bin");
    result.write(&path).unwrap();
    assert!(!dir.path("result.bin.tmp").exists());
    let back = SearchResult::read(&path).unwrap();
    assert_same(&back, &result);
    assert_eq!(back.best(), result.best());
    for p in [Param::NReleaseSites, Param::BaseReleaseProbability] {
        // Debug text compares NaN profiles (Pr = 0) as equal.
        assert_eq!(
            format!("{:?}", back.marginal(p).unwrap()),
            format!("{:?}", result.marginal(p).unwrap())
        );
    }

    // The file is a shard file (shard 0 of 1) and merges as one.
    let shard = ShardResult::read(&path).unwrap();
    assert_eq!((shard.index(), shard.count()), (0, 1));
    assert_same(&ShardResult::merge(&[shard]).unwrap(), &result);
    // A shard of several is not a whole result.
    let part = dir.path("part.bin");
    Search::new(&space, &times, &amps)
        .run_shard(1, 3)
        .unwrap()
        .write(&part)
        .unwrap();
    let err = SearchResult::read(&part).unwrap_err();
    assert_eq!(problem(&err), FileProblem::Malformed);
    assert!(err.to_string().contains("shard 1 of 3"), "{err}");
}

#[test]
fn foreign_and_unsupported_files_are_refused() {
    let (_, bytes) = saved_result();
    let dir = TempDir::new("foreign");
    let path = dir.path("x.bin");
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let header: serde_json::Value = serde_json::from_slice(&bytes[..newline]).unwrap();
    let with_header = |h: &serde_json::Value| {
        let mut out = h.to_string().into_bytes();
        out.extend_from_slice(&bytes[newline..]);
        out
    };
    let mut future = header.clone();
    future["version"] = 3.into();
    let mut other = header.clone();
    other["format"] = "something else".into();
    for (content, expected) in [
        (b"".to_vec(), FileProblem::WrongFormat),
        (b"PK\x03\x04 not ours".to_vec(), FileProblem::WrongFormat),
        (b"{\"format\": 1}\n".to_vec(), FileProblem::WrongFormat),
        (with_header(&future), FileProblem::WrongFormat),
        (with_header(&other), FileProblem::WrongFormat),
        ([bytes.clone(), vec![0]].concat(), FileProblem::Malformed),
        (bytes[..bytes.len() - 1].to_vec(), FileProblem::Truncated),
    ] {
        std::fs::write(&path, &content).unwrap();
        let err = SearchResult::read(&path).unwrap_err();
        assert_eq!(problem(&err), expected, "{err}");
    }
    let missing = SearchResult::read(dir.path("absent.bin")).unwrap_err();
    assert!(matches!(missing.kind(), ErrorKind::Io { .. }), "{missing}");
}

/// The same shard as version 1 wrote it: no kernels, no trailer.
fn as_version_1(bytes: &[u8]) -> Vec<u8> {
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[..newline]).unwrap();
    header["version"] = 1.into();
    let fields = header.as_object_mut().unwrap();
    fields.remove("kernels");
    fields.remove("trailer");
    let mut out = header.to_string().into_bytes();
    out.extend_from_slice(&bytes[newline..bytes.len() - 8]);
    out
}

#[test]
fn merging_refuses_mixed_kernels_unless_allowed_and_reads_version_1() {
    let (times, amps) = events();
    let space = space();
    let whole = Search::new(&space, &times, &amps).run().unwrap();
    let count = 3;
    let shards: Vec<ShardResult> = (0..count)
        .map(|i| {
            Search::new(&space, &times, &amps)
                .run_shard(i, count)
                .unwrap()
        })
        .collect();
    for s in &shards {
        assert_eq!(s.kernels(), &[Kernel::current()]);
    }
    assert_same(&ShardResult::merge(&shards).unwrap(), &whole);

    // Relabel one shard as computed by the other kernel.
    let other = if Kernel::current() == Kernel::Portable {
        Kernel::Avx2Fma
    } else {
        Kernel::Portable
    };
    let mut mixed = shards.clone();
    mixed[2] = mixed[2].clone().with_kernels(&[other]);
    let err = ShardResult::merge(&mixed).unwrap_err();
    match err.kind() {
        ErrorKind::MixedKernels {
            first_shard,
            first,
            other_shard,
            other: named,
        } => {
            assert_eq!((*first_shard, *other_shard), (0, 2));
            assert_eq!(first, Kernel::current().name());
            assert_eq!(named, other.name());
        }
        kind => panic!("expected MixedKernels, got {kind}"),
    }
    assert!(err.to_string().contains(other.name()), "{err}");
    let allowed = MergeOptions::new().allow_mixed_kernels(true);
    let merged = ShardResult::merge_with(&mixed, &allowed).unwrap();
    let mut both = vec![Kernel::current(), other];
    both.sort();
    assert_eq!(merged.kernels(), both.as_slice());
    assert_same_scores(&merged, &whole);
    // The list survives saving.
    let dir = TempDir::new("kernels");
    merged.write(dir.path("merged.bin")).unwrap();
    assert_same(
        &SearchResult::read(dir.path("merged.bin")).unwrap(),
        &merged,
    );

    // Version-1 files read with an unknown kernel: they merge with each other, but not
    // with version-2 shards unless allowed.
    let mut old = Vec::new();
    for (i, s) in shards.iter().enumerate() {
        let path = dir.path(&format!("v2-{i}.bin"));
        s.write(&path).unwrap();
        let v1 = dir.path(&format!("v1-{i}.bin"));
        std::fs::write(&v1, as_version_1(&std::fs::read(&path).unwrap())).unwrap();
        let back = ShardResult::read(&v1).unwrap();
        assert_eq!(back.kernels(), &[Kernel::Unknown]);
        let bits = |r: &ShardResult| {
            r.records()
                .iter()
                .map(|&(i, s, q)| (i, s.to_bits(), q.to_bits()))
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&back), bits(s));
        old.push(back);
    }
    let merged_old = ShardResult::merge(&old).unwrap();
    assert_eq!(merged_old.kernels(), &[Kernel::Unknown]);
    assert_same_scores(&merged_old, &whole);
    let half = [old[0].clone(), shards[1].clone(), shards[2].clone()];
    assert!(matches!(
        ShardResult::merge(&half).unwrap_err().kind(),
        ErrorKind::MixedKernels { .. }
    ));
    assert!(ShardResult::merge_with(&half, &allowed).is_ok());
    // A version-1 file cut short is still caught by its length.
    let v1 = std::fs::read(dir.path("v1-0.bin")).unwrap();
    std::fs::write(dir.path("cut.bin"), &v1[..v1.len() - 3]).unwrap();
    assert_eq!(
        problem(&ShardResult::read(dir.path("cut.bin")).unwrap_err()),
        FileProblem::Truncated
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every truncation and every single-byte change is an error (the trailer is a
    /// hash of every byte before it), never a panic or a wrong result.
    #[test]
    fn truncated_or_altered_files_are_errors(
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        use std::sync::OnceLock;
        static SAVED: OnceLock<Vec<u8>> = OnceLock::new();
        let bytes = SAVED.get_or_init(|| saved_result().1);
        let dir = TempDir::new(&format!("fuzz-{}-{}", cut.index(1 << 20), flip));
        let path = dir.path("f.bin");

        let short = &bytes[..cut.index(bytes.len())];
        std::fs::write(&path, short).unwrap();
        let err = SearchResult::read(&path).unwrap_err();
        let p = problem(&err);
        prop_assert!(
            matches!(p, FileProblem::Truncated | FileProblem::WrongFormat),
            "{}", err
        );

        let mut altered = bytes.clone();
        altered[at.index(bytes.len())] ^= flip;
        std::fs::write(&path, &altered).unwrap();
        let err = SearchResult::read(&path).unwrap_err();
        problem(&err);
    }
}
