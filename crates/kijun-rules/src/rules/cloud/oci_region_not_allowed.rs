//! KJ-C1-004 `oci-region-not-allowed`: Oracle Cloud Infrastructure resources are created in an
//! allowed region (第64条第2項第2号: the country and region where information is stored).

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::Resource;

/// Identity resources (compartments, users, groups, policies, tag namespaces) live in the
/// tenancy's home region and are replicated to every subscribed region: the provider's region
/// does not say where they are, and they hold no information of the system.
const GLOBAL_PREFIXES: &[&str] = &["oci_identity_"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if GLOBAL_PREFIXES.iter().any(|p| r.kind.starts_with(p)) {
        return;
    }
    // Networks, subnets, security lists and gateways store nothing: the instances, databases and
    // buckets placed in them are judged (policies/data/resource-roles.toml).
    if region::configuration_only(Cloud::Oci, &r.kind) {
        return;
    }
    region::judge_oci_region(ctx, r, out);
}
