//! Figure inputs from library results, shared by the report and the CLI's `--plot`.

use synphys_connectivity::DistanceProfile;
use synphys_plot::{ColourScale, Heatmap, ProfileBin};
use synphys_query::ConnectivityMatrix;

/// The connectivity heatmap of `matrix`: each class pair coloured by its
/// distance-adjusted probability (the raw proportion where there is no adjustment) on a
/// log scale from 0.01 to 1, annotated `connected/probed`, grey where nothing was probed.
///
/// ```
/// use synphys_query::{ConnectivityMatrix, ConnectivityOptions, Preload, SynphysDb};
/// use synphys_cellclass::ClassSet;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let db = SynphysDb::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo_tiny.sqlite"))?;
/// let frame = db.pair_query().species("mouse").synapse_probed(true).preload(Preload::Cell).frame()?;
/// let classes = ClassSet::preset("broad")?;
/// let matrix = ConnectivityMatrix::new(&frame, &classes, &classes, &ConnectivityOptions::new())?;
/// let heatmap = synphys_report::connectivity_heatmap("Connectivity", &matrix);
/// let dir = tempfile::tempdir()?;
/// synphys_plot::write_heatmap(dir.path().join("connectivity.svg"), &heatmap)?;
/// # Ok(())
/// # }
/// ```
pub fn connectivity_heatmap(title: impl Into<String>, matrix: &ConnectivityMatrix) -> Heatmap {
    let n_post = matrix.post_names().len().max(1);
    let mut values = Vec::new();
    let mut notes = Vec::new();
    for row in matrix.summaries().chunks(n_post) {
        values.push(
            row.iter()
                .map(|s| {
                    let c = &s.connection;
                    (c.n_probed > 0).then(|| s.adjusted.as_ref().map_or(c.estimate, |a| a.pmax))
                })
                .collect(),
        );
        notes.push(
            row.iter()
                .map(|s| format!("{}/{}", s.connection.n_connected, s.connection.n_probed))
                .collect(),
        );
    }
    Heatmap::new(
        title,
        matrix.pre_names().to_vec(),
        matrix.post_names().to_vec(),
        values,
    )
    .annotations(notes)
    .colour_scale(ColourScale::Log)
    .range(0.01, 1.0)
    .colour_label("adjusted connection probability")
    .size(1000, 900)
}

/// The bins of a binned profile as the profile figure draws them.
pub fn profile_bins(profile: &DistanceProfile) -> Vec<ProfileBin> {
    profile
        .bins
        .iter()
        .map(|b| ProfileBin {
            lower_m: b.lower_edge_m,
            upper_m: b.upper_edge_m,
            probability: b.probability.estimate,
            ci_lower: b.probability.lower,
            ci_upper: b.probability.upper,
        })
        .collect()
}
