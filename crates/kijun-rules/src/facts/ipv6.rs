//! Settings that turn IPv6 on: a flag set to true, an attribute set at all, or one of a few
//! values. Used by the N13 rules of every cloud.

use crate::{util, Hit};
use kijun_model::Resource;

/// A boolean attribute that turns IPv6 on when true.
pub fn flag_true(r: &Resource, attr: &str, out: &mut Vec<Hit>) {
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if n.as_bool() == Some(true) => out.push(Hit::value(n, util::is(attr, n))),
        _ => {}
    }
}

/// An attribute that turns IPv6 on by being set at all (an IPv6 CIDR, an IPAM pool).
pub fn flag_set(r: &Resource, attr: &str, out: &mut Vec<Hit>) {
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            let v = n.display();
            out.push(Hit::value(
                n,
                util::t(
                    format!("`{attr}` が設定されています（{v}）"),
                    format!("`{attr}` is set ({v})"),
                ),
            ));
        }
        None => {}
    }
}

/// A string attribute whose listed values (compared without case) turn IPv6 on.
pub fn flag_value(r: &Resource, attr: &str, values: &[&str], out: &mut Vec<Hit>) {
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n)
            if n.as_str()
                .is_some_and(|s| values.iter().any(|v| s.eq_ignore_ascii_case(v))) =>
        {
            out.push(Hit::value(n, util::is(attr, n)))
        }
        _ => {}
    }
}
