//! KJ-E2-002 `aws-route53-dnssec-missing`: a public Route 53 hosted zone that is not signed with
//! DNSSEC.
//!
//! DNSSEC signs a public zone's answers so that resolvers can detect forged ones. Signing is
//! switched on by `aws_route53_hosted_zone_dnssec` (whose `signing_status` defaults to `SIGNING`),
//! which names the zone directly or, as in the provider's example, through the key-signing key
//! (`aws_route53_key_signing_key.hosted_zone_id`). Private zones (with a `vpc` block) cannot be
//! signed. In CloudFormation an `AWS::Route53::DNSSEC` whose `HostedZoneId` refers to the
//! `AWS::Route53::HostedZone` (a `Ref`) signs it while it exists (it has no status); a zone with
//! `VPCs` is private. The names come from `facts::signing::DNSSEC`; a `HostedZoneId` that cannot
//! be resolved (a parameter without a value, an imported value) leaves the zone not evaluated.

use crate::facts::links::{any_link, designates, Link};
use crate::facts::signing::DNSSEC;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = DNSSEC.of(r);
    match util::set(r, names.zone_vpcs) {
        Some(v) if v.is_unknown() => {
            out.push(Hit::unknown(v, names.zone_vpcs));
            return;
        }
        Some(v) if !v.items().is_empty() => return,
        _ => {}
    }
    let ksks: Vec<&Resource> = ctx
        .of_kind(names.ksk_kind)
        .filter(|k| {
            util::set(k, names.zone_id)
                .is_some_and(|z| designates(z, k, r, names.zone_idents) == Link::Yes)
        })
        .collect();
    let mut links = Vec::new();
    for d in ctx.of_kind(names.dnssec_kind) {
        let Some(z) = util::set(d, names.zone_id) else {
            continue;
        };
        let direct = designates(z, d, r, names.zone_idents);
        let link =
            if direct == Link::Yes || ksks.iter().any(|k| designates(z, d, k, &[]) == Link::Yes) {
                Link::Yes
            } else {
                direct
            };
        if link == Link::Yes {
            let Some(status) = names.signing_status else {
                // CloudFormation: the resource signs the zone while it exists.
                return;
            };
            match util::set(d, status) {
                Some(s) if s.is_unknown() => {
                    out.push(Hit::unknown(s, status));
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
                    format!("`{}` の `{}` を静的に決定できないため、このゾーンが署名されているか判定できません", names.dnssec_kind, names.zone_id),
                    format!("the `{}` of an `{}` cannot be determined statically, so whether this zone is signed cannot be judged", names.zone_id, names.dnssec_kind),
                ),
            )
        }),
        _ => out.push(Hit::missing(
            r,
            util::t(
                format!("スキャンした構成に、この公開ホストゾーンを対象とする `{}` がなく、DNSSEC で署名されていません", names.dnssec_kind),
                format!("no `{}` in the scanned configuration targets this public hosted zone, so it is not signed with DNSSEC", names.dnssec_kind),
            ),
        )),
    }
}
