//! File discovery and reading. Never follows symbolic links into loops, never executes anything,
//! and turns unreadable or non-text files into input errors instead of stopping the scan.

use kijun_engine::{is_candidate, Document, Loader};
use kijun_model::Text;
use std::path::{Path, PathBuf};

/// Directories never descended into, because they are certainly not input: version-control
/// metadata and dependency caches. A directory named `target`, `build` or `dist` may hold real
/// infrastructure code and is read; `--exclude` leaves out what a project does not want judged.
pub(crate) const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", "node_modules"];

/// Whether the walk skips this directory by default: [`SKIP_DIRS`], and the provider plugins
/// Terraform downloads into `.terraform/providers` (binaries). `.terraform/modules` is read:
/// it holds the downloaded modules the roots call.
pub(crate) fn skipped_dir(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    match name.as_deref() {
        Some(n) if SKIP_DIRS.contains(&n) => true,
        Some("providers") => path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|p| p == ".terraform"),
        _ => false,
    }
}

/// `--exclude` and `[scan] exclude` patterns, `.gitignore`-style, matched against a path
/// relative to the scanned directory (`/`-separated):
///
/// - a pattern without a `/` (other than a trailing one) matches a file or directory of that
///   name at any depth (`fixtures`, `*.bak.tf`);
/// - a pattern with a `/` is anchored at the scanned directory (`examples/**`, `/test`); a
///   leading `/` only anchors;
/// - a trailing `/` matches directories only; `*` and `?` match within one path segment, `**`
///   across segments (`kijun_engine::glob`: bounded time whatever the pattern, since a
///   kijun.toml in the scanned tree is untrusted);
/// - `!pattern` takes back what an earlier pattern left out (the last matching pattern wins).
///
/// An excluded directory is not descended into, so nothing below it is read.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    glob: String,
    dir_only: bool,
    negated: bool,
}

impl Exclude {
    /// Compiles the patterns; an empty pattern (which would otherwise match nothing, silently)
    /// is an error naming it.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Exclude, Text> {
        let mut out = Vec::new();
        for raw in patterns {
            let raw = raw.as_ref();
            let mut p = raw.trim();
            let negated = p.starts_with('!');
            if negated {
                p = p.get(1..).unwrap_or("");
            }
            let dir_only = p.ends_with('/');
            let p = p.trim_end_matches('/');
            let anchored = p.contains('/');
            let p = p.trim_start_matches('/').trim_start_matches("./");
            if p.is_empty() {
                return Err(kijun_model::text!(
                    "パターン `{raw}` はパスを指していません",
                    "the pattern `{raw}` names no path"
                ));
            }
            let glob = if anchored {
                p.to_string()
            } else {
                format!("**/{p}")
            };
            out.push(Pattern {
                glob,
                dir_only,
                negated,
            });
        }
        Ok(Exclude { patterns: out })
    }

    /// Whether `rel` (relative to the scanned directory, `/`-separated) is left out: the last
    /// pattern that matches it or one of its parent directories decides.
    /// why: unlike git, a `!pattern` can take back a file below a directory an earlier pattern
    /// left out (`examples/**` then `!examples/keep/**`), which is what users of the idiom mean.
    pub fn excludes(&self, rel: &str, is_dir: bool) -> bool {
        let rel = rel.trim_matches('/');
        if rel.is_empty() {
            return false;
        }
        // The path and its parents, each with whether it is a directory.
        let mut candidates: Vec<(&str, bool)> = rel
            .match_indices('/')
            .filter_map(|(i, _)| rel.get(..i).map(|p| (p, true)))
            .collect();
        candidates.push((rel, is_dir));
        let mut out = false;
        for p in &self.patterns {
            let hit = candidates
                .iter()
                .any(|(c, dir)| (*dir || !p.dir_only) && kijun_engine::glob::matches(&p.glob, c));
            if hit {
                out = !p.negated;
            }
        }
        out
    }

    /// Whether the walk may skip a whole directory: it is left out and no `!pattern` could
    /// take back something below it.
    fn prunes(&self, rel: &str) -> bool {
        !self.patterns.iter().any(|p| p.negated) && self.excludes(rel, true)
    }

    /// The test for a path below `root` (the walk's start): a directory the walk need not
    /// enter, or a file it must not read.
    pub fn excludes_below(&self, root: &Path, path: &Path, is_dir: bool) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if is_dir {
            self.prunes(&rel)
        } else {
            self.excludes(&rel, false)
        }
    }
}

#[cfg(test)]
mod exclude_tests {
    use super::Exclude;

    #[test]
    fn gitignore_style_patterns() {
        let e = Exclude::new(&[
            "examples/**",
            "!examples/keep/**",
            "test/",
            "**/fixtures/**",
            "*.bak.tf",
            "/docs",
        ])
        .unwrap();
        for (path, dir, out) in [
            ("examples/demo", true, true),
            ("examples/demo/main.tf", false, true),
            ("examples/keep/main.tf", false, false),
            ("modules/examples/main.tf", false, false),
            ("test", true, true),
            ("modules/x/test", true, true),
            ("test", false, false),
            ("modules/net/fixtures/bad", true, true),
            ("fixtures/a.tf", false, true),
            ("old.bak.tf", false, true),
            ("modules/old.bak.tf", false, true),
            ("main.tf", false, false),
            ("docs", true, true),
            ("modules/docs", true, false),
        ] {
            assert_eq!(e.excludes(path, dir), out, "{path}");
        }
        assert!(Exclude::new(&[""]).is_err());
        assert!(Exclude::new(&["!"]).is_err());
        assert!(Exclude::new(&["/"]).is_err());
        // Bounded time on a hostile pattern.
        let hostile = format!("{}b", "*a".repeat(60));
        let e = Exclude::new(&[hostile]).unwrap();
        assert!(!e.excludes(&"a".repeat(5000), false));
    }
}

/// A path as reported: relative to the current directory when below it, `/`-separated.
pub fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let rel = if p.is_absolute() {
        p.strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    } else {
        p.to_path_buf()
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Text of a file (UTF-8, or UTF-16 with a byte order mark: `kijun_model::decode_text`); a
/// binary or undecodable file is an error at the first bad byte.
pub fn decode(path: String, bytes: Vec<u8>) -> Document {
    match kijun_model::decode_text(bytes) {
        Ok(s) => Document::new(path, s),
        // why: a binary file is not the user's text; none of it may appear in a report.
        Err(e) if e.message.en.starts_with("binary") => Document {
            path,
            content: String::new(),
            error: Some((0, e.message)),
        },
        // Only the text before the error is kept, for its position and snippet.
        Err(e) => {
            let mut content = e.lossy;
            content.truncate(
                (0..=(e.offset as usize).min(content.len()))
                    .rev()
                    .find(|&i| content.is_char_boundary(i))
                    .unwrap_or(0),
            );
            Document {
                path,
                content,
                error: Some((e.offset, e.message)),
            }
        }
    }
}

/// Where files named by the scanned tree may be read from: the project roots of the scanned
/// paths. Files found by walking, links, kijun.toml, ledger and plugin paths of a kijun.toml
/// found in the tree, and Terraform module directories are read only when their real path
/// (links resolved) lies inside one of them; paths the user gives on the command line are not
/// limited (docs/security.md).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    roots: Vec<PathBuf>,
}

/// Said of a path the scanned tree names that leads outside the project root. The target is
/// never shown: it may name a secret, and the tree's author chose it.
pub fn outside() -> Text {
    kijun_model::text!(
        "プロジェクトのルートの外にあるため読み込みませんでした",
        "outside the project root; not read"
    )
}

/// Why a file could not be read, from the system's error: the common kinds in Japanese, any
/// other quoted as the system says it.
pub fn cannot_read(e: &std::io::Error) -> Text {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => Text::new("存在しません", e.to_string()),
        std::io::ErrorKind::PermissionDenied => Text::new("アクセス権がありません", e.to_string()),
        _ => kijun_model::text!("「{e}」", "{e}"),
    };
    kijun_model::text!("読み込めません: {0}", "cannot read: {0}", why)
}

impl Scope {
    /// The scope of the scanned `paths` (`-` is standard input, rooted at the current
    /// directory): `root` when given, else each path's project root.
    pub fn new(paths: &[String], root: Option<&Path>) -> Result<Scope, Text> {
        let no_cwd = |e: std::io::Error| {
            kijun_model::text!(
                "カレントディレクトリを読めません: 「{e}」",
                "current directory: {e}"
            )
        };
        let cwd = std::env::current_dir().map_err(no_cwd)?;
        let mut roots = Vec::new();
        if let Some(r) = root {
            let shown = r.display().to_string();
            let real = std::fs::canonicalize(r).map_err(|e| {
                kijun_model::text!(
                    "--root {shown}: {0}",
                    "--root {shown}: {0}",
                    cannot_read(&e)
                )
            })?;
            if !real.is_dir() {
                return Err(kijun_model::text!(
                    "--root {shown}: ディレクトリではありません",
                    "--root {shown}: not a directory"
                ));
            }
            for p in paths.iter().filter(|p| p.as_str() != "-") {
                let start = start_dir(&cwd.join(p))?;
                if !start.starts_with(&real) {
                    return Err(kijun_model::text!(
                        "{p} は --root {shown} の中にありません",
                        "{p} is not inside --root {shown}"
                    ));
                }
            }
            roots.push(real);
        } else {
            for p in paths {
                let start = if p == "-" {
                    std::fs::canonicalize(&cwd).map_err(no_cwd)?
                } else {
                    start_dir(&cwd.join(p))?
                };
                roots.push(project_root(&start));
            }
        }
        roots.sort();
        roots.dedup();
        Ok(Scope { roots })
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Is the real (canonical) path `real` inside a project root?
    pub fn contains(&self, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
    }

    /// The real path of `path` (links resolved) when it may be read: inside a project root and
    /// not a special file system; otherwise why not.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Text> {
        let real = std::fs::canonicalize(path).map_err(|e| cannot_read(&e))?;
        if is_special(&real) {
            return Err(special());
        }
        if !self.contains(&real) {
            return Err(outside());
        }
        Ok(real)
    }
}

fn special() -> Text {
    kijun_model::text!(
        "特殊なファイル（/proc、/sys または /dev）のため読み込みませんでした",
        "a special file (/proc, /sys or /dev); not read"
    )
}

/// Files of the kernel's and devices' file systems: never read, wherever they are (they look
/// like regular files, and `/proc/self/environ` holds the process's secrets).
fn is_special(real: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|d| real.starts_with(d))
}

/// The directory a scanned path starts from (its own, for a file: its parent), real.
fn start_dir(p: &Path) -> Result<PathBuf, Text> {
    // why: a file given on the command line may itself be a link out of the repository (the
    // pre-commit hook passes the tree's file names): the root comes from where it stands.
    let dir = match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => p.to_path_buf(),
        Ok(m) if m.file_type().is_symlink() && p.is_dir() => p.to_path_buf(),
        _ => p
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| p.to_path_buf()),
    };
    let shown = display_path(p);
    std::fs::canonicalize(&dir).map_err(|e| kijun_model::text!("{shown}: 「{e}」", "{shown}: {e}"))
}

/// The nearest directory at or above `start` that holds `.git` or `.hg` (a repository's top,
/// a worktree's or a submodule's), else `start` itself.
pub fn project_root(start: &Path) -> PathBuf {
    let mut dir = start.to_path_buf();
    loop {
        if dir.join(".git").exists() || dir.join(".hg").exists() {
            return dir;
        }
        if !dir.pop() {
            return start.to_path_buf();
        }
    }
}

/// Opens a file for reading without blocking on a FIFO, then checks from the open handle that
/// it is a regular file (nothing can swap it between the check and the read).
fn open_regular(real: &Path) -> Result<(std::fs::File, std::fs::Metadata), Text> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(real).map_err(|e| cannot_read(&e))?;
    let meta = file.metadata().map_err(|e| cannot_read(&e))?;
    if !meta.is_file() {
        // why: reading a FIFO blocks forever and a device never ends.
        return Err(kijun_model::text!(
            "通常のファイルではない（FIFO、ソケットまたはデバイス）ため読み込みませんでした",
            "not a regular file (a FIFO, socket or device); not read"
        ));
    }
    Ok((file, meta))
}

/// The bytes of `path`, when the scope allows it and it is a regular file within `max` bytes.
fn read_bytes(path: &Path, max: u64, scope: &Scope) -> Result<Vec<u8>, Text> {
    let real = scope.resolve(path)?;
    let (file, meta) = open_regular(&real)?;
    if meta.len() > max {
        return Err(kijun_model::text!(
            "ファイルが {} バイトで、大きさの上限 {max} を超えているため読み込みませんでした",
            "file is {} bytes, over the size limit of {max}; not read",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max + 1), &mut bytes)
        .map_err(|e| cannot_read(&e))?;
    // The file grew after it was measured.
    if bytes.len() as u64 > max {
        return Err(kijun_model::text!(
            "ファイルが大きさの上限 {max} バイトを超えているため読み込みませんでした",
            "file is over the size limit of {max} bytes; not read"
        ));
    }
    Ok(bytes)
}

/// A text file named by the scanned tree (or its kijun.toml), read within `scope`.
pub fn read_text(path: &Path, max: u64, scope: &Scope) -> Result<String, Text> {
    let bytes = read_bytes(path, max, scope)?;
    let d = decode(display_path(path), bytes);
    match d.error {
        Some((_, message)) => Err(message),
        None => Ok(d.content),
    }
}

fn read(path: &Path, max: u64, scope: &Scope) -> Document {
    let shown = display_path(path);
    match read_bytes(path, max, scope) {
        Ok(bytes) => decode(shown, bytes),
        // A file that was not read has no text: no report can show a line of it.
        Err(message) => Document {
            path: shown,
            content: String::new(),
            error: Some((0, message)),
        },
    }
}

/// Every file kijun reads below `root` (or `root` itself), in sorted order.
/// Paths matching `exclude` (relative to `root`) are left out; `root` itself never is.
pub fn collect(root: &Path, max: u64, scope: &Scope, exclude: &Exclude) -> Vec<Document> {
    if !root.is_dir() {
        return vec![read(root, max, scope)];
    }
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let dir = e.file_type().is_dir();
            e.depth() == 0
                || !((dir && skipped_dir(e.path())) || exclude.excludes_below(root, e.path(), dir))
        });
    let mut unreadable = Vec::new();
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            // A directory that cannot be listed is reported, and the walk goes on.
            Err(err) => {
                if let Some(p) = err.path() {
                    unreadable.push(Document {
                        path: display_path(p),
                        content: String::new(),
                        error: Some((
                            0,
                            kijun_model::text!(
                                "ディレクトリを読み込めません: 「{err}」",
                                "cannot read directory: {err}"
                            ),
                        )),
                    });
                }
                continue;
            }
        };
        let ft = e.file_type();
        // Links to directories are not followed (no loops); links to files are read.
        if ft.is_dir() || (ft.is_symlink() && e.path().is_dir()) {
            continue;
        }
        if exclude.excludes_below(root, e.path(), false) {
            continue;
        }
        let p = display_path(e.path());
        if is_candidate(&p) {
            paths.push(e.into_path());
        }
    }
    // Reading is I/O-bound on cold caches and decoding is not free: read in parallel, keep
    // the walk's sorted order.
    use rayon::prelude::*;
    let mut docs: Vec<Document> = paths.par_iter().map(|p| read(p, max, scope)).collect();
    docs.extend(unreadable);
    docs
}

/// Module directories outside the scanned paths, read on demand within the scope; what the
/// scope refuses is remembered and reported as an input error.
pub struct FsLoader {
    pub scope: Scope,
    pub max: u64,
    refused: std::sync::Mutex<std::collections::BTreeMap<String, Text>>,
}

impl FsLoader {
    pub fn new(scope: Scope, max: u64) -> FsLoader {
        FsLoader {
            scope,
            max,
            refused: Default::default(),
        }
    }

    fn refuse(&self, path: &Path, message: Text) {
        let mut r = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        r.entry(display_path(path)).or_insert(message);
    }

    /// The paths refused while loading modules, with why: (path as reported, message).
    pub fn refused(&self) -> Vec<(String, Text)> {
        let r = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        r.iter().map(|(p, m)| (p.clone(), m.clone())).collect()
    }
}

impl Loader for FsLoader {
    fn module_files(&self, dir: &str) -> Vec<(String, String)> {
        let path = Path::new(dir);
        match std::fs::canonicalize(path) {
            Ok(real) if is_special(&real) || !self.scope.contains(&real) => {
                self.refuse(
                    path,
                    kijun_model::text!(
                        "モジュールのディレクトリが{0}",
                        "module directory {0}",
                        outside()
                    ),
                );
                return Vec::new();
            }
            Ok(_) => {}
            Err(_) => return Vec::new(),
        }
        let Ok(rd) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.to_string_lossy();
                kijun_terraform::project::is_tf(&n) && p.is_file()
            })
            .collect();
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| {
                let d = read(&p, self.max, &self.scope);
                match d.error {
                    None => Some((d.path, d.content)),
                    Some((_, message)) => {
                        self.refuse(&p, message);
                        None
                    }
                }
            })
            .collect()
    }

    fn read(&self, path: &str) -> Option<String> {
        read_text(Path::new(path), self.max.min(16 << 20), &self.scope).ok()
    }
}

/// Adds the loader's refusals to the scan's input errors (each path once), in the engine's order.
pub fn report_refused(outcome: &mut kijun_engine::Outcome, loader: &FsLoader) {
    let refused = loader.refused();
    if refused.is_empty() {
        return;
    }
    for (path, message) in refused {
        if let Some(id) = outcome.sources.find(&path) {
            if outcome.errors.iter().any(|e| e.at.file == id) {
                continue;
            }
        }
        let id = outcome
            .sources
            .add(kijun_model::SourceFile::new(path, String::new()));
        let at = kijun_model::Origin {
            file: id,
            start: 0,
            end: 0,
        };
        outcome.errors.push(kijun_model::InputError { at, message });
    }
    kijun_engine::sort_errors(&mut outcome.errors, &outcome.sources);
}
