//! KJ-E1-010 `aws-s3-bucket-without-cmk`: S3 buckets holding confidentiality-3 information use
//! SSE-KMS with a customer-managed key.
//!
//! Since January 2023 S3 encrypts every new object (SSE-S3, keys owned by S3), so at
//! confidentiality 2 there is nothing to report; at 3 the key must be one the organisation manages.
//! Default encryption is configured by an `aws_s3_bucket_server_side_encryption_configuration` that
//! refers to the bucket (provider v4+) or by the bucket's legacy inline
//! `server_side_encryption_configuration` block.

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Judges the `rule` blocks of one encryption configuration.
fn judge_rules(rules: &Node, out: &mut Vec<Hit>) {
    if rules.is_unknown() {
        out.push(Hit::unknown(rules, "rule"));
        return;
    }
    for rule in rules.items() {
        let defaults: Vec<&Node> = rule
            .child("apply_server_side_encryption_by_default")
            .map(|d| d.items())
            .unwrap_or_default();
        if defaults.is_empty() {
            out.push(Hit::value(
                rule,
                util::t(
                    "`apply_server_side_encryption_by_default` がないため、S3 の既定（SSE-S3、S3 が管理する鍵）で暗号化されます",
                    "no `apply_server_side_encryption_by_default`: objects are encrypted with the S3 default (SSE-S3, keys managed by S3)",
                ),
            ));
            continue;
        }
        for d in defaults {
            judge_default(d, out);
        }
    }
}

fn judge_default(d: &Node, out: &mut Vec<Hit>) {
    if d.is_unknown() {
        out.push(Hit::unknown(d, "apply_server_side_encryption_by_default"));
        return;
    }
    let Some(alg) = d.child("sse_algorithm").filter(|n| !n.is_null()) else {
        return; // required by the provider schema
    };
    if alg.is_unknown() {
        out.push(Hit::unknown(alg, "sse_algorithm"));
        return;
    }
    let kms = alg
        .as_str()
        .is_some_and(|s| s.to_ascii_lowercase().starts_with("aws:kms"));
    if !kms {
        out.push(Hit::value(
            alg,
            util::t(
                format!(
                    "`sse_algorithm` が {} で、S3 が管理する鍵（SSE-S3）で暗号化されます",
                    alg.display()
                ),
                format!(
                    "`sse_algorithm` is {}: objects are encrypted with keys managed by S3 (SSE-S3)",
                    alg.display()
                ),
            ),
        ));
        return;
    }
    match key_ref(d.child("kms_master_key_id")) {
        KeyRef::Set(k) if k.as_str().is_some_and(|s| s.contains("alias/aws/")) => {
            out.push(Hit::value(
                k,
                util::t(
                    format!("`kms_master_key_id` が {} で、AWS マネージドキーです", k.display()),
                    format!("`kms_master_key_id` is {}, an AWS managed key", k.display()),
                ),
            ))
        }
        KeyRef::Set(_) => {}
        KeyRef::Unknown(k) => out.push(Hit::unknown(k, "kms_master_key_id")),
        KeyRef::Unset => out.push(Hit::value(
            alg,
            util::t(
                "`kms_master_key_id` が設定されていないため、AWS マネージドキー（aws/s3）で暗号化されます",
                "`kms_master_key_id` is not set: objects are encrypted with the AWS managed key (aws/s3)",
            ),
        )),
    }
}

/// Terraform configures encryption in a separate resource, CloudFormation inline in the bucket:
/// each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    const KIND: &str = "aws_s3_bucket_server_side_encryption_configuration";
    let mut configs = ctx.referring_to(KIND, r);
    let name = util::set(r, "bucket").and_then(|n| n.as_str());
    for c in ctx.of_kind(KIND) {
        let literal = name.is_some() && c.get("bucket").and_then(|b| b.as_str()) == name;
        if literal && !configs.iter().any(|x| x.address == c.address) {
            configs.push(c);
        }
    }
    if !configs.is_empty() {
        for c in configs {
            if let Some(rules) = util::set(c, "rule") {
                judge_rules(rules, out);
            }
        }
        return;
    }
    if let Some(inline) = util::set(r, "server_side_encryption_configuration") {
        if inline.is_unknown() {
            out.push(Hit::unknown(inline, "server_side_encryption_configuration"));
            return;
        }
        for block in inline.items() {
            match block.child("rule") {
                Some(rules) => judge_rules(rules, out),
                None => out.push(Hit::unknown(
                    block,
                    "server_side_encryption_configuration.rule",
                )),
            }
        }
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "このバケットを参照する `aws_s3_bucket_server_side_encryption_configuration` がないため、S3 の既定（SSE-S3、S3 が管理する鍵）で暗号化されます",
            "no `aws_s3_bucket_server_side_encryption_configuration` refers to this bucket: objects are encrypted with the S3 default (SSE-S3, keys managed by S3)",
        ),
    ));
}

/// CloudFormation: `BucketEncryption.ServerSideEncryptionConfiguration[]`, each with
/// `ServerSideEncryptionByDefault` (`SSEAlgorithm`, `KMSMasterKeyID`).
fn cloudformation(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(enc) = util::set(r, "BucketEncryption") else {
        out.push(Hit::missing(
            r,
            util::t(
                "`BucketEncryption` が設定されていないため、S3 の既定（SSE-S3、S3 が管理する鍵）で暗号化されます",
                "`BucketEncryption` is not set: objects are encrypted with the S3 default (SSE-S3, keys managed by S3)",
            ),
        ));
        return;
    };
    if enc.is_unknown() {
        out.push(Hit::unknown(enc, "BucketEncryption"));
        return;
    }
    let Some(rules) = enc
        .child("ServerSideEncryptionConfiguration")
        .filter(|n| !n.is_null())
    else {
        return; // required by CloudFormation
    };
    if rules.is_unknown() {
        out.push(Hit::unknown(
            rules,
            "BucketEncryption.ServerSideEncryptionConfiguration",
        ));
        return;
    }
    for rule in rules.items() {
        if rule.is_unknown() {
            out.push(Hit::unknown(rule, "ServerSideEncryptionConfiguration"));
            continue;
        }
        let Some(d) = rule
            .child("ServerSideEncryptionByDefault")
            .filter(|n| !n.is_null())
        else {
            out.push(Hit::value(
                rule,
                util::t(
                    "`ServerSideEncryptionByDefault` がないため、S3 の既定（SSE-S3、S3 が管理する鍵）で暗号化されます",
                    "no `ServerSideEncryptionByDefault`: objects are encrypted with the S3 default (SSE-S3, keys managed by S3)",
                ),
            ));
            continue;
        };
        if d.is_unknown() {
            out.push(Hit::unknown(d, "ServerSideEncryptionByDefault"));
            continue;
        }
        let Some(alg) = d.child("SSEAlgorithm").filter(|n| !n.is_null()) else {
            continue; // required by CloudFormation
        };
        if alg.is_unknown() {
            out.push(Hit::unknown(alg, "SSEAlgorithm"));
            continue;
        }
        if !alg
            .as_str()
            .is_some_and(|s| s.to_ascii_lowercase().starts_with("aws:kms"))
        {
            out.push(Hit::value(
                alg,
                util::t(
                    format!("`SSEAlgorithm` が {} で、S3 が管理する鍵（SSE-S3）で暗号化されます", alg.display()),
                    format!("`SSEAlgorithm` is {}: objects are encrypted with keys managed by S3 (SSE-S3)", alg.display()),
                ),
            ));
            continue;
        }
        match key_ref(d.child("KMSMasterKeyID")) {
            KeyRef::Set(k) if k.as_str().is_some_and(|s| s.contains("alias/aws/")) => {
                out.push(Hit::value(
                    k,
                    util::t(
                        format!("`KMSMasterKeyID` が {} で、AWS マネージドキーです", k.display()),
                        format!("`KMSMasterKeyID` is {}, an AWS managed key", k.display()),
                    ),
                ))
            }
            KeyRef::Set(_) => {}
            KeyRef::Unknown(k) => out.push(Hit::unknown(k, "KMSMasterKeyID")),
            KeyRef::Unset => out.push(Hit::value(
                alg,
                util::t(
                    "`KMSMasterKeyID` が設定されていないため、AWS マネージドキー（aws/s3）で暗号化されます",
                    "`KMSMasterKeyID` is not set: objects are encrypted with the AWS managed key (aws/s3)",
                ),
            )),
        }
    }
}
