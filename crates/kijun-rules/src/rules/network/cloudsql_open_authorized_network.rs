//! KJ-N4-004 `cloudsql-open-authorized-network`: a Cloud SQL instance with a public IPv4 address
//! (`ipv4_enabled`, default true) that authorises the whole internet (`0.0.0.0/0`) in
//! `settings.ip_configuration.authorized_networks`.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

const VALUE: &str = "settings.ip_configuration.authorized_networks.value";

enum Ipv4 {
    Enabled(Option<Text>),
    Pending(Node),
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(settings) = util::set(r, "settings") else {
        return;
    };
    if settings.is_unknown() {
        out.push(Hit::unknown(settings, "settings"));
        return;
    }
    // `all` stops at a nested block's list; `items` fans it out.
    let configs = settings.all("ip_configuration");
    for ipc in configs.iter().flat_map(|n| n.items()) {
        let ipv4 = match ipc.child("ipv4_enabled").filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => Ipv4::Pending(n.clone()),
            Some(n) if n.as_bool() == Some(false) => continue,
            Some(_) => Ipv4::Enabled(None),
            // documented provider default: true
            None => Ipv4::Enabled(Some(util::unset("ipv4_enabled", "true"))),
        };
        let nets = ipc.all("authorized_networks");
        for net in nets.iter().flat_map(|n| n.items()) {
            let Some(v) = (if net.is_unknown() {
                Some(net)
            } else {
                net.child("value")
            }) else {
                continue;
            };
            if v.is_unknown() {
                out.push(Hit::unknown(v, VALUE));
                continue;
            }
            let Some(cidr) = v.as_str() else {
                continue;
            };
            if !util::is_world(cidr) {
                continue;
            }
            match &ipv4 {
                Ipv4::Pending(n) => out.push(Hit::unknown(n, "ipv4_enabled")),
                Ipv4::Enabled(default) => {
                    let (ja, en) = match default {
                        Some(d) => (format!("（{}）", d.ja), format!(" ({})", d.en)),
                        None => (String::new(), String::new()),
                    };
                    out.push(Hit::value(
                        v,
                        util::t(
                            format!("承認済みネットワークに {cidr} が含まれ、パブリック IPv4 アドレスが有効です{ja}"),
                            format!("the authorized networks include {cidr} and the public IPv4 address is enabled{en}"),
                        ),
                    ));
                }
            }
        }
    }
}
