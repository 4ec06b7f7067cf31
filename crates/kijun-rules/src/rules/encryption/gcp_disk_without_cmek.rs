//! KJ-E1-009 `gcp-disk-without-cmek`: Google Compute Engine disks holding confidentiality-3
//! information use a customer-managed (Cloud KMS) or customer-supplied key.
//!
//! Persistent disks are always encrypted, by default with a Google-managed key. The
//! `disk_encryption_key` block names a Cloud KMS key (`kms_key_self_link` on zonal disks,
//! `kms_key_name` on regional disks) or carries a customer-supplied key (`raw_key`,
//! `rsa_encrypted_key`).

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let block = util::set(r, "disk_encryption_key").and_then(|n| n.items().into_iter().next());
    if let Some(b) = block {
        if b.is_unknown() {
            out.push(Hit::unknown(b, "disk_encryption_key"));
            return;
        }
        let mut unknown = None;
        for field in [
            "kms_key_self_link",
            "kms_key_name",
            "raw_key",
            "rsa_encrypted_key",
        ] {
            match key_ref(b.child(field)) {
                KeyRef::Set(_) => return,
                KeyRef::Unknown(n) => unknown = unknown.or(Some((n, field))),
                KeyRef::Unset => {}
            }
        }
        if let Some((n, field)) = unknown {
            out.push(Hit::unknown(n, &format!("disk_encryption_key.{field}")));
            return;
        }
    }
    let attr = match r.kind.as_str() {
        "google_compute_region_disk" => "disk_encryption_key.kms_key_name",
        _ => "disk_encryption_key.kms_key_self_link",
    };
    out.push(Hit::missing(
        r,
        util::t(
            format!("`{attr}` が設定されていないため、Google が管理する鍵で暗号化されます"),
            format!("`{attr}` is not set; the disk is encrypted with a Google-managed key"),
        ),
    ));
}
