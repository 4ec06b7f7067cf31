//! KJ-L2-005 `aws-rds-logs-not-exported`: an RDS DB instance or Aurora cluster that exports no
//! database logs to CloudWatch Logs.
//!
//! Kept only on the instance they rotate away within days; exported with
//! `enabled_cloudwatch_logs_exports` (CloudFormation `EnableCloudwatchLogsExports`) they are kept
//! and can be analysed. The documented default is no export. An Aurora instance (a CloudFormation
//! `AWS::RDS::DBInstance` with a `DBClusterIdentifier`) exports through its cluster, which is
//! judged instead.

use crate::facts::logging::{rds_cluster_member, RDS_LOG_EXPORTS};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if rds_cluster_member(r) {
        return;
    }
    let attr = RDS_LOG_EXPORTS.of(r);
    let Some(n) = util::set(r, attr) else {
        out.push(Hit::missing(
            r,
            util::unset_t(
                attr,
                "なし、ログはエクスポートされない",
                "none, no logs are exported",
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let (names, unknown) = n.strings();
    if names.is_empty() {
        if unknown {
            out.push(Hit::unknown(n, attr));
        } else {
            out.push(Hit::value(
                n,
                util::t(
                    format!("`{attr}` が空で、ログはエクスポートされません"),
                    format!("`{attr}` is empty: no logs are exported"),
                ),
            ));
        }
    }
}
