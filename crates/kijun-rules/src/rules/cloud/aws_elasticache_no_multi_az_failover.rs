//! KJ-C6-003 `aws-elasticache-no-multi-az-failover`: ElastiCache replication groups fail over
//! automatically across Availability Zones.
//!
//! Without `automatic_failover_enabled` a failed primary is not replaced by a replica; without
//! `multi_az_enabled` the replicas may share the primary's Availability Zone. Both default to
//! false; Multi-AZ requires automatic failover, so one finding names the first that is missing.

use crate::facts::availability::ELASTICACHE_FAILOVER;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation (AWS::ElastiCache::ReplicationGroup) spells them in PascalCase; both
    // default to false there too.
    let attrs = ELASTICACHE_FAILOVER.of(r);
    for attr in attrs {
        match util::set(r, attr) {
            Some(n) if n.is_unknown() => {
                out.push(Hit::unknown(n, attr));
                return;
            }
            Some(n) if n.as_bool() == Some(true) => {}
            Some(n) => {
                out.push(Hit::value(n, util::is(attr, n)));
                return;
            }
            None => {
                out.push(Hit::missing(r, util::unset(attr, "false")));
                return;
            }
        }
    }
}
