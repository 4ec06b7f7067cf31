//! KJ-L4-003 `aws-log-group-not-kms-encrypted`: a CloudWatch Logs log group without a KMS key.
//!
//! why: 第132条第2項 asks that logs be handled as the protected information they are, and
//! 第133条第1項第1号 asks for encryption where confidential information is stored; logs of a
//! system handling 要機密情報 carry it (request parameters, user identifiers). CloudWatch Logs
//! always encrypts with a service-owned key; `kms_key_id` puts reading the logs under a key
//! policy the organisation controls. KJ-E1 rules may ask for the same at confidentiality 3; this
//! rule applies from 2 because the logs are the record 第132条 protects.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match key_ref(r.get("kms_key_id")) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "kms_key_id")),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                "`kms_key_id` が設定されていないため、ログはサービス所有のキーでのみ暗号化されます",
                "`kms_key_id` is not set; the logs are encrypted only with a service-owned key",
            ),
        )),
    }
}
