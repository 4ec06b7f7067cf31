//! KJ-C5-001 `aws-rds-automated-backups-disabled`: RDS DB instances keep automated backups.
//!
//! Unset is not a finding: the provider documentation says "Default is 0", but the argument is
//! Optional+Computed and is not sent when unset, so the RDS API default of one day applies (RDS
//! User Guide, "Backup retention period"). Read replicas are skipped (their source's backups are
//! what restores the data), and a restored instance without the argument inherits the retention
//! of its snapshot or source, which the scan cannot see.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if util::set(r, "replicate_source_db").is_some() {
        return;
    }
    let Some(n) = util::set(r, "backup_retention_period") else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, "backup_retention_period"));
        return;
    }
    if n.as_f64().is_some_and(|d| d <= 0.0) {
        out.push(Hit::value(
            n,
            util::t(
                "`backup_retention_period` が 0 のため、自動バックアップが無効です",
                "`backup_retention_period` is 0: automated backups are disabled",
            ),
        ));
    }
}
