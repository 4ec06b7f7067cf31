//! KJ-L2-010 `aws-eks-control-plane-logs-incomplete`: an EKS cluster that does not send the
//! API, audit and authenticator logs of its control plane to CloudWatch Logs.
//!
//! Of the control-plane logs, `api` (API server), `audit` (who did what through the Kubernetes API)
//! and `authenticator` (which IAM identity became which Kubernetes user) are the access records;
//! `controllerManager` and `scheduler` are operational. The documented default of
//! `enabled_cluster_log_types` (CloudFormation `Logging.ClusterLogging.EnabledTypes`) is none.

use crate::facts::logging::{at_path, EKS_LOG_TYPES};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const REQUIRED: [&str; 3] = ["api", "audit", "authenticator"];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let (attr, field) = EKS_LOG_TYPES.of(r);
    let n = match at_path(r, attr) {
        Err(n) => {
            out.push(Hit::unknown(n, attr));
            return;
        }
        Ok(Some(n)) => n,
        Ok(None) => {
            out.push(Hit::missing(
                r,
                util::unset_t(
                    attr,
                    "なし、コントロールプレーンのログは記録されない",
                    "none, no control-plane logs are written",
                ),
            ));
            return;
        }
    };
    // The names, and whether one of them cannot be known.
    let (types, unknown): (Vec<&str>, bool) = match field {
        None => {
            let (t, u) = n.strings();
            (t.into_iter().map(|(s, _)| s).collect(), u)
        }
        Some(f) => {
            let mut unknown = false;
            let mut t = Vec::new();
            for e in n.items() {
                match e.child(f).filter(|v| !v.is_null()) {
                    _ if e.is_unknown() => unknown = true,
                    Some(v) if v.is_unknown() => unknown = true,
                    Some(v) => t.extend(v.as_str()),
                    None => {}
                }
            }
            (t, unknown)
        }
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|t| !types.iter().any(|s| s.eq_ignore_ascii_case(t)))
        .collect();
    if missing.is_empty() {
        return;
    }
    if unknown {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let list = missing.join(", ");
    out.push(Hit::value(
        n,
        util::t(
            format!("`{attr}` に {list} が含まれていません"),
            format!("`{attr}` does not include {list}"),
        ),
    ));
}
