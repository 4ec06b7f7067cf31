//! KJ-E1-024 `gke-secrets-without-cmek`: GKE clusters holding confidentiality-3 information
//! encrypt Kubernetes Secrets in etcd with a customer-managed Cloud KMS key.
//!
//! GKE encrypts its control-plane storage with Google-managed keys; application-layer secrets
//! encryption (`database_encryption { state = "ENCRYPTED", key_name = … }`) adds the
//! organisation's own key, which CONTROLS.md E1 asks for at confidentiality 3 (第133条第1項第1号
//! with 第151条). Without the block, or with `state = "DECRYPTED"`, Secrets are under Google's keys
//! only.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(block) =
        util::set(r, "database_encryption").and_then(|n| n.items().into_iter().next())
    else {
        out.push(Hit::missing(
            r,
            util::t(
                "`database_encryption` が設定されていないため、Secret は Google が管理するキーでのみ暗号化されます",
                "`database_encryption` is not set: Secrets are encrypted with Google-managed keys only",
            ),
        ));
        return;
    };
    if block.is_unknown() {
        out.push(Hit::unknown(block, "database_encryption"));
        return;
    }
    match block.child("state").filter(|n| !n.is_null()) {
        Some(s) if s.is_unknown() => {
            out.push(Hit::unknown(s, "database_encryption.state"));
            return;
        }
        Some(s) if s.as_str() == Some("ENCRYPTED") => {}
        Some(s) => {
            out.push(Hit::value(s, util::is("database_encryption.state", s)));
            return;
        }
        None => {
            out.push(Hit::value(block, util::missing("database_encryption.state")));
            return;
        }
    }
    match key_ref(block.child("key_name")) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "database_encryption.key_name")),
        KeyRef::Unset => out.push(Hit::value(block, util::missing("database_encryption.key_name"))),
    }
}
