//! Shard results and their file format.
//!
//! A shard file is one line of JSON (the header, ending in `\n`) followed by the
//! records, each 24 bytes little-endian: the point's flat (row-major) index as `u64`,
//! its score as `f64`, its mini amplitude as `f64`; records ascend by index. The header:
//!
//! ```text
//! {"format":"synphys-release-model search shard","version":1,
//!  "space":{"axes":[{"name":"n_release_sites","values":[1.0,2.0]},…],
//!           "fixed":{"measurement_stdev":8.6e-5,…},"optimised":"mini_amplitude"},
//!  "shape":[10,18,…],"shard":{"index":0,"count":8},"records":777600,
//!  "events":1000,"fingerprint":"3f2a…",
//!  "record":"u64 flat index, f64 score, f64 mini_amplitude; little-endian"}
//! ```
//!
//! `fingerprint` is a 64-bit FNV-1a hash of the spike times, amplitudes, missing-event
//! penalty and coefficient source, so shards of different synapses or settings are
//! never merged. Files are written to `<path>.tmp` and renamed, so a killed run leaves
//! either a complete shard file or none.

use crate::binomial::Coefficients;
use crate::error::{Error, ErrorKind, Result};
use crate::params::Param;
use crate::space::ParamSpace;
use crate::summary::SearchResult;
use std::io::{Read, Write};
use std::path::Path;

const FORMAT: &str = "synphys-release-model search shard";
const VERSION: u64 = 1;
const RECORD_BYTES: usize = 24;

/// The points of one shard of a search, as computed by
/// [`Search::run_shard`](crate::Search::run_shard) or read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardResult {
    space: ParamSpace,
    index: usize,
    count: usize,
    fingerprint: u64,
    events: usize,
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

    fn header(&self) -> serde_json::Value {
        serde_json::json!({
            "format": FORMAT,
            "version": VERSION,
            "space": self.space.describe(),
            "shape": self.space.shape(),
            "shard": {"index": self.index, "count": self.count},
            "records": self.records.len(),
            "events": self.events,
            "fingerprint": format!("{:016x}", self.fingerprint),
            "record": "u64 flat index, f64 score, f64 mini_amplitude; little-endian",
        })
    }

    /// Writes the shard file (via a temporary file and a rename).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let io = |source| {
            Error::new(ErrorKind::Io {
                path: path.to_path_buf(),
                source,
            })
        };
        let mut bytes = self.header().to_string().into_bytes();
        bytes.push(b'\n');
        bytes.reserve(self.records.len() * RECORD_BYTES);
        for (i, s, q) in &self.records {
            bytes.extend_from_slice(&i.to_le_bytes());
            bytes.extend_from_slice(&s.to_bits().to_le_bytes());
            bytes.extend_from_slice(&q.to_bits().to_le_bytes());
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = std::path::PathBuf::from(tmp);
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(&bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a shard file.
    pub fn read(path: impl AsRef<Path>) -> Result<ShardResult> {
        let path = path.as_ref();
        let bad = |reason: String| {
            Error::new(ErrorKind::ShardFormat {
                path: path.to_path_buf(),
                reason,
            })
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|source| {
                Error::new(ErrorKind::Io {
                    path: path.to_path_buf(),
                    source,
                })
            })?;
        let newline = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("no header line".into()))?;
        let header: serde_json::Value = serde_json::from_slice(&bytes[..newline])
            .map_err(|e| bad(format!("header is not JSON: {e}")))?;
        if header["format"] != FORMAT || header["version"] != VERSION {
            return Err(bad(format!(
                "not a version-{VERSION} shard file ({})",
                header["format"]
            )));
        }
        let space =
            space_from_json(&header["space"]).map_err(|e| bad(format!("bad space: {e}")))?;
        let get = |key: &str| -> Result<usize> {
            let v = key.split('.').fold(&header, |v, k| &v[k]);
            v.as_u64()
                .map(|v| v as usize)
                .ok_or_else(|| bad(format!("missing {key}")))
        };
        let (index, count, n_records, events) = (
            get("shard.index")?,
            get("shard.count")?,
            get("records")?,
            get("events")?,
        );
        let fingerprint = header["fingerprint"]
            .as_str()
            .and_then(|s| u64::from_str_radix(s, 16).ok())
            .ok_or_else(|| bad("missing fingerprint".into()))?;
        let body = &bytes[newline + 1..];
        if body.len() != n_records * RECORD_BYTES {
            return Err(bad(format!(
                "{} bytes of records, expected {} ({} records)",
                body.len(),
                n_records * RECORD_BYTES,
                n_records
            )));
        }
        let word = |c: &[u8]| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            u64::from_le_bytes(b)
        };
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
            records,
        })
    }

    /// Merges all shards of one search into the full result, bit-identical to a
    /// single [`Search::run`](crate::Search::run). Every shard `0..count` must be given
    /// exactly once, for the same space and the same events.
    pub fn merge(shards: &[ShardResult]) -> Result<SearchResult> {
        let bad = |reason: String| Error::new(ErrorKind::ShardMerge { reason });
        let first = shards.first().ok_or_else(|| bad("no shard given".into()))?;
        let mut seen = vec![false; first.count];
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
        SearchResult::from_parts(first.space.clone(), score, q, first.events)
    }
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
