//! Which database a command reads (`--db`, `$SYNPHYS_DB`, the cache, the demo), and
//! `synphys db info | list | download | demo`.
//!
//! Opening is lazy: nothing is resolved or opened until a command asks for the
//! database, so commands that need none (classes, release run) start instantly.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, Result, anyhow, bail};
use synphys_demo::{DEFAULT_SEED, DemoConfig, Scale};
use synphys_query::{Cache, CacheStatus, Catalog, OpenOptions, PairRef, SizeClass, SynphysDb};
use synphys_release_model::{Param, ReleaseParams};

use super::Context;
use crate::cli::{DbCommand, DemoArgs, DemoScale, DownloadArgs};
use crate::output::{Cell, Report, Table};
use crate::progress;

/// The environment variable naming the default database.
const DB_ENV_VAR: &str = "SYNPHYS_DB";
/// The environment variable naming a mirror to download published files from (its
/// URL prefix; the file name is appended), instead of the catalogue's.
const MIRROR_ENV_VAR: &str = "SYNPHYS_MIRROR";

fn size_word(name: &str) -> Option<SizeClass> {
    match name.to_ascii_lowercase().as_str() {
        "small" => Some(SizeClass::Small),
        "medium" => Some(SizeClass::Medium),
        "full" => Some(SizeClass::Full),
        _ => None,
    }
}

/// The cache of downloaded files and demo databases.
fn cache() -> Result<Cache> {
    Cache::from_env()
        .context("cannot find a cache directory; set SYNPHYS_CACHE to a writable directory")
}

/// The database file a command reads: `--db`, else `$SYNPHYS_DB`, else the newest
/// downloaded public file, else the demo database (written once into the cache).
pub(crate) fn resolve(ctx: &Context) -> Result<PathBuf> {
    let from_env = std::env::var(DB_ENV_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (spec, source) = match (&ctx.global.db, from_env) {
        (Some(spec), _) => (Some(spec.clone()), "--db"),
        (None, Some(spec)) => (Some(spec), DB_ENV_VAR),
        (None, None) => (None, ""),
    };
    match spec {
        Some(spec) => resolve_spec(ctx, &spec, source),
        None => {
            let catalog = Catalog::published()?;
            let cache = cache()?;
            let newest = cache
                .cached(&catalog)?
                .into_iter()
                .filter(|c| c.file.is_current_schema())
                .max_by(|a, b| {
                    (&a.file.release, size_rank(a.file.size))
                        .cmp(&(&b.file.release, size_rank(b.file.size)))
                });
            match newest {
                Some(cached) => Ok(cached.path),
                None => demo_database(ctx, &cache),
            }
        }
    }
}

/// Larger files hold more (events), so they win among files of one release.
fn size_rank(size: SizeClass) -> u8 {
    match size {
        SizeClass::Small => 0,
        SizeClass::Medium => 1,
        SizeClass::Full => 2,
    }
}

fn resolve_spec(ctx: &Context, spec: &str, source: &str) -> Result<PathBuf> {
    let path = Path::new(spec);
    if path.exists() {
        return Ok(path.to_path_buf());
    }
    if spec == "demo" {
        return demo_database(ctx, &cache()?);
    }
    let catalog = Catalog::published()?;
    if size_word(spec).is_some() || catalog.get(spec).is_some() {
        return match cache()?.locate(&catalog, spec)? {
            Some(cached) => Ok(cached.path),
            None => bail!(
                "{source} {spec}: that file is not downloaded yet; run `synphys db download {spec}` (or use --db demo)"
            ),
        };
    }
    bail!(
        "{source} {spec}: no such file; give a database path, small, medium, full, a published file name (`synphys db list`) or demo"
    )
}

/// The demo database of the default seed in the cache, written on first use.
fn demo_database(ctx: &Context, cache: &Cache) -> Result<PathBuf> {
    let path = demo_path(cache.dir(), DemoScale::Small, DEFAULT_SEED);
    if !path.is_file() {
        ctx.notice(&format!(
            "writing the synthetic demo database to {} (once)",
            path.display()
        ));
        std::fs::create_dir_all(cache.dir()).with_context(|| {
            format!(
                "cannot create the cache directory {}; set SYNPHYS_CACHE to a writable directory",
                cache.dir().display()
            )
        })?;
        synphys_demo::write(&path, &DemoConfig::new(Scale::Small).seed(DEFAULT_SEED))
            .with_context(|| format!("cannot write the demo database {}", path.display()))?;
    }
    ctx.notice(&format!(
        "using the SYNTHETIC demo database {} (not real data; choose a file with --db or SYNPHYS_DB, or run `synphys db download small`)",
        path.display()
    ));
    Ok(path)
}

fn demo_path(dir: &Path, scale: DemoScale, seed: u64) -> PathBuf {
    let scale = match scale {
        DemoScale::Small => "small",
        DemoScale::Medium => "medium",
    };
    dir.join(format!("demo-{scale}-seed{seed}.sqlite"))
}

/// Opens the command's database read-only.
pub(crate) fn open(ctx: &Context) -> Result<SynphysDb> {
    let path = resolve(ctx)?;
    let options = OpenOptions::new().allow_other_version(ctx.global.allow_other_version);
    let db = SynphysDb::open_with(&path, options)?;
    if let Some(warning) = db.version_warning() {
        ctx.notice(&format!("warning: {warning}"));
    }
    Ok(db)
}

/// Parses `EXPT:PRE:POST` (or `id:N`).
pub(crate) fn pair_ref(text: &str) -> Result<PairRef> {
    Ok(text.parse::<PairRef>()?)
}

/// The pair-query row of one pair, with `preload`'s columns.
pub(crate) fn pair_frame(
    db: &SynphysDb,
    pair: &PairRef,
    preload: synphys_query::Preload,
) -> Result<synphys_query::Frame> {
    use synphys_cellclass::{CompareOp, Scalar};
    let query = db.pair_query().preload(preload);
    let query = match pair {
        PairRef::Id(id) => query.filter_expr("pair.id", CompareOp::Eq, Scalar::Int(*id)),
        PairRef::ExtIds {
            experiment,
            pre_cell,
            post_cell,
        } => query
            .filter_expr(
                "experiment.ext_id",
                CompareOp::Eq,
                Scalar::Str(experiment.clone()),
            )
            .filter_expr(
                "pre_cell.ext_id",
                CompareOp::Eq,
                Scalar::Str(pre_cell.clone()),
            )
            .filter_expr(
                "post_cell.ext_id",
                CompareOp::Eq,
                Scalar::Str(post_cell.clone()),
            ),
    };
    let frame = query.frame()?;
    match frame.n_rows() {
        1 => Ok(frame),
        0 => bail!(
            "pair {pair} is not in {}; name it EXPT:PRE:POST with the experiment's and cells' ext_ids (e.g. from `synphys pairs --preload experiment,cell`)",
            db.path().display()
        ),
        n => bail!(
            "{n} pairs match {pair} in {}; name it by id:N instead",
            db.path().display()
        ),
    }
}

/// The release-model parameters stored for a pair (`synapse_model.ml_*`).
pub(crate) fn pair_release_params(ctx: &Context, pair: &str) -> Result<ReleaseParams> {
    let pair_ref = pair_ref(pair)?;
    let db = open(ctx)?;
    let frame = pair_frame(&db, &pair_ref, synphys_query::Preload::Synapse)?;
    let mut builder = ReleaseParams::builder();
    for param in Param::ALL {
        let column = format!("synapse_model.ml_{}", param.name());
        let value = frame.numbers(&column)?.first().copied().flatten().ok_or_else(|| {
            anyhow!("pair {pair} has no release-model parameters ({column} is null); use --params FILE, or a pair with a synapse model")
        })?;
        builder.set(param, value);
    }
    builder
        .build()
        .with_context(|| format!("the stored release-model parameters of pair {pair} are invalid"))
}

/// A pair's spike times (s), amplitudes (V, NaN = missing) and measurement noise (V).
pub(crate) fn pair_events(ctx: &Context, pair: &str) -> Result<(Vec<f64>, Vec<f64>, f64)> {
    let pair_ref = pair_ref(pair)?;
    let events = open(ctx)?.synapse_events(&pair_ref)?;
    Ok((
        events.spike_times_s,
        events.amplitudes_v,
        events.measurement_stdev_v,
    ))
}

pub(crate) fn run(ctx: &Context, command: &DbCommand) -> Result<()> {
    match command {
        DbCommand::Info => info(ctx),
        DbCommand::List => list(ctx),
        DbCommand::Download(args) => download(ctx, args),
        DbCommand::Demo(args) => demo(ctx, args),
    }
}

fn info(ctx: &Context) -> Result<()> {
    let db = open(ctx)?;
    let meta = db.metadata();
    let size = db.size_class()?;
    let bytes = std::fs::metadata(db.path()).map(|m| m.len()).ok();
    let tables = db.tables()?;
    let mut table = Table::new(&[("table", None), ("rows", None)]);
    for t in &tables {
        table.push(vec![t.name.as_str().into(), t.rows.into()]);
    }
    let path = db.path().display().to_string();
    let json = serde_json::json!({
        "path": path,
        "schema_version": meta.db_version,
        "size_class": size.to_string(),
        "origin": meta.origin,
        "creation_date": meta.creation_date,
        "file_bytes": bytes,
        "tables": table.json_rows(),
    });
    let mut report = Report::table(table);
    report.notes = vec![
        ("path".into(), path),
        ("schema version".into(), meta.db_version.clone()),
        ("size class".into(), size.to_string()),
        ("origin".into(), meta.origin.clone()),
        ("creation date".into(), meta.creation_date.clone()),
    ];
    if let Some(bytes) = bytes {
        report
            .notes
            .push(("file size".into(), format!("{bytes} bytes")));
    }
    report.json = Some(json);
    ctx.print(&report)
}

fn list(ctx: &Context) -> Result<()> {
    let catalog = Catalog::published()?;
    let cache = cache()?;
    let mut table = Table::new(&[
        ("file", None),
        ("release", None),
        ("size", None),
        ("schema_version", None),
        ("cached", None),
        ("cached_bytes", None),
        ("newest", None),
    ]);
    for file in catalog.files() {
        let (cached, bytes) = match cache.status(file)? {
            CacheStatus::Complete { bytes, .. } => ("yes", Cell::from(bytes)),
            CacheStatus::Partial { bytes, .. } => ("partial", Cell::from(bytes)),
            CacheStatus::Missing => ("no", Cell::Null),
        };
        let newest = catalog
            .newest(file.size)
            .is_some_and(|n| n.file == file.file);
        table.push(vec![
            file.file.as_str().into(),
            file.release.as_str().into(),
            file.size.to_string().into(),
            file.schema_version.as_str().into(),
            cached.into(),
            bytes,
            newest.into(),
        ]);
    }
    let mut report = Report::table(table);
    report.notes = vec![("cache".into(), cache.dir().display().to_string())];
    ctx.print(&report)
}

fn download(ctx: &Context, args: &DownloadArgs) -> Result<()> {
    let catalog = Catalog::published()?;
    let file = catalog.resolve(&args.name)?;
    if let Some(warning) = file.schema_warning() {
        ctx.notice(&format!("warning: {warning}"));
    }
    let cache = cache()?;
    std::fs::create_dir_all(cache.dir()).with_context(|| {
        format!(
            "cannot create the cache directory {}; set SYNPHYS_CACHE to a writable directory",
            cache.dir().display()
        )
    })?;
    progress::catch_ctrl_c();
    // The downloader wants its own flag; a watcher thread copies Ctrl-C into it.
    let cancel = Arc::new(AtomicBool::new(false));
    let mut downloader = synphys_query::Downloader::new().cancel_flag(Arc::clone(&cancel));
    if let Some(mirror) = std::env::var(MIRROR_ENV_VAR).ok().filter(|m| !m.is_empty()) {
        downloader = downloader.url_prefix(mirror);
    }
    let url = downloader.url_for(&catalog, file);
    ctx.notice(&format!("downloading {url}"));
    let bar = progress::bar(None, &file.file, true, ctx.global.quiet);
    let finished = AtomicBool::new(false);
    let done = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                if progress::cancelled() {
                    cancel.store(true, Ordering::Relaxed);
                    break;
                }
                std::thread::park_timeout(std::time::Duration::from_millis(100));
            }
        });
        let result = downloader.download(&catalog, file, &cache, |p| {
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.downloaded_bytes);
        });
        finished.store(true, Ordering::Relaxed);
        result
    });
    bar.finish_and_clear();
    let done = done?;
    let mut table = Table::new(&[
        ("file", None),
        ("path", None),
        ("bytes", None),
        ("resumed_from", None),
        ("already_cached", None),
    ]);
    table.push(vec![
        file.file.as_str().into(),
        done.path.display().to_string().into(),
        done.bytes.into(),
        done.resumed_from.into(),
        done.already_cached.into(),
    ]);
    ctx.print(&Report::table(table))
}

fn demo(ctx: &Context, args: &DemoArgs) -> Result<()> {
    let seed = args.seed.unwrap_or(DEFAULT_SEED);
    let path = match &args.out {
        Some(path) => path.clone(),
        None => {
            let cache = cache()?;
            std::fs::create_dir_all(cache.dir()).with_context(|| {
                format!(
                    "cannot create the cache directory {}",
                    cache.dir().display()
                )
            })?;
            demo_path(cache.dir(), args.scale, seed)
        }
    };
    let scale = match args.scale {
        DemoScale::Small => Scale::Small,
        DemoScale::Medium => Scale::Medium,
    };
    if path.exists() && !args.overwrite {
        bail!(
            "{} exists; pass --overwrite to replace it, or choose another --out",
            path.display()
        );
    }
    let config = DemoConfig::new(scale).seed(seed).overwrite(args.overwrite);
    let bar = progress::bar(None, "writing the demo database", false, ctx.global.quiet);
    let summary = synphys_demo::write_with_progress(&path, &config, &mut |p| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    });
    bar.finish_and_clear();
    let summary =
        summary.with_context(|| format!("cannot write the demo database {}", path.display()))?;
    ctx.notice(&format!(
        "wrote the SYNTHETIC demo database {} (seed {seed})",
        path.display()
    ));
    let counts = serde_json::to_value(&summary)?;
    let mut table = Table::new(&[("item", None), ("count", None)]);
    if let serde_json::Value::Object(map) = &counts {
        for (key, value) in map {
            table.push(vec![
                key.as_str().into(),
                value.as_u64().map_or(Cell::Null, Cell::from),
            ]);
        }
    }
    let mut report = Report::table(table);
    report.notes = vec![
        ("path".into(), path.display().to_string()),
        ("seed".into(), seed.to_string()),
    ];
    report.json = Some(
        serde_json::json!({"path": path.display().to_string(), "seed": seed, "summary": counts}),
    );
    ctx.print(&report)
}
