//! KJ-C2-001 `bigquery-dataset-location-not-allowed`: BigQuery datasets are stored in an allowed
//! location (unset = US).

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "location") {
        Some(n) => region::judge(ctx, Cloud::Gcp, "location", n, out),
        // why: the provider documents `location` as optional with the US multi-region as the
        // default, so an unset location stores the data in the United States.
        None => out.push(Hit::missing(
            r,
            util::unset_t(
                "location",
                "US、米国マルチリージョン",
                "US, the United States multi-region",
            ),
        )),
    }
}
