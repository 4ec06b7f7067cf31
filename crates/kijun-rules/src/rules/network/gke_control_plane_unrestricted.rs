//! KJ-N6-003 `gke-control-plane-unrestricted`: a GKE cluster whose control plane is reachable on
//! its public endpoint from any address: no private endpoint, and no master authorized networks
//! (or authorized networks that include the whole internet or every Google Cloud public IP).

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Public endpoint disabled: private endpoint only, or no IP endpoint at all.
    if let Some(pcc) = util::set(r, "private_cluster_config") {
        match pcc
            .child("enable_private_endpoint")
            .filter(|n| !n.is_null())
        {
            Some(n) if n.is_unknown() => {
                out.push(Hit::unknown(
                    n,
                    "private_cluster_config.enable_private_endpoint",
                ));
                return;
            }
            Some(n) if n.as_bool() == Some(true) => return,
            _ => {}
        }
    }
    if let Some(cp) = util::set(r, "control_plane_endpoints_config") {
        let ip = cp
            .child("ip_endpoints_config")
            .and_then(|n| n.child("enabled"))
            .filter(|n| !n.is_null());
        match ip {
            Some(n) if n.is_unknown() => {
                out.push(Hit::unknown(
                    n,
                    "control_plane_endpoints_config.ip_endpoints_config.enabled",
                ));
                return;
            }
            Some(n) if n.as_bool() == Some(false) => return,
            _ => {}
        }
    }
    let Some(man) = util::set(r, "master_authorized_networks_config") else {
        out.push(Hit::missing(
            r,
            util::t(
                "`master_authorized_networks_config` が設定されておらず、プライベートエンドポイントも有効でないため、コントロールプレーンのパブリックエンドポイントがすべてのアドレスからの接続を受け付けます",
                "`master_authorized_networks_config` is not set and the private endpoint is not enabled, so the control plane's public endpoint accepts every address",
            ),
        ));
        return;
    };
    if man.is_unknown() {
        out.push(Hit::unknown(man, "master_authorized_networks_config"));
        return;
    }
    for m in man.items() {
        if let Some(g) = m
            .child("gcp_public_cidrs_access_enabled")
            .filter(|n| !n.is_null())
        {
            if g.is_unknown() {
                out.push(Hit::unknown(
                    g,
                    "master_authorized_networks_config.gcp_public_cidrs_access_enabled",
                ));
            } else if g.as_bool() == Some(true) {
                out.push(Hit::value(
                    g,
                    util::t(
                        "`gcp_public_cidrs_access_enabled` が true で、Google Cloud のすべてのパブリック IP アドレス（他の利用者のものを含む）からコントロールプレーンに接続できます",
                        "`gcp_public_cidrs_access_enabled` is true, so every Google Cloud public IP address (other customers' included) can reach the control plane",
                    ),
                ));
            }
        }
        let attr = "master_authorized_networks_config.cidr_blocks.cidr_block";
        for cb in m
            .child("cidr_blocks")
            .map(|n| n.items())
            .unwrap_or_default()
        {
            let Some(c) = cb.child("cidr_block").filter(|n| !n.is_null()) else {
                continue;
            };
            if c.is_unknown() {
                out.push(Hit::unknown(c, attr));
            } else if c.as_str().is_some_and(util::is_world) {
                let is = util::is(attr, c);
                out.push(Hit::value(
                    c,
                    util::t(
                        format!(
                            "{}。承認済みネットワークがインターネット全体を含みます",
                            is.ja
                        ),
                        format!(
                            "{}: the authorized networks include the whole internet",
                            is.en
                        ),
                    ),
                ));
            }
        }
    }
}
