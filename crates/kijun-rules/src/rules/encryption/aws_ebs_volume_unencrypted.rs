//! KJ-E1-001 `aws-ebs-volume-unencrypted`: an unencrypted volume (the attribute check in
//! `specs`), and at confidentiality 3 an encrypted one without a customer-managed key.
//!
//! 第133条第1項第1号 with 第151条 (CONTROLS.md E1): at confidentiality 3 an encrypted volume names a
//! customer-managed key. `kms_key_id` (CloudFormation `KmsKeyId`) unset means the account's
//! default EBS key, which is the AWS managed key `aws/ebs` unless the scan sets a customer key as
//! the default with `aws_ebs_default_kms_key`.

use crate::facts::at_rest;
use crate::facts::keys::{aws_customer_key, aws_managed, is_aws_managed, key_ref, KeyRef};
use crate::declarative::run_all;
use crate::catalogue::Declarative;
use std::sync::OnceLock;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(&["aws_ebs_volume"], "encrypted").equals(true).unset_means(false),
            Declarative::on(&["AWS::EC2::Volume"], "Encrypted").equals(true).unset_means(false),
        ]
    })
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    let (encrypted, key) = (at_rest::EBS.switch.of(r), at_rest::EBS.key.of(r));
    // Unencrypted or unknown volumes are the declarative check's findings.
    if util::set(r, encrypted).and_then(|n| n.as_bool()) != Some(true) {
        return;
    }
    if key_ref(r.get(key)).is_unset() && customer_default_key(ctx) {
        return;
    }
    let [ja, en] = aws_managed("aws/ebs");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
}

/// `aws_ebs_default_kms_key.key_arn` names a customer-managed key: volumes without their own
/// key use it.
fn customer_default_key(ctx: &Ctx) -> bool {
    ctx.of_kind("aws_ebs_default_kms_key")
        .any(|d| matches!(key_ref(d.get("key_arn")), KeyRef::Set(n) if !is_aws_managed(n)))
}
