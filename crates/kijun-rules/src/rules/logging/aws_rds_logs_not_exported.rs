//! KJ-L2-005 `aws-rds-logs-not-exported`: an RDS DB instance or Aurora cluster that exports no
//! database logs to CloudWatch Logs.
//!
//! Kept only on the instance they rotate away within days; exported with
//! `enabled_cloudwatch_logs_exports` they are kept and can be analysed. The documented default is
//! no export.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    const ATTR: &str = "enabled_cloudwatch_logs_exports";
    let Some(n) = util::set(r, ATTR) else {
        out.push(Hit::missing(
            r,
            util::unset_t(
                ATTR,
                "なし、ログはエクスポートされない",
                "none, no logs are exported",
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, ATTR));
        return;
    }
    let (names, unknown) = n.strings();
    if names.is_empty() {
        if unknown {
            out.push(Hit::unknown(n, ATTR));
        } else {
            out.push(Hit::value(
                n,
                util::t(
                    format!("`{ATTR}` が空で、ログはエクスポートされません"),
                    format!("`{ATTR}` is empty: no logs are exported"),
                ),
            ));
        }
    }
}
