table_row! {
    /// One continuous recording from one electrode during one sweep.
    pub struct Recording in "recording" {
        /// Row id.
        pub id: i64,
        /// The sweep this recording is part of (`sync_rec.id`).
        pub sync_rec_id: Option<i64>,
        /// The electrode that recorded it (`electrode.id`).
        pub electrode_id: Option<i64>,
        /// Wall-clock time at which the recording started.
        pub start_time: Option<chrono::NaiveDateTime>,
        /// Sampling rate of the recording as acquired, in hertz.
        pub sample_rate: Option<i64>,
        /// Name of the acquisition device (amplifier channel) that produced it.
        pub device_name: Option<String>,
        /// Name of the stimulus protocol played during the recording, if any.
        pub stim_name: Option<String>,
        /// The stimulus waveform as JSON: its components (pulses, trains, holding level…)
        /// with their timing and amplitudes, as saved by the acquisition analysis code.
        pub stim_meta: Option<serde_json::Value>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
