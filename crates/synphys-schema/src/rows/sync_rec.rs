table_row! {
    /// A synchronous recording ("sweep"): the recordings made at the same time on all
    /// electrodes of an experiment.
    pub struct SyncRec in "sync_rec" {
        /// Row id.
        pub id: i64,
        /// The experiment the sweep belongs to (`experiment.id`).
        pub experiment_id: Option<i64>,
        /// The sweep's identifier in the experiment's data file, as JSON (usually an
        /// integer sweep number).
        pub ext_id: Option<serde_json::Value>,
        /// Bath temperature measured during the sweep, in degrees Celsius as the
        /// acquisition software records it (not kelvin).
        pub temperature: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
