//! KJ-E1-018 `aws-opensearch-unencrypted`: OpenSearch / Elasticsearch domains encrypt data at rest;
//! with a customer-managed key at confidentiality 3.
//!
//! Without an `encrypt_at_rest` block, `enabled` defaults to false (provider documentation);
//! `kms_key_id` unset means the AWS managed key `aws/es`.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(b) = util::set(r, "encrypt_at_rest").and_then(|n| n.items().into_iter().next()) else {
        out.push(Hit::missing(
            r,
            util::unset("encrypt_at_rest.enabled", "false"),
        ));
        return;
    };
    if b.is_unknown() {
        out.push(Hit::unknown(b, "encrypt_at_rest"));
        return;
    }
    match b.child("enabled").filter(|n| !n.is_null()) {
        Some(e) if e.is_unknown() => {
            out.push(Hit::unknown(e, "encrypt_at_rest.enabled"));
            return;
        }
        Some(e) if e.as_bool() == Some(true) => {}
        Some(e) => {
            out.push(Hit::value(e, util::is("encrypt_at_rest.enabled", e)));
            return;
        }
        None => {
            out.push(Hit::value(
                b,
                util::unset("encrypt_at_rest.enabled", "false"),
            ));
            return;
        }
    }
    let aws_managed = util::t(
        "`kms_key_id` が設定されていないため、AWS マネージドキー（aws/es）で暗号化されます",
        "`kms_key_id` is not set: data is encrypted with the AWS managed key (aws/es)",
    );
    match key_ref(b.child("kms_key_id")) {
        KeyRef::Set(n) if n.as_str().is_some_and(|s| s.contains("alias/aws/")) => out.push(
            Hit::value(
                n,
                util::t(
                    format!("`kms_key_id` が {} で、AWS マネージドキーです", n.display()),
                    format!("`kms_key_id` is {}, an AWS managed key", n.display()),
                ),
            )
            .at_level(3),
        ),
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "encrypt_at_rest.kms_key_id").at_level(3)),
        KeyRef::Unset => out.push(Hit::value(b, aws_managed).at_level(3)),
    }
}
