//! KJ-E1-016 `azure-storage-account-without-cmk`: Azure storage accounts holding confidentiality-3
//! information use a customer-managed key.
//!
//! Azure Storage always encrypts, by default with Microsoft-managed keys. A customer-managed key is
//! set by the account's `customer_managed_key` block or by an
//! `azurerm_storage_account_customer_managed_key` that refers to the account.
//!
//! ARM (`Microsoft.Storage/storageAccounts`): `properties.encryption.keySource` is
//! `Microsoft.Storage` (Microsoft-managed keys, the default) or `Microsoft.Keyvault` (a key in
//! the organisation's Key Vault, named by `keyvaultproperties`).

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// `Ok(true)` when the block or resource names a key; `Err` when that cannot be known.
fn names_key<'a>(get: impl Fn(&str) -> Option<&'a Node>) -> Result<bool, (&'a Node, &'static str)> {
    let mut unknown = None;
    for attr in ["key_vault_key_id", "managed_hsm_key_id", "key_name"] {
        match key_ref(get(attr)) {
            KeyRef::Set(_) => return Ok(true),
            KeyRef::Unknown(n) => unknown = unknown.or(Some((n, attr))),
            KeyRef::Unset => {}
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(false),
    }
}

/// Terraform and ARM shape the encryption settings differently: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(b) = util::set(r, "customer_managed_key").and_then(|n| n.items().into_iter().next())
    {
        if b.is_unknown() {
            out.push(Hit::unknown(b, "customer_managed_key"));
            return;
        }
        match names_key(|a| b.child(a)) {
            Ok(true) => return,
            Ok(false) => {}
            Err((n, a)) => {
                out.push(Hit::unknown(n, &format!("customer_managed_key.{a}")));
                return;
            }
        }
    }
    for cmk in ctx.referring_to("azurerm_storage_account_customer_managed_key", r) {
        match names_key(|a| cmk.get(a)) {
            Ok(true) => return,
            Ok(false) => {}
            Err((n, a)) => {
                out.push(Hit::unknown(n, a));
                return;
            }
        }
    }
    out.push(Hit::missing(
        r,
        util::t(
            "`customer_managed_key` も、このアカウントを参照する `azurerm_storage_account_customer_managed_key` もないため、Microsoft が管理する鍵で暗号化されます",
            "neither `customer_managed_key` nor an `azurerm_storage_account_customer_managed_key` referring to the account: data is encrypted with Microsoft-managed keys",
        ),
    ));
}

fn arm(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    const ATTR: &str = "properties.encryption.keySource";
    let props = r.get("properties").filter(|n| !n.is_null());
    if let Some(p) = props.filter(|p| p.is_unknown()) {
        out.push(Hit::unknown(p, ATTR));
        return;
    }
    let enc = props
        .and_then(|p| p.child("encryption"))
        .filter(|n| !n.is_null());
    if let Some(e) = enc.filter(|e| e.is_unknown()) {
        out.push(Hit::unknown(e, ATTR));
        return;
    }
    let unset = util::t(
        format!("`{ATTR}` が設定されていないため、既定の Microsoft.Storage（Microsoft が管理する鍵）で暗号化されます"),
        format!("`{ATTR}` is not set: data is encrypted with the default Microsoft.Storage (Microsoft-managed keys)"),
    );
    match enc.and_then(|e| e.child("keySource")).filter(|n| !n.is_null()) {
        Some(k) if k.is_unknown() => out.push(Hit::unknown(k, ATTR)),
        Some(k)
            if k.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Microsoft.Keyvault")) => {}
        Some(k) => out.push(Hit::value(
            k,
            util::t(
                format!("`{ATTR}` が {} で、Microsoft が管理する鍵です", k.display()),
                format!("`{ATTR}` is {}: Microsoft-managed keys", k.display()),
            ),
        )),
        None => out.push(match enc {
            Some(e) => Hit::value(e, unset),
            None => Hit::missing(r, unset),
        }),
    }
}
