//! KJ-C2-002 `gcs-bucket-location-not-allowed`: Cloud Storage buckets are stored in an allowed
//! region, dual-region or configurable dual-region made of allowed regions.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const MULTI_REGIONS: &[&str] = &["ASIA", "US", "EU"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(loc) = util::set(r, "location") else {
        return;
    };
    if loc.is_unknown() {
        out.push(Hit::unknown(loc, "location"));
        return;
    }
    let Some(code) = loc.as_str() else {
        return;
    };
    if MULTI_REGIONS.iter().any(|m| m.eq_ignore_ascii_case(code)) {
        // why: a configurable dual-region keeps the data in exactly the two regions named in
        // `custom_placement_config.data_locations`; it passes when both are allowed.
        let placed: Vec<&kijun_model::Node> = r
            .get("custom_placement_config")
            .map(|c| c.all("data_locations"))
            .unwrap_or_default();
        if let Some(dl) = placed.first() {
            let (locs, unknown) = dl.strings();
            if unknown {
                out.push(Hit::unknown(dl, "custom_placement_config.data_locations"));
                return;
            }
            let before = out.len();
            for (_, n) in locs {
                region::judge(
                    ctx,
                    Cloud::Gcp,
                    "custom_placement_config.data_locations",
                    n,
                    out,
                );
            }
            if out.len() == before {
                return;
            }
            return;
        }
        out.push(Hit::value(
            loc,
            util::t(
                format!("`location` がマルチリージョン {code} で、複数の国にデータが保存されます"),
                format!(
                    "`location` is the multi-region {code}, which stores data in several countries"
                ),
            ),
        ));
        return;
    }
    region::judge(ctx, Cloud::Gcp, "location", loc, out);
}
