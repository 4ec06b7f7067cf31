//! KJ-N5-003 `azure-nic-public-ip`: an Azure network interface (or a scale set's network
//! interface) with a public IP address attached.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // ARM: `properties.ipConfigurations[].properties.publicIPAddress` of a network interface.
    if r.kind == "Microsoft.Network/networkInterfaces" {
        let Some(cfgs) = util::set(r, "properties").and_then(|p| p.child("ipConfigurations")) else {
            return;
        };
        if cfgs.is_unknown() {
            out.push(Hit::unknown(cfgs, "properties.ipConfigurations"));
            return;
        }
        for c in cfgs.items() {
            if let Some(ip) = c
                .child("properties")
                .and_then(|p| p.child("publicIPAddress"))
                .filter(|n| !n.is_null())
            {
                out.push(Hit::value(
                    ip,
                    util::t(
                        "`properties.ipConfigurations[].properties.publicIPAddress` が設定されており、ネットワークインターフェースにパブリック IP アドレスが割り当てられます",
                        "`properties.ipConfigurations[].properties.publicIPAddress` is set, so the network interface gets a public IP address",
                    ),
                ));
            }
        }
        return;
    }
    if r.kind == "azurerm_network_interface" {
        let Some(cfgs) = util::set(r, "ip_configuration") else {
            return;
        };
        if cfgs.is_unknown() {
            out.push(Hit::unknown(cfgs, "ip_configuration"));
            return;
        }
        for c in cfgs.items() {
            // Any value, including a reference known only after apply, names a public IP.
            if let Some(id) = c.child("public_ip_address_id").filter(|n| !n.is_null()) {
                out.push(Hit::value(
                    id,
                    util::t(
                        "`ip_configuration.public_ip_address_id` が設定されており、ネットワークインターフェースにパブリック IP アドレスが割り当てられます",
                        "`ip_configuration.public_ip_address_id` is set, so the network interface gets a public IP address",
                    ),
                ));
            }
        }
        return;
    }
    // Scale sets: network_interface { ip_configuration { public_ip_address { … } } }
    let Some(nics) = util::set(r, "network_interface") else {
        return;
    };
    if nics.is_unknown() {
        out.push(Hit::unknown(nics, "network_interface"));
        return;
    }
    for cfg in nics
        .all("ip_configuration")
        .into_iter()
        .flat_map(|n| n.items())
    {
        for p in cfg
            .child("public_ip_address")
            .map(|n| n.items())
            .unwrap_or_default()
        {
            out.push(Hit::value(
                p,
                util::t(
                    "`network_interface.ip_configuration.public_ip_address` ブロックがあり、スケールセットの各インスタンスにパブリック IP アドレスが割り当てられます",
                    "a `network_interface.ip_configuration.public_ip_address` block gives every scale-set instance a public IP address",
                ),
            ));
        }
    }
}
