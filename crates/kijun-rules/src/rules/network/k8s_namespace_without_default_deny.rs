//! KJ-N7-101 `k8s-namespace-without-default-deny`: a namespace that runs workloads in the scan
//! but has no NetworkPolicy that isolates all of its pods.
//!
//! Kubernetes lets every pod reach every other pod until a NetworkPolicy selects it; a policy with
//! an empty `podSelector` (all pods of the namespace) and the policy type Ingress makes "deny
//! unless allowed" the namespace's default. At confidentiality 3 outbound traffic must be
//! controlled too (CONTROLS.md N7, as N3), so the policy type Egress is required there.
//!
//! The namespaces are the ones seen in the scan: those of Pods and workload controllers
//! (`default` when a manifest names none). The finding is made once per namespace, at its
//! first workload.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// A workload's own `kijun.dev/confidentiality` annotation is 3.
fn annotated_secret(r: &Resource) -> bool {
    k8s::annotation_text(r, "kijun.dev/confidentiality").is_some_and(|v| v.trim() == "3")
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let ns = k8s::namespace(r);
    let workloads: Vec<&Resource> = k8s::workloads_in(ctx, ns).collect();
    let same = |x: &&Resource| x.address == r.address && x.at == r.at && x.kind == r.kind;
    let first = workloads.first().is_some_and(same);
    // The Egress finding applies only at confidentiality 3; it goes to the first workload that
    // is itself annotated as confidentiality 3 (the engine grades it by that object), else to
    // the first workload, whose classification may come from its Namespace or the project.
    let egress_reporter = workloads
        .iter()
        .find(|x| annotated_secret(x))
        .or(workloads.first())
        .is_some_and(same);
    if !first && !egress_reporter {
        return;
    }
    let mut ingress = false;
    let mut egress = false;
    for np in ctx.of_kind("NetworkPolicy") {
        if k8s::namespace(np) != ns || !k8s::selects_all_pods(np) {
            continue;
        }
        let (i, e) = k8s::policy_types(np);
        ingress |= i;
        egress |= e;
    }
    if first && !ingress {
        out.push(Hit::missing(
            r,
            util::t(
                format!("名前空間 `{ns}` に、すべての Pod を選択する（`podSelector: {{}}`）ポリシー種別 Ingress の NetworkPolicy がないため、Pod はあらゆる送信元からの通信を受け付けます"),
                format!("namespace `{ns}` has no NetworkPolicy selecting all pods (`podSelector: {{}}`) with policy type Ingress, so its pods accept traffic from any source"),
            ),
        ));
    }
    if egress_reporter && !egress {
        out.push(
            Hit::missing(
                r,
                util::t(
                    format!("名前空間 `{ns}` に、すべての Pod を選択するポリシー種別 Egress の NetworkPolicy がないため、Pod からの送信先が制限されていません"),
                    format!("namespace `{ns}` has no NetworkPolicy selecting all pods with policy type Egress, so outbound traffic from its pods is unrestricted"),
                ),
            )
            .at_level(3),
        );
    }
}
