//! KJ-C7-003: no user-managed service account keys.
//!
//! why: 第67条第3項第3号 and 第71条 (disposal of the accounts and credentials created for using a
//! cloud service). A `google_service_account_key` is a long-lived private key (by default it
//! does not expire) that can be copied anywhere; attached service accounts and workload
//! identity federation give short-lived tokens instead.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    out.push(Hit::missing(
        r,
        util::t(
            "サービスアカウントキーは長期間有効な秘密鍵です",
            "a service account key is a long-lived private key",
        ),
    ));
}
