//! KJ-L2-010 `aws-eks-control-plane-logs-incomplete`: an EKS cluster that does not send the
//! API, audit and authenticator logs of its control plane to CloudWatch Logs.
//!
//! Of the control-plane logs, `api` (API server), `audit` (who did what through the Kubernetes API)
//! and `authenticator` (which IAM identity became which Kubernetes user) are the access records;
//! `controllerManager` and `scheduler` are operational. The documented default of
//! `enabled_cluster_log_types` is none.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const REQUIRED: [&str; 3] = ["api", "audit", "authenticator"];
const ATTR: &str = "enabled_cluster_log_types";

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(n) = util::set(r, ATTR) else {
        out.push(Hit::missing(
            r,
            util::unset_t(
                ATTR,
                "なし、コントロールプレーンのログは記録されない",
                "none, no control-plane logs are written",
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, ATTR));
        return;
    }
    let (types, unknown) = n.strings();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|t| !types.iter().any(|(s, _)| s.eq_ignore_ascii_case(t)))
        .collect();
    if missing.is_empty() {
        return;
    }
    if unknown {
        out.push(Hit::unknown(n, ATTR));
        return;
    }
    let list = missing.join(", ");
    out.push(Hit::value(
        n,
        util::t(
            format!("`{ATTR}` に {list} が含まれていません"),
            format!("`{ATTR}` does not include {list}"),
        ),
    ));
}
