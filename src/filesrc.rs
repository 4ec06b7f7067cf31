//! The file system the Terraform file functions (`file()`, `templatefile()`, `fileset()`, …)
//! see in the CLI: regular files inside one root directory, nothing else.
//!
//! why: a scanned repository is untrusted, and its report is often published by CI. A
//! configuration must not be able to pull the CI machine's files or environment into that
//! report: `file("/etc/passwd")`, `file("../../.ssh/id_rsa")`, a symbolic link pointing out of
//! the tree, `/proc/self/environ`, or a FIFO that blocks the scan forever. So every read is
//! resolved (`canonicalize`, which follows every link) and must land inside the root; the
//! target must be a regular file (checked before opening, then again on the opened handle,
//! which is opened non-blocking and without following a last-moment link); and its size is
//! bounded. A refusal names the path, never the content.

use kijun_terraform::{FileSource, ReadError};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Most files one `fileset()` directory listing returns.
const MAX_LISTED: usize = 10_000;

pub struct RootedFiles {
    /// Canonical; a read must land inside one of them.
    roots: Vec<PathBuf>,
    max: u64,
}

/// The project root of a scanned path: the nearest ancestor holding `.git` or `.hg`, else the
/// path itself (its directory, for a file).
pub fn project_root(scanned: &Path) -> PathBuf {
    let start = std::fs::canonicalize(scanned).unwrap_or_else(|_| scanned.to_path_buf());
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    for dir in start.ancestors() {
        if dir.join(".git").exists() || dir.join(".hg").exists() {
            return dir.to_path_buf();
        }
    }
    start
}

/// Lexically normalised absolute form of `p` (`..` removed without touching the disk).
fn lexical(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(target_os = "linux")]
const OPEN_FLAGS: i32 = 0o4000 | 0o400000; // O_NONBLOCK | O_NOFOLLOW
#[cfg(all(unix, not(target_os = "linux")))]
const OPEN_FLAGS: i32 = 0x0004 | 0x0100; // O_NONBLOCK | O_NOFOLLOW (BSD, macOS)

impl RootedFiles {
    /// Reads inside `roots` (the project roots of the scan), files of at most `max` bytes.
    pub fn new(roots: &[PathBuf], max: u64) -> RootedFiles {
        let roots = roots
            .iter()
            .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| lexical(r)))
            .collect();
        RootedFiles { roots, max }
    }

    fn inside(&self, p: &Path) -> bool {
        self.roots.iter().any(|r| p.starts_with(r))
            && ![Path::new("/proc"), Path::new("/dev"), Path::new("/sys")]
                .iter()
                .any(|s| p.starts_with(s))
    }

    /// The canonical path of `path` if it is inside the root.
    fn resolve(&self, path: &str) -> Result<PathBuf, ReadError> {
        let given = Path::new(path);
        let lex = lexical(given);
        // The root itself is not shown: it is a path of the machine running the scan.
        let outside = || {
            ReadError::Refused(kijun_model::text!("{path} はプロジェクトのルートの外にあります（ファイル関数が読むのは検査対象のプロジェクトのファイルだけです）", "{path} is outside the project root (the file functions read only files of the scanned project)"
            ))
        };
        let canon = match std::fs::canonicalize(given) {
            Ok(c) => c,
            // Whether something exists outside the root is not for the report to tell.
            Err(_) if !self.inside(&lex) => return Err(outside()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NotFound),
            Err(e) => return Err(ReadError::Refused(cannot_read(path, &e))),
        };
        if !self.inside(&canon) {
            return Err(if self.inside(&lex) {
                ReadError::Refused(kijun_model::text!(
                    "{path} はシンボリックリンクを通じてプロジェクトのルートの外を指しています",
                    "{path} resolves through a symbolic link to outside the project root"
                ))
            } else {
                outside()
            });
        }
        Ok(canon)
    }
}

/// `path: cannot read: …` in both languages.
fn cannot_read(path: &str, e: &std::io::Error) -> kijun_model::Text {
    kijun_model::text!("{path}: {0}", "{path}: {0}", crate::fsio::cannot_read(e))
}

impl FileSource for RootedFiles {
    fn read_file(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        let canon = self.resolve(path)?;
        let not_regular = || {
            ReadError::Refused(kijun_model::text!("{path} は通常のファイルではない（ディレクトリ、FIFO、ソケットまたはデバイス）ため読み込みませんでした", "{path} is not a regular file (a directory, FIFO, socket or device); not read"
            ))
        };
        let meta = std::fs::symlink_metadata(&canon)
            .map_err(|e| ReadError::Refused(cannot_read(path, &e)))?;
        if !meta.file_type().is_file() {
            return Err(not_regular());
        }
        let too_big = |n: u64| {
            ReadError::Refused(kijun_model::text!("{path} は {n} バイトで、大きさの上限 {}（--max-file-size）を超えているため読み込みませんでした", "{path} is {n} bytes, over the size limit of {} (--max-file-size); not read",
                self.max
            ))
        };
        if meta.len() > self.max {
            return Err(too_big(meta.len()));
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(OPEN_FLAGS);
        }
        let file = opts
            .open(&canon)
            .map_err(|e| ReadError::Refused(cannot_read(path, &e)))?;
        // The file could have been swapped between the check and the open.
        match file.metadata() {
            Ok(m) if m.file_type().is_file() => {}
            _ => return Err(not_regular()),
        }
        let mut bytes = Vec::new();
        file.take(self.max + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Refused(cannot_read(path, &e)))?;
        if bytes.len() as u64 > self.max {
            return Err(too_big(bytes.len() as u64));
        }
        Ok(bytes)
    }

    fn list_files(&self, dir: &str) -> Result<Vec<String>, ReadError> {
        let canon = self.resolve(dir)?;
        if !canon.is_dir() {
            return Err(ReadError::NotFound);
        }
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&canon)
            .follow_links(false)
            .max_depth(32)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let ft = e.file_type();
            // Links are listed; reading one checks where it leads.
            if !(ft.is_file() || ft.is_symlink()) {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&canon) else {
                continue;
            };
            out.push(rel.to_string_lossy().replace('\\', "/"));
            if out.len() >= MAX_LISTED {
                break;
            }
        }
        out.sort();
        Ok(out)
    }
}

/// The file source of a `kijun check`: inside `roots` when given (the scan's project roots,
/// `--root`), else the project root of each scanned path (the current directory's for standard
/// input).
pub fn for_scan(paths: &[String], roots: Option<&[PathBuf]>, max: u64) -> kijun_terraform::Files {
    let roots: Vec<PathBuf> = match roots {
        Some(r) => r.to_vec(),
        None => paths
            .iter()
            .map(|p| project_root(Path::new(if p == "-" { "." } else { p })))
            .collect(),
    };
    kijun_terraform::Files(Some(std::sync::Arc::new(RootedFiles::new(&roots, max))))
}
