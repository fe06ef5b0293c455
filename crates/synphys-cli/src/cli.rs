//! The command line: every command, option and its `--help` text (clap derive).
//!
//! Values with units are parsed by [`crate::units`]; everything here is declarative.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::units::{self, Bins, Protocol, Range};

/// Command-line interface of the Synaptic Physiology Dataset toolkit.
#[derive(Debug, Parser)]
#[command(
    name = "synphys",
    version,
    about = "Query and model the Allen Institute Synaptic Physiology Dataset",
    long_about = "Query and model the Allen Institute Synaptic Physiology Dataset: pairs, cell \
classes, connectivity, distance profiles, synaptic dynamics and the stochastic release model.\n\n\
Without --db, synphys uses $SYNPHYS_DB, else the newest downloaded public file, else a \
synthetic demo database (announced on stderr). Values with units are accepted as 120um, \
2ms, 0.5mV; bare numbers are SI (metres, seconds, volts).",
    after_help = "Examples:\n  synphys db info\n  synphys pairs --species human --synapse --synapse-type ex --preload synapse,cell\n  synphys connectivity --classes mouse-layers --species mouse\n  synphys release simulate --params params.json --trials 500 --seed 1"
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub(crate) struct GlobalArgs {
    /// Database: a path, `small`/`medium`/`full` (a downloaded public file) or `demo`
    /// [default: $SYNPHYS_DB, else the newest downloaded file, else the demo database]
    #[arg(long, global = true, value_name = "PATH|small|medium|full|demo")]
    pub(crate) db: Option<String>,
    /// Output format [default: table on a terminal, csv when piped, else from -o's extension]
    #[arg(long, global = true, value_enum)]
    pub(crate) format: Option<Format>,
    /// Write the output to FILE instead of stdout
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// No progress bars or notices on stderr (errors are still reported)
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    /// Open a database of another schema version (queries may fail on missing columns)
    #[arg(long, global = true)]
    pub(crate) allow_other_version: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned table with units in the headers.
    Table,
    /// Comma-separated values; null is an empty field.
    Csv,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet (pairs and sql only).
    Parquet,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Database files: information, catalogue, download, demo
    #[command(subcommand)]
    Db(DbCommand),
    /// Cell pairs with filters (the tutorial's pair_query)
    #[command(
        after_help = "Examples:\n  synphys pairs --species human --synapse --synapse-type ex --preload synapse,cell\n  synphys pairs --species mouse --synapse-probed --pre-class \"cortical_layer=5,cell_class_nonsynaptic=ex\" --columns pair.id,pair.has_synapse\n  synphys pairs --distance :100um --where \"synapse.latency < 2ms\" --format json"
    )]
    Pairs(PairsArgs),
    /// Run a read-only SQL query
    #[command(
        after_help = "Examples:\n  synphys sql \"SELECT species, count(*) FROM slice GROUP BY species\"\n  synphys sql \"SELECT * FROM synapse LIMIT 5\" --format json"
    )]
    Sql(SqlArgs),
    /// Show a class set (file or preset) as TOML, or list the presets
    #[command(
        after_help = "Examples:\n  synphys classes --list-presets\n  synphys classes --classes mouse-layers > my-classes.toml\n  synphys classes --classes my-classes.toml"
    )]
    Classes(ClassesArgs),
    /// A metric aggregated per (pre class, post class): the tutorial's latency matrix
    #[command(
        after_help = "Examples:\n  synphys matrix --classes tutorial-l23 --metric synapse.latency --species mouse --synapse\n  synphys matrix --classes broad --metric dynamics.stp_induction_50hz --agg median --species mouse --synapse"
    )]
    Matrix(MatrixArgs),
    /// Connection probability per class pair, raw and distance-adjusted
    #[command(
        after_help = "Examples:\n  synphys connectivity --classes mouse-layers --species mouse\n  synphys connectivity --classes broad --sigma 120um --format csv -o connectivity.csv"
    )]
    Connectivity(ConnectivityArgs),
    /// Connectivity against lateral distance with a fitted model
    #[command(
        after_help = "Examples:\n  synphys profile --mask ei --species mouse\n  synphys profile --classes broad --pre-class Excit. --post-class Pvalb --bins 0:300um:25um --model exp"
    )]
    Profile(ProfileArgs),
    /// The distribution of one metric (data behind the tutorial's amplitude histogram)
    #[command(
        after_help = "Examples:\n  synphys hist --metric synapse.psp_amplitude --species human --synapse --synapse-type ex\n  synphys hist --metric synapse.latency --bins 30 --species mouse --synapse"
    )]
    Hist(HistArgs),
    /// A metric's quartiles grouped by another column (the tutorial's STP-by-layer box plot)
    #[command(
        after_help = "Example:\n  synphys box --metric dynamics.stp_induction_50hz --by pre_cortical_cell_location.cortical_layer --species human --synapse --synapse-type ex"
    )]
    Box(BoxArgs),
    /// Export complete priors per class pair (connectivity, synapse, STP, release model, gap junctions), or a network file for a simulator
    #[command(
        after_help = "Examples:\n  synphys priors --classes broad --to json -o priors.json\n  synphys priors --classes mouse-layers --species mouse --to nest"
    )]
    Priors(PriorsArgs),
    /// One synapse's events (spike times, amplitudes, baseline) from a medium or full file
    #[command(
        after_help = "Examples:\n  synphys events --pair 1525829536.548:7:2\n  synphys events --pair 1525829536.548:7:2 --format json -o events.json"
    )]
    Events(PairArgs),
    /// Short-term dynamics metrics recomputed from a synapse's events
    #[command(after_help = "Example:\n  synphys dynamics --pair 1525829536.548:7:2 --format json")]
    Dynamics(PairArgs),
    /// The stochastic release model: simulate, run, fit, merge shards
    #[command(subcommand)]
    Release(ReleaseCommand),
    /// Run every step of the tutorial and write one self-contained HTML report
    #[command(
        after_help = "Examples:\n  synphys tutorial --out report\n  synphys --db synphys_r2.1_small.sqlite tutorial --out report-small --png\n\nOpen DIR/index.html in a browser; every figure is also DIR/*.svg with DIR/*.svg.csv."
    )]
    Tutorial(TutorialArgs),
}

/// `synphys db …`
#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Schema version, size class, origin and table row counts of the database
    #[command(
        after_help = "Examples:\n  synphys db info\n  synphys --db synphys_r2.1_small.sqlite db info --format json"
    )]
    Info,
    /// The published files, marking those already downloaded
    #[command(after_help = "Example:\n  synphys db list")]
    List,
    /// Download a published file into the cache (resumable)
    #[command(
        after_help = "Examples:\n  synphys db download small\n  synphys db download synphys_r2.1_medium.sqlite\n\nThe cache is $SYNPHYS_CACHE, else the platform cache directory. An interrupted\ndownload resumes where it stopped when run again. $SYNPHYS_MIRROR names another\nURL prefix to fetch the files from."
    )]
    Download(DownloadArgs),
    /// Write a synthetic demo database
    #[command(
        after_help = "Examples:\n  synphys db demo --out demo.sqlite\n  synphys db demo --scale medium --seed 3 --out demo-medium.sqlite"
    )]
    Demo(DemoArgs),
}

/// `synphys db download`
#[derive(Debug, Args)]
pub(crate) struct DownloadArgs {
    /// `small`, `medium`, `full`, or a published file name
    #[arg(value_name = "small|medium|full|FILE")]
    pub(crate) name: String,
}

/// Scale of a demo database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DemoScale {
    /// A few hundred cells, no per-event tables.
    Small,
    /// Larger, with per-event tables for a subset of synapses.
    Medium,
}

/// `synphys db demo`
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Size of the synthetic dataset
    #[arg(long, value_enum, default_value = "small")]
    pub(crate) scale: DemoScale,
    /// Random seed (the same seed writes the same database)
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Where to write it [default: the cache, as demo-SCALE-seedSEED.sqlite]
    #[arg(long, value_name = "PATH")]
    pub(crate) out: Option<PathBuf>,
    /// Replace an existing file at --out
    #[arg(long)]
    pub(crate) overwrite: bool,
}

/// Synapse types of `--synapse-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SynapseTypeArg {
    /// Excitatory.
    Ex,
    /// Inhibitory.
    In,
    /// Mixed.
    Mixed,
}

impl SynapseTypeArg {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SynapseTypeArg::Ex => "ex",
            SynapseTypeArg::In => "in",
            SynapseTypeArg::Mixed => "mixed",
        }
    }
}

/// The pair filters (DESIGN §4), shared by every command that queries pairs.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct PairFilters {
    /// Species (`slice.species`), e.g. mouse or human
    #[arg(long, help_heading = "Pair filters")]
    pub(crate) species: Option<String>,
    /// Only pairs with (true) or without (false) a chemical synapse
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL", help_heading = "Pair filters")]
    pub(crate) synapse: Option<bool>,
    /// Synapse type
    #[arg(long, value_enum, help_heading = "Pair filters")]
    pub(crate) synapse_type: Option<SynapseTypeArg>,
    /// Only pairs probed for a connection (enough test spikes)
    #[arg(long, help_heading = "Pair filters")]
    pub(crate) synapse_probed: bool,
    /// Only pairs with (true) or without (false) an electrical synapse
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL", help_heading = "Pair filters")]
    pub(crate) electrical: Option<bool>,
    /// Experiment type, e.g. "standard multipatch"
    #[arg(long, help_heading = "Pair filters")]
    pub(crate) experiment_type: Option<String>,
    /// Project name (repeat for several)
    #[arg(long, value_name = "NAME", help_heading = "Pair filters")]
    pub(crate) project_name: Vec<String>,
    /// ACSF recipe (repeat for several)
    #[arg(long, value_name = "NAME", help_heading = "Pair filters")]
    pub(crate) acsf: Vec<String>,
    /// Internal solution (repeat for several)
    #[arg(long, value_name = "NAME", help_heading = "Pair filters")]
    pub(crate) internal: Vec<String>,
    /// Animal age range in days, MIN:MAX (either side may be empty)
    #[arg(long, value_name = "MIN:MAX", value_parser = units::parse_plain_range, allow_hyphen_values = true, help_heading = "Pair filters")]
    pub(crate) age: Option<Range>,
    /// Intersomatic distance range, e.g. 20um:200um or :100um
    #[arg(long, value_name = "MIN:MAX", value_parser = units::parse_length_range, allow_hyphen_values = true, help_heading = "Pair filters")]
    pub(crate) distance: Option<Range>,
    /// Presynaptic class: a name from --classes, or criteria `column=value[,column=a|b]`
    #[arg(long, value_name = "CLASS", help_heading = "Pair filters")]
    pub(crate) pre_class: Option<String>,
    /// Postsynaptic class: a name from --classes, or criteria `column=value[,column=a|b]`
    #[arg(long, value_name = "CLASS", help_heading = "Pair filters")]
    pub(crate) post_class: Option<String>,
    /// Extra condition "COLUMN OP VALUE", e.g. "pair.distance < 100um" (repeat for several)
    #[arg(long = "where", value_name = "EXPR", help_heading = "Pair filters")]
    pub(crate) where_: Vec<String>,
}

/// `--classes FILE|PRESET`
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ClassesOption {
    /// Class set: a TOML class file or a preset name (see `synphys classes --list-presets`)
    #[arg(long, value_name = "FILE|PRESET")]
    pub(crate) classes: Option<String>,
}

/// `--plot FILE`: a figure of the command's result.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct PlotOption {
    /// Also draw a figure into FILE (.svg or .png) and write FILE.csv with what it draws
    #[arg(long, value_name = "FILE")]
    pub(crate) plot: Option<PathBuf>,
}

/// Tables preloaded by `synphys pairs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PreloadArg {
    /// experiment.* and slice.*
    Experiment,
    /// pre_cell.*, post_cell.* and the per-cell tables
    Cell,
    /// synapse.*, resting_state_fit.*, dynamics.*, synapse_model.*
    Synapse,
    /// synapse_prediction.*
    #[value(name = "synapse_prediction", alias = "synapse-prediction")]
    SynapsePrediction,
}

/// `synphys pairs`
#[derive(Debug, Args)]
pub(crate) struct PairsArgs {
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// Tables to include besides pair.* (comma-separated)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) preload: Vec<PreloadArg>,
    /// Only these columns, in this order (comma-separated `table.column` names)
    #[arg(long, value_delimiter = ',', value_name = "A,B,…")]
    pub(crate) columns: Vec<String>,
}

/// `synphys sql`
#[derive(Debug, Args)]
pub(crate) struct SqlArgs {
    /// The SELECT statement (the database is opened read-only)
    pub(crate) query: String,
}

/// `synphys classes`
#[derive(Debug, Args)]
pub(crate) struct ClassesArgs {
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// List the built-in presets
    #[arg(long)]
    pub(crate) list_presets: bool,
}

/// Aggregates of `synphys matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Aggregate {
    /// Arithmetic mean.
    Mean,
    /// Median.
    Median,
    /// Number of non-null values.
    Count,
    /// Sample standard deviation (ddof 1).
    Std,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
}

/// `synphys matrix`
#[derive(Debug, Args)]
pub(crate) struct MatrixArgs {
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// The column to aggregate, e.g. synapse.latency
    #[arg(long, value_name = "COLUMN")]
    pub(crate) metric: String,
    /// How to aggregate each class pair's values
    #[arg(long, value_enum, default_value = "mean")]
    pub(crate) agg: Aggregate,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// Distances for connectivity adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DistanceMeasureArg {
    /// Parallel to the cortical surface.
    Lateral,
    /// Euclidean between the somata.
    #[value(name = "3d")]
    ThreeD,
    /// Perpendicular to the cortical surface.
    Vertical,
}

/// `synphys connectivity`
#[derive(Debug, Args)]
pub(crate) struct ConnectivityArgs {
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// Gaussian width of the distance adjustment
    #[arg(long, value_parser = units::parse_length, default_value = "100um", value_name = "LENGTH")]
    pub(crate) sigma: f64,
    /// Distance the adjustment uses
    #[arg(long, value_enum, default_value = "lateral")]
    pub(crate) distance_measure: DistanceMeasureArg,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// Cell-class masks of `synphys profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mask {
    /// Excitatory → inhibitory.
    Ei,
    /// Excitatory → excitatory.
    Ee,
    /// Inhibitory → excitatory.
    Ie,
    /// Inhibitory → inhibitory.
    Ii,
}

/// Distance models of `synphys profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ModelArg {
    /// pmax·exp(−x²/2σ²)
    Gaussian,
    /// pmax·exp(−x/λ)
    Exp,
    /// pmax·(s−x)/s, clipped
    Linear,
    /// Overlap of two spheres
    Sphere,
}

/// `synphys profile`
#[derive(Debug, Args)]
pub(crate) struct ProfileArgs {
    /// Cell-class mask on pre_cell/post_cell.cell_class (instead of --pre-class/--post-class)
    #[arg(long, value_enum, conflicts_with_all = ["pre_class", "post_class"])]
    pub(crate) mask: Option<Mask>,
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// Distance bins START:STOP:STEP
    #[arg(long, value_parser = units::parse_bins, default_value = "0:500um:20um", value_name = "START:STOP:STEP")]
    pub(crate) bins: Bins,
    /// Model fitted to the pairs
    #[arg(long, value_enum, default_value = "gaussian")]
    pub(crate) model: ModelArg,
    /// Only pairs closer than this (lateral distance)
    #[arg(long, value_parser = units::parse_length, default_value = "500um", value_name = "LENGTH")]
    pub(crate) max_distance: f64,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// `synphys hist`
#[derive(Debug, Args)]
pub(crate) struct HistArgs {
    /// The column, e.g. synapse.psp_amplitude
    #[arg(long, value_name = "COLUMN")]
    pub(crate) metric: String,
    /// Number of equal-width bins between the smallest and largest value
    #[arg(long, default_value_t = 20)]
    pub(crate) bins: usize,
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// `synphys box`
#[derive(Debug, Args)]
pub(crate) struct BoxArgs {
    /// The column summarised, e.g. dynamics.stp_induction_50hz
    #[arg(long, value_name = "COLUMN")]
    pub(crate) metric: String,
    /// The column whose values group the rows, e.g. pre_cortical_cell_location.cortical_layer
    #[arg(long, value_name = "COLUMN")]
    pub(crate) by: String,
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// Export formats of `synphys priors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PriorFormat {
    /// Complete priors as versioned JSON (layout synphys-priors v1, with a JSON Schema).
    Json,
    /// Complete priors as CSV, one class pair per row.
    Csv,
    /// NEST Python module (nest.Connect with spatial probabilities, weight and delay).
    Nest,
    /// PyNN Python module (DistanceDependentProbabilityConnector).
    Pynn,
    /// NetPyNE Python module (connParams dict).
    Netpyne,
    /// Brian2 Python module (Synapses.connect(p=...) with units).
    Brian2,
    /// SONATA edge types for bmtk (CSV).
    Sonata,
}

/// `synphys priors`
#[derive(Debug, Args)]
pub(crate) struct PriorsArgs {
    #[command(flatten)]
    pub(crate) classes: ClassesOption,
    /// Gaussian width of the distance adjustment
    #[arg(long, value_parser = units::parse_length, default_value = "100um", value_name = "LENGTH")]
    pub(crate) sigma: f64,
    /// Export format
    #[arg(long, value_enum, default_value = "json")]
    pub(crate) to: PriorFormat,
    #[command(flatten)]
    pub(crate) filters: PairFilters,
}

/// `--pair EXPT:PRE:POST`
#[derive(Debug, Args)]
pub(crate) struct PairArgs {
    /// The pair: experiment ext_id, pre and post cell ext_ids (e.g. 1525829536.548:7:2), or id:N
    #[arg(long, value_name = "EXPT:PRE:POST")]
    pub(crate) pair: String,
}

/// `synphys release …`
#[derive(Debug, Subcommand)]
pub(crate) enum ReleaseCommand {
    /// Simulate random responses to a spike train (many trials)
    #[command(
        after_help = "Examples:\n  synphys release simulate --params params.json\n  synphys release simulate --params params.json --protocol 50hz:250ms --trials 1000 --seed 7\n  synphys release simulate --pair 1525829536.548:7:2 --spikes 100ms,110ms,120ms\n\nWithout --spikes or --protocol the tutorial's train is used\n(0.1, 0.11, 0.12, 0.14, 0.2, 0.21, 0.22, 0.23, 0.5, 0.51, 0.52 s).\nA params file is JSON with the nine parameter names (SI units), e.g.\n{\"n_release_sites\": 3, \"base_release_probability\": 0.76, \"mini_amplitude\": 0.33e-3,\n \"mini_amplitude_cv\": 0.25, \"depression_amount\": 0.125, \"depression_tau\": 0.108,\n \"facilitation_amount\": 0.375, \"facilitation_tau\": 2.56, \"measurement_stdev\": 86e-6}"
    )]
    Simulate(SimulateArgs),
    /// Score recorded events under given parameters, event by event
    #[command(
        after_help = "Example:\n  synphys release run --params params.json --events events.csv\n\nThe events file is CSV with the header spike_time,amplitude (SI units); an empty or\nNaN amplitude marks a missing event."
    )]
    Run(RunArgs),
    /// Search the parameter space for a synapse's events (parallel, shardable)
    #[command(
        after_help = "Examples:\n  synphys release fit --events events.csv --measurement-stdev 0.1mV --grid coarse\n  synphys release fit --pair 1525829536.548:7:2 --threads 2\n  synphys release fit --events events.csv --measurement-stdev 0.1mV --shard 0/8 --out shard-0.bin\n  synphys release merge shard-*.bin\n\nA grid file is JSON mapping parameter names to a list of values or one number;\nwithout mini_amplitude it is optimised at each point. Ctrl-C stops cleanly."
    )]
    Fit(FitArgs),
    /// Merge shard files into one result
    #[command(
        after_help = "Example:\n  synphys release merge shard-0.bin shard-1.bin --format json --out fit.json"
    )]
    Merge(MergeArgs),
}

/// `synphys release simulate`
#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    /// Take the parameters of this pair's synapse model from the database
    #[arg(
        long,
        value_name = "EXPT:PRE:POST",
        required_unless_present = "params",
        conflicts_with = "params"
    )]
    pub(crate) pair: Option<String>,
    /// Parameters file (JSON, the nine parameter names, SI units)
    #[arg(long, value_name = "FILE")]
    pub(crate) params: Option<PathBuf>,
    /// Spike times, comma-separated (e.g. 0.1,0.11 or 100ms,110ms)
    #[arg(long, value_delimiter = ',', value_parser = units::parse_time, conflicts_with = "protocol", allow_hyphen_values = true)]
    pub(crate) spikes: Vec<f64>,
    /// A 12-pulse train FREQUENCY:RECOVERY_DELAY, e.g. 50hz:250ms
    #[arg(long, value_parser = units::parse_protocol, value_name = "FREQ:DELAY")]
    pub(crate) protocol: Option<Protocol>,
    /// Number of random trials
    #[arg(long, default_value_t = 500)]
    pub(crate) trials: usize,
    /// Random seed
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// `synphys release run`
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Parameters file (JSON, the nine parameter names, SI units)
    #[arg(long, value_name = "FILE")]
    pub(crate) params: PathBuf,
    /// Events file (CSV with header spike_time,amplitude)
    #[arg(long, value_name = "FILE")]
    pub(crate) events: PathBuf,
}

/// `synphys release fit`
#[derive(Debug, Args)]
pub(crate) struct FitArgs {
    /// Fit this pair's events from the database (medium or full file)
    #[arg(
        long,
        value_name = "EXPT:PRE:POST",
        required_unless_present = "events",
        conflicts_with = "events"
    )]
    pub(crate) pair: Option<String>,
    /// Events file (CSV with header spike_time,amplitude)
    #[arg(long, value_name = "FILE", requires = "measurement_stdev")]
    pub(crate) events: Option<PathBuf>,
    /// Measurement noise (standard deviation), e.g. 0.1mV
    #[arg(long, value_parser = units::parse_voltage, value_name = "VOLTAGE")]
    pub(crate) measurement_stdev: Option<f64>,
    /// Parameter grid: default (6,220,800 points), coarse, or a JSON file
    #[arg(long, default_value = "default", value_name = "default|coarse|FILE")]
    pub(crate) grid: String,
    /// Worker threads [default: all cores]
    #[arg(long)]
    pub(crate) threads: Option<usize>,
    /// Run only shard I of N and write it to --out
    #[arg(long, value_parser = units::parse_shard, value_name = "I/N", requires = "out")]
    pub(crate) shard: Option<(usize, usize)>,
    /// Shard file to write (with --shard)
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) plot: PlotOption,
}

/// `synphys tutorial`
#[derive(Debug, Args)]
pub(crate) struct TutorialArgs {
    /// Directory of the report (index.html, figures, CSVs); created when missing
    #[arg(long, default_value = "report", value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Seed of the simulated trials (and of simulated events when the file has none)
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Release-model trials to simulate
    #[arg(long, default_value_t = 500)]
    pub(crate) trials: usize,
    /// Also write every figure as PNG
    #[arg(long)]
    pub(crate) png: bool,
}

/// `synphys release merge`
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// Shard files written by `release fit --shard`
    #[arg(required = true, value_name = "FILES")]
    pub(crate) files: Vec<PathBuf>,
    /// Write the merged result there (same as -o)
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}
