table_row! {
    /// Train-protocol details of a recording whose stimulus probes synaptic connections
    /// and their short-term dynamics: a train of presynaptic spikes at an induction
    /// frequency, a recovery delay, then more spikes.
    pub struct MultiPatchProbe in "multi_patch_probe" {
        /// Row id.
        pub id: i64,
        /// The patch-clamp recording described (`patch_clamp_recording.id`); at most one
        /// row per recording.
        pub patch_clamp_recording_id: Option<i64>,
        /// Frequency of the induction pulses of the train, in hertz.
        pub induction_frequency: Option<f64>,
        /// Delay between the induction pulses and the recovery pulses, in seconds.
        pub recovery_delay: Option<f64>,
        /// Number of presynaptic spikes the train evoked.
        pub n_spikes_evoked: Option<i64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
