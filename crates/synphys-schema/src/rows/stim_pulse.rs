table_row! {
    /// A stimulus pulse delivered to a presynaptic cell to evoke an action potential,
    /// with the spike it evoked. Times are relative to the start of the recording.
    pub struct StimPulse in "stim_pulse" {
        /// Row id.
        pub id: i64,
        /// The presynaptic recording the pulse was delivered in (`recording.id`).
        pub recording_id: Option<i64>,
        /// Position of the pulse within its train, counting from 1.
        pub pulse_number: Option<i64>,
        /// The cell stimulated, if any (`cell.id`).
        pub cell_id: Option<i64>,
        /// Start of the pulse, in seconds.
        pub onset_time: Option<f64>,
        /// Amplitude of the pulse as commanded: in amperes for a current-clamp stimulus
        /// (volts if the cell was in voltage clamp).
        pub amplitude: Option<f64>,
        /// Length of the pulse, in seconds.
        pub duration: Option<f64>,
        /// Number of spikes the pulse evoked.
        pub n_spikes: Option<i64>,
        /// Time of the first evoked spike, taken at its steepest rise, in seconds; null
        /// when no spike was detected.
        pub first_spike_time: Option<f64>,
        /// The presynaptic recording around the pulse (membrane potential in volts for a
        /// current-clamp recording), resampled to 20 kHz. Absent from "medium" files.
        pub data: Option<crate::NpyArray>,
        /// Time of the first sample of `data`, in seconds.
        pub data_start_time: Option<f64>,
        /// Location of the stimulus as a JSON list `[x, y, z]`, in the same experiment
        /// coordinates as `cell.position`.
        pub position: Option<serde_json::Value>,
        /// Whether the stimulation passed quality control.
        pub qc_pass: Option<bool>,
        /// Time since the previous pulse delivered to the same cell, in seconds; +∞ for
        /// the first.
        pub previous_pulse_dt: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
