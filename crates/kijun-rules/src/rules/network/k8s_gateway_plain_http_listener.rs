//! KJ-N8-102 `k8s-gateway-plain-http-listener`: a Gateway listener that serves plain HTTP
//! instead of redirecting to HTTPS.
//!
//! Two kinds are called Gateway: the Kubernetes Gateway API (`gateway.networking.k8s.io`,
//! `spec.listeners[].protocol`) and Istio's (`networking.istio.io`,
//! `spec.servers[].port.protocol`). why: 第110条第3項 and 第104条第4項 ask for encrypted
//! traffic. An HTTP listener is acceptable only when it does nothing but redirect to HTTPS: in
//! the Gateway API, every HTTPRoute attached to the listener redirects with
//! `RequestRedirect` `scheme: https`; in Istio, the server sets `tls.httpsRedirect: true`.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Whether an HTTPRoute `parentRef` attaches to this Gateway's listener.
fn attaches(pref: &Node, route_ns: &str, gw: &Resource, listener: &Node) -> bool {
    let s = |n: &Node, k: &str| n.child(k).and_then(|v| v.as_str()).map(str::to_string);
    let group = s(pref, "group").unwrap_or_else(|| "gateway.networking.k8s.io".into());
    let kind = s(pref, "kind").unwrap_or_else(|| "Gateway".into());
    if group != "gateway.networking.k8s.io" || kind != "Gateway" {
        return false;
    }
    let ns = s(pref, "namespace").unwrap_or_else(|| route_ns.to_string());
    if s(pref, "name").as_deref() != k8s::name(gw) || ns != k8s::namespace(gw) {
        return false;
    }
    if let Some(section) = s(pref, "sectionName") {
        if Some(section.as_str()) != listener.child("name").and_then(|n| n.as_str()) {
            return false;
        }
    }
    if let Some(port) = pref.child("port").and_then(|p| p.as_f64()) {
        if Some(port) != listener.child("port").and_then(|p| p.as_f64()) {
            return false;
        }
    }
    true
}

/// Every rule of the route answers with a redirect to `https`.
fn redirects_only(route: &Resource) -> bool {
    let rules = route
        .get("spec")
        .and_then(|s| s.child("rules"))
        .map(|r| r.items())
        .unwrap_or_default();
    !rules.is_empty()
        && rules.iter().all(|rule| {
            rule.child("filters")
                .map(|f| f.items())
                .unwrap_or_default()
                .iter()
                .any(|f| {
                    f.child("type").and_then(|t| t.as_str()) == Some("RequestRedirect")
                        && f.child("requestRedirect")
                            .and_then(|rr| rr.child("scheme"))
                            .and_then(|s| s.as_str())
                            .is_some_and(|s| s.eq_ignore_ascii_case("https"))
                })
        })
}

fn gateway_api(ctx: &Ctx, r: &Resource, spec: &Node, out: &mut Vec<Hit>) {
    for l in spec
        .child("listeners")
        .map(|l| l.items())
        .unwrap_or_default()
    {
        let Some(proto) = l.child("protocol") else {
            continue;
        };
        if proto.as_str() != Some("HTTP") {
            continue;
        }
        let routes: Vec<&Resource> = ctx
            .of_kind("HTTPRoute")
            .filter(|rt| {
                let ns = k8s::namespace(rt);
                rt.get("spec")
                    .and_then(|s| s.child("parentRefs"))
                    .map(|p| p.items())
                    .unwrap_or_default()
                    .iter()
                    .any(|p| attaches(p, ns, r, l))
            })
            .collect();
        if !routes.is_empty() && routes.iter().all(|rt| redirects_only(rt)) {
            continue;
        }
        let lname = l.child("name").and_then(|n| n.as_str()).unwrap_or("");
        let detail = if routes.is_empty() {
            util::t(
                format!("リスナー `{lname}` の `protocol` が \"HTTP\" で、HTTPS へリダイレクトする HTTPRoute が接続されていません"),
                format!("listener `{lname}` has `protocol` \"HTTP\" and no HTTPRoute attached to it redirects to HTTPS"),
            )
        } else {
            let names: Vec<String> = routes
                .iter()
                .filter(|rt| !redirects_only(rt))
                .map(|rt| format!("`{}`", rt.address))
                .collect();
            util::t(
                format!("リスナー `{lname}` の `protocol` が \"HTTP\" で、接続された HTTPRoute {} が HTTPS へのリダイレクト以外の応答をします", names.join("、")),
                format!("listener `{lname}` has `protocol` \"HTTP\" and the attached HTTPRoute(s) {} answer with more than a redirect to HTTPS", names.join(", ")),
            )
        };
        out.push(Hit::value(proto, detail));
    }
}

fn istio(spec: &Node, out: &mut Vec<Hit>) {
    for srv in spec.child("servers").map(|l| l.items()).unwrap_or_default() {
        let Some(proto) = srv.child("port").and_then(|p| p.child("protocol")) else {
            continue;
        };
        // Istio's plaintext HTTP family (HTTPS and TLS are the encrypted ones; TCP and MONGO
        // carry an unknown application protocol).
        let plain = proto.as_str().is_some_and(|p| {
            ["HTTP", "HTTP2", "GRPC", "GRPC-WEB"]
                .iter()
                .any(|x| p.eq_ignore_ascii_case(x))
        });
        if !plain {
            continue;
        }
        let redirect = srv
            .child("tls")
            .and_then(|t| t.child("httpsRedirect"))
            .is_some_and(|v| v.as_bool() == Some(true));
        if redirect {
            continue;
        }
        let pname = srv
            .child("port")
            .and_then(|p| p.child("name"))
            .and_then(|n| n.as_str())
            .unwrap_or("");
        out.push(Hit::value(
            proto,
            util::t(
                format!("サーバー `{pname}` のプロトコルが {}（暗号化なし）で、`tls.httpsRedirect: true` による HTTPS へのリダイレクトがありません", proto.display()),
                format!("server `{pname}` has protocol {} (unencrypted) and no redirect to HTTPS (`tls.httpsRedirect: true`)", proto.display()),
            ),
        ));
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = r.get("spec") else {
        return;
    };
    match k8s::api_group(r) {
        "gateway.networking.k8s.io" => gateway_api(ctx, r, spec, out),
        "networking.istio.io" => istio(spec, out),
        _ => {}
    }
}
