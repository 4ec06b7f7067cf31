//! KJ-C2-011 `sql-failover-partner-not-allowed`: the partner server of an Azure SQL failover
//! group is in an allowed location.

use crate::facts::regions::{self as region, Designated};
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: a failover group geo-replicates its databases to the partner
    // server, whose location is where the copy is stored. The partner is named by resource ID,
    // which carries no location: it is judged through the server it designates in the scan.
    let partners = region::SQL_FAILOVER_PARTNERS.of(r);
    let ids: Vec<&Node> = r
        .get(partners.root)
        .map(|p| p.all(partners.path))
        .unwrap_or_default();
    let (attr, kinds, idents) = (partners.attr, partners.kinds, partners.idents);
    for id in ids.into_iter().filter(|n| !n.is_null()) {
        match region::designated(ctx, id, r, kinds, idents) {
            Designated::Resource {
                region: Some(loc), ..
            } if !loc.is_unknown() => {
                let mut at = loc.clone();
                at.at = id.at;
                region::judge(ctx, Cloud::Azure, attr, &at, out);
            }
            Designated::Resource {
                region: Some(loc), ..
            } => {
                let mut at = loc.clone();
                at.at = id.at;
                out.push(Hit::unknown(&at, attr));
            }
            Designated::Unknown if id.is_unknown() => out.push(Hit::unknown(id, attr)),
            _ => out.push(Hit::not_evaluated(Hit::value(
                id,
                util::t(
                    format!("`{attr}` のサーバーがスキャン内になく、リソース ID には場所が含まれないため判定できません"),
                    format!("the server in `{attr}` is not in the scan, and a resource ID carries no location"),
                ),
            ))),
        }
    }
}
