//! KJ-C2-014 `rds-read-replica-region-not-allowed`: a CloudFormation cross-region read replica
//! is created in an allowed region.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(source) = util::set(r, "SourceDBInstanceIdentifier") else {
        return;
    };
    if let kijun_model::Value::Unknown(u) = &source.value {
        // A reference to a DB instance of the same stack is a source in the same region.
        if u.refs.is_empty() {
            out.push(Hit::unknown(source, "SourceDBInstanceIdentifier"));
        }
        return;
    }
    // A source in the same region is named by its identifier; a source in another region
    // only by its ARN. Only the latter copies data across regions.
    let Some(source_region) = region::arn_region(source) else {
        return;
    };
    // why: 第64条第2項第2号: the replica is a copy of the source database, stored in the region
    // of the stack that declares it. A template does not name that region, but a literal
    // Availability Zone of the replica does (`us-east-1a` is in `us-east-1`).
    if let Some(az) = util::set(r, "AvailabilityZone") {
        if az.is_unknown() {
            out.push(Hit::unknown(az, "AvailabilityZone"));
            return;
        }
        if let Some(code) = az.as_str() {
            let trimmed = code.trim_end_matches(|c: char| c.is_ascii_lowercase());
            let mut n = Node::string(trimmed, az.at);
            n.from = az.from.clone();
            region::judge(ctx, Cloud::Aws, "AvailabilityZone", &n, out);
            return;
        }
    }
    let src = source_region.as_str().unwrap_or_default();
    out.push(Hit::not_evaluated(Hit::value(
        source,
        util::t(
            format!("{src} のソースから作成するリードレプリカは、スタックをデプロイするリージョンに作成されます。テンプレートにはそのリージョンがありません"),
            format!("the read replica of a source in {src} is created in the region the stack is deployed to, which the template does not name"),
        ),
    )));
}
