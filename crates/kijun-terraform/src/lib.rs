//! Terraform front end: `.tf`, `.tf.json` and `.tfvars` parsed with positions, then evaluated
//! (variables, locals, modules, `count`/`for_each`, `dynamic` blocks, functions) into resources.
//! It does no I/O: module directories outside the scanned files come through [`Loader`].

pub mod azapi;
pub mod digest;
pub mod eval;
pub mod filefn;
pub mod funcs;
pub mod instance;
pub mod ir;
pub mod json;
pub mod merge;
pub mod module;
pub mod parse;
pub mod project;
pub mod regexfn;
pub mod types;
pub mod value;

pub use project::Project;

use kijun_model::{FileId, InputError, Model, Sources};

/// Bounds that keep evaluation finite on hostile input.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Instances one `count`/`for_each`/`dynamic` may expand to.
    pub max_instances: usize,
    /// Elements a function such as `range()` may produce.
    pub max_collection: usize,
    /// Bytes a template may produce.
    pub max_string: usize,
    /// Nested module calls.
    pub max_module_depth: usize,
    /// Nested `local` lookups.
    pub max_eval_depth: u32,
    /// Nested expression evaluations (including through locals and references).
    pub max_expr_depth: u32,
    /// Work allowed for one root module and everything it calls: one unit per expression
    /// evaluated, per value node copied or produced, per 64 bytes of string. Past it the rest
    /// of the root is not evaluated and an error says where it ran out; this bounds the time and
    /// memory of inputs whose values double at every step (a local built from itself twice,
    /// modules calling a module twice at every level).
    pub max_work: u64,
    /// Lists and objects nested in one JSON or YAML document, and in a value the evaluator
    /// keeps (a local, a module output): deeper input is reported, not read.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_instances: 10_000,
            max_collection: 1_000_000,
            max_string: 16 << 20,
            max_module_depth: 32,
            max_eval_depth: 64,
            max_expr_depth: 256,
            max_work: 4_000_000,
            max_depth: 256,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--var name=value`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file` contents: (path as reported, text).
    pub var_files: Vec<(String, String)>,
    pub limits: Limits,
    /// The files `file()`, `templatefile()`, `fileset()` and the other file functions may read.
    pub files: Files,
    /// The deployment context the user declared (`[assume]`, `--assume`).
    pub assume: Assumptions,
}

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

/// A fact about where the configuration is deployed that the code does not say: the AWS region
/// from `AWS_REGION`, the location of the ARM resource group. Used only where the configuration
/// leaves the value open, and marked as an assumption wherever it shows.
#[derive(Clone, Debug, Default)]
pub struct Assumptions {
    /// (key, value, where it was declared: `kijun.toml` or `--assume`), sorted by key.
    pub items: Vec<Assumption>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    /// `kijun.toml [assume]` or `--assume`.
    pub source: String,
}

/// The keys `[assume]` accepts.
pub const ASSUME_KEYS: &[&str] = &[
    "aws_region",
    "azure_resource_group_location",
    "google_region",
];

impl Assumptions {
    pub fn get(&self, key: &str) -> Option<&Assumption> {
        self.items.iter().find(|a| a.key == key)
    }

    /// Sets `key` (a later setting wins: `--assume` after kijun.toml).
    pub fn set(&mut self, key: &str, value: &str, source: &str) {
        self.items.retain(|a| a.key != key);
        self.items.push(Assumption {
            key: key.to_string(),
            value: value.to_string(),
            source: source.to_string(),
        });
        self.items.sort_by(|a, b| a.key.cmp(&b.key));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
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

/// Parses a `.tf`, `.tfvars` (HCL) or `.tf.json`/`.tfvars.json` file.
pub fn parse_file(file: FileId, path: &str, text: &str) -> Result<ir::Block, InputError> {
    if path.ends_with(".json") {
        json::parse_json(file, text)
    } else {
        parse::parse_hcl(file, text)
    }
}

/// Everything in one call: parse, evaluate every root, collect resources and problems.
pub fn scan(sources: &mut Sources, files: &[FileId], loader: &dyn Loader, opts: &Options) -> Model {
    let project = Project::load(sources, files, loader, opts);
    let mut model = Model::default();
    model.errors.extend(project.errors.iter().cloned());
    for root in project.roots() {
        model.extend(project.eval_root(root));
    }
    model
}

/// A file system made of documents (path, bytes): what the WASM module's file functions read,
/// the request's documents being all there is.
pub struct DocumentFiles {
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl DocumentFiles {
    pub fn new(docs: impl IntoIterator<Item = (String, Vec<u8>)>) -> DocumentFiles {
        DocumentFiles {
            files: docs
                .into_iter()
                .map(|(p, b)| (project::join(".", &p), b))
                .collect(),
        }
    }
}

impl FileSource for DocumentFiles {
    fn read_file(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.files
            .get(&project::join(".", path))
            .cloned()
            .ok_or(ReadError::NotFound)
    }

    fn list_files(&self, dir: &str) -> Result<Vec<String>, ReadError> {
        let dir = project::join(".", dir);
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
