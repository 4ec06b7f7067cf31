//! KJ-E1-004 `aws-elasticache-at-rest-unencrypted`: ElastiCache replication groups encrypt data at
//! rest.
//!
//! The documented default of `at_rest_encryption_enabled` depends on the engine: false for `redis`
//! (the default engine), true for `valkey`. CloudFormation (`AWS::ElastiCache::ReplicationGroup`)
//! documents the same setting as `AtRestEncryptionEnabled` with "Default: false" for Redis OSS.
//!
//! At confidentiality 3 the encrypting key is customer-managed (E1): without `kms_key_id` /
//! `KmsKeyId`, ElastiCache encrypts with a key AWS manages, not the organisation.

use crate::facts::at_rest::{self, ElastiCacheNames};
use crate::facts::keys::aws_customer_key;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = &at_rest::ELASTICACHE.of(r);
    if let Some(n) = util::set(r, names.encryption) {
        if n.is_unknown() {
            out.push(Hit::unknown(n, names.encryption));
        } else if n.as_bool() == Some(false) {
            out.push(Hit::value(n, util::is(names.encryption, n)));
        } else {
            customer_key(r, names, out);
        }
        return;
    }
    // A secondary of a global datastore takes its settings from the global datastore, whose
    // primary replication group is judged itself.
    if util::set(r, names.global).is_some() {
        return;
    }
    let engine = match util::set(r, names.engine) {
        Some(e) if e.is_unknown() => {
            out.push(Hit::unknown(e, names.engine));
            return;
        }
        Some(e) => e.as_str().unwrap_or("redis").to_ascii_lowercase(),
        None => "redis".to_string(),
    };
    if engine == "valkey" {
        customer_key(r, names, out); // documented default: true
        return;
    }
    let attr = names.encryption;
    out.push(Hit::missing(
        r,
        util::t(
            format!("`{attr}` が設定されていないため、engine が {engine} の場合の既定値（false）が適用されます"),
            format!("`{attr}` is not set; the documented default for engine {engine} (false) applies"),
        ),
    ));
}

/// At confidentiality 3, an encrypted replication group names a customer-managed key.
fn customer_key(r: &Resource, names: &ElastiCacheNames, out: &mut Vec<Hit>) {
    out.extend(aws_customer_key(
        r,
        r.get(names.key),
        names.key,
        ["AWS が管理するキー", "a key managed by AWS"],
        None,
    ));
}
