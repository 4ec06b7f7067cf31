//! KJ-E1-003 `aws-efs-unencrypted`: an unencrypted file system (the attribute check in
//! `specs`), and at confidentiality 3 an encrypted one without a customer-managed key.
//!
//! 第133条第1項第1号 with 第151条 (CONTROLS.md E1): at confidentiality 3 an encrypted file system
//! names a customer-managed key; `kms_key_id` (CloudFormation `KmsKeyId`) unset means the AWS
//! managed key `aws/elasticfilesystem`.

use crate::facts::at_rest;
use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::declarative::run_all;
use crate::catalogue::Declarative;
use std::sync::OnceLock;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(&["aws_efs_file_system"], "encrypted").equals(true).unset_means(false),
            Declarative::on(&["AWS::EFS::FileSystem"], "Encrypted").equals(true).unset_means(false),
        ]
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    let (encrypted, key) = (at_rest::EFS.switch.of(r), at_rest::EFS.key.of(r));
    if util::set(r, encrypted).and_then(|n| n.as_bool()) != Some(true) {
        return;
    }
    let [ja, en] = aws_managed("aws/elasticfilesystem");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
}
