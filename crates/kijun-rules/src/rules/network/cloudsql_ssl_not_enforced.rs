//! KJ-N8-009 `cloudsql-ssl-not-enforced`: a Cloud SQL instance that accepts unencrypted
//! connections: `settings.ip_configuration.ssl_mode` is `ALLOW_UNENCRYPTED_AND_ENCRYPTED`, which
//! Google Cloud documents as the default, and the legacy `require_ssl` (removed in provider 6.0.1)
//! does not enforce TLS either.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const OK_MODES: [&str; 2] = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(settings) = util::set(r, "settings") else {
        return;
    };
    if settings.is_unknown() {
        out.push(Hit::unknown(settings, "settings"));
        return;
    }
    let Some(s) = settings.items().into_iter().next() else {
        return;
    };
    let ipc: Option<&Node> = s
        .child("ip_configuration")
        .filter(|n| !n.is_null())
        .and_then(|n| {
            if n.is_unknown() {
                Some(n)
            } else {
                n.items().into_iter().next()
            }
        });
    if let Some(n) = ipc.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, "settings.ip_configuration"));
        return;
    }
    let child = |k: &str| ipc.and_then(|b| b.child(k)).filter(|n| !n.is_null());
    let mode_attr = "settings.ip_configuration.ssl_mode";
    match child("ssl_mode") {
        Some(m) if m.is_unknown() => out.push(Hit::unknown(m, mode_attr)),
        Some(m) => {
            if !m
                .as_str()
                .is_some_and(|v| OK_MODES.iter().any(|o| o.eq_ignore_ascii_case(v.trim())))
            {
                let is = util::is(mode_attr, m);
                out.push(Hit::value(
                    m,
                    util::t(
                        format!("{}。暗号化されていない接続も受け付けます", is.ja),
                        format!("{}, which also accepts unencrypted connections", is.en),
                    ),
                ));
            }
        }
        None => {
            let legacy = "settings.ip_configuration.require_ssl";
            match child("require_ssl") {
                Some(q) if q.is_unknown() => out.push(Hit::unknown(q, legacy)),
                Some(q) if q.as_bool() == Some(true) => {}
                Some(q) => out.push(Hit::value(q, util::is(legacy, q))),
                None => {
                    let detail = util::t(
                        format!("`{mode_attr}` が設定されていないため、既定値（ALLOW_UNENCRYPTED_AND_ENCRYPTED）が適用され、暗号化されていない接続も受け付けます"),
                        format!("`{mode_attr}` is not set; the documented default (ALLOW_UNENCRYPTED_AND_ENCRYPTED) applies, which also accepts unencrypted connections"),
                    );
                    out.push(match ipc {
                        Some(b) => Hit::value(b, detail),
                        None => Hit::missing(r, detail),
                    });
                }
            }
        }
    }
}
