table_row! {
    /// A patched cell.
    pub struct Cell in "cell" {
        /// Row id.
        pub id: i64,
        /// The experiment the cell was recorded in (`experiment.id`).
        pub experiment_id: Option<i64>,
        /// The cell's identifier within its experiment (usually the electrode number).
        pub ext_id: Option<String>,
        /// The electrode that recorded the cell (`electrode.id`).
        pub electrode_id: Option<i64>,
        /// The transgenic (Cre) reporter the cell was positive for, e.g. `"pvalb"`, or
        /// `"unknown"`; mouse only.
        pub cre_type: Option<String>,
        /// The cortical layer targeted when the cell was patched, e.g. `"2/3"`.
        pub target_layer: Option<String>,
        /// Position of the cell body in slice coordinates: a JSON list `[x, y, z]` in
        /// metres.
        pub position: Option<serde_json::Value>,
        /// Depth of the cell body below the slice surface, in metres.
        pub depth: Option<f64>,
        /// Cell class inferred from all evidence, including its synaptic outputs: `"ex"`,
        /// `"in"` or `"mixed"`.
        pub cell_class: Option<String>,
        /// Cell class inferred without using synaptic outputs (reporters, morphology):
        /// `"ex"` or `"in"`.
        pub cell_class_nonsynaptic: Option<String>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
