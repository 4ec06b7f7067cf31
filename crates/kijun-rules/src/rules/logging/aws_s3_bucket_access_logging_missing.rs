//! KJ-L2-002 `aws-s3-bucket-access-logging-missing`: an S3 bucket whose server access logs are
//! not collected.
//!
//! Since provider v4 the setting lives in a companion resource, `aws_s3_bucket_logging`, that names
//! the bucket, so the check looks across the scanned configuration. A companion that may live
//! outside the scan cannot be seen: the finding therefore says "none in the scanned configuration".

use crate::facts::links::{any_link, designates, is_access_log_target, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;
pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Legacy inline configuration (provider v3 and earlier, deprecated since v4).
    if let Some(inline) = util::set(r, "logging") {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, "logging"));
            return;
        }
        if inline
            .items()
            .iter()
            .any(|b| b.child("target_bucket").is_some_and(|t| !t.is_null()))
        {
            return;
        }
    }
    let link =
        any_link(
            ctx.of_kind("aws_s3_bucket_logging")
                .map(|l| match util::set(l, "bucket") {
                    Some(b) => designates(b, l, r, &["bucket"]),
                    None => Link::No,
                }),
        );
    // why: a bucket that receives access logs is not itself logged into another bucket
    // (logging it into itself loops); its protection is judged by the L4 rules.
    if link == Link::Yes || is_access_log_target(ctx, r) {
        return;
    }
    match link {
        Link::Yes => {}
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、このバケットを参照する `aws_s3_bucket_logging` がなく、`logging` ブロックもありません",
                "no `aws_s3_bucket_logging` in the scanned configuration refers to this bucket, and it has no `logging` block",
            ),
        )),
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`aws_s3_bucket_logging` の `bucket` を静的に決定できないため、このバケットのアクセスログが有効か判定できません",
                    "the `bucket` of an `aws_s3_bucket_logging` cannot be determined statically, so whether this bucket's access logs are on cannot be judged",
                ),
            )
        }),
    }
}
