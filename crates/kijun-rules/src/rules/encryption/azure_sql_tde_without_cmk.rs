//! KJ-E1-017 `azure-sql-tde-without-cmk`: Azure SQL servers holding confidentiality-3 information
//! protect TDE with a customer-managed key.
//!
//! Transparent data encryption is on by default, with a service-managed key. A customer-managed TDE
//! protector is set on the server (`transparent_data_encryption_key_vault_key_id`) or by an
//! `azurerm_mssql_server_transparent_data_encryption` that refers to the server and names a
//! `key_vault_key_id` or `managed_hsm_key_id` (without one it selects the service-managed key).

use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
