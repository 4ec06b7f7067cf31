//! KJ-N13-002 `azure-gcp-ipv6-unintended`: IPv6 switched on in Azure or Google Cloud networking
//! when the configuration does not declare IPv6 as intended (第118条; see KJ-N13-001).

use crate::facts::ipv6::{flag_true, flag_value};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Address prefixes (a list) that contain an IPv6 prefix (written with `:`).
fn ipv6_prefixes(r: &Resource, attr: &str, out: &mut Vec<Hit>) {
    prefixes_in(util::set(r, attr), attr, out);
}

fn prefixes_in(n: Option<&Node>, attr: &str, out: &mut Vec<Hit>) {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    for item in n.items() {
        if item.is_unknown() {
            out.push(Hit::unknown(item, attr));
        } else if let Some(s) = item.as_str().filter(|s| s.contains(':')) {
            out.push(Hit::value(
                item,
                util::t(
                    format!("`{attr}` に IPv6 のアドレス空間 {s} が含まれています"),
                    format!("`{attr}` contains the IPv6 prefix {s}"),
                ),
            ));
        }
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if ctx.settings.ipv6_intended {
        return;
    }
    match r.kind.as_str() {
        "azurerm_virtual_network" => ipv6_prefixes(r, "address_space", out),
        "azurerm_subnet" => ipv6_prefixes(r, "address_prefixes", out),
        "azurerm_public_ip" | "azurerm_public_ip_prefix" => {
            flag_value(r, "ip_version", &["IPv6"], out)
        }
        "azurerm_network_interface" => {
            for ipc in r
                .get("ip_configuration")
                .map(|n| n.items())
                .unwrap_or_default()
            {
                match ipc
                    .child("private_ip_address_version")
                    .filter(|n| !n.is_null())
                {
                    Some(v) if v.is_unknown() => out.push(Hit::unknown(
                        v,
                        "ip_configuration.private_ip_address_version",
                    )),
                    Some(v) if v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ipv6")) => out
                        .push(Hit::value(
                            v,
                            util::is("ip_configuration.private_ip_address_version", v),
                        )),
                    _ => {}
                }
            }
        }
        "google_compute_subnetwork" => {
            let before = out.len();
            flag_value(r, "stack_type", &["IPV4_IPV6", "IPV6_ONLY"], out);
            // `ipv6_access_type` only says which kind of IPv6; report it when the stack type
            // did not already say IPv6 is on.
            if out.len() == before {
                if let Some(n) = util::set(r, "ipv6_access_type") {
                    if n.is_unknown() {
                        out.push(Hit::unknown(n, "ipv6_access_type"));
                    } else {
                        out.push(Hit::value(n, util::is("ipv6_access_type", n)));
                    }
                }
            }
        }
        "google_compute_network" => flag_true(r, "enable_ula_internal_ipv6", out),
        // ARM: the address space of a virtual network, as in Terraform's `address_space`.
        "Microsoft.Network/virtualNetworks" => prefixes_in(
            util::set(r, "properties")
                .and_then(|p| p.child("addressSpace"))
                .and_then(|a| a.child("addressPrefixes")),
            "properties.addressSpace.addressPrefixes",
            out,
        ),
        _ => {}
    }
}
