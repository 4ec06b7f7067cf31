//! The file functions (`file`, `templatefile`, `fileexists`, `fileset`, `filebase64`,
//! `filemd5`, `filesha1`, `filesha256`, `filesha512`, `filebase64sha256`, `filebase64sha512`).
//!
//! why read ahead: a value read from a file must point into that file (its provenance), so the
//! file has to be among the scan's sources before the rules run, and sources only grow while
//! the project loads. The configuration's text names the files it reads — a literal path,
//! usually under `${path.module}` — so they are read when the module is loaded: the file a
//! literal path names, every file below the literal directory part of a computed path, and the
//! directory a `fileset()` lists. A path computed at evaluation time that was not read ahead is
//! not evaluated, with the reason.
//!
//! What may be read is the [`FileSource`](crate::access::FileSource)'s decision (the CLI:
//! regular files inside the project root); a refusal is kept and reported with the path, never
//! the content. [`ReadAhead`] holds what was read; the functions themselves (`funcs/files.rs`)
//! only look it up.

use crate::access::{Files, ReadError};
use crate::paths::join;
use kijun_model::{FileId, SourceFile, Sources};
use std::collections::HashMap;
use std::sync::Arc;

pub const FILE_FUNCTIONS: &[&str] = &[
    "file",
    "filebase64",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "filebase64sha256",
    "filebase64sha512",
    "templatefile",
    "fileexists",
    "fileset",
];

/// What a configuration file asks to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    File(String),
    /// Every file below the directory (a `fileset()`).
    Dir(String),
    /// The files directly in the directory (a computed path such as
    /// `"${path.module}/keys/${var.name}.pub"`): not its subdirectories, so that a computed
    /// name at the top of a large tree does not read the whole tree.
    Files(String),
}

/// A file read ahead: its source id and bytes, or why it was not read.
pub type Loaded = Result<(FileId, Arc<[u8]>), ReadError>;

/// Files the file functions may read ahead in one scan, and their total size.
const MAX_READ_FILES: usize = 10_000;
const MAX_READ_BYTES: u64 = 256 << 20;

/// The files and directory listings read ahead for the file functions of one scan, by
/// normalised path, and what may still be read.
pub struct ReadAhead {
    /// Where the file functions read ([`crate::Options::files`]).
    files: Files,
    file_cache: HashMap<String, Loaded>,
    dir_cache: HashMap<String, Result<Vec<String>, ReadError>>,
    /// Files and bytes still allowed to be read ahead.
    budget: (usize, u64),
}

impl ReadAhead {
    pub fn new(files: Files) -> ReadAhead {
        ReadAhead {
            files,
            file_cache: HashMap::new(),
            dir_cache: HashMap::new(),
            budget: (MAX_READ_FILES, MAX_READ_BYTES),
        }
    }

    /// Reads what the configuration names ([`wanted`]); each file read becomes a source, so
    /// that values read from it point into it.
    pub fn read(&mut self, sources: &mut Sources, wants: Vec<Want>) {
        let Some(fs) = self.files.0.clone() else {
            return;
        };
        if wants.is_empty() {
            return;
        }
        let mut files: Vec<String> = Vec::new();
        for w in wants {
            // A computed path reads only the files directly in its literal directory.
            let deep = !matches!(w, Want::Files(_));
            match w {
                Want::File(f) => files.push(f),
                Want::Dir(d) | Want::Files(d) => {
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
            if self.budget.0 == 0 {
                self.file_cache.insert(
                    f.clone(),
                    Err(ReadError::Refused(kijun_model::text!("{f}: ファイル関数で読んだファイルが {MAX_READ_FILES} 個を超えました。読み込みませんでした", "{f}: more than {MAX_READ_FILES} files read for the file functions; not read"
                    ))),
                );
                continue;
            }
            self.budget.0 -= 1;
            let loaded = match fs.read_file(&f) {
                Ok(bytes) if bytes.len() as u64 > self.budget.1 => {
                    Err(ReadError::Refused(kijun_model::text!("{f}: ファイル関数で読んだファイルが合計 {MAX_READ_BYTES} バイトを超えました。読み込みませんでした", "{f}: the files read for the file functions exceed {MAX_READ_BYTES} bytes in all; not read"
                    )))
                }
                Ok(bytes) => {
                    self.budget.1 -= bytes.len() as u64;
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

    /// A file read ahead; `None` when it was not named ahead.
    pub fn file(&self, path: &str) -> Option<&Loaded> {
        self.file_cache.get(path)
    }

    /// A directory listed ahead for `fileset()`; `None` when it was not named ahead.
    pub fn dir(&self, dir: &str) -> Option<&Result<Vec<String>, ReadError>> {
        self.dir_cache.get(dir)
    }

    /// Whether the scan has a file source at all.
    pub fn has_files(&self) -> bool {
        self.files.0.is_some()
    }
}

/// The files and directories the text of a configuration file in `dir` names as arguments of
/// file functions. Literal paths are taken relative to `dir`, which is where Terraform resolves
/// them when `dir` is the root module (and where `${path.module}` points in any module).
pub fn wanted(dir: &str, text: &str) -> Vec<Want> {
    let mut out = Vec::new();
    if !text.contains("file") {
        return out;
    }
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('(') {
        let before = text.get(..i).unwrap_or("");
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(|p| p + 1)
            .unwrap_or(0);
        let name = before.get(name_start..).unwrap_or("");
        if !FILE_FUNCTIONS.contains(&name) {
            continue;
        }
        let mut j = i + 1;
        while bytes.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        let rest = text.get(j..).unwrap_or("");
        if name == "fileset"
            && ["path.module", "path.root", "path.cwd"]
                .iter()
                .any(|p| rest.starts_with(p))
        {
            out.push(Want::Dir(dir.to_string()));
            continue;
        }
        let Some(lit) = literal_at(text, j) else {
            continue;
        };
        let Some((base, rel)) = split_base(dir, &lit) else {
            continue;
        };
        let dynamic = rel.find("${");
        match (name, dynamic) {
            ("fileset", None) => out.push(Want::Dir(join(&base, &rel))),
            (_, None) => out.push(Want::File(join(&base, &rel))),
            (_, Some(k)) => {
                let head = rel.get(..k).unwrap_or("");
                let d = head.rfind('/').and_then(|p| head.get(..p)).unwrap_or("");
                out.push(Want::Files(join(&base, if d.is_empty() { "." } else { d })));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The content of the quoted string starting at byte `at`, interpolations included verbatim.
fn literal_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let mut chars = rest.strip_prefix('"')?.chars();
    let mut out = String::new();
    let mut depth = 0u32;
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        match c {
            '\\' if depth == 0 => {
                let n = chars.next()?;
                out.push(match n {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
                prev = n;
                continue;
            }
            '"' if depth == 0 => return Some(out),
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '\n' => return None,
            _ => {}
        }
        out.push(c);
        prev = c;
        if out.len() > 4096 {
            return None;
        }
    }
    None
}

/// (base directory, path relative to it) of a literal path argument.
fn split_base(dir: &str, lit: &str) -> Option<(String, String)> {
    for prefix in ["${path.module}", "${path.root}", "${path.cwd}"] {
        if let Some(rest) = lit.strip_prefix(prefix) {
            return Some((dir.to_string(), rest.trim_start_matches('/').to_string()));
        }
    }
    if lit.starts_with("${") {
        return None;
    }
    if lit.starts_with('/') {
        return Some(("/".into(), lit.to_string()));
    }
    Some((dir.to_string(), lit.to_string()))
}

/// Terraform's `fileset()` pattern syntax: `*` (within a path segment), `**` (any number of
/// segments), `?`, `[class]` and `{alt,ernatives}`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    glob_at(&p, &s, 0)
}

fn glob_at(p: &[char], s: &[char], depth: u32) -> bool {
    if depth > 64 {
        return false;
    }
    match p.first() {
        None => s.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => {
            // `**/` also matches no directory at all.
            let rest = p.get(2..).unwrap_or(&[]);
            let rest_after_slash = rest.strip_prefix(&['/']).unwrap_or(rest);
            if glob_at(rest_after_slash, s, depth + 1) {
                return true;
            }
            (0..=s.len()).any(|k| glob_at(rest, s.get(k..).unwrap_or(&[]), depth + 1))
        }
        Some('*') => {
            let rest = p.get(1..).unwrap_or(&[]);
            for k in 0..=s.len() {
                if glob_at(rest, s.get(k..).unwrap_or(&[]), depth + 1) {
                    return true;
                }
                if s.get(k) == Some(&'/') {
                    break;
                }
            }
            false
        }
        Some('?') => {
            matches!(s.first(), Some(c) if *c != '/')
                && glob_at(
                    p.get(1..).unwrap_or(&[]),
                    s.get(1..).unwrap_or(&[]),
                    depth + 1,
                )
        }
        Some('[') => {
            let Some(end) = p.iter().position(|c| *c == ']') else {
                return false;
            };
            let class = p.get(1..end).unwrap_or(&[]);
            let (neg, class) = match class.first() {
                Some('^') | Some('!') => (true, class.get(1..).unwrap_or(&[])),
                _ => (false, class),
            };
            let Some(c) = s.first() else { return false };
            let mut hit = false;
            let mut i = 0;
            while let Some(x) = class.get(i) {
                if class.get(i + 1) == Some(&'-') && class.get(i + 2).is_some() {
                    let hi = class.get(i + 2).copied().unwrap_or(*x);
                    hit |= *x <= *c && *c <= hi;
                    i += 3;
                } else {
                    hit |= x == c;
                    i += 1;
                }
            }
            hit != neg
                && glob_at(
                    p.get(end + 1..).unwrap_or(&[]),
                    s.get(1..).unwrap_or(&[]),
                    depth + 1,
                )
        }
        Some('{') => {
            let Some(end) = p.iter().position(|c| *c == '}') else {
                return false;
            };
            let inner: String = p.get(1..end).unwrap_or(&[]).iter().collect();
            let rest = p.get(end + 1..).unwrap_or(&[]);
            inner.split(',').any(|alt| {
                let mut q: Vec<char> = alt.chars().collect();
                q.extend_from_slice(rest);
                glob_at(&q, s, depth + 1)
            })
        }
        Some('\\') => match (p.get(1), s.first()) {
            (Some(a), Some(b)) if a == b => glob_at(
                p.get(2..).unwrap_or(&[]),
                s.get(1..).unwrap_or(&[]),
                depth + 1,
            ),
            _ => false,
        },
        Some(c) => {
            s.first() == Some(c)
                && glob_at(
                    p.get(1..).unwrap_or(&[]),
                    s.get(1..).unwrap_or(&[]),
                    depth + 1,
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_paths_are_found() {
        let t = r#"
locals {
  a = jsondecode(file("${path.module}/cidrs.json"))
  b = templatefile("tpl/policy.json.tpl", { bucket = "x" })
  c = file("${path.module}/keys/${var.name}.pub")
  d = fileset(path.module, "*.json")
  e = fileset("${path.module}/conf", "**/*.yaml")
  f = profile("x")
}"#;
        let w = wanted("infra", t);
        assert_eq!(
            w,
            vec![
                Want::File("infra/cidrs.json".into()),
                Want::File("infra/tpl/policy.json.tpl".into()),
                Want::Dir("infra".into()),
                Want::Dir("infra/conf".into()),
                Want::Files("infra/keys".into()),
            ]
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.json", "a.json"));
        assert!(!glob_match("*.json", "d/a.json"));
        assert!(glob_match("**/*.json", "d/e/a.json"));
        assert!(glob_match("**/*.json", "a.json"));
        assert!(glob_match("{a,b}.txt", "b.txt"));
        assert!(glob_match("file[0-9].txt", "file3.txt"));
        assert!(!glob_match("file?.txt", "file10.txt"));
    }
}
