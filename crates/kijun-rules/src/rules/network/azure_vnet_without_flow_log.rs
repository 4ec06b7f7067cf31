//! KJ-N9-004 `azure-vnet-without-flow-log`: an Azure virtual network that no enabled
//! `azurerm_network_watcher_flow_log` in the configuration targets (`target_resource_id`).
//!
//! Since 30 July 2025 Azure no longer creates flow logs for network security groups (provider
//! documentation); virtual network flow logs are the way to record the traffic, so the virtual
//! network is what is judged. In ARM templates the flow log is a
//! `Microsoft.Network/networkWatchers/flowLogs` whose `properties.targetResourceId` names the
//! `Microsoft.Network/virtualNetworks` (`resourceId(...)` or a literal ID); the names and the way
//! the target is resolved come from `network::VNET_FLOW_LOG`.

use crate::facts::links::Link;
use crate::facts::network::VNET_FLOW_LOG;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = VNET_FLOW_LOG.of(r);
    let mut maybe = None;
    let mut disabled = None;
    for fl in ctx.of_kind(names.kind) {
        // An unknown `properties` object stands for both settings: the link is unknown.
        let (target, _) = names.setting(fl, names.target);
        match (names.designates)(target, r) {
            Link::Yes => match names.setting(fl, names.enabled).0 {
                Some(e) if e.is_unknown() => {
                    maybe.get_or_insert(fl);
                }
                Some(e) if e.as_bool() == Some(false) => {
                    disabled.get_or_insert(fl);
                }
                // `enabled` is required in Terraform; in ARM a flow log that exists and is not
                // switched off counts.
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
    let (_, enabled) = names.setting(r, names.enabled);
    let (_, target) = names.setting(r, names.target);
    if let Some(fl) = disabled {
        out.push(Hit::missing(
            r,
            util::t(
                format!("この仮想ネットワークを対象とするフローログ `{}` が無効（`{enabled}` が false）になっています", fl.address),
                format!("the flow log `{}` targeting this virtual network is disabled (`{enabled}` is false)", fl.address),
            ),
        ));
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            format!("この仮想ネットワークを `{target}` で指定する `{}` が構成内にありません", names.kind),
            format!("no `{}` in the configuration names this virtual network in `{target}`", names.kind),
        ),
    ));
}
