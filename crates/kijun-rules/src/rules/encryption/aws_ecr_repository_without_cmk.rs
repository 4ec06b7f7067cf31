//! KJ-E1-014 `aws-ecr-repository-without-cmk`: ECR repositories holding confidentiality-3 images
//! use a customer-managed KMS key.
//!
//! ECR always encrypts, by default with AES-256 keys managed by ECR (`encryption_type = "AES256"`);
//! `KMS` without `kms_key` uses the AWS managed key `aws/ecr`. Neither is managed by the
//! organisation, which confidentiality 3 asks for.
//!
//! CloudFormation (`AWS::ECR::Repository`) says the same with `EncryptionConfiguration`
//! (`EncryptionType`, `KmsKey`).

use crate::facts::at_rest;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let s = &at_rest::ECR;
    let (conf, ty, key) = (s.block.of(r), s.switch.of(r), s.key.of(r));
    let Some(block) = util::set(r, conf).and_then(|n| n.items().into_iter().next())
    else {
        out.push(Hit::missing(
            r,
            util::t(
                format!("`{conf}` が設定されていないため、ECR が管理する鍵（AES256）で暗号化されます"),
                format!("`{conf}` is not set: images are encrypted with keys managed by ECR (AES256)"),
            ),
        ));
        return;
    };
    if block.is_unknown() {
        out.push(Hit::unknown(block, conf));
        return;
    }
    let ty_attr = format!("{conf}.{ty}");
    let key_attr = format!("{conf}.{key}");
    match block.child(ty).filter(|n| !n.is_null()) {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, &ty_attr));
            return;
        }
        Some(t)
            if t.as_str()
                .is_some_and(|s| s.to_ascii_uppercase().starts_with("KMS")) => {}
        Some(t) => {
            out.push(Hit::value(t, util::is(&ty_attr, t)));
            return;
        }
        None => {
            out.push(Hit::value(
                block,
                util::unset(&ty_attr, "\"AES256\""),
            ));
            return;
        }
    }
    match key_ref(block.child(key)) {
        KeyRef::Set(n) if n.as_str().is_some_and(|s| s.contains("alias/aws/")) => {
            out.push(Hit::value(
                n,
                util::t(
                    format!("`{key}` が {} で、AWS マネージドキーです", n.display()),
                    format!("`{key}` is {}, an AWS managed key", n.display()),
                ),
            ))
        }
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, &key_attr)),
        KeyRef::Unset => out.push(Hit::value(
            block,
            util::t(
                format!("`{key}` が設定されていないため、AWS マネージドキー（aws/ecr）で暗号化されます"),
                format!("`{key}` is not set: images are encrypted with the AWS managed key (aws/ecr)"),
            ),
        )),
    }
}
