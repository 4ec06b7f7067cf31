//! KJ-C6-007 `azure-sql-not-zone-redundant`: Azure SQL databases and elastic pools are zone
//! redundant.
//!
//! Without `zone_redundant` the replicas of a database are kept in one datacenter, and a zone
//! failure stops it. The provider documents no default; unset means the Azure API default (not zone
//! redundant). A database in an elastic pool (`elastic_pool_id`) takes the pool's setting and is
//! judged through the pool.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// ARM keeps the switch under `properties` (and a database's pool in `elasticPoolId`): each
/// platform has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "azurerm_mssql_database" && util::set(r, "elastic_pool_id").is_some() {
        return;
    }
    match util::set(r, "zone_redundant") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "zone_redundant")),
        Some(n) if n.as_bool() == Some(true) => {}
        Some(n) => out.push(Hit::value(n, util::is("zone_redundant", n))),
        None => out.push(Hit::missing(
            r,
            util::unset_t(
                "zone_redundant",
                "Azure API の既定、ゾーン冗長なし",
                "the Azure API default, not zone redundant",
            ),
        )),
    }
}

/// ARM `Microsoft.Sql/servers/databases`: `properties.zoneRedundant`, unset meaning the API
/// default (not zone redundant); a database in an elastic pool follows the pool.
fn arm(r: &Resource, out: &mut Vec<Hit>) {
    let props = util::set(r, "properties");
    let child = |k: &str| props.and_then(|p| p.child(k)).filter(|n| !n.is_null());
    if child("elasticPoolId").is_some() {
        return;
    }
    let attr = "properties.zoneRedundant";
    match child("zoneRedundant") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if n.as_bool() == Some(true) => {}
        Some(n) => out.push(Hit::value(n, util::is(attr, n))),
        None => {
            let detail = util::unset_t(
                attr,
                "Azure API の既定、ゾーン冗長なし",
                "the Azure API default, not zone redundant",
            );
            out.push(match props {
                Some(p) => Hit::value(p, detail),
                None => Hit::missing(r, detail),
            })
        }
    }
}
