//! The tutorial's steps in order, each a few library calls and one figure.

use std::path::{Path, PathBuf};

use synphys_cellclass::{ClassSet, CompareOp, Scalar, SynapseType};
use synphys_connectivity::{ConnectivityModel, DistanceProfile, FitOptions, GaussianModel};
use synphys_plot::{
    BoxGroup, BoxPlot, DistanceProfilePlot, FittedCurve, Heatmap, Histogram, ReleaseTrials, Unit,
    write_box_plot, write_distance_profile, write_heatmap, write_histogram, write_release_trials,
};
use synphys_query::{
    Aggregate, ClassMatrix, ConnectivityMatrix, ConnectivityOptions, Frame, Grouping, PairQuery,
    Preload, SynphysDb, pair_records,
};

use crate::error::{ErrorKind, Result, io_error};
use crate::figures::{connectivity_heatmap, profile_bins};
use crate::options::TutorialOptions;
use crate::report::{
    BoxStep, ConnectivityCell, ConnectivityStep, FirstQuery, HistogramStep, LatencyMatrix,
    ProfileBinRow, ProfileStep,
};
use crate::stats::{box_stats, histogram};

/// Confidence intervals are at 1 − alpha.
pub(crate) const ALPHA: f64 = 0.05;
/// The tutorial's first-query project filter.
const STANDARD_MULTIPATCH: &str = "standard multipatch";
/// The amplitude histogram's column.
pub(crate) const AMPLITUDE_COLUMN: &str = "synapse.psp_amplitude";
/// The box plot's metric and grouping columns.
pub(crate) const STP_COLUMN: &str = "dynamics.stp_induction_50hz";
pub(crate) const LAYER_COLUMN: &str = "pre_cortical_cell_location.cortical_layer";
/// The columns of the first query's preview (with the header and scale they are shown
/// with) and CSV.
const PREVIEW_COLUMNS: [(&str, &str, f64); 7] = [
    ("pair.id", "pair.id", 1.0),
    ("pre_cell.ext_id", "pre_cell.ext_id", 1.0),
    ("post_cell.ext_id", "post_cell.ext_id", 1.0),
    (LAYER_COLUMN, "pre layer", 1.0),
    (AMPLITUDE_COLUMN, "synapse.psp_amplitude (mV)", 1e3),
    ("synapse.latency", "synapse.latency (ms)", 1e3),
    (STP_COLUMN, STP_COLUMN, 1.0),
];
/// Rows of the first query shown on the page.
const PREVIEW_ROWS: usize = 5;

/// The state shared by the steps: the database, the options and the files written.
pub(crate) struct Runner<'a> {
    pub(crate) db: &'a SynphysDb,
    pub(crate) options: &'a TutorialOptions,
    pub(crate) files: Vec<PathBuf>,
}

impl Runner<'_> {
    /// `name` inside the output directory.
    pub(crate) fn out(&self, name: &str) -> PathBuf {
        self.options.out_dir().join(name)
    }

    /// Draws a figure as `stem.svg` (and `stem.png` when asked), recording the files.
    pub(crate) fn draw(
        &mut self,
        stem: &str,
        write: impl Fn(&Path) -> synphys_plot::Result<synphys_plot::Written>,
    ) -> Result<()> {
        let extensions: &[&str] = if self.options.writes_png() {
            &["svg", "png"]
        } else {
            &["svg"]
        };
        for extension in extensions {
            let written = write(&self.out(&format!("{stem}.{extension}")))?;
            self.files.push(written.image);
            self.files.push(written.csv);
        }
        Ok(())
    }

    /// The human excitatory synapses of the tutorial's first query.
    pub(crate) fn human_synapses(&self) -> Result<Frame> {
        Ok(synapse_query(self.db, "human").synapse_type("ex").frame()?)
    }

    /// Every synapse with its synapse columns (any species or project).
    pub(crate) fn any_synapses(&self) -> Result<Frame> {
        Ok(self
            .db
            .pair_query()
            .synapse(true)
            .preload(Preload::Synapse)
            .frame()?)
    }

    /// Step 1: the first query, a preview and its CSV.
    pub(crate) fn first_query(&mut self, frame: &Frame) -> Result<FirstQuery> {
        if frame.n_rows() == 0 {
            return Err(no_data(
                "first query",
                "no human excitatory synapse in standard multipatch experiments",
            ));
        }
        let shown: Vec<_> = PREVIEW_COLUMNS
            .iter()
            .filter(|(c, _, _)| frame.has_column(c))
            .collect();
        let columns: Vec<&str> = shown.iter().map(|(c, _, _)| *c).collect();
        let preview_rows = (0..frame.n_rows().min(PREVIEW_ROWS))
            .map(|r| {
                shown
                    .iter()
                    .map(|(c, _, scale)| cell_text(frame, r, c, *scale))
                    .collect()
            })
            .collect();
        let path = self.out("first_query.csv");
        let file = std::fs::File::create(&path).map_err(io_error(&path))?;
        frame
            .select(&columns)?
            .write_csv(std::io::BufWriter::new(file))?;
        self.files.push(path);
        Ok(FirstQuery {
            n_synapses: frame.n_rows(),
            preview_columns: shown
                .iter()
                .map(|(_, header, _)| header.to_string())
                .collect(),
            preview_rows,
        })
    }

    /// Step 2: mean latency of mouse synapses by layer-2/3 class (first matching class,
    /// as `classify_pair_dataframe` + `pivot_table` do).
    pub(crate) fn latency(&mut self) -> Result<LatencyMatrix> {
        let frame = synapse_query(self.db, "mouse").frame()?;
        if frame.n_rows() == 0 {
            return Err(no_data(
                "latency matrix",
                "no mouse synapse in standard multipatch experiments",
            ));
        }
        let classes = ClassSet::preset("tutorial-l23")?;
        let matrix = ClassMatrix::new(
            &frame,
            &classes,
            &classes,
            "synapse.latency",
            Aggregate::Mean,
            Grouping::FirstMatch,
        )?;
        let (n_pre, n_post) = (matrix.pre_names().len(), matrix.post_names().len());
        let counts: Vec<Vec<usize>> = (0..n_pre)
            .map(|i| (0..n_post).map(|j| matrix.count(i, j)).collect())
            .collect();
        let step = LatencyMatrix {
            n_synapses: frame.n_rows(),
            pre_names: matrix.pre_names().to_vec(),
            post_names: matrix.post_names().to_vec(),
            mean_latency_s: matrix.to_rows(),
            counts,
        };
        let heatmap = Heatmap::new(
            "Mean synaptic latency (mouse, layer 2/3 classes)",
            step.pre_names.clone(),
            step.post_names.clone(),
            step.mean_latency_s.clone(),
        )
        .unit(Unit::millisecond())
        .colour_label("latency");
        self.draw("latency_matrix", |path| write_heatmap(path, &heatmap))?;
        Ok(step)
    }

    /// The mouse pairs probed for connectivity, with cell columns.
    pub(crate) fn mouse_probed_pairs(&self) -> PairQuery<'_> {
        self.db
            .pair_query()
            .experiment_type(STANDARD_MULTIPATCH)
            .species("mouse")
            .synapse_probed(true)
            .preload(Preload::Cell)
    }

    /// Step 3: the connectivity matrix over the 17 mouse classes (membership grouping,
    /// adjusted on lateral distance with σ = 100 µm).
    pub(crate) fn connectivity(&mut self) -> Result<ConnectivityStep> {
        let frame = self.mouse_probed_pairs().frame()?;
        if frame.n_rows() == 0 {
            return Err(no_data(
                "connectivity matrix",
                "no probed mouse pair in standard multipatch experiments",
            ));
        }
        let classes = ClassSet::preset("mouse-layers")?;
        let matrix =
            ConnectivityMatrix::new(&frame, &classes, &classes, &ConnectivityOptions::new())?;
        let cells: Vec<ConnectivityCell> = matrix
            .summaries()
            .iter()
            .map(|s| ConnectivityCell {
                pre: s.key.pre.clone(),
                post: s.key.post.clone(),
                n_probed: s.connection.n_probed,
                n_connected: s.connection.n_connected,
                probability: s.connection.estimate,
                ci_lower: s.connection.lower,
                ci_upper: s.connection.upper,
                adjusted: s.adjusted.as_ref().map(|a| [a.pmax, a.lower, a.upper]),
            })
            .collect();
        let step = ConnectivityStep {
            n_pairs: frame.n_rows(),
            pre_names: matrix.pre_names().to_vec(),
            post_names: matrix.post_names().to_vec(),
            cells,
        };
        let heatmap =
            connectivity_heatmap("Connection probability, distance-adjusted (mouse)", &matrix);
        self.draw("connectivity_matrix", |path| write_heatmap(path, &heatmap))?;
        Ok(step)
    }

    /// Step 4 for one mask: mouse probed pairs from excitatory cells to `post_class`
    /// cells closer than the extent, binned and fitted with a Gaussian.
    pub(crate) fn profile(
        &mut self,
        label: &str,
        post_class: &str,
        file: &str,
    ) -> Result<ProfileStep> {
        let frame = self
            .mouse_probed_pairs()
            .filter_expr("pre_cell.cell_class", CompareOp::Eq, Scalar::from("ex"))
            .filter_expr(
                "post_cell.cell_class",
                CompareOp::Eq,
                Scalar::from(post_class),
            )
            .filter_expr(
                "pair.lateral_distance",
                CompareOp::Lt,
                Scalar::Float(self.options.profile_max_m()),
            )
            .frame()?;
        let (x_m, connected): (Vec<f64>, Vec<bool>) = pair_records(&frame, Some(SynapseType::Ex))?
            .iter()
            .filter(|r| r.probed && r.lateral_distance_m.is_finite())
            .map(|r| (r.lateral_distance_m, r.connected))
            .unzip();
        if x_m.is_empty() {
            return Err(no_data(
                "distance profile",
                format!("no probed mouse {label} pair with a lateral distance"),
            ));
        }
        let edges = self.options.profile_edges_m();
        let binned = DistanceProfile::new(&connected, &x_m, &edges, ALPHA)?;
        let fit = GaussianModel::fit(&x_m, &connected, &FitOptions::new())?;
        let bins: Vec<ProfileBinRow> = binned
            .bins
            .iter()
            .map(|b| ProfileBinRow {
                lower_m: b.lower_edge_m,
                upper_m: b.upper_edge_m,
                n_probed: b.probability.n_probed,
                n_connected: b.probability.n_connected,
                probability: b.probability.estimate,
                ci_lower: b.probability.lower,
                ci_upper: b.probability.upper,
            })
            .collect();
        let step = ProfileStep {
            label: label.to_string(),
            n_probed: x_m.len(),
            n_connected: connected.iter().filter(|c| **c).count(),
            pmax: fit.model.pmax(),
            sigma_m: fit.model.sigma_m(),
            nll: fit.nll,
            bins,
        };
        let curve = FittedCurve::sample(
            format!(
                "Gaussian fit: pmax = {:.2}, σ = {:.0} µm",
                step.pmax,
                step.sigma_m * 1e6
            ),
            self.options.profile_max_m(),
            200,
            |x| fit.model.connection_probability(x),
        );
        let figure = DistanceProfilePlot::new(
            format!("{label} connectivity vs lateral distance (mouse)"),
            profile_bins(&binned),
            x_m,
            connected,
        )
        .fit(curve)
        .confidence(1.0 - ALPHA);
        self.draw(file.trim_end_matches(".svg"), |path| {
            write_distance_profile(path, &figure)
        })?;
        Ok(step)
    }

    /// Step 5: histogram of the first query's PSP amplitudes.
    pub(crate) fn amplitude_histogram(&mut self, frame: &Frame) -> Result<HistogramStep> {
        let values = finite_values(frame, AMPLITUDE_COLUMN)?;
        let bins = histogram(&values, self.options.histogram_bin_count());
        if bins.is_empty() {
            return Err(no_data(
                "amplitude histogram",
                format!("no finite {AMPLITUDE_COLUMN} among the human excitatory synapses"),
            ));
        }
        let figure = Histogram::new(
            "PSP amplitude of human excitatory synapses",
            AMPLITUDE_COLUMN,
            bins.iter()
                .map(|b| synphys_plot::HistogramBin {
                    lower: b.lower,
                    upper: b.upper,
                    count: b.count,
                })
                .collect(),
        )
        .unit(Unit::millivolt());
        self.draw("amplitude_histogram", |path| write_histogram(path, &figure))?;
        Ok(HistogramStep {
            column: AMPLITUDE_COLUMN.to_string(),
            n_values: values.len(),
            bins,
        })
    }

    /// Step 6: STP induction by presynaptic layer (layers without a value left out).
    pub(crate) fn stp_by_layer(&mut self, frame: &Frame) -> Result<BoxStep> {
        let values = frame.numbers(STP_COLUMN)?;
        let mut groups: Vec<(String, Vec<f64>)> = Vec::new();
        for (r, value) in values.iter().enumerate() {
            let (Some(layer), Some(v)) = (frame.row(r).str(LAYER_COLUMN), *value) else {
                continue;
            };
            match groups.iter_mut().find(|(k, _)| k == layer) {
                Some((_, list)) => list.push(v),
                None => groups.push((layer.to_string(), vec![v])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut figure = BoxPlot::new(
            "50 Hz STP induction by presynaptic layer (human, excitatory)",
            STP_COLUMN,
            "presynaptic cortical layer",
        );
        let mut stats = Vec::new();
        for (layer, list) in &groups {
            let Some(s) = box_stats(list) else { continue };
            figure = figure.group(BoxGroup {
                name: layer.clone(),
                whisker_low: s.min,
                q1: s.q1,
                median: s.median,
                q3: s.q3,
                whisker_high: s.max,
                values: list.clone(),
            });
            stats.push((layer.clone(), s));
        }
        if stats.is_empty() {
            return Err(no_data(
                "STP box plot",
                format!(
                    "no {STP_COLUMN} with a presynaptic layer among the human excitatory synapses"
                ),
            ));
        }
        self.draw("stp_by_layer", |path| write_box_plot(path, &figure))?;
        Ok(BoxStep {
            column: STP_COLUMN.to_string(),
            by: LAYER_COLUMN.to_string(),
            groups: stats,
        })
    }

    /// Writes the simulated trials' figure.
    pub(crate) fn trials_figure(
        &mut self,
        title: String,
        spikes: Vec<f64>,
        trials: Vec<Vec<f64>>,
        mean: Vec<f64>,
    ) -> Result<()> {
        let figure = ReleaseTrials::new(title, spikes, trials, mean);
        self.draw("release_trials", |path| write_release_trials(path, &figure))?;
        Ok(())
    }
}

/// The tutorial's synapse query for one species (standard multipatch, with synapse and
/// cell columns).
pub(crate) fn synapse_query<'a>(db: &'a SynphysDb, species: &str) -> PairQuery<'a> {
    db.pair_query()
        .experiment_type(STANDARD_MULTIPATCH)
        .species(species)
        .synapse(true)
        .preload(Preload::Synapse)
        .preload(Preload::Cell)
}

/// The finite values of a numeric column.
pub(crate) fn finite_values(frame: &Frame, column: &str) -> Result<Vec<f64>> {
    Ok(frame
        .numbers(column)?
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect())
}

pub(crate) fn no_data(step: &'static str, reason: impl Into<String>) -> crate::Error {
    ErrorKind::NoData {
        step,
        reason: reason.into(),
    }
    .into()
}

/// A cell as the preview shows it: text as is, integers whole, floats times `scale`
/// (into the unit the header names) to 4 significant digits.
fn cell_text(frame: &Frame, row: usize, column: &str, scale: f64) -> String {
    let r = frame.row(row);
    if let Some(s) = r.str(column) {
        return s.to_string();
    }
    if let Some(i) = r.i64(column) {
        return i.to_string();
    }
    match r.f64(column) {
        Some(v) => {
            let shown = v * scale;
            let digits = (3 - shown.abs().max(1e-12).log10().floor() as i32).clamp(0, 12) as usize;
            format!("{shown:.digits$}")
        }
        None => String::new(),
    }
}

/// Creates the output directory.
pub(crate) fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(io_error(path))
}
