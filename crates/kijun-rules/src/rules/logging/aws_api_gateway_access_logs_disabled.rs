//! KJ-L2-004 `aws-api-gateway-access-logs-disabled`: an API Gateway stage without access logs.
//!
//! They are written only when the stage has access-log settings with a destination: in
//! Terraform an `access_log_settings` block (its `destination_arn` and `format` are required),
//! in CloudFormation `AccessLogSetting` (`AWS::ApiGateway::Stage`) or `AccessLogSettings`
//! (`AWS::ApiGatewayV2::Stage`) with a `DestinationArn`. The names come from
//! `logging::stage_access_logs`.

use crate::facts::logging::stage_access_logs;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = stage_access_logs(r);
    let attr = names.settings;
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if !n.items().is_empty() => {
            let Some(dest) = names.destination else {
                return;
            };
            let path = format!("{attr}.{dest}");
            for block in n.items() {
                match block.child(dest).filter(|d| !d.is_null()) {
                    // A destination (also one known only at deployment, a `!GetAtt` of a log
                    // group) is where the logs go.
                    Some(_) => {}
                    None if block.is_unknown() => out.push(Hit::unknown(block, attr)),
                    None => out.push(Hit::value(
                        block,
                        util::t(
                            format!("`{path}` が設定されていないため、アクセスログは記録されません"),
                            format!("`{path}` is not set, so no access logs are written"),
                        ),
                    )),
                }
            }
        }
        _ => out.push(Hit::missing(
            r,
            util::t(
                format!("`{attr}` が設定されていないため、アクセスログは記録されません"),
                format!("`{attr}` is not set, so no access logs are written"),
            ),
        )),
    }
}
