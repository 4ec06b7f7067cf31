//! The set of Terraform module directories of one scan: parsed once, then instantiated from each
//! root module with the inputs of each call.

use crate::instance::Instance;
use crate::ir::{Block, E};
use crate::value::Binds;
use crate::{Limits, Loader, Options};
use kijun_model::{FileId, InputError, Model, Node, SourceFile, Sources};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub struct VarDecl {
    pub default: Option<E>,
    /// The `type` constraint, which every value given to the variable is converted to.
    pub ty: Option<E>,
    /// `nullable = false`: a null given to the variable means its default.
    pub nullable: bool,
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
                                Some(crate::ir::Expr::Bool(false))
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

pub struct Project {
    pub limits: Limits,
    modules: BTreeMap<String, ModuleDef>,
    /// Root directory → (module key → directory) from `.terraform/modules/modules.json`.
    downloaded: HashMap<String, HashMap<String, String>>,
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
    /// Where the file functions read ([`crate::Options::files`]).
    files: crate::Files,
    /// The declared deployment context.
    pub assume: crate::Assumptions,
    /// Files read ahead for the file functions, by normalised path ([`crate::filefn`]).
    file_cache: HashMap<String, crate::filefn::Loaded>,
    /// Directory listings read ahead, by normalised path.
    dir_cache: HashMap<String, Result<Vec<String>, crate::ReadError>>,
    /// Files and bytes still allowed to be read ahead.
    read_budget: (usize, u64),
    /// Each assumption as a value that says it is one ([`Project::assumed`]).
    assumed: HashMap<String, Node>,
}

/// Files the file functions may read ahead in one scan, and their total size.
const MAX_READ_FILES: usize = 10_000;
const MAX_READ_BYTES: u64 = 256 << 20;

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

/// A configuration file: Terraform's `.tf`/`.tf.json` or OpenTofu's `.tofu`/`.tofu.json`.
pub fn is_tf(path: &str) -> bool {
    path.ends_with(".tf")
        || path.ends_with(".tf.json")
        || path.ends_with(".tofu")
        || path.ends_with(".tofu.json")
}

/// `x.tofu` for `x.tf`, `x.tofu.json` for `x.tf.json`: the OpenTofu file that shadows it.
fn tofu_twin(path: &str) -> Option<String> {
    if let Some(stem) = path.strip_suffix(".tf.json") {
        Some(format!("{stem}.tofu.json"))
    } else {
        path.strip_suffix(".tf").map(|stem| format!("{stem}.tofu"))
    }
}

/// `override.tf`, `x_override.tf` and their `.tf.json`/`.tofu`/`.tofu.json` forms: merged into
/// the configuration after the other files (Terraform "Override Files").
pub fn is_override(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = [".tf.json", ".tofu.json", ".tf", ".tofu"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

/// The declared assumptions as values: each points into a small source of its own, named
/// after where it was declared (`(assumed via kijun.toml [assume])`, `(assumed via
/// --assume)`), so every finding that uses one says so in its provenance. Sources already added
/// by an earlier call are reused.
pub fn assumption_nodes(
    sources: &mut Sources,
    assume: &crate::Assumptions,
) -> HashMap<String, Node> {
    let mut out = HashMap::new();
    let mut by_source: BTreeMap<&str, Vec<&crate::Assumption>> = BTreeMap::new();
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

/// `to` as a path relative to `from` (both as [`join`] normalises them): what Terraform's
/// `path.module` is, relative to the root module where Terraform runs.
pub fn relative(from: &str, to: &str) -> String {
    if from == "." {
        return to.to_string();
    }
    if from.starts_with('/') != to.starts_with('/') {
        return to.to_string();
    }
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = std::iter::repeat_n("..", f.len() - common).collect();
    out.extend(t.iter().skip(common));
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

fn is_auto_tfvars(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
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
            limits: opts.limits.clone(),
            modules: BTreeMap::new(),
            downloaded: HashMap::new(),
            roots: Vec::new(),
            scanned: Vec::new(),
            deferred: Vec::new(),
            deferred_calls: BTreeMap::new(),
            var_files: Vec::new(),
            cli_vars: Vec::new(),
            errors: Vec::new(),
            files: opts.files.clone(),
            assume: opts.assume.clone(),
            file_cache: HashMap::new(),
            dir_cache: HashMap::new(),
            read_budget: (MAX_READ_FILES, MAX_READ_BYTES),
            assumed: HashMap::new(),
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
        let wants: Vec<crate::filefn::Want> = by_dir
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
                p.downloaded.insert(dir.clone(), map);
            }
        }

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

    /// Loads the local modules the loaded ones call, transitively.
    fn load_calls(&mut self, sources: &mut Sources, loader: &dyn Loader) {
        let queue: Vec<String> = self.modules.keys().cloned().collect();
        self.load_from(sources, loader, queue);
    }

    fn load_from(&mut self, sources: &mut Sources, loader: &dyn Loader, mut queue: Vec<String>) {
        // why: bounds the directories read through the loader, not the calls followed.
        let mut loads = 0usize;
        while let Some(dir) = queue.pop() {
            let targets = self
                .modules
                .get(&dir)
                .map(|m| local_calls(m, &dir))
                .unwrap_or_default();
            for t in targets {
                if self.modules.contains_key(&t) || loads >= 10_000 {
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
                    Some(f) => crate::parse_file(id, &f.path, &f.text),
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
            .filter(|t| **t != dir && !self.modules.contains_key(*t))
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
            if !self.modules.contains_key(d) && self.load_dir(sources, loader, d) {
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
        for (dir, m) in &self.modules {
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
        roots.retain(|d| match self.modules.get(d) {
            Some(m) => def_is_root(m),
            None => self.deferred_calls.get(d).is_some_and(|(_, root)| *root),
        });
        self.roots = roots.clone();
        roots
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
        let wants: Vec<crate::filefn::Want> = files
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
                stack.extend(local_calls(m, &d));
            } else if let Some((calls, _)) = self.deferred_calls.get(&d) {
                stack.extend(calls.iter().cloned());
            }
        }
        seen
    }

    fn add_assumptions(&mut self, sources: &mut Sources) {
        self.assumed = assumption_nodes(sources, &self.assume);
    }

    /// The value of an assumption (`aws_region`, …), marked as one, when the user declared it.
    pub fn assumed(&self, key: &str) -> Option<&Node> {
        self.assumed.get(key)
    }

    /// Reads the files the configuration names for the file functions ([`crate::filefn`]).
    fn read_ahead(&mut self, sources: &mut Sources, wants: Vec<crate::filefn::Want>) {
        let Some(fs) = self.files.0.clone() else {
            return;
        };
        if wants.is_empty() {
            return;
        }
        let mut files: Vec<String> = Vec::new();
        for w in wants {
            // A computed path reads only the files directly in its literal directory.
            let deep = !matches!(w, crate::filefn::Want::Files(_));
            match w {
                crate::filefn::Want::File(f) => files.push(f),
                crate::filefn::Want::Dir(d) | crate::filefn::Want::Files(d) => {
                    let listing = match self.dir_cache.get(&d) {
                        Some(l) => l.clone(),
                        None => {
                            let l = fs.list_files(&d);
                            self.dir_cache.insert(d.clone(), l.clone());
                            l
                        }
                    };
                    if let Ok(names) = &listing {
                        files.extend(
                            names
                                .iter()
                                .filter(|n| deep || !n.contains('/'))
                                .map(|n| join(&d, n)),
                        );
                    }
                }
            }
        }
        let mut known: Option<HashMap<String, FileId>> = None;
        for f in files {
            if self.file_cache.contains_key(&f) {
                continue;
            }
            if self.read_budget.0 == 0 {
                self.file_cache.insert(
                    f.clone(),
                    Err(crate::ReadError::Refused(kijun_model::text!("{f}: ファイル関数で読んだファイルが {MAX_READ_FILES} 個を超えました。読み込みませんでした", "{f}: more than {MAX_READ_FILES} files read for the file functions; not read"
                    ))),
                );
                continue;
            }
            self.read_budget.0 -= 1;
            let loaded = match fs.read_file(&f) {
                Ok(bytes) if bytes.len() as u64 > self.read_budget.1 => {
                    Err(crate::ReadError::Refused(kijun_model::text!("{f}: ファイル関数で読んだファイルが合計 {MAX_READ_BYTES} バイトを超えました。読み込みませんでした", "{f}: the files read for the file functions exceed {MAX_READ_BYTES} bytes in all; not read"
                    )))
                }
                Ok(bytes) => {
                    self.read_budget.1 -= bytes.len() as u64;
                    let known = known.get_or_insert_with(|| {
                        (0..sources.len())
                            .filter_map(|i| u32::try_from(i).ok())
                            .map(|i| (sources.path(i).to_string(), i))
                            .collect()
                    });
                    let id = match known.get(&f) {
                        Some(id) => *id,
                        None => {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            let id = sources.add(SourceFile::new(f.clone(), text));
                            known.insert(f.clone(), id);
                            id
                        }
                    };
                    Ok((id, Arc::from(bytes)))
                }
                Err(e) => Err(e),
            };
            self.file_cache.insert(f, loaded);
        }
    }

    /// A file read ahead for the file functions; `None` when it was not named ahead.
    pub fn read_file(&self, path: &str) -> Option<&crate::filefn::Loaded> {
        self.file_cache.get(path)
    }

    /// A directory listed ahead for `fileset()`; `None` when it was not named ahead.
    pub fn list_dir(&self, dir: &str) -> Option<&Result<Vec<String>, crate::ReadError>> {
        self.dir_cache.get(dir)
    }

    /// Whether the scan has a file source at all.
    pub fn has_files(&self) -> bool {
        self.files.0.is_some()
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
        self.eval_def(def, dir)
    }

    fn eval_def(&self, def: &ModuleDef, dir: &str) -> Model {
        let mut inst = Instance::new(self, def, dir);
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
            crate::ir::Expr::Str(s) if s.starts_with("./") || s.starts_with("../") => {
                Some(join(dir, s))
            }
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
            Some(f) => crate::parse_file(*id, &f.path, &f.text),
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
