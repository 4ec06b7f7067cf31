//! KJ-N12-001 `aws-config-recorder-skips-network`: an AWS Config configuration recorder that
//! does not record configuration changes of the network resource types (security groups, network
//! ACLs, route tables, VPCs, subnets): it records a list of types that leaves them out, or
//! excludes them.
//!
//! In AWS the network devices are these resource types, and AWS Config's configuration history is
//! their change record. Only recorders in the configuration are judged: an account without one in
//! the scanned files may have it elsewhere.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// The resource types whose changes are the network's setting changes.
const NETWORK_TYPES: [&str; 5] = [
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::RouteTable",
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(rg) = util::set(r, "recording_group") else {
        // documented default: all_supported = true
        return;
    };
    if rg.is_unknown() {
        out.push(Hit::unknown(rg, "recording_group"));
        return;
    }
    let Some(g) = rg.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| g.child(k).filter(|n| !n.is_null());
    // Exclusions (recording_strategy use_only = EXCLUSION_BY_RESOURCE_TYPES).
    for ex in child("exclusion_by_resource_types")
        .map(|n| n.items())
        .unwrap_or_default()
    {
        let attr = "recording_group.exclusion_by_resource_types.resource_types";
        let Some(types) = ex.child("resource_types").filter(|n| !n.is_null()) else {
            continue;
        };
        if types.is_unknown() {
            out.push(Hit::unknown(types, attr));
            continue;
        }
        let (list, unknown) = types.strings();
        if unknown {
            out.push(Hit::unknown(types, attr));
        }
        for (s, node) in list {
            if NETWORK_TYPES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(s.trim()))
            {
                out.push(Hit::value(
                    node,
                    util::t(
                        format!("ネットワーク機器に当たるリソースタイプ {s} の設定変更を記録対象から除外しています"),
                        format!("configuration changes of {s}, a network resource type, are excluded from recording"),
                    ),
                ));
            }
        }
    }
    let all = child("all_supported");
    match all {
        Some(a) if a.is_unknown() => {
            out.push(Hit::unknown(a, "recording_group.all_supported"));
            return;
        }
        Some(a) if a.as_bool() == Some(false) => {}
        // documented default: true (every supported type, network types included)
        _ => return,
    }
    let attr = "recording_group.resource_types";
    let (list, unknown) = match child("resource_types") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, attr));
            return;
        }
        Some(t) => t.strings(),
        None => (Vec::new(), false),
    };
    if unknown {
        out.push(Hit::unknown(g, attr));
        return;
    }
    // An exclusion strategy with all_supported = false lists what is left out, not recorded.
    // (A plan writes an absent block as an empty list.)
    if child("exclusion_by_resource_types").is_some_and(|n| !n.items().is_empty()) {
        return;
    }
    let missing: Vec<&str> = NETWORK_TYPES
        .iter()
        .copied()
        .filter(|t| !list.iter().any(|(s, _)| s.trim().eq_ignore_ascii_case(t)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let at = all.unwrap_or(g);
    out.push(Hit::value(
        at,
        util::t(
            format!("`recording_group.all_supported` が false で、記録するリソースタイプにネットワーク機器に当たる {} が含まれていません", missing.join(", ")),
            format!("`recording_group.all_supported` is false and the recorded resource types leave out the network types {}", missing.join(", ")),
        ),
    ));
}
