//! KJ-E5-003 `acm-certificate-weak-key`: ACM certificates use a key algorithm of CRYPTREC strength.

use crate::facts::cryptrec;
use crate::facts::keys::ACM_KEY_ALGORITHM;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // An imported certificate brings its own key; `key_algorithm` applies to certificates that
    // ACM issues (public or from a private CA). CloudFormation
    // (`AWS::CertificateManager::Certificate`) only requests certificates and calls it
    // `KeyAlgorithm`.
    let attr = ACM_KEY_ALGORITHM.of(r);
    if util::set(r, "private_key").is_some() || util::set(r, "certificate_body").is_some() {
        return;
    }
    let Some(t) = cryptrec::table(&["keys", "aws_acm"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    let default = t
        .get("default")
        .and_then(|v| v.as_str())
        .unwrap_or("RSA_2048");
    let node = util::set(r, attr);
    if let Some(n) = node.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let alg = match node {
        Some(n) => match n.as_str() {
            Some(s) => s.to_string(),
            None => return,
        },
        None => default.to_string(),
    };
    let Some(v) = cryptrec::verdict_of(t, "key_algorithm", &alg) else {
        if let Some(n) = node {
            out.push(cryptrec::not_in_table(n, attr));
        }
        return;
    };
    if !v.reported_on(ctx.today()) {
        return;
    }
    let reason = v.reason(bits(&alg));
    out.push(match node {
        Some(n) => Hit::value(n, cryptrec::with_reason(util::is(attr, n), reason)),
        None => Hit::missing(r, cryptrec::with_reason(util::unset(attr, default), reason)),
    });
}

/// RSA_1024 → 80, EC_prime256v1 → 128 (for the message).
fn bits(alg: &str) -> Option<i64> {
    if let Some(n) = alg.strip_prefix("RSA_").and_then(|n| n.parse::<f64>().ok()) {
        return cryptrec::rsa_security_bits(n);
    }
    let curve = match alg {
        "EC_prime256v1" => "P-256",
        "EC_secp384r1" => "P-384",
        "EC_secp521r1" => "P-521",
        _ => return None,
    };
    cryptrec::ecc_security_bits(curve)
}
