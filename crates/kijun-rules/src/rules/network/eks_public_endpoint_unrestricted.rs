//! KJ-N6-001 `eks-public-endpoint-unrestricted`: an EKS cluster whose public API server endpoint
//! (enabled by default) accepts the whole internet (`public_access_cidrs` defaults to 0.0.0.0/0).

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(vpc) = util::set(r, "vpc_config") else {
        return;
    };
    if vpc.is_unknown() {
        out.push(Hit::unknown(vpc, "vpc_config"));
        return;
    }
    let Some(b) = vpc.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| b.child(k).filter(|n| !n.is_null());
    let epa = child("endpoint_public_access");
    match epa {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "vpc_config.endpoint_public_access"));
            return;
        }
        Some(n) if n.as_bool() == Some(false) => return,
        // documented default: true
        _ => {}
    }
    let attr = "vpc_config.public_access_cidrs";
    match child("public_access_cidrs") {
        Some(c) if c.is_unknown() => out.push(Hit::unknown(c, attr)),
        Some(c) => {
            let (list, unknown) = c.strings();
            let mut found = false;
            for (s, node) in list {
                if util::is_world(s) {
                    found = true;
                    out.push(Hit::value(
                        node,
                        util::t(
                            format!("パブリック API サーバーエンドポイントが {s} からの接続を受け付けます"),
                            format!("the public API server endpoint accepts connections from {s}"),
                        ),
                    ));
                }
            }
            if unknown && !found {
                out.push(Hit::unknown(c, attr));
            }
        }
        None => {
            let state = match epa {
                Some(n) => util::is("vpc_config.endpoint_public_access", n),
                None => util::unset("vpc_config.endpoint_public_access", "true"),
            };
            out.push(Hit::value(
                b,
                util::t(
                    format!("{}。`public_access_cidrs` が設定されていないため、EKS の既定値 0.0.0.0/0 によりパブリック API サーバーエンドポイントがインターネット全体に公開されます", state.ja),
                    format!("{}, and `public_access_cidrs` is not set, so EKS's default 0.0.0.0/0 opens the public API server endpoint to the whole internet", state.en),
                ),
            ));
        }
    }
}
