//! KJ-L4-002 `aws-cloudtrail-not-kms-encrypted`: CloudTrail log files are not encrypted with a
//! KMS key.
//!
//! CloudTrail encrypts log files with S3-managed keys (SSE-S3) by default, so anyone allowed to
//! read the bucket can read the trail. With `kms_key_id` (SSE-KMS) reading also needs `kms:Decrypt`
//! on the key, a second, separately administered control over who may read the audit trail.

use crate::facts::at_rest;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation (`AWS::CloudTrail::Trail`) spells the attribute `KMSKeyId`.
    let attr = at_rest::CLOUDTRAIL_KEY.of(r);
    match key_ref(r.get(attr)) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, attr)),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                format!("`{attr}` が設定されていないため、ログファイルは S3 管理キー（SSE-S3）でのみ暗号化されます"),
                format!("`{attr}` is not set; log files are encrypted only with S3-managed keys (SSE-S3)"),
            ),
        )),
    }
}
