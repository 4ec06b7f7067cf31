//! KJ-L2-002 `aws-s3-bucket-access-logging-missing`: an S3 bucket whose server access logs are
//! not collected.
//!
//! Since provider v4 the Terraform setting lives in a companion resource, `aws_s3_bucket_logging`,
//! that names the bucket, so the check looks across the scanned configuration. A companion that
//! may live outside the scan cannot be seen: the finding therefore says "none in the scanned
//! configuration". CloudFormation sets it on the bucket itself (`LoggingConfiguration`); the
//! names come from `links::S3_ACCESS_LOGS`.

use crate::facts::links::{any_link, designates, is_access_log_target, Link, S3_ACCESS_LOGS};
use crate::facts::logging::computed_in_plan;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = S3_ACCESS_LOGS.of(r);
    // The setting on the bucket itself (Terraform: the legacy inline block, deprecated since
    // provider v4, which a plan shows as computed when it is left out; CloudFormation:
    // `LoggingConfiguration`).
    if let Some(inline) = util::set(r, names.inline).filter(|n| !computed_in_plan(r, n)) {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, names.inline));
            return;
        }
        if inline.items().iter().any(|b| {
            !names.inline_needs_target
                || b.child(names.inline_target).is_some_and(|t| !t.is_null())
        }) {
            return;
        }
    }
    let link = match names.companion {
        Some((kind, attr, _)) => any_link(ctx.of_kind(kind).map(|l| match util::set(l, attr) {
            Some(b) => designates(b, l, r, &[names.name]),
            None => Link::No,
        })),
        None => Link::No,
    };
    // why: a bucket that receives access logs is not itself logged into another bucket
    // (logging it into itself loops); its protection is judged by the L4 rules.
    if link == Link::Yes || is_access_log_target(ctx, r) {
        return;
    }
    match (link, names.companion) {
        (Link::Yes, _) => {}
        (Link::No, Some((kind, _, _))) => out.push(Hit::missing(
            r,
            util::t(
                format!("スキャンした構成に、このバケットを参照する `{kind}` がなく、`{}` ブロックもありません", names.inline),
                format!("no `{kind}` in the scanned configuration refers to this bucket, and it has no `{}` block", names.inline),
            ),
        )),
        (Link::No, None) => out.push(Hit::missing(r, util::missing(names.inline))),
        (Link::Unknown, _) => {
            let (kind, attr, _) = names.companion.unwrap_or_default();
            out.push(Hit::not_evaluated(Hit::missing(
                r,
                util::t(
                    format!("`{kind}` の `{attr}` を静的に決定できないため、このバケットのアクセスログが有効か判定できません"),
                    format!("the `{attr}` of an `{kind}` cannot be determined statically, so whether this bucket's access logs are on cannot be judged"),
                ),
            )))
        }
    }
}
