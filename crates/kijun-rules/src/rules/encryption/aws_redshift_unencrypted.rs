//! KJ-E1-006 `aws-redshift-unencrypted`: an unencrypted cluster (the attribute check in
//! `specs`), and at confidentiality 3 an encrypted one without a customer-managed key.
//!
//! 第133条第1項第1号 with 第151条 (CONTROLS.md E1): at confidentiality 3 an encrypted cluster names
//! a customer-managed key; `kms_key_id` (CloudFormation `KmsKeyId`) unset means the AWS managed
//! key `aws/redshift`. In Terraform an unset `encrypted` is true (provider v6 default); in
//! CloudFormation it is false, which the declarative check reports.

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
            Declarative::on(&["aws_redshift_cluster"], "encrypted").equals(true).unset_means(true),
            // CloudFormation documents "Default: false" for AWS::Redshift::Cluster Encrypted.
            Declarative::on(&["AWS::Redshift::Cluster"], "Encrypted").equals(true).unset_means(false),
        ]
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    let (encrypted, key) = (at_rest::REDSHIFT.switch.of(r), at_rest::REDSHIFT.key.of(r));
    let default = at_rest::REDSHIFT_ENCRYPTED_BY_DEFAULT.of(r);
    let on = match util::set(r, encrypted) {
        Some(n) => n.as_bool() == Some(true),
        None => default,
    };
    if !on {
        return;
    }
    let [ja, en] = aws_managed("aws/redshift");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
}
