//! KJ-N8-103 `istio-mtls-not-strict`: an Istio PeerAuthentication that lets workloads accept
//! plaintext traffic (`mtls.mode` DISABLE or PERMISSIVE, also per port), or a mesh-wide policy
//! that leaves the mode unset, which Istio reads as PERMISSIVE.
//!
//! In PERMISSIVE mode a sidecar accepts both mutual TLS and plain text, so a client outside the
//! mesh can talk to the workload unencrypted and unauthenticated; STRICT accepts mutual TLS only. A
//! mode of UNSET inherits the parent's; the mesh-wide policy (in the root namespace, `istio-system`
//! by default, without a selector) has no parent, and Istio then applies PERMISSIVE.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Istio's default root namespace (meshConfig.rootNamespace).
const ROOT_NAMESPACE: &str = "istio-system";

fn weak(mode: &Node) -> bool {
    mode.as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case("DISABLE") || m.eq_ignore_ascii_case("PERMISSIVE"))
}

fn explain(mode: &Node, attr: &str) -> kijun_model::Text {
    let v = mode.display();
    util::t(
        format!("`{attr}` が {v} のため、平文（暗号化されていない）通信も受け付けます"),
        format!("`{attr}` is {v}, so plaintext (unencrypted) traffic is accepted too"),
    )
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if k8s::api_group(r) != "security.istio.io" {
        return;
    }
    let spec = r.get("spec");
    let mode = spec
        .and_then(|s| s.child("mtls"))
        .and_then(|m| m.child("mode"))
        .filter(|m| !m.is_null());
    match mode {
        Some(m) if weak(m) => out.push(Hit::value(m, explain(m, "spec.mtls.mode"))),
        _ => {}
    }
    let selector = spec
        .and_then(|s| s.child("selector"))
        .is_some_and(|s| !s.is_null() && !k8s::selector_is_empty(s));
    let unset = mode.is_none_or(|m| m.as_str().is_some_and(|v| v.eq_ignore_ascii_case("UNSET")));
    if k8s::namespace(r) == ROOT_NAMESPACE && !selector && unset {
        let d = util::t(
            format!("名前空間 `{ROOT_NAMESPACE}` のメッシュ全体のポリシーで `spec.mtls.mode` が設定されていない（または UNSET の）ため、Istio の既定値 PERMISSIVE が適用され、平文の通信も受け付けます"),
            format!("the mesh-wide policy in `{ROOT_NAMESPACE}` leaves `spec.mtls.mode` unset (or UNSET), so Istio's default PERMISSIVE applies and plaintext traffic is accepted"),
        );
        out.push(match mode {
            Some(m) => Hit::value(m, d),
            None => Hit::missing(r, d),
        });
    }
    // why: Istio applies `portLevelMtls` only with a workload selector; elsewhere it is ignored.
    if !selector {
        return;
    }
    let Some(ports) = spec
        .and_then(|s| s.child("portLevelMtls"))
        .and_then(|p| p.as_object())
    else {
        return;
    };
    for (port, setting) in ports {
        if let Some(m) = setting.child("mode").filter(|m| weak(m)) {
            out.push(Hit::value(
                m,
                explain(m, &format!("spec.portLevelMtls.{port}.mode")),
            ));
        }
    }
}
