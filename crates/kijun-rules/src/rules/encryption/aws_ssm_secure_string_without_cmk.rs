//! KJ-E1-022 `aws-ssm-secure-string-without-cmk`: SSM `SecureString` parameters holding
//! confidentiality-3 information are encrypted with a customer-managed key.
//!
//! A `SecureString` is always encrypted; `key_id` unset means the AWS managed key `aws/ssm`, which
//! the organisation does not manage (第133条第1項第1号 with 第151条, CONTROLS.md E1). `String` and
//! `StringList` parameters are not encrypted and are not stores of secrets by declaration;
//! CloudFormation cannot create `SecureString` parameters at all.

use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "type") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, "type").at_level(3));
            return;
        }
        Some(t) if t.as_str() == Some("SecureString") => {}
        _ => return,
    }
    let [ja, en] = aws_managed("aws/ssm");
    out.extend(aws_customer_key(r, r.get("key_id"), "key_id", [&ja, &en], None));
}
