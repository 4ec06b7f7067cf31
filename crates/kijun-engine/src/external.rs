//! Rules from outside the built-in catalogue: an organisation's own checks (WASM policy
//! plugins, loaded and sandboxed by the CLI). The engine stays pure: it defines the hook
//! ([`ExternalRules`]) and the JSON contract a plugin speaks (request, metadata, findings), and
//! turns what comes back into findings that go through classification, exceptions, baselines and
//! every output format like the catalogue's own. Running the code is the host's business.
//!
//! The contract is documented for plugin authors in `wasm/PLUGINS.md`.

use kijun_model::{Node, Resource, Sources, Text};
use kijun_rules::catalogue::{Applies, Docs};
use kijun_rules::{Axis, Rule, Settings, Severity, Status};
use serde::Deserialize;
use serde_json::{json, Map};
use std::collections::BTreeMap;

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
