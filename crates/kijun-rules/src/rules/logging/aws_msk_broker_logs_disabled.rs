//! KJ-L2-008 `aws-msk-broker-logs-disabled`: an MSK cluster whose broker logs go nowhere.
//!
//! MSK delivers them only to the destinations enabled under `logging_info.broker_logs`
//! (CloudFormation `LoggingInfo.BrokerLogs`): CloudWatch Logs, Firehose, S3, each with a
//! required switch. The names come from `logging::MSK_BROKER_LOGS`.

use crate::facts::logging::{is_true, MSK_BROKER_LOGS};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = MSK_BROKER_LOGS.of(r);
    let Some(info) = util::set(r, names.info) else {
        out.push(Hit::missing(
            r,
            util::t(
                format!("`{}` が設定されていないため、ブローカーログはどこにも配信されません", names.info),
                format!("`{}` is not set, so broker logs are not delivered anywhere", names.info),
            ),
        ));
        return;
    };
    if info.is_unknown() {
        out.push(Hit::unknown(info, names.info));
        return;
    }
    let mut unknown: Option<&Node> = None;
    for bl in info.all(names.broker_logs).into_iter().flat_map(|n| n.items()) {
        if bl.is_unknown() {
            unknown = unknown.or(Some(bl));
            continue;
        }
        for d in names.destinations {
            for dest in bl.child(d).map(|n| n.items()).unwrap_or_default() {
                match dest.child(names.enabled).filter(|n| !n.is_null()) {
                    Some(e) if e.is_unknown() => unknown = unknown.or(Some(e)),
                    Some(e) if is_true(e) => return,
                    _ => {}
                }
            }
        }
    }
    let (info_name, bl_name) = (names.info, names.broker_logs);
    let list = names.destinations.join("・");
    let list_en = names.destinations.join(", ");
    match unknown {
        Some(n) => out.push(Hit::unknown(
            n,
            &format!("{info_name}.{bl_name}.*.{}", names.enabled),
        )),
        None => out.push(Hit::value(
            info,
            util::t(
                format!("`{info_name}.{bl_name}` で有効な配信先（{list}）がありません"),
                format!("no destination ({list_en}) is enabled under `{info_name}.{bl_name}`"),
            ),
        )),
    }
}
