//! KJ-C2-009 `rds-backup-replication-region-not-allowed`: RDS automated backups are replicated
//! only to allowed regions.

use crate::facts::platform::ByPlatform;
use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: replicated automated backups are a copy of the database kept in
    // the destination region.
    (READ.of(r))(ctx, r, out);
}

/// `aws_db_instance_automated_backups_replication` is created in the destination region: the
/// region of its provider (an alias), or its own `region` argument. CloudFormation names the
/// destination on the DB instance.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(region::judge_aws_region, cloudformation);

fn cloudformation(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(n) = util::set(r, "AutomaticBackupReplicationRegion") {
        region::judge(ctx, Cloud::Aws, "AutomaticBackupReplicationRegion", n, out);
    }
}
