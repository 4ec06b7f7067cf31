//! KJ-E1-023 `aws-ebs-encryption-by-default-disabled`: the account's EBS encryption by default is
//! not switched off, and at confidentiality 3 its default key is customer-managed.
//!
//! `aws_ebs_encryption_by_default.enabled` defaults to true; false leaves every volume created
//! without `encrypted` unencrypted (第133条第1項第1号). With encryption by default on, new volumes
//! use the account's default EBS key, the AWS managed `aws/ebs` unless `aws_ebs_default_kms_key`
//! in the scan names a customer-managed key (第151条, CONTROLS.md E1 at confidentiality 3).

use crate::facts::keys::{is_aws_managed, key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "enabled") {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "enabled"));
            return;
        }
        Some(n) if n.as_bool() == Some(false) => {
            out.push(Hit::value(
                n,
                util::t(
                    "`enabled` が false のため、`encrypted` を指定しないボリュームは暗号化されません",
                    "`enabled` is false: volumes created without `encrypted` are not encrypted",
                ),
            ));
            return;
        }
        _ => {}
    }
    let mut keys = ctx.of_kind("aws_ebs_default_kms_key").peekable();
    if keys.peek().is_none() {
        out.push(
            Hit::missing(
                r,
                util::t(
                    "`aws_ebs_default_kms_key` がないため、既定の暗号化は AWS マネージドキー（aws/ebs）で行われ、組織が管理するキーではありません",
                    "there is no `aws_ebs_default_kms_key`: default encryption uses the AWS managed key aws/ebs, not a customer-managed key",
                ),
            )
            .at_level(3),
        );
        return;
    }
    for d in keys {
        match key_ref(d.get("key_arn")) {
            KeyRef::Set(n) if is_aws_managed(n) => out.push(
                Hit::value(
                    n,
                    util::t(
                        format!("`aws_ebs_default_kms_key.key_arn` が {} で、AWS が管理するキーです", n.display()),
                        format!("`aws_ebs_default_kms_key.key_arn` is {}, a key managed by AWS", n.display()),
                    ),
                )
                .at_level(3),
            ),
            KeyRef::Unknown(n) => {
                out.push(Hit::unknown(n, "aws_ebs_default_kms_key.key_arn").at_level(3))
            }
            _ => {}
        }
    }
}
