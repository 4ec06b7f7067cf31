//! KJ-N9-003 `gcp-firewall-logging-disabled`: a VPC firewall rule without Firewall Rules Logging
//! (`log_config` absent), so the connections it allows or denies leave no record.
//!
//! Disabled rules are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "disabled") {
        Some(d) if d.is_unknown() => {
            out.push(Hit::unknown(d, "disabled"));
            return;
        }
        Some(d) if d.as_bool() == Some(true) => return,
        _ => {}
    }
    match util::set(r, "log_config") {
        Some(lc) if lc.is_unknown() => out.push(Hit::unknown(lc, "log_config")),
        Some(lc) if !lc.items().is_empty() => {}
        _ => out.push(Hit::missing(
            r,
            util::t(
                "`log_config` が設定されていないため、このファイアウォールルールのログは記録されません",
                "`log_config` is not set, so this firewall rule is not logged",
            ),
        )),
    }
}
