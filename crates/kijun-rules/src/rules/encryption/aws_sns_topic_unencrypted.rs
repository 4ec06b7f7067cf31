//! KJ-E1-011 `aws-sns-topic-unencrypted`: SNS topics encrypt messages at rest; with a
//! customer-managed key at confidentiality 3.
//!
//! SNS does not encrypt topics unless `kms_master_key_id` names a key; the AWS managed key
//! `alias/aws/sns` encrypts, but the organisation does not manage it, which is enough only below
//! confidentiality 3.
//!
//! CloudFormation (`AWS::SNS::Topic`) names the key `KmsMasterKeyId`, with the same meaning.

use crate::facts::at_rest;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let attr = at_rest::SNS_SQS_KEY.of(r);
    match key_ref(r.get(attr)) {
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                format!("`{attr}` が設定されていないため、トピックのメッセージは暗号化されません"),
                format!("`{attr}` is not set: messages of the topic are not encrypted at rest"),
            ),
        )),
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, attr)),
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
    }
}
