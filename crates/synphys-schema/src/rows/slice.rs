table_row! {
    /// A brain slice on which an experiment was attempted, with what is known of the
    /// specimen (donor) it was cut from.
    pub struct Slice in "slice" {
        /// Row id.
        pub id: i64,
        /// The slice's unique external identifier.
        pub ext_id: Option<String>,
        /// When the slice's acquisition folder was created, as a Unix timestamp in seconds.
        pub acq_timestamp: Option<f64>,
        /// Donor species: `"mouse"` or `"human"`.
        pub species: Option<String>,
        /// The donor's date of birth.
        pub date_of_birth: Option<chrono::NaiveDateTime>,
        /// Age of the donor when the tissue was taken, in days (not an SI unit; as stored).
        pub age: Option<i64>,
        /// Donor sex: `"M"`, `"F"` or `"unknown"`.
        pub sex: Option<String>,
        /// Donor weight as free text from the specimen database (unit not fixed by the
        /// schema).
        pub weight: Option<String>,
        /// Donor genotype, e.g. the transgenic driver and reporter lines of a mouse.
        pub genotype: Option<String>,
        /// Plane in which the slice was cut, e.g. `"sagittal"` or `"coronal"`.
        pub orientation: Option<String>,
        /// Which face of the slice was up (exposed) during recording, e.g. `"left"`.
        pub surface: Option<String>,
        /// The brain hemisphere the slice came from.
        pub hemisphere: Option<String>,
        /// The experimenter's subjective rating of slice quality, 0 (worst) to 5 (best).
        pub quality: Option<i64>,
        /// When the tissue was sliced.
        pub slice_time: Option<chrono::NaiveDateTime>,
        /// Preparation details as JSON: solutions, perfusion, incubation times and the
        /// like (often an empty object).
        pub slice_conditions: Option<serde_json::Value>,
        /// Name of the slice specimen in the institute's laboratory information
        /// management system (LIMS).
        pub lims_specimen_name: Option<String>,
        /// Where the slice's raw data lives, relative to the data server or local cache.
        pub storage_path: Option<String>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
