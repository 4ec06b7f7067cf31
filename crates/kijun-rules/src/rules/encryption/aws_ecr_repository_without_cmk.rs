//! KJ-E1-014 `aws-ecr-repository-without-cmk`: ECR repositories holding confidentiality-3 images
//! use a customer-managed KMS key.
//!
//! ECR always encrypts, by default with AES-256 keys managed by ECR (`encryption_type = "AES256"`);
//! `KMS` without `kms_key` uses the AWS managed key `aws/ecr`. Neither is managed by the
//! organisation, which confidentiality 3 asks for.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(block) =
        util::set(r, "encryption_configuration").and_then(|n| n.items().into_iter().next())
    else {
        out.push(Hit::missing(
            r,
            util::t(
                "`encryption_configuration` が設定されていないため、ECR が管理する鍵（AES256）で暗号化されます",
                "`encryption_configuration` is not set: images are encrypted with keys managed by ECR (AES256)",
            ),
        ));
        return;
    };
    if block.is_unknown() {
        out.push(Hit::unknown(block, "encryption_configuration"));
        return;
    }
    match block.child("encryption_type").filter(|n| !n.is_null()) {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, "encryption_configuration.encryption_type"));
            return;
        }
        Some(t)
            if t.as_str()
                .is_some_and(|s| s.to_ascii_uppercase().starts_with("KMS")) => {}
        Some(t) => {
            out.push(Hit::value(
                t,
                util::is("encryption_configuration.encryption_type", t),
            ));
            return;
        }
        None => {
            out.push(Hit::value(
                block,
                util::unset("encryption_configuration.encryption_type", "\"AES256\""),
            ));
            return;
        }
    }
    match key_ref(block.child("kms_key")) {
        KeyRef::Set(n) if n.as_str().is_some_and(|s| s.contains("alias/aws/")) => {
            out.push(Hit::value(
                n,
                util::t(
                    format!("`kms_key` が {} で、AWS マネージドキーです", n.display()),
                    format!("`kms_key` is {}, an AWS managed key", n.display()),
                ),
            ))
        }
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "encryption_configuration.kms_key")),
        KeyRef::Unset => out.push(Hit::value(
            block,
            util::t(
                "`kms_key` が設定されていないため、AWS マネージドキー（aws/ecr）で暗号化されます",
                "`kms_key` is not set: images are encrypted with the AWS managed key (aws/ecr)",
            ),
        )),
    }
}
