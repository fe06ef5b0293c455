table_row! {
    /// Curve fits to the average "resting-state" response of a connection: responses to
    /// presynaptic spikes with no earlier spike in the preceding 8 s, so short-term
    /// plasticity does not distort them. `ic_*` columns come from current clamp, `vc_*`
    /// columns from voltage clamp.
    pub struct RestingStateFit in "resting_state_fit" {
        /// Row id.
        pub id: i64,
        /// The chemical synapse fitted (`synapse.id`); null when the fit belongs to a
        /// polysynaptic connection.
        pub synapse_id: Option<i64>,
        /// The polysynaptic connection fitted (`poly_synapse.id`); null when the fit
        /// belongs to a chemical synapse.
        pub poly_synapse_id: Option<i64>,
        /// Fitted amplitude of the average current-clamp response, in volts.
        pub ic_amp: Option<f64>,
        /// Fitted latency of the current-clamp response after the steepest rise of the
        /// presynaptic spike, in seconds.
        pub ic_latency: Option<f64>,
        /// Fitted rise time of the current-clamp response, in seconds.
        pub ic_rise_time: Option<f64>,
        /// Fitted decay time constant of the current-clamp response, in seconds.
        pub ic_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with the current-clamp
        /// response, in volts.
        pub ic_exp_amp: Option<f64>,
        /// Time constant of the exponential baseline drift fitted with the current-clamp
        /// response, in seconds.
        pub ic_exp_tau: Option<f64>,
        /// The averaged membrane-potential waveform that was fitted, in volts.
        pub ic_avg_data: Option<crate::NpyArray>,
        /// Time of the first sample of `ic_avg_data` relative to the presynaptic spike, in
        /// seconds.
        pub ic_avg_data_start_time: Option<f64>,
        /// Ids of the pulse responses averaged into `ic_avg_data` (`pulse_response.id`
        /// values).
        pub ic_pulse_ids: Option<crate::NpyArray>,
        /// Normalised root-mean-square error of the current-clamp fit (dimensionless).
        pub ic_nrmse: Option<f64>,
        /// Fitted amplitude of the average voltage-clamp response, in amperes.
        pub vc_amp: Option<f64>,
        /// Fitted latency of the voltage-clamp response after the steepest rise of the
        /// presynaptic spike, in seconds.
        pub vc_latency: Option<f64>,
        /// Fitted rise time of the voltage-clamp response, in seconds.
        pub vc_rise_time: Option<f64>,
        /// Fitted decay time constant of the voltage-clamp response, in seconds.
        pub vc_decay_tau: Option<f64>,
        /// Amplitude of the exponential baseline drift fitted with the voltage-clamp
        /// response, in amperes.
        pub vc_exp_amp: Option<f64>,
        /// Time constant of the exponential baseline drift fitted with the voltage-clamp
        /// response, in seconds.
        pub vc_exp_tau: Option<f64>,
        /// The averaged membrane-current waveform that was fitted, in amperes.
        pub vc_avg_data: Option<crate::NpyArray>,
        /// Time of the first sample of `vc_avg_data` relative to the presynaptic spike, in
        /// seconds.
        pub vc_avg_data_start_time: Option<f64>,
        /// Ids of the pulse responses averaged into `vc_avg_data` (`pulse_response.id`
        /// values).
        pub vc_pulse_ids: Option<crate::NpyArray>,
        /// Normalised root-mean-square error of the voltage-clamp fit (dimensionless).
        pub vc_nrmse: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
