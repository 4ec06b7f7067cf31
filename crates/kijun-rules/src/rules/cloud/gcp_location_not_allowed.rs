//! KJ-C1-003 `gcp-location-not-allowed`: Google Cloud resources are created in an allowed region or
//! zone.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Judged by KJ-C2-001/002 with their own defaults and multi-region semantics.
const OWN_RULES: &[&str] = &["google_storage_bucket", "google_bigquery_dataset"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if OWN_RULES.contains(&r.kind.as_str()) {
        return;
    }
    // Configuration-only children (rules, policies, tags, parameter groups …) store nothing:
    // their parent, in the same region, is the finding (policies/data/resource-roles.toml).
    if region::configuration_only(Cloud::Gcp, &r.kind) {
        return;
    }
    for attr in ["region", "location", "zone"] {
        if let Some(n) = util::set(r, attr) {
            if n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("global")) {
                return;
            }
            region::judge(ctx, Cloud::Gcp, attr, n, out);
            return;
        }
    }
    // Regional resources without their own setting use the provider's region or zone; global
    // resources (networks, firewalls, IAM) have neither and are not judged.
    if r.attrs
        .keys()
        .any(|k| k == "subnetwork" || k == "machine_type" || k == "database_version")
    {
        if let Some(n) = region::from_provider(r) {
            region::judge(ctx, Cloud::Gcp, "region", &n, out);
        }
    }
}
