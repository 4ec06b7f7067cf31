//! KJ-C7-001 `aws-iam-user-access-key`: no long-lived IAM user access keys.
//!
//! An access key of an IAM user is a credential that never expires and outlives the work it was
//! made for; roles and federation issue temporary credentials instead. A key created `Inactive`
//! cannot be used and passes.

use crate::facts::credentials::ACCESS_KEY_STATUS;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Terraform `status`, CloudFormation `Status` (AWS::IAM::AccessKey); both default to Active.
    let attr = ACCESS_KEY_STATUS.of(r);
    if let Some(s) = util::set(r, attr) {
        if s.is_unknown() {
            out.push(Hit::unknown(s, attr));
            return;
        }
        if s.as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case("Inactive"))
        {
            return;
        }
    }
    out.push(Hit::missing(
        r,
        util::t(
            "IAM ユーザーのアクセスキーは有効期限のない長期の認証情報です",
            "an IAM user access key is a long-lived credential that never expires",
        ),
    ));
}
