//! The local cache of downloaded database files: where it is, and which published files
//! are in it.
//!
//! A file in the cache under its published name is always complete: downloads write to
//! `<name>.partial` beside it and rename only after the size is checked (see
//! [`crate::Downloader`]). So presence is completeness, and a `.partial` file is a download
//! that can be resumed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::SizeClass;
use crate::catalog::{Catalog, PublishedFile, size_word};
use crate::error::{ErrorKind, Result};

/// The environment variable that overrides the cache directory.
pub const CACHE_ENV_VAR: &str = "SYNPHYS_CACHE";

/// The suffix of a download in progress (appended to the file name).
const PARTIAL_SUFFIX: &str = ".partial";

/// A directory holding downloaded database files under their published names.
///
/// # Example
///
/// ```
/// use synphys_query::{Cache, CacheStatus, Catalog, SizeClass};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let cache = Cache::at(dir.path());
/// let catalog = Catalog::published()?;
/// let small = catalog.resolve("small")?;
/// assert_eq!(cache.status(small)?, CacheStatus::Missing);
///
/// std::fs::write(cache.path_for(small), b"a finished download")?;
/// let newest = cache.newest_cached(&catalog, SizeClass::Small)?;
/// assert_eq!(newest.map(|c| c.path), Some(dir.path().join(&small.file)));
/// // `--db small` style look-ups go through `locate`.
/// assert!(cache.locate(&catalog, "small")?.is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// What the cache holds of one published file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheStatus {
    /// Neither the file nor a partial download.
    Missing,
    /// An interrupted download that the next download resumes.
    Partial {
        /// The `.partial` file.
        path: PathBuf,
        /// Bytes downloaded so far.
        bytes: u64,
    },
    /// The complete file.
    Complete {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        bytes: u64,
    },
}

/// A published file that is complete in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile<'c> {
    /// The catalogue entry.
    pub file: &'c PublishedFile,
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

impl Cache {
    /// The cache directory named by `SYNPHYS_CACHE`, else `synphys` in the platform's cache
    /// directory (`~/.cache/synphys` on Linux). The directory need not exist yet.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NoCacheDir`] when `SYNPHYS_CACHE` is unset or empty and the platform
    /// has no cache directory.
    pub fn from_env() -> Result<Cache> {
        choose_dir(std::env::var_os(CACHE_ENV_VAR), dirs::cache_dir()).map(Cache::at)
    }

    /// A cache in `dir` (created when the first download starts).
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where `file` is stored when complete.
    pub fn path_for(&self, file: &PublishedFile) -> PathBuf {
        self.dir.join(&file.file)
    }

    /// Where a download of `file` in progress is stored.
    pub fn partial_path_for(&self, file: &PublishedFile) -> PathBuf {
        partial_path(&self.path_for(file))
    }

    /// What the cache holds of `file`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Cache`] when the cache cannot be read, or the file's path holds
    /// something other than a regular file.
    pub fn status(&self, file: &PublishedFile) -> Result<CacheStatus> {
        let path = self.path_for(file);
        if let Some(bytes) = regular_file_len(&path)? {
            return Ok(CacheStatus::Complete { path, bytes });
        }
        let partial = partial_path(&path);
        Ok(match regular_file_len(&partial)? {
            Some(bytes) => CacheStatus::Partial {
                path: partial,
                bytes,
            },
            None => CacheStatus::Missing,
        })
    }

    /// The files of `catalog` that are complete in the cache, in catalogue order.
    ///
    /// # Errors
    ///
    /// As [`Cache::status`].
    pub fn cached<'c>(&self, catalog: &'c Catalog) -> Result<Vec<CachedFile<'c>>> {
        let mut cached = Vec::new();
        for file in catalog.files() {
            if let CacheStatus::Complete { path, bytes } = self.status(file)? {
                cached.push(CachedFile { file, path, bytes });
            }
        }
        Ok(cached)
    }

    /// The newest cached file of `size` with the current schema version, if any.
    ///
    /// # Errors
    ///
    /// As [`Cache::status`].
    pub fn newest_cached<'c>(
        &self,
        catalog: &'c Catalog,
        size: SizeClass,
    ) -> Result<Option<CachedFile<'c>>> {
        Ok(self
            .cached(catalog)?
            .into_iter()
            .filter(|c| c.file.size == size && c.file.is_current_schema())
            .max_by(|a, b| a.file.release.cmp(&b.file.release)))
    }

    /// The cached file a user means by `name`: for `small`, `medium` or `full` the newest
    /// cached current-schema file of that size (which may be older than the newest
    /// published one); for a file name or alias that file, if it is cached.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownFile`] when `name` is neither a size nor a published file;
    /// otherwise as [`Cache::status`].
    pub fn locate<'c>(&self, catalog: &'c Catalog, name: &str) -> Result<Option<CachedFile<'c>>> {
        if let Some(size) = size_word(name) {
            return self.newest_cached(catalog, size);
        }
        let file = catalog.resolve(name)?;
        Ok(match self.status(file)? {
            CacheStatus::Complete { path, bytes } => Some(CachedFile { file, path, bytes }),
            CacheStatus::Partial { .. } | CacheStatus::Missing => None,
        })
    }
}

/// `<path>.partial`: the name a download is written under until it is complete.
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(PARTIAL_SUFFIX);
    PathBuf::from(name)
}

/// The cache directory from `SYNPHYS_CACHE` (when set and non-empty) or the platform's
/// cache directory.
fn choose_dir(from_env: Option<OsString>, platform_cache: Option<PathBuf>) -> Result<PathBuf> {
    match from_env.filter(|v| !v.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => platform_cache
            .map(|dir| dir.join("synphys"))
            .ok_or_else(|| ErrorKind::NoCacheDir.into()),
    }
}

/// The length of the regular file at `path`, `None` when nothing is there.
pub(crate) fn regular_file_len(path: &Path) -> Result<Option<u64>> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Some(meta.len())),
        Ok(_) => Err(ErrorKind::Cache {
            path: path.to_path_buf(),
            source: std::io::Error::other("exists but is not a regular file"),
        }
        .into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ErrorKind::Cache {
            path: path.to_path_buf(),
            source,
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_wins_over_the_platform_dir_unless_empty() {
        let platform = Some(PathBuf::from("/platform/cache"));
        let chosen = choose_dir(Some("/mine".into()), platform.clone()).unwrap();
        assert_eq!(chosen, PathBuf::from("/mine"));
        let chosen = choose_dir(Some("".into()), platform.clone()).unwrap();
        assert_eq!(chosen, PathBuf::from("/platform/cache/synphys"));
        let chosen = choose_dir(None, platform).unwrap();
        assert_eq!(chosen, PathBuf::from("/platform/cache/synphys"));
        let err = choose_dir(None, None).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::NoCacheDir));
        assert!(err.to_string().contains(CACHE_ENV_VAR));
    }

    #[test]
    fn status_tells_missing_partial_and_complete_apart() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let catalog = Catalog::published().unwrap();
        let file = catalog.resolve("medium").unwrap();
        assert_eq!(cache.status(file).unwrap(), CacheStatus::Missing);

        std::fs::write(cache.partial_path_for(file), [7u8; 5]).unwrap();
        let partial = cache.status(file).unwrap();
        assert_eq!(
            partial,
            CacheStatus::Partial {
                path: dir.path().join(format!("{}.partial", file.file)),
                bytes: 5
            }
        );
        assert!(cache.cached(&catalog).unwrap().is_empty());
        assert_eq!(cache.locate(&catalog, &file.file).unwrap(), None);

        std::fs::write(cache.path_for(file), [7u8; 9]).unwrap();
        assert_eq!(
            cache.status(file).unwrap(),
            CacheStatus::Complete {
                path: cache.path_for(file),
                bytes: 9
            }
        );
    }

    #[test]
    fn newest_cached_prefers_the_latest_cached_release_and_skips_old_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let catalog = Catalog::published().unwrap();
        let small: Vec<&PublishedFile> = catalog
            .files()
            .iter()
            .filter(|f| f.size == SizeClass::Small)
            .collect();
        // Cache every small file except the newest current one.
        let newest = catalog.newest(SizeClass::Small).unwrap();
        for file in small.iter().filter(|f| f.file != newest.file) {
            std::fs::write(cache.path_for(file), b"x").unwrap();
        }
        let expected = small
            .iter()
            .filter(|f| f.file != newest.file && f.is_current_schema())
            .max_by(|a, b| a.release.cmp(&b.release))
            .unwrap();
        let found = cache.locate(&catalog, "Small").unwrap().unwrap();
        assert_eq!(found.file, *expected);
        assert!(found.file.is_current_schema());
        assert_eq!(
            cache.newest_cached(&catalog, SizeClass::Full).unwrap(),
            None
        );
        assert_eq!(cache.cached(&catalog).unwrap().len(), small.len() - 1);

        // Once the newest arrives it is chosen.
        std::fs::write(cache.path_for(newest), b"x").unwrap();
        let found = cache
            .newest_cached(&catalog, SizeClass::Small)
            .unwrap()
            .unwrap();
        assert_eq!(found.file, newest);
    }

    #[test]
    fn a_directory_in_place_of_a_file_is_a_cache_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let catalog = Catalog::published().unwrap();
        let file = catalog.resolve("full").unwrap();
        std::fs::create_dir(cache.path_for(file)).unwrap();
        let err = cache.status(file).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Cache { .. }));
        assert!(err.to_string().contains(&file.file), "{err}");
    }
}
