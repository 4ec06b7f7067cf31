//! KJ-C2-004 `aws-backup-copy-region-not-allowed`: AWS Backup copy actions copy recovery points
//! only to vaults in allowed regions.

use crate::facts::regions::BACKUP_COPIES;
use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号 fixes where information is stored; a copy action stores a second
    // copy of every recovery point in the destination vault, whose region is the ARN's.
    let plan = BACKUP_COPIES.of(r);
    let rules = plan.rules.on(r).map(|n| n.items()).unwrap_or_default();
    let (copies, key, attr) = (plan.destinations, plan.rules.region, plan.rules.attr);
    for rule in rules {
        for copy in rule.child(copies).map(Node::items).unwrap_or_default() {
            let Some(arn) = copy.child(key).filter(|n| !n.is_null()) else {
                continue;
            };
            judge_arn(ctx, attr, arn, out);
        }
    }
}

/// A destination ARN: its region judged, an unknown or region-less ARN not evaluated.
fn judge_arn(ctx: &Ctx, attr: &str, arn: &Node, out: &mut Vec<Hit>) {
    if arn.is_unknown() {
        out.push(Hit::unknown(arn, attr));
        return;
    }
    match region::arn_region(arn) {
        Some(n) => region::judge(ctx, Cloud::Aws, attr, &n, out),
        None => out.push(Hit::not_evaluated(Hit::value(
            arn,
            crate::util::t(
                format!("`{attr}` は領域を含む ARN ではなく、コピー先の地域を判定できません"),
                format!("`{attr}` is not an ARN with a region, so the copy's region cannot be judged"),
            ),
        ))),
    }
}
