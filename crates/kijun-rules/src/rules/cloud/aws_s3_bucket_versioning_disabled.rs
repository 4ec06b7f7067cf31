//! KJ-C5-005 `aws-s3-bucket-versioning-disabled`: S3 buckets keep object versions.
//!
//! Without versioning, an overwritten or deleted object is gone. Versioning is configured by an
//! `aws_s3_bucket_versioning` resource that refers to the bucket (provider v4+) or, in older
//! configurations, by the bucket's inline `versioning` block; a bucket with neither is unversioned
//! (the S3 default).

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Judges one `versioning_configuration.status` value; `None` when it is fine.
fn status_hit(n: &Node) -> Option<Hit> {
    if n.is_unknown() {
        return Some(Hit::unknown(n, "versioning_configuration.status"));
    }
    match n.as_str() {
        Some(s) if s.eq_ignore_ascii_case("Enabled") => None,
        _ => Some(Hit::value(
            n,
            util::is("versioning_configuration.status", n),
        )),
    }
}

/// Terraform (provider v4+) configures versioning in a separate resource, CloudFormation in
/// the bucket: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let companions = ctx.referring_to("aws_s3_bucket_versioning", r);
    // `bucket` naming this bucket: the reference is the edge (`aws_s3_bucket.x.id`); a literal
    // name equal to the bucket's `bucket` counts too.
    let name = util::set(r, "bucket").and_then(|n| n.as_str());
    let literal: Vec<&Resource> = ctx
        .of_kind("aws_s3_bucket_versioning")
        .filter(|v| {
            name.is_some()
                && v.get("bucket").and_then(|b| b.as_str()) == name
                && !companions.iter().any(|c| c.address == v.address)
        })
        .collect();
    let all: Vec<&Resource> = companions.into_iter().chain(literal).collect();
    if !all.is_empty() {
        for v in all {
            let statuses: Vec<&Node> = util::set(v, "versioning_configuration")
                .map(|b| b.all("status"))
                .unwrap_or_default();
            for s in statuses {
                if let Some(h) = status_hit(s) {
                    // The finding belongs to the bucket, but the value that fails is the
                    // companion's: point at it.
                    out.push(h);
                }
            }
        }
        return;
    }
    // why: S3 turns versioning on, for good, when a bucket is created with Object Lock
    // (`object_lock_enabled`, or the provider-v3 inline `object_lock_configuration`).
    let object_lock = util::set(r, "object_lock_enabled")
        .and_then(|n| n.as_bool())
        .unwrap_or(false)
        || util::set(r, "object_lock_configuration")
            .and_then(|n| n.child("object_lock_enabled"))
            .and_then(|n| n.as_str())
            .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
    if object_lock {
        return;
    }
    // Legacy inline block (deprecated in provider v4, still accepted).
    // In a plan, the deprecated inline `versioning` block is computed when the configuration does
    // not write it: wholly "known after apply", it says nothing about what was configured.
    let inline = util::set(r, "versioning")
        .filter(|n| !(r.platform == kijun_model::Platform::TerraformPlan && n.is_unknown()));
    if let Some(b) = inline.and_then(|n| n.items().into_iter().next()) {
        if b.is_unknown() {
            out.push(Hit::unknown(b, "versioning"));
            return;
        }
        match b.child("enabled").filter(|n| !n.is_null()) {
            Some(e) if e.is_unknown() => out.push(Hit::unknown(e, "versioning.enabled")),
            Some(e) if e.as_bool() == Some(true) => {}
            Some(e) => out.push(Hit::value(e, util::is("versioning.enabled", e))),
            None => out.push(Hit::value(b, util::unset("versioning.enabled", "false"))),
        }
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "このバケットを参照する `aws_s3_bucket_versioning` がなく、バージョニングは無効（S3 の既定）です",
            "no `aws_s3_bucket_versioning` refers to this bucket: versioning is off (the S3 default)",
        ),
    ));
}

/// CloudFormation `AWS::S3::Bucket`: `VersioningConfiguration.Status` on the bucket itself;
/// `ObjectLockEnabled: true` turns versioning on as in Terraform.
fn cloudformation(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if util::set(r, "ObjectLockEnabled").and_then(|n| n.as_bool()) == Some(true) {
        return;
    }
    let attr = "VersioningConfiguration.Status";
    match util::set(r, "VersioningConfiguration")
        .and_then(|v| v.child("Status"))
        .filter(|n| !n.is_null())
    {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("Enabled")) => {}
        Some(n) => out.push(Hit::value(n, util::is(attr, n))),
        None => out.push(Hit::missing(
            r,
            util::t(
                "`VersioningConfiguration` がなく、バージョニングは無効（S3 の既定）です",
                "no `VersioningConfiguration`: versioning is off (the S3 default)",
            ),
        )),
    }
}
