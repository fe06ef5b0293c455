//! The catalogue of published database files: which files exist, which release and size
//! each is, and which one a short name such as `small` means.

use std::cmp::Ordering;
use std::fmt;

use synphys_schema::SCHEMA_VERSION;

use crate::SizeClass;
use crate::error::{ErrorKind, Result};

/// The catalogue shipped with this crate: `fixtures/catalog.json` at build time.
const PUBLISHED_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/catalog.json"
));

/// How many close matches an unknown-name error suggests at most.
const MAX_CLOSE_MATCHES: usize = 3;
/// Similarity (normalised Levenshtein, 0–1) a name needs to be suggested.
const CLOSE_MATCH_THRESHOLD: f64 = 0.6;

/// The published Synaptic Physiology database files and the URL prefix they are served
/// from.
///
/// Short names resolve to the newest file this crate can read (schema version
/// [`SCHEMA_VERSION`]); full file names and their aliases resolve to exactly that file,
/// whatever its schema version.
///
/// # Example
///
/// ```
/// use synphys_query::{Catalog, SizeClass};
///
/// # fn main() -> Result<(), synphys_query::Error> {
/// let catalog = Catalog::published()?;
/// let small = catalog.resolve("small")?;
/// assert_eq!(small.size, SizeClass::Small);
/// assert!(small.is_current_schema());
/// println!("{} from {}", small.file, small.url(catalog.url_prefix()));
///
/// // An old file can be named explicitly; it is flagged, not refused.
/// let old = catalog.resolve("synphys_r1.0_2019-08-29_small.sqlite")?;
/// assert_eq!(old.file, "synphys_r1.0_small.sqlite");
/// assert!(old.schema_warning().is_some());
///
/// // A typo is an error that suggests the names it might have meant.
/// let typo = catalog.resolve("synphys_r2.1_smal.sqlite");
/// assert!(typo.is_err_and(|e| e.to_string().contains("synphys_r2.1_small.sqlite")));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    url_prefix: String,
    files: Vec<PublishedFile>,
}

/// One published database file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishedFile {
    /// The file name, as served and as stored in the cache (`synphys_r2.1_small.sqlite`).
    pub file: String,
    /// The dataset release it belongs to.
    pub release: Release,
    /// Which of the published sizes it is.
    pub size: SizeClass,
    /// The schema version of its database (`"22"` for the current releases).
    pub schema_version: String,
    /// Other names the same file was published under.
    pub aliases: Vec<String>,
}

impl PublishedFile {
    /// Whether this crate reads the file's schema version without an override.
    pub fn is_current_schema(&self) -> bool {
        self.schema_version == SCHEMA_VERSION
    }

    /// Why the file may not open, when its schema version is not the current one.
    pub fn schema_warning(&self) -> Option<String> {
        (!self.is_current_schema()).then(|| {
            format!(
                "{} has schema version {}, but synphys reads version {SCHEMA_VERSION}; \
                 opening it needs the version check overridden and queries may fail",
                self.file, self.schema_version
            )
        })
    }

    /// The URL the file is served from under `url_prefix`.
    pub fn url(&self, url_prefix: &str) -> String {
        format!("{}/{}", url_prefix.trim_end_matches('/'), self.file)
    }

    /// The file name followed by its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.file.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    fn is_named(&self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }
}

impl Catalog {
    /// The catalogue of published files embedded in this crate.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Catalog`] only if the embedded catalogue were malformed (a build
    /// defect; tested).
    pub fn published() -> Result<Catalog> {
        Catalog::from_json(PUBLISHED_JSON)
    }

    /// Reads a catalogue in the layout of `fixtures/catalog.json`: `url_prefix` and a
    /// `files` list of `{file, release, size, schema_version, aliases}`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Catalog`] when the JSON does not have that layout, a size is not
    /// `small`/`medium`/`full`, a release is not a version such as `2.0` or `2.0-pre5`, a
    /// name is used twice, or a file name is not a plain file name (no `/`, `\` or `..`).
    pub fn from_json(json: &str) -> Result<Catalog> {
        let raw: raw::Catalog = serde_json::from_str(json)
            .map_err(|e| catalog_error(format!("not a catalogue of published files: {e}")))?;
        let files = raw
            .files
            .into_iter()
            .map(raw::File::into_published)
            .collect::<Result<Vec<_>>>()?;
        check_names(&files)?;
        Ok(Catalog {
            url_prefix: raw.url_prefix,
            files,
        })
    }

    /// The prefix each file's name is appended to (after a `/`) to make its URL.
    pub fn url_prefix(&self) -> &str {
        &self.url_prefix
    }

    /// Every published file, in catalogue order.
    pub fn files(&self) -> &[PublishedFile] {
        &self.files
    }

    /// The file named `name` exactly (file name or alias), whatever its schema version.
    pub fn get(&self, name: &str) -> Option<&PublishedFile> {
        self.files.iter().find(|f| f.is_named(name))
    }

    /// The newest file of `size` with the current schema version.
    ///
    /// "Newest" is the highest [`Release`]: `2.1` > `2.0` > `2.0-pre5` > `2.0-pre4` > `1.0`.
    pub fn newest(&self, size: SizeClass) -> Option<&PublishedFile> {
        self.files
            .iter()
            .filter(|f| f.size == size && f.is_current_schema())
            .max_by(|a, b| a.release.cmp(&b.release))
    }

    /// The file a user means by `name`.
    ///
    /// `small`, `medium` or `full` (any letter case) mean the [newest](Catalog::newest)
    /// current-schema file of that size. Otherwise `name` is a file name or alias, with or
    /// without the `.sqlite` extension; such a file is returned whatever its schema
    /// version — check [`PublishedFile::schema_warning`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownFile`] naming close matches and every name that is accepted.
    pub fn resolve(&self, name: &str) -> Result<&PublishedFile> {
        let name = name.trim();
        let found = match size_word(name) {
            Some(size) => self.newest(size),
            None => self
                .get(name)
                .or_else(|| self.get(&format!("{name}.sqlite"))),
        };
        found.ok_or_else(|| self.unknown_file(name))
    }

    /// Every name [`Catalog::resolve`] accepts: the size words, then file names and
    /// aliases in catalogue order.
    pub fn accepted_names(&self) -> Vec<String> {
        SIZE_WORDS
            .iter()
            .map(|(word, _)| (*word).to_string())
            .chain(
                self.files
                    .iter()
                    .flat_map(|f| f.names().map(str::to_string)),
            )
            .collect()
    }

    fn unknown_file(&self, name: &str) -> crate::Error {
        let available = self.accepted_names();
        let lowered = name.to_lowercase();
        let mut scored: Vec<(f64, &String)> = available
            .iter()
            .map(|candidate| {
                let score = strsim::normalized_levenshtein(&lowered, &candidate.to_lowercase());
                (score, candidate)
            })
            .filter(|(score, _)| *score >= CLOSE_MATCH_THRESHOLD)
            .collect();
        // Stable sort: equal scores keep catalogue order, so suggestions are deterministic.
        scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal));
        let close_matches = scored
            .into_iter()
            .take(MAX_CLOSE_MATCHES)
            .map(|(_, c)| c.clone())
            .collect();
        ErrorKind::UnknownFile {
            name: name.to_string(),
            close_matches,
            available,
        }
        .into()
    }
}

/// The words that name a size rather than a file.
const SIZE_WORDS: [(&str, SizeClass); 3] = [
    ("small", SizeClass::Small),
    ("medium", SizeClass::Medium),
    ("full", SizeClass::Full),
];

/// The size `word` names (`small`, `medium`, `full`, any letter case), if it is one.
pub(crate) fn size_word(word: &str) -> Option<SizeClass> {
    SIZE_WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word.trim()))
        .map(|(_, size)| *size)
}

fn catalog_error(reason: String) -> crate::Error {
    ErrorKind::Catalog { reason }.into()
}

/// File names become cache paths, so each must be one plain, unique file name.
fn check_names(files: &[PublishedFile]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for name in files.iter().flat_map(PublishedFile::names) {
        let plain = !name.is_empty()
            && !name.contains(['/', '\\'])
            && name != "."
            && name != ".."
            && size_word(name).is_none();
        if !plain {
            return Err(catalog_error(format!(
                "`{name}` is not a plain file name (no `/`, `\\`, `.`, `..` or size word)"
            )));
        }
        if !seen.insert(name) {
            return Err(catalog_error(format!("the name `{name}` is used twice")));
        }
    }
    Ok(())
}

/// A dataset release, such as `2.1`, `2.0` or `2.0-pre5`, ordered by version.
///
/// Numbered parts compare as numbers (missing parts are zero, so `2` = `2.0`); a
/// pre-release sorts before its release and pre-releases by their number:
/// `1.0` < `2.0-pre1` < `2.0-pre5` < `2.0` < `2.1`.
///
/// # Example
///
/// ```
/// use synphys_query::Release;
///
/// # fn main() -> Result<(), synphys_query::Error> {
/// let pre: Release = "2.0-pre5".parse()?;
/// let final_: Release = "2.0".parse()?;
/// assert!(pre < final_);
/// assert!(final_ < "2.1".parse()?);
/// assert_eq!(pre.to_string(), "2.0-pre5");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Release {
    text: String,
    numbers: Vec<u64>,
    pre: Option<u64>,
}

impl Release {
    /// The release as written in the catalogue.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The numbered parts with trailing zeros removed, so `2` and `2.0` compare equal.
    fn significant_numbers(&self) -> &[u64] {
        let len = self
            .numbers
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        &self.numbers[..len]
    }
}

impl std::str::FromStr for Release {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<Release> {
        let invalid = || {
            catalog_error(format!(
                "release `{text}` is not a version such as `2.1` or `2.0-pre5`"
            ))
        };
        let (version, pre) = match text.split_once("-pre") {
            Some((version, pre)) => (version, Some(pre.parse::<u64>().map_err(|_| invalid())?)),
            None => (text, None),
        };
        let numbers = version
            .split('.')
            .map(|part| part.parse::<u64>().map_err(|_| invalid()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Release {
            text: text.to_string(),
            numbers,
            pre,
        })
    }
}

impl Ord for Release {
    fn cmp(&self, other: &Release) -> Ordering {
        // A final release (no `-preN`) sorts after every pre-release of the same version.
        let pre_rank = |r: &Release| r.pre.map_or((1, 0), |n| (0, n));
        let a = self.significant_numbers();
        let b = other.significant_numbers();
        let longest = a.len().max(b.len());
        let padded = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
        (0..longest)
            .map(|i| padded(a, i).cmp(&padded(b, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(|| pre_rank(self).cmp(&pre_rank(other)))
    }
}

impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Release) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Release {
    fn eq(&self, other: &Release) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Release {}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The catalogue's JSON layout, converted into the public types with checked values.
mod raw {
    use super::{PublishedFile, Release, catalog_error, size_word};
    use crate::error::Result;

    #[derive(serde::Deserialize)]
    pub(super) struct Catalog {
        pub(super) url_prefix: String,
        pub(super) files: Vec<File>,
    }

    #[derive(serde::Deserialize)]
    pub(super) struct File {
        file: String,
        release: String,
        size: String,
        schema_version: String,
        #[serde(default)]
        aliases: Vec<String>,
    }

    impl File {
        pub(super) fn into_published(self) -> Result<PublishedFile> {
            let size = size_word(&self.size).ok_or_else(|| {
                catalog_error(format!(
                    "file {} has size `{}`; expected small, medium or full",
                    self.file, self.size
                ))
            })?;
            Ok(PublishedFile {
                release: self.release.parse::<Release>()?,
                file: self.file,
                size,
                schema_version: self.schema_version,
                aliases: self.aliases,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(text: &str) -> Release {
        text.parse().unwrap()
    }

    #[test]
    fn releases_order_by_version_with_pre_releases_first() {
        let mut shuffled: Vec<Release> = ["2.0", "1.0", "2.0-pre10", "2.1", "2.0-pre2", "2.0-pre5"]
            .into_iter()
            .map(release)
            .collect();
        shuffled.sort();
        let texts: Vec<&str> = shuffled.iter().map(Release::as_str).collect();
        assert_eq!(
            texts,
            ["1.0", "2.0-pre2", "2.0-pre5", "2.0-pre10", "2.0", "2.1"]
        );
        assert_eq!(release("2"), release("2.0.0"));
        assert!(release("2.0.1") > release("2.0"));
        assert!(release("10.0") > release("9.9"));
    }

    #[test]
    fn malformed_releases_are_refused_with_the_release_named() {
        for bad in ["", "2.x", "2.0-pre", "2.0-preX", "v2.0"] {
            let err = bad.parse::<Release>().unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Catalog { .. }), "{bad}");
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn published_catalogue_parses_and_every_file_has_a_unique_plain_name() {
        let catalog = Catalog::published().unwrap();
        assert_eq!(
            catalog.files().len(),
            PUBLISHED_JSON.matches("\"file\"").count()
        );
        assert!(catalog.url_prefix().starts_with("https://"));
        for file in catalog.files() {
            assert_eq!(catalog.get(&file.file), Some(file));
            assert!(file.file.ends_with(".sqlite"));
        }
    }

    #[test]
    fn size_words_resolve_to_the_newest_current_schema_file_of_that_size() {
        let catalog = Catalog::published().unwrap();
        for (word, size) in SIZE_WORDS {
            let chosen = catalog.resolve(&word.to_uppercase()).unwrap();
            assert_eq!(chosen.size, size);
            assert!(chosen.is_current_schema());
            // No current-schema file of the same size has a later release.
            assert!(
                catalog
                    .files()
                    .iter()
                    .filter(|f| f.size == size && f.is_current_schema())
                    .all(|f| f.release <= chosen.release)
            );
        }
    }

    #[test]
    fn newest_ignores_files_of_other_schema_versions() {
        let json = r#"{"url_prefix": "http://x", "files": [
            {"file": "a_small.sqlite", "release": "2.0", "size": "small", "schema_version": "22"},
            {"file": "b_small.sqlite", "release": "3.0-pre1", "size": "small", "schema_version": "23"},
            {"file": "c_small.sqlite", "release": "2.0-pre9", "size": "small", "schema_version": "22"}
        ]}"#;
        let catalog = Catalog::from_json(json).unwrap();
        assert_eq!(catalog.resolve("small").unwrap().file, "a_small.sqlite");
        let explicit = catalog.resolve("b_small").unwrap();
        assert_eq!(explicit.file, "b_small.sqlite");
        assert!(
            explicit
                .schema_warning()
                .unwrap()
                .contains("schema version 23")
        );
        let err = catalog.resolve("medium").unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::UnknownFile { .. }));
    }

    #[test]
    fn unknown_names_suggest_close_matches_and_list_every_name() {
        let catalog = Catalog::published().unwrap();
        let err = catalog.resolve("synphys_r2.2_small.sqlite").unwrap_err();
        let ErrorKind::UnknownFile {
            name,
            close_matches,
            available,
        } = err.kind()
        else {
            panic!("expected UnknownFile, got {err}");
        };
        assert_eq!(name, "synphys_r2.2_small.sqlite");
        assert!(!close_matches.is_empty() && close_matches.len() <= MAX_CLOSE_MATCHES);
        assert!(
            close_matches
                .iter()
                .any(|m| m == "synphys_r2.1_small.sqlite")
        );
        assert_eq!(available, &catalog.accepted_names());
        assert!(
            available
                .iter()
                .any(|n| n == "synphys_r1.0_2019-08-29_full.sqlite")
        );
        assert!(catalog.resolve("no-such-thing").is_err());
    }

    #[test]
    fn catalogues_with_unsafe_or_duplicate_names_are_refused() {
        let file = |name: &str, alias: &str| {
            format!(
                r#"{{"url_prefix": "u", "files": [
                {{"file": "{name}", "release": "1.0", "size": "small", "schema_version": "22", "aliases": ["{alias}"]}}]}}"#
            )
        };
        for (name, alias) in [
            ("../evil.sqlite", "a"),
            ("x.sqlite", "x.sqlite"),
            ("small", "a"),
        ] {
            let err = Catalog::from_json(&file(name, alias)).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Catalog { .. }),
                "{name}: {err}"
            );
        }
        let bad_size = r#"{"url_prefix": "u", "files": [
            {"file": "x.sqlite", "release": "1.0", "size": "huge", "schema_version": "22"}]}"#;
        let err = Catalog::from_json(bad_size).unwrap_err();
        assert!(err.to_string().contains("huge"), "{err}");
        assert!(Catalog::from_json("[]").is_err());
    }

    #[test]
    fn urls_join_prefix_and_name_with_one_slash() {
        let catalog = Catalog::published().unwrap();
        let file = catalog.resolve("small").unwrap();
        let expected = format!("http://127.0.0.1:9/{}", file.file);
        assert_eq!(file.url("http://127.0.0.1:9/"), expected);
        assert_eq!(file.url("http://127.0.0.1:9"), expected);
    }
}
