//! KJ-E6-003 `gcp-vpn-weak-ike`: Cloud VPN tunnels use IKEv2 and, where their cipher suite is
//! written, only CRYPTREC-grade algorithms.
//!
//! why: 第133条第2項 asks for algorithms and secure protocols based on the CRYPTREC list, and
//! 第110条第3項 for protecting communication lines. IKEv1 is a protocol weakness rather than a
//! strength CRYPTREC accepts until a date, so it is reported now (as KJ-E6-001 does for AWS).
//! Each value of `cipher_suite` is graded by `[ipsec.gcp]` of cryptrec.toml.

use crate::facts::cryptrec::{self, Verdict};
use crate::{util, Ctx, Hit};
use kijun_model::{text, Node, Resource};

/// The lists of `cipher_suite`: (phase block, list, column of `[ipsec.gcp]`). Phase 2's `pfs`
/// names Diffie-Hellman groups as phase 1's `dh` does.
const LISTS: [(&str, &str, &str); 7] = [
    ("phase1", "encryption", "encryption"),
    ("phase1", "integrity", "integrity"),
    ("phase1", "prf", "prf"),
    ("phase1", "dh", "dh"),
    ("phase2", "encryption", "encryption"),
    ("phase2", "integrity", "integrity"),
    ("phase2", "pfs", "dh"),
];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["ipsec", "gcp"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    ike_version(r, t, out);
    let Some(suite) = util::set(r, "cipher_suite") else {
        // Without a cipher suite the tunnel negotiates Cloud VPN's supported proposals, which
        // kijun's table does not list with certainty: not judged (documented limitation).
        return;
    };
    if suite.is_unknown() {
        out.push(Hit::unknown(suite, "cipher_suite"));
        return;
    }
    for (phase, list, column) in LISTS {
        let attr = format!("cipher_suite.{phase}.{list}");
        let Some(node) = suite
            .child(phase)
            .and_then(|p| p.child(list))
            .filter(|n| !n.is_null())
        else {
            continue;
        };
        if node.is_unknown() {
            out.push(Hit::unknown(node, &attr));
            continue;
        }
        for item in node.items() {
            judge_value(ctx, t, column, &attr, item, out);
        }
    }
}

/// `ike_version` (1 or 2; unset, 2).
fn ike_version(r: &Resource, t: &toml::Table, out: &mut Vec<Hit>) {
    let Some(n) = util::set(r, "ike_version") else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, "ike_version"));
        return;
    }
    let Some(v) = cryptrec::key_text(n) else {
        return;
    };
    match cryptrec::verdict_of(t, "ike_version", &v) {
        None => out.push(cryptrec::not_in_table(n, "ike_version")),
        Some(Verdict::Ok) => {}
        Some(_) => out.push(Hit::value(
            n,
            cryptrec::with_reason(
                util::is("ike_version", n),
                text!(
                    "IKEv1 は安全なプロトコルとして認められません",
                    "IKEv1 is not accepted as a secure protocol"
                ),
            ),
        )),
    }
}

fn judge_value(ctx: &Ctx, t: &toml::Table, column: &str, attr: &str, item: &Node, out: &mut Vec<Hit>) {
    if item.is_unknown() {
        out.push(Hit::unknown(item, attr));
        return;
    }
    let Some(value) = item.as_str() else {
        return;
    };
    let Some(v) = cryptrec::verdict_of(t, column, value) else {
        out.push(cryptrec::not_in_table(item, attr));
        return;
    };
    if !v.reported_on(ctx.today()) {
        return;
    }
    // "Group-14" → IANA group 14, for the strength in the reason.
    let bits = value
        .strip_prefix("Group-")
        .and_then(|g| g.parse::<i64>().ok())
        .and_then(cryptrec::dh_security_bits);
    let reason = primitive(value).unwrap_or_else(|| v.reason(bits));
    let shown = item.display();
    out.push(Hit::value(
        item,
        cryptrec::with_reason(
            text!(
                "`{attr}` に {shown} が含まれています",
                "`{attr}` includes {shown}"
            ),
            reason,
        ),
    ));
}

/// The weak primitive a Cloud VPN algorithm name carries (`HMAC-SHA1-96` → SHA-1,
/// `3DES-CBC` → 3DES), for a reason that names it.
fn primitive(value: &str) -> Option<kijun_model::Text> {
    let upper = value.to_ascii_uppercase();
    ["SHA1", "MD5", "3DES"]
        .iter()
        .find(|p| upper.contains(*p))
        .and_then(|p| cryptrec::weak_primitive(p))
}
