//! KJ-C6-008 `gke-zonal-cluster`: GKE clusters are regional.
//!
//! A zonal cluster (`location` is a zone such as `asia-northeast1-a`) has a single control-plane
//! replica and, unless `node_locations` says otherwise, nodes in one zone: a zone failure stops the
//! cluster's management and its workloads. A regional cluster (`location = "asia-northeast1"`)
//! replicates the control plane across zones.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// `asia-northeast1-a` is a zone; `asia-northeast1` is a region.
fn is_zone(loc: &str) -> bool {
    loc.rsplit_once('-').is_some_and(|(region, z)| {
        z.len() == 1
            && z.chars().all(|c| c.is_ascii_lowercase())
            && region.chars().last().is_some_and(|c| c.is_ascii_digit())
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(n) = util::set(r, "location") else {
        return; // the provider's zone/region decides: not visible per resource
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, "location"));
        return;
    }
    if n.as_str().is_some_and(is_zone) {
        out.push(Hit::value(
            n,
            util::t(
                format!("`location` が {} でゾーンクラスタになり、コントロールプレーンが 1 つのゾーンにしかありません", n.display()),
                format!("`location` is {}: a zonal cluster with its control plane in a single zone", n.display()),
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::is_zone;

    #[test]
    fn zones_and_regions() {
        assert!(is_zone("asia-northeast1-a"));
        assert!(!is_zone("asia-northeast1"));
        assert!(!is_zone("us-central1"));
    }
}
