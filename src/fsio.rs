//! File discovery and reading. Never follows symbolic links into loops, never executes anything,
//! and turns unreadable or non-text files into input errors instead of stopping the scan.

use kijun_engine::{is_candidate, Document, Loader};
use kijun_model::Text;
use std::path::{Path, PathBuf};

/// Directories never descended into: VCS metadata, downloaded Terraform modules (read only
/// through `.terraform/modules/modules.json` when a root calls them) and dependency caches.
pub(crate) const SKIP_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    ".hg",
    ".svn",
    "target",
];

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
    pub fn new(paths: &[String], root: Option<&Path>) -> Result<Scope, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
        let mut roots = Vec::new();
        if let Some(r) = root {
            let real =
                std::fs::canonicalize(r).map_err(|e| format!("--root {}: {e}", r.display()))?;
            if !real.is_dir() {
                return Err(format!("--root {}: not a directory", r.display()));
            }
            for p in paths.iter().filter(|p| p.as_str() != "-") {
                let start = start_dir(&cwd.join(p))?;
                if !start.starts_with(&real) {
                    return Err(format!("{p} is not inside --root {}", r.display()));
                }
            }
            roots.push(real);
        } else {
            for p in paths {
                let start = if p == "-" {
                    std::fs::canonicalize(&cwd).map_err(|e| format!("current directory: {e}"))?
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
fn start_dir(p: &Path) -> Result<PathBuf, String> {
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
    std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", display_path(p)))
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
pub fn collect(root: &Path, max: u64, scope: &Scope) -> Vec<Document> {
    if !root.is_dir() {
        return vec![read(root, max, scope)];
    }
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
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
