//! KJ-C7-002 `aws-iam-user-login-profile`: no console passwords for IAM users.
//!
//! A login profile gives an IAM user a password of its own, managed apart from the organisation's
//! identity provider, so leaving staff keep access until someone deletes it; federation (IAM
//! Identity Center) ties console access to the organisation's accounts.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Terraform gives the password with a resource of its own, CloudFormation with a property of
/// the user: each platform has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

/// CloudFormation gives the password through the user's `LoginProfile` property; a user
/// without it has no console password.
fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    if let Some(p) = util::set(r, "LoginProfile") {
        out.push(Hit::value(
            p,
            util::t(
                "`LoginProfile` で IAM ユーザーにコンソールのパスワードを設定しています",
                "`LoginProfile` gives an IAM user a console password",
            ),
        ));
    }
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    out.push(Hit::missing(
        r,
        util::t(
            "IAM ユーザーにコンソールのパスワードを設定しています",
            "it gives an IAM user a console password",
        ),
    ));
}
