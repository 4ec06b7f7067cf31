//! KJ-E3-004 `cloudfront-tls-below-1-2`: a CloudFront distribution whose viewers may connect
//! with TLS below 1.2 (the default `*.cloudfront.net` certificate, or a `minimum_protocol_version`
//! below TLSv1.2), or that talks to a custom origin with SSLv3, TLS 1.0 or TLS 1.1. The names
//! of each platform (Terraform's blocks, CloudFormation's `DistributionConfig`) come from
//! `tls::CLOUDFRONT`.

use crate::facts::cryptrec;
use crate::facts::platform::setting_in;
use crate::facts::tls::{
    accepts_text, below_required, not_in_table, policy, required, tls_text, CloudFrontNames,
    CLOUDFRONT,
};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Documented default of `viewer_certificate.minimum_protocol_version`.
const DEFAULT_VIEWER_POLICY: &str = "TLSv1";

/// Protocols of `origin_ssl_protocols` below TLS 1.2.
const WEAK_ORIGIN_PROTOCOLS: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

/// A setting of the distribution: on the resource (Terraform) or in its `DistributionConfig`
/// (CloudFormation). `Err` carries the unknown configuration object.
fn setting<'a>(
    r: &'a Resource,
    names: &CloudFrontNames,
    key: &str,
) -> Result<Option<&'a Node>, &'a Node> {
    setting_in(r, names.config, key).0
}

/// "`DistributionConfig.ViewerCertificate.X`" or "`viewer_certificate.x`".
fn path(names: &CloudFrontNames, parts: &[&str]) -> String {
    names
        .config
        .into_iter()
        .chain(parts.iter().copied())
        .collect::<Vec<_>>()
        .join(".")
}

fn viewer(r: &Resource, out: &mut Vec<Hit>) {
    let names = CLOUDFRONT.of(r);
    let vc_attr = path(&names, &[names.viewer_certificate]);
    let default_attr = path(&names, &[names.viewer_certificate, names.default_certificate]);
    let vc = match setting(r, &names, names.viewer_certificate) {
        Err(cfg) => {
            out.push(Hit::unknown(cfg, names.config.unwrap_or_default()));
            return;
        }
        // Terraform requires the block: when kijun does not see it (a `dynamic` block it could
        // not expand), there is nothing to judge.
        Ok(None) if names.config.is_none() => return,
        // why: without a viewer certificate a CloudFormation distribution serves its
        // *.cloudfront.net name with the default certificate (`ViewerCertificate` is optional
        // there), so TLSv1 applies as below.
        Ok(None) => {
            out.push(Hit::missing(
                r,
                util::t(
                    format!("`{vc_attr}` が設定されていないため、既定の *.cloudfront.net 証明書が使われます。CloudFront は TLSv1（TLS 1.0 以上）を強制し、最低バージョンを {} 以上にできません", tls_text(required())),
                    format!("`{vc_attr}` is not set, so the default *.cloudfront.net certificate is used; CloudFront then forces TLSv1 (TLS 1.0 and later) and the minimum cannot be raised to {}", tls_text(required())),
                ),
            ));
            return;
        }
        Ok(Some(vc)) => vc,
    };
    if vc.is_unknown() {
        out.push(Hit::unknown(vc, &vc_attr));
        return;
    }
    let Some(block) = vc.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| block.child(k).filter(|n| !n.is_null());
    if let Some(d) = child(names.default_certificate) {
        if d.is_unknown() {
            out.push(Hit::unknown(d, &default_attr));
            return;
        }
        if d.as_bool() == Some(true) {
            // why: CloudFront ignores minimum_protocol_version for the default certificate and
            // accepts TLSv1 (TLS 1.0) and later (provider documentation, viewer_certificate).
            out.push(Hit::value(
                d,
                util::t(
                    format!("`{default_attr}` が true です。既定の *.cloudfront.net 証明書では CloudFront が TLSv1（TLS 1.0 以上）を強制し、最低バージョンを {} 以上にできません", tls_text(required())),
                    format!("`{default_attr}` is true; with the default *.cloudfront.net certificate CloudFront forces TLSv1 (TLS 1.0 and later) and the minimum cannot be raised to {}", tls_text(required())),
                ),
            ));
            return;
        }
    }
    let attr = &path(
        &names,
        &[names.viewer_certificate, names.minimum_protocol_version],
    );
    match child(names.minimum_protocol_version) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            let Some(name) = n.as_str() else {
                return;
            };
            match policy("aws-cloudfront", name) {
                None => out.push(not_in_table(n, attr)),
                Some(p) if below_required(&p.min_tls) => {
                    out.push(Hit::value(n, accepts_text(util::is(attr, n), &p.min_tls)))
                }
                Some(_) => {}
            }
        }
        None => {
            let min = policy("aws-cloudfront", DEFAULT_VIEWER_POLICY)
                .map(|p| p.min_tls.clone())
                .unwrap_or_else(|| "1.0".to_string());
            if below_required(&min) {
                out.push(Hit::value(
                    block,
                    accepts_text(util::unset(attr, DEFAULT_VIEWER_POLICY), &min),
                ));
            }
        }
    }
}

fn origins(r: &Resource, out: &mut Vec<Hit>) {
    let names = CLOUDFRONT.of(r);
    let origins_attr = path(&names, &[names.origins]);
    let custom_attr = path(&names, &[names.origins, names.custom_origin]);
    let attr = &path(
        &names,
        &[names.origins, names.custom_origin, names.origin_protocols],
    );
    // An unknown `DistributionConfig` was reported by `viewer`.
    let Ok(Some(origins)) = setting(r, &names, names.origins) else {
        return;
    };
    if origins.is_unknown() {
        out.push(Hit::unknown(origins, &origins_attr));
        return;
    }
    for o in origins.items() {
        for c in o
            .child(names.custom_origin)
            .map(|n| n.items())
            .unwrap_or_default()
        {
            if c.is_unknown() {
                out.push(Hit::unknown(c, &custom_attr));
                continue;
            }
            let Some(p) = c.child(names.origin_protocols).filter(|n| !n.is_null()) else {
                continue;
            };
            let (list, unknown) = p.strings();
            if unknown {
                out.push(Hit::unknown(p, attr));
            }
            for (s, node) in list {
                if WEAK_ORIGIN_PROTOCOLS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(s.trim()))
                {
                    out.push(Hit::value(
                        node,
                        util::t(
                            format!(
                                "`{attr}` にオリジンとの通信で {s} を使用する設定が含まれています"
                            ),
                            format!("`{attr}` lets CloudFront talk to the origin with {s}"),
                        ),
                    ));
                }
            }
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if cryptrec::data().is_none() {
        out.push(cryptrec::no_data(r));
        return;
    }
    viewer(r, out);
    origins(r, out);
}
