//! KJ-L2-014 `azure-key-vault-audit-logs-not-exported`: a Key Vault whose access log
//! (`AuditEvent`) is not exported by a diagnostic setting.
//!
//! Key Vault keeps no such log unless a diagnostic setting exports `AuditEvent` (or the groups
//! `audit`/`allLogs`).

use crate::facts::logging::{require_logs, Wanted};
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    require_logs(
        ctx,
        r,
        &Wanted {
            any_of: &["AuditEvent", "audit", "allLogs"],
            all_of: &[],
            what_ja: "このキーコンテナー",
            what_en: "this key vault",
        },
        out,
    );
}
