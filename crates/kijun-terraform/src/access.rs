//! What the front end may read besides the files it is given, as the caller grants it: module
//! directories outside the scanned files ([`Loader`]) and the files the file functions read
//! ([`FileSource`]). The CLI answers from disk, the WASM module from the request's documents;
//! this crate itself does no I/O.

use crate::paths::join;

/// Why a file could not be read through a [`FileSource`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// No such file: `fileexists()` is false.
    NotFound,
    /// The file exists or might, but is not to be read (outside the scanned root, a special
    /// file, too large). The reason names the path, never the content.
    Refused(kijun_model::Text),
}

/// The file system as the file functions see it. The CLI reads regular files inside the
/// project root; the WASM module answers from the request's documents. Paths are
/// `/`-separated, as the scan reports them.
pub trait FileSource: Send + Sync {
    /// The bytes of a regular file.
    fn read_file(&self, path: &str) -> Result<Vec<u8>, ReadError>;
    /// The regular files below `dir`, as `/`-separated paths relative to `dir`, sorted.
    fn list_files(&self, dir: &str) -> Result<Vec<String>, ReadError>;
}

/// The file source of a scan; without one the file functions are not evaluated.
#[derive(Clone, Default)]
pub struct Files(pub Option<std::sync::Arc<dyn FileSource>>);

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Files(..)"
        } else {
            "Files(none)"
        })
    }
}

/// A file system made of documents (path, bytes): what the WASM module's file functions read,
/// the request's documents being all there is.
pub struct DocumentFiles {
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl DocumentFiles {
    pub fn new(docs: impl IntoIterator<Item = (String, Vec<u8>)>) -> DocumentFiles {
        DocumentFiles {
            files: docs.into_iter().map(|(p, b)| (join(".", &p), b)).collect(),
        }
    }
}

impl FileSource for DocumentFiles {
    fn read_file(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.files
            .get(&join(".", path))
            .cloned()
            .ok_or(ReadError::NotFound)
    }

    fn list_files(&self, dir: &str) -> Result<Vec<String>, ReadError> {
        let dir = join(".", dir);
        let prefix = if dir == "." {
            String::new()
        } else {
            format!("{dir}/")
        };
        Ok(self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(prefix.as_str()))
            .map(str::to_string)
            .collect())
    }
}

/// Access to module directories that were not among the scanned files. The CLI reads them
/// from disk; the WASM module answers from the documents it was given.
pub trait Loader: Sync {
    /// The `.tf` and `.tf.json` files directly inside `dir`, as (path, text).
    fn module_files(&self, dir: &str) -> Vec<(String, String)>;
    /// A file's text (used for `.terraform/modules/modules.json`).
    fn read(&self, path: &str) -> Option<String>;
}

/// A loader that knows nothing beyond the scanned files.
pub struct NoLoader;

impl Loader for NoLoader {
    fn module_files(&self, _dir: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    fn read(&self, _path: &str) -> Option<String> {
        None
    }
}
