//! KJ-L4-004 `aws-cloudtrail-bucket-without-object-lock`: the S3 bucket that receives a
//! CloudTrail trail has no Object Lock default retention.
//!
//! Log file validation (KJ-L4-001) shows that a trail file was changed or deleted; Object Lock with
//! a default retention prevents it, for everyone including the account's administrators (COMPLIANCE
//! mode). The bucket is judged when a trail in the scan names it (`s3_bucket_name`); the lock is an
//! `aws_s3_bucket_object_lock_configuration` with a `rule` for the bucket, or the legacy inline
//! `object_lock_configuration.rule`.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let trail =
        any_link(
            ctx.of_kind("aws_cloudtrail")
                .map(|t| match util::set(t, "s3_bucket_name") {
                    Some(n) => designates(n, t, r, &["bucket"]),
                    None => Link::No,
                }),
        );
    if trail == Link::No {
        return;
    }
    // Legacy inline configuration (provider v3, deprecated since v4).
    if let Some(inline) = util::set(r, "object_lock_configuration") {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, "object_lock_configuration"));
            return;
        }
        if inline.items().iter().any(|b| {
            b.child("rule")
                .is_some_and(|x| !x.is_null() && !x.items().is_empty())
        }) {
            return;
        }
    }
    let lock = any_link(
        ctx.of_kind("aws_s3_bucket_object_lock_configuration")
            .filter(|l| util::set(l, "rule").is_some())
            .map(|l| match util::set(l, "bucket") {
                Some(b) => designates(b, l, r, &["bucket"]),
                None => Link::No,
            }),
    );
    match (lock, trail) {
        (Link::Yes, _) => {}
        (Link::No, Link::Yes) => out.push(Hit::missing(
            r,
            util::t(
                "CloudTrail の証跡の保存先ですが、既定の保持期間を定めた `aws_s3_bucket_object_lock_configuration` がスキャンした構成になく、ログファイルを削除・上書きできます",
                "it receives a CloudTrail trail, but no `aws_s3_bucket_object_lock_configuration` with a default retention in the scanned configuration targets it, so log files can be deleted or overwritten",
            ),
        )),
        _ => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "証跡の保存先又はオブジェクトロック設定の対象バケットを静的に決定できないため、判定できません",
                    "the trail's destination bucket or the object lock configuration's bucket cannot be determined statically",
                ),
            )
        }),
    }
}
