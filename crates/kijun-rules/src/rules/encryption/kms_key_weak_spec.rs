//! KJ-E5-002 `kms-key-weak-spec`: AWS KMS key specs are on the CRYPTREC list and strong enough.

use crate::facts::cryptrec::{self, Verdict};
use crate::facts::keys::KMS_KEY_SPEC;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["keys", "aws_kms"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    // The same setting has a different name on the external-key resource. CloudFormation
    // `AWS::KMS::Key` calls it `KeySpec`; a template carries no Region, so the China-Region
    // case below does not arise for it.
    let attr = match r.kind.as_str() {
        "aws_kms_external_key" => "key_spec",
        _ => KMS_KEY_SPEC.of(r),
    };
    let default = t
        .get("default")
        .and_then(|v| v.as_str())
        .unwrap_or("SYMMETRIC_DEFAULT");
    let node = util::set(r, attr);
    if let Some(n) = node.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let spec = match node {
        Some(n) => match n.as_str() {
            Some(s) => s.to_string(),
            None => return,
        },
        None => default.to_string(),
    };
    if spec.eq_ignore_ascii_case("SYMMETRIC_DEFAULT") && in_china(r) {
        // why: in the China Regions SYMMETRIC_DEFAULT is an SM4 key, and SM4 is on no CRYPTREC
        // list (第133条第2項); everywhere else it is AES-256-GCM.
        let reason = util::t(
            "中国リージョンでは SYMMETRIC_DEFAULT は SM4 鍵であり、SM4 は CRYPTREC 暗号リストに掲載されていません",
            "in the China Regions SYMMETRIC_DEFAULT is an SM4 key, and SM4 is not on the CRYPTREC Ciphers List",
        );
        out.push(match node {
            Some(n) => Hit::value(n, cryptrec::with_reason(util::is(attr, n), reason)),
            None => Hit::missing(r, cryptrec::with_reason(util::unset(attr, default), reason)),
        });
        return;
    }
    let Some(v) = cryptrec::verdict_of(t, "key_spec", &spec) else {
        if let Some(n) = node {
            out.push(cryptrec::not_in_table(n, attr));
        }
        return;
    };
    if !v.reported_on(ctx.today()) {
        return;
    }
    let reason = match v {
        Verdict::Fail => cryptrec::weak_primitive(&spec).unwrap_or_else(|| v.reason(bits(&spec))),
        _ => v.reason(bits(&spec)),
    };
    out.push(match node {
        Some(n) => Hit::value(n, cryptrec::with_reason(util::is(attr, n), reason)),
        None => Hit::missing(r, cryptrec::with_reason(util::unset(attr, default), reason)),
    });
}

/// Security strength of a key spec, for the message: RSA_2048 → 112, ECC_NIST_P256 → 128.
fn bits(spec: &str) -> Option<i64> {
    let s = spec.to_ascii_uppercase();
    if let Some(n) = s.strip_prefix("RSA_").and_then(|n| n.parse::<f64>().ok()) {
        return cryptrec::rsa_security_bits(n);
    }
    if let Some(c) = s.strip_prefix("ECC_NIST_") {
        return cryptrec::ecc_security_bits(c);
    }
    if s == "ECC_SECG_P256K1" {
        return cryptrec::ecc_security_bits("secp256k1");
    }
    None
}

/// Whether the key is created in a China Region (`cn-north-1`, `cn-northwest-1`), by the
/// resource's own `region` (provider v6) or its provider configuration's.
fn in_china(r: &Resource) -> bool {
    let region = util::set(r, "region")
        .or_else(|| r.provider.as_ref().and_then(|p| p.region.as_ref()))
        .and_then(|n| n.as_str());
    region.is_some_and(|s| s.to_ascii_lowercase().starts_with("cn-"))
}
