//! KJ-L3-004 `aws-s3-log-bucket-expiration-short`: an S3 bucket that stores logs and whose
//! lifecycle rules delete them before the minimum retention.
//!
//! A lifecycle `expiration` on a bucket that receives CloudTrail trails, access logs or other
//! service logs is the retention period of those logs; shorter than the organisation's minimum
//! (`logging.min_retention_days`, default 365) it deletes them too early. A bucket is a log bucket
//! when a log source in the scan names it (`logging::log_bucket_source`); lifecycle rules of other
//! buckets are not judged. In CloudFormation the rules are the bucket's own
//! `LifecycleConfiguration.Rules` (`Status`, `ExpirationInDays`).

use crate::facts::links::{designates, Link};
use crate::facts::logging::{
    at_path, computed_in_plan, log_bucket_source, LifecycleNames, S3_BUCKET_LIFECYCLE, S3_LIFECYCLE_CONFIGURATION,
};
use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let min = ctx.settings.min_retention_days;
    // The bucket(s) the rules apply to, and the rules themselves.
    let (buckets, rules, unknowns): (Vec<&Resource>, Vec<&Node>, Vec<Hit>) = match r.kind.as_str() {
        "aws_s3_bucket_lifecycle_configuration" => {
            let Some(b) = util::set(r, "bucket") else {
                return;
            };
            let mut unknown = false;
            let buckets: Vec<&Resource> = ctx
                .of_kind("aws_s3_bucket")
                .filter(|x| match designates(b, r, x, &["bucket"]) {
                    Link::Yes => true,
                    Link::Unknown => {
                        unknown = true;
                        false
                    }
                    Link::No => false,
                })
                .collect();
            let mut unknowns = Vec::new();
            let rules = short_rules(r, S3_LIFECYCLE_CONFIGURATION, min, &mut unknowns);
            if rules.is_empty() && unknowns.is_empty() {
                return;
            }
            if buckets.is_empty() && unknown && !rules.is_empty() {
                out.push(Hit::unknown(b, "bucket"));
                return;
            }
            (buckets, rules, unknowns)
        }
        // A bucket (`aws_s3_bucket`, `AWS::S3::Bucket`) with rules of its own.
        _ => {
            let mut unknowns = Vec::new();
            let rules = short_rules(r, S3_BUCKET_LIFECYCLE.of(r), min, &mut unknowns);
            (vec![r], rules, unknowns)
        }
    };
    if rules.is_empty() && unknowns.is_empty() {
        return;
    }
    let mut maybe = false;
    for b in buckets {
        match log_bucket_source(ctx, b) {
            (Link::Yes, src) => {
                out.extend(unknowns);
                let from_ja = src
                    .as_deref()
                    .map(|s| format!("（`{s}` のログの保存先）"))
                    .unwrap_or_else(|| "（アクセスログの保存先）".into());
                let from_en = src
                    .as_deref()
                    .map(|s| format!(" (it stores the logs of `{s}`)"))
                    .unwrap_or_else(|| " (it stores access logs)".into());
                for days in &rules {
                    let d = days.as_f64().unwrap_or_default();
                    out.push(Hit::value(
                        days,
                        util::t(
                            format!(
                                "ログを保存するバケット `{}`{from_ja} のオブジェクトを {} 日で削除します。必要な保存期間は {} 日です",
                                b.address,
                                format_number(d),
                                format_number(min)
                            ),
                            format!(
                                "objects of the log bucket `{}`{from_en} expire after {} days; logs must be kept for {} days",
                                b.address,
                                format_number(d),
                                format_number(min)
                            ),
                        ),
                    ));
                }
                return;
            }
            (Link::Unknown, _) => maybe = true,
            (Link::No, _) => {}
        }
    }
    if maybe {
        if let Some(days) = rules.first() {
            out.push(Hit {
                not_evaluated: true,
                ..Hit::value(
                    days,
                    util::t(
                        "ログの出力先を静的に決定できないため、このバケットがログの保存先か判定できません（有効期限が最小保存期間より短い設定です）",
                        "a log destination cannot be determined statically, so whether this bucket stores logs cannot be judged (its expiration is shorter than the minimum retention)",
                    ),
                )
            });
        }
    }
}

/// The expiration days of enabled lifecycle rules that are below `min`. `names.status` says
/// whether a rule is on: `status = "Enabled"` (companion resource, required), `enabled = true`
/// (legacy inline block, required) or `Status: Enabled` (CloudFormation, required).
fn short_rules<'a>(
    r: &'a Resource,
    names: LifecycleNames,
    min: f64,
    out: &mut Vec<Hit>,
) -> Vec<&'a Node> {
    // Values that cannot be known are reported only for buckets that store logs (the caller
    // decides); `out` collects them separately.
    let LifecycleNames {
        rules: block,
        status,
        days: days_path,
    } = names;
    let mut found = Vec::new();
    let rules = match at_path(r, block) {
        // why: a plan shows the legacy inline block "known after apply" when it is left out.
        Err(n) if computed_in_plan(r, n) => return found,
        Ok(Some(rules)) => rules,
        Ok(None) => return found,
        Err(n) => {
            out.push(Hit::unknown(n, block));
            return found;
        }
    };
    for rule in rules.items() {
        if rule.is_unknown() {
            out.push(Hit::unknown(rule, block));
            continue;
        }
        let on = match rule.child(status).filter(|n| !n.is_null()) {
            Some(s) if s.is_unknown() => None,
            Some(s) => Some(
                s.as_bool() == Some(true)
                    || s.as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case("enabled")),
            ),
            None => Some(false),
        };
        for days in rule.all(days_path).into_iter().filter(|n| !n.is_null()) {
            if days.is_unknown() {
                out.push(Hit::unknown(days, &format!("{block}.{days_path}")));
                continue;
            }
            if days.as_f64().is_some_and(|d| d > 0.0 && d < min) {
                match on {
                    Some(true) => found.push(days),
                    Some(false) => {}
                    None => out.push(Hit::unknown(days, &format!("{block}.{status}"))),
                }
            }
        }
    }
    found
}
