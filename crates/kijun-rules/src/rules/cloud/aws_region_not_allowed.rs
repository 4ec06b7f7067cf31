//! KJ-C1-001 `aws-region-not-allowed`: AWS resources are created in an allowed region.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{Ctx, Hit};
use kijun_model::Resource;

/// Resource types that are global (no region holds their data) or whose region is fixed by
/// the service: configured through us-east-1 without storing the information there.
const GLOBAL_PREFIXES: &[&str] = &[
    "aws_iam_",
    "aws_organizations_",
    "aws_route53_",
    "aws_cloudfront_",
    "aws_budgets_",
    "aws_ce_",
    "aws_account_",
    "aws_shield_",
    "aws_s3control_",
    // The account-wide S3 Block Public Access setting (an S3 Control API), for every region.
    "aws_s3_account_public_access_block",
    "aws_globalaccelerator_",
    "aws_default_tags",
];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if GLOBAL_PREFIXES.iter().any(|p| r.kind.starts_with(p)) {
        return;
    }
    // Configuration-only children (rules, policies, tags, parameter groups …) store nothing:
    // their parent, in the same region, is the finding (policies/data/resource-roles.toml).
    if region::configuration_only(Cloud::Aws, &r.kind) {
        return;
    }
    // why: AWS provider v6 adds a per-resource `region` argument that overrides the provider.
    region::judge_aws_region(ctx, r, out);
}
