//! KJ-L2-015 `azure-storage-access-logs-not-exported`: a storage account whose data access
//! (read, write, delete) is not logged by a diagnostic setting.
//!
//! Storage resource logs are configured on the service sub-resources
//! (`"${azurerm_storage_account.x.id}/blobServices/default"` and the like) with the categories
//! `StorageRead`, `StorageWrite` and `StorageDelete`; a setting on any of them refers to the
//! account, and the categories it exports count for the account.

use crate::facts::logging::{require_logs, Wanted};
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    require_logs(
        ctx,
        r,
        &Wanted {
            any_of: &["audit", "allLogs"],
            all_of: &["StorageRead", "StorageWrite", "StorageDelete"],
            what_ja: "このストレージアカウント",
            what_en: "this storage account",
        },
        out,
    );
}
