//! Short-term synaptic dynamics (STP) metrics of one synapse — the `dynamics` table of
//! the Allen Institute Synaptic Physiology Dataset — computed from plain per-pulse records.
//!
//! Give [`dynamics_from_events`] one [`PulseEvent`] per presynaptic pulse (its train
//! stimulus, pulse number and response amplitude), the noise-only baseline amplitudes and
//! the synapse's [`PspSign`]; it returns a [`DynamicsMetrics`] whose fields (and serde keys)
//! are the `dynamics` table's columns. The definitions follow DESIGN §7b and the
//! reference `aisynphys` pipeline; the crate README lists the conventions and the few
//! deliberate deviations. Amplitudes are volts; the `stp_*` and variability metrics are
//! dimensionless; a metric without enough samples is `None`.
//!
//! # Example: a 50 Hz train
//!
//! Five recordings of a depressing synapse: 12 pulses at 50 Hz with a 250 ms recovery
//! delay, amplitudes falling from 1 mV and recovering.
//!
//! ```
//! use synphys_dynamics::{dynamics_from_events, ClampMode, PspSign, PulseEvent};
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let shape_mv = [1.0, 0.8, 0.7, 0.6, 0.55, 0.5, 0.5, 0.5, 0.9, 0.8, 0.7, 0.6];
//!     let mut events = Vec::new();
//!     for recording_id in 0..5 {
//!         // A little per-recording scaling so the trains differ.
//!         let scale = 1.0 + 0.05 * recording_id as f64;
//!         for (i, mv) in shape_mv.iter().enumerate() {
//!             events.push(PulseEvent {
//!                 recording_id,
//!                 clamp_mode: ClampMode::Current,
//!                 pulse_number: i as u32 + 1,
//!                 induction_frequency_hz: Some(50.0),
//!                 recovery_delay_s: Some(0.251),
//!                 previous_pulse_dt_s: Some(if i == 0 { 15.0 } else { 0.02 }),
//!                 amplitude_v: Some(mv * scale * 1e-3),
//!                 qc_pass: true,
//!             });
//!         }
//!     }
//!     let baseline_v = [-0.02e-3, 0.01e-3, 0.03e-3, -0.01e-3];
//!     let metrics = dynamics_from_events(&events, &baseline_v, PspSign::Excitatory)?;
//!
//!     assert!(metrics.qc_pass);
//!     assert_eq!(metrics.stp_initial_50hz_n, 5.0);
//!     // Every train depresses by 20 % from pulse 1 to pulse 2.
//!     let ppr = metrics.paired_pulse_ratio_50hz.ok_or("no paired-pulse ratio")?;
//!     assert!((ppr - 0.8).abs() < 1e-9);
//!     assert!(metrics.stp_induction_50hz.ok_or("no induction")? < 0.0);
//!     // The 251 ms delay is snapped to 250 ms.
//!     assert_eq!(metrics.stp_recovery_250ms_n, 5.0);
//!     println!("{}", serde_json::to_string_pretty(&metrics)?);
//!     Ok(())
//! }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod error;
mod metrics;
mod stats;
mod trains;
mod types;

pub use error::{Error, ErrorKind, Result};
pub use trains::{RECOVERY_DELAY_TOLERANCE_S, STANDARD_RECOVERY_DELAYS_S, snap_recovery_delay};
pub use types::{
    ClampMode, DynamicsMetrics, PspSign, PulseEvent, StimulusKey, StimulusStp, SummaryStat,
};

/// Computes the `dynamics` table's metrics of one synapse from its pulse events.
///
/// Only QC-passed current-clamp events with a finite amplitude are used (voltage-clamp,
/// QC-failed and missing/NaN/infinite amplitudes are skipped); `baseline_amplitudes_v` are
/// noise-only amplitudes in volts, already QC-masked, with non-finite values treated as
/// missing. An empty event list gives all-null metrics with zero counts.
///
/// # Errors
///
/// [`ErrorKind::DuplicatePulse`] when two used events of one recording have the same
/// pulse number (the train would be ambiguous).
pub fn dynamics_from_events(
    events: &[PulseEvent],
    baseline_amplitudes_v: &[f64],
    sign: PspSign,
) -> Result<DynamicsMetrics> {
    metrics::compute(events, baseline_amplitudes_v, sign)
}

// Keeps the README's example compiling and running.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
