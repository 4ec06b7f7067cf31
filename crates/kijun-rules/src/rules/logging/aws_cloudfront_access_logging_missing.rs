//! KJ-L2-003 `aws-cloudfront-access-logging-missing`: a CloudFront distribution without access
//! logs.
//!
//! CloudFront's access log is the record of every viewer request. Standard logging is configured
//! either inline (`logging_config` with a `bucket`, "legacy" logging) or, since standard logging
//! v2, by an `aws_cloudwatch_log_delivery_source` with `log_type = "ACCESS_LOGS"` whose
//! `resource_arn` is the distribution.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(cfg) = util::set(r, "logging_config") {
        if cfg.is_unknown() {
            out.push(Hit::unknown(cfg, "logging_config"));
            return;
        }
        if cfg
            .items()
            .iter()
            .any(|b| b.child("bucket").is_some_and(|n| !n.is_null()))
        {
            return;
        }
    }
    let link = any_link(
        ctx.of_kind("aws_cloudwatch_log_delivery_source")
            .filter(|s| {
                util::set(s, "log_type")
                    .and_then(|t| t.as_str())
                    .is_none_or(|t| t.eq_ignore_ascii_case("ACCESS_LOGS"))
            })
            .map(|s| match util::set(s, "resource_arn") {
                Some(a) => designates(a, s, r, &["arn"]),
                None => Link::No,
            }),
    );
    match link {
        Link::Yes => {}
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`aws_cloudwatch_log_delivery_source` の `resource_arn` を静的に決定できないため、このディストリビューションのアクセスログが有効か判定できません",
                    "the `resource_arn` of an `aws_cloudwatch_log_delivery_source` cannot be determined statically, so whether this distribution's access logs are on cannot be judged",
                ),
            )
        }),
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                "`logging_config` が設定されておらず、スキャンした構成にこのディストリビューションの `aws_cloudwatch_log_delivery_source`（ACCESS_LOGS）もありません",
                "`logging_config` is not set, and no `aws_cloudwatch_log_delivery_source` (ACCESS_LOGS) in the scanned configuration refers to this distribution",
            ),
        )),
    }
}
