//! Sorting QC-passed current-clamp events into stimulus groups and trains.

use std::collections::HashMap;

use crate::error::{ErrorKind, Result};
use crate::types::{ClampMode, PulseEvent, StimulusKey};

/// The recovery delays of the standard induction/recovery protocol, in seconds.
pub const STANDARD_RECOVERY_DELAYS_S: [f64; 6] = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0];

/// How far (seconds) a recorded recovery delay may be from a standard one and still be
/// snapped to it.
pub const RECOVERY_DELAY_TOLERANCE_S: f64 = 5e-3;

/// Number of pulses in a train: 8 induction pulses, the recovery delay, 4 more.
pub(crate) const TRAIN_PULSES: usize = 12;

/// Snaps a recorded recovery delay (seconds) to the standard delay within 5 ms of it
/// (125, 250, 500, 1000, 2000 or 4000 ms); a delay near none of them is returned as
/// recorded.
///
/// ```
/// use synphys_dynamics::snap_recovery_delay;
/// assert_eq!(snap_recovery_delay(0.2531), 0.25);
/// assert_eq!(snap_recovery_delay(0.262), 0.262);
/// ```
pub fn snap_recovery_delay(delay_s: f64) -> f64 {
    let mut near = STANDARD_RECOVERY_DELAYS_S
        .iter()
        .filter(|d| (delay_s - **d).abs() <= RECOVERY_DELAY_TOLERANCE_S);
    // The reference snaps only when exactly one standard delay is within tolerance; the
    // standard delays are far apart, so that is every delay within tolerance of any.
    match (near.next(), near.next()) {
        (Some(d), None) => *d,
        _ => delay_s,
    }
}

/// The amplitude an event contributes, if it contributes at all: current clamp, QC
/// passed, and a finite amplitude (NaN/inf are treated as missing).
pub(crate) fn usable_amplitude(event: &PulseEvent) -> Option<f64> {
    if event.clamp_mode != ClampMode::Current || !event.qc_pass {
        return None;
    }
    event.amplitude_v.filter(|a| a.is_finite())
}

/// The pulse numbers 1..=N, for [`Train::pulses`].
pub(crate) const fn first<const N: usize>() -> [usize; N] {
    let mut numbers = [0; N];
    let mut i = 0;
    while i < N {
        numbers[i] = i + 1;
        i += 1;
    }
    numbers
}

/// One recording's responses to a 12-pulse train, keyed by pulse number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Train {
    amplitudes_v: [Option<f64>; TRAIN_PULSES],
}

impl Train {
    /// Amplitude of pulse `n` (1-based), if present.
    pub(crate) fn pulse(&self, n: usize) -> Option<f64> {
        *self.amplitudes_v.get(n.checked_sub(1)?)?
    }

    /// Amplitudes of pulses `numbers` (1-based), only if every one is present.
    pub(crate) fn pulses<const K: usize>(&self, numbers: [usize; K]) -> Option<[f64; K]> {
        let mut out = [0.0; K];
        for (slot, n) in out.iter_mut().zip(numbers) {
            *slot = self.pulse(n)?;
        }
        Some(out)
    }

    /// Number of consecutive pulses present from pulse 1.
    pub(crate) fn leading_run(&self) -> usize {
        self.amplitudes_v.iter().take_while(|a| a.is_some()).count()
    }
}

/// The trains recorded with one stimulus.
#[derive(Debug, Clone)]
pub(crate) struct StimulusGroup {
    pub(crate) key: StimulusKey,
    pub(crate) trains: Vec<Train>,
}

/// Hashable identity of an `Option<f64>` stimulus parameter (non-finite = missing).
fn param_bits(value: Option<f64>) -> Option<u64> {
    // `+ 0.0` folds −0 into +0 so both land in one group.
    value.filter(|v| v.is_finite()).map(|v| (v + 0.0).to_bits())
}

/// Groups the usable events by stimulus (clamp mode, induction frequency, snapped recovery
/// delay) and then by recording, in order of first appearance. Pulses outside 1..=12 take
/// no part in trains.
pub(crate) fn group_trains(events: &[PulseEvent]) -> Result<Vec<StimulusGroup>> {
    type ParamKey = (Option<u64>, Option<u64>);
    let mut groups: Vec<StimulusGroup> = Vec::new();
    let mut group_index: HashMap<ParamKey, usize> = HashMap::new();
    let mut train_index: HashMap<(usize, i64), usize> = HashMap::new();

    for (index, event) in events.iter().enumerate() {
        let Some(amplitude) = usable_amplitude(event) else {
            continue;
        };
        let pulse = event.pulse_number as usize;
        if !(1..=TRAIN_PULSES).contains(&pulse) {
            continue;
        }
        let frequency = event.induction_frequency_hz.filter(|f| f.is_finite());
        let delay = event
            .recovery_delay_s
            .filter(|d| d.is_finite())
            .map(snap_recovery_delay);
        let g = *group_index
            .entry((param_bits(frequency), param_bits(delay)))
            .or_insert_with(|| {
                groups.push(StimulusGroup {
                    key: StimulusKey {
                        clamp_mode: ClampMode::Current,
                        induction_frequency_hz: frequency,
                        recovery_delay_s: delay,
                    },
                    trains: Vec::new(),
                });
                groups.len() - 1
            });
        let Some(group) = groups.get_mut(g) else {
            continue; // unreachable: `g` was just issued for `groups`
        };
        let t = *train_index
            .entry((g, event.recording_id))
            .or_insert_with(|| {
                group.trains.push(Train::default());
                group.trains.len() - 1
            });
        let Some(slot) = group
            .trains
            .get_mut(t)
            .and_then(|train| train.amplitudes_v.get_mut(pulse - 1))
        else {
            continue; // unreachable: `t` and `pulse` were checked above
        };
        if slot.is_some() {
            return Err(ErrorKind::DuplicatePulse {
                index,
                recording_id: event.recording_id,
                pulse_number: event.pulse_number,
            }
            .into());
        }
        *slot = Some(amplitude);
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(recording_id: i64, pulse_number: u32, delay: f64, amp: f64) -> PulseEvent {
        PulseEvent {
            recording_id,
            clamp_mode: ClampMode::Current,
            pulse_number,
            induction_frequency_hz: Some(50.0),
            recovery_delay_s: Some(delay),
            previous_pulse_dt_s: None,
            amplitude_v: Some(amp),
            qc_pass: true,
        }
    }

    #[test]
    fn snapping_within_and_outside_tolerance() {
        assert_eq!(snap_recovery_delay(0.121), 0.125);
        assert_eq!(snap_recovery_delay(0.254), 0.25);
        assert_eq!(snap_recovery_delay(3.996), 4.0);
        assert_eq!(snap_recovery_delay(0.256), 0.256);
        assert_eq!(snap_recovery_delay(0.75), 0.75);
    }

    #[test]
    fn snapped_delays_share_a_group_and_recordings_split_trains() {
        let events = [
            event(1, 1, 0.252, 1.0),
            event(1, 2, 0.252, 2.0),
            event(2, 1, 0.248, 3.0),
            event(3, 1, 0.5, 4.0),
        ];
        let groups = group_trains(&events).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].key.recovery_delay_s, Some(0.25));
        assert_eq!(groups[0].trains.len(), 2);
        assert_eq!(groups[0].trains[0].pulses([1, 2]), Some([1.0, 2.0]));
        assert_eq!(groups[0].trains[1].pulse(1), Some(3.0));
        assert_eq!(groups[0].trains[1].leading_run(), 1);
        assert_eq!(groups[0].trains[1].pulses(first::<2>()), None);
        assert_eq!(first::<3>(), [1, 2, 3]);
        assert_eq!(groups[1].trains[0].pulse(1), Some(4.0));
    }

    #[test]
    fn duplicate_pulse_in_a_recording_is_an_error_naming_it() {
        let events = [event(7, 3, 0.25, 1.0), event(7, 3, 0.25, 2.0)];
        let err = group_trains(&events).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::DuplicatePulse {
                index: 1,
                recording_id: 7,
                pulse_number: 3
            }
        );
        assert!(err.to_string().contains("recording 7"));
    }

    #[test]
    fn out_of_train_pulse_numbers_are_left_out_of_trains() {
        let events = [event(1, 0, 0.25, 1.0), event(1, 13, 0.25, 2.0)];
        let groups = group_trains(&events).unwrap();
        assert!(groups.is_empty());
    }
}
