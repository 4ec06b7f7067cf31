//! KJ-E1-018 `aws-opensearch-unencrypted`: OpenSearch / Elasticsearch domains encrypt data at rest;
//! with a customer-managed key at confidentiality 3.
//!
//! Without an `encrypt_at_rest` block, `enabled` defaults to false (provider documentation);
//! `kms_key_id` unset means the AWS managed key `aws/es`.
//!
//! CloudFormation (`AWS::OpenSearchService::Domain`, `AWS::Elasticsearch::Domain`):
//! `EncryptionAtRestOptions` with `Enabled` and `KmsKeyId`, the same meanings.

use crate::facts::at_rest;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let s = &at_rest::OPENSEARCH;
    let (block, enabled, key) = (s.block.of(r), s.switch.of(r), s.key.of(r));
    let enabled_attr = format!("{block}.{enabled}");
    let key_attr = format!("{block}.{key}");
    let Some(b) = util::set(r, block).and_then(|n| n.items().into_iter().next()) else {
        out.push(Hit::missing(r, util::unset(&enabled_attr, "false")));
        return;
    };
    if b.is_unknown() {
        out.push(Hit::unknown(b, block));
        return;
    }
    match b.child(enabled).filter(|n| !n.is_null()) {
        Some(e) if e.is_unknown() => {
            out.push(Hit::unknown(e, &enabled_attr));
            return;
        }
        Some(e) if e.as_bool() == Some(true) => {}
        Some(e) => {
            out.push(Hit::value(e, util::is(&enabled_attr, e)));
            return;
        }
        None => {
            out.push(Hit::value(b, util::unset(&enabled_attr, "false")));
            return;
        }
    }
    let aws_managed = util::t(
        format!("`{key}` が設定されていないため、AWS マネージドキー（aws/es）で暗号化されます"),
        format!("`{key}` is not set: data is encrypted with the AWS managed key (aws/es)"),
    );
    match key_ref(b.child(key)) {
        KeyRef::Set(n) if n.as_str().is_some_and(|s| s.contains("alias/aws/")) => out.push(
            Hit::value(
                n,
                util::t(
                    format!("`{key}` が {} で、AWS マネージドキーです", n.display()),
                    format!("`{key}` is {}, an AWS managed key", n.display()),
                ),
            )
            .at_level(3),
        ),
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, &key_attr).at_level(3)),
        KeyRef::Unset => out.push(Hit::value(b, aws_managed).at_level(3)),
    }
}
