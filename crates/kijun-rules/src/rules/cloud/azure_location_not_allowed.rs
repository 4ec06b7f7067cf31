//! KJ-C1-002 `azure-location-not-allowed`: Azure resources are deployed to an allowed location.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Tenant-level resources that hold no data in a region: a `location` written on them is
/// not where anything is stored (ARM ignores it for management groups).
const TENANT_LEVEL: &[&str] = &["Microsoft.Management/", "azurerm_management_group"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if TENANT_LEVEL.iter().any(|p| {
        r.kind
            .get(..p.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(p))
    }) {
        return;
    }
    // Configuration-only children (rules, policies, tags, parameter groups …) store nothing:
    // their parent, in the same region, is the finding (policies/data/resource-roles.toml).
    if region::configuration_only(Cloud::Azure, &r.kind) {
        return;
    }
    // Only resources that take a location; child resources inherit their parent's.
    let Some(n) = util::set(r, "location") else {
        return;
    };
    // "global" resources (Front Door, Traffic Manager, DNS) hold no regional data.
    if n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("global")) {
        return;
    }
    region::judge(ctx, Cloud::Azure, "location", n, out);
}
