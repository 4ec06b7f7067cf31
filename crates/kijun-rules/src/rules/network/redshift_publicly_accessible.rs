//! KJ-N4-002 `redshift-publicly-accessible`: an Amazon Redshift cluster with a public endpoint.
//!
//! The documented default of `publicly_accessible` changed with the AWS provider: `true` up to
//! 5.x, `false` from 6.0 (version 6 upgrade guide). The scan does not know which provider version
//! applies, so an unset value is reported as not evaluated rather than guessed either way.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// The defaults differ (see below): each platform has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

/// CloudFormation sends `PubliclyAccessible` to the Redshift API, whose default is false: only
/// an explicit true makes the cluster public.
fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "PubliclyAccessible") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "PubliclyAccessible")),
        Some(n) if n.as_bool() == Some(true) => {
            out.push(Hit::value(n, util::is("PubliclyAccessible", n)))
        }
        _ => {}
    }
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "publicly_accessible") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "publicly_accessible")),
        Some(n) => {
            if n.as_bool() == Some(true) {
                out.push(Hit::value(n, util::is("publicly_accessible", n)));
            }
        }
        None => out.push(Hit {
            at: r.at,
            detail: util::t(
                "`publicly_accessible` が設定されていません。既定値は AWS プロバイダ 6.0 以降では false、5.x 以前では true であり、使用するプロバイダのバージョンによって公開されるかどうかが変わります。`publicly_accessible = false` を明示してください",
                "`publicly_accessible` is not set; its default is false from AWS provider 6.0 but true in 5.x and earlier, so whether the cluster is public depends on the provider version. Set `publicly_accessible = false` explicitly",
            ),
            from: None,
            not_evaluated: true,
            min_level: None,
        }),
    }
}
