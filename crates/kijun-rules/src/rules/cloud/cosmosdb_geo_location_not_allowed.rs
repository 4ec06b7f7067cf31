//! KJ-C2-010 `cosmosdb-geo-location-not-allowed`: every region of an Azure Cosmos DB account is an
//! allowed location.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: Cosmos DB replicates the account's data to every region listed,
    // the write region and each read/failover region alike.
    let locations = region::COSMOSDB_LOCATIONS.of(r);
    let (list, key, attr) = (locations.on(r), locations.region, locations.attr);
    let Some(list) = list.filter(|n| !n.is_null()) else {
        return;
    };
    if list.is_unknown() {
        out.push(Hit::unknown(list, attr));
        return;
    }
    for item in list.items() {
        if item.is_unknown() {
            out.push(Hit::unknown(item, attr));
            continue;
        }
        if let Some(n) = item.child(key).filter(|n: &&Node| !n.is_null()) {
            region::judge(ctx, Cloud::Azure, attr, n, out);
        }
    }
}
