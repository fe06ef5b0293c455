//! Progress bars on stderr (hidden when stderr is not a terminal or with `--quiet`)
//! and Ctrl-C handling: the first Ctrl-C sets a flag that long computations poll, so
//! they stop cleanly and the program exits with status 130.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Set by Ctrl-C.
pub(crate) static CANCEL: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed.
pub(crate) fn cancelled() -> bool {
    CANCEL.load(Ordering::Relaxed)
}

/// Makes Ctrl-C set [`CANCEL`] instead of killing the process (once per process).
pub(crate) fn catch_ctrl_c() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Without a handler Ctrl-C still stops the program, only less cleanly.
        let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
    });
}

/// A bar of `total` steps (`bytes` formats them as sizes) with an ETA.
pub(crate) fn bar(total: Option<u64>, message: &str, bytes: bool, quiet: bool) -> ProgressBar {
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        // indicatif draws nothing when stderr is not a terminal.
        ProgressDrawTarget::stderr()
    };
    let template = match (total.is_some(), bytes) {
        (true, true) => "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        (true, false) => "{msg} [{bar:30}] {percent}% {human_pos}/{human_len} ETA {eta}",
        (false, true) => "{msg} {spinner} {bytes} {bytes_per_sec}",
        (false, false) => "{msg} {spinner} {human_pos}",
    };
    let bar = ProgressBar::with_draw_target(total, target);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
