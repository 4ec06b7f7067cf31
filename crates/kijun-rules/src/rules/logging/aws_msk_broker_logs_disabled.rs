//! KJ-L2-008 `aws-msk-broker-logs-disabled`: an MSK cluster whose broker logs go nowhere.
//!
//! MSK delivers them only to the destinations enabled under `logging_info.broker_logs` (CloudWatch
//! Logs, Firehose, S3), each with a required `enabled`.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const DESTINATIONS: [&str; 3] = ["cloudwatch_logs", "firehose", "s3"];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(info) = util::set(r, "logging_info") else {
        out.push(Hit::missing(
            r,
            util::t(
                "`logging_info` が設定されていないため、ブローカーログはどこにも配信されません",
                "`logging_info` is not set, so broker logs are not delivered anywhere",
            ),
        ));
        return;
    };
    if info.is_unknown() {
        out.push(Hit::unknown(info, "logging_info"));
        return;
    }
    let mut unknown: Option<&Node> = None;
    for bl in info.all("broker_logs").into_iter().flat_map(|n| n.items()) {
        for d in DESTINATIONS {
            for dest in bl.child(d).map(|n| n.items()).unwrap_or_default() {
                match dest.child("enabled").filter(|n| !n.is_null()) {
                    Some(e) if e.is_unknown() => unknown = unknown.or(Some(e)),
                    Some(e) if e.as_bool() == Some(true) => return,
                    _ => {}
                }
            }
        }
    }
    match unknown {
        Some(n) => out.push(Hit::unknown(n, "logging_info.broker_logs.*.enabled")),
        None => out.push(Hit::value(
            info,
            util::t(
                "`logging_info.broker_logs` で有効な配信先（cloudwatch_logs・firehose・s3）がありません",
                "no destination (cloudwatch_logs, firehose, s3) is enabled under `logging_info.broker_logs`",
            ),
        )),
    }
}
