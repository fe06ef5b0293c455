table_row! {
    /// Results of fitting the stochastic vesicle-release model (DESIGN §7) to the
    /// response amplitudes of one synapse.
    ///
    /// `ml_*` columns are at the maximum-likelihood point of the parameter grid. The
    /// `ml_` short-term-plasticity columns repeat the metrics of
    /// [`Dynamics`](crate::Dynamics), computed on amplitudes simulated with the
    /// maximum-likelihood parameters (without simulated recording noise).
    pub struct SynapseModel in "synapse_model" {
        /// Row id.
        pub id: i64,
        /// The pair whose synapse was modelled (`pair.id`); at most one row per pair.
        pub pair_id: Option<i64>,
        /// Number of QC-passed response amplitudes the model was fitted to.
        pub n_source_events: Option<i64>,
        /// The parameter grid searched, as JSON. Large; left out of default query
        /// results.
        pub parameter_space: Option<serde_json::Value>,
        /// Marginal likelihood distribution of every model parameter over the grid, as
        /// JSON. Large; left out of default query results.
        pub marginal_distributions: Option<serde_json::Value>,
        /// Confidence intervals of every model parameter, as JSON. Large; left out of
        /// default query results.
        pub confidence_intervals: Option<serde_json::Value>,
        /// The synapse's model output projected onto sparse principal components (the
        /// projection itself is described in the database's metadata); dimensionless.
        pub sparse_pca_vector: Option<crate::NpyArray>,
        /// The maximum model likelihood over the parameter grid (dimensionless).
        pub max_likelihood: Option<f64>,
        /// Number of release sites at the maximum (a count stored as a float).
        pub ml_n_release_sites: Option<f64>,
        /// Release probability of a site at rest, 0–1 (dimensionless).
        pub ml_base_release_probability: Option<f64>,
        /// Amplitude of the response to one released vesicle (quantal size), in volts.
        pub ml_mini_amplitude: Option<f64>,
        /// Coefficient of variation of the quantal size (dimensionless).
        pub ml_mini_amplitude_cv: Option<f64>,
        /// Depression per spike: after each spike the depression state moves this
        /// fraction of the way to 1 (dimensionless); −1 selects the vesicle-depletion
        /// mode instead.
        pub ml_depression_amount: Option<f64>,
        /// Recovery time constant of depression, in seconds.
        pub ml_depression_tau: Option<f64>,
        /// Facilitation per spike: after each spike the facilitation state moves this
        /// fraction of the way to 1 (dimensionless).
        pub ml_facilitation_amount: Option<f64>,
        /// Decay time constant of facilitation, in seconds.
        pub ml_facilitation_tau: Option<f64>,
        /// Standard deviation of the recording noise added to amplitudes, in volts.
        pub ml_measurement_stdev: Option<f64>,
        /// Expected response at rest: n_release_sites × base_release_probability ×
        /// mini_amplitude, in volts.
        pub ml_strength: Option<f64>,
        /// Confidence interval of `ml_strength`, as JSON.
        pub ml_strength_ci: Option<serde_json::Value>,
        /// Expected number of vesicles released per spike at rest: n_release_sites ×
        /// base_release_probability (dimensionless).
        pub ml_quanta_per_spike: Option<f64>,
        /// Confidence interval of `ml_quanta_per_spike`, as JSON.
        pub ml_quanta_per_spike_ci: Option<serde_json::Value>,
        /// Ratio of n_release_sites to base_release_probability (dimensionless).
        pub ml_sites_pr_ratio: Option<f64>,
        /// Confidence interval of `ml_sites_pr_ratio`, as JSON.
        pub ml_sites_pr_ratio_ci: Option<serde_json::Value>,
        /// Ratio of the maximum likelihood in the release-dependent part of the parameter
        /// space to that in the release-independent part (dimensionless).
        pub ml_release_dependence_ratio: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_pulse_ratio_50hz` (dimensionless).
        pub ml_paired_pulse_ratio_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_initial_50hz` (dimensionless).
        pub ml_stp_initial_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_initial_50hz_n` (a count stored as a
        /// float).
        pub ml_stp_initial_50hz_n: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_initial_50hz_std` (dimensionless).
        pub ml_stp_initial_50hz_std: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_induction_50hz` (dimensionless).
        pub ml_stp_induction_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_induction_50hz_n` (a count stored as a
        /// float).
        pub ml_stp_induction_50hz_n: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_induction_50hz_std` (dimensionless).
        pub ml_stp_induction_50hz_std: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_250ms` (dimensionless).
        pub ml_stp_recovery_250ms: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_250ms_n` (a count stored as a
        /// float).
        pub ml_stp_recovery_250ms_n: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_250ms_std` (dimensionless).
        pub ml_stp_recovery_250ms_std: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_single_250ms` (dimensionless).
        pub ml_stp_recovery_single_250ms: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_single_250ms_n` (a count
        /// stored as a float).
        pub ml_stp_recovery_single_250ms_n: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_recovery_single_250ms_std`
        /// (dimensionless).
        pub ml_stp_recovery_single_250ms_std: Option<f64>,
        /// Simulated counterpart of `dynamics.pulse_amp_90th_percentile`, in volts.
        pub ml_pulse_amp_90th_percentile: Option<f64>,
        /// Simulated counterpart of `dynamics.noise_amp_90th_percentile`, in volts.
        pub ml_noise_amp_90th_percentile: Option<f64>,
        /// Simulated counterpart of `dynamics.noise_std`, in volts.
        pub ml_noise_std: Option<f64>,
        /// Simulated counterpart of `dynamics.variability_resting_state` (dimensionless).
        pub ml_variability_resting_state: Option<f64>,
        /// Simulated counterpart of `dynamics.variability_second_pulse_50hz`
        /// (dimensionless).
        pub ml_variability_second_pulse_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.variability_stp_induced_state_50hz`
        /// (dimensionless).
        pub ml_variability_stp_induced_state_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.variability_change_initial_50hz`
        /// (dimensionless).
        pub ml_variability_change_initial_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.variability_change_induction_50hz`
        /// (dimensionless).
        pub ml_variability_change_induction_50hz: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_1_2_r`
        /// (dimensionless).
        pub ml_paired_event_correlation_1_2_r: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_1_2_p`
        /// (dimensionless).
        pub ml_paired_event_correlation_1_2_p: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_2_4_r`
        /// (dimensionless).
        pub ml_paired_event_correlation_2_4_r: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_2_4_p`
        /// (dimensionless).
        pub ml_paired_event_correlation_2_4_p: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_4_8_r`
        /// (dimensionless).
        pub ml_paired_event_correlation_4_8_r: Option<f64>,
        /// Simulated counterpart of `dynamics.paired_event_correlation_4_8_p`
        /// (dimensionless).
        pub ml_paired_event_correlation_4_8_p: Option<f64>,
        /// Simulated counterpart of `dynamics.stp_all_stimuli` (JSON of the same shape).
        pub ml_stp_all_stimuli: Option<serde_json::Value>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
