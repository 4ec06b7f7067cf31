//! The set of Terraform module directories of one scan: parsed once, then instantiated from each
//! root module with the inputs of each call.

use crate::eval::Binds;
use crate::ir::{Block, E};
use crate::module::Instance;
use crate::{Limits, Loader, Options};
use kijun_model::{FileId, InputError, Model, Node, SourceFile, Sources};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub struct VarDecl {
    pub default: Option<E>,
    pub at: kijun_model::Origin,
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
    fn add(&mut self, body: Block, errors: &mut Vec<InputError>) {
        for blk in body.blocks {
            match &*blk.ident {
                "resource" => {
                    if blk.labels.len() == 2 {
                        self.resource_types.insert(blk.label(0).to_string());
                        self.resources.push(blk);
                    } else {
                        errors.push(InputError {
                            at: blk.at,
                            message: "a resource block needs a type and a name".into(),
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

pub struct Project {
    pub limits: Limits,
    modules: BTreeMap<String, ModuleDef>,
    /// Root directory → (module key → directory) from `.terraform/modules/modules.json`.
    downloaded: HashMap<String, HashMap<String, String>>,
    roots: Vec<String>,
    /// `--var-file` bodies and `--var` values, applied to every root.
    var_files: Vec<Block>,
    cli_vars: Vec<(String, E)>,
    pub errors: Vec<InputError>,
}

/// Directory part of a `/`-separated path ("." for a bare file name).
pub fn dir_of(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => path.get(..i).unwrap_or(".").to_string(),
        None => ".".into(),
    }
}

/// Joins a relative module source onto a directory and normalises `.` and `..`.
pub fn join(dir: &str, rel: &str) -> String {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    let mut ups = 0usize;
    for seg in dir.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && !absolute {
                    ups += 1;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out: Vec<&str> = std::iter::repeat_n("..", ups).collect();
    out.extend(parts);
    let s = out.join("/");
    match (absolute, s.is_empty()) {
        (true, _) => format!("/{s}"),
        (false, true) => ".".into(),
        (false, false) => s,
    }
}

fn is_tf(path: &str) -> bool {
    path.ends_with(".tf") || path.ends_with(".tf.json")
}

fn is_auto_tfvars(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

impl Project {
    /// Parses the scanned Terraform files and every local or downloaded module they call.
    pub fn load(
        sources: &mut Sources,
        files: &[FileId],
        loader: &dyn Loader,
        opts: &Options,
    ) -> Project {
        let mut p = Project {
            limits: opts.limits.clone(),
            modules: BTreeMap::new(),
            downloaded: HashMap::new(),
            roots: Vec::new(),
            var_files: Vec::new(),
            cli_vars: Vec::new(),
            errors: Vec::new(),
        };
        let mut by_dir: BTreeMap<String, Vec<FileId>> = BTreeMap::new();
        for &f in files {
            let path = sources.path(f);
            if is_tf(path) || is_auto_tfvars(path) {
                by_dir.entry(dir_of(path)).or_default().push(f);
            }
        }
        let scanned: Vec<String> = by_dir.keys().cloned().collect();
        let mut parsed = parse_all(sources, files);
        for (dir, fs) in &by_dir {
            p.add_parsed(sources, dir, fs, &mut parsed);
        }
        // Downloaded modules of each scanned directory that could be a root.
        for dir in &scanned {
            let manifest = join(dir, ".terraform/modules/modules.json");
            if let Some(text) = loader.read(&manifest) {
                let map = parse_manifest(&text, dir);
                for d in map.values() {
                    p.load_dir(sources, loader, d);
                }
                p.downloaded.insert(dir.clone(), map);
            }
        }
        // Local module calls, transitively.
        let mut queue: Vec<String> = p.modules.keys().cloned().collect();
        let mut called: BTreeSet<String> = BTreeSet::new();
        let mut guard = 0usize;
        while let Some(dir) = queue.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            let targets: Vec<String> = p
                .modules
                .get(&dir)
                .map(|m| {
                    m.module_calls
                        .iter()
                        .filter_map(|c| c.attr("source"))
                        .filter_map(|a| match &a.expr.expr {
                            crate::ir::Expr::Str(s)
                                if s.starts_with("./") || s.starts_with("../") =>
                            {
                                Some(join(&dir, s))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            for t in targets {
                if t != dir {
                    called.insert(t.clone());
                }
                if !p.modules.contains_key(&t) && p.load_dir(sources, loader, &t) {
                    queue.push(t);
                }
            }
        }
        // why: a directory another scanned module calls is evaluated through that call, with
        // its inputs; evaluating it again on its own would report its findings twice, with
        // unknown inputs. Directories only reachable through a cycle still get evaluated once.
        let mut roots: Vec<String> = scanned
            .iter()
            .filter(|d| !called.contains(*d))
            .cloned()
            .collect();
        let mut reach = p.reachable(&roots);
        for d in &scanned {
            if !reach.contains(d) {
                roots.push(d.clone());
                reach.extend(p.reachable(std::slice::from_ref(d)));
            }
        }
        roots.retain(|d| {
            p.modules.get(d).is_some_and(|m| {
                !m.resources.is_empty()
                    || !m.module_calls.is_empty()
                    || !m.providers.is_empty()
                    || !m.terraform.is_empty()
            })
        });
        p.roots = roots;

        // --var-file and --var.
        for (path, text) in &opts.var_files {
            let id = sources.add(SourceFile::new(path.clone(), text.clone()));
            match crate::parse_file(id, path, text) {
                Ok(b) => p.var_files.push(b),
                Err(e) => p.errors.push(e),
            }
        }
        if !opts.vars.is_empty() {
            let mut text = String::new();
            let mut spans = Vec::new();
            for (k, v) in &opts.vars {
                let start = text.len();
                text.push_str(v);
                spans.push((k.clone(), start, text.len()));
                text.push('\n');
            }
            let id = sources.add(SourceFile::new("(--var)", text.clone()));
            for (k, s, e) in spans {
                let raw = text.get(s..e).unwrap_or("");
                let expr = parse_cli_value(id, raw, s);
                p.cli_vars.push((k, expr));
            }
        }
        p
    }

    /// Parses a directory's files through the loader; false if it has none.
    fn load_dir(&mut self, sources: &mut Sources, loader: &dyn Loader, dir: &str) -> bool {
        if self.modules.contains_key(dir) {
            return true;
        }
        let files = loader.module_files(dir);
        if files.is_empty() {
            return false;
        }
        let mut ids = Vec::new();
        for (path, text) in files {
            let id = match sources.find(&path) {
                Some(id) => id,
                None => sources.add(SourceFile::new(path, text)),
            };
            ids.push(id);
        }
        self.add_dir(sources, dir, &ids);
        true
    }

    fn add_dir(&mut self, sources: &Sources, dir: &str, files: &[FileId]) {
        let mut parsed = parse_all(sources, files);
        self.add_parsed(sources, dir, files, &mut parsed);
    }

    fn add_parsed(
        &mut self,
        sources: &Sources,
        dir: &str,
        files: &[FileId],
        parsed: &mut HashMap<FileId, Result<Block, InputError>>,
    ) {
        let mut def = ModuleDef {
            dir: dir.to_string(),
            ..ModuleDef::default()
        };
        let mut sorted: Vec<FileId> = files.to_vec();
        sorted.sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
        let mut tfvars: Vec<(bool, String, Block)> = Vec::new();
        for id in sorted {
            let Some(f) = sources.get(id) else { continue };
            let Some(result) = parsed.remove(&id) else {
                continue;
            };
            match result {
                Ok(body) => {
                    if is_auto_tfvars(&f.path) {
                        let name = f.path.rsplit('/').next().unwrap_or("").to_string();
                        tfvars.push((name.starts_with("terraform.tfvars"), name, body));
                    } else {
                        def.add(body, &mut self.errors);
                    }
                }
                Err(e) => self.errors.push(e),
            }
        }
        // terraform.tfvars first, then *.auto.tfvars in lexical order: later ones win.
        tfvars.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        def.tfvars = tfvars.into_iter().map(|t| t.2).collect();
        self.modules.insert(dir.to_string(), def);
    }

    fn reachable(&self, from: &[String]) -> BTreeSet<String> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<String> = from.to_vec();
        while let Some(d) = stack.pop() {
            if !seen.insert(d.clone()) {
                continue;
            }
            if let Some(m) = self.modules.get(&d) {
                for c in &m.module_calls {
                    if let Some(crate::ir::Expr::Str(s)) = c.attr("source").map(|a| &a.expr.expr) {
                        if s.starts_with("./") || s.starts_with("../") {
                            stack.push(join(&d, s));
                        }
                    }
                }
            }
        }
        seen
    }

    pub fn module(&self, dir: &str) -> Option<&ModuleDef> {
        self.modules.get(dir)
    }

    pub fn downloaded(&self, root: &str, key: &str) -> Option<String> {
        self.downloaded.get(root).and_then(|m| m.get(key)).cloned()
    }

    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// Evaluates one root module and everything it calls.
    pub fn eval_root(&self, dir: &str) -> Model {
        let Some(def) = self.modules.get(dir) else {
            return Model::default();
        };
        let mut inst = Instance::new(self, def, dir);
        // Precedence, lowest first: default, terraform.tfvars, *.auto.tfvars, --var-file, --var.
        for (name, decl) in &def.variables {
            let v = match &decl.default {
                Some(d) => inst.eval_soft(d, &Binds::default()),
                None => Node::unknown(
                    format!(
                        "var.{name} has no default and is not set in a tfvars file or with --var"
                    ),
                    decl.at,
                ),
            };
            inst.vars.insert(name.clone(), v);
        }
        let sets: Vec<(&str, &E)> = def
            .tfvars
            .iter()
            .chain(self.var_files.iter())
            .flat_map(|b| b.attrs.iter().map(|a| (&*a.name, &a.expr)))
            .chain(self.cli_vars.iter().map(|(k, e)| (k.as_str(), e)))
            .collect();
        for (name, expr) in sets {
            if let Some((k, _)) = def.variables.get_key_value(name) {
                let v = inst.eval_soft(expr, &Binds::default());
                inst.vars.insert(k.clone(), v);
            }
        }
        for blk in &def.providers {
            let cfg = inst.provider_config(blk);
            inst.providers.insert(cfg.display_name(), cfg);
        }
        inst.run();
        inst.out.into_inner()
    }
}

/// Parses files, in parallel when the `parallel` feature is on.
fn parse_all(sources: &Sources, files: &[FileId]) -> HashMap<FileId, Result<Block, InputError>> {
    let one = |id: &FileId| {
        let r = match sources.get(*id) {
            Some(f) => crate::parse_file(*id, &f.path, &f.text),
            None => Err(InputError {
                at: kijun_model::Origin::default(),
                message: "missing source".into(),
            }),
        };
        (*id, r)
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        files.par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        files.iter().map(one).collect()
    }
}

/// `-var name=value`: an HCL literal when it parses as one (lists, maps, numbers, bools), a
/// plain string otherwise, as Terraform does for string variables.
fn parse_cli_value(file: FileId, raw: &str, offset: usize) -> E {
    let at = kijun_model::Origin::new(file, offset, offset + raw.len());
    let looks_structured = raw.starts_with('[')
        || raw.starts_with('{')
        || raw == "true"
        || raw == "false"
        || raw.parse::<f64>().is_ok();
    if looks_structured {
        if let Ok(x) = hcl_edit::parser::parse_expr(raw) {
            let renamed = HashMap::new();
            let lower = crate::ir::Lower {
                file,
                renamed: &renamed,
            };
            let mut e = lower.expr(&x);
            shift(&mut e, offset);
            return e;
        }
    }
    E {
        expr: crate::ir::Expr::Str(Arc::from(raw)),
        at,
    }
}

fn shift(e: &mut E, by: usize) {
    let by = u32::try_from(by).unwrap_or(0);
    e.at.start += by;
    e.at.end += by;
    match &mut e.expr {
        crate::ir::Expr::Array(v) => v.iter_mut().for_each(|x| shift(x, by as usize)),
        crate::ir::Expr::Object(v) => v.iter_mut().for_each(|(k, x)| {
            shift(k, by as usize);
            shift(x, by as usize);
        }),
        _ => {}
    }
}

/// `.terraform/modules/modules.json`: `{"Modules":[{"Key":"vpc","Source":"…","Dir":"…"}]}`;
/// `Dir` is relative to the root module directory.
fn parse_manifest(text: &str, root: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return out;
    };
    if let Some(mods) = v.get("Modules").and_then(|m| m.as_array()) {
        for m in mods {
            let (Some(k), Some(d)) = (
                m.get("Key").and_then(|x| x.as_str()),
                m.get("Dir").and_then(|x| x.as_str()),
            ) else {
                continue;
            };
            if k.is_empty() || d.is_empty() {
                continue;
            }
            out.insert(k.to_string(), join(root, d));
        }
    }
    out
}
