table_row! {
    /// An ordered pair of cells recorded in the same experiment: the unit of a
    /// connectivity test (A→B and B→A are two pairs).
    pub struct Pair in "pair" {
        /// Row id.
        pub id: i64,
        /// The experiment both cells were recorded in (`experiment.id`).
        pub experiment_id: Option<i64>,
        /// The presynaptic cell, the one stimulated (`cell.id`).
        pub pre_cell_id: Option<i64>,
        /// The postsynaptic cell, the one recorded from (`cell.id`).
        pub post_cell_id: Option<i64>,
        /// Whether a chemical synapse from the pre to the post cell was found.
        pub has_synapse: Option<bool>,
        /// Whether a polysynaptic connection was found.
        pub has_polysynapse: Option<bool>,
        /// Whether an electrical synapse (gap junction) between the cells was found.
        pub has_electrical: Option<bool>,
        /// Amplitude of the electrical crosstalk artifact seen in the post cell at each
        /// presynaptic spike, in volts.
        pub crosstalk_artifact: Option<f64>,
        /// Number of QC-passed presynaptic spikes usable to test for an excitatory
        /// connection (a pair is probed for one when this is above 10).
        pub n_ex_test_spikes: Option<i64>,
        /// Number of QC-passed presynaptic spikes usable to test for an inhibitory
        /// connection (a pair is probed for one when this is above 10).
        pub n_in_test_spikes: Option<i64>,
        /// Distance between the two cell bodies, in metres.
        pub distance: Option<f64>,
        /// Distance between the cell bodies parallel to the cortical surface, in metres.
        pub lateral_distance: Option<f64>,
        /// Distance between the cell bodies perpendicular to the cortical surface, in metres.
        pub vertical_distance: Option<f64>,
        /// The pair in the opposite direction (`pair.id`).
        pub reciprocal_id: Option<i64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
