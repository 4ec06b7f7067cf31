//! KJ-C7-002: no console passwords for IAM users.
//!
//! why: 第67条第3項第3号 and 第71条 (disposal of the accounts created for using a cloud service).
//! A login profile gives an IAM user a password of its own, managed apart from the
//! organisation's identity provider, so leaving staff keep access until someone deletes it;
//! federation (IAM Identity Center) ties console access to the organisation's accounts.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    out.push(Hit::missing(
        r,
        util::t(
            "IAM ユーザーにコンソールのパスワードを設定しています",
            "it gives an IAM user a console password",
        ),
    ));
}
