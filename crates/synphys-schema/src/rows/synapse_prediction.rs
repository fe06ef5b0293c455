table_row! {
    /// Unbiased measurements used to detect synapses automatically: every pair is
    /// analysed the same way, whatever a human decided about it.
    ///
    /// Responses to presynaptic spikes ("foreground") are compared with matched baseline
    /// snippets without a stimulus ("background"). `ic_*` columns come from current
    /// clamp (volts), `vc_*` columns from voltage clamp (amperes).
    pub struct SynapsePrediction in "synapse_prediction" {
        /// Row id.
        pub id: i64,
        /// The pair tested (`pair.id`).
        pub pair_id: Option<i64>,
        /// Whether the analysis treated the pair as excitatory (`"ex"`) or inhibitory (`"in"`),
        /// chosen from the direction of the responses.
        pub synapse_type: Option<String>,
        /// Number of QC-passed responses pooled from current-clamp recordings.
        pub ic_n_samples: Option<i64>,
        /// Mean crosstalk artifact of the current-clamp responses: the step in the postsynaptic
        /// trace across the onset of the presynaptic pulse, in volts.
        pub ic_crosstalk_mean: Option<f64>,
        /// The same crosstalk measure on matched baseline snippets (current-clamp), in volts.
        pub ic_base_crosstalk_mean: Option<f64>,
        /// Mean response amplitude (peak offset from the median baseline in the response
        /// window) of the current-clamp responses, in volts.
        pub ic_amp_mean: Option<f64>,
        /// Population standard deviation of the current-clamp amplitudes of the responses, in
        /// volts.
        pub ic_amp_stdev: Option<f64>,
        /// Mean of the same amplitude measure on matched baseline snippets (current-clamp), in
        /// volts.
        pub ic_base_amp_mean: Option<f64>,
        /// Population standard deviation of the same amplitude measure on matched baseline
        /// snippets (current-clamp), in volts.
        pub ic_base_amp_stdev: Option<f64>,
        /// Welch t-test of the current-clamp amplitudes against the baseline ones, as a
        /// transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub ic_amp_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the current-clamp amplitudes against the
        /// baseline ones, as the same transformed p-value (dimensionless).
        pub ic_amp_ks2samp: Option<f64>,
        /// Mean amplitude of the deconvolved response (the trace with the membrane decay
        /// removed) of the current-clamp responses, in volts.
        pub ic_deconv_amp_mean: Option<f64>,
        /// Population standard deviation of the current-clamp deconvolved amplitudes of the
        /// responses, in volts.
        pub ic_deconv_amp_stdev: Option<f64>,
        /// Mean of the same deconvolved amplitude measure on matched baseline snippets
        /// (current-clamp), in volts.
        pub ic_base_deconv_amp_mean: Option<f64>,
        /// Population standard deviation of the same deconvolved amplitude measure on matched
        /// baseline snippets (current-clamp), in volts.
        pub ic_base_deconv_amp_stdev: Option<f64>,
        /// Welch t-test of the current-clamp deconvolved amplitudes against the baseline ones,
        /// as a transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub ic_deconv_amp_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the current-clamp deconvolved amplitudes
        /// against the baseline ones, as the same transformed p-value (dimensionless).
        pub ic_deconv_amp_ks2samp: Option<f64>,
        /// Mean latency from the steepest rise of the presynaptic spike to the peak of the
        /// deconvolved response of the current-clamp responses, in seconds.
        pub ic_latency_mean: Option<f64>,
        /// Population standard deviation of the current-clamp latencies of the responses, in
        /// seconds.
        pub ic_latency_stdev: Option<f64>,
        /// Mean of the same latency measure on matched baseline snippets (current-clamp), in
        /// seconds.
        pub ic_base_latency_mean: Option<f64>,
        /// Population standard deviation of the same latency measure on matched baseline
        /// snippets (current-clamp), in seconds.
        pub ic_base_latency_stdev: Option<f64>,
        /// Welch t-test of the current-clamp latencies against the baseline ones, as a
        /// transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub ic_latency_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the current-clamp latencies against the
        /// baseline ones, as the same transformed p-value (dimensionless).
        pub ic_latency_ks2samp: Option<f64>,
        /// Number of QC-passed responses pooled from voltage-clamp recordings.
        pub vc_n_samples: Option<i64>,
        /// Mean crosstalk artifact of the voltage-clamp responses: the step in the postsynaptic
        /// trace across the onset of the presynaptic pulse, in amperes.
        pub vc_crosstalk_mean: Option<f64>,
        /// The same crosstalk measure on matched baseline snippets (voltage-clamp), in amperes.
        pub vc_base_crosstalk_mean: Option<f64>,
        /// Mean response amplitude (peak offset from the median baseline in the response
        /// window) of the voltage-clamp responses, in amperes.
        pub vc_amp_mean: Option<f64>,
        /// Population standard deviation of the voltage-clamp amplitudes of the responses, in
        /// amperes.
        pub vc_amp_stdev: Option<f64>,
        /// Mean of the same amplitude measure on matched baseline snippets (voltage-clamp), in
        /// amperes.
        pub vc_base_amp_mean: Option<f64>,
        /// Population standard deviation of the same amplitude measure on matched baseline
        /// snippets (voltage-clamp), in amperes.
        pub vc_base_amp_stdev: Option<f64>,
        /// Welch t-test of the voltage-clamp amplitudes against the baseline ones, as a
        /// transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub vc_amp_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the voltage-clamp amplitudes against the
        /// baseline ones, as the same transformed p-value (dimensionless).
        pub vc_amp_ks2samp: Option<f64>,
        /// Mean amplitude of the deconvolved response (the trace with the membrane decay
        /// removed) of the voltage-clamp responses, in amperes.
        pub vc_deconv_amp_mean: Option<f64>,
        /// Population standard deviation of the voltage-clamp deconvolved amplitudes of the
        /// responses, in amperes.
        pub vc_deconv_amp_stdev: Option<f64>,
        /// Mean of the same deconvolved amplitude measure on matched baseline snippets
        /// (voltage-clamp), in amperes.
        pub vc_base_deconv_amp_mean: Option<f64>,
        /// Population standard deviation of the same deconvolved amplitude measure on matched
        /// baseline snippets (voltage-clamp), in amperes.
        pub vc_base_deconv_amp_stdev: Option<f64>,
        /// Welch t-test of the voltage-clamp deconvolved amplitudes against the baseline ones,
        /// as a transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub vc_deconv_amp_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the voltage-clamp deconvolved amplitudes
        /// against the baseline ones, as the same transformed p-value (dimensionless).
        pub vc_deconv_amp_ks2samp: Option<f64>,
        /// Mean latency from the steepest rise of the presynaptic spike to the peak of the
        /// deconvolved response of the voltage-clamp responses, in seconds.
        pub vc_latency_mean: Option<f64>,
        /// Population standard deviation of the voltage-clamp latencies of the responses, in
        /// seconds.
        pub vc_latency_stdev: Option<f64>,
        /// Mean of the same latency measure on matched baseline snippets (voltage-clamp), in
        /// seconds.
        pub vc_base_latency_mean: Option<f64>,
        /// Population standard deviation of the same latency measure on matched baseline
        /// snippets (voltage-clamp), in seconds.
        pub vc_base_latency_stdev: Option<f64>,
        /// Welch t-test of the voltage-clamp latencies against the baseline ones, as a
        /// transformed p-value min(7, ln(1 − ln p)): 0 for p = 1, growing as p shrinks
        /// (dimensionless).
        pub vc_latency_ttest: Option<f64>,
        /// Two-sample Kolmogorov–Smirnov test of the voltage-clamp latencies against the
        /// baseline ones, as the same transformed p-value (dimensionless).
        pub vc_latency_ks2samp: Option<f64>,
        /// Average of the QC-passed current-clamp responses aligned to the presynaptic spike,
        /// in volts.
        pub ic_average_response: Option<crate::NpyArray>,
        /// Time of the first sample of `ic_average_response` relative to the presynaptic spike,
        /// in seconds.
        pub ic_average_response_t0: Option<f64>,
        /// Standard deviation of `ic_average_response` in the 6 ms before the presynaptic
        /// spike, in volts.
        pub ic_average_base_stdev: Option<f64>,
        /// Average of the QC-passed voltage-clamp responses aligned to the presynaptic spike,
        /// in amperes.
        pub vc_average_response: Option<crate::NpyArray>,
        /// Time of the first sample of `vc_average_response` relative to the presynaptic spike,
        /// in seconds.
        pub vc_average_response_t0: Option<f64>,
        /// Standard deviation of `vc_average_response` in the 6 ms before the presynaptic
        /// spike, in amperes.
        pub vc_average_base_stdev: Option<f64>,
        /// Amplitude of the curve fitted to `ic_average_response`, in volts.
        pub ic_fit_amp: Option<f64>,
        /// Fitted onset (latency) of `ic_average_response` after the presynaptic spike, in
        /// seconds.
        pub ic_fit_xoffset: Option<f64>,
        /// Fitted baseline offset of `ic_average_response`, in volts.
        pub ic_fit_yoffset: Option<f64>,
        /// Fitted rise time of `ic_average_response` from onset to peak, in seconds.
        pub ic_fit_rise_time: Option<f64>,
        /// Exponent of the fitted rising phase of `ic_average_response` (dimensionless).
        pub ic_fit_rise_power: Option<f64>,
        /// Fitted decay time constant of `ic_average_response`, in seconds.
        pub ic_fit_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with `ic_average_response`, in
        /// volts.
        pub ic_fit_exp_amp: Option<f64>,
        /// Time constant of the exponential baseline drift fitted with `ic_average_response`,
        /// in seconds.
        pub ic_fit_exp_tau: Option<f64>,
        /// Normalised root-mean-square error of the fit to `ic_average_response`
        /// (dimensionless).
        pub ic_fit_nrmse: Option<f64>,
        /// Amplitude of the curve fitted to `vc_average_response`, in amperes.
        pub vc_fit_amp: Option<f64>,
        /// Fitted onset (latency) of `vc_average_response` after the presynaptic spike, in
        /// seconds.
        pub vc_fit_xoffset: Option<f64>,
        /// Fitted baseline offset of `vc_average_response`, in amperes.
        pub vc_fit_yoffset: Option<f64>,
        /// Fitted rise time of `vc_average_response` from onset to peak, in seconds.
        pub vc_fit_rise_time: Option<f64>,
        /// Exponent of the fitted rising phase of `vc_average_response` (dimensionless).
        pub vc_fit_rise_power: Option<f64>,
        /// Fitted decay time constant of `vc_average_response`, in seconds.
        pub vc_fit_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with `vc_average_response`, in
        /// amperes.
        pub vc_fit_exp_amp: Option<f64>,
        /// Time constant of the exponential baseline drift fitted with `vc_average_response`,
        /// in seconds.
        pub vc_fit_exp_tau: Option<f64>,
        /// Normalised root-mean-square error of the fit to `vc_average_response`
        /// (dimensionless).
        pub vc_fit_nrmse: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
