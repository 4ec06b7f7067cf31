//! KJ-E1-007: DynamoDB tables holding confidentiality-3 information use a customer-managed key.
//!
//! why: 第133条第1項第1号 asks for encryption, and 第151条第2項 for keys managed under the
//! organisation's key-management procedure. DynamoDB always encrypts, but with an AWS owned key
//! (`server_side_encryption` absent or `enabled = false`) or the AWS managed key
//! `alias/aws/dynamodb` (`enabled = true` without `kms_key_arn`) the organisation does not manage
//! the key; at confidentiality 3 (the rule's `applies.min`) it must.
//!
//! [`key_ref`] is shared with the other customer-managed-key checks (KJ-E1-008, KJ-E1-009).

use super::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
