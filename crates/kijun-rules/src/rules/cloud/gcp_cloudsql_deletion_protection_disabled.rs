//! KJ-C5-007 `gcp-cloudsql-deletion-protection-disabled`: Cloud SQL instances are protected against
//! deletion.
//!
//! Two flags protect it: the provider's `deletion_protection` (default true; guards against
//! `terraform destroy` and replacement) and the API flag `settings.deletion_protection_enabled`
//! (default false; guards every surface). Either one counts; the rule reports an instance whose
//! Terraform guard is switched off (`deletion_protection = false`) without the API flag.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(dp) = util::set(r, "deletion_protection") else {
        return; // documented default: true
    };
    if dp.is_unknown() {
        out.push(Hit::unknown(dp, "deletion_protection"));
        return;
    }
    if dp.as_bool() != Some(false) {
        return;
    }
    let api_flags: Vec<_> = util::set(r, "settings")
        .map(|s| s.all("deletion_protection_enabled"))
        .unwrap_or_default();
    for f in &api_flags {
        if f.is_unknown() {
            out.push(Hit::unknown(f, "settings.deletion_protection_enabled"));
            return;
        }
        if f.as_bool() == Some(true) {
            return;
        }
    }
    out.push(Hit::value(
        dp,
        util::t(
            "`deletion_protection` が false で、`settings.deletion_protection_enabled` も有効ではありません",
            "`deletion_protection` is false and `settings.deletion_protection_enabled` is not enabled either",
        ),
    ));
}
