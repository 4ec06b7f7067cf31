//! KJ-E1-013 `aws-kinesis-stream-unencrypted`: Kinesis data streams encrypt records at rest; with a
//! customer-managed key at confidentiality 3.
//!
//! `encryption_type` defaults to `NONE`; with `KMS` the key is `kms_key_id`, and the Kinesis-owned
//! alias `alias/aws/kinesis` is not managed by the organisation.

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = util::set(r, "encryption_type") else {
        out.push(Hit::missing(r, util::unset("encryption_type", "\"NONE\"")));
        return;
    };
    if t.is_unknown() {
        out.push(Hit::unknown(t, "encryption_type"));
        return;
    }
    if !t.as_str().is_some_and(|s| s.eq_ignore_ascii_case("KMS")) {
        out.push(Hit::value(t, util::is("encryption_type", t)));
        return;
    }
    match key_ref(r.get("kms_key_id")) {
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
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "kms_key_id")),
        // The provider requires `kms_key_id` with `KMS`; without one there is nothing to name.
        KeyRef::Unset => out.push(Hit::value(t, util::missing("kms_key_id"))),
    }
}
