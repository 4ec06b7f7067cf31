//! KJ-C2-006 `secrets-manager-replica-region-not-allowed`: Secrets Manager secrets are replicated
//! only to allowed regions.

use crate::facts::regions::ReplicaBlock;
use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: a replica secret is a copy of the secret value kept in its region.
    let ReplicaBlock { block, region: key } = region::SECRET_REPLICAS.of(r);
    let Some(list) = r.get(block).filter(|n| !n.is_null()) else {
        return;
    };
    let attr = format!("{block}.{key}");
    for item in list.items() {
        if item.is_unknown() {
            out.push(Hit::unknown(item, &attr));
            continue;
        }
        if let Some(n) = item.child(key).filter(|n: &&Node| !n.is_null()) {
            region::judge(ctx, Cloud::Aws, &attr, n, out);
        }
    }
}
