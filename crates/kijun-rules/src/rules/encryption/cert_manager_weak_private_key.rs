//! KJ-E5-101 `cert-manager-weak-private-key`: a cert-manager Certificate (or an Ingress or
//! Gateway that asks cert-manager for one through annotations) whose private key is below the
//! CRYPTREC strength requirement.
//!
//! Ed25519 has no size). Verdicts come from `[keys.cert_manager]` of `policies/data/cryptrec.toml`
//! through the shared reader (`rules/cryptrec.rs`).

use crate::facts::cryptrec::{self, Verdict};
use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

const ALG_ANN: &str = "cert-manager.io/private-key-algorithm";
const SIZE_ANN: &str = "cert-manager.io/private-key-size";
/// Annotations that make cert-manager's ingress-shim / gateway-shim create a Certificate.
const SHIM: &[&str] = &[
    "cert-manager.io/issuer",
    "cert-manager.io/cluster-issuer",
    "kubernetes.io/tls-acme",
];

/// Where the two settings are read from, and how they are named in messages.
struct Source<'a> {
    alg: Option<&'a Node>,
    size: Option<&'a Node>,
    alg_name: &'static str,
    size_name: &'static str,
}

fn text(n: &Node) -> Option<String> {
    k8s::scalar_text(n)
}

/// The verdict and security strength of an ECDSA key of `size` bits: from the table, or for a
/// size it does not list, from the strength of the NIST curve P-`size`.
fn ecdsa(t: &toml::Table, size: f64) -> Option<(Verdict, Option<i64>)> {
    let key = kijun_model::format_number(size);
    let bits = cryptrec::ecc_security_bits(&format!("P-{key}"));
    if let Some(v) = cryptrec::verdict_of(t, "ecdsa_size", &key) {
        return Some((v, bits));
    }
    let b = bits?;
    let v = if b < cryptrec::minimum_bits() {
        Verdict::Fail
    } else if b < 128 {
        Verdict::Warn
    } else {
        Verdict::Ok
    };
    Some((v, Some(b)))
}

fn judge(r: &Resource, src: &Source, today: &str, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["keys", "cert_manager"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    let defaults = t.get("defaults").and_then(|d| d.as_table());
    let default_of = |k: &str, fallback: i64| {
        defaults
            .and_then(|d| d.get(k))
            .and_then(|v| v.as_integer())
            .unwrap_or(fallback)
    };
    let alg_default = defaults
        .and_then(|d| d.get("algorithm"))
        .and_then(|v| v.as_str())
        .unwrap_or("RSA")
        .to_string();
    if let Some(a) = src.alg.filter(|a| a.is_unknown()) {
        out.push(Hit::unknown(a, src.alg_name));
        return;
    }
    let alg = src.alg.and_then(text).unwrap_or(alg_default.clone());
    let how = match cryptrec::string_of(t, "algorithm", &alg) {
        Some(h) => h,
        None => {
            if let Some(a) = src.alg {
                out.push(cryptrec::not_in_table(a, src.alg_name));
            }
            return;
        }
    };
    if how != "by-size" {
        if let (Some(v), Some(a)) = (Verdict::parse(&how), src.alg) {
            if v.reported_on(today) {
                out.push(Hit::value(
                    a,
                    cryptrec::with_reason(util::is(src.alg_name, a), v.reason(None)),
                ));
            }
        }
        return;
    }
    let rsa = alg.eq_ignore_ascii_case("RSA");
    let default_size = if rsa {
        default_of("rsa_size", 2048)
    } else {
        default_of("ecdsa_size", 256)
    };
    if let Some(s) = src.size.filter(|s| s.is_unknown()) {
        out.push(Hit::unknown(s, src.size_name));
        return;
    }
    let size_node = src.size.filter(|s| !s.is_null());
    let size = match size_node {
        Some(n) => match n.as_f64() {
            Some(x) if x > 0.0 => x,
            // cert-manager treats 0 as "not set".
            Some(_) => default_size as f64,
            None => {
                out.push(cryptrec::not_in_table(n, src.size_name));
                return;
            }
        },
        None => default_size as f64,
    };
    let judged = if rsa {
        cryptrec::by_size(t, "rsa_size", size).map(|v| (v, cryptrec::rsa_security_bits(size)))
    } else {
        ecdsa(t, size)
    };
    let Some((v, bits)) = judged else {
        if let Some(n) = size_node {
            out.push(cryptrec::not_in_table(n, src.size_name));
        }
        return;
    };
    if !v.reported_on(today) {
        return;
    }
    let reason = v.reason(bits);
    let lead = |base: Text| {
        Text::new(
            format!("{alg} 鍵の {}", base.ja),
            format!("{alg} key: {}", base.en),
        )
    };
    out.push(match size_node {
        Some(n) if n.as_f64().is_some_and(|x| x > 0.0) => Hit::value(
            n,
            cryptrec::with_reason(lead(util::is(src.size_name, n)), reason),
        ),
        Some(n) => Hit::value(
            n,
            cryptrec::with_reason(
                lead(util::unset(src.size_name, &default_size.to_string())),
                reason,
            ),
        ),
        None => {
            let d = cryptrec::with_reason(
                lead(util::unset(src.size_name, &default_size.to_string())),
                reason,
            );
            match src.alg {
                Some(a) => Hit::value(a, d),
                None => Hit::missing(r, d),
            }
        }
    });
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match (r.kind.as_str(), k8s::api_group(r)) {
        ("Certificate", "cert-manager.io") => {
            let pk = r.get("spec").and_then(|s| s.child("privateKey"));
            let src = Source {
                alg: pk
                    .and_then(|p| p.child("algorithm"))
                    .filter(|n| !n.is_null()),
                size: pk.and_then(|p| p.child("size")),
                alg_name: "spec.privateKey.algorithm",
                size_name: "spec.privateKey.size",
            };
            judge(r, &src, ctx.today(), out);
        }
        ("Ingress", _) | ("Gateway", "gateway.networking.k8s.io") => {
            if !SHIM.iter().any(|k| k8s::annotation(r, k).is_some()) {
                return;
            }
            let src = Source {
                alg: k8s::annotation(r, ALG_ANN),
                size: k8s::annotation(r, SIZE_ANN),
                alg_name: ALG_ANN,
                size_name: SIZE_ANN,
            };
            if src.alg.is_none() && src.size.is_none() {
                return;
            }
            judge(r, &src, ctx.today(), out);
        }
        _ => {}
    }
}
