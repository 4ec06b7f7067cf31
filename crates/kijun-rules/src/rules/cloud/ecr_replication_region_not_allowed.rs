//! KJ-C2-005 `ecr-replication-region-not-allowed`: ECR replication copies images only to allowed
//! regions.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: every replication destination holds a copy of the images (and the
    // data baked into them) in its region.
    let replication = region::ECR_REPLICATION.of(r);
    let rules = replication
        .rules
        .on(r)
        .map(Node::items)
        .unwrap_or_default();
    let (dests, attr, key) = (
        replication.destinations,
        replication.rules.attr,
        replication.rules.region,
    );
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
