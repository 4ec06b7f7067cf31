#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The memory-saving paths give exactly what the straightforward ones give: Terraform roots
//! parsed and evaluated one at a time (`Project::load_deferred`) against every directory parsed
//! up front (`Project::load`), and the JSON report written element by element against the
//! value tree pretty-printed.

use crate::common;

use kijun::engine::{self, Options};
use kijun::model::{SourceFile, Sources};
use kijun::terraform::{NoLoader, Project};

fn terraform_sources(dirs: &[&str]) -> (Sources, Vec<u32>) {
    let mut sources = Sources::new();
    let mut ids = Vec::new();
    for dir in dirs {
        for d in common::docs_in(dir) {
            if engine::detect(&d.path, &d.content) == Some(engine::Format::Terraform) {
                ids.push(sources.add(SourceFile::new(d.path, d.content)));
            }
        }
    }
    (sources, ids)
}

#[test]
fn deferred_roots_match_eager_loading() {
    for dirs in [&["fixtures"][..], &["examples"], &["fixtures", "examples"]] {
        let (mut eager_src, ids) = terraform_sources(dirs);
        let opts = kijun::terraform::Options::default();
        let eager = Project::load(&mut eager_src, &ids, &common::RepoLoader, &opts);

        let (mut src, ids) = terraform_sources(dirs);
        let mut lazy = Project::load_deferred(&mut src, &ids, &common::RepoLoader, &opts);
        let deferred = lazy.deferred().to_vec();
        assert!(!deferred.is_empty(), "{dirs:?}: nothing deferred");
        let mut models = std::collections::BTreeMap::new();
        let mut errors = Vec::new();
        for (dir, files) in &deferred {
            let mut d = lazy.eval_deferred(&src, dir, files);
            if !d.unloaded.is_empty() && lazy.load_more(&mut src, &common::RepoLoader, &d.unloaded)
            {
                d = lazy.eval_deferred(&src, dir, files);
            }
            lazy.record_deferred(dir, &d);
            errors.extend(d.errors.iter().map(|e| format!("{e:?}")));
            if let Some(m) = d.model {
                models.insert(
                    dir.clone(),
                    format!("{:?}", (m.resources, m.errors, m.not_evaluated)),
                );
            }
        }
        let roots = lazy.settle();
        assert_eq!(roots, eager.roots(), "{dirs:?}: roots differ");
        for r in &roots {
            let want = eager.eval_root(r);
            let want = format!("{:?}", (want.resources, want.errors, want.not_evaluated));
            let got = match models.remove(r) {
                Some(m) => m,
                None => {
                    let m = lazy.eval_root(r);
                    format!("{:?}", (m.resources, m.errors, m.not_evaluated))
                }
            };
            assert!(got == want, "{dirs:?}: root {r} evaluates differently");
        }
        let mut want_errors: Vec<String> = eager.errors.iter().map(|e| format!("{e:?}")).collect();
        errors.extend(lazy.errors.iter().map(|e| format!("{e:?}")));
        errors.sort();
        want_errors.sort();
        assert_eq!(errors, want_errors, "{dirs:?}: errors differ");
    }
}

#[test]
fn streamed_json_report_is_the_pretty_printed_tree() {
    for dir in ["examples", "fixtures"] {
        let o = common::run(common::docs_in(dir), &Options::default());
        let mut want = serde_json::to_string_pretty(&engine::json::to_json(&o)).unwrap();
        want.push('\n');
        assert!(
            engine::json::render(&o) == want,
            "{dir}: streamed JSON differs"
        );
    }
}

#[test]
fn no_loader_needed_when_modules_are_scanned() {
    // A root calling a module inside the scan: nothing is loaded through the loader.
    let mut sources = Sources::new();
    let a = sources.add(SourceFile::new(
        "env/main.tf",
        "module \"m\" {\n  source = \"../mod\"\n}\n",
    ));
    let b = sources.add(SourceFile::new(
        "mod/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\n",
    ));
    let opts = kijun::terraform::Options::default();
    let p = Project::load_deferred(&mut sources, &[a, b], &NoLoader, &opts);
    let deferred: Vec<&str> = p.deferred().iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(deferred, ["env"]);
    let d = p.eval_deferred(&sources, "env", &[a]);
    assert!(d.unloaded.is_empty());
    assert_eq!(d.model.unwrap().resources.len(), 1);
}
