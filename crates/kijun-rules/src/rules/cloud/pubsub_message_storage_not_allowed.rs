//! KJ-C2-013 `pubsub-message-storage-not-allowed`: Pub/Sub topics persist messages only in
//! allowed regions.

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let attr = "message_storage_policy.allowed_persistence_regions";
    let Some(regions) = r
        .get("message_storage_policy")
        .and_then(|p| p.child("allowed_persistence_regions"))
        .filter(|n| !n.is_null())
    else {
        // why: without a message storage policy Pub/Sub may store messages in any Google Cloud
        // region (the organisation's resource-location policy aside), so 第64条第2項第2号's
        // fixed storage location is not ensured by the topic.
        out.push(Hit::missing(
            r,
            util::unset_t(
                "message_storage_policy",
                "制限なし（任意のリージョンに保存されうる）",
                "no restriction (messages may be stored in any region)",
            ),
        ));
        return;
    };
    let (list, unknown) = regions.strings();
    if unknown {
        out.push(Hit::unknown(regions, attr));
    }
    for (_, n) in list {
        region::judge(ctx, Cloud::Gcp, attr, n, out);
    }
}
