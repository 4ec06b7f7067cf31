//! KJ-N9-009 `api-gateway-stage-without-waf`: a REST API stage that no AWS WAF web ACL is
//! associated with (Article 111(2): traffic from external lines is monitored; for an API on the
//! internet that is the WAF). Stages of private APIs are not reachable from the internet.

use crate::facts::links::{reference_to, require_attachment, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// The stage belongs to a REST API whose endpoint type is PRIVATE.
fn private_api(ctx: &Ctx, stage: &Resource) -> bool {
    ctx.of_kind("aws_api_gateway_rest_api")
        .filter(|api| reference_to(stage.get("rest_api_id"), api) == Link::Yes)
        .any(|api| {
            util::set(api, "endpoint_configuration")
                .map(|n| n.items())
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e.child("types"))
                .any(|t| {
                    t.strings()
                        .0
                        .iter()
                        .any(|(s, _)| s.eq_ignore_ascii_case("PRIVATE"))
                })
        })
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if private_api(ctx, r) {
        return;
    }
    require_attachment(
        ctx,
        r,
        (&["aws_wafv2_web_acl_association"], "resource_arn"),
        ("このステージに WAF が関連付けられている", "this stage has a WAF"),
        util::t(
            "`resource_arn` でこのステージを指定する `aws_wafv2_web_acl_association` が構成内にありません",
            "no `aws_wafv2_web_acl_association` in the configuration names this stage in `resource_arn`",
        ),
        out,
    );
}
