//! KJ-E1-013 `aws-kinesis-stream-unencrypted`: Kinesis data streams encrypt records at rest; with a
//! customer-managed key at confidentiality 3.
//!
//! `encryption_type` defaults to `NONE`; with `KMS` the key is `kms_key_id`, and the Kinesis-owned
//! alias `alias/aws/kinesis` is not managed by the organisation.
//!
//! CloudFormation (`AWS::Kinesis::Stream`): without `StreamEncryption` records are not encrypted;
//! with it, `EncryptionType: KMS` and `KeyId` name the key.

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Terraform's flat attributes and CloudFormation's `StreamEncryption` block say the same
/// things in different shapes (and different words when unset): each has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
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
    judge_key(t, r.get("kms_key_id"), "kms_key_id", out);
}

/// `KMS` encryption: the key is named, and customer-managed at confidentiality 3.
fn judge_key(t: &Node, key: Option<&Node>, attr: &str, out: &mut Vec<Hit>) {
    match key_ref(key) {
        KeyRef::Set(n) if n.as_str().is_some_and(|s| s.contains("alias/aws/")) => out.push(
            Hit::value(
                n,
                util::t(
                    format!("`{attr}` が {} で、AWS マネージドキーです", n.display()),
                    format!("`{attr}` is {}, an AWS managed key", n.display()),
                ),
            )
            .at_level(3),
        ),
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, attr)),
        // The provider requires `kms_key_id` with `KMS`; without one there is nothing to name.
        KeyRef::Unset => out.push(Hit::value(t, util::missing(attr))),
    }
}

fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    let Some(enc) = util::set(r, "StreamEncryption") else {
        out.push(Hit::missing(
            r,
            util::t(
                "`StreamEncryption` が設定されていないため、レコードは暗号化されません",
                "`StreamEncryption` is not set: records are not encrypted at rest",
            ),
        ));
        return;
    };
    if enc.is_unknown() {
        out.push(Hit::unknown(enc, "StreamEncryption"));
        return;
    }
    let Some(t) = enc.child("EncryptionType").filter(|n| !n.is_null()) else {
        return; // required by CloudFormation
    };
    if t.is_unknown() {
        out.push(Hit::unknown(t, "StreamEncryption.EncryptionType"));
        return;
    }
    if !t.as_str().is_some_and(|s| s.eq_ignore_ascii_case("KMS")) {
        out.push(Hit::value(t, util::is("StreamEncryption.EncryptionType", t)));
        return;
    }
    judge_key(t, enc.child("KeyId"), "StreamEncryption.KeyId", out);
}
