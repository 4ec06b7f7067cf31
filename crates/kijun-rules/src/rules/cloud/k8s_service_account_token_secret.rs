//! KJ-C7-101 `k8s-service-account-token-secret`: a Secret of type
//! `kubernetes.io/service-account-token`, a service-account token that never expires.
//!
//! A token Secret holds a credential with no expiry that lives as long as the Secret; the
//! Kubernetes documentation recommends the TokenRequest API (bounded lifetime, not readable by
//! other API clients) and creating such Secrets only when that is not possible. Tokens that outlive
//! their use are what the rule guards against.

use crate::facts::k8s;
use crate::facts::k8s::SA_TOKEN;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(ty) = r.get("type") else {
        return;
    };
    if ty.as_str() != Some(SA_TOKEN) {
        return;
    }
    let sa = k8s::annotation_text(r, "kubernetes.io/service-account.name")
        .unwrap_or_else(|| "?".to_string());
    out.push(Hit::value(
        ty,
        util::t(
            format!("`type` が {SA_TOKEN} のため、サービスアカウント `{sa}` の有効期限のないトークンが Secret として保存されます"),
            format!("`type` is {SA_TOKEN}, so a non-expiring token of service account `{sa}` is stored as a Secret"),
        ),
    ));
}
