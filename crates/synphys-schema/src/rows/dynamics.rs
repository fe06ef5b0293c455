table_row! {
    /// Short-term plasticity of a chemical synapse: how its response amplitude changes
    /// along trains of presynaptic spikes, and how variable it is.
    ///
    /// Computed from the QC-passed current-clamp response amplitudes of one synapse
    /// (`pulse_response_fit.dec_fit_reconv_amp`, in volts). Trains have 12 pulses: 8 at
    /// the induction frequency, a recovery delay, then 4 more. The `stp_*` metrics are
    /// amplitude changes divided by `pulse_amp_90th_percentile`, hence dimensionless;
    /// each is a median over trains, with `_n` the number of trains and `_std` the
    /// population standard deviation over them. DESIGN §7b gives the exact definitions.
    pub struct Dynamics in "dynamics" {
        /// Row id.
        pub id: i64,
        /// The pair whose synapse is described (`pair.id`); at most one row per pair.
        pub pair_id: Option<i64>,
        /// Whether enough responses (at least 10) were available for the metrics.
        pub qc_pass: Option<bool>,
        /// Number of QC-passed response amplitudes the metrics were computed from.
        pub n_source_events: Option<i64>,
        /// Median ratio of the second to the first response amplitude in 50 Hz trains
        /// (dimensionless).
        pub paired_pulse_ratio_50hz: Option<f64>,
        /// Initial change in 50 Hz trains: (a₂ − a₁) / amp90 (dimensionless).
        pub stp_initial_50hz: Option<f64>,
        /// Number of trains behind `stp_initial_50hz` (a count stored as a float).
        pub stp_initial_50hz_n: Option<f64>,
        /// Population standard deviation over trains of `stp_initial_50hz`
        /// (dimensionless).
        pub stp_initial_50hz_std: Option<f64>,
        /// Induced change in 50 Hz trains: (median(a₆, a₇, a₈) − a₁) / amp90
        /// (dimensionless).
        pub stp_induction_50hz: Option<f64>,
        /// Number of trains behind `stp_induction_50hz` (a count stored as a float).
        pub stp_induction_50hz_n: Option<f64>,
        /// Population standard deviation over trains of `stp_induction_50hz`
        /// (dimensionless).
        pub stp_induction_50hz_std: Option<f64>,
        /// Recovery after a 250 ms delay: median(a₉ − a₁, a₁₀ − a₂, a₁₁ − a₃, a₁₂ − a₄) /
        /// amp90, over trains of any induction frequency (dimensionless).
        pub stp_recovery_250ms: Option<f64>,
        /// Number of trains behind `stp_recovery_250ms` (a count stored as a float).
        pub stp_recovery_250ms_n: Option<f64>,
        /// Population standard deviation over trains of `stp_recovery_250ms`
        /// (dimensionless).
        pub stp_recovery_250ms_std: Option<f64>,
        /// Recovery of the first pulse alone after a 250 ms delay: (a₉ − a₁) / amp90
        /// (dimensionless).
        pub stp_recovery_single_250ms: Option<f64>,
        /// Number of trains behind `stp_recovery_single_250ms` (a count stored as a
        /// float).
        pub stp_recovery_single_250ms_n: Option<f64>,
        /// Population standard deviation over trains of `stp_recovery_single_250ms`
        /// (dimensionless).
        pub stp_recovery_single_250ms_std: Option<f64>,
        /// "amp90": the 90th percentile of the response amplitudes (the 10th for
        /// inhibitory synapses, whose amplitudes are negative), in volts; the
        /// normalisation of the `stp_*` metrics.
        pub pulse_amp_90th_percentile: Option<f64>,
        /// The same percentile of the amplitudes measured on matched baseline (noise)
        /// snippets, in volts.
        pub noise_amp_90th_percentile: Option<f64>,
        /// Median amplitude of the first responses of 50 Hz trains, in volts.
        pub pulse_amp_first_50hz: Option<f64>,
        /// Number of amplitudes behind `pulse_amp_first_50hz` (a count stored as a float).
        pub pulse_amp_first_50hz_n: Option<f64>,
        /// Population standard deviation of the amplitudes behind
        /// `pulse_amp_first_50hz`, in volts.
        pub pulse_amp_first_50hz_std: Option<f64>,
        /// Raw-amplitude counterpart of `stp_initial_50hz`: median amplitude of the
        /// second responses of 50 Hz trains, in volts.
        pub pulse_amp_stp_initial_50hz: Option<f64>,
        /// Number of amplitudes behind `pulse_amp_stp_initial_50hz` (a count stored as a
        /// float).
        pub pulse_amp_stp_initial_50hz_n: Option<f64>,
        /// Population standard deviation of the amplitudes behind
        /// `pulse_amp_stp_initial_50hz`, in volts.
        pub pulse_amp_stp_initial_50hz_std: Option<f64>,
        /// Raw-amplitude counterpart of `stp_induction_50hz`: median amplitude of the
        /// sixth to eighth responses of 50 Hz trains, in volts.
        pub pulse_amp_stp_induction_50hz: Option<f64>,
        /// Number of amplitudes behind `pulse_amp_stp_induction_50hz` (a count stored as
        /// a float).
        pub pulse_amp_stp_induction_50hz_n: Option<f64>,
        /// Population standard deviation of the amplitudes behind
        /// `pulse_amp_stp_induction_50hz`, in volts.
        pub pulse_amp_stp_induction_50hz_std: Option<f64>,
        /// Raw-amplitude counterpart of `stp_recovery_250ms`: median amplitude of the
        /// ninth to twelfth responses after a 250 ms delay, in volts.
        pub pulse_amp_stp_recovery_250ms: Option<f64>,
        /// Number of amplitudes behind `pulse_amp_stp_recovery_250ms` (a count stored as
        /// a float).
        pub pulse_amp_stp_recovery_250ms_n: Option<f64>,
        /// Population standard deviation of the amplitudes behind
        /// `pulse_amp_stp_recovery_250ms`, in volts.
        pub pulse_amp_stp_recovery_250ms_std: Option<f64>,
        /// Raw-amplitude counterpart of `stp_recovery_single_250ms`: median amplitude of
        /// the ninth responses after a 250 ms delay, in volts.
        pub pulse_amp_stp_recovery_single_250ms: Option<f64>,
        /// Number of amplitudes behind `pulse_amp_stp_recovery_single_250ms` (a count
        /// stored as a float).
        pub pulse_amp_stp_recovery_single_250ms_n: Option<f64>,
        /// Population standard deviation of the amplitudes behind
        /// `pulse_amp_stp_recovery_single_250ms`, in volts.
        pub pulse_amp_stp_recovery_single_250ms_std: Option<f64>,
        /// Population standard deviation of the amplitudes measured on matched baseline
        /// (noise) snippets, in volts: the recording noise.
        pub noise_std: Option<f64>,
        /// Variability of the resting-state responses (no presynaptic spike in the
        /// previous 8 s): ln(√(std² − noise_std²) / |median|), a dimensionless
        /// noise-corrected log coefficient of variation.
        pub variability_resting_state: Option<f64>,
        /// The same variability for the second responses of 50 Hz trains
        /// (dimensionless).
        pub variability_second_pulse_50hz: Option<f64>,
        /// The same variability for the fifth to eighth responses of 50 Hz trains
        /// (dimensionless).
        pub variability_stp_induced_state_50hz: Option<f64>,
        /// `variability_second_pulse_50hz` minus `variability_resting_state`
        /// (dimensionless).
        pub variability_change_initial_50hz: Option<f64>,
        /// `variability_stp_induced_state_50hz` minus `variability_resting_state`
        /// (dimensionless).
        pub variability_change_induction_50hz: Option<f64>,
        /// Pearson correlation, over 50 Hz trains, between the first and second response
        /// amplitudes (dimensionless).
        pub paired_event_correlation_1_2_r: Option<f64>,
        /// p-value of `paired_event_correlation_1_2_r` (dimensionless).
        pub paired_event_correlation_1_2_p: Option<f64>,
        /// Pearson correlation, over 50 Hz trains, between median(a₁, a₂) and
        /// median(a₃, a₄) (dimensionless).
        pub paired_event_correlation_2_4_r: Option<f64>,
        /// p-value of `paired_event_correlation_2_4_r` (dimensionless).
        pub paired_event_correlation_2_4_p: Option<f64>,
        /// Pearson correlation, over 50 Hz trains, between median(a₁ … a₄) and
        /// median(a₅ … a₈) (dimensionless).
        pub paired_event_correlation_4_8_r: Option<f64>,
        /// p-value of `paired_event_correlation_4_8_r` (dimensionless).
        pub paired_event_correlation_4_8_p: Option<f64>,
        /// The initial, induction and recovery summaries for every stimulus group: JSON
        /// list of `[[clamp_mode, induction_frequency_hz, recovery_delay_s], metrics]`
        /// entries, where `metrics` maps each summary name (`stp_initial`, `stp_induction`,
        /// …) to `[median, std, n]` and also holds per-pulse amplitude summaries. Large;
        /// left out of default query results.
        pub stp_all_stimuli: Option<serde_json::Value>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
