//! Kubernetes manifests: every object (also inside `List` kinds) becomes a resource named
//! `Kind/namespace/name`, with its body as attributes. Scan-wide questions (which namespaces
//! exist, which NetworkPolicies select which pods) are answered by the rules over all objects.

use crate::tree::{get, get_str};
use kijun_model::{FileId, Model, Node, NotEvaluated, Origin, Platform, Resource};
use std::collections::BTreeMap;

/// Cluster-scoped kinds: no namespace in their address.
pub const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "PriorityClass",
    "IngressClass",
    "ClusterIssuer",
    "GatewayClass",
    "APIService",
    "RuntimeClass",
    "VolumeSnapshotClass",
    "CSIDriver",
    "ClusterPolicy",
];

pub fn is_object(root: &Node) -> bool {
    get_str(root, "apiVersion").is_some() && get_str(root, "kind").is_some()
}

/// The namespace an object lives in; objects without one go to the namespace they are applied
/// in, which a manifest cannot say: `default` is what `kubectl apply` uses without `-n`.
pub fn namespace_of(obj: &Node) -> Option<&str> {
    get(obj, "metadata").and_then(|m| get_str(m, "namespace"))
}

fn read_object(obj: &Node, model: &mut Model, depth: u32) {
    if depth > 8 {
        return;
    }
    let (Some(kind), Some(_)) = (get_str(obj, "kind"), get_str(obj, "apiVersion")) else {
        return;
    };
    if kind.ends_with("List") {
        if let Some(items) = get(obj, "items").and_then(|i| i.as_list()) {
            for it in items {
                read_object(it, model, depth + 1);
            }
        }
        return;
    }
    let meta = get(obj, "metadata");
    let name = meta
        .and_then(|m| get_str(m, "name").or_else(|| get_str(m, "generateName")))
        .unwrap_or("(unnamed)");
    let address = match (CLUSTER_SCOPED.contains(&kind), namespace_of(obj)) {
        (true, _) => format!("{kind}/{name}"),
        (false, Some(ns)) => format!("{kind}/{ns}/{name}"),
        (false, None) => format!("{kind}/{name}"),
    };
    // Findings about the object point at its name.
    let at = meta
        .and_then(|m| get(m, "name"))
        .map(|n| n.at)
        .unwrap_or(obj.at);
    let attrs: BTreeMap<String, Node> = obj
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
        .unwrap_or_default();
    model.resources.push(Resource {
        platform: Platform::Kubernetes,
        kind: kind.to_string(),
        address,
        at,
        attrs,
        provider: None,
        refs: Vec::new(),
        module: String::new(),
        inline_exceptions: Vec::new(),
    });
}

/// Reads every object of one parsed document.
pub fn read(root: &Node, model: &mut Model) {
    read_object(root, model, 0);
}

/// An unrendered Helm template (`{{ … }}` outside comments) cannot be judged: say so, and
/// how to scan the rendered output instead.
///
/// why: `{{` alone is not a template. CloudFormation writes dynamic references as
/// `{{resolve:ssm:…}}` (and scripts in `UserData` may hold `{{`), GitHub Actions and Azure
/// Pipelines write expressions as `${{ … }}`, and descriptions quote placeholders in backticks;
/// those files are read as they are.
pub fn helm_template(file: FileId, text: &str) -> Option<NotEvaluated> {
    if is_other_yaml_format(text) {
        return None;
    }
    let pos = text
        .lines()
        .scan(0usize, |off, line| {
            let start = *off;
            *off += line.len() + 1;
            Some((start, line))
        })
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .find_map(|(s, l)| {
            l.match_indices("{{")
                .find(|(i, _)| {
                    let before = l.get(..*i).unwrap_or_default();
                    let after = l.get(i + 2..).unwrap_or_default();
                    // `${{ … }}` is a workflow expression, `{{resolve:…}}` a CloudFormation
                    // dynamic reference, and `{{…}}` between backticks a placeholder in
                    // documentation text (`projects/{{project}}`).
                    !before.ends_with('$')
                        && !after.starts_with("resolve:")
                        && before.matches('`').count() % 2 == 0
                })
                .map(|(i, _)| s + i)
        })?;
    Some(NotEvaluated {
        at: Origin::new(file, pos, pos + 2),
        resource: None,
        kind: None,
        rule_id: None,
        reason: kijun_model::text!(
            "レンダリングされていない Helm テンプレートのため評価できませんでした。レンダリングした出力を検査してください（例: `helm template . | kijun check - --stdin-format kubernetes`）",
            "unrendered Helm template: render it and scan the output, e.g. `helm template . | kijun check - --stdin-format kubernetes`"
        ),
    })
}

/// Not a Kubernetes manifest: no `apiVersion:`/`kind:` line, or a CloudFormation template
/// (`AWSTemplateFormatVersion`, a top-level `Resources:`) or a CI workflow or action (top-level
/// `jobs:` or `runs:`, whose scripts may hold `{{`). Helm charts template Kubernetes objects,
/// which have `apiVersion` and `kind` and none of the other keys.
fn is_other_yaml_format(text: &str) -> bool {
    let kubernetes = text.lines().any(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with("apiVersion:") || t.starts_with("kind:")
    });
    // why: a file with neither `apiVersion:` nor `kind:` templates no Kubernetes object (a
    // terraform-docs configuration, a release-notes template); it is not ours to report.
    !kubernetes
        || text.lines().any(|l| {
            ["AWSTemplateFormatVersion", "Resources:", "jobs:", "runs:"]
                .iter()
                .any(|k| l.starts_with(k))
        })
}
