table_row! {
    /// Patch-clamp details of a recording made with a patch-clamp amplifier.
    pub struct PatchClampRecording in "patch_clamp_recording" {
        /// Row id.
        pub id: i64,
        /// The recording described (`recording.id`); at most one row per recording.
        pub recording_id: Option<i64>,
        /// Amplifier mode: `"ic"` (current clamp) or `"vc"` (voltage clamp).
        pub clamp_mode: Option<String>,
        /// State of the membrane patch, e.g. `"whole cell"`, `"cell attached"`,
        /// `"loose seal"`, `"bath"`, `"inside out"` or `"outside out"`.
        pub patch_mode: Option<String>,
        /// Median steady-state membrane potential during the recording (measured in
        /// current clamp, commanded in voltage clamp), in volts.
        pub baseline_potential: Option<f64>,
        /// Median steady-state current during the recording (measured in voltage clamp,
        /// injected in current clamp), in amperes.
        pub baseline_current: Option<f64>,
        /// Standard deviation of the steady-state part of the recording: the recording
        /// noise, in volts in current clamp or amperes in voltage clamp.
        pub baseline_noise_stdev: Option<f64>,
        /// The test pulse recorded nearest in time to this recording, possibly inside it
        /// (`test_pulse.id`).
        pub nearest_test_pulse_id: Option<i64>,
        /// Whether the recording passes basic electrophysiology quality control.
        pub qc_pass: Option<bool>,
        /// Holding (command) potential corrected for the voltage drop across the access
        /// resistance, in volts; meaningful in voltage clamp.
        pub access_adj_baseline_potential: Option<f64>,
        /// Further information as JSON (e.g. the reasons a recording failed quality
        /// control).
        pub meta: Option<serde_json::Value>,
    }
}
