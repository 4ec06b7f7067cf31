//! Rules from outside the built-in catalogue: an organisation's own checks (WASM policy
//! plugins, loaded and sandboxed by the CLI). The engine stays pure: it defines the hook
//! ([`ExternalRules`]) and the JSON contract a plugin speaks (request, metadata, findings), and
//! turns what comes back into findings that go through classification, exceptions, baselines and
//! every output format like the catalogue's own. Running the code is the host's business.
//!
//! The contract is documented for plugin authors in `wasm/PLUGINS.md`.

use crate::{classification, exceptions, rule_selected, Classification, NotEvaluatedOut};
use kijun_model::{Model, Node, Resource, Sources, Text, Value};
use kijun_rules::catalogue::{Applies, Docs};
use kijun_rules::{Axis, Hit, Rule, Settings, Severity, Status};
use serde::Deserialize;
use serde_json::{json, Map};
use std::collections::{BTreeMap, HashMap};

/// The version of the plugin ABI and JSON contract described in `wasm/PLUGINS.md`.
pub const PLUGIN_ABI: i32 = 1;

/// The most findings one answer of a plugin may hold. The answer's byte cap alone let a plugin
/// hand over 184,000 findings in 16 MiB, which took SARIF output to 2.5 GB; the answer is read
/// as a stream and refused at the first finding past this.
pub const MAX_FINDINGS_PER_CALL: usize = 10_000;

/// A source of rules the catalogue does not know: one plugin.
pub trait ExternalRules: Send + Sync + std::fmt::Debug {
    /// How reports name this source: the plugin file as the user wrote it.
    fn name(&self) -> &str;
    /// The rules it declares (its metadata). Empty when it declares none: its findings then
    /// take default metadata (see [`default_rule`]).
    fn rules(&self) -> &[Rule];
    /// Checks the resources of one model (one Terraform root, or the scan-wide model of the
    /// other formats). An error stops this source for this model only; the engine reports it
    /// as an input error naming the source and the scan goes on.
    fn check(
        &self,
        resources: &[Resource],
        sources: &Sources,
        settings: &Settings,
    ) -> Result<Vec<ExternalHit>, Text>;
}

/// One finding as a plugin reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalHit {
    pub rule_id: String,
    /// The resource's address, exactly as it was given to the plugin.
    pub address: String,
    /// Dotted path of the offending attribute (`tags`, `versioning.0.enabled`); the finding
    /// points at its value when it exists, else at the resource header.
    pub attribute: Option<String>,
    pub detail: Text,
    /// The value could not be judged: reported under `not_evaluated`, never as a pass.
    pub not_evaluated: bool,
}

/// Can `id` be the id of a plugin's rule (the test `--rule` and `--skip-rule` apply before they
/// accept an id only a plugin could report)?
pub fn valid_plugin_id(id: &str) -> bool {
    check_id(id).is_ok()
}

/// Is `id` free for an organisation's rule: not in the `KJ-` namespace and not the id or name
/// of a built-in rule?
fn check_id(id: &str) -> Result<(), Text> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(kijun_model::text!(
            "規則 ID {id:?} は A–Z、a–z、0–9、'-'、'_'、'.' からなる 1〜64 文字でなければなりません",
            "rule id {id:?} must be 1–64 characters of A–Z, a–z, 0–9, '-', '_' or '.'"
        ));
    }
    if id.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("KJ-")) {
        return Err(kijun_model::text!(
            "規則 ID {id} は kijun の組み込み規則のために予約された KJ- の名前空間にあります",
            "rule id {id} is in the KJ- namespace, which is reserved for kijun's built-in rules"
        ));
    }
    if kijun_rules::catalogue()
        .rules
        .iter()
        .any(|r| r.id == id || r.name == id)
    {
        return Err(kijun_model::text!(
            "規則 ID {id} が組み込み規則と重複しています",
            "rule id {id} collides with a built-in rule"
        ));
    }
    Ok(())
}

/// The metadata a finding takes when its plugin declares none: medium at every level of
/// confidentiality, titled by its id.
pub fn default_rule(id: &str) -> Result<Rule, Text> {
    check_id(id)?;
    Ok(Rule {
        id: id.to_string(),
        name: id.to_string(),
        control: "plugin".into(),
        status: Status::Stable,
        platforms: Vec::new(),
        kinds: Vec::new(),
        articles: Vec::new(),
        applies: Applies {
            axis: Axis::Confidentiality,
            min: 1,
            severity: BTreeMap::from([("1".to_string(), Severity::Medium)]),
        },
        title: Text::new(id, id),
        message: Text::new(id, id),
        remediation: Text::default(),
        docs: Docs::default(),
        check: Vec::new(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetadata {
    rules: Vec<RawRule>,
}

fn confidentiality() -> Axis {
    Axis::Confidentiality
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    articles: Vec<String>,
    severity: BTreeMap<String, Severity>,
    #[serde(default = "confidentiality")]
    axis: Axis,
    #[serde(default)]
    min: Option<u8>,
    #[serde(default)]
    status: Option<Status>,
    title: Text,
    #[serde(default)]
    message: Option<Text>,
    #[serde(default)]
    remediation: Text,
    #[serde(default)]
    platforms: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
}

fn article_ok(a: &str) -> bool {
    !a.is_empty()
        && a.split('-')
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Parses and validates `kijun_plugin_metadata`'s JSON: ids outside the `KJ-` namespace and
/// unique, severities keyed by level, articles as `133-1-1`.
pub fn parse_metadata(text: &str) -> Result<Vec<Rule>, Text> {
    let raw: RawMetadata = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            kijun_model::text!(
                "メタデータの形が想定と異なります: 「{e}」",
                "its metadata is not of the expected shape: {e}"
            )
        } else {
            kijun_model::text!(
                "メタデータが JSON ではありません: 「{e}」",
                "its metadata is not JSON: {e}"
            )
        }
    })?;
    let mut rules: Vec<Rule> = Vec::new();
    for r in raw.rules {
        check_id(&r.id).map_err(|e| kijun_model::text!("メタデータ: {0}", "metadata: {0}", e))?;
        let name = r.name.unwrap_or_else(|| r.id.clone());
        if name != r.id {
            check_id(&name).map_err(|e| {
                kijun_model::text!(
                    "メタデータ: 規則 {0}: name: {1}",
                    "metadata: rule {0}: name: {1}",
                    r.id,
                    e
                )
            })?;
        }
        if rules
            .iter()
            .any(|x| x.id == r.id || x.name == r.id || x.id == name || x.name == name)
        {
            return Err(kijun_model::text!(
                "メタデータ: 規則 {0} が 2 回宣言されています",
                "metadata: rule {0} is declared twice",
                r.id
            ));
        }
        if r.severity.is_empty()
            || !r
                .severity
                .keys()
                .all(|k| matches!(k.as_str(), "1" | "2" | "3"))
        {
            return Err(kijun_model::text!(
                "メタデータ: 規則 {0}: severity のキーはレベル \"1\"、\"2\"、\"3\" でなければなりません（例: {{\"2\": \"medium\", \"3\": \"high\"}}）",
                "metadata: rule {0}: severity needs levels \"1\", \"2\" or \"3\" as keys, e.g. {{\"2\": \"medium\", \"3\": \"high\"}}",
                r.id
            ));
        }
        let min = r.min.unwrap_or(1);
        if !(1..=3).contains(&min) {
            return Err(kijun_model::text!(
                "メタデータ: 規則 {0}: min は 1、2、3 のいずれかでなければなりません",
                "metadata: rule {0}: min must be 1, 2 or 3",
                r.id
            ));
        }
        if let Some(a) = r.articles.iter().find(|a| !article_ok(a)) {
            return Err(kijun_model::text!(
                "メタデータ: 規則 {0}: 条項 {a:?} が 133 や 133-1-1 の形ではありません",
                "metadata: rule {0}: article {a:?} is not of the form 133 or 133-1-1",
                r.id
            ));
        }
        let message = r.message.unwrap_or_else(|| r.title.clone());
        rules.push(Rule {
            id: r.id,
            name,
            control: "plugin".into(),
            status: r.status.unwrap_or(Status::Stable),
            platforms: r.platforms,
            kinds: r.kinds,
            articles: r.articles,
            applies: Applies {
                axis: r.axis,
                min,
                severity: r.severity,
            },
            title: r.title,
            message,
            remediation: r.remediation,
            docs: Docs::default(),
            check: Vec::new(),
        });
    }
    Ok(rules)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    #[serde(deserialize_with = "at_most_max_findings")]
    findings: Vec<RawFinding>,
}

/// How the too-many-findings error is recognised among serde's.
const TOO_MANY: &str = "kijun: too many findings";

/// The findings list, refused as soon as it holds more than [`MAX_FINDINGS_PER_CALL`], before
/// the rest is parsed.
fn at_most_max_findings<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<RawFinding>, D::Error> {
    struct Bounded;
    impl<'de> serde::de::Visitor<'de> for Bounded {
        type Value = Vec<RawFinding>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of findings")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(f) = seq.next_element::<RawFinding>()? {
                if out.len() == MAX_FINDINGS_PER_CALL {
                    return Err(serde::de::Error::custom(TOO_MANY));
                }
                out.push(f);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Bounded)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    rule_id: String,
    address: String,
    #[serde(default)]
    attribute: Option<String>,
    detail: Text,
    #[serde(default)]
    not_evaluated: bool,
}

/// Parses `kijun_check`'s JSON strictly: unknown keys, missing keys, wrong types and trailing
/// data are errors.
pub fn parse_findings(text: &str) -> Result<Vec<ExternalHit>, Text> {
    let raw: RawOutput = serde_json::from_str(text).map_err(|e| {
        if e.is_data() && e.to_string().starts_with(TOO_MANY) {
kijun_model::text!(
                "応答に 1 回の呼び出しの上限 {MAX_FINDINGS_PER_CALL} 件を超える検出結果があります（プラグインは 1 つの問題をリソースごとに 1 回報告します）",
                "its answer holds more than {MAX_FINDINGS_PER_CALL} findings, the limit for one call (a plugin reports each problem once per resource)"
            )
        } else if e.is_data() {
            kijun_model::text!(
                "応答の形が想定と異なります: 「{e}」",
                "its answer is not of the expected shape: {e}"
            )
        } else {
            kijun_model::text!("応答が JSON ではありません: 「{e}」", "its answer is not JSON: {e}")
        }
    })?;
    Ok(raw
        .findings
        .into_iter()
        .map(|f| ExternalHit {
            rule_id: f.rule_id,
            address: f.address,
            attribute: f.attribute.filter(|a| !a.is_empty()),
            detail: f.detail,
            not_evaluated: f.not_evaluated,
        })
        .collect())
}

/// The organisation's settings from kijun.toml, as plugins see them.
pub fn settings_json(s: &Settings) -> serde_json::Value {
    let regions: Map<String, serde_json::Value> = s
        .allowed_regions
        .iter()
        .map(|(c, v)| (c.key().to_string(), json!(v)))
        .collect();
    json!({
        "allowed_regions": regions,
        "gcp_allowed_dual_regions": s.gcp_allowed_dual_regions,
        "admin_ports": s.admin_ports.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
        "public_ports": s.public_ports,
        "admin_cidrs": s.admin_cidrs,
        "ipv6_intended": s.ipv6_intended,
        "min_retention_days": s.min_retention_days,
        "required_tags": s.required_tags,
        "approved_providers": s.approved_providers,
    })
}

fn resource_json(r: &Resource, sources: &Sources) -> serde_json::Value {
    let (line, _, _, _) = sources.position(r.at);
    let attrs: Map<String, serde_json::Value> = r
        .attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let provider = r.provider.as_ref().map(|p| {
        json!({
            "name": p.name,
            "alias": p.alias,
            "region": p.region.as_ref().map(Node::to_json),
            "default_tags": p.default_tags.as_ref().map(Node::to_json),
        })
    });
    json!({
        "platform": r.platform.as_str(),
        "kind": r.kind,
        "address": r.address,
        "module": r.module,
        "file": sources.path(r.at.file),
        "line": line,
        "attrs": attrs,
        "refs": r.refs,
        "provider": provider,
    })
}

/// The request `kijun_check` receives: the resources of one model as plain JSON (values known
/// only after apply become `null`) and the organisation's settings.
pub fn request_json(resources: &[Resource], sources: &Sources, settings: &Settings) -> String {
    let v = json!({
        "version": PLUGIN_ABI,
        "resources": resources.iter().map(|r| resource_json(r, sources)).collect::<Vec<_>>(),
        "settings": settings_json(settings),
    });
    serde_json::to_string(&v).unwrap_or_else(|_| "{}".into())
}

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

/// What [`crate::run_rules`] shares with the external sources while it checks one model.
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
        out: &mut crate::Partial,
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
pub(crate) fn run(mut scope: Scope<'_>, out: &mut crate::Partial) {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
    use super::*;

    #[test]
    fn metadata_is_validated() {
        let ok = r#"{"rules": [{"id": "ORG-001", "articles": ["133-1-1"], "severity": {"2": "medium", "3": "high"},
            "axis": "confidentiality", "min": 2, "title": {"ja": "t", "en": "t"}}]}"#;
        let rules = parse_metadata(ok).unwrap();
        assert_eq!(rules[0].id, "ORG-001");
        assert_eq!(rules[0].name, "ORG-001");
        assert_eq!(rules[0].applies.min, 2);
        assert_eq!(rules[0].applies.severity_at(3), Some(Severity::High));
        let kj = ok.replace("ORG-001", "KJ-E1-999");
        assert!(parse_metadata(&kj).unwrap_err().contains("KJ- namespace"));
        let kj = ok.replace("ORG-001", "kj-x");
        assert!(parse_metadata(&kj).is_err());
        let unknown = ok.replace("\"min\"", "\"minimum\"");
        assert!(parse_metadata(&unknown).is_err());
        let levels = ok.replace("\"2\": \"medium\", \"3\"", "\"4\": \"medium\", \"3\"");
        assert!(parse_metadata(&levels).is_err());
        let twice = r#"{"rules": [
            {"id": "A", "severity": {"1": "low"}, "title": {"ja": "t", "en": "t"}},
            {"id": "A", "severity": {"1": "low"}, "title": {"ja": "t", "en": "t"}}]}"#;
        assert!(parse_metadata(twice).unwrap_err().contains("twice"));
    }

    #[test]
    fn findings_are_parsed_strictly() {
        let ok = r#"{"findings": [{"rule_id": "ORG-001", "address": "a.b", "attribute": "tags",
            "detail": {"ja": "x", "en": "y"}}]}"#;
        let hits = parse_findings(ok).unwrap();
        assert_eq!(hits[0].attribute.as_deref(), Some("tags"));
        assert!(!hits[0].not_evaluated);
        assert!(parse_findings(&ok.replace("\"attribute\"", "\"attr\"")).is_err());
        assert!(parse_findings(&format!("{ok} x")).is_err());
        assert!(parse_findings("{\"findings\": {}}").is_err());
        assert!(parse_findings("[]").is_err());
    }

    #[test]
    fn findings_per_call_are_capped() {
        let one = r#"{"rule_id": "ORG-1", "address": "a.b", "detail": {"ja": "x", "en": "y"}}"#;
        let list = |n: usize| format!("{{\"findings\": [{}]}}", vec![one; n].join(","));
        assert_eq!(
            parse_findings(&list(MAX_FINDINGS_PER_CALL)).unwrap().len(),
            MAX_FINDINGS_PER_CALL
        );
        let e = parse_findings(&list(MAX_FINDINGS_PER_CALL + 1)).unwrap_err();
        assert!(e.contains("more than 10000 findings"), "{}", e.en);
    }

    #[test]
    fn only_ids_a_plugin_may_use_are_valid() {
        assert!(valid_plugin_id("ORG-001"));
        for id in ["KJ-E1-999", "kj-e1-001", "KJ-E1-001", "", "a b"] {
            assert!(!valid_plugin_id(id), "{id:?}");
        }
        // A built-in rule's name is taken too.
        let name = &kijun_rules::catalogue().rules[0].name;
        assert!(!valid_plugin_id(name), "{name}");
    }
}
