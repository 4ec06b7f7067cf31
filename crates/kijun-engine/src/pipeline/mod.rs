//! The pipeline: parse every document into the resource model, run the catalogue and the
//! external rules over each model, then sort, merge, classify and apply exceptions.

mod merge;
mod register;
mod run_info;
mod scope;

use crate::detection::{detect, read_document, Format};
use crate::findings::make_finding;
use crate::{baseline, classification, exceptions};
use crate::{
    rule_selected, Classification, Document, Finding, FindingStatus, NotEvaluatedOut, Options,
    Outcome,
};
use kijun_model::{InputError, Model, NotEvaluated, Origin, SourceFile, Sources};
use kijun_rules::{catalogue, Ctx};
use kijun_terraform::Loader;
use merge::{merge_findings, settle_origins};
use register::apply_exceptions;

/// The file system of documents (path, bytes) for the Terraform file functions.
pub fn terraform_files(
    docs: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> kijun_terraform::Files {
    kijun_terraform::Files(Some(std::sync::Arc::new(
        kijun_terraform::DocumentFiles::new(docs),
    )))
}

pub fn check(docs: Vec<Document>, loader: &dyn Loader, opts: &Options) -> Outcome {
    let mut sources = Sources::new();
    let mut tf_files = Vec::new();
    let mut other = Vec::new();
    let files = docs.len();
    let mut errors = Vec::new();
    for d in docs {
        let fmt = detect(&d.path, &d.content);
        let id = sources.add(SourceFile::new(d.path, d.content));
        if let Some((offset, message)) = d.error {
            errors.push(InputError {
                at: Origin {
                    file: id,
                    start: offset,
                    end: offset,
                },
                message,
            });
            continue;
        }
        match fmt {
            Some(Format::Terraform) => tf_files.push(id),
            Some(f) => other.push((id, f)),
            None => {}
        }
    }
    let group_location =
        kijun_terraform::project::assumption_nodes(&mut sources, &opts.terraform.assume)
            .remove("azure_resource_group_location");
    // Non-Terraform documents form one scan-wide model: Kubernetes reasoning (namespaces and
    // their NetworkPolicies) crosses files.
    // They are parsed in parallel and joined in file order, so the result does not depend on
    // the number of threads.
    let read_one = |(id, f): &(kijun_model::FileId, Format)| -> Model {
        match sources.get(*id) {
            Some(src) => read_document(*id, *f, &src.text, opts, group_location.as_ref()),
            None => Model::default(),
        }
    };
    #[cfg(feature = "parallel")]
    let parsed: Vec<Model> = {
        use rayon::prelude::*;
        other.par_iter().map(read_one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let parsed: Vec<Model> = other.iter().map(read_one).collect();
    let mut wide = Model::default();
    for m in parsed {
        wide.extend(m);
    }
    let mut project =
        kijun_terraform::Project::load_deferred(&mut sources, &tf_files, loader, &opts.terraform);
    // why: references never cross Terraform root modules, so each root is evaluated and checked
    // on its own and its resources dropped before the next: memory follows the largest root,
    // not the repository, and roots run in parallel. Roots no module calls are even parsed
    // inside that step (deferred), so their syntax trees never pile up either.
    let deferred: Vec<(String, Vec<kijun_model::FileId>)> = project.deferred().to_vec();
    let mut done: std::collections::BTreeMap<String, Partial> = std::collections::BTreeMap::new();
    let mut pending: Vec<&(String, Vec<kijun_model::FileId>)> = deferred.iter().collect();
    for pass in 0..2 {
        let run = |(dir, files): &&(String, Vec<kijun_model::FileId>)| {
            let mut d = project.eval_deferred(&sources, dir, files);
            // A call to a directory not loaded yet: load it, then evaluate again.
            let part = if d.unloaded.is_empty() || pass > 0 {
                d.model.take().map(|m| run_rules(m, &sources, opts))
            } else {
                None
            };
            (d, part)
        };
        #[cfg(feature = "parallel")]
        let results: Vec<_> = {
            use rayon::prelude::*;
            pending.par_iter().map(run).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let results: Vec<_> = pending.iter().map(run).collect();
        let mut again = Vec::new();
        let mut need = Vec::new();
        for (entry, (d, part)) in pending.iter().zip(results) {
            project.record_deferred(&entry.0, &d);
            match part {
                Some(p) => {
                    let mut p = p;
                    p.errors.extend(d.errors);
                    done.insert(entry.0.clone(), p);
                }
                None if d.root && !d.unloaded.is_empty() && pass == 0 => {
                    need.extend(d.unloaded);
                    again.push(*entry);
                }
                None => {
                    let p = Partial {
                        errors: d.errors,
                        ..Partial::default()
                    };
                    done.insert(entry.0.clone(), p);
                }
            }
        }
        if again.is_empty() {
            break;
        }
        project.load_more(&mut sources, loader, &need);
        pending = again;
    }
    let roots = project.settle();
    let eager: Vec<&String> = roots.iter().filter(|r| !done.contains_key(*r)).collect();
    let per_root = |r: &&String| -> Partial {
        let model = project.eval_root(r);
        run_rules(model, &sources, opts)
    };
    #[cfg(feature = "parallel")]
    let eager_parts: Vec<Partial> = {
        use rayon::prelude::*;
        eager.par_iter().map(per_root).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let eager_parts: Vec<Partial> = eager.iter().map(per_root).collect();
    for (r, p) in eager.into_iter().zip(eager_parts) {
        done.insert(r.clone(), p);
    }
    errors.extend(project.errors.iter().cloned());
    // Parts in root order, as when every root was evaluated in one pass; a deferred directory
    // that turned out not to be a root keeps only its errors.
    let mut parts: Vec<Partial> = Vec::with_capacity(done.len());
    for r in &roots {
        if let Some(mut p) = done.remove(r) {
            p.root = Some(r.clone());
            parts.push(p);
        }
    }
    for (_, p) in done {
        errors.extend(p.errors);
    }
    drop(project);
    let all = Partial {
        errors,
        ..Partial::default()
    };
    parts.push(run_rules(wide, &sources, opts));
    finish(sources, all, parts, files, opts)
}

/// Findings of one part of a scan, before sorting.
#[derive(Default)]
pub struct Partial {
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluatedOut>,
    pub errors: Vec<InputError>,
    pub resources: usize,
    /// Resources by the file that defines them (see [`Outcome::resources_by_file`]).
    pub resources_by_file: std::collections::BTreeMap<kijun_model::FileId, usize>,
    /// Failures of external rule sources: (source name, message); they become input errors
    /// located at the source's file when the outcome is packed.
    pub plugin_errors: Vec<(String, kijun_model::Text)>,
    /// The Terraform root module (directory) this part evaluated, if any.
    pub root: Option<String>,
    /// Resources of modules this part evaluated (header, address): which roots reach a module
    /// resource, so that a finding on it can name the roots where it does not fail.
    pub module_resources: Vec<(Origin, String)>,
}

/// Input errors in report order (file path, offset, message), each once. Also for errors a
/// caller adds after the scan (the CLI's refused module directories).
pub fn sort_errors(errors: &mut Vec<InputError>, sources: &Sources) {
    errors.sort_by(|a, b| {
        (sources.path(a.at.file), a.at.start, &a.message).cmp(&(
            sources.path(b.at.file),
            b.at.start,
            &b.message,
        ))
    });
    errors.dedup();
}

/// ARM resource types are case-insensitive; rules name them in their documented spelling.
fn canonical_arm_kinds(model: &mut Model) {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static KINDS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        catalogue()
            .rules
            .iter()
            .flat_map(|r| r.kinds.iter())
            .filter(|k| k.contains('/'))
            .map(|k| (k.to_ascii_lowercase(), k.clone()))
            .collect()
    });
    for r in model
        .resources
        .iter_mut()
        .filter(|r| r.platform == kijun_model::Platform::Arm)
    {
        if let Some(k) = kinds.get(&r.kind.to_ascii_lowercase()) {
            if *k != r.kind {
                r.kind = k.clone();
            }
        }
    }
}

/// Runs the selected rules over one model (one Terraform root, or a scan-wide model) and turns
/// hits into findings.
pub fn run_rules(mut model: Model, sources: &Sources, opts: &Options) -> Partial {
    canonical_arm_kinds(&mut model);
    let ctx = Ctx::new(&model.resources, &opts.settings).with_now(opts.now.map(|d| d.to_string()));
    let lang = opts.lang;
    let mut classes: Vec<Option<Classification>> = vec![None; model.resources.len()];
    let mut resources_by_file = std::collections::BTreeMap::new();
    for r in &model.resources {
        *resources_by_file.entry(r.at.file).or_insert(0) += 1;
    }
    let mut out = Partial {
        resources: model.resources.len(),
        resources_by_file,
        errors: model.errors.clone(),
        not_evaluated: model
            .not_evaluated
            .iter()
            .map(|n: &NotEvaluated| NotEvaluatedOut {
                rule_id: n.rule_id.clone(),
                at: n.at,
                resource: n.resource.clone(),
                kind: n.kind.clone(),
                reason: n.reason.get(lang).to_string(),
            })
            .collect(),
        findings: Vec::new(),
        plugin_errors: Vec::new(),
        root: None,
        module_resources: model
            .resources
            .iter()
            .filter(|r| !r.module.is_empty())
            .map(|r| (r.at, r.address.clone()))
            .collect(),
    };
    let namespaces = classification::namespace_annotations(&model.resources);
    let mut inline: Vec<Option<Vec<exceptions::InlineRef>>> = vec![None; model.resources.len()];
    let mut scope = scope::Scope {
        model: &model,
        sources,
        opts,
        namespaces: &namespaces,
        classes: &mut classes,
        inline: &mut inline,
    };
    let mut hits = Vec::new();
    let per_rule = kijun_rules::resources_per_rule(&ctx);
    for (rule, indices) in catalogue().rules.iter().zip(&per_rule) {
        if indices.is_empty() || !rule_selected(rule, opts) {
            continue;
        }
        hits.clear();
        kijun_rules::run_rule_on(rule, &ctx, indices, &mut hits);
        for (idx, hit) in &hits {
            scope.record(rule, *idx, hit, &mut out, |r, class, severity| {
                make_finding(rule, r, class, severity, hit, sources, lang)
            });
        }
    }
    scope::run(scope, &mut out);
    // why: a root's findings wait until every root is done; the spare capacity of their
    // vectors would wait with them.
    out.findings.shrink_to_fit();
    out.not_evaluated.shrink_to_fit();
    out
}

/// (rank of the file's path, (line, column, end line, end column)): computed once per entry
/// for sorting.
type SortKey = (u32, (u32, u32, u32, u32));

/// Sorts (file, line, column, rule), removes duplicates (a module file reached from several
/// roots), and packs the outcome.
pub fn finish(
    mut sources: Sources,
    mut all: Partial,
    parts: Vec<Partial>,
    files: usize,
    opts: &Options,
) -> Outcome {
    let lang = opts.lang;
    // why: files are compared by path; ranking the paths once keeps string comparisons (and a
    // copy of the path per finding) out of sorting tens of thousands of entries.
    let mut by_path: Vec<(&str, kijun_model::FileId)> = sources
        .iter()
        .map(|(id, f)| (f.path.as_str(), id))
        .collect();
    by_path.sort();
    let mut rank: Vec<u32> = vec![0; sources.len()];
    for (i, (_, id)) in by_path.iter().enumerate() {
        if let Some(slot) = rank.get_mut(*id as usize) {
            *slot = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    let key = |at: Origin| {
        (
            rank.get(at.file as usize).copied().unwrap_or(u32::MAX),
            sources.position(at),
        )
    };
    // why: the parts' findings go straight into the one vector that is sorted, each part freed
    // as it is moved; joining them first held every finding twice at the end of a large scan.
    let head = Partial {
        findings: std::mem::take(&mut all.findings),
        not_evaluated: std::mem::take(&mut all.not_evaluated),
        ..Partial::default()
    };
    let parts: Vec<Partial> = std::iter::once(head).chain(parts).collect();
    // why: findings are a few hundred bytes each; sorting (key, index) pairs and moving each
    // finding once into place moves far less memory than sorting the findings themselves.
    let mut slots: Vec<Finding> = Vec::with_capacity(parts.iter().map(|p| p.findings.len()).sum());
    let mut ne: Vec<(SortKey, NotEvaluatedOut)> =
        Vec::with_capacity(parts.iter().map(|p| p.not_evaluated.len()).sum());
    // Which roots evaluate each module resource, and which roots could not evaluate a rule on
    // it: a merged finding names the roots where it does not fail.
    let mut reached: std::collections::HashMap<(Origin, String), Vec<String>> =
        std::collections::HashMap::new();
    let mut unevaluated: std::collections::HashSet<(String, String, String)> =
        std::collections::HashSet::new();
    for mut p in parts {
        if let Some(root) = p.root.take() {
            for f in p.findings.iter_mut() {
                // Only a module resource can be reached from several roots; a root's own
                // resources belong to that root alone.
                if f.resource.starts_with("module.") {
                    f.roots = vec![root.clone()];
                    for r in f.related.iter_mut() {
                        r.roots = vec![root.clone()];
                    }
                }
            }
            for key in std::mem::take(&mut p.module_resources) {
                reached.entry(key).or_default().push(root.clone());
            }
            for n in &p.not_evaluated {
                if let (Some(rule), Some(res)) = (&n.rule_id, &n.resource) {
                    unevaluated.insert((rule.clone(), res.clone(), root.clone()));
                }
            }
        }
        slots.extend(p.findings);
        ne.extend(p.not_evaluated.into_iter().map(|n| (key(n.at), n)));
        all.errors.extend(p.errors);
        all.resources += p.resources;
        for (file, n) in p.resources_by_file {
            *all.resources_by_file.entry(file).or_insert(0) += n;
        }
        all.plugin_errors.extend(p.plugin_errors);
    }
    let mut order: Vec<(SortKey, usize)> = slots
        .iter()
        .enumerate()
        .map(|(i, f)| (key(f.at), i))
        .collect();
    let at = |i: usize| slots.get(i);
    fn tie(f: Option<&Finding>) -> Option<(&str, &str)> {
        f.map(|f| (&*f.rule_id, f.resource.as_str()))
    }
    fn rest(f: Option<&Finding>) -> Option<(&str, &[String])> {
        f.map(|f| (f.message.as_str(), f.roots.as_slice()))
    }
    order.sort_by(|(ka, ia), (kb, ib)| {
        (ka.0, ka.1 .0, ka.1 .1)
            .cmp(&(kb.0, kb.1 .0, kb.1 .1))
            .then_with(|| tie(at(*ia)).cmp(&tie(at(*ib))))
            .then_with(|| (ka.1 .2, ka.1 .3).cmp(&(kb.1 .2, kb.1 .3)))
            .then_with(|| rest(at(*ia)).cmp(&rest(at(*ib))))
    });
    // One finding per (rule, location, resource): the same module resource reached from several
    // roots, or one rule saying two things about one value, is one line of the report.
    let mut merges: Vec<(usize, usize)> = Vec::new();
    order.dedup_by(|(_, dup), (_, keep)| match (at(*dup), at(*keep)) {
        (Some(a), Some(b)) => {
            let same = a.rule_id == b.rule_id && a.at == b.at && a.resource == b.resource;
            if same {
                merges.push((*keep, *dup));
            }
            same
        }
        _ => false,
    });
    merge_findings(&mut slots, &merges);
    for f in slots.iter_mut() {
        settle_origins(f, &sources, lang);
        if !f.roots.is_empty() {
            if let Some(all_roots) = reached.get(&(f.resource_at, f.resource.clone())) {
                let mut passing: Vec<String> = all_roots
                    .iter()
                    .filter(|r| f.roots.binary_search(r).is_err())
                    .filter(|r| {
                        !unevaluated.contains(&(
                            f.rule_id.to_string(),
                            f.resource.clone(),
                            (*r).clone(),
                        ))
                    })
                    .cloned()
                    .collect();
                passing.sort();
                passing.dedup();
                f.passing_roots = passing;
            }
            // A module only one root reaches: naming that root beside each origin says
            // nothing the location does not.
            if f.roots.len() + f.passing_roots.len() < 2 {
                f.related.iter_mut().for_each(|r| r.roots.clear());
            }
        }
    }
    ne.sort_by(|(ka, a), (kb, b)| {
        (ka, &a.rule_id, &a.resource, &a.reason).cmp(&(kb, &b.rule_id, &b.resource, &b.reason))
    });
    ne.dedup_by(|(_, a), (_, b)| {
        a.at == b.at && a.rule_id == b.rule_id && a.resource == b.resource && a.reason == b.reason
    });
    // Move the kept findings into sorted order in place (following the permutation's cycles),
    // the duplicates to the end, and cut those off.
    let mut dest: Vec<usize> = vec![usize::MAX; slots.len()];
    for (pos, (_, i)) in order.iter().enumerate() {
        if let Some(d) = dest.get_mut(*i) {
            *d = pos;
        }
    }
    for (next, d) in (order.len()..).zip(dest.iter_mut().filter(|d| **d == usize::MAX)) {
        *d = next;
    }
    for i in 0..slots.len() {
        while let Some(&j) = dest.get(i) {
            if j == i || j >= slots.len() {
                break;
            }
            slots.swap(i, j);
            dest.swap(i, j);
        }
    }
    slots.truncate(order.len());
    let mut findings = slots;
    for (name, message) in std::mem::take(&mut all.plugin_errors) {
        let file = match sources.find(&name) {
            Some(id) => id,
            None => sources.add(SourceFile::new(name.clone(), "")),
        };
        all.errors.push(InputError {
            at: Origin {
                file,
                start: 0,
                end: 0,
            },
            message: kijun_model::text!("プラグイン {name}: {0}", "plugin {name}: {0}", message),
        });
    }
    let ledger = apply_exceptions(&mut sources, &mut findings, &mut all.errors, opts);
    let baseline_fixed = opts.baseline.as_ref().map(|b| {
        let mut current = std::collections::BTreeSet::new();
        for f in findings.iter_mut() {
            let fp = baseline::fingerprint(f, &sources);
            if f.status == FindingStatus::Failed && b.fingerprints.contains(&fp) {
                f.status = FindingStatus::Baselined;
            }
            current.insert(fp);
        }
        b.entries
            .iter()
            .filter(|e| !current.contains(&e.3))
            .map(|e| (e.0.clone(), e.1.clone(), e.2.clone()))
            .collect()
    });
    sort_errors(&mut all.errors, &sources);
    Outcome {
        resources: all.resources,
        resources_by_file: all.resources_by_file,
        sources,
        findings,
        ledger,
        baseline_fixed,
        not_evaluated: ne.into_iter().map(|(_, n)| n).collect(),
        errors: all.errors,
        files,
        lang,
        run: run_info::info(opts),
        assumptions: opts.terraform.assume.items.clone(),
    }
}
