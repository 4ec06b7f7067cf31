//! KJ-N8-011 `s3-bucket-without-secure-transport-policy`: at confidentiality 3, an S3 bucket whose
//! bucket policies have no statement denying requests made without TLS
//! (`"Condition": {"Bool": {"aws:SecureTransport": "false"}}`).
//!
//! Article 110(3) asks for the confidentiality of traffic on the line; S3 answers plain HTTP too,
//! so the deny statement is what guarantees it (CONTROLS.md N8 limits it to confidentiality 3).

use crate::{util, Ctx, Hit};
use kijun_model::Resource;
use serde_json::Value as J;

/// `"false"`, `false` or a list holding one of them.
fn is_false(v: &J) -> bool {
    match v {
        J::Bool(b) => !*b,
        J::String(s) => s.trim().eq_ignore_ascii_case("false"),
        J::Array(a) => a.iter().any(is_false),
        _ => false,
    }
}

fn denies_plaintext(st: &J) -> bool {
    let deny = st
        .get("Effect")
        .and_then(|e| e.as_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("deny"));
    let Some(cond) = st.get("Condition").and_then(|c| c.as_object()) else {
        return false;
    };
    deny && cond.iter().any(|(op, body)| {
        (op.eq_ignore_ascii_case("Bool") || op.eq_ignore_ascii_case("BoolIfExists"))
            && body.as_object().is_some_and(|m| {
                m.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("aws:SecureTransport") && is_false(v)
                })
            })
    })
}

/// Some(true) when the policy text has the deny statement, None when it is not JSON.
fn has_deny(text: &str) -> Option<bool> {
    let doc: J = serde_json::from_str(text).ok()?;
    Some(match doc.get("Statement") {
        Some(J::Array(a)) => a.iter().any(denies_plaintext),
        Some(s @ J::Object(_)) => denies_plaintext(s),
        _ => false,
    })
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut policies = ctx.referring_to("aws_s3_bucket_policy", r);
    let name = util::set(r, "bucket").and_then(|n| n.as_str());
    for p in ctx.of_kind("aws_s3_bucket_policy") {
        let literal = name.is_some() && p.get("bucket").and_then(|b| b.as_str()) == name;
        if literal && !policies.iter().any(|x| x.address == p.address) {
            policies.push(p);
        }
    }
    let mut unknown = None;
    for p in &policies {
        let Some(doc) = util::set(p, "policy") else {
            continue;
        };
        if doc.is_unknown() {
            unknown.get_or_insert(doc);
            continue;
        }
        match doc.as_str().and_then(has_deny) {
            Some(true) => return,
            Some(false) => {}
            None => {
                unknown.get_or_insert(doc);
            }
        }
    }
    if let Some(doc) = unknown {
        out.push(Hit::unknown(doc, "policy"));
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "このバケットを参照するバケットポリシーに、`aws:SecureTransport` が false の要求を拒否するステートメントがありません",
            "no bucket policy referring to this bucket denies requests whose `aws:SecureTransport` is false",
        ),
    ));
}
