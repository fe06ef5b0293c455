table_row! {
    /// Curve fits to one pulse response, and the same fits to its matched baseline
    /// snippet as a noise control.
    ///
    /// `fit_*` columns fit a synaptic-response template to the recorded trace; `dec_fit_*`
    /// columns fit the deconvolved trace (the recording with the membrane decay removed,
    /// which separates overlapping events); `baseline_*` columns repeat either fit on
    /// the baseline snippet. Amplitudes are in volts for current-clamp recordings and in
    /// amperes for voltage-clamp ones.
    pub struct PulseResponseFit in "pulse_response_fit" {
        /// Row id.
        pub id: i64,
        /// The pulse response fitted (`pulse_response.id`); at most one row per response.
        pub pulse_response_id: Option<i64>,
        /// Fitted amplitude of the response, in volts in current clamp, amperes in voltage
        /// clamp.
        pub fit_amp: Option<f64>,
        /// Fitted onset of the response after the presynaptic spike, in seconds.
        pub fit_latency: Option<f64>,
        /// Fitted constant offset of the response, in volts in current clamp, amperes in
        /// voltage clamp.
        pub fit_yoffset: Option<f64>,
        /// Fitted rise time of the response, in seconds.
        pub fit_rise_time: Option<f64>,
        /// Fitted decay time constant of the response, in seconds.
        pub fit_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with the response, in volts in
        /// current clamp, amperes in voltage clamp.
        pub fit_exp_amp: Option<f64>,
        /// Normalised root-mean-square error of the fit to the response (dimensionless).
        pub fit_nrmse: Option<f64>,
        /// Fitted amplitude of the matched baseline snippet, in volts in current clamp, amperes
        /// in voltage clamp.
        pub baseline_fit_amp: Option<f64>,
        /// Fitted onset in the matched baseline snippet, timed like the response (relative to
        /// where the presynaptic spike falls in the response), in seconds.
        pub baseline_fit_latency: Option<f64>,
        /// Fitted constant offset of the matched baseline snippet, in volts in current clamp,
        /// amperes in voltage clamp.
        pub baseline_fit_yoffset: Option<f64>,
        /// Fitted rise time of the matched baseline snippet, in seconds.
        pub baseline_fit_rise_time: Option<f64>,
        /// Fitted decay time constant of the matched baseline snippet, in seconds.
        pub baseline_fit_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with the matched baseline
        /// snippet, in volts in current clamp, amperes in voltage clamp.
        pub baseline_fit_exp_amp: Option<f64>,
        /// Normalised root-mean-square error of the fit to the matched baseline snippet
        /// (dimensionless).
        pub baseline_fit_nrmse: Option<f64>,
        /// Fitted amplitude of the deconvolved response, in the units of the deconvolved trace
        /// (volts in current clamp, amperes in voltage clamp).
        pub dec_fit_amp: Option<f64>,
        /// Amplitude of the fit to the deconvolved response, converted back (reconvolved) to
        /// the units of the recording, in volts in current clamp, amperes in voltage clamp; the
        /// event amplitude used for dynamics and the release model (DESIGN §7a).
        pub dec_fit_reconv_amp: Option<f64>,
        /// Fitted onset of the deconvolved response after the presynaptic spike, in seconds.
        pub dec_fit_latency: Option<f64>,
        /// Fitted constant offset of the deconvolved response, in the units of the deconvolved
        /// trace (volts in current clamp, amperes in voltage clamp).
        pub dec_fit_yoffset: Option<f64>,
        /// Fitted rise time of the deconvolved response, in seconds.
        pub dec_fit_rise_time: Option<f64>,
        /// Fitted decay time constant of the deconvolved response, in seconds.
        pub dec_fit_decay_tau: Option<f64>,
        /// Normalised root-mean-square error of the fit to the deconvolved response
        /// (dimensionless).
        pub dec_fit_nrmse: Option<f64>,
        /// Fitted amplitude of the deconvolved matched baseline snippet, in the units of the
        /// deconvolved trace (volts in current clamp, amperes in voltage clamp).
        pub baseline_dec_fit_amp: Option<f64>,
        /// Amplitude of the fit to the deconvolved matched baseline snippet, converted back
        /// (reconvolved) to the units of the recording, in volts in current clamp, amperes in
        /// voltage clamp; the noise-control amplitude of DESIGN §7a.
        pub baseline_dec_fit_reconv_amp: Option<f64>,
        /// Fitted onset in the deconvolved matched baseline snippet, timed like the response
        /// (relative to where the presynaptic spike falls in the response), in seconds.
        pub baseline_dec_fit_latency: Option<f64>,
        /// Fitted constant offset of the deconvolved matched baseline snippet, in the units of
        /// the deconvolved trace (volts in current clamp, amperes in voltage clamp).
        pub baseline_dec_fit_yoffset: Option<f64>,
        /// Fitted rise time of the deconvolved matched baseline snippet, in seconds.
        pub baseline_dec_fit_rise_time: Option<f64>,
        /// Fitted decay time constant of the deconvolved matched baseline snippet, in seconds.
        pub baseline_dec_fit_decay_tau: Option<f64>,
        /// Normalised root-mean-square error of the fit to the deconvolved matched baseline
        /// snippet (dimensionless).
        pub baseline_dec_fit_nrmse: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
