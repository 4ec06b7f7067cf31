//! KJ-N8-010 `rds-parameter-group-allows-plaintext`: a DB (cluster) parameter group that switches
//! off the server-side TLS requirement: `rds.force_ssl = 0` (PostgreSQL families) or
//! `require_secure_transport = 0/OFF` (MySQL families).
//!
//! Article 110(3) asks for the confidentiality of traffic on the line; these parameters decide
//! whether the database refuses plaintext connections. Unset parameters are not judged: their
//! default differs by engine version (documented in the rule's limitations).

use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Value};

const PARAMS: [&str; 2] = ["rds.force_ssl", "require_secure_transport"];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(params) = util::set(r, "parameter") else {
        return;
    };
    if params.is_unknown() {
        out.push(Hit::unknown(params, "parameter"));
        return;
    }
    for p in params.items() {
        let Some(name) = p.child("name").filter(|n| !n.is_null()) else {
            continue;
        };
        if name.is_unknown() {
            out.push(Hit::unknown(name, "parameter.name"));
            continue;
        }
        let Some(name) = name.as_str() else {
            continue;
        };
        let Some(param) = PARAMS.iter().find(|x| x.eq_ignore_ascii_case(name.trim())) else {
            continue;
        };
        let Some(v) = p.child("value").filter(|n| !n.is_null()) else {
            continue;
        };
        if v.is_unknown() {
            out.push(Hit::unknown(v, "parameter.value"));
            continue;
        }
        let off = match &v.value {
            Value::String(s) => matches!(s.trim().to_ascii_uppercase().as_str(), "0" | "OFF" | "FALSE"),
            Value::Number(n) => *n == 0.0,
            Value::Bool(b) => !*b,
            _ => false,
        };
        if off {
            out.push(Hit::value(
                v,
                util::t(
                    format!("`{param}` が {} で、TLS を使わない接続を受け付けます", v.display()),
                    format!("`{param}` is {}: connections without TLS are accepted", v.display()),
                ),
            ));
        }
    }
}
