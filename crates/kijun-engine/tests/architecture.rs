#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // why: test code may fail loudly
//! The layering that `docs/architecture.md` promises, checked on the sources: inside each
//! library crate, the top-level modules import one another without cycles, so each can be read,
//! tested and changed from the bottom up.
//!
//! The graph is read from the text: `crate::m…` paths (including `use crate::{a, b::c}` groups),
//! and in `lib.rs` the paths `m::…` to its own modules. An item defined in `lib.rs` belongs to the
//! module `lib`; an item `lib.rs` re-exports with `pub use m::…` belongs to `m`. Comments,
//! `mod` declarations, re-exports and `#[cfg(test)]` modules are not dependencies.

#[path = "support/repo.rs"]
mod repo;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn module_graphs_have_no_cycles() {
    let crates = repo::root().join("crates");
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut edges: Vec<String> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&crates)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for name in names {
        let src = crates.join(&name).join("src");
        if !src.join("lib.rs").is_file() {
            continue;
        }
        let g = graph(&src);
        if std::env::var_os("KIJUN_PRINT_GRAPH").is_some() {
            eprintln!("{name}: {g:?}");
        }
        for c in cycles(&g) {
            for m in &c {
                let to: Vec<&String> = g[m].iter().filter(|t| c.contains(t)).collect();
                edges.push(format!("{name}: {m} → {to:?}"));
            }
            found.push((name.clone(), c));
        }
    }
    assert!(
        found.is_empty(),
        "module cycles (break them; docs/architecture.md says what may import what): {found:?}\nedges inside the cycles:\n{}",
        edges.join("\n")
    );
}

#[test]
fn the_reader_sees_a_cycle_and_its_absence() {
    let dir = std::env::temp_dir().join(format!("kijun-arch-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "pub mod a;\npub mod b;\nmod c;\npub use a::{\n    Other,\n    Thing,\n};\npub use other::Limits;\npub struct Opts;\nfn f() { c::go(); }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("a.rs"),
        "// crate::c is only named in a comment\nuse crate::{Opts, b::inner::X, Limits};\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests {\n    use crate::c;\n}\nfn after() { crate::b::f(); }\n",
    )
    .unwrap();
    std::fs::write(src.join("b.rs"), "pub mod inner;\n").unwrap();
    std::fs::write(src.join("b/inner.rs"), "use crate::Thing;\n").unwrap();
    std::fs::write(src.join("c.rs"), "pub fn go() {}\n").unwrap();
    let g = graph(&src);
    assert_eq!(g["a"], BTreeSet::from(["b".to_string(), "lib".to_string()]));
    assert_eq!(g["b"], BTreeSet::from(["a".to_string()]));
    assert_eq!(g["lib"], BTreeSet::from(["c".to_string()]));
    assert_eq!(cycles(&g), vec![vec!["a".to_string(), "b".to_string()]]);
    std::fs::write(src.join("b/inner.rs"), "pub struct X;\n").unwrap();
    assert!(cycles(&graph(&src)).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The import graph of one crate's top-level modules.
fn graph(src: &Path) -> Graph {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for line in code(&lib).lines() {
        let l = line.trim();
        let decl = l
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ");
        if let Some(m) = decl.strip_prefix("mod ") {
            modules.insert(ident(m));
        }
    }
    // Statements, not lines: a `pub use m::{…};` group may span several lines.
    for stmt in code(&lib).split(';') {
        let l = stmt.split_whitespace().collect::<Vec<_>>().join(" ");
        let rest = ["pub use ", "pub(crate) use "]
            .iter()
            .find_map(|p| l.find(p).map(|i| &l[i + p.len()..]));
        if let Some(rest) = rest {
            let Some((m, items)) = rest.split_once("::") else {
                continue;
            };
            // An item of another crate re-exported here is no dependency inside this one.
            let m = if modules.contains(m) { m } else { "" };
            let items = items.trim().trim_start_matches('{').trim_end_matches('}');
            for item in items.split(',') {
                let last = item.trim().rsplit("::").next().unwrap_or("");
                let name = last.split(" as ").last().unwrap_or("").trim();
                if !name.is_empty() {
                    reexports.insert(name.to_string(), m.to_string());
                }
            }
        }
    }
    let owner = |first: &str| -> Option<String> {
        if modules.contains(first) {
            Some(first.to_string())
        } else if let Some(m) = reexports.get(first) {
            (!m.is_empty()).then(|| m.clone())
        } else {
            Some("lib".to_string())
        }
    };
    let mut g: Graph = BTreeMap::new();
    for path in files(src) {
        let rel = path.strip_prefix(src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let top = if top == "main" {
            "lib".to_string()
        } else {
            top
        };
        let text = code(&std::fs::read_to_string(&path).unwrap());
        let mut deps = BTreeSet::new();
        deps.extend(crate_paths(&text).iter().filter_map(|f| owner(f)));
        if top == "lib" {
            // The crate root names its modules without `crate::`.
            for line in text.lines() {
                let l = line.trim_start();
                if [
                    "pub use ",
                    "pub(crate) use ",
                    "mod ",
                    "pub mod ",
                    "pub(crate) mod ",
                ]
                .iter()
                .any(|p| l.starts_with(p))
                {
                    continue;
                }
                for m in &modules {
                    if mentions_path(l, m) {
                        deps.insert(m.clone());
                    }
                }
            }
        }
        deps.remove(&top);
        g.entry(top).or_default().extend(deps);
    }
    g
}

/// The first segment of every `crate::…` path in `text`, groups included.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `kijun_crate::` or the like
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            for part in split_top(&group[..end]) {
                let first = ident(part.trim());
                if !first.is_empty() && first != "self" {
                    out.push(first);
                }
            }
        } else {
            let first = ident(rest);
            if !first.is_empty() {
                out.push(first);
            }
        }
    }
    out
}

fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

fn split_top(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn mentions_path(line: &str, m: &str) -> bool {
    let pat = format!("{m}::");
    line.match_indices(&pat).any(|(i, _)| {
        !line[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// The text without comments and without `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            // Skip the attributes after it; a `mod` item then is skipped to its closing brace.
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            if j < lines.len() && lines[j].trim_start().starts_with("mod ") {
                let mut depth = 0i32;
                let mut opened = false;
                while j < lines.len() {
                    for c in lines[j].chars() {
                        match c {
                            '{' => {
                                depth += 1;
                                opened = true;
                            }
                            '}' => depth -= 1,
                            _ => {}
                        }
                    }
                    j += 1;
                    if opened && depth <= 0 || !opened && lines[j - 1].trim_end().ends_with(';') {
                        break;
                    }
                }
                i = j;
                continue;
            }
        }
        if !t.starts_with("//") {
            out.push_str(lines[i].split(" // ").next().unwrap_or(""));
            out.push('\n');
        }
        i += 1;
    }
    out
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// Strongly connected components of more than one module, each sorted, in sorted order.
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    // Reachability is enough at this size (tens of modules): two modules share a cycle when each
    // reaches the other.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(v) = stack.pop() {
            for w in g.get(&v).into_iter().flatten() {
                if seen.insert(w.clone()) {
                    stack.push(w.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|k| (k, reach(k))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for (k, r) in &reaches {
        if !r.contains(*k) {
            continue;
        }
        let scc: Vec<String> = reaches
            .iter()
            .filter(|(o, ro)| r.contains(**o) && ro.contains(*k))
            .map(|(o, _)| (*o).clone())
            .collect();
        if !out.contains(&scc) {
            out.push(scc);
        }
    }
    out.sort();
    out
}
