//! KJ-N13-101 `k8s-service-ipv6-unintended`: a Service that asks for IPv6 (dual-stack, or an
//! IPv6 family) when the configuration does not declare IPv6 as intended.
//!
//! A Service with `ipFamilyPolicy` PreferDualStack or RequireDualStack, or `IPv6` among
//! `ipFamilies`, gets an IPv6 cluster address (and, for load balancers, possibly a public IPv6
//! address) next to or instead of IPv4. Unset, the policy is SingleStack in the cluster's primary
//! family, which a manifest cannot tell; that case is not reported.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if ctx.settings.ipv6_intended {
        return;
    }
    let Some(spec) = r.get("spec") else {
        return;
    };
    if let Some(p) = spec.child("ipFamilyPolicy") {
        if p.is_unknown() {
            out.push(Hit::unknown(p, "spec.ipFamilyPolicy"));
        } else if matches!(p.as_str(), Some("PreferDualStack" | "RequireDualStack")) {
            out.push(Hit::value(
                p,
                util::t(
                    format!(
                        "`spec.ipFamilyPolicy` が {} で、IPv6 のアドレスも割り当てられます",
                        p.display()
                    ),
                    format!(
                        "`spec.ipFamilyPolicy` is {}, so an IPv6 address is assigned as well",
                        p.display()
                    ),
                ),
            ));
        }
    }
    for f in spec
        .child("ipFamilies")
        .map(|l| l.items())
        .unwrap_or_default()
    {
        if f.is_unknown() {
            out.push(Hit::unknown(f, "spec.ipFamilies"));
        } else if f.as_str() == Some("IPv6") {
            out.push(Hit::value(
                f,
                util::t(
                    "`spec.ipFamilies` に IPv6 が含まれています",
                    "`spec.ipFamilies` includes IPv6",
                ),
            ));
        }
    }
}
