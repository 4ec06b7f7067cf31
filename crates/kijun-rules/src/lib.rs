//! The rule catalogue and the checks: metadata from `policies/` (embedded at build time), checks
//! as plain functions over the resource model. No I/O, no presentation: rules produce [`Hit`]s and
//! the engine turns them into findings.

pub mod catalogue;
pub mod coverage;
mod ctx;
pub mod data;
pub mod declarative;
pub mod docs;
pub mod facts;
mod hit;
pub mod registry;
pub mod rules;
pub mod settings;
pub mod util;

pub use catalogue::{Axis, Rule, Severity, Status, CATALOGUE_VERSION, RULEBOOK};
pub use ctx::{strip_instance_key, CheckFn, Ctx};
pub use hit::Hit;
pub use settings::{Cloud, Settings};

use std::collections::HashMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::{ARTICLES, COVERAGE, DATA_FILES, EXAMPLES, RULE_FILES};

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
