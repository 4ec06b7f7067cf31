//! KJ-L2-003 `aws-cloudfront-access-logging-missing`: a CloudFront distribution without access
//! logs.
//!
//! CloudFront's access log is the record of every viewer request. Standard logging is configured
//! either on the distribution (Terraform `logging_config` with a `bucket`, CloudFormation
//! `DistributionConfig.Logging.Bucket`: "legacy" logging) or, since standard logging v2, by a
//! CloudWatch Logs delivery source (`aws_cloudwatch_log_delivery_source`,
//! `AWS::Logs::DeliverySource`) with log type `ACCESS_LOGS` whose resource ARN is the
//! distribution. The names come from `logging::CLOUDFRONT_LOGS`.

use crate::facts::links::{any_link, designates, Link};
use crate::facts::logging::{at_path, CLOUDFRONT_LOGS};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = CLOUDFRONT_LOGS.of(r);
    match at_path(r, names.config) {
        Err(n) => {
            out.push(Hit::unknown(n, names.config));
            return;
        }
        Ok(Some(cfg)) => {
            if cfg
                .items()
                .iter()
                .any(|b| b.child(names.bucket).is_some_and(|n| !n.is_null()))
            {
                return;
            }
        }
        Ok(None) => {}
    }
    let link = any_link(
        ctx.of_kind(names.source_kind)
            .filter(|s| {
                util::set(s, names.log_type)
                    .and_then(|t| t.as_str())
                    .is_none_or(|t| t.eq_ignore_ascii_case("ACCESS_LOGS"))
            })
            .map(|s| match util::set(s, names.resource_arn) {
                Some(a) => designates(a, s, r, names.idents),
                None => Link::No,
            }),
    );
    let (config, source, arn) = (names.config, names.source_kind, names.resource_arn);
    match link {
        Link::Yes => {}
        Link::Unknown => out.push(Hit::not_evaluated(Hit::missing(
            r,
            util::t(
                format!("`{source}` の `{arn}` を静的に決定できないため、このディストリビューションのアクセスログが有効か判定できません"),
                format!("the `{arn}` of an `{source}` cannot be determined statically, so whether this distribution's access logs are on cannot be judged"),
            ),
        ))),
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                format!("`{config}` が設定されておらず、スキャンした構成にこのディストリビューションの `{source}`（ACCESS_LOGS）もありません"),
                format!("`{config}` is not set, and no `{source}` (ACCESS_LOGS) in the scanned configuration refers to this distribution"),
            ),
        )),
    }
}
