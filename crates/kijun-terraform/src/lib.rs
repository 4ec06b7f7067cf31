//! Terraform front end: `.tf`, `.tf.json` and `.tfvars` parsed with positions, then evaluated
//! (variables, locals, modules, `count`/`for_each`, `dynamic` blocks, functions) into resources.
//! It does no I/O: module directories outside the scanned files come through [`Loader`].

pub mod azapi;
pub mod eval;
pub mod funcs;
pub mod ir;
pub mod json;
pub mod module;
pub mod parse;
pub mod project;
pub mod types;

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
