//! KJ-E5-005 `gcp-kms-key-weak-algorithm`: Cloud KMS keys use an algorithm that meets the
//! CRYPTREC requirements.
//!
//! why: 第133条第2項 asks for algorithms and key lengths based on the CRYPTREC list. The table
//! `[keys.gcp_kms]` of cryptrec.toml grades each `version_template.algorithm`: SHA-1 variants
//! fail, 2048-bit RSA is "warn" (reported after the date CRYPTREC accepts 112-bit security
//! until), algorithms on no CRYPTREC list (secp256k1, ML-DSA, X-Wing) are "warn" too.

use crate::facts::cryptrec::{self, Verdict};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const ALGORITHM: &str = "version_template.algorithm";

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["keys", "gcp_kms"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    if let Some(n) = util::set(r, "version_template").filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, "version_template"));
        return;
    }
    // Without a template, a key of the default purpose (ENCRYPT_DECRYPT) is
    // GOOGLE_SYMMETRIC_ENCRYPTION (AES-256-GCM); the other purposes need an algorithm, and Cloud
    // KMS refuses to create the key without one. Neither leaves anything to judge.
    let Some(node) = r.path(ALGORITHM).filter(|n| !n.is_null()) else {
        return;
    };
    if node.is_unknown() {
        out.push(Hit::unknown(node, ALGORITHM));
        return;
    }
    let Some(name) = node.as_str() else {
        return;
    };
    let Some(v) = cryptrec::verdict_of(t, "algorithm", name) else {
        out.push(cryptrec::not_in_table(node, ALGORITHM));
        return;
    };
    if !v.reported_on(ctx.today()) {
        return;
    }
    let upper = name.to_ascii_uppercase();
    let reason = match v {
        // The weak part of `RSA_DECRYPT_OAEP_2048_SHA1` or `HMAC_SHA1` is its hash.
        Verdict::Fail if upper.ends_with("SHA1") => cryptrec::weak_primitive("SHA1"),
        _ => None,
    }
    .unwrap_or_else(|| v.reason(strength(&upper)));
    out.push(Hit::value(
        node,
        cryptrec::with_reason(util::is(ALGORITHM, node), reason),
    ));
}

/// The security strength an algorithm name states: its RSA modulus (`RSA_SIGN_PSS_2048_SHA256`)
/// or its NIST curve (`EC_SIGN_P384_SHA384`). Others (secp256k1, post-quantum, HMAC) state none
/// that the reason should give.
fn strength(name: &str) -> Option<i64> {
    let parts: Vec<&str> = name.split('_').collect();
    if parts.first() == Some(&"RSA") {
        let bits = parts.iter().find_map(|p| p.parse::<f64>().ok())?;
        return cryptrec::rsa_security_bits(bits);
    }
    if name.starts_with("EC_SIGN_P") {
        return parts.get(2).and_then(|c| cryptrec::ecc_security_bits(c));
    }
    None
}
