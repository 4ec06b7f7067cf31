//! One model's checking scope: classification and inline exception references computed once
//! per resource, and the grading that built-in and external rules share; the external rule
//! sources (WASM plugins) run here after the catalogue.

use crate::external::default_rule;
use crate::{classification, exceptions, rule_selected, Classification, NotEvaluatedOut};
use kijun_model::{Model, Node, Resource, Sources, Value};
use kijun_rules::{Hit, Rule, Severity};
use std::collections::{BTreeMap, HashMap};

/// Follows a dotted path through objects; on a list, a number picks an element and anything
/// else looks in the first.
fn attribute<'a>(r: &'a Resource, path: &str) -> Option<&'a Node> {
    let mut parts = path.split('.');
    let mut node = r.attrs.get(parts.next()?)?;
    for p in parts {
        node = match &node.value {
            Value::List(v) => match p.parse::<usize>() {
                Ok(i) => v.get(i)?,
                Err(_) => v.first()?.child(p)?,
            },
            _ => node.child(p)?,
        };
    }
    Some(node)
}

/// What [`super::run_rules`] shares with the external sources while it checks one model.
pub(crate) struct Scope<'a> {
    pub model: &'a Model,
    pub sources: &'a Sources,
    pub opts: &'a crate::Options,
    pub namespaces: &'a HashMap<String, Node>,
    pub classes: &'a mut [Option<Classification>],
    pub inline: &'a mut [Option<Vec<exceptions::InlineRef>>],
}

impl Scope<'_> {
    /// Turns one hit of `rule` on resource `idx` into a finding or a not-evaluated item, as the
    /// resource's classification (computed once per resource), the rule's threshold and its
    /// severity table decide; `make` builds the finding. Built-in and external rules both come
    /// through here, so they are graded alike.
    pub(crate) fn record(
        &mut self,
        rule: &Rule,
        idx: usize,
        hit: &Hit,
        out: &mut super::Partial,
        make: impl FnOnce(&Resource, &Classification, Severity) -> crate::Finding,
    ) {
        let (Some(r), Some(slot)) = (self.model.resources.get(idx), self.classes.get_mut(idx))
        else {
            return;
        };
        let (sources, opts) = (self.sources, self.opts);
        let class = slot.get_or_insert_with(|| {
            classification::classify(r, sources.path(r.at.file), opts, self.namespaces)
        });
        let level = class.level(rule.applies.axis);
        if level < rule.applies.min.max(hit.min_level.unwrap_or(0)) {
            return;
        }
        let Some(severity) = rule.applies.severity_at(level) else {
            return;
        };
        if hit.not_evaluated {
            out.not_evaluated.push(NotEvaluatedOut {
                rule_id: Some(rule.id.clone()),
                at: hit.at,
                resource: Some(r.address.clone()),
                kind: Some(r.kind.clone()),
                reason: hit.detail.get(opts.lang).to_string(),
            });
            return;
        }
        if opts.severity_threshold.is_some_and(|t| severity < t) {
            return;
        }
        let mut f = make(r, class, severity);
        if let Some(refs) = self.inline.get_mut(idx) {
            f.inline = refs
                .get_or_insert_with(|| exceptions::inline_refs(r, sources))
                .clone();
        }
        out.findings.push(f);
    }
}

/// Runs every external source over one model and adds its findings to `out`; a failing source
/// adds an error naming it instead.
pub(crate) fn run(mut scope: Scope<'_>, out: &mut super::Partial) {
    let (model, sources, opts) = (scope.model, scope.sources, scope.opts);
    if opts.extra_rules.is_empty() {
        return;
    }
    let lang = opts.lang;
    let mut by_address: HashMap<&str, usize> = HashMap::new();
    for (i, r) in model.resources.iter().enumerate() {
        by_address.entry(r.address.as_str()).or_insert(i);
    }
    for ext in &opts.extra_rules {
        let declared = ext.rules();
        if !declared.is_empty() && !declared.iter().any(|r| rule_selected(r, opts)) {
            continue;
        }
        let hits = match ext.check(&model.resources, sources, &opts.settings) {
            Ok(h) => h,
            Err(e) => {
                out.plugin_errors.push((ext.name().to_string(), e));
                continue;
            }
        };
        // Every finding is validated before any is kept: a plugin's answer is taken whole or
        // not at all.
        let mut defaults: BTreeMap<String, Rule> = BTreeMap::new();
        let mut problem = None;
        for h in &hits {
            if !by_address.contains_key(h.address.as_str()) {
                problem = Some(kijun_model::text!(
                    "{0} を {1:?} について報告しましたが、渡したリソースの中にありません",
                    "reported {0} on {1:?}, which is not among the resources it was given",
                    h.rule_id,
                    h.address
                ));
                break;
            }
            if declared.iter().any(|r| r.id == h.rule_id) || defaults.contains_key(&h.rule_id) {
                continue;
            }
            if !declared.is_empty() {
                problem = Some(kijun_model::text!(
                    "メタデータで宣言していない規則 {0} を報告しました",
                    "reported rule {0}, which its metadata does not declare",
                    h.rule_id
                ));
                break;
            }
            match default_rule(&h.rule_id) {
                Ok(r) => {
                    defaults.insert(h.rule_id.clone(), r);
                }
                Err(e) => {
                    problem = Some(e);
                    break;
                }
            }
        }
        if let Some(p) = problem {
            out.plugin_errors.push((ext.name().to_string(), p));
            continue;
        }
        for h in hits {
            let Some(rule) = declared
                .iter()
                .find(|r| r.id == h.rule_id)
                .or_else(|| defaults.get(&h.rule_id))
            else {
                continue;
            };
            if !rule_selected(rule, opts) {
                continue;
            }
            let Some(&idx) = by_address.get(h.address.as_str()) else {
                continue;
            };
            let Some(r) = model.resources.get(idx) else {
                continue;
            };
            let node = h.attribute.as_deref().and_then(|a| attribute(r, a));
            let hit = Hit {
                at: node.map(|n| n.at).unwrap_or(r.at),
                detail: h.detail,
                from: node.and_then(|n| n.from.clone()),
                not_evaluated: h.not_evaluated,
                min_level: None,
            };
            scope.record(rule, idx, &hit, out, |r, class, severity| {
                crate::finding_texts_owned(rule, r, class, severity, &hit, sources, lang, true)
            });
        }
    }
}
