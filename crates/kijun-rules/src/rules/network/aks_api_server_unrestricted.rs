//! KJ-N6-002 `aks-api-server-unrestricted`: an AKS cluster that is not private and whose API
//! server accepts every address (no authorized IP ranges, or a range covering the whole internet).

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

fn ranges(n: &Node, attr: &str, out: &mut Vec<Hit>) -> bool {
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return true;
    }
    let (list, unknown) = n.strings();
    let mut found = false;
    for (s, node) in &list {
        if util::is_world(s) {
            found = true;
            out.push(Hit::value(
                node,
                util::t(
                    format!("`{attr}` に {s} が含まれており、API サーバーがインターネット全体からの接続を受け付けます"),
                    format!("`{attr}` includes {s}, so the API server accepts the whole internet"),
                ),
            ));
        }
    }
    if unknown && !found {
        out.push(Hit::unknown(n, attr));
    }
    // Judged when the list says anything at all.
    !list.is_empty() || unknown
}

/// Terraform and ARM shape the API server settings differently: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "private_cluster_enabled") {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "private_cluster_enabled"));
            return;
        }
        Some(n) if n.as_bool() == Some(true) => return,
        // documented default: false
        _ => {}
    }
    // azurerm 3.x wrote the ranges at the top level.
    if let Some(n) = util::set(r, "api_server_authorized_ip_ranges") {
        if ranges(n, "api_server_authorized_ip_ranges", out) {
            return;
        }
    }
    let profile = util::set(r, "api_server_access_profile");
    if let Some(p) = profile {
        if p.is_unknown() {
            out.push(Hit::unknown(p, "api_server_access_profile"));
            return;
        }
        if let Some(n) = p.child("authorized_ip_ranges").filter(|n| !n.is_null()) {
            if ranges(n, "api_server_access_profile.authorized_ip_ranges", out) {
                return;
            }
        }
    }
    out.push(Hit::missing(
        r,
        util::t(
            "プライベートクラスターではなく（`private_cluster_enabled` が既定値 false）、`api_server_access_profile.authorized_ip_ranges` も設定されていないため、API サーバーがインターネット全体からの接続を受け付けます",
            "the cluster is not private (`private_cluster_enabled` is false, the default) and `api_server_access_profile.authorized_ip_ranges` is not set, so the API server accepts the whole internet",
        ),
    ));
}

/// ARM `Microsoft.ContainerService/managedClusters`: `properties.apiServerAccessProfile` with
/// `enablePrivateCluster` (default false) and `authorizedIPRanges`, as in Terraform.
fn arm(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let profile = util::set(r, "properties")
        .and_then(|p| p.child("apiServerAccessProfile"))
        .filter(|n| !n.is_null());
    if let Some(p) = profile {
        if p.is_unknown() {
            out.push(Hit::unknown(p, "properties.apiServerAccessProfile"));
            return;
        }
        match p.child("enablePrivateCluster").filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => {
                out.push(Hit::unknown(n, "properties.apiServerAccessProfile.enablePrivateCluster"));
                return;
            }
            Some(n) if n.as_bool() == Some(true) => return,
            _ => {}
        }
        if let Some(n) = p.child("authorizedIPRanges").filter(|n| !n.is_null()) {
            if ranges(n, "properties.apiServerAccessProfile.authorizedIPRanges", out) {
                return;
            }
        }
    }
    out.push(Hit::missing(
        r,
        util::t(
            "プライベートクラスターではなく（`enablePrivateCluster` が既定値 false）、`apiServerAccessProfile.authorizedIPRanges` も設定されていないため、API サーバーがインターネット全体からの接続を受け付けます",
            "the cluster is not private (`enablePrivateCluster` is false, the default) and `apiServerAccessProfile.authorizedIPRanges` is not set, so the API server accepts the whole internet",
        ),
    ));
}
