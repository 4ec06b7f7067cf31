//! Files given as arguments are judged in their context, not alone.
//!
//! pre-commit passes the staged files, and a user may run `kijun check network.tf`. Terraform is
//! evaluated per module: a VPC's flow log is often in a sibling file, and a security group's CIDR
//! in a variable defined in `variables.tf` and set in `terraform.tfvars`. Kubernetes reasoning
//! crosses files too: a namespace's NetworkPolicies and PodDisruptionBudgets sit beside the
//! workloads. So for every file argument kijun also reads, for context only:
//!
//! - the other files kijun reads in the same directory (the whole Terraform module with its
//!   `.tfvars`; the namespace's other manifests);
//! - for a Terraform file, the directories of the root modules that call its module through a
//!   local `source = "./…"` or `"../…"`, searched from the project root (the nearest directory
//!   above holding `.git` or `.hg`, the scope's), so a called module is evaluated with its caller's
//!   arguments, as a directory scan evaluates it.
//!
//! Context files are read by the same function and rules as the directory walk. The report then
//! keeps only what concerns the files given (their findings, values not evaluated and input
//! errors, and findings about resources they define), so `kijun check FILE` reports, for FILE,
//! what a scan of its directory reports for it.

use crate::fsio;
use kijun_engine::{is_candidate, Document, Outcome};
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// How many `.tf` files the search for callers reads at most: a bound for huge trees.
const MAX_CALLER_SEARCH: usize = 20_000;

/// Adds the context of the file arguments among `args` to `docs` (the documents the arguments
/// gave). Returns the paths to report on when some argument is a file; `None` when all are
/// directories (everything read is reported).
pub fn widen(
    args: &[String],
    docs: &mut Vec<Document>,
    max: u64,
    scope: &fsio::Scope,
) -> Option<BTreeSet<String>> {
    let files: Vec<&Path> = args
        .iter()
        .filter(|a| a.as_str() != "-")
        .map(Path::new)
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return None;
    }
    let report: BTreeSet<String> = docs.iter().map(|d| d.path.clone()).collect();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut terraform: BTreeSet<PathBuf> = BTreeSet::new();
    for f in files {
        let dir = match f.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if is_terraform(f) {
            terraform.insert(dir.clone());
        }
        dirs.insert(dir);
    }
    if !terraform.is_empty() {
        dirs.extend(callers(&terraform, max, scope));
    }
    let mut have: BTreeSet<String> = docs.iter().map(|d| d.path.clone()).collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let shown = fsio::display_path(&p);
            if !p.is_file() || !is_candidate(&shown) || have.contains(&shown) {
                continue;
            }
            have.insert(shown);
            docs.extend(fsio::collect(&p, max, scope, &fsio::Exclude::default()));
        }
    }
    Some(report)
}

fn is_terraform(p: &Path) -> bool {
    let n = p.to_string_lossy();
    [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
        .iter()
        .any(|ext| n.ends_with(ext))
}

/// Directories of the modules that call any of `modules` through a local source, transitively.
fn callers(modules: &BTreeSet<PathBuf>, max: u64, scope: &fsio::Scope) -> BTreeSet<PathBuf> {
    // Every `.tf` file below the project roots, and the local module directories it calls.
    let mut calls: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    // Callers are searched within the project root of each module (the scope's), never above.
    let roots: BTreeSet<PathBuf> = modules
        .iter()
        .filter_map(|m| std::fs::canonicalize(m).ok())
        .filter_map(|m| scope.roots().iter().find(|r| m.starts_with(r)).cloned())
        .collect();
    let mut seen = 0;
    for root in &roots {
        for p in tf_files(root) {
            if seen >= MAX_CALLER_SEARCH {
                break;
            }
            seen += 1;
            let Some(dir) = p.parent() else { continue };
            // why: read like any other file of the walk (size limit, text decoding, and any
            // confinement the walk applies), not with a separate reader.
            for d in fsio::collect(&p, max, scope, &fsio::Exclude::default()) {
                if d.error.is_some() {
                    continue;
                }
                let called: Vec<PathBuf> = local_sources(&d.content)
                    .filter_map(|s| std::fs::canonicalize(dir.join(s)).ok())
                    .collect();
                if !called.is_empty() {
                    calls.push((std::fs::canonicalize(dir).unwrap_or_default(), called));
                }
            }
        }
    }
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    let mut queue: VecDeque<PathBuf> = modules
        .iter()
        .filter_map(|m| std::fs::canonicalize(m).ok())
        .collect();
    while let Some(m) = queue.pop_front() {
        for (caller, called) in &calls {
            if called.contains(&m) && found.insert(caller.clone()) {
                queue.push_back(caller.clone());
            }
        }
    }
    found
}

/// The `.tf` files below `root`, skipping the directories the walk skips.
fn tf_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(16)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !(e.file_type().is_dir() && fsio::skipped_dir(e.path()))
        })
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().ends_with(".tf"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    out.sort();
    out
}

/// The values of `source = "./…"` and `source = "../…"` attributes.
fn local_sources(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let rest = line.trim_start().strip_prefix("source")?;
        let rest = rest.trim_start().strip_prefix('=')?;
        let rest = rest.trim_start().strip_prefix('"')?;
        let value = rest.get(..rest.find('"')?)?;
        (value.starts_with("./") || value.starts_with("../")).then_some(value)
    })
}

/// Keeps what concerns the files in `report`: findings in them or about resources they define,
/// values not evaluated and input errors in them; the summary counts their resources only.
pub fn restrict(outcome: &mut Outcome, report: &BTreeSet<String>) {
    let sources = &outcome.sources;
    let given = |file| report.contains(sources.path(file));
    outcome
        .findings
        .retain(|f| given(f.at.file) || given(f.resource_at.file));
    outcome.not_evaluated.retain(|n| given(n.at.file));
    outcome.errors.retain(|e| given(e.at.file));
    if let Some(fixed) = &mut outcome.baseline_fixed {
        fixed.retain(|(_, _, file)| report.contains(file));
    }
    outcome.files = report.len();
    outcome.resources = outcome
        .resources_by_file
        .iter()
        .filter(|(file, _)| given(**file))
        .map(|(_, n)| n)
        .sum();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_module_sources() {
        let text = "module \"a\" {\n  source = \"./modules/a\"\n}\nmodule \"b\" {\n  source  =  \"../b\"\n}\nmodule \"c\" {\n  source = \"hashicorp/consul/aws\"\n}\n";
        assert_eq!(
            local_sources(text).collect::<Vec<_>>(),
            vec!["./modules/a", "../b"]
        );
    }
}
