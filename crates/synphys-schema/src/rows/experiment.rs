table_row! {
    /// An experiment: a group of cells patched at the same time in one slice.
    pub struct Experiment in "experiment" {
        /// Row id.
        pub id: i64,
        /// The experiment's unique external identifier.
        pub ext_id: Option<String>,
        /// The slice the experiment was done in (`slice.id`).
        pub slice_id: Option<i64>,
        /// The project the experiment belongs to, e.g. `"mouse V1 coarse matrix"`.
        pub project_name: Option<String>,
        /// When the experiment was done.
        pub date: Option<chrono::NaiveDateTime>,
        /// The brain region the experiment aimed for.
        pub target_region: Option<String>,
        /// Name of the pipette (internal) solution, or `"mixed"` when the electrodes used
        /// more than one.
        pub internal: Option<String>,
        /// Name of the artificial cerebrospinal fluid (bath solution) used.
        pub acsf: Option<String>,
        /// The bath temperature aimed for, in degrees Celsius (not kelvin; as stored);
        /// the measured temperature is per sweep in `sync_rec.temperature`.
        pub target_temperature: Option<f64>,
        /// Name of the recording rig.
        pub rig_name: Option<String>,
        /// Who ran the experiment.
        pub operator_name: Option<String>,
        /// Where the experiment's raw data lives, relative to the data server or local
        /// cache.
        pub storage_path: Option<String>,
        /// File name of the electrophysiology (NWB) recording, relative to
        /// `storage_path`.
        pub ephys_file: Option<String>,
        /// When the experiment's acquisition folder was created, as a Unix timestamp in
        /// seconds; unique per experiment.
        pub acq_timestamp: Option<f64>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
