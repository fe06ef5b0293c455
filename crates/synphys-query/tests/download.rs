//! Downloads against a local HTTP/1.1 server on 127.0.0.1 started by each test: full
//! download, interruption and resumption, cancellation, server errors, wrong sizes, and a
//! server that ignores `Range`. No outside network is used.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use synphys_query::{
    Cache, CacheStatus, Catalog, DownloadProgress, Downloader, ErrorKind, SizeClass,
};

/// The served file's size: several read chunks, not a multiple of any buffer size.
const FILE_BYTES: usize = 200_003;

/// The served file: a seeded pseudo-random byte pattern.
fn served_file() -> Arc<Vec<u8>> {
    let mut bytes = vec![0u8; FILE_BYTES];
    Pcg64::seed_from_u64(20_260_829).fill_bytes(&mut bytes);
    Arc::new(bytes)
}

/// How the test server answers one request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// 200 with the whole file, or 206 from the requested offset (416 past the end).
    HonourRange,
    /// 200 with the whole file whatever the `Range` header asks.
    IgnoreRange,
    /// As `HonourRange`, announcing the full length but closing after this many bytes.
    CutAfter(usize),
    /// This error status with a short body.
    Status(u16),
    /// 200 announcing this `Content-Length`, then sending the whole file.
    AnnounceLength(usize),
    /// 200 without `Content-Length`: the whole file, ended by closing the connection.
    CloseDelimited,
}

/// What the server was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    path: String,
    range: Option<String>,
}

/// A bounded HTTP/1.1 server: it answers one connection per reply, in order, then its
/// thread ends. `finish` wakes it if fewer requests came than expected.
struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    thread: JoinHandle<()>,
}

impl TestServer {
    fn start(file: Arc<Vec<u8>>, replies: Vec<Reply>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, requests) = (Arc::clone(&stop), Arc::clone(&requests));
            std::thread::spawn(move || {
                for reply in replies {
                    let Ok((stream, _)) = listener.accept() else {
                        return;
                    };
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let request = read_request(&stream);
                    let start = range_start(&request);
                    requests.lock().unwrap().push(request);
                    // The client may hang up early (cancellation): write errors are expected.
                    let _ = respond(stream, &file, reply, start);
                }
            })
        };
        TestServer {
            addr,
            stop,
            requests,
            thread,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and returns the requests it saw.
    fn finish(self) -> Vec<Request> {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes a thread still waiting in `accept`; refused when it already ended.
        let _ = TcpStream::connect(self.addr);
        self.thread.join().unwrap();
        let requests = self.requests.lock().unwrap();
        requests.clone()
    }
}

fn read_request(stream: &TcpStream) -> Request {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut range = None;
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("range")
        {
            range = Some(value.trim().to_string());
        }
    }
    Request { path, range }
}

fn range_start(request: &Request) -> usize {
    request
        .range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .map_or(0, |start| start.parse().unwrap())
}

fn respond(mut stream: TcpStream, file: &[u8], reply: Reply, start: usize) -> std::io::Result<()> {
    let len = file.len();
    let ranged_head = |start: usize| {
        if start == 0 {
            format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n")
        } else {
            format!(
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{}/{len}\r\nContent-Length: {}\r\n",
                len - 1,
                len - start
            )
        }
    };
    let (head, body): (String, &[u8]) = match reply {
        Reply::HonourRange if start >= len => (
            format!(
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\n"
            ),
            &[],
        ),
        Reply::HonourRange => (ranged_head(start), &file[start..]),
        Reply::CutAfter(n) => (ranged_head(start), &file[start..start + n]),
        Reply::IgnoreRange => (
            format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n"),
            file,
        ),
        Reply::Status(code) => (
            format!("HTTP/1.1 {code} Failure\r\nContent-Length: 4\r\n"),
            b"oops",
        ),
        Reply::AnnounceLength(n) => (format!("HTTP/1.1 200 OK\r\nContent-Length: {n}\r\n"), file),
        Reply::CloseDelimited => ("HTTP/1.1 200 OK\r\n".to_string(), file),
    };
    stream.write_all(head.as_bytes())?;
    stream.write_all(b"Connection: close\r\n\r\n")?;
    stream.write_all(body)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

/// A served file, a server answering with `replies`, and a download target (with its URL)
/// in a fresh directory that lives as long as `_dir`.
struct Scenario {
    file: Arc<Vec<u8>>,
    server: TestServer,
    url: String,
    target: PathBuf,
    _dir: tempfile::TempDir,
}

fn scenario(replies: Vec<Reply>) -> Scenario {
    let file = served_file();
    let server = TestServer::start(Arc::clone(&file), replies);
    let dir = tempfile::tempdir().unwrap();
    Scenario {
        url: format!("{}/synphys_test.sqlite", server.url()),
        target: target_in(dir.path()),
        file,
        server,
        _dir: dir,
    }
}

/// A URL on 127.0.0.1 where nothing listens (the port was just freed).
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/synphys_test.sqlite")
}

fn target_in(dir: &Path) -> PathBuf {
    dir.join("synphys_test.sqlite")
}

fn partial_of(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_os_string();
    name.push(".partial");
    PathBuf::from(name)
}

/// Checks that progress reports start at the resumed offset, never go back, and end at
/// the file's size.
fn check_progress(reports: &[DownloadProgress], resumed_from: u64, total: u64) {
    assert!(!reports.is_empty());
    assert_eq!(reports[0].downloaded_bytes, resumed_from);
    assert!(
        reports
            .windows(2)
            .all(|w| w[0].downloaded_bytes <= w[1].downloaded_bytes)
    );
    assert!(reports.iter().all(|r| r.resumed_from == resumed_from));
    assert!(reports.iter().all(|r| r.total_bytes == Some(total)));
    assert_eq!(reports.last().unwrap().downloaded_bytes, total);
}

#[test]
fn a_full_download_lands_in_the_cache_under_its_published_name() {
    let file = served_file();
    let server = TestServer::start(Arc::clone(&file), vec![Reply::HonourRange]);
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(dir.path().join("nested/cache"));
    let catalog = Catalog::published().unwrap();
    let small = catalog.resolve("small").unwrap();
    let downloader = Downloader::new().url_prefix(server.url());
    assert_eq!(
        downloader.url_for(&catalog, small),
        format!("{}/{}", server.url(), small.file)
    );

    let mut reports = Vec::new();
    let done = downloader
        .download(&catalog, small, &cache, |p| reports.push(p))
        .unwrap();
    let requests = server.finish();

    assert_eq!(
        requests,
        [Request {
            path: format!("/{}", small.file),
            range: None
        }]
    );
    assert_eq!(done.path, cache.path_for(small));
    assert_eq!(done.bytes, file.len() as u64);
    assert_eq!((done.resumed_from, done.already_cached), (0, false));
    assert_eq!(std::fs::read(&done.path).unwrap(), *file);
    assert!(
        reports.len() > 2,
        "one report per chunk, got {}",
        reports.len()
    );
    check_progress(&reports, 0, file.len() as u64);
    assert_eq!(
        cache.status(small).unwrap(),
        CacheStatus::Complete {
            path: done.path.clone(),
            bytes: file.len() as u64
        }
    );
    assert!(!cache.partial_path_for(small).exists());
    let found = cache
        .newest_cached(&catalog, SizeClass::Small)
        .unwrap()
        .unwrap();
    assert_eq!(found.path, done.path);

    // A second download finds the file complete and asks no server.
    let again = Downloader::new()
        .url_prefix(closed_port_url())
        .download(&catalog, small, &cache, |_| panic!("no progress expected"))
        .unwrap();
    assert!(again.already_cached);
    assert_eq!((again.path, again.bytes), (done.path, done.bytes));
}

#[test]
fn an_interrupted_download_keeps_its_prefix_and_resumes_with_a_range_request() {
    let cut = 70_001;
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::CutAfter(cut), Reply::HonourRange]);
    let downloader = Downloader::new();

    let err = downloader
        .download_url(&url, &target, None, |_| {})
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Download { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
    assert!(
        !target.exists(),
        "an incomplete file must never take the final name"
    );
    let kept = std::fs::read(partial_of(&target)).unwrap();
    assert_eq!(kept.len(), cut);
    assert_eq!(kept, file[..cut]);

    let mut reports = Vec::new();
    let done = downloader
        .download_url(&url, &target, Some(file.len() as u64), |p| reports.push(p))
        .unwrap();
    let requests = server.finish();

    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].range, None);
    assert_eq!(requests[1].range, Some(format!("bytes={cut}-")));
    assert_eq!(done.resumed_from, cut as u64);
    assert_eq!(std::fs::read(&target).unwrap(), *file);
    assert!(!partial_of(&target).exists());
    check_progress(&reports, cut as u64, file.len() as u64);
}

#[test]
fn a_cancelled_download_stops_cleanly_and_the_next_one_resumes() {
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::HonourRange, Reply::HonourRange]);
    let cancel = Arc::new(AtomicBool::new(false));
    let downloader = Downloader::new().cancel_flag(Arc::clone(&cancel));

    let err = downloader
        .download_url(&url, &target, None, |p| {
            if p.downloaded_bytes > 0 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap_err();
    let ErrorKind::DownloadCancelled { partial, bytes, .. } = err.kind() else {
        panic!("expected a cancellation, got {err}");
    };
    assert_eq!(partial, &partial_of(&target));
    let kept = std::fs::read(partial).unwrap();
    assert_eq!(kept.len() as u64, *bytes);
    assert!(*bytes > 0 && *bytes < file.len() as u64);
    assert_eq!(kept, file[..kept.len()]);
    assert!(!target.exists());

    cancel.store(false, Ordering::Relaxed);
    let done = downloader
        .download_url(&url, &target, None, |_| {})
        .unwrap();
    let requests = server.finish();
    assert_eq!(requests[1].range, Some(format!("bytes={bytes}-")));
    assert_eq!(done.resumed_from, *bytes);
    assert_eq!(std::fs::read(&target).unwrap(), *file);
}

#[test]
fn a_server_that_ignores_range_restarts_the_file_from_zero() {
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::IgnoreRange]);
    // A partial file whose bytes are not the file's, and more of them than the file has
    // (the served file was replaced by a smaller one): a restart must drop every one.
    let stale = FILE_BYTES + 1_000;
    std::fs::write(partial_of(&target), vec![0xAB; stale]).unwrap();

    let mut reports = Vec::new();
    let done = Downloader::new()
        .download_url(&url, &target, None, |p| reports.push(p))
        .unwrap();
    let requests = server.finish();

    assert_eq!(requests[0].range, Some(format!("bytes={stale}-")));
    assert_eq!(done.resumed_from, 0);
    assert_eq!(done.bytes, file.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), *file);
    check_progress(&reports, 0, file.len() as u64);
}

#[test]
fn server_errors_name_the_url_and_status_and_install_nothing() {
    let Scenario {
        server,
        url,
        target,
        _dir,
        ..
    } = scenario(vec![Reply::Status(500), Reply::Status(404)]);
    for expected in [500, 404] {
        let err = Downloader::new()
            .download_url(&url, &target, None, |_| {})
            .unwrap_err();
        let ErrorKind::HttpStatus {
            url: named, status, ..
        } = err.kind()
        else {
            panic!("expected an HTTP status error, got {err}");
        };
        assert_eq!((named.as_str(), *status), (url.as_str(), expected));
        assert!(
            err.to_string().contains(&format!("HTTP {expected}")),
            "{err}"
        );
        assert!(!target.exists());
        assert!(
            !partial_of(&target).exists(),
            "an empty partial file is not left behind"
        );
    }
    assert_eq!(server.finish().len(), 2);
}

#[test]
fn an_announced_size_that_differs_from_the_expected_one_is_refused_before_writing() {
    let announced = FILE_BYTES - 1_000;
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::AnnounceLength(announced)]);

    let err = Downloader::new()
        .download_url(&url, &target, Some(file.len() as u64), |_| {})
        .unwrap_err();
    server.finish();
    let ErrorKind::WrongSize {
        expected_bytes,
        found_bytes,
        ..
    } = err.kind()
    else {
        panic!("expected a size error, got {err}");
    };
    assert_eq!(
        (*expected_bytes, *found_bytes),
        (file.len() as u64, announced as u64)
    );
    assert!(!target.exists());
    assert!(!partial_of(&target).exists());
}

#[test]
fn more_bytes_than_expected_is_an_error_that_discards_the_partial_file() {
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::CloseDelimited]);
    let expected = file.len() as u64 - 1;

    let err = Downloader::new()
        .download_url(&url, &target, Some(expected), |_| {})
        .unwrap_err();
    server.finish();
    let ErrorKind::WrongSize {
        expected_bytes,
        found_bytes,
        ..
    } = err.kind()
    else {
        panic!("expected a size error, got {err}");
    };
    assert_eq!(*expected_bytes, expected);
    assert!(*found_bytes > expected);
    assert!(!target.exists());
    assert!(
        !partial_of(&target).exists(),
        "bytes past the expected end are not a prefix"
    );
}

#[test]
fn a_connection_closing_before_the_expected_size_keeps_the_prefix() {
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::CloseDelimited, Reply::CloseDelimited]);

    // The caller expects more bytes than the server has: a short file is kept, not installed.
    let expected = file.len() as u64 + 5;
    let err = Downloader::new()
        .download_url(&url, &target, Some(expected), |_| {})
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WrongSize { expected_bytes, found_bytes, .. }
            if *expected_bytes == expected && *found_bytes == file.len() as u64),
        "{err}"
    );
    assert!(!target.exists());
    assert_eq!(std::fs::read(partial_of(&target)).unwrap(), *file);

    // Without a known size, a body ended by closing the connection is complete; the
    // partial file is resumed by a server that answers 200, so it restarts from zero.
    let done = Downloader::new()
        .download_url(&url, &target, None, |_| {})
        .unwrap();
    server.finish();
    assert_eq!(done.resumed_from, 0);
    assert_eq!(std::fs::read(&target).unwrap(), *file);
}

#[test]
fn a_complete_partial_file_is_installed_when_the_server_says_the_range_is_past_the_end() {
    let Scenario {
        file,
        server,
        url,
        target,
        _dir,
    } = scenario(vec![Reply::HonourRange]);
    std::fs::write(partial_of(&target), &*file).unwrap();

    let done = Downloader::new()
        .download_url(&url, &target, None, |_| {})
        .unwrap();
    let requests = server.finish();
    assert_eq!(requests[0].range, Some(format!("bytes={}-", file.len())));
    assert_eq!(done.resumed_from, file.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), *file);
    assert!(!partial_of(&target).exists());
}

#[test]
fn a_partial_file_of_the_expected_size_is_installed_without_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let target = target_in(dir.path());
    std::fs::write(partial_of(&target), b"0123456789").unwrap();
    let done = Downloader::new()
        .download_url(&closed_port_url(), &target, Some(10), |_| {})
        .unwrap();
    assert_eq!((done.bytes, done.resumed_from), (10, 10));
    assert_eq!(std::fs::read(&target).unwrap(), b"0123456789");
}

#[test]
fn an_unreachable_server_is_a_download_error_naming_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let target = target_in(dir.path());
    let url = closed_port_url();
    let err = Downloader::new()
        .download_url(&url, &target, None, |_| {})
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Download { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
    assert!(err.to_string().contains("run the download again"), "{err}");
    assert!(!partial_of(&target).exists());
}

#[test]
fn a_second_download_of_the_same_file_is_refused_while_the_first_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = target_in(dir.path());
    std::fs::write(partial_of(&target), b"abc").unwrap();
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(partial_of(&target))
        .unwrap();
    holder.lock().unwrap();

    let err = Downloader::new()
        .download_url(&closed_port_url(), &target, None, |_| {})
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::DownloadInProgress { .. }),
        "{err}"
    );
    assert_eq!(std::fs::read(partial_of(&target)).unwrap(), b"abc");
    drop(holder);
}
