//! KJ-L2-009 `aws-wafv2-logging-missing`: a WAFv2 web ACL without a logging configuration.
//!
//! It is switched on only by an `aws_wafv2_web_acl_logging_configuration` whose `resource_arn` is
//! the web ACL; one outside the scan cannot be seen, so the finding says "none in the scanned
//! configuration".

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let link = any_link(
        ctx.of_kind("aws_wafv2_web_acl_logging_configuration")
            .map(|l| match util::set(l, "resource_arn") {
                Some(a) => designates(a, l, r, &["arn"]),
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
                    "`aws_wafv2_web_acl_logging_configuration` の `resource_arn` を静的に決定できないため、この Web ACL のログが有効か判定できません",
                    "the `resource_arn` of an `aws_wafv2_web_acl_logging_configuration` cannot be determined statically, so whether this web ACL is logged cannot be judged",
                ),
            )
        }),
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、この Web ACL を対象とする `aws_wafv2_web_acl_logging_configuration` がありません",
                "no `aws_wafv2_web_acl_logging_configuration` in the scanned configuration targets this web ACL",
            ),
        )),
    }
}
