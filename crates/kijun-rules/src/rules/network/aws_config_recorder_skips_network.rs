//! KJ-N12-001 `aws-config-recorder-skips-network`: an AWS Config configuration recorder that
//! does not record configuration changes of the network resource types (security groups, network
//! ACLs, route tables, VPCs, subnets): it records a list of types that leaves them out, or
//! excludes them.
//!
//! In AWS the network devices are these resource types, and AWS Config's configuration history is
//! their change record. Only recorders in the configuration are judged: an account without one in
//! the scanned files may have it elsewhere. CloudFormation's `AWS::Config::ConfigurationRecorder`
//! has the same group as `RecordingGroup` (names from `network::CONFIG_RECORDER`).

use crate::facts::network::CONFIG_RECORDER;
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
    let names = CONFIG_RECORDER.of(r);
    let Some(rg) = util::set(r, names.group) else {
        // documented default: every supported type
        return;
    };
    if rg.is_unknown() {
        out.push(Hit::unknown(rg, names.group));
        return;
    }
    let Some(g) = rg.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| g.child(k).filter(|n| !n.is_null());
    // Exclusions (recording_strategy use_only = EXCLUSION_BY_RESOURCE_TYPES).
    let exclusion_attr = format!(
        "{}.{}.{}",
        names.group, names.exclusion, names.resource_types
    );
    for ex in child(names.exclusion)
        .map(|n| n.items())
        .unwrap_or_default()
    {
        let attr = exclusion_attr.as_str();
        let Some(types) = ex.child(names.resource_types).filter(|n| !n.is_null()) else {
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
    let all_attr = format!("{}.{}", names.group, names.all_supported);
    let all = child(names.all_supported);
    let lists = child(names.resource_types).is_some_and(|n| !n.items().is_empty())
        || child(names.exclusion).is_some_and(|n| !n.items().is_empty());
    match all {
        Some(a) if a.is_unknown() => {
            out.push(Hit::unknown(a, &all_attr));
            return;
        }
        Some(a) if a.as_bool() == Some(false) => {}
        // Unset with a list of types: false in CloudFormation (the list says so).
        None if lists && !names.unset_all_with_lists => {}
        // documented default: true (every supported type, network types included)
        _ => return,
    }
    let attr = &format!("{}.{}", names.group, names.resource_types);
    let (list, unknown) = match child(names.resource_types) {
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
    if child(names.exclusion).is_some_and(|n| !n.items().is_empty()) {
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
    let state = match all {
        Some(_) => util::t(
            format!("`{all_attr}` が false で"),
            format!("`{all_attr}` is false and"),
        ),
        None => util::t(
            format!("`{attr}` を列挙しているため `{all_attr}` は false で"),
            format!("`{attr}` lists types, so `{all_attr}` is false, and"),
        ),
    };
    out.push(Hit::value(
        at,
        util::t(
            format!("{}、記録するリソースタイプにネットワーク機器に当たる {} が含まれていません", state.ja, missing.join(", ")),
            format!("{} the recorded resource types leave out the network types {}", state.en, missing.join(", ")),
        ),
    ));
}
