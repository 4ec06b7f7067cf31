//! KJ-L2-004 `aws-api-gateway-access-logs-disabled`: an API Gateway stage without access logs.
//!
//! It is written only when the stage has an `access_log_settings` block (its `destination_arn` and
//! `format` are required).

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "access_log_settings") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "access_log_settings")),
        Some(n) if !n.items().is_empty() => {}
        _ => out.push(Hit::missing(
            r,
            util::t(
                "`access_log_settings` が設定されていないため、アクセスログは記録されません",
                "`access_log_settings` is not set, so no access logs are written",
            ),
        )),
    }
}
