//! KJ-E1-019 `gcs-bucket-without-cmek`: Cloud Storage buckets holding confidentiality-3 information
//! use a customer-managed encryption key (CMEK).
//!
//! Cloud Storage always encrypts, by default with Google-managed keys;
//! `encryption.default_kms_key_name` makes a Cloud KMS key the bucket's default.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let block = util::set(r, "encryption").and_then(|n| n.items().into_iter().next());
    if let Some(b) = block {
        if b.is_unknown() {
            out.push(Hit::unknown(b, "encryption"));
            return;
        }
        match key_ref(b.child("default_kms_key_name")) {
            KeyRef::Set(_) => return,
            KeyRef::Unknown(n) => {
                out.push(Hit::unknown(n, "encryption.default_kms_key_name"));
                return;
            }
            KeyRef::Unset => {}
        }
    }
    let detail = util::t(
        "`encryption.default_kms_key_name` が設定されていないため、Google が管理する鍵で暗号化されます",
        "`encryption.default_kms_key_name` is not set: objects are encrypted with Google-managed keys",
    );
    out.push(match block {
        Some(b) => Hit::value(b, detail),
        None => Hit::missing(r, detail),
    });
}
