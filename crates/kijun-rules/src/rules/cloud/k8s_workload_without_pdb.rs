//! KJ-C6-102 `k8s-workload-without-pdb`: a Deployment or StatefulSet whose pods no
//! PodDisruptionBudget protects.
//!
//! Without a PodDisruptionBudget, voluntary disruptions (node drains during upgrades, cluster
//! autoscaling) may evict every replica at once, whatever `replicas` says. A budget counts when it
//! is in the workload's namespace and its selector selects the pod template's labels (an empty
//! selector `{}` selects every pod of the namespace; a missing one selects none).
//!
//! Not judged: workloads that may run a single pod (`replicas` 1 or unset, or an autoscaler's
//! `minReplicas` below 2), whose risk is the single replica (KJ-C6-101), and run-to-completion
//! workloads (Jobs, CronJobs), which a drain restarts rather than interrupts.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // A budget cannot keep one pod running through a drain (it can only block the drain): a
    // workload that may run a single pod is KJ-C6-101's finding, and demanding a budget of it
    // would report one problem twice. Jobs and CronJobs (run-to-completion pods) are not in this
    // rule's kinds at all.
    if k8s::replica_floor(ctx, r).is_some_and(|n| n < 2.0) {
        return;
    }
    let ns = k8s::namespace(r);
    let labels = k8s::pod_labels(r);
    let mut unreadable = false;
    for pdb in ctx.of_kind("PodDisruptionBudget") {
        if k8s::namespace(pdb) != ns {
            continue;
        }
        let Some(sel) = pdb
            .get("spec")
            .and_then(|s| s.child("selector"))
            .filter(|s| !s.is_null())
        else {
            continue;
        };
        match k8s::selector_matches(sel, labels) {
            Some(true) => return,
            Some(false) => {}
            None => unreadable = true,
        }
    }
    let detail = if unreadable {
        util::t(
            format!("名前空間 `{ns}` に、この Pod テンプレートのラベルを選択する PodDisruptionBudget がありません（解釈できないセレクターは一致しないものとみなしました）"),
            format!("no PodDisruptionBudget in namespace `{ns}` selects the labels of this pod template (selectors that could not be read were taken not to match)"),
        )
    } else {
        util::t(
            format!("名前空間 `{ns}` に、この Pod テンプレートのラベルを選択する PodDisruptionBudget がありません"),
            format!("no PodDisruptionBudget in namespace `{ns}` selects the labels of this pod template"),
        )
    };
    out.push(Hit::missing(r, detail));
}
