//! KJ-N6-001 `eks-public-endpoint-unrestricted`: an EKS cluster whose public API server endpoint
//! (enabled by default) accepts the whole internet (`public_access_cidrs` defaults to 0.0.0.0/0).

use crate::facts::exposure;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Terraform `vpc_config` block, CloudFormation `ResourcesVpcConfig` (AWS::EKS::Cluster) with
    // the same settings and defaults in PascalCase.
    let e = &exposure::EKS_ENDPOINT;
    let (block, public, cidrs) = (e.block.of(r), e.public.of(r), e.cidrs.of(r));
    let Some(vpc) = util::set(r, block) else {
        return;
    };
    if vpc.is_unknown() {
        out.push(Hit::unknown(vpc, block));
        return;
    }
    let Some(b) = vpc.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| b.child(k).filter(|n| !n.is_null());
    let public_attr = format!("{block}.{public}");
    let epa = child(public);
    match epa {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, &public_attr));
            return;
        }
        Some(n) if n.as_bool() == Some(false) => return,
        // documented default: true
        _ => {}
    }
    let attr = &format!("{block}.{cidrs}");
    match child(cidrs) {
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
                Some(n) => util::is(&public_attr, n),
                None => util::unset(&public_attr, "true"),
            };
            out.push(Hit::value(
                b,
                util::t(
                    format!("{}。`{cidrs}` が設定されていないため、EKS の既定値 0.0.0.0/0 によりパブリック API サーバーエンドポイントがインターネット全体に公開されます", state.ja),
                    format!("{}, and `{cidrs}` is not set, so EKS's default 0.0.0.0/0 opens the public API server endpoint to the whole internet", state.en),
                ),
            ));
        }
    }
}
