//! KJ-N8-005 `opensearch-transit-encryption-disabled`: an OpenSearch (or legacy Elasticsearch)
//! domain that accepts plain HTTP (`domain_endpoint_options.enforce_https`) or does not encrypt
//! traffic between its nodes (`node_to_node_encryption.enabled`).
//!
//! Documented defaults: `enforce_https` true inside a `domain_endpoint_options` block;
//! `node_to_node_encryption.enabled` false when the block is absent. Without a
//! `domain_endpoint_options` block the provider sends nothing and AWS decides, which its
//! documentation does not state: reported as not evaluated.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

fn https(r: &Resource, out: &mut Vec<Hit>) {
    let attr = "domain_endpoint_options.enforce_https";
    let Some(opts) = util::set(r, "domain_endpoint_options") else {
        out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "`domain_endpoint_options` が設定されていません。ブロックがない場合に HTTPS が強制されるかはプロバイダ・AWS のドキュメントに定められていないため判定できません。`enforce_https = true` を明示してください",
                    "`domain_endpoint_options` is not set; neither the provider nor AWS documents whether HTTPS is enforced without it, so it cannot be judged. Set `enforce_https = true` explicitly",
                ),
            )
        });
        return;
    };
    if opts.is_unknown() {
        out.push(Hit::unknown(opts, "domain_endpoint_options"));
        return;
    }
    for b in opts.items() {
        match b.child("enforce_https").filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
            Some(n) if n.as_bool() == Some(false) => {
                let is = util::is(attr, n);
                out.push(Hit::value(
                    n,
                    util::t(
                        format!("{}。HTTP（暗号化なし）の接続を受け付けます", is.ja),
                        format!("{}, so plain HTTP connections are accepted", is.en),
                    ),
                ));
            }
            // documented default inside the block: true
            _ => {}
        }
    }
}

fn node_to_node(r: &Resource, out: &mut Vec<Hit>) {
    let attr = "node_to_node_encryption.enabled";
    let Some(n2n) = util::set(r, "node_to_node_encryption") else {
        out.push(Hit::missing(r, util::unset(attr, "false")));
        return;
    };
    if n2n.is_unknown() {
        out.push(Hit::unknown(n2n, "node_to_node_encryption"));
        return;
    }
    let blocks = n2n.items();
    if blocks.is_empty() {
        out.push(Hit::missing(r, util::unset(attr, "false")));
    }
    for b in blocks {
        match b.child("enabled").filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
            Some(n) if n.as_bool() == Some(true) => {}
            Some(n) => out.push(Hit::value(n, util::is(attr, n))),
            None => out.push(Hit::value(b, util::missing(attr))),
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    https(r, out);
    node_to_node(r, out);
}
