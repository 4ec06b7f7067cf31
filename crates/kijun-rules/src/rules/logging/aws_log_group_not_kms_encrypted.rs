//! KJ-L4-003 `aws-log-group-not-kms-encrypted`: a CloudWatch Logs log group without a KMS key.
//!
//! CloudWatch Logs always encrypts with a service-owned key; `kms_key_id` puts reading the logs
//! under a key policy the organisation controls.

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
