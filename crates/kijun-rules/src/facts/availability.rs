//! Availability: where a service keeps its redundancy and backup settings (zones, failover,
//! backup retention), as each platform spells them. Read by the C3 rules (第100条, 第64条第2項
//! 第3号).

use crate::facts::platform::{ByPlatform, Spelling};

/// Where an Auto Scaling group launches instances: its subnets (one per Availability Zone) or
/// its Availability Zones.
pub const ASG_SUBNETS: Spelling = Spelling::aws("vpc_zone_identifier", "VPCZoneIdentifier");
pub const ASG_ZONES: Spelling = Spelling::aws("availability_zones", "AvailabilityZones");

/// The two switches an ElastiCache replication group needs to survive a node or zone failure:
/// automatic failover and Multi-AZ (both default to false).
pub const ELASTICACHE_FAILOVER: ByPlatform<[&str; 2]> = ByPlatform::aws(
    ["automatic_failover_enabled", "multi_az_enabled"],
    ["AutomaticFailoverEnabled", "MultiAZEnabled"],
);

/// An RDS DB instance's automated backups: the settings that make the instance take no backups
/// of its own (a read replica; in CloudFormation also an Aurora instance, whose cluster keeps
/// them), and the retention period (0 turns them off).
#[derive(Clone, Copy, Debug)]
pub struct RdsBackups {
    pub not_its_own: &'static [&'static str],
    pub retention: &'static str,
}

pub const RDS_BACKUPS: ByPlatform<RdsBackups> = ByPlatform::aws(
    RdsBackups {
        not_its_own: &["replicate_source_db"],
        retention: "backup_retention_period",
    },
    RdsBackups {
        not_its_own: &["SourceDBInstanceIdentifier", "DBClusterIdentifier"],
        retention: "BackupRetentionPeriod",
    },
);

/// An RDS DB instance's Multi-AZ switch (default false: one zone) and the settings that make it
/// not apply: in CloudFormation an Aurora instance (`DBClusterIdentifier`) takes its
/// availability from its cluster and cannot be Multi-AZ itself; Terraform has a separate kind
/// for those (`aws_rds_cluster_instance`).
#[derive(Clone, Copy, Debug)]
pub struct RdsMultiAz {
    pub switch: &'static str,
    pub not_applicable: &'static [&'static str],
}

pub const RDS_MULTI_AZ: ByPlatform<RdsMultiAz> = ByPlatform::aws(
    RdsMultiAz {
        switch: "multi_az",
        not_applicable: &[],
    },
    RdsMultiAz {
        switch: "MultiAZ",
        not_applicable: &["DBClusterIdentifier"],
    },
);
