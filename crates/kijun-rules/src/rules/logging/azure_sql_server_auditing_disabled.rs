//! KJ-L2-013 `azure-sql-server-auditing-disabled`: an Azure SQL logical server without auditing.
//!
//! SQL auditing records the queries, logins and permission changes on every database of the server.
//! It is switched on by the companion `azurerm_mssql_server_extended_auditing_policy`, whose
//! `enabled` defaults to true; a companion outside the scan cannot be seen, so the finding says
//! "none in the scanned configuration".

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut links = Vec::new();
    for p in ctx.of_kind("azurerm_mssql_server_extended_auditing_policy") {
        let Some(s) = util::set(p, "server_id") else {
            continue;
        };
        let link = designates(s, p, r, &["id"]);
        if link == Link::Yes {
            match util::set(p, "enabled") {
                Some(e) if e.is_unknown() => {
                    out.push(Hit::unknown(e, "enabled"));
                    return;
                }
                // A finding about the policy is reported at the server it belongs to, with
                // the value's position in the policy as its provenance.
                Some(e) if e.as_bool() == Some(false) => {
                    out.push(Hit::missing(
                        r,
                        util::t(
                            format!("`{}` の `enabled` が false で、監査が無効です", p.address),
                            format!("`enabled` of `{}` is false: auditing is off", p.address),
                        ),
                    ));
                    return;
                }
                // documented default: true
                _ => return,
            }
        }
        links.push(link);
    }
    match any_link(links) {
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`azurerm_mssql_server_extended_auditing_policy` の `server_id` を静的に決定できないため、このサーバーの監査が有効か判定できません",
                    "the `server_id` of an `azurerm_mssql_server_extended_auditing_policy` cannot be determined statically, so whether this server is audited cannot be judged",
                ),
            )
        }),
        _ => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、このサーバーを対象とする `azurerm_mssql_server_extended_auditing_policy` がありません",
                "no `azurerm_mssql_server_extended_auditing_policy` in the scanned configuration targets this server",
            ),
        )),
    }
}
