//! KJ-N7-102 `k8s-network-policy-allows-all`: a NetworkPolicy rule that lets every source in
//! on every port (or, at confidentiality 3, every destination out).
//!
//! NetworkPolicies are additive: one rule that allows everything undoes every default-deny policy
//! for the pods it selects. Per the NetworkPolicy API, an ingress rule without `from` (or with an
//! empty one) matches all sources, including addresses outside the cluster, and one without `ports`
//! matches all ports: the Kubernetes documentation's "allow all" policy is `ingress: [{}]`. An
//! `ipBlock` of 0.0.0.0/0 or ::/0 without `except` is the same for its address family.
//!
//! Decided not to report: a peer `namespaceSelector: {}` (with or without an empty
//! `podSelector`) selects every pod of every namespace, but no address outside the cluster;
//! it widens in-cluster access without being "allow all", and is a common pattern for shared
//! services such as DNS.

use crate::facts::k8s::policy_types;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Whether a list field is absent or empty.
fn empty(n: Option<&Node>) -> bool {
    n.is_none_or(|x| x.items().is_empty())
}

/// The peer that makes `peers` (a `from` / `to` list) match every address, if one does; an
/// empty list matches everything on its own (`Some(None)`).
fn all_peers(peers: Option<&Node>) -> Option<Option<&Node>> {
    if empty(peers) {
        return Some(None);
    }
    peers?.items().into_iter().find_map(|p| {
        let block = p.child("ipBlock")?;
        let cidr = block.child("cidr")?;
        let world = cidr.as_str().is_some_and(util::is_world);
        (world && empty(block.child("except"))).then_some(Some(cidr))
    })
}

fn judge(rules: Option<&Node>, peers_key: &str, direction: &str, level3: bool, out: &mut Vec<Hit>) {
    let Some(rules) = rules else {
        return;
    };
    for (i, rule) in rules.items().into_iter().enumerate() {
        if rule.is_unknown() {
            out.push(Hit::unknown(rule, direction));
            continue;
        }
        if !empty(rule.child("ports")) {
            continue;
        }
        let Some(peer) = all_peers(rule.child(peers_key)) else {
            continue;
        };
        let (ja_dir, en_dir) = if direction == "ingress" {
            ("送信元", "source")
        } else {
            ("送信先", "destination")
        };
        let hit = match peer {
            None => Hit::value(
                rule,
                util::t(
                    format!("`{direction}[{i}]` に `{peers_key}` と `ports` の指定がなく、すべての{ja_dir}・すべてのポートとの通信を許可します"),
                    format!("`{direction}[{i}]` has neither `{peers_key}` nor `ports`, so it allows every {en_dir} on every port"),
                ),
            ),
            Some(cidr) => Hit::value(
                cidr,
                util::t(
                    format!("`{direction}[{i}]` が `ipBlock` {} を `except` なしで指定し、`ports` の指定もないため、すべての{ja_dir}・すべてのポートとの通信を許可します", cidr.display()),
                    format!("`{direction}[{i}]` names `ipBlock` {} without `except` and has no `ports`, so it allows every {en_dir} on every port", cidr.display()),
                ),
            ),
        };
        out.push(if level3 { hit.at_level(3) } else { hit });
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = r.get("spec") else {
        return;
    };
    let (ingress, egress) = policy_types(r);
    if ingress {
        judge(spec.child("ingress"), "from", "ingress", false, out);
    }
    // why: outbound traffic must be restricted only for confidentiality-3 information
    // (CONTROLS.md N3, N7), so an allow-all egress rule matters only there.
    if egress {
        judge(spec.child("egress"), "to", "egress", true, out);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use crate::facts::k8s::build::*;
    use super::check;
    use crate::{Ctx, Settings};

    #[test]
    fn allow_all_egress_counts_only_at_confidentiality_3() {
        let np = resource(
            "NetworkPolicy",
            vec![(
                "spec",
                obj(vec![
                    ("podSelector", obj(vec![])),
                    ("policyTypes", list(vec![s("Ingress"), s("Egress")])),
                    ("ingress", list(vec![obj(vec![])])),
                    ("egress", list(vec![obj(vec![])])),
                ]),
            )],
        );
        let settings = Settings::default();
        let ctx = Ctx::new(&[], &settings);
        let mut out = Vec::new();
        check(&ctx, &np, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].min_level, None);
        assert_eq!(out[1].min_level, Some(3));
    }
}
