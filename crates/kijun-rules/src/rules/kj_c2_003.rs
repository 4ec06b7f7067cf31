//! KJ-C2-003: DynamoDB global-table replicas stay in allowed regions.

use super::region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(replicas) = r.get("replica") else {
        return;
    };
    if replicas.is_unknown() {
        out.push(Hit::unknown(replicas, "replica"));
        return;
    }
    for n in replicas.all("region_name") {
        region::judge(ctx, Cloud::Aws, "replica.region_name", n, out);
    }
}
