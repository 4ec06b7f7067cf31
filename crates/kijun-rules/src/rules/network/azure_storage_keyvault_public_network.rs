//! KJ-N4-009 `azure-storage-keyvault-public-network`: an Azure storage account or key vault that
//! accepts connections from every network: public network access enabled (the documented default)
//! with no network rule set that denies by default. At confidentiality 3 any public endpoint is a
//! finding, even one restricted by network rules.
//!
//! A firewall whose default action is Allow admits the whole internet.
//!
//! ARM templates (`Microsoft.Storage/storageAccounts`, `Microsoft.KeyVault/vaults`) hold the same
//! settings under `properties` in another shape: `publicNetworkAccess` is a string (`Enabled`,
//! `Disabled`; unset means enabled) and the rule set is `networkAcls.defaultAction` (unset means
//! Allow), so each platform has its reader and both share the verdict.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

enum Rules<'a> {
    /// Default action Deny: only listed networks reach the endpoint.
    Deny,
    /// Default action Allow, with the node it was read from.
    Allow(&'a Node),
    /// No network rule set at all.
    Absent,
    Unknown(&'a Node, &'static str),
}

fn read_block<'a>(
    block: Option<&'a Node>,
    attr: &'static str,
    default_action: &str,
) -> Option<Rules<'a>> {
    let b = block.filter(|n| !n.is_null())?;
    if b.is_unknown() {
        return Some(Rules::Unknown(b, attr));
    }
    let first = b.items().into_iter().next()?;
    Some(
        match first.child(default_action).filter(|n| !n.is_null()) {
            Some(d) if d.is_unknown() => Rules::Unknown(d, attr),
            Some(d) if d.as_str().is_some_and(|s| s.eq_ignore_ascii_case("deny")) => Rules::Deny,
            Some(d) => Rules::Allow(d),
            None => Rules::Absent,
        },
    )
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

/// ARM: `properties.publicNetworkAccess` and `properties.networkAcls.defaultAction`.
fn arm(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let pna = "properties.publicNetworkAccess";
    let props = match util::set(r, "properties") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "properties"));
            return;
        }
        p => p,
    };
    let child = |k: &str| props.and_then(|p| p.child(k)).filter(|n| !n.is_null());
    let public = child("publicNetworkAccess");
    match public {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, pna));
            return;
        }
        // `SecuredByPerimeter` leaves access to a network security perimeter's rules: no
        // public endpoint open to every network.
        Some(n)
            if n.as_str().is_some_and(|s| {
                s.eq_ignore_ascii_case("Disabled") || s.eq_ignore_ascii_case("SecuredByPerimeter")
            }) =>
        {
            return
        }
        _ => {}
    }
    let rules = read_block(
        child("networkAcls"),
        "properties.networkAcls.defaultAction",
        "defaultAction",
    );
    let state = match public {
        Some(n) => util::is(pna, n),
        None => util::unset(pna, "Enabled"),
    };
    verdict(
        r,
        public,
        state,
        "properties.networkAcls",
        rules.unwrap_or(Rules::Absent),
        out,
    );
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let pna = "public_network_access_enabled";
    let public = util::set(r, pna);
    match public {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, pna));
            return;
        }
        Some(n) if n.as_bool() == Some(false) => return,
        _ => {}
    }
    let (block_attr, rules) = if r.kind == "azurerm_key_vault" {
        (
            "network_acls",
            read_block(
                r.get("network_acls"),
                "network_acls.default_action",
                "default_action",
            ),
        )
    } else {
        let inline = read_block(
            r.get("network_rules"),
            "network_rules.default_action",
            "default_action",
        );
        // why: network rules may also be a separate azurerm_storage_account_network_rules
        // resource pointing at the account (the two forms must not be combined).
        let standalone = || {
            ctx.referring_to("azurerm_storage_account_network_rules", r)
                .into_iter()
                .find_map(|x| match x.get("default_action").filter(|n| !n.is_null()) {
                    Some(d) if d.is_unknown() => Some(Rules::Unknown(d, "default_action")),
                    Some(d) if d.as_str().is_some_and(|s| s.eq_ignore_ascii_case("deny")) => {
                        Some(Rules::Deny)
                    }
                    Some(_) => Some(Rules::Absent),
                    None => None,
                })
        };
        ("network_rules", inline.or_else(standalone))
    };
    let state = match public {
        Some(n) => util::is(pna, n),
        None => util::unset(pna, "true"),
    };
    verdict(
        r,
        public,
        state,
        block_attr,
        rules.unwrap_or(Rules::Absent),
        out,
    );
}

/// Public access on (`public`, described by `state`) and the network rules `rules` read from
/// `block_attr`: a finding unless the rules deny by default (then only at confidentiality 3).
fn verdict(
    r: &Resource,
    public: Option<&Node>,
    state: kijun_model::Text,
    block_attr: &str,
    rules: Rules,
    out: &mut Vec<Hit>,
) {
    let hit = |detail| match public {
        Some(n) => Hit::value(n, detail),
        None => Hit::missing(r, detail),
    };
    match rules {
        Rules::Unknown(n, a) => out.push(Hit::unknown(n, a)),
        Rules::Deny => out.push(
            hit(util::t(
                format!("{}。ネットワーク規則で接続元は制限されていますが、パブリックエンドポイントが存在します（機密性3情報ではパブリックエンドポイント自体を無効にする必要があります）", state.ja),
                format!("{}; network rules limit the sources, but a public endpoint exists (confidentiality-3 information needs it disabled)", state.en),
            ))
            .at_level(3),
        ),
        Rules::Allow(d) => {
            let is = util::is(&format!("{block_attr}.default_action"), d);
            out.push(Hit::value(
                d,
                util::t(
                    format!("{}。パブリックネットワークアクセスが有効なまま、すべてのネットワークからの接続を許可しています", is.ja),
                    format!("{} while public network access is enabled, so every network may connect", is.en),
                ),
            ));
        }
        Rules::Absent => out.push(hit(util::t(
            format!("{}。`{block_attr}` で既定の動作を Deny にしていないため、すべてのネットワークから接続できます", state.ja),
            format!("{}, and no `{block_attr}` with default action Deny limits it, so every network may connect", state.en),
        ))),
    }
}
