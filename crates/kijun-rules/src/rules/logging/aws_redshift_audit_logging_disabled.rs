//! KJ-L2-007 `aws-redshift-audit-logging-disabled`: a Redshift cluster without audit logging.
//!
//! Redshift's audit logging writes the connection and user logs (and, with
//! `enable_user_activity_logging`, every query). Since provider v5.45 it is configured by the
//! companion `aws_redshift_logging`; the inline `logging` block (`enable` required) is the
//! deprecated form and still counts.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(inline) = util::set(r, "logging") {
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
