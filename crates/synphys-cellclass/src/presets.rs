//! Built-in class sets: the tutorial's classes, ready to use or to copy into a file.

use crate::{ClassSet, Result};

/// A built-in set of classes, written as a class file.
///
/// ```
/// use synphys_cellclass::Preset;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// for preset in Preset::ALL {
///     println!("{}: {}", preset.name, preset.description);
/// }
/// let layers = Preset::find("mouse-layers").ok_or("no such preset")?;
/// assert_eq!(layers.class_set()?.len(), 17);
/// // Start a class file of your own from a preset:
/// assert!(layers.toml.contains("name = \"l4pyr\""));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The preset's name, e.g. `"tutorial-l23"`.
    pub name: &'static str,
    /// What the classes are, in a line.
    pub description: &'static str,
    /// The classes as a commented class file.
    pub toml: &'static str,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 5] = [
        Preset {
            name: "tutorial-l23",
            description: "layer 2/3 excitatory, Pvalb, Sst and Vip cells (the tutorial's four classes)",
            toml: include_str!("presets/tutorial-l23.toml"),
        },
        Preset {
            name: "broad",
            description: "excitatory, Pvalb, Sst and Vip cells in any layer",
            toml: include_str!("presets/broad.toml"),
        },
        Preset {
            name: "mouse-layers",
            description: "the tutorial's 17 mouse classes l23pyr … l6vip by reporter, layer and dendrite type",
            toml: include_str!("presets/mouse-layers.toml"),
        },
        Preset {
            name: "ei",
            description: "excitatory and inhibitory cells by cell_class_nonsynaptic",
            toml: include_str!("presets/ei.toml"),
        },
        Preset {
            name: "human-layers",
            description: "excitatory cells of layers 2, 3, 4, 5 and 6 by cortical layer",
            toml: include_str!("presets/human-layers.toml"),
        },
    ];

    /// The preset named `name`.
    pub fn find(name: &str) -> Option<&'static Preset> {
        Preset::ALL.iter().find(|p| p.name == name)
    }

    /// The preset's classes.
    ///
    /// # Errors
    ///
    /// None in practice: every preset is a valid class file (a test reads them all).
    pub fn class_set(&self) -> Result<ClassSet> {
        ClassSet::from_toml(self.toml)
    }
}
