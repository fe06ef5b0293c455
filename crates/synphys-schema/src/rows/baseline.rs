table_row! {
    /// A stimulus-free snippet of a postsynaptic recording, used as the "no synapse"
    /// control for pulse responses.
    pub struct Baseline in "baseline" {
        /// Row id.
        pub id: i64,
        /// The recording the snippet was cut from (`recording.id`).
        pub recording_id: Option<i64>,
        /// The snippet, resampled to 20 kHz: membrane potential in volts (current clamp)
        /// or current in amperes (voltage clamp). Absent from "medium" files.
        pub data: Option<crate::NpyArray>,
        /// Time of the first sample of `data` relative to the start of the recording, in
        /// seconds.
        pub data_start_time: Option<f64>,
        /// The most common value in the snippet (its baseline level), in volts or amperes
        /// as `data`.
        pub mode: Option<f64>,
        /// Whether the snippet passes quality control for detecting excitatory synapses.
        pub ex_qc_pass: Option<bool>,
        /// Whether the snippet passes quality control for detecting inhibitory synapses.
        pub in_qc_pass: Option<bool>,
        /// Further information as JSON (e.g. the reasons the snippet failed quality
        /// control).
        pub meta: Option<serde_json::Value>,
    }
}
