//! KJ-C7-003 `gcp-service-account-key`: no user-managed service account keys.
//!
//! A `google_service_account_key` is a long-lived private key (by default it does not expire) that
//! can be copied anywhere; attached service accounts and workload identity federation give
//! short-lived tokens instead.

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
