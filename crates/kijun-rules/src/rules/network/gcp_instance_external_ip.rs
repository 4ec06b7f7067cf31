//! KJ-N5-004 `gcp-instance-external-ip`: a Compute Engine instance or instance template whose
//! network interface has an `access_config` (an external IPv4 address, ephemeral when the block
//! is empty) or an `ipv6_access_config` (external IPv6).
//!
//! The provider documents: "Omit to ensure that the instance is not accessible from the Internet".

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(nics) = util::set(r, "network_interface") else {
        return;
    };
    if nics.is_unknown() {
        out.push(Hit::unknown(nics, "network_interface"));
        return;
    }
    for nic in nics.items() {
        if nic.is_unknown() {
            out.push(Hit::unknown(nic, "network_interface"));
            continue;
        }
        for (key, ja, en) in [
            (
                "access_config",
                "外部 IPv4 アドレス",
                "an external IPv4 address",
            ),
            (
                "ipv6_access_config",
                "外部 IPv6 アドレス",
                "an external IPv6 address",
            ),
        ] {
            for b in nic.child(key).map(|n| n.items()).unwrap_or_default() {
                if b.is_unknown() {
                    out.push(Hit::unknown(b, key));
                    continue;
                }
                out.push(Hit::value(
                    b,
                    util::t(
                        format!("`network_interface.{key}` があり、インスタンスに{ja}が割り当てられます"),
                        format!("`network_interface.{key}` gives the instance {en}"),
                    ),
                ));
            }
        }
    }
}
