//! KJ-E1-007 `dynamodb-without-customer-managed-key`: DynamoDB tables holding confidentiality-3
//! information use a customer-managed key.
//!
//! DynamoDB always encrypts, but with an AWS owned key (`server_side_encryption` absent or `enabled
//! = false`) or the AWS managed key `alias/aws/dynamodb` (`enabled = true` without `kms_key_arn`)
//! the organisation does not manage the key; at confidentiality 3 (the rule's `applies.min`) it
//! must.
//!
//! CloudFormation says the same with `SSESpecification`: `SSEEnabled` false or unset is the AWS
//! owned key, true without `KMSMasterKeyId` the AWS managed key. A global table names its
//! customer-managed keys per replica (`Replicas[].SSESpecification.KMSMasterKeyId`).
//!
//! [`key_ref`] is shared with the other customer-managed-key checks (KJ-E1-008, KJ-E1-009).

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Terraform's `server_side_encryption` block and CloudFormation's `SSESpecification` (per
/// replica for a global table) differ in shape and defaults: each platform has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    let Some(sse) =
        util::set(r, "server_side_encryption").and_then(|n| n.items().into_iter().next())
    else {
        out.push(Hit::missing(
            r,
            util::t(
                "`server_side_encryption` が設定されていないため、AWS 所有キーで暗号化されます",
                "`server_side_encryption` is not set; the table is encrypted with an AWS owned key",
            ),
        ));
        return;
    };
    if sse.is_unknown() {
        out.push(Hit::unknown(sse, "server_side_encryption"));
        return;
    }
    let Some(enabled) = sse.child("enabled").filter(|n| !n.is_null()) else {
        return; // required by the provider schema
    };
    if enabled.is_unknown() {
        out.push(Hit::unknown(enabled, "server_side_encryption.enabled"));
        return;
    }
    if enabled.as_bool() == Some(false) {
        out.push(Hit::value(
            enabled,
            util::t(
                "`server_side_encryption.enabled` が false のため、AWS 所有キーで暗号化されます",
                "`server_side_encryption.enabled` is false; the table is encrypted with an AWS owned key",
            ),
        ));
        return;
    }
    match key_ref(sse.child("kms_key_arn")) {
        KeyRef::Set(n) => {
            // The AWS managed key named explicitly is still not customer-managed.
            if n.as_str().is_some_and(|s| s.contains("alias/aws/")) {
                out.push(Hit::value(
                    n,
                    util::t(
                        format!("`server_side_encryption.kms_key_arn` が {} で、AWS マネージドキーです", n.display()),
                        format!("`server_side_encryption.kms_key_arn` is {}, an AWS managed key", n.display()),
                    ),
                ));
            }
        }
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "server_side_encryption.kms_key_arn")),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                "`server_side_encryption.kms_key_arn` が設定されていないため、AWS マネージドキー（alias/aws/dynamodb）で暗号化されます",
                "`server_side_encryption.kms_key_arn` is not set; the table is encrypted with the AWS managed key (alias/aws/dynamodb)",
            ),
        )),
    }
}

/// A key attribute that names no key or the AWS managed key is a finding.
fn judge_key(
    r: &Resource,
    key: Option<&Node>,
    attr: &str,
    anchor: Option<&Node>,
    out: &mut Vec<Hit>,
) {
    match key_ref(key) {
        KeyRef::Set(n) => {
            if n.as_str().is_some_and(|s| s.contains("alias/aws/")) {
                out.push(Hit::value(
                    n,
                    util::t(
                        format!("`{attr}` が {} で、AWS マネージドキーです", n.display()),
                        format!("`{attr}` is {}, an AWS managed key", n.display()),
                    ),
                ));
            }
        }
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, attr)),
        KeyRef::Unset => {
            let detail = util::t(
                format!("`{attr}` が設定されていないため、AWS マネージドキー（alias/aws/dynamodb）で暗号化されます"),
                format!("`{attr}` is not set; the table is encrypted with the AWS managed key (alias/aws/dynamodb)"),
            );
            out.push(match anchor {
                Some(a) => Hit::value(a, detail),
                None => Hit::missing(r, detail),
            });
        }
    }
}

fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    let owned = |attr: &str| {
        util::t(
            format!("`{attr}` が設定されていないため、AWS 所有キーで暗号化されます"),
            format!("`{attr}` is not set; the table is encrypted with an AWS owned key"),
        )
    };
    let Some(sse) = util::set(r, "SSESpecification") else {
        out.push(Hit::missing(r, owned("SSESpecification")));
        return;
    };
    if sse.is_unknown() {
        out.push(Hit::unknown(sse, "SSESpecification"));
        return;
    }
    match sse.child("SSEEnabled").filter(|n| !n.is_null()) {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "SSESpecification.SSEEnabled"));
            return;
        }
        Some(n) if n.as_bool() == Some(true) => {}
        Some(n) => {
            out.push(Hit::value(
                n,
                util::t(
                    "`SSESpecification.SSEEnabled` が false のため、AWS 所有キーで暗号化されます",
                    "`SSESpecification.SSEEnabled` is false; the table is encrypted with an AWS owned key",
                ),
            ));
            return;
        }
        // "If disabled (false) or not specified, server-side encryption is set to AWS owned key."
        None => {
            out.push(Hit::value(sse, owned("SSESpecification.SSEEnabled")));
            return;
        }
    }
    if r.kind == "AWS::DynamoDB::Table" {
        judge_key(
            r,
            sse.child("KMSMasterKeyId"),
            "SSESpecification.KMSMasterKeyId",
            None,
            out,
        );
        return;
    }
    // A global table: every replica names its key, or uses the AWS managed key.
    let Some(replicas) = util::set(r, "Replicas") else {
        return; // required by CloudFormation
    };
    if replicas.is_unknown() {
        out.push(Hit::unknown(replicas, "Replicas"));
        return;
    }
    for replica in replicas.items() {
        if replica.is_unknown() {
            out.push(Hit::unknown(replica, "Replicas"));
            continue;
        }
        let spec = replica.child("SSESpecification").filter(|n| !n.is_null());
        if let Some(s) = spec.filter(|s| s.is_unknown()) {
            out.push(Hit::unknown(s, "Replicas.SSESpecification"));
            continue;
        }
        judge_key(
            r,
            spec.and_then(|s| s.child("KMSMasterKeyId")),
            "Replicas.SSESpecification.KMSMasterKeyId",
            Some(replica),
            out,
        );
    }
}
