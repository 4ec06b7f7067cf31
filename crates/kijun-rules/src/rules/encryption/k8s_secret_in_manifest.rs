//! KJ-E1-101 `k8s-secret-in-manifest`: a Secret object whose values are written in the
//! manifest (`data`, base64, or `stringData`, plain text).
//!
//! A Secret in a manifest is stored in the repository, in every clone and in every CI log that
//! prints it; base64 is an encoding, not encryption. Secrets kept encrypted in the repository
//! (SealedSecret, SOPS-encrypted files) or fetched at deploy time (ExternalSecret, the Secrets
//! Store CSI driver) are different kinds or carry SOPS metadata and pass. Service-account token
//! Secrets are KJ-C7-101's.

use crate::facts::k8s::SA_TOKEN;
use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Value};

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.get("type").and_then(|t| t.as_str()) == Some(SA_TOKEN) {
        return;
    }
    // why: SOPS writes its metadata under a top-level `sops` key and encrypts the values
    // (`ENC[AES256_GCM,…]`): the file in the repository holds ciphertext only.
    if r.get("sops").is_some() {
        return;
    }
    for field in ["data", "stringData"] {
        let Some(map) = r.get(field).and_then(|d| d.as_object()) else {
            continue;
        };
        let mut filled: Vec<(&str, &kijun_model::Node)> = map
            .iter()
            .filter(|(_, v)| match &v.value {
                Value::String(s) => !s.trim().is_empty() && !s.starts_with("ENC["),
                Value::Null => false,
                _ => true,
            })
            .map(|(k, v)| (&**k, v))
            .collect();
        // In the order written, so the finding points at the first value of the manifest.
        filled.sort_by_key(|(_, v)| (v.at.file, v.at.start));
        let Some((_, first)) = filled.first() else {
            continue;
        };
        let keys: Vec<String> = filled.iter().map(|(k, _)| format!("`{k}`")).collect();
        let count = keys.len();
        let (ja_enc, en_enc) = if field == "data" {
            (
                "base64 は符号化であり暗号化ではありません",
                "base64 is an encoding, not encryption",
            )
        } else {
            ("平文のままです", "they are plain text")
        };
        // `Opaque` is the API's default type.
        let ty = r.get("type").and_then(|t| t.as_str()).unwrap_or("Opaque");
        out.push(Hit::value(
            first,
            util::t(
                format!("種類 {ty} の Secret の `{field}` に {count} 個の値（{}）がマニフェストに書かれています（{ja_enc}）", keys.join("、")),
                format!("`{field}` of this {ty} Secret holds {count} value(s) in the manifest ({}); {en_enc}", keys.join(", ")),
            ),
        ));
    }
}
