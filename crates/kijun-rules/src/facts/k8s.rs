//! Reading Kubernetes objects: where a workload keeps its pod spec and containers, an object's
//! namespace, annotations and labels, and label-selector matching. Shared by the Kubernetes
//! rules (KJ-*-1xx) so that every rule finds pods, containers and selectors the same way.
//!
//! Objects come from `kijun_formats::kubernetes`: `attrs` are the object's top-level keys
//! (`metadata`, `spec`, `data`, …), `address` is `Kind/namespace/name`.

use crate::Ctx;
use kijun_model::{format_number, Node, Resource, Value};

/// Kinds that run pods: the Pod itself and the controllers that stamp out pods from a template.
pub const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

/// The HorizontalPodAutoscaler of the scan that targets this workload, if any.
pub fn autoscaler<'a>(ctx: &Ctx<'a>, r: &Resource) -> Option<&'a Resource> {
    let name = name(r)?;
    let ns = namespace(r);
    ctx.of_kind("HorizontalPodAutoscaler").find(|h| {
        let target = h.get("spec").and_then(|s| s.child("scaleTargetRef"));
        namespace(h) == ns
            && target
                .and_then(|t| t.child("kind"))
                .and_then(|k| k.as_str())
                == Some(&r.kind)
            && target
                .and_then(|t| t.child("name"))
                .and_then(|k| k.as_str())
                == Some(name)
    })
}

/// The fewest pods a Deployment or StatefulSet runs: its autoscaler's `minReplicas` (default 1)
/// when one in the scan targets it, else `spec.replicas` (default 1). `None` when not known.
pub fn replica_floor(ctx: &Ctx, r: &Resource) -> Option<f64> {
    if let Some(hpa) = autoscaler(ctx, r) {
        return match hpa.get("spec").and_then(|s| s.child("minReplicas")) {
            None => Some(1.0),
            Some(m) if m.is_null() => Some(1.0),
            Some(m) => m.as_f64(),
        };
    }
    match r
        .get("spec")
        .and_then(|s| s.child("replicas"))
        .filter(|n| !n.is_null())
    {
        None => Some(1.0),
        Some(n) => n.as_f64(),
    }
}

pub fn is_workload(r: &Resource) -> bool {
    WORKLOAD_KINDS.contains(&r.kind.as_str())
}

/// The pod template of a workload controller (`spec.template`, or for a CronJob
/// `spec.jobTemplate.spec.template`); `None` for a Pod and for other kinds.
pub fn pod_template(r: &Resource) -> Option<&Node> {
    let spec = r.get("spec")?;
    match r.kind.as_str() {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => spec.child("template"),
        "CronJob" => spec.child("jobTemplate")?.child("spec")?.child("template"),
        _ => None,
    }
}

/// The PodSpec of a workload: a Pod's `spec`; `spec.template.spec` for Deployment,
/// StatefulSet, DaemonSet, ReplicaSet, ReplicationController and Job;
/// `spec.jobTemplate.spec.template.spec` for a CronJob.
pub fn pod_spec(r: &Resource) -> Option<&Node> {
    match r.kind.as_str() {
        "Pod" => r.get("spec").filter(|n| n.as_object().is_some()),
        _ => pod_template(r)?
            .child("spec")
            .filter(|n| n.as_object().is_some()),
    }
}

/// The labels the workload's pods carry: a Pod's `metadata.labels`, else the template's.
pub fn pod_labels(r: &Resource) -> Option<&Node> {
    match r.kind.as_str() {
        "Pod" => r.get("metadata")?.child("labels"),
        _ => pod_template(r)?.child("metadata")?.child("labels"),
    }
}

/// Every container of a PodSpec: `containers`, `initContainers` and `ephemeralContainers`.
pub fn containers(spec: &Node) -> Vec<&Node> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|k| spec.as_object()?.get(*k))
        .flat_map(|list| list.items())
        .filter(|c| c.as_object().is_some())
        .collect()
}

/// `metadata.<key>` of an object.
pub fn meta<'a>(r: &'a Resource, key: &str) -> Option<&'a Node> {
    r.get("metadata")?.as_object()?.get(key)
}

pub fn name(r: &Resource) -> Option<&str> {
    meta(r, "name").and_then(|n| n.as_str())
}

/// The namespace an object lives in. An object without `metadata.namespace` lands in the
/// namespace it is applied to, which a manifest cannot tell: `default` is what
/// `kubectl apply` uses without `-n`.
pub fn namespace(r: &Resource) -> &str {
    meta(r, "namespace")
        .and_then(|n| n.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
}

/// One annotation (`metadata.annotations.<key>`); keys are exact, as in the API.
pub fn annotation<'a>(r: &'a Resource, key: &str) -> Option<&'a Node> {
    meta(r, "annotations")?.as_object()?.get(key)
}

/// The text of an annotation or label value (the API stores strings; a manifest may write an
/// unquoted number or boolean, which `kubectl` rejects, but we still read it as written).
pub fn annotation_text(r: &Resource, key: &str) -> Option<String> {
    annotation(r, key).and_then(scalar_text)
}

/// The text of a scalar: strings as they are, numbers without ".0", booleans as `true`/`false`.
pub fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The API group of an object's `apiVersion` (`cert-manager.io` of `cert-manager.io/v1`; the
/// empty string for the core group `v1`).
pub fn api_group(r: &Resource) -> &str {
    match r.get("apiVersion").and_then(|n| n.as_str()) {
        Some(v) => v.rsplit_once('/').map(|(g, _)| g).unwrap_or(""),
        None => "",
    }
}

/// A LabelSelector with neither `matchLabels` nor `matchExpressions` entries: it selects
/// every pod of the namespace. An absent selector is not empty here; callers decide what
/// absence means for their field.
pub fn selector_is_empty(sel: &Node) -> bool {
    match &sel.value {
        Value::Object(m) => {
            let none = |k: &str| {
                m.get(k).is_none_or(|v| match &v.value {
                    Value::Object(o) => o.is_empty(),
                    Value::List(l) => l.is_empty(),
                    Value::Null => true,
                    _ => false,
                })
            };
            none("matchLabels") && none("matchExpressions")
        }
        _ => false,
    }
}

/// Whether a LabelSelector selects pods carrying `labels` (the requirements of `matchLabels`
/// and `matchExpressions` are ANDed; an empty selector selects everything). `None` when the
/// selector uses something this reading does not understand (an unknown operator).
pub fn selector_matches(sel: &Node, labels: Option<&Node>) -> Option<bool> {
    let m = sel.as_object()?;
    let label = |k: &str| -> Option<String> {
        labels
            .and_then(|l| l.as_object())
            .and_then(|o| o.get(k))
            .and_then(scalar_text)
    };
    if let Some(ml) = m.get("matchLabels").and_then(|v| v.as_object()) {
        for (k, v) in ml {
            if label(k) != scalar_text(v) {
                return Some(false);
            }
        }
    }
    for e in m
        .get("matchExpressions")
        .map(|v| v.items())
        .unwrap_or_default()
    {
        let key = e.child("key").and_then(|k| k.as_str())?;
        let op = e.child("operator").and_then(|k| k.as_str())?;
        let values: Vec<String> = e
            .child("values")
            .map(|v| v.items().into_iter().filter_map(scalar_text).collect())
            .unwrap_or_default();
        let have = label(key);
        let ok = match op {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => have.is_none_or(|h| !values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => return None,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

/// Builders for unit tests of the Kubernetes rules (the rules crate cannot parse YAML).
/// Which directions a NetworkPolicy isolates. why: per the NetworkPolicy API, when
/// `policyTypes` is absent Ingress always applies and Egress applies only if the policy has an
/// `egress` section.
pub fn policy_types(np: &Resource) -> (bool, bool) {
    let spec = np.get("spec");
    let listed = spec.and_then(|s| s.child("policyTypes"));
    match listed {
        Some(l) if !l.is_null() => {
            let (types, _) = l.strings();
            (
                types.iter().any(|(t, _)| *t == "Ingress"),
                types.iter().any(|(t, _)| *t == "Egress"),
            )
        }
        _ => (
            true,
            spec.and_then(|s| s.child("egress"))
                .is_some_and(|e| !e.is_null()),
        ),
    }
}

/// A NetworkPolicy whose `podSelector` selects every pod of its namespace. The field is a
/// plain (non-pointer) LabelSelector in the API, so an absent one is the empty selector.
pub fn selects_all_pods(np: &Resource) -> bool {
    match np.get("spec").and_then(|s| s.child("podSelector")) {
        None => true,
        Some(sel) if sel.is_null() => true,
        Some(sel) => selector_is_empty(sel),
    }
}

/// Type of the long-lived service-account token Secret (judged by KJ-C7-101).
pub const SA_TOKEN: &str = "kubernetes.io/service-account-token";

#[cfg(test)]
pub(crate) mod build {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use kijun_model::{Node, Origin, Platform, Resource, Value};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    pub fn at() -> Origin {
        Origin::new(0, 0, 0)
    }

    pub fn obj(pairs: Vec<(&str, Node)>) -> Node {
        let m: BTreeMap<Arc<str>, Node> =
            pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect();
        Node::new(Value::Object(m.into()), at())
    }

    pub fn s(v: &str) -> Node {
        Node::string(v, at())
    }

    pub fn n(v: f64) -> Node {
        Node::new(Value::Number(v), at())
    }

    pub fn b(v: bool) -> Node {
        Node::new(Value::Bool(v), at())
    }

    pub fn list(v: Vec<Node>) -> Node {
        Node::new(Value::List(v), at())
    }

    pub fn resource(kind: &str, attrs: Vec<(&str, Node)>) -> Resource {
        Resource {
            platform: Platform::Kubernetes,
            kind: kind.to_string(),
            address: format!("{kind}/x"),
            at: at(),
            attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::build::*;
    use super::*;

    #[test]
    fn cronjob_pod_spec_and_containers() {
        let pod = obj(vec![
            ("containers", list(vec![obj(vec![("name", s("a"))])])),
            ("initContainers", list(vec![obj(vec![("name", s("b"))])])),
        ]);
        let r = resource(
            "CronJob",
            vec![(
                "spec",
                obj(vec![(
                    "jobTemplate",
                    obj(vec![(
                        "spec",
                        obj(vec![("template", obj(vec![("spec", pod)]))]),
                    )]),
                )]),
            )],
        );
        let spec = pod_spec(&r).unwrap();
        assert_eq!(containers(spec).len(), 2);
    }

    #[test]
    fn selectors() {
        let labels = obj(vec![("app", s("web")), ("tier", s("front"))]);
        let empty = obj(vec![]);
        assert!(selector_is_empty(&empty));
        assert_eq!(selector_matches(&empty, Some(&labels)), Some(true));
        let ml = obj(vec![("matchLabels", obj(vec![("app", s("web"))]))]);
        assert_eq!(selector_matches(&ml, Some(&labels)), Some(true));
        let other = obj(vec![("matchLabels", obj(vec![("app", s("db"))]))]);
        assert_eq!(selector_matches(&other, Some(&labels)), Some(false));
        let expr = obj(vec![(
            "matchExpressions",
            list(vec![obj(vec![
                ("key", s("tier")),
                ("operator", s("In")),
                ("values", list(vec![s("front"), s("back")])),
            ])]),
        )]);
        assert_eq!(selector_matches(&expr, Some(&labels)), Some(true));
        let notin = obj(vec![(
            "matchExpressions",
            list(vec![obj(vec![
                ("key", s("tier")),
                ("operator", s("NotIn")),
                ("values", list(vec![s("front")])),
            ])]),
        )]);
        assert_eq!(selector_matches(&notin, Some(&labels)), Some(false));
    }
}

/// The Kubernetes workloads of namespace `ns`, in scan order.
/// why: rules that look at a workload's neighbours asked every resource of the scan for each
/// workload, which made large manifests quadratic; the index is built once per scan in the
/// context.
pub fn workloads_in<'a>(ctx: &'a Ctx<'a>, ns: &str) -> impl Iterator<Item = &'a Resource> + 'a {
    let index = ctx.workloads.get_or_init(|| {
        let mut m: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, r) in ctx.resources.iter().enumerate() {
            if is_workload(r) {
                m.entry(namespace(r).to_string()).or_default().push(i);
            }
        }
        m
    });
    index
        .get(ns)
        .into_iter()
        .flatten()
        .filter_map(|&i| ctx.resources.get(i))
}
