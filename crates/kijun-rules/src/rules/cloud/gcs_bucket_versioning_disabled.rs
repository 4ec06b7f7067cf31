//! KJ-C5-009 `gcs-bucket-versioning-disabled`: a Cloud Storage bucket without object versioning
//! (the Cloud Storage default), so an overwritten or deleted object cannot be restored
//! (Articles 69(3)(3) and 100(7): recovery and backups of information whose availability must
//! be assured). A locked retention policy already forbids deleting and overwriting objects.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let locked = util::set(r, "retention_policy")
        .and_then(|n| n.items().into_iter().next())
        .and_then(|p| p.child("is_locked"))
        .and_then(|n| n.as_bool())
        .unwrap_or(false);
    if locked {
        return;
    }
    let block = util::set(r, "versioning").filter(|n| !n.items().is_empty());
    // In a plan, `versioning` is computed when the configuration leaves it out: "known after
    // apply" there means the bucket default (unversioned).
    let block = block.filter(|n| {
        !(n.is_unknown() && r.platform == kijun_model::Platform::TerraformPlan)
    });
    let Some(b) = block.and_then(|n| n.items().into_iter().next()) else {
        out.push(Hit::missing(
            r,
            util::t(
                "`versioning` ブロックがなく、バージョニングは無効（Cloud Storage の既定）です",
                "no `versioning` block: versioning is off (the Cloud Storage default)",
            ),
        ));
        return;
    };
    if b.is_unknown() {
        out.push(Hit::unknown(b, "versioning"));
        return;
    }
    match b.child("enabled").filter(|n| !n.is_null()) {
        Some(e) if e.is_unknown() => out.push(Hit::unknown(e, "versioning.enabled")),
        Some(e) if e.as_bool() == Some(true) => {}
        Some(e) => out.push(Hit::value(e, util::is("versioning.enabled", e))),
        None => out.push(Hit::value(b, util::unset("versioning.enabled", "false"))),
    }
}
