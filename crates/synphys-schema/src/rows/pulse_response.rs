table_row! {
    /// The stretch of a postsynaptic recording around one presynaptic stimulus pulse:
    /// the raw material of every synaptic measurement.
    pub struct PulseResponse in "pulse_response" {
        /// Row id.
        pub id: i64,
        /// The postsynaptic recording the stretch was cut from (`recording.id`).
        pub recording_id: Option<i64>,
        /// The presynaptic pulse responded to (`stim_pulse.id`).
        pub stim_pulse_id: Option<i64>,
        /// The pre → post pair this response belongs to (`pair.id`).
        pub pair_id: Option<i64>,
        /// A stimulus-free snippet from the same recording, matched to this response for
        /// comparison (`baseline.id`).
        pub baseline_id: Option<i64>,
        /// The postsynaptic recording around the pulse, resampled to 20 kHz: membrane
        /// potential in volts (current clamp) or current in amperes (voltage clamp).
        /// Absent from "medium" files.
        pub data: Option<crate::NpyArray>,
        /// Time of the first sample of `data` relative to the start of the recording, in
        /// seconds.
        pub data_start_time: Option<f64>,
        /// Whether the response passes quality control for detecting excitatory synapses.
        pub ex_qc_pass: Option<bool>,
        /// Whether the response passes quality control for detecting inhibitory synapses.
        pub in_qc_pass: Option<bool>,
        /// Further information as JSON (e.g. the reasons the response failed quality
        /// control).
        pub meta: Option<serde_json::Value>,
    }
}
