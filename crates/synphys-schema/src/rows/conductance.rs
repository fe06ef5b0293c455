table_row! {
    /// Reversal potential and effective conductance of a chemical synapse, and its
    /// resting-state amplitude corrected to a standard holding potential so that
    /// strengths can be compared across cells held at different potentials.
    pub struct Conductance in "conductance" {
        /// Row id.
        pub id: i64,
        /// The synapse described (`synapse.id`).
        pub synapse_id: Option<i64>,
        /// "Effective conductance" of the synapse. Despite the name this is a
        /// dimensionless slope, not siemens: the resting-state postsynaptic potential
        /// amplitude divided by its driving force (`avg_baseline_potential` −
        /// `reversal_potential`), i.e. volts of response per volt of driving force.
        pub effective_conductance: Option<f64>,
        /// Resting-state postsynaptic potential amplitude extrapolated to
        /// `ideal_holding_potential` (`effective_conductance` × (holding −
        /// reversal)), in volts.
        pub adj_psp_amplitude: Option<f64>,
        /// Synaptic reversal potential, in volts: where a line fitted to the voltage-clamp
        /// response amplitudes against the (access-corrected) holding potential crosses
        /// zero.
        pub reversal_potential: Option<f64>,
        /// The standard holding potential `adj_psp_amplitude` refers to, in volts: −0.055
        /// for inhibitory synapses, −0.070 for excitatory ones.
        pub ideal_holding_potential: Option<f64>,
        /// Mean baseline membrane potential measured in current clamp over the QC-passed
        /// resting-state responses, in volts.
        pub avg_baseline_potential: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
