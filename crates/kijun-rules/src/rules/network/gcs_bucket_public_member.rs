//! KJ-N4-011 `gcs-bucket-public-member`: a Cloud Storage bucket (or its objects) granted to
//! `allUsers` or `allAuthenticatedUsers`, through IAM members, bindings or a policy document, or
//! through legacy ACL resources.
//!
//! `allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account,
//! so either makes the data public.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const PUBLIC: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

/// The public principal named by `s` ("allUsers", "READER:allUsers"), if any.
fn public_in(s: &str) -> Option<&'static str> {
    let last = s.rsplit(':').next().unwrap_or(s).trim();
    PUBLIC
        .iter()
        .copied()
        .find(|p| p.eq_ignore_ascii_case(last))
}

fn hit(n: &Node, attr: &str, who: &str) -> Hit {
    let (ja, en) = if who == "allUsers" {
        ("インターネット上の誰でも", "anyone on the internet")
    } else {
        (
            "Google アカウントを持つ誰でも",
            "anyone with a Google account",
        )
    };
    Hit::value(
        n,
        util::t(
            format!("`{attr}` に {who} が含まれており、{ja}アクセスできます"),
            format!("`{attr}` includes {who}, so {en} has access"),
        ),
    )
}

fn strings(r: &Resource, attr: &str, out: &mut Vec<Hit>) {
    let Some(n) = util::set(r, attr) else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let (list, unknown) = n.strings();
    let mut found = false;
    for (s, node) in list {
        if let Some(who) = public_in(s) {
            out.push(hit(node, attr, who));
            found = true;
        }
    }
    if unknown && !found {
        out.push(Hit::unknown(n, attr));
    }
}

fn policy_data(r: &Resource, out: &mut Vec<Hit>) {
    let attr = "policy_data";
    let Some(n) = util::set(r, attr) else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let Some(doc) = n
        .as_str()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
    else {
        return;
    };
    let mut reported = Vec::new();
    for b in doc
        .get("bindings")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        for m in b
            .get("members")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(who) = m.as_str().and_then(public_in) {
                if !reported.contains(&who) {
                    reported.push(who);
                    out.push(hit(n, attr, who));
                }
            }
        }
    }
}

/// Canned ACLs that grant allUsers (`publicRead`, `publicReadWrite`) or allAuthenticatedUsers
/// (`authenticatedRead`).
fn predefined(r: &Resource, out: &mut Vec<Hit>) {
    let attr = "predefined_acl";
    let Some(n) = util::set(r, attr) else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let who = match n.as_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        Some("publicread" | "publicreadwrite") => "allUsers",
        Some("authenticatedread") => "allAuthenticatedUsers",
        _ => return,
    };
    let is = util::is(attr, n);
    out.push(Hit::value(
        n,
        util::t(
            format!(
                "{}。この定義済み ACL は {who} にアクセスを許可します",
                is.ja
            ),
            format!("{}, a canned ACL that grants access to {who}", is.en),
        ),
    ));
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "google_storage_bucket_iam_member" => strings(r, "member", out),
        "google_storage_bucket_iam_binding" => strings(r, "members", out),
        "google_storage_bucket_iam_policy" => policy_data(r, out),
        "google_storage_bucket_access_control"
        | "google_storage_default_object_access_control"
        | "google_storage_object_access_control" => strings(r, "entity", out),
        "google_storage_bucket_acl"
        | "google_storage_default_object_acl"
        | "google_storage_object_acl" => {
            strings(r, "role_entity", out);
            predefined(r, out);
        }
        _ => {}
    }
}
