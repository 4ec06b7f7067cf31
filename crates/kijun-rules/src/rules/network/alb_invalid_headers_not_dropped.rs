//! KJ-N11-001 `alb-invalid-headers-not-dropped`: an Application Load Balancer that routes HTTP
//! headers with invalid field names to its targets (`drop_invalid_header_fields` defaults to
//! false).

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
