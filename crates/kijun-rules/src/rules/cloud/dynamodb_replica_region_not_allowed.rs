//! KJ-C2-003 `dynamodb-replica-region-not-allowed`: DynamoDB global-table replicas stay in allowed
//! regions.

use crate::facts::regions::ReplicaBlock;
use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation global tables list every replica, the stack's own Region included, as
    // `Replicas[].Region`; the template itself carries no Region, so only these are judged.
    let ReplicaBlock { block, region: key } = region::DYNAMODB_REPLICAS.of(r);
    let Some(replicas) = r.get(block) else {
        return;
    };
    if replicas.is_unknown() {
        out.push(Hit::unknown(replicas, block));
        return;
    }
    let attr = format!("{block}.{key}");
    for item in replicas.items() {
        if item.is_unknown() {
            out.push(Hit::unknown(item, block));
            continue;
        }
        if let Some(n) = item.child(key).filter(|n| !n.is_null()) {
            region::judge(ctx, Cloud::Aws, &attr, n, out);
        }
    }
}
