//! KJ-L3-002 `azure-log-analytics-retention`: Log Analytics workspaces keep logs long enough.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

/// The provider's documented default for `retention_in_days`.
const DEFAULT_DAYS: f64 = 30.0;

/// Terraform and ARM differ in shape and defaults (the ARM `Free` tier): each platform has its
/// reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let min = ctx.settings.min_retention_days;
    match util::set(r, "retention_in_days") {
        None if DEFAULT_DAYS < min => {
            out.push(Hit::missing(r, util::unset("retention_in_days", "30")))
        }
        None => {}
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "retention_in_days")),
        Some(n) => {
            if let Some(d) = n.as_f64().filter(|d| *d < min) {
                out.push(Hit::value(
                    n,
                    util::t(
                        format!(
                            "`retention_in_days` が {} 日で、必要な {} 日に足りません",
                            format_number(d),
                            format_number(min)
                        ),
                        format!(
                            "`retention_in_days` is {} days, below the required {} days",
                            format_number(d),
                            format_number(min)
                        ),
                    ),
                ));
            }
        }
    }
}

/// ARM (`Microsoft.OperationalInsights/workspaces`): `properties.retentionInDays`. Unset, a
/// workspace keeps data for 30 days; the legacy `Free` tier keeps it for 7 days whatever is set.
fn arm(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let min = ctx.settings.min_retention_days;
    let attr = "properties.retentionInDays";
    let props = util::set(r, "properties");
    if let Some(p) = props.filter(|p| p.is_unknown()) {
        out.push(Hit::unknown(p, "properties"));
        return;
    }
    let sku = props
        .and_then(|p| p.child("sku"))
        .and_then(|s| s.child("name"))
        .filter(|n| !n.is_null());
    if let Some(s) = sku.filter(|s| s.is_unknown()) {
        out.push(Hit::unknown(s, "properties.sku.name"));
        return;
    }
    if let Some(s) = sku.filter(|s| s.as_str().is_some_and(|v| v.eq_ignore_ascii_case("free"))) {
        if 7.0 < min {
            out.push(Hit::value(
                s,
                util::t(
                    format!("`properties.sku.name` が Free で、保存期間は 7 日に固定され、必要な {} 日に足りません", format_number(min)),
                    format!("`properties.sku.name` is Free, whose retention is fixed at 7 days, below the required {} days", format_number(min)),
                ),
            ));
        }
        return;
    }
    match props
        .and_then(|p| p.child("retentionInDays"))
        .filter(|n| !n.is_null())
    {
        None if DEFAULT_DAYS < min => out.push(Hit::missing(r, util::unset(attr, "30"))),
        None => {}
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            if let Some(d) = n.as_f64().filter(|d| *d < min) {
                out.push(Hit::value(
                    n,
                    util::t(
                        format!(
                            "`{attr}` が {} 日で、必要な {} 日に足りません",
                            format_number(d),
                            format_number(min)
                        ),
                        format!(
                            "`{attr}` is {} days, below the required {} days",
                            format_number(d),
                            format_number(min)
                        ),
                    ),
                ));
            }
        }
    }
}
