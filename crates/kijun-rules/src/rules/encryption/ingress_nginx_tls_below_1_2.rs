//! KJ-E3-101 `ingress-nginx-tls-below-1-2`: ingress-nginx configured to accept TLS versions
//! below the CRYPTREC TLS guideline's recommended level (TLS 1.2).
//!
//! Read from the controller ConfigMap key `ssl-protocols` (client side; documented default
//! "TLSv1.2 TLSv1.3") and the Ingress annotation `nginx.ingress.kubernetes.io/proxy-ssl-protocols`
//! (towards HTTPS backends; default "TLSv1.2"). why: 第133条第2項 asks for protocols chosen
//! on the basis of the CRYPTREC list and 第134条第1項第2号 for following protocol weaknesses;
//! SSL 3.0, TLS 1.0 and TLS 1.1 are outside the guideline's recommended level. The minimum
//! version and the order of versions come from `policies/data/cryptrec.toml`.
//!
//! ingress-nginx has no per-Ingress `ssl-protocols` annotation (the client-side protocols are
//! set for the whole controller), so none is read.

use crate::facts::cryptrec;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub const PROXY_PROTOCOLS: &str = "nginx.ingress.kubernetes.io/proxy-ssl-protocols";

/// nginx's protocol names → the spelling of `[tls_verdict].protocol_order`.
fn version(token: &str) -> Option<&'static str> {
    Some(match token {
        "SSLv2" => "SSLv2",
        "SSLv3" => "SSLv3",
        "TLSv1" => "1.0",
        "TLSv1.1" => "1.1",
        "TLSv1.2" => "1.2",
        "TLSv1.3" => "1.3",
        _ => return None,
    })
}

/// (protocol order from oldest, the lowest acceptable version).
fn table() -> (Vec<String>, String) {
    let order = cryptrec::table(&["tls_verdict"])
        .and_then(|t| t.get("protocol_order"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            ["SSLv3", "1.0", "1.1", "1.2", "1.3"]
                .map(String::from)
                .to_vec()
        });
    let level = cryptrec::table(&["tls_guideline"])
        .and_then(|g| g.get("kijun_default_level"))
        .and_then(|v| v.as_str())
        .unwrap_or("recommended")
        .to_string();
    let required = cryptrec::data()
        .and_then(|d| d.get("tls_guideline"))
        .and_then(|g| g.get("level"))
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .find(|l| l.get("id").and_then(|v| v.as_str()) == Some(level.as_str()))
        .and_then(|l| l.get("min_tls"))
        .and_then(|v| v.as_str())
        .unwrap_or("1.2")
        .to_string();
    (order, required)
}

/// Judges one space-separated nginx protocol list.
pub fn judge(node: &Node, attr: &str, out: &mut Vec<Hit>) {
    if node.is_unknown() {
        out.push(Hit::unknown(node, attr));
        return;
    }
    let Some(text) = node.as_str() else {
        return;
    };
    let (order, required) = table();
    // SSLv2 predates every version in the table.
    let rank = |v: &str| -> Option<i64> {
        if v == "SSLv2" {
            return Some(-1);
        }
        order.iter().position(|x| x == v).map(|p| p as i64)
    };
    let Some(min) = rank(&required) else {
        return;
    };
    let mut weak = Vec::new();
    for token in text.split_whitespace() {
        match version(token).and_then(|v| rank(v).map(|r| (v, r))) {
            Some((_, r)) if r < min => weak.push(token.to_string()),
            Some(_) => {}
            None => {
                out.push(Hit {
                    not_evaluated: true,
                    ..Hit::value(
                        node,
                        util::t(
                            format!("`{attr}` の {token} は nginx のプロトコル名（SSLv2、SSLv3、TLSv1、TLSv1.1、TLSv1.2、TLSv1.3）ではないため判定できません"),
                            format!("`{attr}` contains {token}, which is not an nginx protocol name (SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)"),
                        ),
                    )
                });
                return;
            }
        }
    }
    if weak.is_empty() {
        return;
    }
    let (list_ja, list) = (weak.join("、"), weak.join(", "));
    out.push(Hit::value(
        node,
        util::t(
            format!("`{attr}` が {} で、TLS {required} 未満の {list_ja} を許可しています（CRYPTREC TLS 暗号設定ガイドラインの推奨セキュリティ型は TLS {required} 以上）", node.display()),
            format!("`{attr}` is {}, allowing {list}, below TLS {required} (the CRYPTREC TLS guideline's recommended level requires TLS {required} or later)", node.display()),
        ),
    ));
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "ConfigMap" => {
            if let Some(v) = r.get("data").and_then(|d| d.child("ssl-protocols")) {
                judge(v, "ssl-protocols", out);
            }
        }
        "Ingress" => {
            if let Some(v) = crate::facts::k8s::annotation(r, PROXY_PROTOCOLS) {
                judge(v, PROXY_PROTOCOLS, out);
            }
        }
        _ => {}
    }
}
