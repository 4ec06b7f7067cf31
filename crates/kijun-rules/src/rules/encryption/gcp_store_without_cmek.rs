//! KJ-E1-025 `gcp-store-without-cmek`: Google Cloud stores holding confidentiality-3 information
//! (Pub/Sub topics, BigQuery datasets, Cloud SQL instances, VM boot disks) name a
//! customer-managed Cloud KMS key (CMEK).
//!
//! Google Cloud encrypts all of them with Google-managed keys unless the key attribute names a
//! Cloud KMS key; CONTROLS.md E1 asks for the organisation's own key at confidentiality 3
//! (第133条第1項第1号 with 第151条). Disks and buckets have their own rules (KJ-E1-009,
//! KJ-E1-019), GKE secrets KJ-E1-024.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // (block holding the key or "" for the resource, the key attributes, the path as reported)
    let (block, keys, path): (&str, &[&str], &str) = match r.kind.as_str() {
        "google_pubsub_topic" => ("", &["kms_key_name"], "kms_key_name"),
        "google_bigquery_dataset" => (
            "default_encryption_configuration",
            &["kms_key_name"],
            "default_encryption_configuration.kms_key_name",
        ),
        "google_sql_database_instance" => ("", &["encryption_key_name"], "encryption_key_name"),
        "google_compute_instance" => (
            "boot_disk",
            &["kms_key_self_link", "disk_encryption_key_raw", "disk_encryption_key_rsa"],
            "boot_disk.kms_key_self_link",
        ),
        _ => return,
    };
    let holder: Option<&Node> = if block.is_empty() {
        None
    } else {
        match util::set(r, block).and_then(|n| n.items().into_iter().next()) {
            Some(b) if b.is_unknown() => {
                out.push(Hit::unknown(b, block));
                return;
            }
            Some(b) => Some(b),
            None => {
                out.push(Hit::missing(r, google_managed(path)));
                return;
            }
        }
    };
    let get = |k: &str| match holder {
        Some(b) => b.child(k),
        None => r.get(k),
    };
    let mut unknown = None;
    for k in keys {
        match key_ref(get(k)) {
            KeyRef::Set(_) => return,
            KeyRef::Unknown(n) => unknown = unknown.or(Some(n)),
            KeyRef::Unset => {}
        }
    }
    match (unknown, holder) {
        (Some(n), _) => out.push(Hit::unknown(n, path)),
        (None, Some(b)) => out.push(Hit::value(b, google_managed(path))),
        (None, None) => out.push(Hit::missing(r, google_managed(path))),
    }
}

fn google_managed(path: &str) -> kijun_model::Text {
    util::t(
        format!("`{path}` が設定されていないため、Google が管理する鍵で暗号化され、組織が管理する鍵ではありません"),
        format!("`{path}` is not set: data is encrypted with Google-managed keys, not a customer-managed key"),
    )
}
