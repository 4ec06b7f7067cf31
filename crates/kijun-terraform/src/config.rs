//! The configuration evaluation reads: every module directory of the scan, parsed
//! ([`ModuleDef`]), where downloaded modules are, the files read ahead for the file functions,
//! the declared assumptions and the limits. [`crate::project`] builds it; module instances
//! ([`crate::instance`]) only read it.

use crate::access::ReadError;
use crate::filefn::{Loaded, ReadAhead};
use crate::ir::{Block, Expr, E};
use crate::options::Limits;
use kijun_model::{InputError, Node, Origin};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub struct VarDecl {
    pub default: Option<E>,
    /// The `type` constraint, which every value given to the variable is converted to.
    pub ty: Option<E>,
    /// `nullable = false`: a null given to the variable means its default.
    pub nullable: bool,
    pub at: Origin,
}

/// One module directory, parsed.
#[derive(Default)]
pub struct ModuleDef {
    pub dir: String,
    pub variables: BTreeMap<Arc<str>, VarDecl>,
    pub locals: HashMap<Arc<str>, E>,
    pub outputs: HashMap<Arc<str>, E>,
    pub resources: Vec<Block>,
    pub module_calls: Vec<Block>,
    pub providers: Vec<Block>,
    /// `terraform { required_providers { … } }` blocks.
    pub terraform: Vec<Block>,
    pub resource_types: HashSet<String>,
    /// `terraform.tfvars` and `*.auto.tfvars` of this directory, in load order.
    pub tfvars: Vec<Block>,
}

impl ModuleDef {
    /// Files the top-level blocks of `body` (a directory's files, overrides merged) under
    /// their kind.
    pub(crate) fn add(&mut self, body: Block, errors: &mut Vec<InputError>) {
        for blk in body.blocks {
            match &*blk.ident {
                "resource" => {
                    if blk.labels.len() == 2 {
                        self.resource_types.insert(blk.label(0).to_string());
                        self.resources.push(blk);
                    } else {
                        errors.push(InputError {
                            at: blk.at,
                            message: kijun_model::text!(
                                "resource ブロックには型と名前が必要です",
                                "a resource block needs a type and a name"
                            ),
                        });
                    }
                }
                "module" => self.module_calls.push(blk),
                "output" => {
                    if let Some(v) = blk.attr("value") {
                        self.outputs.insert(Arc::from(blk.label(0)), v.expr.clone());
                    }
                }
                "provider" => self.providers.push(blk),
                "terraform" => self.terraform.push(blk),
                "variable" => {
                    let name: Arc<str> = Arc::from(blk.label(0));
                    self.variables.insert(
                        name,
                        VarDecl {
                            default: blk.attr("default").map(|a| a.expr.clone()),
                            ty: blk.attr("type").map(|a| a.expr.clone()),
                            nullable: !matches!(
                                blk.attr("nullable").map(|a| &a.expr.expr),
                                Some(Expr::Bool(false))
                            ),
                            at: blk.at,
                        },
                    );
                }
                "locals" => {
                    for a in blk.attrs {
                        self.locals.insert(a.name, a.expr);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The parsed module directories of a scan and what their evaluation may read.
pub struct Config {
    pub limits: Limits,
    /// Module directory → its parsed definition.
    pub(crate) modules: BTreeMap<String, ModuleDef>,
    /// Root directory → (module key → directory) from `.terraform/modules/modules.json`.
    pub(crate) downloaded: HashMap<String, HashMap<String, String>>,
    /// Files read ahead for the file functions ([`crate::filefn`]).
    pub(crate) files: ReadAhead,
    /// Each assumption as a value that says it is one ([`Config::assumed`]).
    pub(crate) assumed: HashMap<String, Node>,
}

impl Config {
    pub fn module(&self, dir: &str) -> Option<&ModuleDef> {
        self.modules.get(dir)
    }

    /// The directory `.terraform/modules/modules.json` of the root `root` gives the module
    /// key `key` (`a.b`).
    pub fn downloaded(&self, root: &str, key: &str) -> Option<String> {
        self.downloaded.get(root).and_then(|m| m.get(key)).cloned()
    }

    /// The value of an assumption (`aws_region`, …), marked as one, when the user declared it.
    pub fn assumed(&self, key: &str) -> Option<&Node> {
        self.assumed.get(key)
    }

    /// A file read ahead for the file functions; `None` when it was not named ahead.
    pub fn read_file(&self, path: &str) -> Option<&Loaded> {
        self.files.file(path)
    }

    /// A directory listed ahead for `fileset()`; `None` when it was not named ahead.
    pub fn list_dir(&self, dir: &str) -> Option<&Result<Vec<String>, ReadError>> {
        self.files.dir(dir)
    }

    /// Whether the scan has a file source at all.
    pub fn has_files(&self) -> bool {
        self.files.has_files()
    }
}
