//! KJ-E4-002 `gcp-ssl-policy-weak-custom-features`: a Google Cloud SSL policy with the CUSTOM
//! profile whose `custom_features` enable cipher suites the recommended level of the CRYPTREC TLS
//! guideline excludes (3DES and the like).
//!
//! The COMPATIBLE profile and minimum versions are KJ-E3-003's.

use crate::facts::tls;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if crate::facts::cryptrec::data().is_none() {
        out.push(crate::facts::cryptrec::no_data(r));
        return;
    }
    let Some(features) = util::set(r, "custom_features") else {
        return;
    };
    // documented default of `profile`: COMPATIBLE (custom_features must not be set then)
    let pending = match util::set(r, "profile") {
        Some(p) if p.is_unknown() => Some(p),
        Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("CUSTOM")) => None,
        _ => return,
    };
    let attr = "custom_features";
    if features.is_unknown() {
        out.push(Hit::unknown(features, attr));
        return;
    }
    let (list, unknown) = features.strings();
    let mut hits = Vec::new();
    for (name, node) in list {
        let bad = tls::failing([name]);
        if let Some((_, class)) = bad.first() {
            hits.push(Hit::value(
                node,
                util::t(
                    format!("`{attr}` に CRYPTREC の推奨セキュリティ型で使用しない暗号スイート {name}（{class}）が含まれています"),
                    format!("`{attr}` enables {name} ({class}), excluded at the CRYPTREC recommended level"),
                ),
            ));
        }
    }
    if let Some(p) = pending {
        if !hits.is_empty() || unknown {
            out.push(Hit::unknown(p, "profile"));
        }
        return;
    }
    out.extend(hits);
    if unknown {
        out.push(Hit::unknown(features, attr));
    }
}
