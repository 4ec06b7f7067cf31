//! KJ-E1-020 `aws-secretsmanager-secret-without-cmk`: Secrets Manager secrets holding
//! confidentiality-3 information are encrypted with a customer-managed key.
//!
//! Secrets Manager always encrypts; `kms_key_id` (CloudFormation `KmsKeyId`) unset means the AWS
//! managed key `aws/secretsmanager`, which the organisation does not manage (第133条第1項第1号
//! with 第151条, CONTROLS.md E1). Replicas in other Regions name their own key
//! (`replica[].kms_key_id`, `ReplicaRegions[].KmsKeyId`), unset again meaning the AWS managed key.

use crate::facts::at_rest;
use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let at_rest::SecretNames {
        key,
        replicas,
        replica_key,
    } = at_rest::SECRETS_MANAGER.of(r);
    let [ja, en] = aws_managed("aws/secretsmanager");
    out.extend(aws_customer_key(r, r.get(key), key, [&ja, &en], None));
    for replica in util::set(r, replicas)
        .map(|n| n.items())
        .unwrap_or_default()
    {
        if replica.is_unknown() {
            out.push(Hit::unknown(replica, replicas).at_level(3));
            continue;
        }
        let attr = format!("{replicas}.{replica_key}");
        out.extend(aws_customer_key(
            r,
            replica.child(replica_key),
            &attr,
            [&ja, &en],
            Some(replica),
        ));
    }
}
