//! KJ-E5-006 `ssh-public-key-weak`: SSH public keys written in the configuration (key pairs,
//! the administrator keys of Linux VMs) meet the CRYPTREC strength requirement.
//!
//! The key type is the first field of the key line; an RSA key's size is read from the key
//! itself (its modulus). why: 第133条第2項 asks for algorithms and key lengths based on the
//! CRYPTREC list: DSA (`ssh-dss`, 1024 bits) fails, RSA below 2048 bits fails, 2048-bit RSA is
//! 112-bit security (table `[keys.ssh_public_key]`: "warn", reported after the date CRYPTREC
//! accepts it until).

use crate::facts::cryptrec::{self, Verdict};
use crate::facts::keys::{generated_ssh_key, ssh_public_keys};
use crate::facts::{placeholder, ssh};
use crate::{Ctx, Hit};
use kijun_model::{text, Node, Resource, Text};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["keys", "ssh_public_key"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    let Some(found) = ssh_public_keys(r) else {
        return;
    };
    let today = ctx.today();
    if found.keys.is_empty() {
        generated(r, t, today, out);
    }
    for n in found.keys {
        let attr = found.path;
        if n.is_unknown() {
            out.push(Hit::unknown(n, attr));
            continue;
        }
        if let Some(hit) = placeholder::not_a_value(n, attr) {
            out.push(hit);
            continue;
        }
        let Some(line) = n.as_str() else {
            continue;
        };
        let Some(key) = ssh::parse(line) else {
            out.push(not_evaluated(
                n,
                text!(
                    "`{attr}` の値を OpenSSH 形式の公開鍵として読めないため判定できません",
                    "`{attr}` does not read as an OpenSSH public key"
                ),
            ));
            continue;
        };
        out.extend(judge(t, attr, &key, Some(n), r, today, None));
    }
}

/// An `AWS::EC2::KeyPair` without key material: EC2 generates a key of `KeyType`.
fn generated(r: &Resource, t: &toml::Table, today: &str, out: &mut Vec<Hit>) {
    let Some((attr, node, default)) = generated_ssh_key(r) else {
        return;
    };
    let given = match node {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
            return;
        }
        Some(n) => n.as_str().unwrap_or(default),
        None => default,
    };
    let generated = t.get("ec2_generated").and_then(|m| m.as_table());
    let Some(key_type) = generated
        .and_then(|m| m.get(given))
        .and_then(|v| v.as_str())
    else {
        out.extend(node.map(|n| cryptrec::not_in_table(n, attr)));
        return;
    };
    let bits = t.get("ec2_generated_rsa_bits").and_then(|v| v.as_integer());
    let key = ssh::SshKey {
        key_type: key_type.to_string(),
        rsa_bits: bits.and_then(|b| u32::try_from(b).ok()),
    };
    // The finding says which key EC2 makes, since the key itself is not in the configuration.
    let base = key.rsa_bits.map(|bits| match node {
        None => text!(
            "`{attr}` が設定されていないため、EC2 は既定の種類（{default}）で {bits} ビットの RSA 鍵を生成します",
            "`{attr}` is not set; EC2 generates a {bits}-bit RSA key, the default type ({default})"
        ),
        Some(_) => text!(
            "`{attr}` が {given} のため、EC2 は {bits} ビットの RSA 鍵を生成します",
            "`{attr}` is {given}; EC2 generates a {bits}-bit RSA key"
        ),
    });
    out.extend(judge(t, attr, &key, node, r, today, base));
}

/// The finding for one key, or none when it passes (or passes until a later date). `base` says
/// what the configuration does, when the key itself is not in it.
fn judge(
    t: &toml::Table,
    attr: &str,
    key: &ssh::SshKey,
    node: Option<&Node>,
    r: &Resource,
    today: &str,
    base: Option<Text>,
) -> Option<Hit> {
    let kind = &key.key_type;
    let verdict = match cryptrec::string_of(t, "key_type", kind).as_deref() {
        Some("by-size") => match key.rsa_bits {
            Some(bits) => cryptrec::by_size(t, "rsa_bits", f64::from(bits)),
            None => {
                return node.map(|n| {
                    not_evaluated(
                        n,
                        text!(
                            "`{attr}` の RSA 鍵の鍵長を鍵から読み取れないため判定できません",
                            "the size of the RSA key in `{attr}` cannot be read from the key"
                        ),
                    )
                })
            }
        },
        Some(v) => Verdict::parse(v),
        None => None,
    };
    let Some(v) = verdict else {
        return node.map(|n| {
            not_evaluated(
                n,
                text!(
                    "`{attr}` の鍵の種類 {kind} は CRYPTREC 判定表（cryptrec.toml）にないため判定できません",
                    "`{attr}` holds a key of type {kind}, which kijun's CRYPTREC table (cryptrec.toml) does not list"
                ),
            )
        });
    };
    if !v.reported_on(today) {
        return None;
    }
    let base = base.unwrap_or_else(|| described(attr, key));
    let detail = cryptrec::with_reason(base, v.reason(strength(key)));
    Some(match node {
        Some(n) => Hit::value(n, detail),
        None => Hit::missing(r, detail),
    })
}

/// "`public_key` is a 1024-bit RSA key": the key line itself is too long to quote.
fn described(attr: &str, key: &ssh::SshKey) -> Text {
    let kind = &key.key_type;
    match key.rsa_bits {
        Some(bits) => text!(
            "`{attr}` は {bits} ビットの RSA 鍵（{kind}）です",
            "`{attr}` is a {bits}-bit RSA key ({kind})"
        ),
        None => text!(
            "`{attr}` は種類 {kind} の鍵です",
            "`{attr}` is a key of type {kind}"
        ),
    }
}

fn strength(key: &ssh::SshKey) -> Option<i64> {
    match key.key_type.as_str() {
        // DSA keys in OpenSSH are 1024 bits: 80-bit security.
        "ssh-dss" => cryptrec::rsa_security_bits(1024.0),
        _ => key
            .rsa_bits
            .and_then(|b| cryptrec::rsa_security_bits(f64::from(b))),
    }
}

fn not_evaluated(n: &Node, detail: Text) -> Hit {
    Hit {
        not_evaluated: true,
        ..Hit::value(n, detail)
    }
}
