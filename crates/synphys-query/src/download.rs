//! Downloading published files into the cache: resumable, size-checked, and atomic.
//!
//! A download writes `<name>.partial` (locked against a second download of the same
//! file), resumes it with an HTTP `Range` request when it exists, checks the size the
//! server announced (and any size the caller knows), and only then renames it to
//! `<name>`. A failed or cancelled download leaves the `.partial` for the next attempt
//! when its bytes are a prefix of the file, and removes it otherwise; it never leaves a
//! file under the final name.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ureq::http::{HeaderMap, StatusCode};

use crate::cache::{Cache, partial_path, regular_file_len};
use crate::catalog::{Catalog, PublishedFile};
use crate::error::{Error, ErrorKind, Result};

/// How much is read from the network (and written to disk) at a time; progress is
/// reported once per chunk.
const CHUNK_BYTES: usize = 64 * 1024;
/// Ranged requests answered in a way that forces a restart are retried this many times.
const MAX_ATTEMPTS: usize = 2;

/// How far a download has got, passed to the progress callback after each chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes of the file on disk so far, including those resumed from a partial file.
    pub downloaded_bytes: u64,
    /// The file's full size when the server announced it.
    pub total_bytes: Option<u64>,
    /// Bytes that were already on disk when this download started (0 for a fresh start).
    pub resumed_from: u64,
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// The complete file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Bytes taken from an earlier partial download rather than fetched now.
    pub resumed_from: u64,
    /// The file was already complete; nothing was fetched.
    pub already_cached: bool,
}

/// Fetches published files into a [`Cache`] with progress, resumption and size checks.
///
/// Files come from the catalogue's URL prefix unless [`Downloader::url_prefix`] names
/// another (a mirror, or a local test server).
///
/// # Example
///
/// ```no_run
/// use std::sync::Arc;
/// use std::sync::atomic::AtomicBool;
/// use synphys_query::{Cache, Catalog, Downloader};
///
/// # fn main() -> Result<(), synphys_query::Error> {
/// let catalog = Catalog::published()?;
/// let cache = Cache::from_env()?;
/// let cancel = Arc::new(AtomicBool::new(false)); // set it (e.g. on Ctrl-C) to stop cleanly
/// let file = catalog.resolve("small")?;
/// let done = Downloader::new()
///     .cancel_flag(cancel)
///     .download(&catalog, file, &cache, |p| {
///         eprint!("\r{} of {:?} bytes", p.downloaded_bytes, p.total_bytes);
///     })?;
/// println!("{} ({} bytes)", done.path.display(), done.bytes);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Downloader {
    url_prefix: Option<String>,
    cancel: Option<Arc<AtomicBool>>,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl Default for Downloader {
    fn default() -> Downloader {
        Downloader {
            url_prefix: None,
            cancel: None,
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
        }
    }
}

impl Downloader {
    /// A downloader using the catalogue's URL prefix, a 30 s connect timeout and a 60 s
    /// timeout on each read.
    pub fn new() -> Downloader {
        Downloader::default()
    }

    /// Fetches files from `prefix` (e.g. `http://127.0.0.1:8000`) instead of the
    /// catalogue's URL prefix.
    pub fn url_prefix(mut self, prefix: impl Into<String>) -> Downloader {
        self.url_prefix = Some(prefix.into());
        self
    }

    /// Stops a download between chunks once `flag` is set, keeping the partial file for
    /// the next attempt; the download then fails with [`ErrorKind::DownloadCancelled`].
    pub fn cancel_flag(mut self, flag: Arc<AtomicBool>) -> Downloader {
        self.cancel = Some(flag);
        self
    }

    /// The longest wait for a connection to open.
    pub fn connect_timeout(mut self, timeout: Duration) -> Downloader {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for any single read from the server (not the whole download).
    pub fn read_timeout(mut self, timeout: Duration) -> Downloader {
        self.read_timeout = timeout;
        self
    }

    /// The URL `file` is fetched from.
    pub fn url_for(&self, catalog: &Catalog, file: &PublishedFile) -> String {
        file.url(self.url_prefix.as_deref().unwrap_or(catalog.url_prefix()))
    }

    /// Downloads `file` into `cache` (resuming a partial download), calling `progress`
    /// after each chunk. A file already complete in the cache is returned at once.
    ///
    /// # Errors
    ///
    /// As [`Downloader::download_url`].
    pub fn download(
        &self,
        catalog: &Catalog,
        file: &PublishedFile,
        cache: &Cache,
        progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded> {
        let url = self.url_for(catalog, file);
        self.download_url(&url, &cache.path_for(file), None, progress)
    }

    /// Downloads `url` to `target` through `<target>.partial`, resuming that partial file
    /// when it exists. `expected_bytes`, when known, must equal the final size. A file
    /// already at `target` is taken as complete and returned at once.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::HttpStatus`] when the server answers with an error status (404,
    ///   500…), naming the URL and status;
    /// - [`ErrorKind::Download`] when the server cannot be reached or the connection
    ///   breaks (the bytes received are kept for resuming);
    /// - [`ErrorKind::WrongSize`] when the file is shorter or longer than announced or
    ///   expected (a shorter one is kept for resuming, a longer one removed);
    /// - [`ErrorKind::DownloadCancelled`] when the cancel flag was set;
    /// - [`ErrorKind::DownloadInProgress`] when another download holds the partial file;
    /// - [`ErrorKind::Cache`] when the target directory cannot be written.
    pub fn download_url(
        &self,
        url: &str,
        target: &Path,
        expected_bytes: Option<u64>,
        mut progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded> {
        if let Some(bytes) = regular_file_len(target)? {
            return Ok(Downloaded {
                path: target.to_path_buf(),
                bytes,
                resumed_from: 0,
                already_cached: true,
            });
        }
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(cache_error(dir))?;
        }
        let partial = partial_path(target);
        let mut job = Job {
            url,
            partial: &partial,
            file: open_locked(&partial)?,
            expected_bytes,
            cancel: self.cancel.as_deref(),
        };
        let result = job.run(&self.agent(), &mut progress);
        // Rename or remove while still holding the lock, so that no other download can
        // start on the partial file in between.
        let outcome = match result {
            Ok(fetched) => {
                std::fs::rename(&partial, target).map_err(cache_error(target))?;
                Ok(Downloaded {
                    path: target.to_path_buf(),
                    bytes: fetched.bytes,
                    resumed_from: fetched.resumed_from,
                    already_cached: false,
                })
            }
            Err(failure) => {
                // A partial file that holds nothing, or bytes that are not a prefix of the
                // file, is no use to the next attempt.
                let empty = regular_file_len(&partial).ok().flatten() == Some(0);
                if empty || failure.discard_partial {
                    // Best effort: the error being reported matters more than this one.
                    let _ = std::fs::remove_file(&partial);
                }
                Err(failure.error)
            }
        };
        drop(job);
        outcome
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            // Statuses are handled here: a 416 can mean "already complete".
            .http_status_as_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .user_agent(concat!("synphys/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent()
    }
}

/// One download into a locked partial file.
struct Job<'a> {
    url: &'a str,
    partial: &'a Path,
    file: File,
    expected_bytes: Option<u64>,
    cancel: Option<&'a AtomicBool>,
}

/// What a successful transfer left in the partial file.
struct Fetched {
    bytes: u64,
    resumed_from: u64,
}

/// A failed transfer, and whether the partial file must go.
struct Failure {
    error: Error,
    discard_partial: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            discard_partial: false,
        }
    }
}

/// How the server answered a (possibly ranged) request.
#[derive(Debug)]
enum Answer {
    /// The body continues the partial file from `offset`; `total` is the file's size.
    Continue { total: Option<u64> },
    /// The body is the whole file: the partial file starts over.
    Restart { total: Option<u64> },
    /// The partial file already holds the whole file (416 with a matching size).
    Complete,
    /// The server cannot serve the range asked for: ask again from zero.
    RetryFromZero,
}

impl Job<'_> {
    fn run(
        &mut self,
        agent: &ureq::Agent,
        progress: &mut dyn FnMut(DownloadProgress),
    ) -> Result<Fetched, Failure> {
        let mut offset = self.len()?;
        if self
            .expected_bytes
            .is_some_and(|expected| offset > expected)
        {
            offset = self.truncate()?;
        }
        if offset > 0 && self.expected_bytes == Some(offset) {
            // Complete already (an earlier run stopped just before renaming).
            return Ok(Fetched {
                bytes: offset,
                resumed_from: offset,
            });
        }
        for _ in 0..MAX_ATTEMPTS {
            let mut request = agent.get(self.url);
            if offset > 0 {
                request = request.header("Range", format!("bytes={offset}-"));
            }
            let response = request.call().map_err(|e| self.broken(e.to_string()))?;
            let (parts, body) = response.into_parts();
            let answer = classify(self.url, parts.status, &parts.headers, offset)?;
            let (total, resumed_from) = match answer {
                Answer::Complete => {
                    if let Some(expected) = self.expected_bytes {
                        // Shorter than expected: longer or equal was settled above.
                        return Err(self
                            .wrong_size(expected, offset, "the server announced")
                            .into());
                    }
                    return Ok(Fetched {
                        bytes: offset,
                        resumed_from: offset,
                    });
                }
                Answer::RetryFromZero => {
                    offset = self.truncate()?;
                    continue;
                }
                Answer::Continue { total } => {
                    (total.or(body.content_length().map(|n| n + offset)), offset)
                }
                Answer::Restart { total } => (total, self.truncate()?),
            };
            if let (Some(total), Some(expected)) = (total, self.expected_bytes)
                && total != expected
            {
                return Err(self
                    .wrong_size(expected, total, "the server announced")
                    .into());
            }
            let bytes = self.stream(body.into_reader(), total, resumed_from, progress)?;
            return Ok(Fetched {
                bytes,
                resumed_from,
            });
        }
        Err(self
            .broken(format!(
                "the server did not send the byte range asked for, even from the start; \
                 remove {} if the next attempt fails the same way",
                self.partial.display()
            ))
            .into())
    }

    /// Copies `body` to the end of the partial file, reporting progress after each chunk,
    /// and checks the final size.
    fn stream(
        &mut self,
        mut body: impl Read,
        total: Option<u64>,
        resumed_from: u64,
        progress: &mut dyn FnMut(DownloadProgress),
    ) -> Result<u64, Failure> {
        self.file
            .seek(SeekFrom::Start(resumed_from))
            .map_err(cache_error(self.partial))?;
        // The most bytes the file may have: more is an error caught as soon as it arrives.
        let limit = match (total, self.expected_bytes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut downloaded = resumed_from;
        let total_bytes = total.or(self.expected_bytes);
        let mut report = |downloaded_bytes| {
            progress(DownloadProgress {
                downloaded_bytes,
                total_bytes,
                resumed_from,
            })
        };
        report(downloaded);
        let mut buffer = vec![0u8; CHUNK_BYTES];
        loop {
            if self.cancel.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
                self.sync()?;
                let cancelled = ErrorKind::DownloadCancelled {
                    url: self.url.to_string(),
                    partial: self.partial.to_path_buf(),
                    bytes: downloaded,
                };
                return Err(Error::from(cancelled).into());
            }
            let read = match body.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.sync()?;
                    let of_total = total.map_or(String::new(), |t| format!(" of {t}"));
                    return Err(self
                        .broken(format!(
                            "the connection broke after {downloaded}{of_total} bytes: {e}"
                        ))
                        .into());
                }
            };
            let chunk = &buffer[..read];
            let after = downloaded + chunk.len() as u64;
            if let Some(limit) = limit.filter(|&limit| after > limit) {
                return Err(Failure {
                    error: self.wrong_size(limit, after, "received at least"),
                    discard_partial: true,
                });
            }
            self.file
                .write_all(chunk)
                .map_err(cache_error(self.partial))?;
            downloaded = after;
            report(downloaded);
        }
        self.sync()?;
        if let Some(limit) = limit.filter(|&limit| downloaded != limit) {
            return Err(self
                .wrong_size(limit, downloaded, "the connection closed after")
                .into());
        }
        Ok(downloaded)
    }

    fn len(&self) -> Result<u64> {
        Ok(self
            .file
            .metadata()
            .map_err(cache_error(self.partial))?
            .len())
    }

    fn truncate(&mut self) -> Result<u64> {
        self.file.set_len(0).map_err(cache_error(self.partial))?;
        Ok(0)
    }

    fn sync(&mut self) -> Result<()> {
        self.file.sync_all().map_err(cache_error(self.partial))
    }

    fn broken(&self, reason: String) -> Error {
        ErrorKind::Download {
            url: self.url.to_string(),
            reason,
        }
        .into()
    }

    /// The size is wrong: `expected` bytes were due, `found` is what `what` said or gave.
    fn wrong_size(&self, expected: u64, found: u64, what: &str) -> Error {
        ErrorKind::WrongSize {
            url: self.url.to_string(),
            expected_bytes: expected,
            found_bytes: found,
            what: what.to_string(),
        }
        .into()
    }
}

/// Reads the status and headers of the answer to a request for bytes from `offset` on.
fn classify(url: &str, status: StatusCode, headers: &HeaderMap, offset: u64) -> Result<Answer> {
    let content_range = headers
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .and_then(ContentRange::parse);
    let content_length = || {
        headers
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    match status.as_u16() {
        200 => Ok(Answer::Restart {
            total: content_length(),
        }),
        206 => Ok(match content_range {
            Some(ContentRange::Bytes { start, total }) if start == offset => {
                Answer::Continue { total }
            }
            // A range other than the one asked for: start over rather than guess.
            _ => Answer::RetryFromZero,
        }),
        416 if offset > 0 => Ok(match content_range {
            Some(ContentRange::Unsatisfied { total }) if total == offset => Answer::Complete,
            _ => Answer::RetryFromZero,
        }),
        _ => Err(ErrorKind::HttpStatus {
            url: url.to_string(),
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
        }
        .into()),
    }
}

/// A `Content-Range` header: `bytes 100-199/1000`, `bytes 100-199/*` or `bytes */1000`.
#[derive(Debug, PartialEq, Eq)]
enum ContentRange {
    Bytes { start: u64, total: Option<u64> },
    Unsatisfied { total: u64 },
}

impl ContentRange {
    fn parse(header: &str) -> Option<ContentRange> {
        let spec = header.trim().strip_prefix("bytes")?.trim_start();
        let (range, total) = spec.split_once('/')?;
        let total = total.trim();
        if range.trim() == "*" {
            return Some(ContentRange::Unsatisfied {
                total: total.parse().ok()?,
            });
        }
        let (start, _end) = range.split_once('-')?;
        Some(ContentRange::Bytes {
            start: start.trim().parse().ok()?,
            total: if total == "*" {
                None
            } else {
                Some(total.parse().ok()?)
            },
        })
    }
}

/// Opens (creating) the partial file without truncating it, and locks it so that two
/// downloads of the same file cannot interleave their bytes.
fn open_locked(partial: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(partial)
        .map_err(cache_error(partial))?;
    let busy = || -> Error {
        ErrorKind::DownloadInProgress {
            partial: partial.to_path_buf(),
        }
        .into()
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(busy()),
        Err(std::fs::TryLockError::Error(source)) => return Err(cache_error(partial)(source)),
    }
    // Another download may have finished and renamed this very file between our open and
    // our lock: writing to it then would change the installed file.
    if !still_at(&file, partial) {
        return Err(busy());
    }
    Ok(file)
}

/// Whether the open `file` is still the one named `path`.
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Whether a file is still named `path` (without inode numbers, only the path is checked).
#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

fn cache_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| {
        ErrorKind::Cache {
            path: path.to_path_buf(),
            source,
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_file_renamed_away_after_opening_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let partial = dir.path().join("f.partial");
        let file = open_locked(&partial).unwrap();
        assert!(still_at(&file, &partial));
        std::fs::rename(&partial, dir.path().join("f")).unwrap();
        assert!(!still_at(&file, &partial));
        // A new partial file under the old name is a different file.
        std::fs::write(&partial, b"new").unwrap();
        assert!(!still_at(&file, &partial));
    }

    #[test]
    fn content_range_headers_parse() {
        assert_eq!(
            ContentRange::parse("bytes 100-199/1000"),
            Some(ContentRange::Bytes {
                start: 100,
                total: Some(1000)
            })
        );
        assert_eq!(
            ContentRange::parse("bytes 5-9/*"),
            Some(ContentRange::Bytes {
                start: 5,
                total: None
            })
        );
        assert_eq!(
            ContentRange::parse("bytes */1000"),
            Some(ContentRange::Unsatisfied { total: 1000 })
        );
        for bad in [
            "",
            "bytes",
            "items 1-2/3",
            "bytes 1-2",
            "bytes x-2/3",
            "bytes */*",
        ] {
            assert_eq!(ContentRange::parse(bad), None, "{bad}");
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn answers_are_classified_by_status_and_range() {
        let url = "http://127.0.0.1:9/f";
        let ok = |code: u16, h: &[(&'static str, &str)], offset| {
            classify(
                url,
                StatusCode::from_u16(code).unwrap(),
                &headers(h),
                offset,
            )
            .unwrap()
        };
        assert!(matches!(
            ok(200, &[("content-length", "10")], 4),
            Answer::Restart { total: Some(10) }
        ));
        assert!(matches!(
            ok(206, &[("content-range", "bytes 4-9/10")], 4),
            Answer::Continue { total: Some(10) }
        ));
        assert!(matches!(
            ok(206, &[("content-range", "bytes 0-9/10")], 4),
            Answer::RetryFromZero
        ));
        assert!(matches!(
            ok(416, &[("content-range", "bytes */4")], 4),
            Answer::Complete
        ));
        assert!(matches!(
            ok(416, &[("content-range", "bytes */3")], 4),
            Answer::RetryFromZero
        ));
        let err = classify(url, StatusCode::NOT_FOUND, &headers(&[]), 0).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::HttpStatus { status: 404, .. }
        ));
        assert!(
            err.to_string().contains(url) && err.to_string().contains("404"),
            "{err}"
        );
        // 416 to an unranged request is a plain error.
        assert!(classify(url, StatusCode::RANGE_NOT_SATISFIABLE, &headers(&[]), 0).is_err());
    }
}
