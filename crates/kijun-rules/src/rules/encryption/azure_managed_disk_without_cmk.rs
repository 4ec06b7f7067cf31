//! KJ-E1-008 `azure-managed-disk-without-cmk`: Azure managed disks holding confidentiality-3
//! information use a customer-managed key.
//!
//! Managed disks are always encrypted at rest, by default with a platform-managed key; a
//! customer-managed key is attached through a Disk Encryption Set (`disk_encryption_set_id`, or
//! `secure_vm_disk_encryption_set_id` for confidential VMs). ARM templates
//! (`Microsoft.Compute/disks`) name the set in `properties.encryption.diskEncryptionSetId` or
//! `properties.securityProfile.secureVMDiskEncryptionSetId`.

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Terraform and ARM shape the encryption settings differently: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut unknown = None;
    for attr in ["disk_encryption_set_id", "secure_vm_disk_encryption_set_id"] {
        match key_ref(r.get(attr)) {
            KeyRef::Set(_) => return,
            KeyRef::Unknown(n) => unknown = unknown.or(Some((n, attr))),
            KeyRef::Unset => {}
        }
    }
    if let Some((n, attr)) = unknown {
        out.push(Hit::unknown(n, attr));
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "`disk_encryption_set_id` が設定されていないため、プラットフォームマネージドキーで暗号化されます",
            "`disk_encryption_set_id` is not set; the disk is encrypted with a platform-managed key",
        ),
    ));
}

fn arm(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let props = util::set(r, "properties");
    if let Some(p) = props.filter(|p| p.is_unknown()) {
        out.push(Hit::unknown(p, "properties"));
        return;
    }
    let mut unknown = None;
    for (block, key) in [
        ("encryption", "diskEncryptionSetId"),
        ("securityProfile", "secureVMDiskEncryptionSetId"),
    ] {
        let attr = match block {
            "encryption" => "properties.encryption.diskEncryptionSetId",
            _ => "properties.securityProfile.secureVMDiskEncryptionSetId",
        };
        let b = props.and_then(|p| p.child(block)).filter(|n| !n.is_null());
        if let Some(b) = b.filter(|b| b.is_unknown()) {
            unknown = unknown.or(Some((b, attr)));
            continue;
        }
        // A `resourceId(...)` of a disk encryption set is unknown but names it: set.
        match key_ref(b.and_then(|b| b.child(key))) {
            KeyRef::Set(_) => return,
            KeyRef::Unknown(n) => unknown = unknown.or(Some((n, attr))),
            KeyRef::Unset => {}
        }
    }
    if let Some((n, attr)) = unknown {
        out.push(Hit::unknown(n, attr));
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "`properties.encryption.diskEncryptionSetId` が設定されていないため、プラットフォームマネージドキーで暗号化されます",
            "`properties.encryption.diskEncryptionSetId` is not set; the disk is encrypted with a platform-managed key",
        ),
    ));
}
