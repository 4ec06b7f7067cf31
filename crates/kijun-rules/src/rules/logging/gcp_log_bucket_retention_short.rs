//! KJ-L3-003 `gcp-log-bucket-retention-short`: a Cloud Logging bucket that keeps logs for less
//! than the minimum retention.
//!
//! `retention_days` is documented to default to 30 days (also when set to 0 at creation), far below
//! the organisation's minimum (`logging.min_retention_days`, default 365).

use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

/// The documented default of `retention_days`.
const DEFAULT_DAYS: f64 = 30.0;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let min = ctx.settings.min_retention_days;
    match util::set(r, "retention_days") {
        None if DEFAULT_DAYS < min => {
            out.push(Hit::missing(r, util::unset("retention_days", "30")))
        }
        None => {}
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "retention_days")),
        Some(n) => {
            let Some(d) = n.as_f64() else {
                return;
            };
            // why: 0 at creation means the default 30 days, not "forever".
            let effective = if d <= 0.0 { DEFAULT_DAYS } else { d };
            if effective < min {
                let extra_ja = if d <= 0.0 {
                    "（0 は既定値 30 日として扱われます）"
                } else {
                    ""
                };
                let extra_en = if d <= 0.0 {
                    " (0 means the default of 30 days)"
                } else {
                    ""
                };
                out.push(Hit::value(
                    n,
                    util::t(
                        format!(
                            "`retention_days` が {} 日{extra_ja}で、必要な {} 日に足りません",
                            format_number(d),
                            format_number(min)
                        ),
                        format!(
                            "`retention_days` is {} days{extra_en}, below the required {} days",
                            format_number(d),
                            format_number(min)
                        ),
                    ),
                ));
            }
        }
    }
}
