//! KJ-L4-005 `gcp-log-bucket-unlocked`: a Cloud Logging bucket whose retention is not locked.
//!
//! An unlocked log bucket can have its retention shortened, and with it the logs deleted, by anyone
//! allowed to update it; `locked = true` makes the retention permanent and the bucket deletable
//! only when empty. `locked` is optional and the bucket is unlocked unless it is set.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "locked") {
        None => out.push(Hit::missing(
            r,
            util::unset_t("locked", "false、ロックなし", "false, unlocked"),
        )),
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "locked")),
        Some(n) if n.as_bool() == Some(false) => out.push(Hit::value(n, util::is("locked", n))),
        Some(_) => {}
    }
}
