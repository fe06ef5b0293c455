//! Shard results, saved search results, and their file format.
//!
//! The format is documented on [`ShardResult`].

use crate::binomial::Coefficients;
use crate::error::{Error, ErrorKind, FileProblem, Result};
use crate::params::Param;
use crate::space::ParamSpace;
use crate::summary::SearchResult;
use std::io::{Read, Write};
use std::path::Path;

const FORMAT: &str = "synphys-release-model search shard";
const VERSION: u64 = 2;
const RECORD_BYTES: usize = 24;
const TRAILER_BYTES: usize = 8;
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The inner loop that computed a search's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kernel {
    /// The AVX2 + FMA kernel (x86-64 CPUs that have both).
    Avx2Fma,
    /// The portable kernel.
    Portable,
    /// Not recorded: read from a version-1 shard file.
    Unknown,
}

impl Kernel {
    /// The kernel this process uses for searches.
    pub fn current() -> Kernel {
        crate::simd::kernel()
    }

    /// The name used in files: `avx2_fma`, `portable` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Avx2Fma => "avx2_fma",
            Kernel::Portable => "portable",
            Kernel::Unknown => "unknown",
        }
    }

    fn from_name(name: &str) -> Option<Kernel> {
        [Kernel::Avx2Fma, Kernel::Portable, Kernel::Unknown]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

impl std::fmt::Display for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn kernel_list(kernels: &[Kernel]) -> String {
    kernels
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Settings of [`ShardResult::merge_with`].
///
/// ```
/// use synphys_release_model::MergeOptions;
/// let options = MergeOptions::new().allow_mixed_kernels(true);
/// assert!(options.mixed_kernels_allowed());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeOptions {
    allow_mixed_kernels: bool,
}

impl MergeOptions {
    /// The defaults: every shard must come from the same kernel.
    pub fn new() -> MergeOptions {
        MergeOptions::default()
    }

    /// Whether shards computed by different kernels (or by an unknown one) may be
    /// merged; the result then lists every kernel. Default `false`.
    pub fn allow_mixed_kernels(mut self, allow: bool) -> MergeOptions {
        self.allow_mixed_kernels = allow;
        self
    }

    /// Whether mixing kernels is allowed.
    pub fn mixed_kernels_allowed(&self) -> bool {
        self.allow_mixed_kernels
    }
}

/// The points of one shard of a search, as computed by
/// [`Search::run_shard`](crate::Search::run_shard) or read from a file.
///
/// # File format
///
/// A shard file (and a saved [`SearchResult`], which is the one shard of a search
/// split in one: index 0 of 1, every point) is one line of JSON (the header, ending in
/// `\n`), then the records, each 24 bytes little-endian: the point's flat (row-major)
/// index as `u64`, its score as `f64`, its mini amplitude as `f64`, ascending by index;
/// then (from version 2) an 8-byte trailer: the 64-bit FNV-1a hash of every byte
/// before it, little-endian. The header:
///
/// ```text
/// {"format":"synphys-release-model search shard","version":2,
///  "space":{"axes":[{"name":"n_release_sites","values":[1.0,2.0]},…],
///           "fixed":{"measurement_stdev":8.6e-5,…},"optimised":"mini_amplitude"},
///  "shape":[10,18,…],"shard":{"index":0,"count":8},"records":777600,
///  "events":1000,"fingerprint":"3f2a…","kernels":["avx2_fma"],
///  "record":"u64 flat index, f64 score, f64 mini_amplitude; little-endian",
///  "trailer":"u64 FNV-1a of all preceding bytes; little-endian"}
/// ```
///
/// `fingerprint` is a 64-bit FNV-1a hash of the spike times, amplitudes, missing-event
/// penalty and coefficient source, so shards of different synapses or settings are
/// never merged. `kernels` names the inner loop that computed the scores (`avx2_fma`
/// or `portable`; a merged result may list several): the two agree to a few ulp, not
/// bit for bit, so [`ShardResult::merge`] refuses to mix them unless
/// [`MergeOptions::allow_mixed_kernels`] says so. The kernel is kept beside the
/// fingerprint rather than hashed into it, so that such a merge can still check the
/// inputs.
///
/// Version-1 files (no `kernels`, no trailer) are still read; their kernel is
/// [`Kernel::Unknown`], which counts as a kernel of its own when merging: version-1
/// shards merge with each other as before, but not with version-2 shards unless
/// mixing is allowed. Files are written to `<path>.tmp` and renamed, so a killed run
/// leaves either a complete file or none; reading checks the length against the
/// header and the trailer against the bytes, so a truncated or corrupted file is an
/// error ([`FileProblem`]), never a wrong result.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardResult {
    space: ParamSpace,
    index: usize,
    count: usize,
    fingerprint: u64,
    events: usize,
    kernels: Vec<Kernel>,
    records: Vec<(u64, f64, f64)>,
}

/// FNV-1a over the inputs that determine a search's results.
pub(crate) fn fingerprint(
    spike_times: &[f64],
    amplitudes: &[f64],
    penalty: f64,
    coefficients: Coefficients,
) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for v in spike_times.iter().chain(amplitudes).chain([penalty].iter()) {
        eat(&v.to_bits().to_le_bytes());
    }
    eat(match coefficients {
        Coefficients::Exact => b"exact",
        Coefficients::ReferenceTable => b"reference_table",
    });
    h
}

impl ShardResult {
    pub(crate) fn new(
        space: ParamSpace,
        index: usize,
        count: usize,
        fingerprint: u64,
        events: usize,
        records: Vec<(u64, f64, f64)>,
    ) -> ShardResult {
        ShardResult {
            space,
            index,
            count,
            fingerprint,
            events,
            kernels: vec![crate::simd::kernel()],
            records,
        }
    }

    /// This shard's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of shards the space was split into.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Number of points in this shard.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the shard holds no point.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// (flat index, score, mini amplitude) per point, ascending by index.
    pub fn records(&self) -> &[(u64, f64, f64)] {
        &self.records
    }

    /// The searched space (the whole space, not only this shard's points).
    pub fn space(&self) -> &ParamSpace {
        &self.space
    }

    /// Hash of the inputs (see [the file format](ShardResult)).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Number of events whose likelihood counts in each score.
    pub fn events(&self) -> usize {
        self.events
    }

    /// The kernel(s) that computed this shard ([`Kernel::Unknown`] for version-1 files).
    pub fn kernels(&self) -> &[Kernel] {
        &self.kernels
    }

    /// A test hook: the same shard credited to other kernels.
    #[doc(hidden)]
    pub fn with_kernels(mut self, kernels: &[Kernel]) -> ShardResult {
        self.kernels = normalised(kernels.to_vec());
        self
    }

    /// Writes the shard file (via a temporary file and a rename).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let header = Header {
            space: &self.space,
            index: self.index,
            count: self.count,
            records: self.records.len(),
            events: self.events,
            fingerprint: self.fingerprint,
            kernels: &self.kernels,
        };
        write_file(path.as_ref(), &header, self.records.iter().copied())
    }

    /// Reads a shard file (version 2, or version 1 whose kernel is unknown).
    pub fn read(path: impl AsRef<Path>) -> Result<ShardResult> {
        read_file(path.as_ref())
    }

    /// Merges all shards of one search into the full result, bit-identical to a
    /// single [`Search::run`](crate::Search::run). Every shard `0..count` must be given
    /// exactly once, for the same space and the same events, computed by the same
    /// kernel (see [`merge_with`](ShardResult::merge_with) to allow mixed kernels).
    pub fn merge(shards: &[ShardResult]) -> Result<SearchResult> {
        ShardResult::merge_with(shards, &MergeOptions::new())
    }

    /// [`merge`](ShardResult::merge) with options.
    pub fn merge_with(shards: &[ShardResult], options: &MergeOptions) -> Result<SearchResult> {
        let bad = |reason: String| Error::new(ErrorKind::ShardMerge { reason });
        let first = shards.first().ok_or_else(|| bad("no shard given".into()))?;
        let mut seen = vec![false; first.count];
        let mut kernels = Vec::new();
        for s in shards {
            if s.count != first.count || s.space != first.space {
                return Err(bad(format!(
                    "shard {} belongs to a different search (space or shard count differs)",
                    s.index
                )));
            }
            if s.fingerprint != first.fingerprint || s.events != first.events {
                return Err(bad(format!(
                    "shard {} was computed from different events or settings",
                    s.index
                )));
            }
            if s.kernels != first.kernels && !options.allow_mixed_kernels {
                return Err(Error::new(ErrorKind::MixedKernels {
                    first_shard: first.index,
                    first: kernel_list(&first.kernels),
                    other_shard: s.index,
                    other: kernel_list(&s.kernels),
                }));
            }
            kernels.extend_from_slice(&s.kernels);
            if std::mem::replace(&mut seen[s.index], true) {
                return Err(bad(format!("shard {} is given twice", s.index)));
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(bad(format!(
                "shard {missing} of {} is missing",
                first.count
            )));
        }
        let len = first.space.len();
        let mut score = vec![f64::NAN; len];
        let mut q = vec![f64::NAN; len];
        let mut filled = vec![false; len];
        for s in shards {
            for &(i, sc, m) in &s.records {
                let i = usize::try_from(i)
                    .ok()
                    .filter(|&i| i < len)
                    .ok_or_else(|| bad(format!("point {i} is outside the space")))?;
                if std::mem::replace(&mut filled[i], true) {
                    return Err(bad(format!("point {i} appears in two shards")));
                }
                score[i] = sc;
                q[i] = m;
            }
        }
        if let Some(i) = filled.iter().position(|f| !f) {
            return Err(bad(format!("point {i} is in no shard")));
        }
        Ok(SearchResult::from_parts(
            first.space.clone(),
            score,
            q,
            first.events,
            first.fingerprint,
        )?
        .with_kernels(normalised(kernels)))
    }
}

impl SearchResult {
    /// Saves the whole result — scores, mini amplitudes, space, event count,
    /// fingerprint and kernels — so that it can be [`read`](SearchResult::read) back
    /// for marginals and plots without searching again. The file is a shard file
    /// holding every point as shard 0 of 1 (see [`ShardResult`]
    /// for the layout), written via a temporary file and a rename.
    ///
    /// ```
    /// # use synphys_release_model::{Param, ParamSpace, ReleaseModel, ReleaseParams, Search, SearchResult};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let truth = ReleaseParams::builder()
    /// #     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
    /// #     .mini_amplitude_cv(0.2).depression_amount(0.0).depression_tau(0.1)
    /// #     .facilitation_amount(0.0).facilitation_tau(0.5).measurement_stdev(0.05e-3)
    /// #     .build()?;
    /// # let times: Vec<f64> = (0..100).map(|i| i as f64).collect();
    /// # let amplitudes = ReleaseModel::new(truth).simulate(&times, 1, 1)?.row(0).to_vec();
    /// # let space = ParamSpace::builder()
    /// #     .axis(Param::NReleaseSites, vec![1.0, 2.0])
    /// #     .axis(Param::BaseReleaseProbability, vec![0.25, 0.5])
    /// #     .fixed(Param::MiniAmplitudeCv, 0.2).fixed(Param::DepressionAmount, 0.0)
    /// #     .fixed(Param::DepressionTau, 0.1).fixed(Param::FacilitationAmount, 0.0)
    /// #     .fixed(Param::FacilitationTau, 0.5).fixed(Param::MeasurementStdev, 0.05e-3)
    /// #     .build()?;
    /// let result = Search::new(&space, &times, &amplitudes).run()?;
    /// let path = std::env::temp_dir().join(format!("doc-result-{}.bin", std::process::id()));
    /// result.write(&path)?;
    /// let back = SearchResult::read(&path)?;
    /// assert_eq!(back, result);
    /// assert_eq!(back.marginal(Param::NReleaseSites)?, result.marginal(Param::NReleaseSites)?);
    /// # std::fs::remove_file(path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let header = Header {
            space: self.space(),
            index: 0,
            count: 1,
            records: self.score().len(),
            events: self.events(),
            fingerprint: self.fingerprint(),
            kernels: self.kernels(),
        };
        let records = self
            .score()
            .iter()
            .zip(self.mini_amplitude().iter())
            .enumerate()
            .map(|(i, (&s, &q))| (i as u64, s, q));
        write_file(path.as_ref(), &header, records)
    }

    /// Reads a result saved by [`write`](SearchResult::write) (or a shard file that
    /// holds a whole search: shard 0 of 1). A shard of several is an error naming it;
    /// merge those with [`ShardResult::merge`].
    pub fn read(path: impl AsRef<Path>) -> Result<SearchResult> {
        let path = path.as_ref();
        let shard = read_file(path)?;
        if shard.count != 1 {
            return Err(Error::new(ErrorKind::ShardFormat {
                path: path.to_path_buf(),
                problem: FileProblem::Malformed,
                reason: format!(
                    "holds shard {} of {}, not a whole result; read every shard with ShardResult::read and merge them",
                    shard.index, shard.count
                ),
            }));
        }
        ShardResult::merge(std::slice::from_ref(&shard)).map_err(|e| {
            Error::new(ErrorKind::ShardFormat {
                path: path.to_path_buf(),
                problem: FileProblem::Malformed,
                reason: e.to_string(),
            })
        })
    }
}

/// Sorted, without repeats.
fn normalised(mut kernels: Vec<Kernel>) -> Vec<Kernel> {
    kernels.sort_unstable();
    kernels.dedup();
    kernels
}

struct Header<'a> {
    space: &'a ParamSpace,
    index: usize,
    count: usize,
    records: usize,
    events: usize,
    fingerprint: u64,
    kernels: &'a [Kernel],
}

impl Header<'_> {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "format": FORMAT,
            "version": VERSION,
            "space": self.space.describe(),
            "shape": self.space.shape(),
            "shard": {"index": self.index, "count": self.count},
            "records": self.records,
            "events": self.events,
            "fingerprint": format!("{:016x}", self.fingerprint),
            "kernels": self.kernels.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "record": "u64 flat index, f64 score, f64 mini_amplitude; little-endian",
            "trailer": "u64 FNV-1a of all preceding bytes; little-endian",
        })
    }
}

/// Streams the file to `<path>.tmp` with its checksum, then renames it.
fn write_file(
    path: &Path,
    header: &Header<'_>,
    records: impl Iterator<Item = (u64, f64, f64)>,
) -> Result<()> {
    let io = |source| {
        Error::new(ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut hash = FNV_OFFSET;
    let mut put = |out: &mut std::io::BufWriter<std::fs::File>, bytes: &[u8]| {
        hash = fnv1a(hash, bytes);
        out.write_all(bytes)
    };
    let mut text = header.json().to_string().into_bytes();
    text.push(b'\n');
    put(&mut out, &text).map_err(io)?;
    for (i, s, q) in records {
        let mut record = [0u8; RECORD_BYTES];
        record[0..8].copy_from_slice(&i.to_le_bytes());
        record[8..16].copy_from_slice(&s.to_bits().to_le_bytes());
        record[16..24].copy_from_slice(&q.to_bits().to_le_bytes());
        put(&mut out, &record).map_err(io)?;
    }
    out.write_all(&hash.to_le_bytes()).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)
}

fn read_file(path: &Path) -> Result<ShardResult> {
    let bad = |problem: FileProblem, reason: String| {
        Error::new(ErrorKind::ShardFormat {
            path: path.to_path_buf(),
            problem,
            reason,
        })
    };
    let malformed = |reason: String| bad(FileProblem::Malformed, reason);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| {
            Error::new(ErrorKind::Io {
                path: path.to_path_buf(),
                source,
            })
        })?;
    let newline = bytes.iter().position(|&b| b == b'\n').ok_or_else(|| {
        bad(
            FileProblem::WrongFormat,
            "no header line (not a search file, or cut short inside its header)".into(),
        )
    })?;
    let header: serde_json::Value = serde_json::from_slice(&bytes[..newline])
        .map_err(|e| bad(FileProblem::WrongFormat, format!("header is not JSON: {e}")))?;
    if header["format"] != FORMAT {
        return Err(bad(
            FileProblem::WrongFormat,
            format!("format is {}, not {FORMAT:?}", header["format"]),
        ));
    }
    let version = header["version"].as_u64();
    let trailer = match version {
        Some(1) => 0,
        Some(VERSION) => TRAILER_BYTES,
        _ => {
            return Err(bad(
                FileProblem::WrongFormat,
                format!(
                    "version {} is not supported (versions 1 and {VERSION} are)",
                    header["version"]
                ),
            ));
        }
    };
    let get = |key: &str| -> Result<usize> {
        let v = key.split('.').fold(&header, |v, k| &v[k]);
        v.as_u64()
            .and_then(|v| usize::try_from(v).ok())
            .ok_or_else(|| malformed(format!("missing or invalid {key}")))
    };
    let n_records = get("records")?;
    let expected = n_records
        .checked_mul(RECORD_BYTES)
        .and_then(|b| b.checked_add(newline + 1 + trailer))
        .ok_or_else(|| malformed(format!("record count {n_records} is impossible")))?;
    if bytes.len() < expected {
        return Err(bad(
            FileProblem::Truncated,
            format!(
                "{} bytes, but its header announces {n_records} records ({expected} bytes)",
                bytes.len()
            ),
        ));
    }
    if bytes.len() > expected {
        return Err(malformed(format!(
            "{} bytes after the {expected} its header announces ({n_records} records)",
            bytes.len() - expected
        )));
    }
    let word = |c: &[u8]| {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        u64::from_le_bytes(b)
    };
    if trailer > 0 {
        let (content, stored) = bytes.split_at(expected - trailer);
        let actual = fnv1a(FNV_OFFSET, content);
        if actual != word(stored) {
            return Err(bad(
                FileProblem::Corrupt,
                format!(
                    "checksum {:016x} does not match the stored {:016x}",
                    actual,
                    word(stored)
                ),
            ));
        }
    }
    let space =
        space_from_json(&header["space"]).map_err(|e| malformed(format!("bad space: {e}")))?;
    let (index, count, events) = (get("shard.index")?, get("shard.count")?, get("events")?);
    if count == 0 || index >= count {
        return Err(malformed(format!("shard {index} of {count}")));
    }
    let fingerprint = header["fingerprint"]
        .as_str()
        .and_then(|s| u64::from_str_radix(s, 16).ok())
        .ok_or_else(|| malformed("missing fingerprint".into()))?;
    let kernels = if trailer == 0 {
        vec![Kernel::Unknown]
    } else {
        let names = header["kernels"]
            .as_array()
            .ok_or_else(|| malformed("missing kernels".into()))?;
        let kernels = names
            .iter()
            .map(|n| {
                n.as_str()
                    .and_then(Kernel::from_name)
                    .ok_or_else(|| malformed(format!("unknown kernel {n}")))
            })
            .collect::<Result<Vec<_>>>()?;
        if kernels.is_empty() {
            return Err(malformed("empty kernel list".into()));
        }
        normalised(kernels)
    };
    let body = &bytes[newline + 1..expected - trailer];
    let records = body
        .chunks_exact(RECORD_BYTES)
        .map(|r| {
            (
                word(&r[0..8]),
                f64::from_bits(word(&r[8..16])),
                f64::from_bits(word(&r[16..24])),
            )
        })
        .collect();
    Ok(ShardResult {
        space,
        index,
        count,
        fingerprint,
        events,
        kernels,
        records,
    })
}

fn space_from_json(v: &serde_json::Value) -> Result<ParamSpace> {
    let bad = |reason: &str| {
        Error::new(ErrorKind::InvalidAxis {
            name: "space".into(),
            reason: reason.into(),
        })
    };
    let mut b = ParamSpace::builder();
    for axis in v["axes"].as_array().ok_or_else(|| bad("no axes"))? {
        let p: Param = axis["name"]
            .as_str()
            .ok_or_else(|| bad("axis without name"))?
            .parse()?;
        let values = axis["values"]
            .as_array()
            .ok_or_else(|| bad("axis without values"))?
            .iter()
            .map(|x| x.as_f64().ok_or_else(|| bad("non-numeric axis value")))
            .collect::<Result<Vec<f64>>>()?;
        b.axis(p, values);
    }
    for (name, value) in v["fixed"]
        .as_object()
        .ok_or_else(|| bad("no fixed values"))?
    {
        b.fixed(
            name.parse()?,
            value
                .as_f64()
                .ok_or_else(|| bad("non-numeric fixed value"))?,
        );
    }
    b.build()
}
