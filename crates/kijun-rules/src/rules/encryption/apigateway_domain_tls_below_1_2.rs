//! KJ-E3-005 `apigateway-domain-tls-below-1-2`: an API Gateway custom domain name whose security
//! policy accepts TLS below 1.2 (`TLS_1_0`).
//!
//! The policy table is the `aws-apigateway` part of `[[tls_policy]]` in cryptrec.toml. AWS does not
//! document which policy a custom domain gets when `security_policy` is omitted, so an unset value
//! is reported as not evaluated. Terraform's `security_policy` is CloudFormation's
//! `SecurityPolicy` (`tls::APIGW_SECURITY_POLICY`).

use crate::facts::tls;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let attr = tls::APIGW_SECURITY_POLICY.of(r);
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            let Some(name) = n.as_str() else {
                return;
            };
            match tls::policy("aws-apigateway", name) {
                None => out.push(tls::not_in_table(n, attr)),
                Some(p) if tls::below_required(&p.min_tls) => {
                    out.push(Hit::value(n, tls::accepts_text(util::is(attr, n), &p.min_tls)))
                }
                Some(_) => {}
            }
        }
        None => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    format!("`{attr}` が設定されていません。カスタムドメイン名で省略した場合に適用されるセキュリティポリシーは AWS のドキュメントに明記されていないため判定できません。`{attr}` に TLS_1_2 以上を明示してください"),
                    format!("`{attr}` is not set; AWS does not document which security policy a custom domain name gets when it is omitted, so it cannot be judged. Set `{attr}` to TLS_1_2 or stricter explicitly"),
                ),
            )
        }),
    }
}
