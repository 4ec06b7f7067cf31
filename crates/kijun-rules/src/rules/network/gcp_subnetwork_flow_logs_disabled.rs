//! KJ-N9-002 `gcp-subnetwork-flow-logs-disabled`: a VPC subnetwork without VPC Flow Logs
//! (`log_config` absent), or with a sampling rate of 0, which records nothing.
//!
//! Proxy-only and Private Service Connect subnets do not support flow logs and are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "purpose") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "purpose"));
            return;
        }
        Some(p)
            if !p.as_str().is_some_and(|s| {
                s.eq_ignore_ascii_case("PRIVATE") || s.eq_ignore_ascii_case("PRIVATE_RFC_1918")
            }) =>
        {
            return
        }
        _ => {}
    }
    let Some(lc) = util::set(r, "log_config") else {
        // `enable_flow_logs` is the pre-4.0 provider switch for the same setting.
        match util::set(r, "enable_flow_logs") {
            Some(e) if e.is_unknown() => out.push(Hit::unknown(e, "enable_flow_logs")),
            Some(e) if e.as_bool() == Some(true) => {}
            _ => out.push(Hit::missing(
                r,
                util::t(
                    "`log_config` が設定されていないため、このサブネットの VPC フローログは記録されません",
                    "`log_config` is not set, so no VPC flow logs are recorded for this subnet",
                ),
            )),
        }
        return;
    };
    if lc.is_unknown() {
        out.push(Hit::unknown(lc, "log_config"));
        return;
    }
    for b in lc.items() {
        if let Some(s) = b.child("flow_sampling").filter(|n| !n.is_null()) {
            if s.is_unknown() {
                out.push(Hit::unknown(s, "log_config.flow_sampling"));
            } else if s.as_f64() == Some(0.0) {
                let is = util::is("log_config.flow_sampling", s);
                out.push(Hit::value(
                    s,
                    util::t(
                        format!("{}。フローログが 1 件も記録されません", is.ja),
                        format!("{}, so no flow log is recorded", is.en),
                    ),
                ));
            }
        }
    }
}
