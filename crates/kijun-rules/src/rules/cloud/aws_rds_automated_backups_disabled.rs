//! KJ-C5-001 `aws-rds-automated-backups-disabled`: RDS DB instances keep automated backups.
//!
//! Unset is not a finding: the provider documentation says "Default is 0", but the argument is
//! Optional+Computed and is not sent when unset, so the RDS API default of one day applies (RDS
//! User Guide, "Backup retention period"). Read replicas are skipped (their source's backups are
//! what restores the data), and a restored instance without the argument inherits the retention
//! of its snapshot or source, which the scan cannot see.

use crate::facts::availability::RDS_BACKUPS;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation (AWS::RDS::DBInstance): a read replica (SourceDBInstanceIdentifier) has no
    // backups of its own, and an Aurora instance (DBClusterIdentifier) keeps them on its cluster.
    let backups = RDS_BACKUPS.of(r);
    if backups.not_its_own.iter().any(|a| util::set(r, a).is_some()) {
        return;
    }
    let attr = backups.retention;
    let Some(n) = util::set(r, attr) else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    // CloudFormation templates often write the number as a string ("0").
    let days = n
        .as_f64()
        .or_else(|| n.as_str().and_then(|s| s.trim().parse::<f64>().ok()));
    if days.is_some_and(|d| d <= 0.0) {
        out.push(Hit::value(
            n,
            util::t(
                format!("`{attr}` が 0 のため、自動バックアップが無効です"),
                format!("`{attr}` is 0: automated backups are disabled"),
            ),
        ));
    }
}
