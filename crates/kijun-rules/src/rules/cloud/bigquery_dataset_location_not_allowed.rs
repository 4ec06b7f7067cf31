//! KJ-C2-001 `bigquery-dataset-location-not-allowed`: BigQuery datasets are stored in an allowed
//! location (unset = the service default, `[gcp_bigquery]` of `policies/data/defaults.toml`).

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(n) = util::set(r, "location") {
        region::judge(ctx, Cloud::Gcp, "location", n, out);
        return;
    }
    // why: the provider documents `location` as optional, and BigQuery then stores the dataset
    // in its default location (the US multi-region), so an unset location is judged as that
    // value (第64条第2項第2号, the rule's citation: the place the information is stored must be an allowed region).
    let Some(d) = ctx.data.defaults.as_ref().map(|d| &d.gcp_bigquery) else {
        return;
    };
    if ctx.settings.region_allowed(Cloud::Gcp, &d.default_location) {
        return;
    }
    out.push(Hit::missing(
        r,
        util::unset_t(
            "location",
            &format!("{}、{}", d.default_location, d.default_location_ja),
            &format!("{}, {}", d.default_location, d.default_location_en),
        ),
    ));
}
