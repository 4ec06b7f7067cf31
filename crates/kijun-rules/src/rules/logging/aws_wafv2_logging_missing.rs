//! KJ-L2-009 `aws-wafv2-logging-missing`: a WAFv2 web ACL without a logging configuration.
//!
//! It is switched on only by a logging configuration that names the web ACL (an
//! `aws_wafv2_web_acl_logging_configuration` whose `resource_arn`, or an
//! `AWS::WAFv2::LoggingConfiguration` whose `ResourceArn`, is the web ACL: `logging::WAF_LOGGING`);
//! one outside the scan cannot be seen, so the finding says "none in the scanned configuration".

use crate::facts::links::{any_link, designates, Link};
use crate::facts::logging::{Attachment, WAF_LOGGING};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Attachment { kind, attr } = WAF_LOGGING.of(r);
    let link = any_link(ctx.of_kind(kind).map(|l| match util::set(l, attr) {
        Some(a) => designates(a, l, r, &["arn"]),
        None => Link::No,
    }));
    match link {
        Link::Yes => {}
        Link::Unknown => out.push(Hit::not_evaluated(Hit::missing(
            r,
            util::t(
                format!("`{kind}` の `{attr}` を静的に決定できないため、この Web ACL のログが有効か判定できません"),
                format!("the `{attr}` of an `{kind}` cannot be determined statically, so whether this web ACL is logged cannot be judged"),
            ),
        ))),
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                format!("スキャンした構成に、この Web ACL を対象とする `{kind}` がありません"),
                format!("no `{kind}` in the scanned configuration targets this web ACL"),
            ),
        )),
    }
}
