//! KJ-L2-007 `aws-redshift-audit-logging-disabled`: a Redshift cluster without audit logging.
//!
//! Redshift's audit logging writes the connection and user logs (and, with
//! `enable_user_activity_logging`, every query). Since provider v5.45 Terraform configures it
//! with the companion `aws_redshift_logging`; the inline `logging` block (`enable` required) is
//! the deprecated form and still counts. CloudFormation sets it on the cluster:
//! `LoggingProperties`, with the bucket it writes to (`BucketName`) or
//! `LogDestinationType: cloudwatch`.

use crate::facts::links::{any_link, designates, Link};
use crate::facts::logging::{computed_in_plan, REDSHIFT_LOGGING};
use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Terraform switches a block or adds a companion resource; CloudFormation sets a destination
/// on the cluster: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: the deprecated inline block is computed; a plan shows it "known after apply" when
    // the configuration leaves it out, which says nothing.
    if let Some(inline) = util::set(r, REDSHIFT_LOGGING.of(r)).filter(|n| !computed_in_plan(r, n)) {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, "logging"));
            return;
        }
        if let Some(b) = inline.items().first() {
            match b.child("enable").filter(|n| !n.is_null()) {
                Some(e) if e.is_unknown() => {
                    out.push(Hit::unknown(e, "logging.enable"));
                    return;
                }
                Some(e) if e.as_bool() == Some(true) => return,
                Some(e) => {
                    out.push(Hit::value(e, util::is("logging.enable", e)));
                    return;
                }
                None => {}
            }
        }
    }
    let link = any_link(ctx.of_kind("aws_redshift_logging").map(|l| {
        match util::set(l, "cluster_identifier") {
            Some(c) => designates(c, l, r, &["cluster_identifier"]),
            None => Link::No,
        }
    }));
    match link {
        Link::Yes => {}
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`aws_redshift_logging` の `cluster_identifier` を静的に決定できないため、このクラスターの監査ログが有効か判定できません",
                    "the `cluster_identifier` of an `aws_redshift_logging` cannot be determined statically, so whether this cluster's audit logging is on cannot be judged",
                ),
            )
        }),
        Link::No => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、このクラスターを対象とする `aws_redshift_logging` がなく、`logging` ブロックもありません",
                "no `aws_redshift_logging` in the scanned configuration targets this cluster, and it has no `logging` block",
            ),
        )),
    }
}

fn cloudformation(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let attr = REDSHIFT_LOGGING.of(r);
    let Some(p) = util::set(r, attr) else {
        out.push(Hit::missing(r, util::missing(attr)));
        return;
    };
    if p.is_unknown() {
        out.push(Hit::unknown(p, attr));
        return;
    }
    // A destination: a bucket, or CloudWatch Logs (which needs no bucket).
    let bucket = p.child("BucketName").filter(|n| !n.is_null());
    let cloudwatch = p
        .child("LogDestinationType")
        .filter(|n| !n.is_null())
        .filter(|t| t.is_unknown() || t.as_str().is_some_and(|s| s.eq_ignore_ascii_case("cloudwatch")));
    if bucket.is_none() && cloudwatch.is_none() {
        out.push(Hit::value(
            p,
            util::t(
                format!("`{attr}` に出力先（`BucketName` 又は `LogDestinationType: cloudwatch`）がなく、監査ログは記録されません"),
                format!("`{attr}` names no destination (`BucketName` or `LogDestinationType: cloudwatch`), so no audit logs are written"),
            ),
        ));
    }
}
