table_row! {
    /// Intrinsic electrical properties of a cell, measured in current clamp with
    /// one-second current steps and with chirp (swept-frequency) stimuli.
    ///
    /// The values come from the Allen Institute's IPFX feature extractor. A few keep the
    /// scaling the Python pipeline gave them rather than an SI unit; their fields say so.
    pub struct Intrinsic in "intrinsic" {
        /// Row id.
        pub id: i64,
        /// The cell described (`cell.id`).
        pub cell_id: Option<i64>,
        /// Rheobase: the smallest step current that evokes a spike, in amperes.
        pub rheobase: Option<f64>,
        /// Slope of the firing rate against injected current (f–I curve). Stored as the
        /// slope in hertz per picoampere multiplied by 1e-12, so multiply by 1e24 for
        /// hertz per ampere.
        pub fi_slope: Option<f64>,
        /// Input resistance from the peak of the responses to hyperpolarising steps, in
        /// ohms.
        pub input_resistance: Option<f64>,
        /// Input resistance from the steady state of the responses to hyperpolarising
        /// steps, in ohms.
        pub input_resistance_ss: Option<f64>,
        /// Hyperpolarisation sag: ratio of the peak to the steady-state deflection for a
        /// step to about −100 mV (dimensionless).
        pub sag: Option<f64>,
        /// Membrane time constant, in seconds.
        pub tau: Option<f64>,
        /// Time of the peak of the hyperpolarisation sag, in seconds.
        pub sag_peak_t: Option<f64>,
        /// Depolarisation sag: ratio of the peak to the steady-state deflection for the
        /// largest subthreshold depolarising step (dimensionless).
        pub sag_depol: Option<f64>,
        /// Time of the peak of the depolarisation sag, in seconds.
        pub sag_peak_t_depol: Option<f64>,
        /// Ratio of the maximum rate of rise to the maximum rate of fall of the action
        /// potential (dimensionless).
        pub ap_upstroke_downstroke_ratio: Option<f64>,
        /// Action potential width, in seconds.
        pub ap_width: Option<f64>,
        /// Maximum rate of rise of the action potential, in volts per millisecond (the
        /// pipeline converted millivolts to volts but kept milliseconds; multiply by 1000
        /// for volts per second).
        pub ap_upstroke: Option<f64>,
        /// Maximum rate of fall of the action potential, in volts per millisecond
        /// (multiply by 1000 for volts per second); negative.
        pub ap_downstroke: Option<f64>,
        /// Membrane potential at the action potential threshold, in volts.
        pub ap_threshold_v: Option<f64>,
        /// Action potential peak relative to threshold, in volts.
        pub ap_peak_deltav: Option<f64>,
        /// Fast trough (after-hyperpolarisation) relative to threshold, in volts.
        pub ap_fast_trough_deltav: Option<f64>,
        /// Mean firing rate during the rheobase step, in hertz.
        pub firing_rate_rheo: Option<f64>,
        /// Latency of the first spike from the onset of the rheobase step, in seconds.
        pub latency_rheo: Option<f64>,
        /// Mean firing rate during the step about 40 pA above rheobase, in hertz.
        pub firing_rate_40pa: Option<f64>,
        /// Latency of the first spike during the step about 40 pA above rheobase, in
        /// seconds.
        pub latency_40pa: Option<f64>,
        /// Spike-frequency adaptation index from the ratios of consecutive interspike
        /// intervals, averaged over steps (dimensionless).
        pub adaptation_index: Option<f64>,
        /// Coefficient of variation of the interspike intervals, averaged over steps
        /// (dimensionless).
        pub isi_cv: Option<f64>,
        /// Frequency at which the impedance measured with chirps peaks (resonance), in
        /// hertz.
        pub chirp_peak_freq: Option<f64>,
        /// Frequency at which the chirp response has fallen 3 dB below its peak, in hertz.
        pub chirp_3db_freq: Option<f64>,
        /// Ratio of the impedance at the resonance peak to the low-frequency impedance
        /// (dimensionless).
        pub chirp_peak_ratio: Option<f64>,
        /// Impedance at the resonance peak, in ohms.
        pub chirp_peak_impedance: Option<f64>,
        /// Frequency at which the phase of the chirp response crosses zero, in hertz.
        pub chirp_sync_freq: Option<f64>,
        /// Integral of the positive (inductive) part of the chirp phase response, below
        /// the zero-crossing frequency; unit as the IPFX extractor reports it (not
        /// established here).
        pub chirp_inductive_phase: Option<f64>,
        /// Ratio of the fifth to the first interspike interval in a spike train
        /// (dimensionless).
        pub isi_adapt_ratio: Option<f64>,
        /// Ratio of the upstroke of the fifth spike to that of the first (dimensionless).
        pub upstroke_adapt_ratio: Option<f64>,
        /// Ratio of the downstroke of the fifth spike to that of the first
        /// (dimensionless).
        pub downstroke_adapt_ratio: Option<f64>,
        /// Ratio of the width of the fifth spike to that of the first (dimensionless).
        pub width_adapt_ratio: Option<f64>,
        /// Ratio of the threshold potential of the fifth spike to that of the first
        /// (dimensionless).
        pub threshold_v_adapt_ratio: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
