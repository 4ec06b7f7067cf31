//! KJ-L4-003 `aws-log-group-not-kms-encrypted`: a CloudWatch Logs log group holding
//! confidentiality-3 logs without a customer-managed KMS key.
//!
//! CloudWatch Logs always encrypts with a service-owned key, which is enough where E1 asks for
//! encryption only (confidentiality 2); `kms_key_id` (CloudFormation `KmsKeyId`) puts reading the
//! logs under a key policy the organisation controls, which E1 asks for at confidentiality 3
//! (第132条第2項 read with 第133条第1項第1号 and 第151条). The rule's `applies.min` is 3.

use crate::facts::at_rest;
use crate::facts::keys::aws_customer_key;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let key = at_rest::LOG_GROUP_KEY.of(r);
    out.extend(aws_customer_key(
        r,
        r.get(key),
        key,
        [
            "CloudWatch Logs が所有するキー",
            "a key owned by CloudWatch Logs",
        ],
        None,
    ));
}
