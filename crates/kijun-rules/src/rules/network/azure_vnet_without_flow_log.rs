//! KJ-N9-004 `azure-vnet-without-flow-log`: an Azure virtual network that no enabled
//! `azurerm_network_watcher_flow_log` in the configuration targets (`target_resource_id`).
//!
//! Since 30 July 2025 Azure no longer creates flow logs for network security groups (provider
//! documentation); virtual network flow logs are the way to record the traffic, so the virtual
//! network is what is judged.

use crate::facts::links::{reference_to, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut maybe = None;
    let mut disabled = None;
    for fl in ctx.of_kind("azurerm_network_watcher_flow_log") {
        match reference_to(fl.get("target_resource_id"), r) {
            Link::Yes => match util::set(fl, "enabled") {
                Some(e) if e.is_unknown() => {
                    maybe.get_or_insert(fl);
                }
                Some(e) if e.as_bool() == Some(false) => {
                    disabled.get_or_insert(fl);
                }
                // `enabled` is required; a flow log that exists and is not off counts.
                _ => return,
            },
            Link::Unknown => {
                maybe.get_or_insert(fl);
            }
            Link::No => {}
        }
    }
    if let Some(fl) = maybe {
        out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    format!("`{}` の対象または有効・無効を静的に決定できないため、この仮想ネットワークのフローログがあるか判定できません", fl.address),
                    format!("the target or the `enabled` flag of `{}` cannot be determined statically, so whether this virtual network has a flow log cannot be judged", fl.address),
                ),
            )
        });
        return;
    }
    if let Some(fl) = disabled {
        out.push(Hit::missing(
            r,
            util::t(
                format!("この仮想ネットワークを対象とするフローログ `{}` が無効（`enabled = false`）になっています", fl.address),
                format!("the flow log `{}` targeting this virtual network is disabled (`enabled = false`)", fl.address),
            ),
        ));
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "この仮想ネットワークを `target_resource_id` で指定する `azurerm_network_watcher_flow_log` が構成内にありません",
            "no `azurerm_network_watcher_flow_log` in the configuration names this virtual network in `target_resource_id`",
        ),
    ));
}
