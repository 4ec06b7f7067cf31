//! KJ-L2-101 `kube-apiserver-audit-log-missing`: a kube-apiserver run from a manifest (the static
//! Pod kubeadm writes to `/etc/kubernetes/manifests`) writes an audit log under an audit policy.
//!
//! why: 第132条第1項 asks for the logs needed to verify correct use and the absence of misuse.
//! The API server's audit log is the record of who did what to the cluster; it is written only
//! when `--audit-log-path` (or `--audit-webhook-config-file`) is given, and records events only
//! under an `--audit-policy-file`. The container is recognised by its name or its image.

use crate::facts::k8s;
use crate::{Ctx, Hit};
use kijun_model::{text, Node, Resource};

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = k8s::pod_spec(r) else {
        return;
    };
    for c in k8s::containers(spec) {
        if !is_apiserver(c) {
            continue;
        }
        let mut flags = Vec::new();
        for key in ["command", "args"] {
            match c.child(key).filter(|n| !n.is_null()) {
                Some(n) if n.is_unknown() => {
                    out.push(Hit::unknown(n, key));
                    return;
                }
                Some(n) => {
                    for item in n.items() {
                        if item.is_unknown() {
                            out.push(Hit::unknown(item, key));
                            return;
                        }
                        if let Some(s) = item.as_str() {
                            flags.push(s);
                        }
                    }
                }
                None => {}
            }
        }
        // `--flag=value`, or `--flag` followed by its value as the next item.
        let has = |flag: &str| {
            flags.iter().any(|f| {
                *f == flag || f.strip_prefix(flag).is_some_and(|rest| rest.starts_with('='))
            })
        };
        let anchor: &Node = c.child("command").or(c.child("args")).unwrap_or(c);
        if !has("--audit-log-path") && !has("--audit-webhook-config-file") {
            out.push(Hit::value(
                anchor,
                text!(
                    "kube-apiserver に `--audit-log-path`（又は `--audit-webhook-config-file`）がなく、監査ログが記録されません",
                    "kube-apiserver has no `--audit-log-path` (or `--audit-webhook-config-file`): no audit log is written"
                ),
            ));
        } else if !has("--audit-policy-file") {
            out.push(Hit::value(
                anchor,
                text!(
                    "kube-apiserver に `--audit-policy-file` がなく、監査ログに記録されるイベントがありません",
                    "kube-apiserver has no `--audit-policy-file`: the audit log records no events"
                ),
            ));
        }
    }
}

/// The API server's container: named `kube-apiserver`, or running a `kube-apiserver` image
/// (`registry.k8s.io/kube-apiserver:v1.33.1`).
fn is_apiserver(c: &Node) -> bool {
    let named = c.child("name").and_then(|n| n.as_str()) == Some("kube-apiserver");
    let image = c
        .child("image")
        .and_then(|n| n.as_str())
        .and_then(|i| i.rsplit('/').next())
        .is_some_and(|last| last == "kube-apiserver" || last.starts_with("kube-apiserver:") || last.starts_with("kube-apiserver@"));
    named || image
}
