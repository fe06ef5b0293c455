//! Stimulus protocols: the dataset's 12-pulse trains.

/// Spike times (seconds) of one 12-pulse train starting at `start`: 8 pulses at
/// `induction_frequency` (Hz), then, `recovery_delay` seconds after the 8th, 4 more at
/// the same frequency (as the dataset's multipatch probe stimuli).
///
/// ```
/// let t = synphys_release_model::twelve_pulse_train(0.0, 50.0, 0.25);
/// assert_eq!(t.len(), 12);
/// assert!((t[8] - t[7] - 0.25).abs() < 1e-12);
/// ```
pub fn twelve_pulse_train(start: f64, induction_frequency: f64, recovery_delay: f64) -> Vec<f64> {
    let period = 1.0 / induction_frequency;
    (0..12)
        .map(|i| {
            let t = start + i as f64 * period;
            if i >= 8 {
                t + recovery_delay - period
            } else {
                t
            }
        })
        .collect()
}

/// Spike times of `repetitions` rounds of every (induction frequency, recovery delay)
/// pair, one 12-pulse train every `interval` seconds, frequencies outermost.
///
/// ```
/// let t = synphys_release_model::train_protocol(&[20.0, 50.0], &[0.25, 1.0], 3, 15.0);
/// assert_eq!(t.len(), 2 * 2 * 3 * 12);
/// assert!(t.windows(2).all(|w| w[0] < w[1]));
/// ```
pub fn train_protocol(
    frequencies: &[f64],
    recovery_delays: &[f64],
    repetitions: usize,
    interval: f64,
) -> Vec<f64> {
    let mut times = Vec::new();
    let mut start = 0.0;
    for _ in 0..repetitions {
        for &f in frequencies {
            for &d in recovery_delays {
                times.extend(twelve_pulse_train(start, f, d));
                start += interval;
            }
        }
    }
    times
}
