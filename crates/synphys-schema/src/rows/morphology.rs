table_row! {
    /// Morphological annotations of a cell, from its dye fill during recording and its
    /// biocytin staining afterwards.
    pub struct Morphology in "morphology" {
        /// Row id.
        pub id: i64,
        /// The cell described (`cell.id`); at most one row per cell.
        pub cell_id: Option<i64>,
        /// Whether the experimenter called the cell pyramidal from a prominent apical
        /// dendrite in the dye fill; `dendrite_type` is the more reliable excitatory
        /// marker.
        pub pyramidal: Option<bool>,
        /// Free-text qualitative description of the cell's morphological type.
        pub qual_morpho_type: Option<String>,
        /// Dendrite type from biocytin staining: `"spiny"` (taken as excitatory),
        /// `"aspiny"` or `"sparsely spiny"` (taken as inhibitory), or `"NEI"` (not enough
        /// information).
        pub dendrite_type: Option<String>,
        /// Distance from the cell body at which the apical dendrite is cut off by the
        /// slice surface, in metres.
        pub apical_trunc_distance: Option<f64>,
        /// Distance from the cell body at which the axon is cut off by the slice surface,
        /// in metres.
        pub axon_trunc_distance: Option<f64>,
        /// Whether the apical dendrite is cut off: `"truncated"`, `"borderline"`,
        /// `"intact"`, `"unclear"` or `"NEI"` (not enough information).
        pub apical_truncation: Option<String>,
        /// Whether the axon is cut off: `"truncated"`, `"borderline"`, `"intact"`,
        /// `"unclear"` or `"NEI"` (not enough information).
        pub axon_truncation: Option<String>,
        /// Where the axon leaves the cell: `"soma"`, `"dendrite"`, `"unclear"` or `"NEI"`
        /// (not enough information).
        pub axon_origin: Option<String>,
        /// Further information as JSON (e.g. a hash of the annotation record, used to
        /// detect updates).
        pub meta: Option<serde_json::Value>,
    }
}
