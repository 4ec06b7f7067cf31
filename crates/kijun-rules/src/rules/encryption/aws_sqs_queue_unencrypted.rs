//! KJ-E1-012 `aws-sqs-queue-unencrypted`: SQS queues encrypt messages at rest; with a
//! customer-managed key at confidentiality 3.
//!
//! A queue is encrypted with an SQS-owned key (SSE-SQS) unless `sqs_managed_sse_enabled = false`:
//! SQS enables SSE-SQS by default for new queues, and the current provider leaves the argument to
//! that default when unset. With `kms_master_key_id` the queue uses SSE-KMS; at confidentiality 3
//! the key must be customer-managed (not SSE-SQS, not `alias/aws/sqs`).
//!
//! CloudFormation (`AWS::SQS::Queue`) names the same settings `KmsMasterKeyId` and
//! `SqsManagedSseEnabled`.

use crate::facts::at_rest;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let (key, sse) = (at_rest::SNS_SQS_KEY.of(r), at_rest::SQS_MANAGED_SSE.of(r));
    match key_ref(r.get(key)) {
        KeyRef::Unknown(n) => {
            out.push(Hit::unknown(n, key));
            return;
        }
        KeyRef::Set(n) => {
            if n.as_str().is_some_and(|s| s.contains("alias/aws/")) {
                out.push(
                    Hit::value(
                        n,
                        util::t(
                            format!("`{key}` が {} で、AWS マネージドキーです", n.display()),
                            format!("`{key}` is {}, an AWS managed key", n.display()),
                        ),
                    )
                    .at_level(3),
                );
            }
            return;
        }
        KeyRef::Unset => {}
    }
    match util::set(r, sse) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, sse)),
        Some(n) if n.as_bool() == Some(false) => out.push(Hit::value(
            n,
            util::t(
                format!("`{sse}` が false で `{key}` もないため、メッセージは暗号化されません"),
                format!("`{sse}` is false and there is no `{key}`: messages are not encrypted at rest"),
            ),
        )),
        Some(n) => out.push(
            Hit::value(
                n,
                util::t(
                    "SQS が所有する鍵（SSE-SQS）で暗号化され、組織が管理する鍵ではありません",
                    "messages are encrypted with SQS-owned keys (SSE-SQS), not a customer-managed key",
                ),
            )
            .at_level(3),
        ),
        None => out.push(
            Hit::missing(
                r,
                util::t(
                    format!("`{key}` が設定されていないため、SQS が所有する鍵（SSE-SQS、新しいキューの既定）で暗号化され、組織が管理する鍵ではありません"),
                    format!("`{key}` is not set: messages are encrypted with SQS-owned keys (SSE-SQS, the default for new queues), not a customer-managed key"),
                ),
            )
            .at_level(3),
        ),
    }
}
