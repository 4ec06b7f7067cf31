//! KJ-N8-101 `k8s-ingress-without-tls`: an Ingress that serves its hosts over plain HTTP.
//!
//! An Ingress without `spec.tls` has the controller serve its rules over HTTP only; a host missing
//! from every `tls[].hosts` is not covered by a certificate (the Kubernetes documentation asks the
//! TLS hosts to match the rule hosts explicitly). ingress-nginx redirects HTTP to HTTPS once TLS is
//! configured, unless `ssl-redirect` is switched off.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const SSL_REDIRECT: &str = "nginx.ingress.kubernetes.io/ssl-redirect";
const FORCE_SSL_REDIRECT: &str = "nginx.ingress.kubernetes.io/force-ssl-redirect";

/// Whether a TLS host entry covers a rule host: equal (without case), or a wildcard
/// `*.example.com` covering exactly one more label (`a.example.com`).
pub fn covers(tls_host: &str, host: &str) -> bool {
    let (t, h) = (tls_host.to_ascii_lowercase(), host.to_ascii_lowercase());
    if t == h {
        return true;
    }
    match t.strip_prefix("*.") {
        Some(suffix) => h
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => false,
    }
}

/// The ingress-nginx controller ConfigMap switches the redirect off for every Ingress with
/// `ssl-redirect: "false"` (its documented default is "true").
fn configmap(r: &Resource, out: &mut Vec<Hit>) {
    let Some(v) = r.get("data").and_then(|d| d.child("ssl-redirect")) else {
        return;
    };
    let forced = r
        .get("data")
        .and_then(|d| d.child("force-ssl-redirect"))
        .is_some_and(|f| f.as_bool() == Some(true));
    if v.as_bool() == Some(false) && !forced {
        out.push(Hit::value(
            v,
            util::t(
                "ingress-nginx の設定 `ssl-redirect` が \"false\" のため、TLS を設定したすべての Ingress が HTTPS と同じ内容を HTTP（暗号化なし）でも提供します",
                "the ingress-nginx setting `ssl-redirect` is \"false\", so every Ingress with TLS also serves its content over HTTP without encryption",
            ),
        ));
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "ConfigMap" {
        configmap(r, out);
        return;
    }
    let Some(spec) = r.get("spec") else {
        return;
    };
    let tls: Vec<&Node> = spec.child("tls").map(|t| t.items()).unwrap_or_default();
    if tls.is_empty() {
        out.push(Hit::missing(
            r,
            util::t(
                "`spec.tls` が設定されていないため、この Ingress のルールは HTTP（暗号化なし）で提供されます",
                "`spec.tls` is not set, so the rules of this Ingress are served over HTTP without encryption",
            ),
        ));
        return;
    }
    // A `tls` entry without `hosts` takes the controller's default (wildcard) certificate.
    let default_cert = tls.iter().any(|t| {
        t.child("hosts")
            .is_none_or(|h| h.is_null() || h.items().is_empty())
    });
    let tls_hosts: Vec<&str> = tls
        .iter()
        .filter_map(|t| t.child("hosts"))
        .flat_map(|h| h.items())
        .filter_map(|h| h.as_str())
        .collect();
    for rule in spec.child("rules").map(|x| x.items()).unwrap_or_default() {
        let Some(host) = rule.child("host").filter(|h| !h.is_null()) else {
            continue;
        };
        let Some(name) = host.as_str() else {
            continue;
        };
        if default_cert || tls_hosts.iter().any(|t| covers(t, name)) {
            continue;
        }
        out.push(Hit::value(
            host,
            util::t(
                format!(
                    "ホスト {} がどの `spec.tls[].hosts` にも含まれないため、TLS で保護されません",
                    host.display()
                ),
                format!(
                    "host {} is in no `spec.tls[].hosts`, so it is not served with TLS",
                    host.display()
                ),
            ),
        ));
    }
    // why: with TLS configured, ingress-nginx answers HTTP with a redirect to HTTPS; the
    // annotation `ssl-redirect: "false"` keeps serving the same content over plain HTTP.
    if let Some(a) = k8s::annotation(r, SSL_REDIRECT) {
        let forced =
            k8s::annotation(r, FORCE_SSL_REDIRECT).is_some_and(|f| f.as_bool() == Some(true));
        if a.as_bool() == Some(false) && !forced {
            out.push(Hit::value(
                a,
                util::t(
                    format!("注釈 `{SSL_REDIRECT}` が \"false\" のため、HTTPS と同じ内容を HTTP（暗号化なし）でも提供します"),
                    format!("annotation `{SSL_REDIRECT}` is \"false\", so the same content is also served over HTTP without encryption"),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("https-example.foo.com", "https-example.foo.com"));
        assert!(covers("*.example.jp", "www.example.jp"));
        assert!(!covers("*.example.jp", "a.b.example.jp"));
        assert!(!covers("*.example.jp", "example.jp"));
        assert!(!covers("www.example.jp", "api.example.jp"));
    }
}
