//! KJ-E1-021 `aws-backup-vault-without-cmk`: AWS Backup vaults holding confidentiality-3 backups
//! are encrypted with a customer-managed key.
//!
//! A backup vault always encrypts; `kms_key_arn` (CloudFormation `EncryptionKeyArn`) unset means
//! the AWS managed key `aws/backup`, which the organisation does not manage (第133条第1項第1号
//! with 第151条, CONTROLS.md E1).

use crate::facts::at_rest;
use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let key = at_rest::BACKUP_VAULT_KEY.of(r);
    let [ja, en] = aws_managed("aws/backup");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
}
