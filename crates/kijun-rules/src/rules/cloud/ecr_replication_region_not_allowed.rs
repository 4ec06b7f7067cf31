//! KJ-C2-005 `ecr-replication-region-not-allowed`: ECR replication copies images only to allowed
//! regions.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: every replication destination holds a copy of the images (and the
    // data baked into them) in its region.
    let (rules, dests, attr) = match r.kind.as_str() {
        "AWS::ECR::ReplicationConfiguration" => (
            r.get("ReplicationConfiguration")
                .and_then(|c| c.child("Rules"))
                .map(Node::items)
                .unwrap_or_default(),
            "Destinations",
            "Rules.Destinations.Region",
        ),
        _ => (
            r.get("replication_configuration")
                .and_then(|c| c.child("rule"))
                .map(Node::items)
                .unwrap_or_default(),
            "destination",
            "replication_configuration.rule.destination.region",
        ),
    };
    let key = if r.kind.starts_with("AWS::") { "Region" } else { "region" };
    for rule in rules {
        if rule.is_unknown() {
            out.push(Hit::unknown(rule, attr));
            continue;
        }
        for d in rule.child(dests).map(Node::items).unwrap_or_default() {
            if d.is_unknown() {
                out.push(Hit::unknown(d, attr));
                continue;
            }
            if let Some(n) = d.child(key).filter(|n| !n.is_null()) {
                region::judge(ctx, Cloud::Aws, attr, n, out);
            }
        }
    }
}
