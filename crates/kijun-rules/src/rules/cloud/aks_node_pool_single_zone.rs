//! KJ-C6-009 `aks-node-pool-single-zone`: an AKS node pool (a cluster's `default_node_pool` or an
//! `azurerm_kubernetes_cluster_node_pool`) with no `zones` or a single zone, so one zone failure
//! stops every node (Article 100(2): redundancy for systems whose availability must be assured).

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

fn judge(zones: Option<&Node>, pool: Option<&Node>, r: &Resource, out: &mut Vec<Hit>) {
    let Some(z) = zones.filter(|n| !n.is_null()) else {
        let msg = util::t(
            "ノードプールに `zones` が指定されておらず、ノードの配置するゾーンが保証されません",
            "the node pool sets no `zones`: its nodes are not spread over availability zones",
        );
        // A plan writes the unset attribute as `"zones": null`: that line is the one to fix.
        out.push(match zones.or(pool) {
            Some(n) => Hit::value(n, msg),
            None => Hit::missing(r, msg),
        });
        return;
    };
    let (list, unknown) = z.strings();
    if unknown {
        out.push(Hit::unknown(z, "zones"));
        return;
    }
    let distinct: std::collections::BTreeSet<&str> = list.iter().map(|(s, _)| s.trim()).collect();
    if distinct.len() < 2 {
        out.push(Hit::value(
            z,
            util::t(
                format!("`zones` のゾーンが {} 個だけで、ノードが 1 つのゾーンにしかありません", distinct.len()),
                format!("`zones` lists {} zone(s): the nodes sit in one zone at most", distinct.len()),
            ),
        ));
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "azurerm_kubernetes_cluster_node_pool" {
        judge(util::set(r, "zones"), None, r, out);
        return;
    }
    let Some(pool) = util::set(r, "default_node_pool") else {
        return;
    };
    if pool.is_unknown() {
        out.push(Hit::unknown(pool, "default_node_pool"));
        return;
    }
    let Some(p) = pool.items().into_iter().next() else {
        return;
    };
    judge(p.child("zones"), Some(p), r, out);
}
