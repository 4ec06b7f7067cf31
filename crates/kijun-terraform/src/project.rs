//! The set of Terraform module directories of one scan: parsed once, then instantiated from each
//! root module with the inputs of each call. Loading fills a [`Config`] (modules, downloaded
//! module keys, files read ahead, assumptions); module instances read only that, so they know
//! nothing of how it was loaded.

use crate::access::Loader;
use crate::config::Config;
use crate::filefn::{ReadAhead, Want};
use crate::instance::Instance;
use crate::ir::{Block, Expr, E};
use crate::options::{Assumption, Assumptions, Options};
use crate::parse::parse_file;
use crate::paths::{is_auto_tfvars, tofu_twin};
use crate::value::Binds;
use kijun_model::{FileId, InputError, Model, Node, SourceFile, Sources};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub use crate::config::{ModuleDef, VarDecl};
pub use crate::paths::{dir_of, is_override, is_tf, join, relative};

pub struct Project {
    /// What evaluation reads: the parsed modules, downloaded module keys, files read ahead,
    /// assumptions and limits.
    config: Config,
    roots: Vec<String>,
    /// Scanned directories, sorted.
    scanned: Vec<String>,
    /// Scanned directories no module call can name (no `source = "./…"` anywhere points at
    /// them): each is a root if it is one at all. They are parsed and evaluated one at a time by
    /// [`Project::eval_deferred`] and dropped afterwards, so the syntax trees of a repository's
    /// many root modules are never all held at once.
    deferred: Vec<(String, Vec<FileId>)>,
    /// Deferred directories already read: their local module calls and whether they hold
    /// anything to evaluate.
    deferred_calls: BTreeMap<String, (Vec<String>, bool)>,
    /// `--var-file` bodies and `--var` values, applied to every root.
    var_files: Vec<Block>,
    cli_vars: Vec<(String, E)>,
    pub errors: Vec<InputError>,
    /// The declared deployment context.
    pub assume: Assumptions,
}

/// The declared assumptions as values: each points into a small source of its own, named
/// after where it was declared (`(assumed via kijun.toml [assume])`, `(assumed via
/// --assume)`), so every finding that uses one says so in its provenance. Sources already added
/// by an earlier call are reused.
pub fn assumption_nodes(sources: &mut Sources, assume: &Assumptions) -> HashMap<String, Node> {
    let mut out = HashMap::new();
    let mut by_source: BTreeMap<&str, Vec<&Assumption>> = BTreeMap::new();
    for a in &assume.items {
        by_source.entry(a.source.as_str()).or_default().push(a);
    }
    for (source, items) in by_source {
        let mut text = String::new();
        let mut spans = Vec::new();
        for a in items {
            text.push_str(&a.key);
            text.push_str(" = \"");
            let start = text.len();
            text.push_str(&a.value);
            spans.push((a, start, text.len()));
            text.push_str("\"\n");
        }
        let path = format!("(assumed via {source})");
        let id = match sources.find(&path) {
            Some(id) if sources.get(id).is_some_and(|f| f.text == text) => id,
            _ => sources.add(SourceFile::new(path, text)),
        };
        for (a, start, end) in spans {
            let at = kijun_model::Origin::new(id, start, end);
            let mut n = Node::string(&a.value, at);
            n.from = Some(Arc::new(kijun_model::Provenance {
                via: format!("assumption {} ({source})", a.key),
                at,
            }));
            out.insert(a.key.clone(), n);
        }
    }
    out
}

impl Project {
    /// Parses the scanned Terraform files and every local or downloaded module they call, and
    /// decides the root modules.
    pub fn load(
        sources: &mut Sources,
        files: &[FileId],
        loader: &dyn Loader,
        opts: &Options,
    ) -> Project {
        let mut p = Project::load_parts(sources, files, loader, opts, false);
        let deferred = std::mem::take(&mut p.deferred);
        let mut parsed = parse_all(sources, files);
        for (dir, fs) in &deferred {
            p.add_parsed(sources, dir, fs, &mut parsed);
        }
        p.load_calls(sources, loader);
        p.settle();
        p
    }

    /// Like [`Project::load`], but root directories that no module call can name are left
    /// unparsed: evaluate each with [`Project::eval_deferred`], load what they call that is
    /// not loaded yet with [`Project::load_more`], then call [`Project::settle`] for the
    /// remaining roots. Memory then follows the modules and the roots being evaluated, not the
    /// whole repository.
    pub fn load_deferred(
        sources: &mut Sources,
        files: &[FileId],
        loader: &dyn Loader,
        opts: &Options,
    ) -> Project {
        let mut p = Project::load_parts(sources, files, loader, opts, true);
        p.load_calls(sources, loader);
        p
    }

    fn load_parts(
        sources: &mut Sources,
        files: &[FileId],
        loader: &dyn Loader,
        opts: &Options,
        defer: bool,
    ) -> Project {
        let mut p = Project {
            config: Config {
                limits: opts.limits.clone(),
                modules: BTreeMap::new(),
                downloaded: HashMap::new(),
                files: ReadAhead::new(opts.files.clone()),
                assumed: HashMap::new(),
            },
            roots: Vec::new(),
            scanned: Vec::new(),
            deferred: Vec::new(),
            deferred_calls: BTreeMap::new(),
            var_files: Vec::new(),
            cli_vars: Vec::new(),
            errors: Vec::new(),
            assume: opts.assume.clone(),
        };
        p.add_assumptions(sources);
        let mut by_dir: BTreeMap<String, Vec<FileId>> = BTreeMap::new();
        for &f in files {
            let path = sources.path(f);
            if is_tf(path) || is_auto_tfvars(path) {
                by_dir.entry(dir_of(path)).or_default().push(f);
            }
        }
        p.scanned = by_dir.keys().cloned().collect();
        let wants: Vec<Want> = by_dir
            .iter()
            .flat_map(|(d, fs)| fs.iter().map(move |f| (d, *f)))
            .flat_map(|(d, f)| {
                crate::filefn::wanted(d, sources.get(f).map(|x| x.text.as_str()).unwrap_or(""))
            })
            .collect();
        p.read_ahead(sources, wants);
        // why: whether a directory is called is only certain once every caller is parsed, but
        // a call names its directory in the text: a directory no `source = "./…"` anywhere
        // points at is certainly not called, and parsing it can wait until it is evaluated.
        let named = if defer {
            named_dirs(sources, files)
        } else {
            BTreeSet::new()
        };
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut by_dir)
            .into_iter()
            .partition(|(d, _)| !defer || named.contains(d));
        let eager: Vec<FileId> = now.iter().flat_map(|(_, fs)| fs.iter().copied()).collect();
        let mut parsed = parse_all(sources, &eager);
        for (dir, fs) in &now {
            p.add_parsed(sources, dir, fs, &mut parsed);
        }
        drop(parsed);
        p.deferred = later;
        // Downloaded modules of each scanned directory that could be a root.
        for dir in p.scanned.clone() {
            let manifest = join(&dir, ".terraform/modules/modules.json");
            if let Some(text) = loader.read(&manifest) {
                let map = parse_manifest(&text, &dir);
                for d in map.values() {
                    p.load_dir(sources, loader, d);
                }
                p.config.downloaded.insert(dir.clone(), map);
            }
        }

        // --var-file and --var.
        for (path, text) in &opts.var_files {
            let id = sources.add(SourceFile::new(path.clone(), text.clone()));
            match parse_file(id, path, text) {
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

    /// Loads the local modules the loaded ones call, transitively.
    fn load_calls(&mut self, sources: &mut Sources, loader: &dyn Loader) {
        let queue: Vec<String> = self.config.modules.keys().cloned().collect();
        self.load_from(sources, loader, queue);
    }

    fn load_from(&mut self, sources: &mut Sources, loader: &dyn Loader, mut queue: Vec<String>) {
        // why: bounds the directories read through the loader, not the calls followed.
        let mut loads = 0usize;
        while let Some(dir) = queue.pop() {
            let targets = self
                .config
                .modules
                .get(&dir)
                .map(|m| local_calls(m, &dir))
                .unwrap_or_default();
            for t in targets {
                if self.config.modules.contains_key(&t) || loads >= 10_000 {
                    continue;
                }
                loads += 1;
                if self.load_dir(sources, loader, &t) {
                    queue.push(t);
                }
            }
        }
    }

    /// Deferred root directories ([`Project::load_deferred`]), with their files.
    pub fn deferred(&self) -> &[(String, Vec<FileId>)] {
        &self.deferred
    }

    /// Parses one deferred directory and, when it holds anything, evaluates it as a root. Its
    /// syntax tree is dropped on return.
    pub fn eval_deferred(&self, sources: &Sources, dir: &str, files: &[FileId]) -> Deferred {
        let mut parsed: HashMap<FileId, Result<Block, InputError>> = files
            .iter()
            .map(|&id| {
                let r = match sources.get(id) {
                    Some(f) => parse_file(id, &f.path, &f.text),
                    None => Err(missing_source()),
                };
                (id, r)
            })
            .collect();
        let mut errors = Vec::new();
        let def = build_def(sources, dir, files, &mut parsed, &mut errors);
        let calls = local_calls(&def, dir);
        let unloaded: Vec<String> = calls
            .iter()
            .filter(|t| **t != dir && !self.config.modules.contains_key(*t))
            .cloned()
            .collect();
        let evaluate = def_is_root(&def);
        let model = evaluate.then(|| self.eval_def(&def, dir));
        Deferred {
            model,
            errors,
            calls,
            unloaded,
            root: evaluate,
        }
    }

    /// Loads module directories deferred roots call (found by [`Project::eval_deferred`]) and
    /// what those call in turn; true if any was found.
    pub fn load_more(
        &mut self,
        sources: &mut Sources,
        loader: &dyn Loader,
        dirs: &[String],
    ) -> bool {
        let mut queue = Vec::new();
        for d in dirs {
            if !self.config.modules.contains_key(d) && self.load_dir(sources, loader, d) {
                queue.push(d.clone());
            }
        }
        let found = !queue.is_empty();
        self.load_from(sources, loader, queue);
        found
    }

    /// Records what a deferred directory calls and whether it was a root, for [`Project::settle`].
    pub fn record_deferred(&mut self, dir: &str, d: &Deferred) {
        self.deferred_calls
            .insert(dir.to_string(), (d.calls.clone(), d.root));
    }

    /// Decides the root modules once every scanned directory has been read, and returns them
    /// in the order [`Project::load`] lists them (deferred ones included).
    pub fn settle(&mut self) -> Vec<String> {
        let mut called: BTreeSet<String> = BTreeSet::new();
        for (dir, m) in &self.config.modules {
            called.extend(local_calls(m, dir).into_iter().filter(|t| t != dir));
        }
        for (dir, (calls, _)) in &self.deferred_calls {
            called.extend(calls.iter().filter(|t| *t != dir).cloned());
        }
        // why: a directory another scanned module calls is evaluated through that call, with
        // its inputs; evaluating it again on its own would report its findings twice, with
        // unknown inputs. Directories only reachable through a cycle still get evaluated once.
        let mut roots: Vec<String> = self
            .scanned
            .iter()
            .filter(|d| !called.contains(*d))
            .cloned()
            .collect();
        let mut reach = self.reachable(&roots);
        for d in &self.scanned {
            if !reach.contains(d) {
                roots.push(d.clone());
                reach.extend(self.reachable(std::slice::from_ref(d)));
            }
        }
        roots.retain(|d| match self.config.modules.get(d) {
            Some(m) => def_is_root(m),
            None => self.deferred_calls.get(d).is_some_and(|(_, root)| *root),
        });
        self.roots = roots.clone();
        roots
    }

    /// Parses a directory's files through the loader; false if it has none.
    fn load_dir(&mut self, sources: &mut Sources, loader: &dyn Loader, dir: &str) -> bool {
        if self.config.modules.contains_key(dir) {
            return true;
        }
        let files = loader.module_files(dir);
        if files.is_empty() {
            return false;
        }
        let mut ids = Vec::new();
        let wants: Vec<Want> = files
            .iter()
            .flat_map(|(_, text)| crate::filefn::wanted(dir, text))
            .collect();
        self.read_ahead(sources, wants);
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
        let def = build_def(sources, dir, files, parsed, &mut self.errors);
        self.config.modules.insert(dir.to_string(), def);
    }

    fn reachable(&self, from: &[String]) -> BTreeSet<String> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<String> = from.to_vec();
        while let Some(d) = stack.pop() {
            if !seen.insert(d.clone()) {
                continue;
            }
            if let Some(m) = self.config.modules.get(&d) {
                stack.extend(local_calls(m, &d));
            } else if let Some((calls, _)) = self.deferred_calls.get(&d) {
                stack.extend(calls.iter().cloned());
            }
        }
        seen
    }

    fn add_assumptions(&mut self, sources: &mut Sources) {
        self.config.assumed = assumption_nodes(sources, &self.assume);
    }

    /// The value of an assumption (`aws_region`, …), marked as one, when the user declared it.
    pub fn assumed(&self, key: &str) -> Option<&Node> {
        self.config.assumed(key)
    }

    /// Reads the files the configuration names for the file functions ([`crate::filefn`]).
    fn read_ahead(&mut self, sources: &mut Sources, wants: Vec<Want>) {
        self.config.files.read(sources, wants);
    }

    /// A file read ahead for the file functions; `None` when it was not named ahead.
    pub fn read_file(&self, path: &str) -> Option<&crate::filefn::Loaded> {
        self.config.read_file(path)
    }

    /// A directory listed ahead for `fileset()`; `None` when it was not named ahead.
    pub fn list_dir(&self, dir: &str) -> Option<&Result<Vec<String>, crate::access::ReadError>> {
        self.config.list_dir(dir)
    }

    /// Whether the scan has a file source at all.
    pub fn has_files(&self) -> bool {
        self.config.has_files()
    }

    /// The parsed module directories and what evaluation reads besides them.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn module(&self, dir: &str) -> Option<&ModuleDef> {
        self.config.module(dir)
    }

    pub fn downloaded(&self, root: &str, key: &str) -> Option<String> {
        self.config.downloaded(root, key)
    }

    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// Evaluates one root module and everything it calls.
    pub fn eval_root(&self, dir: &str) -> Model {
        let Some(def) = self.config.modules.get(dir) else {
            return Model::default();
        };
        self.eval_def(def, dir)
    }

    fn eval_def(&self, def: &ModuleDef, dir: &str) -> Model {
        let mut inst = Instance::new(&self.config, def, dir);
        // Precedence, lowest first: default, terraform.tfvars, *.auto.tfvars, --var-file, --var.
        for (name, decl) in &def.variables {
            let v = match &decl.default {
                Some(d) => inst.eval_soft(d, &Binds::default()),
                None => Node::unknown(
                    kijun_model::text!("変数 var.{name} には既定値がなく、tfvars ファイルでも --var でも設定されていません", "var.{name} has no default and is not set in a tfvars file or with --var"
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
        inst.apply_var_types();
        for blk in &def.providers {
            for cfg in inst.provider_configs(blk) {
                inst.providers.insert(cfg.display_name(), cfg);
            }
        }
        inst.run();
        let mut model = inst.out.into_inner();
        crate::azapi::to_arm_kinds(&mut model);
        model
    }
}

/// What reading one deferred root directory gave.
pub struct Deferred {
    /// The root's evaluation, when the directory holds anything to evaluate.
    pub model: Option<Model>,
    /// Syntax errors and malformed blocks of the directory's files.
    pub errors: Vec<InputError>,
    /// The local module directories it calls.
    pub calls: Vec<String>,
    /// Called directories not loaded yet: load them ([`Project::load_more`]) and evaluate the
    /// directory again, or the evaluation reports them missing.
    pub unloaded: Vec<String>,
    /// It holds resources, module calls, providers or settings: it is a root.
    pub root: bool,
}

fn missing_source() -> InputError {
    InputError {
        at: kijun_model::Origin::default(),
        message: kijun_model::text!("ソースがありません", "missing source"),
    }
}

/// A module directory from its parsed files (taken out of `parsed`).
fn build_def(
    sources: &Sources,
    dir: &str,
    files: &[FileId],
    parsed: &mut HashMap<FileId, Result<Block, InputError>>,
    errors: &mut Vec<InputError>,
) -> ModuleDef {
    let mut def = ModuleDef {
        dir: dir.to_string(),
        ..ModuleDef::default()
    };
    let mut sorted: Vec<FileId> = files.to_vec();
    sorted.sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
    // why: OpenTofu reads `x.tofu` in place of `x.tf` when both exist in a directory, so a
    // module can carry OpenTofu-only syntax beside a Terraform fallback.
    let present: HashSet<&str> = sorted.iter().map(|id| sources.path(*id)).collect();
    let shadowed: HashSet<FileId> = sorted
        .iter()
        .copied()
        .filter(|id| tofu_twin(sources.path(*id)).is_some_and(|t| present.contains(t.as_str())))
        .collect();
    let mut tfvars: Vec<(bool, String, Block)> = Vec::new();
    let mut primary = Block::empty();
    let mut overrides: Vec<Block> = Vec::new();
    for id in sorted {
        let Some(f) = sources.get(id) else { continue };
        let Some(result) = parsed.remove(&id) else {
            continue;
        };
        if shadowed.contains(&id) {
            continue;
        }
        match result {
            Ok(body) => {
                if is_auto_tfvars(&f.path) {
                    let name = f.path.rsplit('/').next().unwrap_or("").to_string();
                    tfvars.push((name.starts_with("terraform.tfvars"), name, body));
                } else if is_override(&f.path) {
                    overrides.push(body);
                } else {
                    primary.blocks.extend(body.blocks);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    // Override files in lexical order, after every primary file (Terraform "Override Files").
    for o in overrides {
        crate::merge::apply_override(&mut primary, o, errors);
    }
    def.add(primary, errors);
    // terraform.tfvars first, then *.auto.tfvars in lexical order: later ones win.
    tfvars.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    def.tfvars = tfvars.into_iter().map(|t| t.2).collect();
    def
}

/// Directories of the local module calls (`source = "./…"` or `"../…"`) of a module.
fn local_calls(m: &ModuleDef, dir: &str) -> Vec<String> {
    m.module_calls
        .iter()
        .filter_map(|c| c.attr("source"))
        .filter_map(|a| match &a.expr.expr {
            Expr::Str(s) if s.starts_with("./") || s.starts_with("../") => Some(join(dir, s)),
            _ => None,
        })
        .collect()
}

/// Whether a module directory holds anything a root evaluates.
fn def_is_root(m: &ModuleDef) -> bool {
    !m.resources.is_empty()
        || !m.module_calls.is_empty()
        || !m.providers.is_empty()
        || !m.terraform.is_empty()
}

/// Every directory some file's text could name as a local module source: `source` followed by
/// `=` or `:` and a string starting `./` or `../`, joined onto the file's directory. A superset
/// of the directories module calls name (it also catches comments and other blocks'
/// `source` arguments), found without parsing.
fn named_dirs(sources: &Sources, files: &[FileId]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for &id in files {
        let Some(f) = sources.get(id) else { continue };
        let dir = dir_of(&f.path);
        let text = f.text.as_str();
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find("source")) {
            let after = from + i + "source".len();
            from = after;
            let rest = text.get(after..).unwrap_or("");
            // `source = "…"` (HCL) or `"source": "…"` (JSON).
            let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
            let Some(rest) = rest.strip_prefix(['=', ':']) else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            if !(rest.starts_with("./") || rest.starts_with("../")) {
                continue;
            }
            let end = rest.find(['"', '\n']).unwrap_or(rest.len());
            if let Some(s) = rest.get(..end) {
                out.insert(join(&dir, s));
            }
        }
    }
    out
}

/// Parses files, in parallel when the `parallel` feature is on.
fn parse_all(sources: &Sources, files: &[FileId]) -> HashMap<FileId, Result<Block, InputError>> {
    let one = |id: &FileId| {
        let r = match sources.get(*id) {
            Some(f) => parse_file(*id, &f.path, &f.text),
            None => Err(missing_source()),
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
        expr: Expr::Str(Arc::from(raw)),
        at,
    }
}

fn shift(e: &mut E, by: usize) {
    let by = u32::try_from(by).unwrap_or(0);
    e.at.start += by;
    e.at.end += by;
    match &mut e.expr {
        Expr::Array(v) => v.iter_mut().for_each(|x| shift(x, by as usize)),
        Expr::Object(v) => v.iter_mut().for_each(|(k, x)| {
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
