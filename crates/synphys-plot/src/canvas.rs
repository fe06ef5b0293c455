//! Output plumbing shared by every figure: the format chosen by the file extension, the
//! embedded font, the backend dispatch, and the CSV written beside the image.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::error::{ErrorKind, Result};

/// The family every figure draws text with. The embedded font is registered under it,
/// so PNG text renders with no system fonts, and SVG `<text>` elements name a family
/// every browser has.
pub(crate) const FONT_FAMILY: &str = "sans-serif";

/// DejaVu Sans (Debian's `fonts-dejavu-core`; licence in `fonts/DejaVuSans-LICENSE.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// What drawing code returns; the backend's error is turned into text at the boundary.
pub(crate) type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Image formats, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Scalable vector graphics: text stays selectable `<text>` elements.
    Svg,
    /// Portable network graphics, text rendered with the embedded font.
    Png,
}

impl Format {
    /// The format named by `path`'s extension (`.svg` or `.png`, any case).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownFormat`] for any other extension.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Format> {
        let path = path.as_ref();
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(ErrorKind::UnknownFormat {
                path: path.to_path_buf(),
            }
            .into()),
        }
    }
}

/// What a figure function wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The image file.
    pub image: PathBuf,
    /// The CSV of exactly what the image draws ([`csv_path`] of the image).
    pub csv: PathBuf,
    /// The image format.
    pub format: Format,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// The CSV written beside an image: the image's file name with `.csv` appended
/// (`latency.svg` → `latency.svg.csv`), so an SVG and a PNG of one figure never share it
/// and a user's own `latency.csv` is never overwritten.
pub fn csv_path(image: impl AsRef<Path>) -> PathBuf {
    let mut name = image.as_ref().as_os_str().to_os_string();
    name.push(".csv");
    PathBuf::from(name)
}

fn register_embedded_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ErrorKind::Font.into())
    }
}

/// A table of text cells, the CSV form of a figure.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CsvTable {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl CsvTable {
    pub(crate) fn new(header: &[&str]) -> CsvTable {
        CsvTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A number as CSV text: shortest round-trip form, NaN and infinities as empty fields.
pub(crate) fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// A figure: its data check, its drawing on any backend, and its CSV.
pub(crate) trait Figure {
    /// Names the figure in errors.
    const KIND: &'static str;
    /// Image size in pixels.
    fn size(&self) -> (u32, u32);
    /// Refuses data that cannot be drawn, saying what would be accepted.
    fn check(&self) -> Result<()>;
    /// Draws the whole figure on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
    /// Exactly what [`Figure::draw`] draws, as a table.
    fn table(&self) -> CsvTable;
}

pub(crate) fn invalid(figure: &'static str, reason: impl Into<String>) -> crate::Error {
    ErrorKind::InvalidData {
        figure,
        reason: reason.into(),
    }
    .into()
}

/// Checks `figure`, draws it into `path` in the format its extension names, and writes
/// the CSV beside it.
pub(crate) fn write_figure<F: Figure>(path: &Path, figure: &F) -> Result<Written> {
    let format = Format::from_path(path)?;
    figure.check()?;
    register_embedded_font()?;
    let size = figure.size();
    let draw_error = |reason: String| ErrorKind::Draw {
        figure: F::KIND,
        path: path.to_path_buf(),
        reason,
    };
    match format {
        Format::Svg => {
            let root = SVGBackend::new(path, size).into_drawing_area();
            figure.draw(&root).map_err(|e| draw_error(e.to_string()))?;
            root.present().map_err(|e| draw_error(e.to_string()))?;
        }
        Format::Png => {
            let root = BitMapBackend::new(path, size).into_drawing_area();
            figure.draw(&root).map_err(|e| draw_error(e.to_string()))?;
            root.present().map_err(|e| draw_error(e.to_string()))?;
        }
    }
    let csv = csv_path(path);
    write_csv(&csv, &figure.table())?;
    Ok(Written {
        image: path.to_path_buf(),
        csv,
        format,
        size,
    })
}

fn write_csv(path: &Path, table: &CsvTable) -> Result<()> {
    let wrap = |source: csv::Error| ErrorKind::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = csv::Writer::from_path(path).map_err(wrap)?;
    writer.write_record(&table.header).map_err(wrap)?;
    for row in &table.rows {
        writer.write_record(row).map_err(wrap)?;
    }
    writer.flush().map_err(|e| wrap(csv::Error::from(e)))?;
    Ok(())
}
