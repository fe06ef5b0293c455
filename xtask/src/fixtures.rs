//! `cargo xtask fixtures`: regenerates the committed demo database
//! `fixtures/demo_tiny.sqlite` (tiny scale, default seed).

use anyhow::{Context, Result, bail};
use synphys_demo::{DEFAULT_SEED, DemoConfig, Scale};

pub(crate) fn run(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("fixtures takes no arguments, not {args:?}");
    }
    let path = crate::gen_schema::workspace_root().join("fixtures/demo_tiny.sqlite");
    let config = DemoConfig::new(Scale::Tiny)
        .seed(DEFAULT_SEED)
        .overwrite(true);
    let summary = synphys_demo::write(&path, &config)
        .with_context(|| format!("writing {}", path.display()))?;
    let digest = synphys_demo::logical_digest(&path)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "wrote {} ({size} bytes, logical digest {digest})",
        path.display()
    );
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
