table_row! {
    /// Where a cell sits in the cortex: its layer and its depth between the pial surface
    /// and the white matter, measured on a stained image of the slice.
    pub struct CorticalCellLocation in "cortical_cell_location" {
        /// Row id.
        pub id: i64,
        /// The cell located (`cell.id`).
        pub cell_id: Option<i64>,
        /// The cortical site (the marked stretch of cortex with its pia and white-matter
        /// boundaries) the measurements refer to (`cortical_site.id`).
        pub cortical_site_id: Option<i64>,
        /// The cortical layer the cell body lies in, e.g. `"2/3"` or `"5"`.
        pub cortical_layer: Option<String>,
        /// Distance from the cell body to the pial surface, in metres.
        pub distance_to_pia: Option<f64>,
        /// Distance from the cell body to the white matter, in metres.
        pub distance_to_wm: Option<f64>,
        /// Cortical depth as a dimensionless fraction: 0 at the pia, 1 at the white matter.
        pub fractional_depth: Option<f64>,
        /// Depth of the cell body below the upper boundary of its layer, in metres.
        pub layer_depth: Option<f64>,
        /// Thickness of the cell's layer at the cell's position, in metres.
        pub layer_thickness: Option<f64>,
        /// Depth within the cell's layer as a dimensionless fraction of the layer's
        /// thickness (0 at its upper boundary, 1 at its lower).
        pub fractional_layer_depth: Option<f64>,
        /// Position of the cell body in the coordinates of the slice image: a JSON list
        /// `[x, y]` in metres.
        pub position: Option<serde_json::Value>,
        /// Further information as JSON (e.g. the layer recorded for the cell in the
        /// specimen database).
        pub meta: Option<serde_json::Value>,
    }
}
