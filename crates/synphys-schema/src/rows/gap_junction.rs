table_row! {
    /// Evidence for an electrical synapse (gap junction) between the cells of a pair,
    /// from long current pulses injected into the presynaptic cell.
    ///
    /// "Pulse" values compare the voltage change of both cells during the pulse with the
    /// baseline just before it; "noise" values compare two baseline windows before the
    /// pulse and serve as the control.
    pub struct GapJunction in "gap_junction" {
        /// Row id.
        pub id: i64,
        /// The pair tested (`pair.id`).
        pub pair_id: Option<i64>,
        /// Pearson correlation between the pre- and postsynaptic voltage changes during
        /// the pulses (dimensionless).
        pub corr_coeff_pulse: Option<f64>,
        /// Pearson correlation between the pre- and postsynaptic voltage changes in the
        /// control baseline windows (dimensionless).
        pub corr_coeff_noise: Option<f64>,
        /// p-value of `corr_coeff_pulse` (dimensionless).
        pub p_val_pulse: Option<f64>,
        /// p-value of `corr_coeff_noise` (dimensionless).
        pub p_val_noise: Option<f64>,
        /// Coupling coefficient: the least-squares ratio of the postsynaptic to the
        /// presynaptic voltage change during the pulses (dimensionless).
        pub coupling_coeff_pulse: Option<f64>,
        /// Coupling coefficient computed the same way from the control baseline windows
        /// (dimensionless).
        pub coupling_coeff_noise: Option<f64>,
        /// Junctional conductance estimated from `coupling_coeff_pulse` and the
        /// postsynaptic cell's input resistance, in siemens.
        pub junctional_conductance: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
