//! KJ-L4-006 `gcp-log-sink-bucket-unlocked`: a Cloud Storage bucket that receives exported logs
//! without a locked retention policy.
//!
//! A bucket named as the `destination` of a log sink (`storage.googleapis.com/<bucket>`) holds the
//! exported audit trail; only a locked retention policy (`retention_policy.is_locked = true`,
//! Bucket Lock) stops its objects from being deleted or replaced before the retention period ends.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const SINKS: [&str; 4] = [
    "google_logging_project_sink",
    "google_logging_folder_sink",
    "google_logging_organization_sink",
    "google_logging_billing_account_sink",
];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let lock = match util::set(r, "retention_policy") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "retention_policy"));
            return;
        }
        Some(p) => p.items().first().map(|b| b.child("is_locked")),
        None => None,
    };
    let problem = match lock {
        None => Hit::missing(
            r,
            util::t(
                "`retention_policy` が設定されていないため、エクスポートされたログは保持期間の前に削除・上書きできます",
                "`retention_policy` is not set, so exported logs can be deleted or overwritten at any time",
            ),
        ),
        Some(None) => Hit::missing(
            r,
            util::unset_t("retention_policy.is_locked", "false、ロックなし", "false, unlocked"),
        ),
        Some(Some(n)) if n.is_null() => Hit::missing(
            r,
            util::unset_t("retention_policy.is_locked", "false、ロックなし", "false, unlocked"),
        ),
        Some(Some(n)) if n.is_unknown() => Hit::unknown(n, "retention_policy.is_locked"),
        Some(Some(n)) if n.as_bool() == Some(true) => return,
        Some(Some(n)) => Hit::value(n, util::is("retention_policy.is_locked", n)),
    };
    // The rule applies only to buckets that receive logs from a sink in the scan.
    let link = any_link(SINKS.iter().flat_map(|k| ctx.of_kind(k)).map(|s| {
        match util::set(s, "destination") {
            Some(d) => match d.as_str() {
                Some(text) if !text.starts_with("storage.googleapis.com/") => Link::No,
                _ => designates(d, s, r, &["name"]),
            },
            None => Link::No,
        }
    }));
    match link {
        Link::Yes => out.push(problem),
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "ログシンクの `destination` を静的に決定できないため、このバケットがログの保存先か判定できません（保持ポリシーはロックされていません）",
                    "the `destination` of a log sink cannot be determined statically, so whether this bucket stores logs cannot be judged (its retention policy is not locked)",
                ),
            )
        }),
        Link::No => {}
    }
}
