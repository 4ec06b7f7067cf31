//! KJ-N9-007 `backend-service-without-cloud-armor`: a backend service of an external (internet
//! facing) Google Cloud load balancer that names no Cloud Armor `security_policy`.
//!
//! Article 111(2) asks for monitoring of traffic from external lines; for an external HTTP(S)
//! load balancer that is the Cloud Armor policy. `load_balancing_scheme` defaults to `EXTERNAL`
//! (provider documentation); the internal schemes are not reachable from the internet.

use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Value};

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "load_balancing_scheme") {
        Some(s) if s.is_unknown() => {
            out.push(Hit::unknown(s, "load_balancing_scheme"));
            return;
        }
        Some(s)
            if !s
                .as_str()
                .is_some_and(|v| v.to_ascii_uppercase().starts_with("EXTERNAL")) =>
        {
            return
        }
        _ => {}
    }
    match util::set(r, "security_policy") {
        // A reference to a policy resource is known to name a policy, even when its id is
        // only known after apply.
        Some(p) if p.is_unknown() => {
            let names_policy = match &p.value {
                Value::Unknown(u) => u
                    .refs
                    .iter()
                    .any(|x| x.contains("google_compute_security_policy.")),
                _ => false,
            };
            if !names_policy {
                out.push(Hit::unknown(p, "security_policy"));
            }
        }
        Some(p) if p.as_str().is_some_and(|s| !s.trim().is_empty()) => {}
        Some(p) => out.push(Hit::value(
            p,
            util::t(
                "`security_policy` が空で、Cloud Armor のポリシーが設定されていません",
                "`security_policy` is empty: no Cloud Armor policy is attached",
            ),
        )),
        None => out.push(Hit::missing(
            r,
            util::t(
                "外部ロードバランサーのバックエンドサービスですが、`security_policy`（Cloud Armor）が設定されていません",
                "this backend service of an external load balancer sets no `security_policy` (Cloud Armor)",
            ),
        )),
    }
}
