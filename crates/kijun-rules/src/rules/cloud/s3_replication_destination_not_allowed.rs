//! KJ-C2-007 `s3-replication-destination-not-allowed`: S3 replication copies objects only to
//! buckets in allowed regions.

use crate::facts::regions::{self as region, Designated};
use crate::facts::platform::one_region_per_document;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // An S3 bucket ARN (`arn:aws:s3:::name`) carries no region: the destination's region is
    // that of the bucket it designates in the scan.
    let (dests, attr, targets, idents): (Vec<&Node>, &str, &[&str], &[&str]) =
        match r.kind.as_str() {
            "AWS::S3::Bucket" => (
                r.get("ReplicationConfiguration")
                    .map(|c| c.all("Rules.Destination.Bucket"))
                    .unwrap_or_default(),
                "ReplicationConfiguration.Rules.Destination.Bucket",
                &["AWS::S3::Bucket"],
                &["BucketName"],
            ),
            // The inline block of AWS provider v3 and earlier.
            "aws_s3_bucket" => (
                r.get("replication_configuration")
                    .map(|c| c.all("rules.destination.bucket"))
                    .unwrap_or_default(),
                "replication_configuration.rules.destination.bucket",
                &["aws_s3_bucket"],
                &["bucket"],
            ),
            _ => (
                r.get("rule")
                    .map(|c| c.all("destination.bucket"))
                    .unwrap_or_default(),
                "rule.destination.bucket",
                &["aws_s3_bucket"],
                &["bucket"],
            ),
        };
    for d in dests.into_iter().filter(|n| !n.is_null()) {
        // why: 第64条第2項第2号: the replica is a copy stored in the destination bucket's region.
        match region::designated(ctx, d, r, targets, idents) {
            Designated::Resource { region: Some(n), .. } => {
                let mut at = n.clone();
                // The finding sits at the destination, and says where its region comes from.
                at.at = d.at;
                if at.from.is_none() {
                    at.from = n.from.clone();
                }
                region::judge(ctx, Cloud::Aws, attr, &at, out);
            }
            // A bucket of the same CloudFormation stack is in the stack's region, the source's
            // own: the copy does not leave it.
            Designated::Resource { region: None, .. } if one_region_per_document(r) => {}
            Designated::Resource { region: None, .. } => out.push(Hit::not_evaluated(
                Hit::value(
                    d,
                    util::t(
                        format!("`{attr}` のバケットのリージョンが構成にありません（AWS_REGION またはプロファイルで決まります）"),
                        format!("the region of the bucket in `{attr}` is not in the configuration (it comes from AWS_REGION or the profile)"),
                    ),
                ),
            )),
            Designated::Unknown if d.is_unknown() => out.push(Hit::unknown(d, attr)),
            Designated::Unknown | Designated::Outside => out.push(Hit::not_evaluated(Hit::value(
                d,
                util::t(
                    format!("`{attr}` はスキャン外のバケットで、S3 の ARN にはリージョンが含まれないため判定できません"),
                    format!("`{attr}` names a bucket outside the scan, and an S3 ARN carries no region"),
                ),
            ))),
        }
    }
}
