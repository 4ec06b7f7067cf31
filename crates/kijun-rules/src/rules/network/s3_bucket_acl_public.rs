//! KJ-N4-006 `s3-bucket-acl-public`: an S3 bucket ACL that grants access to everyone
//! (`public-read`, `public-read-write`) or to every AWS account (`authenticated-read`), through a
//! canned ACL or an explicit grant to the AllUsers / AuthenticatedUsers groups.
//!
//! A public ACL makes the stored objects readable (or writable) from the internet without any
//! authentication; "any AWS account" is the same in practice, since anyone can open one.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const PUBLIC_CANNED: [&str; 3] = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

fn canned(n: &Node, attr: &str, out: &mut Vec<Hit>) {
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    if let Some(s) = n.as_str() {
        if PUBLIC_CANNED
            .iter()
            .any(|c| c.eq_ignore_ascii_case(s.trim()))
        {
            let is = util::is(attr, n);
            out.push(Hit::value(
                n,
                util::t(
                    format!("{}。バケットがインターネット上の誰にでも（または任意の AWS アカウントに）公開されます", is.ja),
                    format!("{}, which opens the bucket to anyone on the internet (or to any AWS account)", is.en),
                ),
            ));
        }
    }
}

/// A grant's grantee: `uri` naming AllUsers or AuthenticatedUsers.
fn grantee_uri(uri: &Node, attr: &str, out: &mut Vec<Hit>) {
    if uri.is_unknown() {
        out.push(Hit::unknown(uri, attr));
        return;
    }
    if let Some(s) = uri.as_str() {
        if PUBLIC_GROUPS
            .iter()
            .any(|g| g.eq_ignore_ascii_case(s.trim()))
        {
            let group = s.rsplit('/').next().unwrap_or(s);
            out.push(Hit::value(
                uri,
                util::t(
                    format!("`{attr}` が {group} グループに権限を付与しています"),
                    format!("`{attr}` grants access to the {group} group"),
                ),
            ));
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(acl) = util::set(r, "acl") {
        canned(acl, "acl", out);
    }
    match r.kind.as_str() {
        "aws_s3_bucket_acl" => {
            let Some(p) = util::set(r, "access_control_policy") else {
                return;
            };
            if p.is_unknown() {
                // With a canned `acl`, a plan shows the grants as "known after apply": the
                // provider reads them back from S3, and the canned ACL was judged above.
                if r.platform == kijun_model::Platform::TerraformPlan && util::set(r, "acl").is_some() {
                    return;
                }
                out.push(Hit::unknown(p, "access_control_policy"));
                return;
            }
            for grant in p.all("grant").into_iter().flat_map(|n| n.items()) {
                for g in grant
                    .child("grantee")
                    .map(|n| n.items())
                    .unwrap_or_default()
                {
                    if let Some(uri) = g.child("uri").filter(|n| !n.is_null()) {
                        grantee_uri(uri, "access_control_policy.grant.grantee.uri", out);
                    }
                }
            }
        }
        // Legacy inline `grant` blocks of aws_s3_bucket (deprecated since AWS provider 4.0).
        "aws_s3_bucket" => {
            for g in util::set(r, "grant").map(|n| n.items()).unwrap_or_default() {
                if let Some(uri) = g.child("uri").filter(|n| !n.is_null()) {
                    grantee_uri(uri, "grant.uri", out);
                }
            }
        }
        _ => {}
    }
}
