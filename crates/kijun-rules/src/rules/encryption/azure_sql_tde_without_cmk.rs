//! KJ-E1-017 `azure-sql-tde-without-cmk`: Azure SQL servers holding confidentiality-3 information
//! protect TDE with a customer-managed key.
//!
//! Transparent data encryption is on by default, with a service-managed key. A customer-managed TDE
//! protector is set on the server (`transparent_data_encryption_key_vault_key_id`) or by an
//! `azurerm_mssql_server_transparent_data_encryption` that refers to the server and names a
//! `key_vault_key_id` or `managed_hsm_key_id` (without one it selects the service-managed key).
//!
//! ARM (`Microsoft.Sql/servers`): the TDE protector is the child resource
//! `Microsoft.Sql/servers/encryptionProtector` (named `<server>/current`), whose
//! `properties.serverKeyType` is `ServiceManaged` or `AzureKeyVault`; without one the server uses
//! the service-managed key.

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Terraform and ARM keep the TDE protector in different resources: each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match key_ref(r.get("transparent_data_encryption_key_vault_key_id")) {
        KeyRef::Set(_) => return,
        KeyRef::Unknown(n) => {
            out.push(Hit::unknown(
                n,
                "transparent_data_encryption_key_vault_key_id",
            ));
            return;
        }
        KeyRef::Unset => {}
    }
    let tde = ctx.referring_to("azurerm_mssql_server_transparent_data_encryption", r);
    for t in &tde {
        for attr in ["key_vault_key_id", "managed_hsm_key_id"] {
            match key_ref(t.get(attr)) {
                KeyRef::Set(_) => return,
                KeyRef::Unknown(n) => {
                    out.push(Hit::unknown(n, attr));
                    return;
                }
                KeyRef::Unset => {}
            }
        }
    }
    let detail = if tde.is_empty() {
        util::t(
            "TDE の保護キーが指定されていないため、サービスが管理する鍵で暗号化されます",
            "no TDE protector key is named: databases are encrypted with a service-managed key",
        )
    } else {
        util::t(
            "`azurerm_mssql_server_transparent_data_encryption` に `key_vault_key_id` がないため、サービスが管理する鍵で暗号化されます",
            "the `azurerm_mssql_server_transparent_data_encryption` names no `key_vault_key_id`: databases are encrypted with a service-managed key",
        )
    };
    out.push(Hit::missing(r, detail));
}

fn arm(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    const PROTECTOR: &str = "Microsoft.Sql/servers/encryptionProtector";
    let server = r
        .address
        .strip_prefix("Microsoft.Sql/servers/")
        .unwrap_or(&r.address);
    let prefix = format!("{server}/");
    let mut found = false;
    for p in ctx.of_kind(PROTECTOR) {
        let name = p
            .address
            .strip_prefix(PROTECTOR)
            .and_then(|n| n.strip_prefix('/'))
            .unwrap_or("");
        if !name.starts_with(&prefix) {
            continue;
        }
        found = true;
        let ty = p
            .get("properties")
            .filter(|n| !n.is_null())
            .and_then(|n| if n.is_unknown() { Some(n) } else { n.child("serverKeyType") });
        match ty.filter(|n| !n.is_null()) {
            Some(t) if t.is_unknown() => out.push(Hit::unknown(t, "properties.serverKeyType")),
            Some(t)
                if t.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("AzureKeyVault")) => {}
            Some(t) => out.push(Hit::value(
                t,
                util::t(
                    format!("`encryptionProtector` の `properties.serverKeyType` が {} で、サービスが管理する鍵です", t.display()),
                    format!("the `encryptionProtector`'s `properties.serverKeyType` is {}: a service-managed key", t.display()),
                ),
            )),
            None => out.push(Hit::missing(
                r,
                util::t(
                    "`encryptionProtector` に `properties.serverKeyType` がないため、サービスが管理する鍵で暗号化されます",
                    "the `encryptionProtector` names no `properties.serverKeyType`: databases are encrypted with a service-managed key",
                ),
            )),
        }
    }
    if !found {
        out.push(Hit::missing(
            r,
            util::t(
                "このサーバーの `Microsoft.Sql/servers/encryptionProtector` がないため、TDE はサービスが管理する鍵で暗号化されます",
                "no `Microsoft.Sql/servers/encryptionProtector` for this server: TDE uses a service-managed key",
            ),
        ));
    }
}
