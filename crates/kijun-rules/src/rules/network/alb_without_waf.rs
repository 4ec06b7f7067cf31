//! KJ-N9-005 `alb-without-waf`: an internet-facing Application Load Balancer (`internal` defaults
//! to false, `load_balancer_type` to application) that no AWS WAF web ACL is associated with.
//!
//! Network and Gateway Load Balancers cannot carry a web ACL and are skipped.

use crate::facts::links::require_attachment;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "load_balancer_type") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, "load_balancer_type"));
            return;
        }
        Some(t)
            if !t
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("application")) =>
        {
            return
        }
        _ => {}
    }
    match util::set(r, "internal") {
        Some(i) if i.is_unknown() => {
            out.push(Hit::unknown(i, "internal"));
            return;
        }
        Some(i) if i.as_bool() == Some(true) => return,
        _ => {}
    }
    require_attachment(
        ctx,
        r,
        (&[
            "aws_wafv2_web_acl_association",
            "aws_wafregional_web_acl_association",
        ], "resource_arn"),
        ("このロードバランサーに WAF が関連付けられている", "this load balancer has a WAF"),
        util::t(
            "インターネット向けの Application Load Balancer ですが、`resource_arn` でこれを指定する `aws_wafv2_web_acl_association` が構成内にありません",
            "this internet-facing Application Load Balancer has no `aws_wafv2_web_acl_association` naming it in `resource_arn` in the configuration",
        ),
        out,
    );
}
