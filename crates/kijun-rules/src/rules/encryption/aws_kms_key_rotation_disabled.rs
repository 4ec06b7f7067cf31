//! KJ-E7-001 `aws-kms-key-rotation-disabled`: symmetric KMS keys rotate automatically, at least
//! once a year.
//!
//! Rotating the key material limits how much data one key version protects and how long a leaked
//! version is useful; a period of at most one year is the reading applied here (the AWS default
//! period is 365 days). Automatic rotation exists only for symmetric encryption keys in the AWS KMS
//! key store: asymmetric and HMAC keys (`customer_master_key_spec`, `key_usage`) and keys in a
//! custom key store (`custom_key_store_id`) are skipped.
//!
//! CloudFormation (`AWS::KMS::Key`): `KeySpec`, `KeyUsage`, `EnableKeyRotation` (default false)
//! and `RotationPeriodInDays`, the same meanings.

use crate::facts::keys::{RotationNames, KMS_ROTATION};
use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

const MAX_DAYS: f64 = 365.0;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let RotationNames {
        spec,
        usage,
        store,
        enable,
        period,
    } = KMS_ROTATION.of(r);
    for (attr, rotatable) in [(spec, "SYMMETRIC_DEFAULT"), (usage, "ENCRYPT_DECRYPT")] {
        if let Some(n) = util::set(r, attr) {
            if n.is_unknown() {
                out.push(Hit::unknown(n, attr));
                return;
            }
            if !n
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(rotatable))
            {
                return; // not eligible for automatic rotation
            }
        }
    }
    if !store.is_empty() && util::set(r, store).is_some() {
        return;
    }
    let Some(en) = util::set(r, enable) else {
        out.push(Hit::missing(r, util::unset(enable, "false")));
        return;
    };
    if en.is_unknown() {
        out.push(Hit::unknown(en, enable));
        return;
    }
    if en.as_bool() != Some(true) {
        out.push(Hit::value(en, util::is(enable, en)));
        return;
    }
    let Some(p) = util::set(r, period) else {
        return; // default period: 365 days
    };
    if p.is_unknown() {
        out.push(Hit::unknown(p, period));
        return;
    }
    if let Some(d) = p.as_f64().filter(|d| *d > MAX_DAYS) {
        out.push(Hit::value(
            p,
            util::t(
                format!(
                    "`{period}` が {} 日で、1 年（365 日）を超えています",
                    format_number(d)
                ),
                format!(
                    "`{period}` is {} days, longer than one year (365 days)",
                    format_number(d)
                ),
            ),
        ));
    }
}
