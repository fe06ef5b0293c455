table_row! {
    /// Transcriptomic results of a cell whose contents were collected after recording
    /// (Patch-seq): sample quality, and how its RNA profile maps onto a reference
    /// taxonomy of cell types.
    pub struct PatchSeq in "patch_seq" {
        /// Row id.
        pub id: i64,
        /// The cell sequenced (`cell.id`); at most one row per cell.
        pub cell_id: Option<i64>,
        /// Identifier of the tube holding the collected cell contents.
        pub tube_id: Option<String>,
        /// Whether the nucleus was extracted with the contents: `"+"`, `"-"` or `"?"`.
        pub nucleus: Option<String>,
        /// Whether a gigaohm seal re-formed while the nucleus was pulled out.
        pub reseal: Option<bool>,
        /// Hash of the amplification and mapping results, used to detect updates.
        pub patchseq_hash: Option<String>,
        /// Outcome of the cDNA amplification report: pass or fail.
        pub result_ba: Option<String>,
        /// Fraction (0–1) of the amplified cDNA in the 400–10,000 base-pair range; higher
        /// means more intact RNA (dimensionless).
        pub area_400_10000bp: Option<f64>,
        /// cDNA yield measured by PicoGreen, in picograms per microlitre (not SI; as
        /// stored).
        pub picogreen_yield: Option<f64>,
        /// Descriptive name of the deepest taxonomy node the cell mapped to.
        pub cluster_detail: Option<String>,
        /// Label of the deepest taxonomy node the cell mapped to (a number for
        /// class-level nodes).
        pub cluster_label: Option<String>,
        /// Mapping confidence, 0–1 (dimensionless).
        pub score: Option<f64>,
        /// Resolution index of the mapped node, 0–1, where 1 is a terminal leaf
        /// (dimensionless).
        pub res_index: Option<f64>,
        /// The best-matching leaf (terminal type) of the taxonomy.
        pub top_leaf: Option<String>,
        /// Confidence of the `top_leaf` mapping, 0–1 (dimensionless).
        pub top_leaf_score: Option<f64>,
        /// Broad class (e.g. glutamatergic or GABAergic) assigned to every cell whatever
        /// its mapping depth.
        pub broad_class_label: Option<String>,
        /// Subclass assigned to every cell whatever its mapping depth.
        pub subclass_label: Option<String>,
        /// Sample quality score of the transcriptome (meaning and scale not documented by
        /// the Python package).
        pub quality_score: Option<f64>,
        /// Normalised sum of marker-gene expression (meaning and scale not documented by
        /// the Python package).
        pub norm_marker_sum: Option<f64>,
        /// Cluster assigned by the Seurat mapping method.
        pub seurat_cluster: Option<String>,
        /// Confidence of `seurat_cluster`, 0–1 (dimensionless).
        pub seurat_score: Option<f64>,
        /// Best cluster by the tree mapping method.
        pub tree_first_cluster: Option<String>,
        /// Bootstrap confidence of `tree_first_cluster`, 0–1; the three tree scores add
        /// up to 1 (dimensionless).
        pub tree_first_bt: Option<f64>,
        /// Divergence of the first tree mapping from reference (FACS) data
        /// (dimensionless).
        pub tree_first_kl: Option<f64>,
        /// Correlation of the first tree mapping with reference (FACS) data
        /// (dimensionless).
        pub tree_first_cor: Option<f64>,
        /// Second-best cluster by the tree mapping method.
        pub tree_second_cluster: Option<String>,
        /// Bootstrap confidence of `tree_second_cluster`, 0–1 (dimensionless).
        pub tree_second_bt: Option<f64>,
        /// Divergence of the second tree mapping from reference (FACS) data
        /// (dimensionless).
        pub tree_second_kl: Option<f64>,
        /// Correlation of the second tree mapping with reference (FACS) data
        /// (dimensionless).
        pub tree_second_cor: Option<f64>,
        /// Third-best cluster by the tree mapping method.
        pub tree_third_cluster: Option<String>,
        /// Bootstrap confidence of `tree_third_cluster`, 0–1 (dimensionless).
        pub tree_third_bt: Option<f64>,
        /// Quality call of the tree mapping, e.g. `"Core"` or `"I1"`.
        pub tree_call: Option<String>,
        /// Number of genes detected in the sample.
        pub genes_detected: Option<i64>,
        /// Transcriptomic type: `tree_first_cluster` when `tree_call` is `"Core"` or
        /// `"I1"`.
        pub t_type: Option<String>,
        /// Mapping from the most recent batch run.
        pub last_map: Option<String>,
        /// Mapping score from the most recent batch run, as text.
        pub last_score: Option<String>,
        /// The subclass the cell mapped to.
        pub mapped_subclass: Option<String>,
        /// Batch identifier of the mapping results, used to track updates.
        pub batch: Option<String>,
        /// Further information as JSON.
        pub meta: Option<serde_json::Value>,
    }
}
