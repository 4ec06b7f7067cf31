//! KJ-E1-003 `aws-efs-unencrypted`: the customer-managed-key half of the rule (the `encrypted`
//! half is the declarative check of the rule's TOML).
//!
//! 第133条第1項第1号 with 第151条 (CONTROLS.md E1): at confidentiality 3 an encrypted file system
//! names a customer-managed key; `kms_key_id` (CloudFormation `KmsKeyId`) unset means the AWS
//! managed key `aws/elasticfilesystem`.

use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let (encrypted, key) = if r.kind.starts_with("AWS::") {
        ("Encrypted", "KmsKeyId")
    } else {
        ("encrypted", "kms_key_id")
    };
    if util::set(r, encrypted).and_then(|n| n.as_bool()) != Some(true) {
        return;
    }
    let [ja, en] = aws_managed("aws/elasticfilesystem");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
}
