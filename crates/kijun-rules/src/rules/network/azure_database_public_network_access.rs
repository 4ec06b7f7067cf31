//! KJ-N4-003 `azure-database-public-network-access`: databases and caches reachable on a public
//! endpoint. The boolean `public_network_access_enabled` (and a managed instance's
//! `public_data_endpoint_enabled`) of the azurerm resources and ARM's `publicNetworkAccess` /
//! `publicDataEndpointEnabled` are compared with their documented defaults; ARM Redis documents
//! "Default value is 'Enabled'", and SQL servers and Cosmos DB accounts are created with public
//! access when the property is absent (the azurerm default, true, mirrors it).
//! `azurerm_mysql_flexible_server.public_network_access` ("Enabled" / "Disabled") has no
//! provider default; Azure decides it from the network mode (see below).
//!
//! ARM templates: PostgreSQL and MySQL flexible servers (`properties.network.publicNetworkAccess`)
//! follow the same network-mode rule.

use crate::declarative::run_all;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(
                &[
                    "azurerm_mssql_server",
                    "azurerm_postgresql_flexible_server",
                    "azurerm_cosmosdb_account",
                    "azurerm_redis_cache",
                ],
                "public_network_access_enabled",
            )
            .equals(false)
            .unset_means(true),
            Declarative::on(&["azurerm_mssql_managed_instance"], "public_data_endpoint_enabled")
                .equals(false)
                .unset_means(false),
            Declarative::on(
                &[
                    "Microsoft.Sql/servers",
                    "Microsoft.DocumentDB/databaseAccounts",
                    "Microsoft.Cache/redis",
                ],
                "properties.publicNetworkAccess",
            )
            .none_of(["Enabled"])
            .unset_means("Enabled")
            .ignore_case()
            .absent_block_uses_default(),
            Declarative::on(
                &["Microsoft.Sql/managedInstances"],
                "properties.publicDataEndpointEnabled",
            )
            .equals(false)
            .unset_means(false),
        ]
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    if matches!(
        r.kind.as_str(),
        "Microsoft.DBforPostgreSQL/flexibleServers" | "Microsoft.DBforMySQL/flexibleServers"
    ) {
        arm_flexible(r, out);
        return;
    }
    if r.kind != "azurerm_mysql_flexible_server" {
        return;
    }
    match util::set(r, "public_network_access") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "public_network_access")),
        Some(n) => {
            if n.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
            {
                out.push(Hit::value(n, util::is("public_network_access", n)));
            }
        }
        None => {
            // why: the provider documents that the server is `Disabled` when created with VNet
            // integration (`delegated_subnet_id`), and Azure otherwise enables public access
            // (provider schema note: "Azure normally defaults this to `Enabled`"). A reference
            // to a subnet is unknown but set, which is enough: the server is VNet-integrated.
            if util::set(r, "delegated_subnet_id").is_none() {
                out.push(Hit::missing(
                    r,
                    util::t(
                        "`public_network_access` と `delegated_subnet_id` が設定されていないため、Azure はパブリックアクセス（Enabled）でサーバーを作成します",
                        "neither `public_network_access` nor `delegated_subnet_id` is set, so Azure creates the server with public access (Enabled)",
                    ),
                ));
            }
        }
    }
}

/// `Microsoft.DBforPostgreSQL/flexibleServers`, `Microsoft.DBforMySQL/flexibleServers`.
fn arm_flexible(r: &Resource, out: &mut Vec<Hit>) {
    let props = util::set(r, "properties");
    if let Some(p) = props.filter(|p| p.is_unknown()) {
        out.push(Hit::unknown(p, "properties"));
        return;
    }
    let network = props
        .and_then(|p| p.child("network"))
        .filter(|n| !n.is_null());
    if let Some(n) = network.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, "properties.network"));
        return;
    }
    let attr = "properties.network.publicNetworkAccess";
    match network
        .and_then(|n| n.child("publicNetworkAccess"))
        .filter(|n| !n.is_null())
    {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            if n.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
            {
                out.push(Hit::value(n, util::is(attr, n)));
            }
        }
        None => {
            // why: a server with VNet integration (`delegatedSubnetResourceId`) has no public
            // endpoint; without it Azure creates the server with public access.
            let delegated = network
                .and_then(|n| n.child("delegatedSubnetResourceId"))
                .is_some_and(|d| !d.is_null());
            if !delegated {
                out.push(Hit::missing(
                    r,
                    util::t(
                        "`properties.network.publicNetworkAccess` と `properties.network.delegatedSubnetResourceId` が設定されていないため、Azure はパブリックアクセス（Enabled）でサーバーを作成します",
                        "neither `properties.network.publicNetworkAccess` nor `properties.network.delegatedSubnetResourceId` is set, so Azure creates the server with public access (Enabled)",
                    ),
                ));
            }
        }
    }
}
