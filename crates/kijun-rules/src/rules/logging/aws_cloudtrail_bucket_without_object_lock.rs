//! KJ-L4-004 `aws-cloudtrail-bucket-without-object-lock`: the S3 bucket that receives a
//! CloudTrail trail has no Object Lock default retention.
//!
//! Log file validation (KJ-L4-001) shows that a trail file was changed or deleted; Object Lock with
//! a default retention prevents it, for everyone including the account's administrators (COMPLIANCE
//! mode). The bucket is judged when a trail in the scan names it (`s3_bucket_name`,
//! CloudFormation `S3BucketName`); the lock is an `aws_s3_bucket_object_lock_configuration` with a
//! `rule` for the bucket, or the legacy inline `object_lock_configuration.rule`, or in
//! CloudFormation the bucket's `ObjectLockConfiguration.Rule`. The names come from
//! `logging::CLOUDTRAIL_BUCKET_LOCK`.

use crate::facts::links::{any_link, designates, Link};
use crate::facts::logging::{computed_in_plan, CLOUDTRAIL_BUCKET_LOCK};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = CLOUDTRAIL_BUCKET_LOCK.of(r);
    let trail = any_link(ctx.of_kind(names.trail_kind).map(|t| {
        match util::set(t, names.trail_bucket) {
            Some(n) => designates(n, t, r, names.idents),
            None => Link::No,
        }
    }));
    if trail == Link::No {
        return;
    }
    // The lock on the bucket itself (Terraform: the legacy inline block, deprecated since
    // provider v4, which a plan shows as computed when it is left out; CloudFormation:
    // `ObjectLockConfiguration`).
    if let Some(inline) = util::set(r, names.inline).filter(|n| !computed_in_plan(r, n)) {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, names.inline));
            return;
        }
        if inline.items().iter().any(|b| {
            b.child(names.inline_rule)
                .is_some_and(|x| !x.is_null() && !x.items().is_empty())
        }) {
            return;
        }
    }
    let lock = match names.companion {
        Some((kind, bucket, rule)) => any_link(
            ctx.of_kind(kind)
                .filter(|l| util::set(l, rule).is_some())
                .map(|l| match util::set(l, bucket) {
                    Some(b) => designates(b, l, r, names.idents),
                    None => Link::No,
                }),
        ),
        None => Link::No,
    };
    match (lock, trail, names.companion) {
        (Link::Yes, _, _) => {}
        (Link::No, Link::Yes, Some((kind, _, _))) => out.push(Hit::missing(
            r,
            util::t(
                format!("CloudTrail の証跡の保存先ですが、既定の保持期間を定めた `{kind}` がスキャンした構成になく、ログファイルを削除・上書きできます"),
                format!("it receives a CloudTrail trail, but no `{kind}` with a default retention in the scanned configuration targets it, so log files can be deleted or overwritten"),
            ),
        )),
        (Link::No, Link::Yes, None) => out.push(Hit::missing(
            r,
            util::t(
                format!("CloudTrail の証跡の保存先ですが、`{}.{}`（既定の保持期間）が設定されておらず、ログファイルを削除・上書きできます", names.inline, names.inline_rule),
                format!("it receives a CloudTrail trail, but `{}.{}` (a default retention) is not set, so log files can be deleted or overwritten", names.inline, names.inline_rule),
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
