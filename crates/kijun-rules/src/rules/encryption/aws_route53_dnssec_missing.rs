//! KJ-E2-002 `aws-route53-dnssec-missing`: a public Route 53 hosted zone that is not signed with
//! DNSSEC.
//!
//! DNSSEC signs a public zone's answers so that resolvers can detect forged ones. Signing is
//! switched on by `aws_route53_hosted_zone_dnssec` (whose `signing_status` defaults to `SIGNING`),
//! which names the zone directly or, as in the provider's example, through the key-signing key
//! (`aws_route53_key_signing_key.hosted_zone_id`). Private zones (with a `vpc` block) cannot be
//! signed.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "vpc") {
        Some(v) if v.is_unknown() => {
            out.push(Hit::unknown(v, "vpc"));
            return;
        }
        Some(v) if !v.items().is_empty() => return,
        _ => {}
    }
    let ksks: Vec<&Resource> = ctx
        .of_kind("aws_route53_key_signing_key")
        .filter(|k| {
            util::set(k, "hosted_zone_id")
                .is_some_and(|z| designates(z, k, r, &["zone_id"]) == Link::Yes)
        })
        .collect();
    let mut links = Vec::new();
    for d in ctx.of_kind("aws_route53_hosted_zone_dnssec") {
        let Some(z) = util::set(d, "hosted_zone_id") else {
            continue;
        };
        let direct = designates(z, d, r, &["zone_id"]);
        let link =
            if direct == Link::Yes || ksks.iter().any(|k| designates(z, d, k, &[]) == Link::Yes) {
                Link::Yes
            } else {
                direct
            };
        if link == Link::Yes {
            match util::set(d, "signing_status") {
                Some(s) if s.is_unknown() => {
                    out.push(Hit::unknown(s, "signing_status"));
                    return;
                }
                Some(s)
                    if s.as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case("NOT_SIGNING")) =>
                {
                    out.push(Hit::missing(
                        r,
                        util::t(
                            format!(
                                "`{}` の `signing_status` が NOT_SIGNING で、署名が停止しています",
                                d.address
                            ),
                            format!(
                                "`signing_status` of `{}` is NOT_SIGNING: signing is stopped",
                                d.address
                            ),
                        ),
                    ));
                    return;
                }
                // documented default: SIGNING
                _ => return,
            }
        }
        links.push(link);
    }
    match any_link(links) {
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`aws_route53_hosted_zone_dnssec` の `hosted_zone_id` を静的に決定できないため、このゾーンが署名されているか判定できません",
                    "the `hosted_zone_id` of an `aws_route53_hosted_zone_dnssec` cannot be determined statically, so whether this zone is signed cannot be judged",
                ),
            )
        }),
        _ => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、この公開ホストゾーンを対象とする `aws_route53_hosted_zone_dnssec` がなく、DNSSEC で署名されていません",
                "no `aws_route53_hosted_zone_dnssec` in the scanned configuration targets this public hosted zone, so it is not signed with DNSSEC",
            ),
        )),
    }
}
