//! Terraform front end: `.tf`, `.tf.json` and `.tfvars` parsed with positions, then evaluated
//! (variables, locals, modules, `count`/`for_each`, `dynamic` blocks, functions) into resources.
//! It does no I/O: module directories outside the scanned files come through [`Loader`].
//!
//! The modules are layered: each imports only modules listed before it here. `paths`, `ir`,
//! `digest`; `access` (what may be read: [`Loader`], [`FileSource`]), `options`; `json`,
//! `parse`, `merge`; `value` (evaluation results and failures); `filefn` (files read ahead for
//! the file functions) and `config` (the parsed module directories evaluation reads);
//! `instance` (one module instance's state and budget); `regexfn`, `types`, `funcs`, `eval`
//! (the evaluator, as methods of `Instance`); `module` (blocks, module calls, resources);
//! `azapi`; `project` (loading, deciding the roots, evaluating them). This file declares and
//! re-exports them and offers [`scan`], which no module calls.

pub mod access;
pub mod azapi;
pub mod config;
pub mod digest;
pub mod eval;
pub mod filefn;
pub mod funcs;
pub mod instance;
pub mod ir;
pub mod json;
pub mod merge;
pub mod module;
pub mod options;
pub mod parse;
pub mod paths;
pub mod project;
pub mod regexfn;
pub mod types;
pub mod value;

pub use access::{DocumentFiles, FileSource, Files, Loader, NoLoader, ReadError};
pub use options::{Assumption, Assumptions, Limits, Options, ASSUME_KEYS};
pub use parse::parse_file;
pub use project::Project;

use kijun_model::{FileId, Model, Sources};

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
