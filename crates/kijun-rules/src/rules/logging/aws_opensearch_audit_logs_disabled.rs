//! KJ-L2-006 `aws-opensearch-audit-logs-disabled`: an OpenSearch (or Elasticsearch) domain that
//! does not publish audit logs.
//!
//! Slow logs and application logs are performance and error logs, not access records, so only a
//! `log_publishing_options` block with `log_type = "AUDIT_LOGS"` (and `enabled`, default true)
//! counts. Audit logs need fine-grained access control, which the remediation says.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let blocks = match util::set(r, "log_publishing_options") {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "log_publishing_options"));
            return;
        }
        Some(n) => n.items(),
        None => Vec::new(),
    };
    let mut unknown = None;
    for b in &blocks {
        if b.is_unknown() {
            unknown = unknown.or(Some(*b));
            continue;
        }
        match b.child("log_type").filter(|n| !n.is_null()) {
            Some(t) if t.is_unknown() => {
                unknown = unknown.or(Some(t));
                continue;
            }
            Some(t) if t.as_str() == Some("AUDIT_LOGS") => {}
            _ => continue,
        }
        match b.child("enabled").filter(|n| !n.is_null()) {
            Some(e) if e.is_unknown() => {
                out.push(Hit::unknown(e, "log_publishing_options.enabled"))
            }
            Some(e) if e.as_bool() == Some(false) => {
                out.push(Hit::value(e, util::is("log_publishing_options.enabled", e)))
            }
            // documented default: true
            _ => {}
        }
        return;
    }
    match unknown {
        Some(n) => out.push(Hit::unknown(n, "log_publishing_options.log_type")),
        None => out.push(Hit::missing(
            r,
            util::t(
                "`log_type = \"AUDIT_LOGS\"` の `log_publishing_options` ブロックがなく、監査ログは公開されていません",
                "there is no `log_publishing_options` block with `log_type = \"AUDIT_LOGS\"`: audit logs are not published",
            ),
        )),
    }
}
