//! KJ-E5-004 `azure-key-vault-key-weak`: Azure Key Vault and Managed HSM keys have a type, size
//! and curve that meet the CRYPTREC strength requirement.
//!
//! The key type decides what is judged: RSA keys by their size in bits, EC keys by their curve,
//! AES (`oct`) keys of a Managed HSM by their size. why: 第133条第2項 asks for algorithms and key
//! lengths based on the CRYPTREC list; the table `[keys.azure_key_vault]` of cryptrec.toml grades
//! each value, and "warn" (112-bit security: RSA 2048) is reported only after the date CRYPTREC
//! accepts it until.

use crate::facts::cryptrec::{self, Verdict};
use crate::facts::keys::VAULT_KEY;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["keys", "azure_key_vault"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    let type_attr = VAULT_KEY.key_type.of(r);
    // The key type is required by the provider and by Key Vault: without one no key is made.
    let Some(kty) = set(r, type_attr) else {
        return;
    };
    if kty.is_unknown() {
        out.push(Hit::unknown(kty, type_attr));
        return;
    }
    let Some(name) = kty.as_str() else {
        return;
    };
    let today = ctx.today();
    match cryptrec::string_of(t, "key_type", name).as_deref() {
        Some("by-size") if name.to_ascii_lowercase().starts_with("oct") => {
            sized(r, t, "oct_key_size", None, today, out)
        }
        Some("by-size") => sized(r, t, "rsa_key_size", Some(rsa_default(t)), today, out),
        Some("by-curve") => curve(r, t, today, out),
        Some(v) => match Verdict::parse(v) {
            Some(v) => out.extend(cryptrec::judged(r, type_attr, Some(kty), "", v, None, today)),
            None => out.push(cryptrec::not_in_table(kty, type_attr)),
        },
        None => out.push(cryptrec::not_in_table(kty, type_attr)),
    }
}

fn set<'a>(r: &'a Resource, attr: &str) -> Option<&'a Node> {
    r.path(attr).filter(|n| !n.is_null())
}

/// The RSA size Key Vault uses when a request names none (data: `rsa_key_size_default`).
fn rsa_default(t: &toml::Table) -> i64 {
    t.get("rsa_key_size_default")
        .and_then(|v| v.as_integer())
        .unwrap_or(2048)
}

/// An RSA key by its modulus (`rsa_key_size`: thresholds) or an AES key by its size
/// (`oct_key_size`: a list of sizes). `default` is the size used when none is set; AES keys
/// have none (Managed HSM requires it), so nothing is judged then.
fn sized(
    r: &Resource,
    t: &toml::Table,
    field: &str,
    default: Option<i64>,
    today: &str,
    out: &mut Vec<Hit>,
) {
    let attr = VAULT_KEY.size.of(r);
    let node = set(r, attr);
    let size = match node {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
            return;
        }
        Some(n) => match n.as_f64() {
            Some(b) => b,
            None => return,
        },
        None => match default {
            Some(d) => d as f64,
            None => return,
        },
    };
    let rsa = default.is_some();
    let verdict = if rsa {
        cryptrec::by_size(t, field, size)
    } else {
        node.and_then(cryptrec::key_text)
            .and_then(|k| cryptrec::verdict_of(t, field, &k))
    };
    let Some(v) = verdict else {
        if let Some(n) = node {
            out.push(cryptrec::not_in_table(n, attr));
        }
        return;
    };
    let bits = if rsa {
        cryptrec::rsa_security_bits(size)
    } else {
        None
    };
    let default = default.map(|d| d.to_string()).unwrap_or_default();
    out.extend(cryptrec::judged(r, attr, node, &default, v, bits, today));
}

/// An EC key by its curve; unset, Key Vault makes a P-256 key (data: `curve_default`).
fn curve(r: &Resource, t: &toml::Table, today: &str, out: &mut Vec<Hit>) {
    let attr = VAULT_KEY.curve.of(r);
    let default = t
        .get("curve_default")
        .and_then(|v| v.as_str())
        .unwrap_or("P-256");
    let node = set(r, attr);
    let curve = match node {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
            return;
        }
        Some(n) => match n.as_str() {
            Some(c) => c.to_string(),
            None => return,
        },
        None => default.to_string(),
    };
    let Some(v) = cryptrec::verdict_of(t, "curve", &curve) else {
        if let Some(n) = node {
            out.push(cryptrec::not_in_table(n, attr));
        }
        return;
    };
    // why: P-256K (secp256k1) is strong enough (128 bits) but on no CRYPTREC list; without a
    // strength the reason says that, instead of calling it a 112-bit key.
    let bits = if curve.eq_ignore_ascii_case("P-256K") {
        None
    } else {
        cryptrec::ecc_security_bits(&curve)
    };
    out.extend(cryptrec::judged(r, attr, node, default, v, bits, today));
}
