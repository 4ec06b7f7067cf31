//! KJ-L2-006 `aws-opensearch-audit-logs-disabled`: an OpenSearch (or Elasticsearch) domain that
//! does not publish audit logs.
//!
//! Slow logs and application logs are performance and error logs, not access records, so only
//! audit-log publishing counts: a Terraform `log_publishing_options` block with
//! `log_type = "AUDIT_LOGS"` (`enabled` defaults to true), or the `AUDIT_LOGS` entry of
//! CloudFormation's `LogPublishingOptions` map (`Enabled` defaults to false). Audit logs need
//! fine-grained access control, which the remediation says.

use crate::facts::logging::{is_true, OPENSEARCH_LOG_PUBLISHING};
use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

const AUDIT: &str = "AUDIT_LOGS";

/// Terraform lists blocks with a log type, CloudFormation keys a map by it: each platform has
/// its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    let attr = OPENSEARCH_LOG_PUBLISHING.of(r);
    let blocks = match util::set(r, attr) {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
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
            Some(t) if t.as_str() == Some(AUDIT) => {}
            _ => continue,
        }
        let enabled = format!("{attr}.enabled");
        match b.child("enabled").filter(|n| !n.is_null()) {
            Some(e) if e.is_unknown() => out.push(Hit::unknown(e, &enabled)),
            Some(e) if e.as_bool() == Some(false) => out.push(Hit::value(e, util::is(&enabled, e))),
            // documented default: true
            _ => {}
        }
        return;
    }
    match unknown {
        Some(n) => out.push(Hit::unknown(n, &format!("{attr}.log_type"))),
        None => out.push(Hit::missing(
            r,
            util::t(
                format!("`log_type = \"{AUDIT}\"` の `{attr}` ブロックがなく、監査ログは公開されていません"),
                format!("there is no `{attr}` block with `log_type = \"{AUDIT}\"`: audit logs are not published"),
            ),
        )),
    }
}

fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    let attr = OPENSEARCH_LOG_PUBLISHING.of(r);
    let entry = match util::set(r, attr) {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
            return;
        }
        Some(n) => n.child(AUDIT).filter(|e| !e.is_null()),
        None => None,
    };
    let Some(entry) = entry else {
        out.push(Hit::missing(
            r,
            util::t(
                format!("`{attr}` に `{AUDIT}` がなく、監査ログは公開されていません"),
                format!("`{attr}` has no `{AUDIT}` entry: audit logs are not published"),
            ),
        ));
        return;
    };
    let enabled = format!("{attr}.{AUDIT}.Enabled");
    if entry.is_unknown() {
        out.push(Hit::unknown(entry, &format!("{attr}.{AUDIT}")));
        return;
    }
    match entry.child("Enabled").filter(|n| !n.is_null()) {
        Some(e) if e.is_unknown() => out.push(Hit::unknown(e, &enabled)),
        Some(e) if is_true(e) => {}
        Some(e) => out.push(Hit::value(e, util::is(&enabled, e))),
        // documented default: false
        None => out.push(Hit::value(entry, util::unset(&enabled, "false"))),
    }
}
