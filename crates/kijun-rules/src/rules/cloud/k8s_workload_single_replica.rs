//! KJ-C6-101 `k8s-workload-single-replica`: a Deployment or StatefulSet that runs fewer than
//! two pods.
//!
//! One pod is a single point of failure: a node drain, an eviction or a crash stops the service.
//! `spec.replicas` defaults to 1. When a HorizontalPodAutoscaler in the scan scales the workload,
//! its `minReplicas` (default 1) is the floor that counts.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(hpa) = k8s::autoscaler(ctx, r) {
        let min = hpa.get("spec").and_then(|s| s.child("minReplicas"));
        let floor = min.and_then(|m| m.as_f64()).unwrap_or(1.0);
        if floor < 2.0 {
            let shown = min.map(|m| m.display()).unwrap_or_else(|| "1".into());
            out.push(Hit::missing(
                r,
                util::t(
                    format!("`{}` の `minReplicas` が {shown}{}ため、Pod が 1 つまで縮退します", hpa.address, if min.is_none() { "（未設定時の既定値）の" } else { " の" }),
                    format!("`{}` has `minReplicas` {shown}{}, so the workload may scale down to one pod", hpa.address, if min.is_none() { " (the default when unset)" } else { "" }),
                ),
            ));
        }
        return;
    }
    match r
        .get("spec")
        .and_then(|s| s.child("replicas"))
        .filter(|n| !n.is_null())
    {
        None => out.push(Hit::missing(r, util::unset("spec.replicas", "1"))),
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "spec.replicas")),
        Some(n) if n.as_f64().is_some_and(|x| x < 2.0) => {
            out.push(Hit::value(n, util::is("spec.replicas", n)))
        }
        Some(_) => {}
    }
}
