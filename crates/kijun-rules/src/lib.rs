//! The rule catalogue and the checks: metadata from `policies/` (embedded at build time), checks
//! as plain functions over the resource model. No I/O, no presentation: rules produce [`Hit`]s and
//! the engine turns them into findings.

pub mod catalogue;
pub mod coverage;
pub mod data;
pub mod declarative;
pub mod docs;
pub mod facts;
pub mod registry;
pub mod rules;
pub mod settings;
pub mod util;

pub use catalogue::{Axis, Rule, Severity, Status};
pub use settings::{Cloud, Settings};

/// Version of the catalogue and its data files (a date: the day they were last revised).
pub const CATALOGUE_VERSION: &str = "2026-11-26";
/// The rulebook edition the citations refer to.
pub const RULEBOOK: &str = "情報セキュリティ細則 (令和8.3.27制定, 令和8年4月1日施行)";

use kijun_model::{Node, Origin, Provenance, Resource, Text};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::{ARTICLES, COVERAGE, DATA_FILES, EXAMPLES, RULE_FILES};

/// One violation (or one value that could not be judged) found by a check.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Where the finding points: the offending value, or the resource header when the
    /// attribute is missing.
    pub at: Origin,
    /// What exactly is wrong, in both languages: "`encrypted` is false".
    pub detail: Text,
    /// How the value got there (variable, local, module input).
    pub from: Option<Arc<Provenance>>,
    /// The value cannot be known: reported under `not_evaluated`, never as a pass.
    pub not_evaluated: bool,
    /// Applies only from this level of the rule's axis up (e.g. customer-managed keys at 3).
    pub min_level: Option<u8>,
}

impl Hit {
    /// A finding on a value that is set and wrong.
    pub fn value(node: &Node, detail: Text) -> Hit {
        Hit {
            at: node.at,
            detail,
            from: node.from.clone(),
            not_evaluated: false,
            min_level: None,
        }
    }

    /// A finding on a resource whose attribute is missing; points at the resource header.
    pub fn missing(r: &Resource, detail: Text) -> Hit {
        Hit {
            at: r.at,
            detail,
            from: None,
            not_evaluated: false,
            min_level: None,
        }
    }

    /// A value the scan cannot know; reported as not evaluated.
    pub fn unknown(node: &Node, attr: &str) -> Hit {
        let reason = match &node.value {
            kijun_model::Value::Unknown(u) => (*u.reason).clone(),
            _ => Text::default(),
        };
        Hit {
            at: node.at,
            detail: kijun_model::text!(
                "`{attr}` の値を静的に決定できません（{0}）",
                "`{attr}` cannot be determined statically ({0})",
                reason
            ),
            from: node.from.clone(),
            not_evaluated: true,
            min_level: None,
        }
    }

    /// The same hit, reported as not evaluated (a default or value the scan cannot judge).
    pub fn not_evaluated(h: Hit) -> Hit {
        Hit {
            not_evaluated: true,
            ..h
        }
    }

    pub fn at_level(mut self, level: u8) -> Hit {
        self.min_level = Some(level);
        self
    }
}

/// Everything a check may look at besides the resource itself.
pub struct Ctx<'a> {
    pub resources: &'a [Resource],
    pub settings: &'a Settings,
    /// The typed data files of `policies/data/`.
    pub data: &'static data::Data,
    by_kind: HashMap<&'a str, Vec<usize>>,
    /// Kubernetes workloads by namespace, built on first use.
    workloads: OnceLock<HashMap<String, Vec<usize>>>,
    /// The scan date `YYYY-MM-DD` (`--now`); `None`: the catalogue date.
    now: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(resources: &'a [Resource], settings: &'a Settings) -> Ctx<'a> {
        let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            by_kind.entry(r.kind.as_str()).or_default().push(i);
        }
        Ctx {
            resources,
            settings,
            data: data::data(),
            by_kind,
            workloads: OnceLock::new(),
            now: None,
        }
    }

    /// The same context judging dated facts as of `now` (`YYYY-MM-DD`, the scan date).
    pub fn with_now(mut self, now: Option<String>) -> Ctx<'a> {
        self.now = now;
        self
    }

    /// The scan date `YYYY-MM-DD` dated facts are judged against: `--now`, or the catalogue
    /// date when the caller gives none (the pure crates read no clock).
    pub fn today(&self) -> &str {
        self.now.as_deref().unwrap_or(CATALOGUE_VERSION)
    }

    /// The Kubernetes workloads of namespace `ns`, in scan order.
    /// why: rules that look at a workload's neighbours asked every resource of the scan for
    /// each workload, which made large manifests quadratic.
    pub fn workloads_in(&self, ns: &str) -> impl Iterator<Item = &'a Resource> + '_ {
        let index = self.workloads.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, r) in self.resources.iter().enumerate() {
                if facts::k8s::is_workload(r) {
                    m.entry(facts::k8s::namespace(r).to_string())
                        .or_default()
                        .push(i);
                }
            }
            m
        });
        index
            .get(ns)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.resources.get(i))
    }

    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &'a Resource> + '_ {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.resources.get(i))
    }

    /// Resources of `kind` that refer to `target` (the graph edge "which `aws_flow_log` points
    /// at this VPC?"). References name resources without their instance key.
    pub fn referring_to(&self, kind: &str, target: &Resource) -> Vec<&'a Resource> {
        let base = strip_instance_key(&target.address);
        self.of_kind(kind)
            .filter(|r| r.refs.iter().any(|x| x == base || x == &target.address))
            .collect()
    }
}

/// `aws_vpc.main[0]` → `aws_vpc.main`; `module.a[1].aws_vpc.main` keeps the module's key.
pub fn strip_instance_key(address: &str) -> &str {
    if address.ends_with(']') {
        if let Some(i) = address.rfind('[') {
            return address.get(..i).unwrap_or(address);
        }
    }
    address
}

/// A check written in Rust: pushes a hit for every violation on `r`.
pub type CheckFn = fn(&Ctx, &Resource, &mut Vec<Hit>);

/// The parsed catalogue, sorted by id. Parse failures are collected for the invariant tests.
pub struct Catalogue {
    pub rules: Vec<Rule>,
    pub errors: Vec<String>,
    /// Positions in `rules` by the exact kinds they name.
    by_kind: HashMap<String, Vec<usize>>,
    /// (prefix, position) for kinds written with a trailing `*` (`aws_*`).
    by_prefix: Vec<(String, usize)>,
}

impl Catalogue {
    fn new(rules: Vec<Rule>, errors: Vec<String>) -> Catalogue {
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_prefix = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for k in &r.kinds {
                match k.strip_suffix('*') {
                    Some(prefix) => by_prefix.push((prefix.to_string(), i)),
                    None => by_kind.entry(k.clone()).or_default().push(i),
                }
            }
        }
        Catalogue {
            rules,
            errors,
            by_kind,
            by_prefix,
        }
    }

    /// Positions in `rules` of the rules that apply to resources of `kind`, ascending, each
    /// once: what [`Rule::applies_to_kind`] says, looked up rather than asked of every rule.
    pub fn rules_for_kind(&self, kind: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.by_kind.get(kind).cloned().unwrap_or_default();
        out.extend(
            self.by_prefix
                .iter()
                .filter(|(p, _)| kind.starts_with(p.as_str()))
                .map(|(_, i)| *i),
        );
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.rules.get(i))
    }
}

pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in embedded::RULE_JSON {
            match catalogue::parse_rule_json(name, text) {
                Ok(r) => {
                    if format!("{}.toml", r.id) != *name {
                        errors.push(format!("{name}: id {} does not match the file name", r.id));
                    }
                    rules.push(r)
                }
                Err(e) => errors.push(e),
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Catalogue::new(rules, errors)
    })
}

/// For each rule of the catalogue (by position), the resources of `ctx` it applies to, in
/// scan order; empty for rules that apply to none.
/// why: asking each of the catalogue's rules about each kind present in each root module was
/// most of the string comparisons of a scan; the catalogue's kind index answers per kind.
pub fn resources_per_rule(ctx: &Ctx) -> Vec<Vec<usize>> {
    let cat = catalogue();
    let mut per_rule: Vec<Vec<usize>> = vec![Vec::new(); cat.rules.len()];
    for (kind, ix) in &ctx.by_kind {
        for r in cat.rules_for_kind(kind) {
            if let Some(v) = per_rule.get_mut(r) {
                v.extend_from_slice(ix);
            }
        }
    }
    for v in &mut per_rule {
        v.sort_unstable();
    }
    per_rule
}

/// Runs one rule over the given resources (indices into `ctx.resources`, in scan order).
pub fn run_rule_on(rule: &Rule, ctx: &Ctx, indices: &[usize], out: &mut Vec<(usize, Hit)>) {
    let check = registry::lookup(&rule.id);
    for (i, r) in indices
        .iter()
        .filter_map(|&i| ctx.resources.get(i).map(|r| (i, r)))
    {
        let mut hits = Vec::new();
        for d in &rule.check {
            if d.kinds.iter().any(|k| k == &r.kind) {
                declarative::run(d, r, &mut hits);
            }
        }
        if let Some(f) = check {
            f(ctx, r, &mut hits);
        }
        out.extend(hits.into_iter().map(|h| (i, h)));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
    use super::*;

    /// The kind index gives exactly the rules `applies_to_kind` accepts, for every kind the
    /// catalogue names, kinds only a wildcard covers, and kinds no rule covers.
    #[test]
    fn kind_index_agrees_with_applies_to_kind() {
        let cat = catalogue();
        let mut kinds: Vec<String> = cat.rules.iter().flat_map(|r| r.kinds.clone()).collect();
        kinds.extend(
            [
                "aws_made_up_resource",
                "google_x",
                "azurerm_y",
                "Deployment",
                "",
                "zzz",
            ]
            .map(String::from),
        );
        for k in &mut kinds {
            if let Some(p) = k.strip_suffix('*') {
                *k = format!("{p}anything");
            }
        }
        for kind in &kinds {
            let want: Vec<usize> = (0..cat.rules.len())
                .filter(|&i| cat.rules[i].applies_to_kind(kind))
                .collect();
            assert_eq!(cat.rules_for_kind(kind), want, "kind {kind}");
        }
    }
}
