//! KJ-N11-001 `alb-invalid-headers-not-dropped`: an Application Load Balancer that routes HTTP
//! headers with invalid field names to its targets (`drop_invalid_header_fields` defaults to
//! false).

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// CloudFormation sets the switch as a `LoadBalancerAttributes` entry, Terraform as an attribute:
/// each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "load_balancer_type") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, "load_balancer_type"));
            return;
        }
        // Only Application Load Balancers parse HTTP headers.
        Some(t)
            if !t
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("application")) =>
        {
            return
        }
        // documented default: application
        _ => {}
    }
    let attr = "drop_invalid_header_fields";
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if n.as_bool() == Some(true) => {}
        Some(n) => out.push(Hit::value(n, util::is(attr, n))),
        None => out.push(Hit::missing(r, util::unset(attr, "false"))),
    }
}

/// CloudFormation: `Type` (default application) and the `LoadBalancerAttributes` entry
/// `routing.http.drop_invalid_header_fields.enabled` (default false).
fn cloudformation(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "Type") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, "Type"));
            return;
        }
        Some(t) if !t.as_str().is_some_and(|s| s.eq_ignore_ascii_case("application")) => return,
        _ => {}
    }
    const KEY: &str = "routing.http.drop_invalid_header_fields.enabled";
    let attrs = util::set(r, "LoadBalancerAttributes");
    if let Some(a) = attrs.filter(|a| a.is_unknown()) {
        out.push(Hit::unknown(a, "LoadBalancerAttributes"));
        return;
    }
    let entry = attrs.map(|a| a.items()).unwrap_or_default().into_iter().find(|e| {
        e.child("Key")
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.trim() == KEY)
    });
    let attr = "LoadBalancerAttributes routing.http.drop_invalid_header_fields.enabled";
    match entry.and_then(|e| e.child("Value")).filter(|v| !v.is_null()) {
        Some(v) if v.is_unknown() => out.push(Hit::unknown(v, attr)),
        Some(v)
            if v.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case("true"))
                || v.as_bool() == Some(true) => {}
        Some(v) => out.push(Hit::value(v, util::is(attr, v))),
        None => out.push(Hit::missing(r, util::unset(attr, "false"))),
    }
}
