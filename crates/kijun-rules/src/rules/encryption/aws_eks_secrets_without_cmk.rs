//! KJ-E1-015 `aws-eks-secrets-without-cmk`: EKS clusters envelope-encrypt Kubernetes secrets; with
//! a customer-managed key at confidentiality 3.
//!
//! EKS clusters on Kubernetes 1.28 or later envelope- encrypt all Kubernetes API data by default
//! with an AWS owned key (EKS User Guide, "Default envelope encryption for all Kubernetes API
//! data"): enough at confidentiality 2, not at 3, where `encryption_config` must name a
//! customer-managed key for `secrets`. A cluster pinned to an older `version` has no envelope
//! encryption without `encryption_config`.
//!
//! CloudFormation (`AWS::EKS::Cluster`): `EncryptionConfig[]` with `Resources` and
//! `Provider.KeyArn`, and `Version`, the same meanings.

use crate::facts::at_rest::{self, EksNames};
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// `"1.27"` → (1, 27).
fn minor(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.trim().split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Whether one `encryption_config` block covers secrets with a named key; `Err` for unknowns.
fn covers_secrets<'a>(b: &'a Node, n: &EksNames) -> Result<bool, (&'a Node, String)> {
    if b.is_unknown() {
        return Err((b, n.config.to_string()));
    }
    let (res, unknown) = b
        .child(n.resources)
        .map(|x| x.strings())
        .unwrap_or_default();
    if !res.iter().any(|(s, _)| *s == "secrets") {
        return match b.child(n.resources) {
            Some(x) if unknown => Err((x, format!("{}.{}", n.config, n.resources))),
            _ => Ok(false),
        };
    }
    match key_ref(b.child(n.provider).and_then(|p| p.child(n.key))) {
        KeyRef::Set(_) => Ok(true),
        KeyRef::Unknown(x) => Err((x, format!("{}.{}.{}", n.config, n.provider, n.key))),
        KeyRef::Unset => Ok(false),
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = &at_rest::EKS_SECRETS.of(r);
    let (config, version) = (names.config, names.version);
    let blocks: Vec<&Node> = util::set(r, config)
        .map(|n| n.items())
        .unwrap_or_default();
    for b in &blocks {
        match covers_secrets(b, names) {
            Ok(true) => return,
            Ok(false) => {}
            Err((n, attr)) => {
                out.push(Hit::unknown(n, &attr));
                return;
            }
        }
    }
    let old = match util::set(r, version) {
        Some(v) if v.is_unknown() => {
            // The version decides only the level-2 verdict; level 3 needs the key anyway.
            out.push(Hit::unknown(v, version).at_level(2));
            None
        }
        Some(v) => v
            .as_str()
            .and_then(minor)
            .filter(|m| *m < (1, 28))
            .map(|_| v),
        None => None,
    };
    if let Some(v) = old {
        out.push(Hit::value(
            v,
            util::t(
                format!("`{version}` が {} で、`{config}` がないため Kubernetes のシークレットはエンベロープ暗号化されません", v.display()),
                format!("`{version}` is {} and there is no `{config}`: Kubernetes secrets are not envelope-encrypted", v.display()),
            ),
        ));
        return;
    }
    out.push(
        Hit::missing(
            r,
            util::t(
                format!("`secrets` を対象とする `{config}` がないため、Kubernetes のシークレットは AWS 所有キーでのみ暗号化されます"),
                format!("no `{config}` covers `secrets`: Kubernetes secrets are encrypted with an AWS owned key only"),
            ),
        )
        .at_level(3),
    );
}

#[cfg(test)]
mod tests {
    use super::minor;

    #[test]
    fn versions() {
        assert_eq!(minor("1.27"), Some((1, 27)));
        assert!(minor("1.27").is_some_and(|m| m < (1, 28)));
        assert!(minor("1.30").is_some_and(|m| m >= (1, 28)));
        assert_eq!(minor("latest"), None);
    }
}
