//! File discovery and reading. Never follows symbolic links into loops, never executes anything,
//! and turns unreadable or non-text files into input errors instead of stopping the scan.

use kijun_engine::{is_candidate, Document, Loader};
use std::path::{Path, PathBuf};

/// Directories never descended into: VCS metadata, downloaded Terraform modules (read only
/// through `.terraform/modules/modules.json` when a root calls them) and dependency caches.
const SKIP_DIRS: &[&str] = &[
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

/// Text of a file; invalid UTF-8 is an error at the first bad byte, NUL bytes mark a binary file.
pub fn decode(path: String, bytes: Vec<u8>) -> Document {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let text = String::from_utf8_lossy(bytes.get(..pos).unwrap_or(&[])).into_owned();
        return Document {
            path,
            content: text,
            error: Some((
                pos as u32,
                "binary file (contains a NUL byte); not read".into(),
            )),
        };
    }
    match String::from_utf8(bytes) {
        Ok(s) => Document::new(path, s),
        Err(e) => {
            let pos = e.utf8_error().valid_up_to();
            let content = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Document {
                path,
                content,
                error: Some((pos as u32, format!("invalid UTF-8 at byte {pos}; not read"))),
            }
        }
    }
}

fn read(path: &Path, max: u64) -> Document {
    let shown = display_path(path);
    let fail = |message: String| Document {
        path: shown.clone(),
        content: String::new(),
        error: Some((0, message)),
    };
    // Metadata follows symbolic links: a link to a file is read like the file (Terraform does);
    // a dangling link or a loop of links is an error.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    if !meta.is_file() {
        // why: reading a FIFO blocks forever and a device never ends.
        return fail("not a regular file (a FIFO, socket or device); not read".into());
    }
    if meta.len() > max {
        return fail(format!(
            "file is {} bytes, over the size limit of {max}; not read",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    let read = std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, max + 1), &mut bytes));
    match read {
        // The file grew after it was measured.
        Ok(_) if bytes.len() as u64 > max => fail(format!(
            "file is over the size limit of {max} bytes; not read"
        )),
        Ok(_) => decode(shown, bytes),
        Err(e) => fail(format!("cannot read: {e}")),
    }
}

/// Every file kijun reads below `root` (or `root` itself), in sorted order.
pub fn collect(root: &Path, max: u64) -> Vec<Document> {
    if root.is_file() {
        return vec![read(root, max)];
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
                        error: Some((0, format!("cannot read directory: {err}"))),
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
    let mut docs: Vec<Document> = paths.par_iter().map(|p| read(p, max)).collect();
    docs.extend(unreadable);
    docs
}

/// Module directories outside the scanned paths, read on demand.
pub struct FsLoader;

impl Loader for FsLoader {
    fn module_files(&self, dir: &str) -> Vec<(String, String)> {
        let Ok(rd) = std::fs::read_dir(dir) else {
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
                let d = read(&p, 64 << 20);
                d.error.is_none().then_some((d.path, d.content))
            })
            .collect()
    }

    fn read(&self, path: &str) -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.len() > 16 << 20 {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }
}
