//! Information classification (細則 第5条, 別表1): which levels a resource's information has, and
//! where that came from. Rules switch on and grade severity by it (CONTROLS.md §0).

pub use crate::levels::{ClassSource, Classification};
use kijun_model::{Node, Resource, Value};
use kijun_rules::Axis;

pub const TAG_KEYS: [(&str, Axis); 3] = [
    ("kijun-confidentiality", Axis::Confidentiality),
    ("kijun-integrity", Axis::Integrity),
    ("kijun-availability", Axis::Availability),
];

fn tag_level(tags: &Node, key: &str, max: u8) -> Option<u8> {
    let v = tags.as_object()?.get(key)?;
    let n = match &v.value {
        Value::Number(n) => *n,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    if n >= 1.0 && n <= max as f64 && n.fract() == 0.0 {
        Some(n as u8)
    } else {
        None
    }
}

/// The classification of one resource: its own tags/labels (and the provider's `default_tags`)
/// first, then the project's.
pub fn of(r: &Resource, project: &Classification) -> Classification {
    let mut c = project.clone();
    // why: tags and labels name the information held; a tag overrides the project's level
    // for that resource only (CONTROLS.md §0, source 1).
    let mut sources: Vec<&Node> = Vec::new();
    if let Some(dt) = r.provider.as_ref().and_then(|p| p.default_tags.as_ref()) {
        sources.push(dt);
    }
    // `BackupVaultTags`: AWS::Backup::BackupVault names its tag map so.
    for key in [
        "tags",
        "labels",
        "tags_all",
        "resource_labels",
        "Tags",
        "BackupVaultTags",
    ] {
        if let Some(t) = r.get(key) {
            sources.push(t);
        }
    }
    // Cloud SQL keeps its labels under settings.user_labels.
    if let Some(t) = r.get("settings").and_then(|s| s.child("user_labels")) {
        sources.push(t);
    }
    // Auto Scaling groups and CloudFormation use lists of {key, value} / {Key, Value}.
    let pairs = tag_pairs(r);
    for tags in sources.into_iter().chain(pairs.as_ref()) {
        for (key, axis) in TAG_KEYS {
            let max = if axis == Axis::Confidentiality { 3 } else { 2 };
            if let Some(l) = tag_level(tags, key, max) {
                match axis {
                    Axis::Confidentiality => c.confidentiality = l,
                    Axis::Integrity => c.integrity = l,
                    Axis::Availability => c.availability = l,
                }
                c.source = ClassSource::Tag;
            }
        }
    }
    c
}

/// Kubernetes annotation keys for the three axes.
pub const ANNOTATIONS: [(&str, Axis); 3] = [
    ("kijun.dev/confidentiality", Axis::Confidentiality),
    ("kijun.dev/integrity", Axis::Integrity),
    ("kijun.dev/availability", Axis::Availability),
];

/// Namespace name → its annotations, from the Namespace objects of the scan.
pub fn namespace_annotations(resources: &[Resource]) -> std::collections::HashMap<String, Node> {
    resources
        .iter()
        .filter(|r| r.kind == "Namespace")
        .filter_map(|r| {
            let meta = r.get("metadata")?;
            let name = meta.child("name")?.as_str()?.to_string();
            Some((name, meta.child("annotations")?.clone()))
        })
        .collect()
}

fn set_level(c: &mut Classification, axis: Axis, l: u8) {
    match axis {
        Axis::Confidentiality => c.confidentiality = l,
        Axis::Integrity => c.integrity = l,
        Axis::Availability => c.availability = l,
    }
}

/// The classification of a resource, most specific source first: its own tags/labels or
/// annotations (or its Namespace's), then `[[classification.rules]]` (a rule naming resources
/// beats namespaces, then modules, then paths; later rules win ties), then the project default.
pub fn classify(
    r: &Resource,
    path: &str,
    opts: &crate::Options,
    namespaces: &std::collections::HashMap<String, Node>,
) -> Classification {
    let mut c = opts.classification.clone();
    let ns = r
        .get("metadata")
        .and_then(|m| m.child("namespace"))
        .and_then(|n| n.as_str())
        .unwrap_or("default");
    let mut best: Option<(u8, &crate::config::ClassificationRule)> = None;
    for rule in &opts.classification_rules {
        let spec = if rule
            .resources
            .iter()
            .any(|p| crate::glob::matches(p, &r.address))
        {
            4
        } else if r.platform == kijun_model::Platform::Kubernetes
            && rule.namespaces.iter().any(|p| crate::glob::matches(p, ns))
        {
            3
        } else if !r.module.is_empty()
            && rule.modules.iter().any(|p| {
                crate::glob::matches(p, &r.module)
                    || crate::glob::matches(&format!("{p}.**"), &r.module)
            })
        {
            2
        } else if rule.paths.iter().any(|p| crate::glob::matches(p, path)) {
            1
        } else {
            0
        };
        if spec > 0 && best.is_none_or(|(b, _)| spec >= b) {
            best = Some((spec, rule));
        }
    }
    if let Some((_, rule)) = best {
        for (v, axis) in [
            (rule.confidentiality, Axis::Confidentiality),
            (rule.integrity, Axis::Integrity),
            (rule.availability, Axis::Availability),
        ] {
            if let Some(l) = v {
                set_level(&mut c, axis, l);
                c.source = ClassSource::Config;
            }
        }
    }
    // Kubernetes: the Namespace's annotations, then the object's own.
    if r.platform == kijun_model::Platform::Kubernetes {
        let own = r.get("metadata").and_then(|m| m.child("annotations"));
        // Cluster-scoped objects belong to no namespace and inherit no namespace's levels.
        let cluster_scoped = kijun_formats::kubernetes::CLUSTER_SCOPED.contains(&r.kind.as_str());
        let ns_ann = if cluster_scoped {
            None
        } else {
            namespaces.get(ns)
        };
        for ann in [ns_ann, own].into_iter().flatten() {
            for (key, axis) in ANNOTATIONS {
                let max = if axis == Axis::Confidentiality { 3 } else { 2 };
                if let Some(l) = tag_level(ann, key, max) {
                    set_level(&mut c, axis, l);
                    c.source = ClassSource::Tag;
                }
            }
        }
        return c;
    }
    of(r, &c)
}

/// `tag { key = … value = … }` blocks (aws_autoscaling_group) and CloudFormation `Tags: [{Key,
/// Value}]` as one object, so the same tag keys classify them.
fn tag_pairs(r: &Resource) -> Option<Node> {
    let mut m = std::collections::BTreeMap::new();
    let mut at = None;
    // `FileSystemTags`: AWS::EFS::FileSystem names its tag list so.
    for key in ["tag", "Tags", "tags", "FileSystemTags"] {
        let Some(list) = r.get(key).and_then(|n| n.as_list()) else {
            continue;
        };
        for item in list {
            let k = item
                .child("key")
                .or_else(|| item.child("Key"))
                .and_then(|k| k.as_str());
            let v = item.child("value").or_else(|| item.child("Value"));
            if let (Some(k), Some(v)) = (k, v) {
                at.get_or_insert(item.at);
                m.insert(std::sync::Arc::from(k), v.clone());
            }
        }
    }
    at.map(|at| Node::new(Value::Object(m.into()), at))
}
