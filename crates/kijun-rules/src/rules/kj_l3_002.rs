//! KJ-L3-002: Log Analytics workspaces keep logs long enough.

use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

/// The provider's documented default for `retention_in_days`.
const DEFAULT_DAYS: f64 = 30.0;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
